"""Running SPARQL for the endpoint: queries in worker processes that can be stopped (api/workers.py),
updates in this process behind the token; neither ever fetches a URL (api/guard.py). A query's
kg:matches patterns are answered from the search index first (kg.search.expand_matches)."""
from __future__ import annotations

import asyncio
import re

import pyoxigraph as ox

from kg.config import Settings
from kg.search import SearchError, expand_matches
from kg.stack import in_large_stack
from kg.store import Store

from .guard import Refused, prepare
from .workers import QueryError, Request, WorkerPool

__all__ = ["Engine", "QueryError"]


def check_iri(value: str) -> None:
    try:
        ox.NamedNode(value)
    except ValueError as err:
        raise QueryError(400, f"default-graph-uri and named-graph-uri need absolute IRIs: {value!r}: {err}") from None


class Engine:
    def __init__(self, store: Store, settings: Settings):
        self.store = store
        self.timeout = settings.query_timeout
        self.row_cap = settings.row_cap
        self.base = f"BASE <{settings.base_iri}>\n"  # relative IRIs ("<s>") resolve against the store's base
        location = store.reader_location()
        self.pool = (WorkerPool(location, settings.query_slots, settings.query_memory, lambda: store.version)
                     if location else None)

    def query(self, sparql: str, accept: str, default_graph: list[str] | None = None,
              named_graphs: list[str] | None = None) -> tuple[str, bytes]:
        """The query's results in the media type the client accepts: (media type, body). Blocks until the
        worker answers or the deadline passes."""
        for iri in (*(default_graph or ()), *(named_graphs or ())):
            check_iri(iri)
        if self.pool is None:
            raise QueryError(500, "this store is in memory, where no query worker can read it; "
                                  "serve a store on disk (KG_DATA) or a remote one (KG_STORE)")
        try:
            sparql = expand_matches(sparql, self.store.search)
        except SearchError as err:
            raise QueryError(400, str(err)) from None
        request = Request(self.base + sparql, accept, default_graph, named_graphs, self.store.version, self.timeout,
                          self.row_cap)
        reply = self.pool.run(request)
        if reply[0] == "error":
            raise QueryError(reply[1], self.lines_as_sent(reply[2]))
        return reply[1], reply[2]

    async def update(self, sparql: str) -> None:
        """Run a SPARQL Update in one transaction; it is never abandoned half way, so no deadline."""
        def work() -> None:
            try:
                self.store.update(prepare(self.base + sparql, update=True))
            except Refused as err:
                raise QueryError(400, str(err)) from None
            except SyntaxError as err:
                raise QueryError(400, self.lines_as_sent(f"malformed update: {err}")) from None
            self.store.flush()

        await asyncio.to_thread(in_large_stack, work)  # Oxigraph parses and runs updates recursively

    @staticmethod
    def lines_as_sent(message: str) -> str:
        """A parse error's position in the client's own text, not in the text with our BASE line."""
        return re.sub(r"error at (\d+):", lambda m: f"error at {max(1, int(m[1]) - 1)}:", message, count=1)

    def start(self) -> None:
        if self.pool is not None:
            self.pool.start()

    def close(self) -> None:
        if self.pool is not None:
            self.pool.close()

