"""The HTTP API: a SPARQL 1.1 Protocol endpoint and REST endpoints over the same store."""
from __future__ import annotations

from fastapi import FastAPI, Request
from fastapi.responses import JSONResponse

from kg.config import Settings
from kg.queries import Queries
from kg.store import Store
from kg.vocab import Iris

from .routers import actors, analytics, articles, export, network, sparql, statements


def create_app(store: Store, settings: Settings | None = None) -> FastAPI:
    settings = settings or Settings.from_env()
    app = FastAPI(
        title="kg", version="0.1.0",
        description="Who said what about whom in the news: statements, roles and actors as a knowledge graph.")
    app.state.store = store
    app.state.settings = settings
    app.state.queries = Queries(store, Iris(settings.base_iri))
    for router in (sparql.router, statements.router, actors.router, articles.router, export.router,
                   network.router, analytics.router):
        app.include_router(router)

    @app.exception_handler(Exception)
    async def internal_error(request: Request, exc: Exception) -> JSONResponse:  # no stack traces out
        return JSONResponse({"detail": "internal error"}, status_code=500)

    return app
