"""The HTTP API: a SPARQL 1.1 Protocol endpoint and REST endpoints over the same store."""
from __future__ import annotations

import threading

import uvicorn
from fastapi import FastAPI, Request
from fastapi.responses import JSONResponse

from kg.config import Settings
from kg.network.cache import Networks
from kg.queries import Queries
from kg.store import DiskFull, ReadOnlyStore, Store
from kg.vocab import Iris

from . import vendor
from .engine import Engine, QueryError
from .limits import BodyLimit
from .routers import actors, analytics, articles, export, graphs, network, sparql, statements


def create_app(store: Store, settings: Settings | None = None) -> FastAPI:
    settings = settings or Settings.from_env()
    app = FastAPI(
        title="kg", version="0.1.0", docs_url=None, redoc_url=None,
        description="Who said what about whom in the news: statements, roles and actors as a knowledge graph. "
                    "SPARQL at /sparql (a query editor for browsers), REST below.")
    app.state.store = store
    app.state.settings = settings
    app.state.queries = Queries(store, Iris(settings.base_iri))
    app.state.networks = Networks(store, app.state.queries.iris)
    app.state.engine = Engine(store, settings)
    app.router.on_startup.append(app.state.engine.start)
    app.router.on_shutdown.append(app.state.engine.close)
    app.state.write_lock = threading.Lock()  # one article, update or delete at a time
    app.state.extract_lock = threading.Lock()  # one batch in the spaCy pipeline at a time
    app.state.stopping = threading.Event()  # set on SIGTERM / SIGINT: batches stop at the next article
    for router in (sparql.router, graphs.router, statements.router, actors.router, articles.router, export.router,
                   network.router, analytics.router):
        app.include_router(router)
    vendor.mount(app)
    app.add_middleware(BodyLimit, max_body=settings.max_body)

    @app.exception_handler(QueryError)
    async def query_error(request: Request, exc: QueryError) -> JSONResponse:
        return JSONResponse({"detail": exc.message}, status_code=exc.status)

    @app.exception_handler(DiskFull)
    async def disk_full(request: Request, exc: DiskFull) -> JSONResponse:
        return JSONResponse({"detail": str(exc)}, status_code=507)

    @app.exception_handler(ReadOnlyStore)
    async def read_only(request: Request, exc: ReadOnlyStore) -> JSONResponse:
        return JSONResponse({"detail": str(exc)}, status_code=503)

    @app.exception_handler(Exception)
    async def internal_error(request: Request, exc: Exception) -> JSONResponse:  # no stack traces out
        return JSONResponse({"detail": "internal error"}, status_code=500)

    return app


class Server(uvicorn.Server):
    """uvicorn's server that, on SIGTERM or SIGINT, also tells the app, so that a batch being ingested
    stops at the next article boundary instead of holding the shutdown until its end."""

    def __init__(self, app: FastAPI, config: uvicorn.Config):
        super().__init__(config)
        self.app = app

    def handle_exit(self, sig, frame) -> None:
        self.app.state.stopping.set()
        super().handle_exit(sig, frame)
