"""Running SPARQL for the endpoint: off the event loop, with a deadline, a row cap, and never a URL fetched.

pyoxigraph evaluates lazily and releases the GIL while it works, so each query runs in its own
daemon thread that pulls rows and checks the deadline between them: a query that streams rows is
cut off when the deadline passes. A query stuck in one blocking step (sorting or grouping a huge
intermediate result) cannot be interrupted: its client gets the timeout error at the deadline, the
thread is abandoned and stops after that step, and it holds its slot until then, so no more than
`query_slots` queries ever run at once.
"""
from __future__ import annotations

import asyncio
import re
import threading
import time
from collections.abc import Callable, Iterable

import pyoxigraph as ox

from kg.config import Settings
from kg.store import Store

RESULT_TYPES = {
    "application/sparql-results+json": ox.QueryResultsFormat.JSON,
    "application/json": ox.QueryResultsFormat.JSON,
    "application/sparql-results+xml": ox.QueryResultsFormat.XML,
    "application/xml": ox.QueryResultsFormat.XML,
    "text/csv": ox.QueryResultsFormat.CSV,
    "text/tab-separated-values": ox.QueryResultsFormat.TSV,
}
GRAPH_TYPES = {
    "text/turtle": ox.RdfFormat.TURTLE,
    "application/n-triples": ox.RdfFormat.N_TRIPLES,
    "application/ld+json": ox.RdfFormat.JSON_LD,
    "application/rdf+xml": ox.RdfFormat.RDF_XML,
}
# What the keyword check skips: strings, IRIs and comments. Left to right, so a '#' or quote inside
# one of them never starts another.
LITERALS = re.compile(r'"""(?:[^"\\]|\\.|"(?!""))*"""|\'\'\'(?:[^\'\\]|\\.|\'(?!\'\'))*\'\'\''
                      r'|"(?:[^"\\\n]|\\.)*"|\'(?:[^\'\\\n]|\\.)*\'|<[^<>"{}|^`\\\x00-\x20]*>|#[^\n]*')
# SERVICE and LOAD as keywords, not as part of a variable, prefixed name or language tag.
REMOTE = re.compile(r"(?<![\w?$:@-])(SERVICE|LOAD)(?![\w:-])", re.IGNORECASE)

# Oxigraph parses and evaluates recursively: a query nested a few thousand levels deep, or a few
# thousand OPTIONALs long, overflows an 8 MB thread stack and kills the whole server. So query
# threads get a 64 MB stack, and a query of more than MAX_TOKENS tokens (strings, IRIs and comments
# aside) is refused: up to there, every shape we tried (nesting, OPTIONAL, UNION, operator chains,
# subqueries) runs in 64 MB, several of them needing more than 8 MB.
MAX_TOKENS = 10_000
TOKENS = re.compile(r"[\w?$:-]+|\S")
STACK_BYTES = 64 * 1024 * 1024
STACK_LOCK = threading.Lock()


class QueryError(Exception):
    def __init__(self, status: int, message: str):
        super().__init__(message)
        self.status = status
        self.message = message


def check_local(sparql: str) -> None:
    """Refuse SERVICE and LOAD (Oxigraph would fetch their URLs from this server) and queries too
    long or deeply nested for the query thread's stack."""
    code = LITERALS.sub(" ", sparql)
    found = REMOTE.search(code)
    if found:
        raise QueryError(400, f"{found.group(1).upper()} is not allowed: this endpoint never fetches URLs")
    if sum(1 for _ in zip(range(MAX_TOKENS + 1), TOKENS.finditer(code))) > MAX_TOKENS:
        raise QueryError(400, f"the query has more than {MAX_TOKENS} tokens; split it into smaller queries")


def check_iri(value: str) -> None:
    try:
        ox.NamedNode(value)
    except ValueError as err:
        raise QueryError(400, f"default-graph-uri and named-graph-uri need absolute IRIs: {value!r}: {err}") from None


def negotiate(accept: str, offered: dict) -> tuple[str, object] | None:
    """The offered media type the Accept header prefers most (highest q, then the client's order)."""
    ranges = []
    for i, part in enumerate((accept or "*/*").split(",")):
        media, *params = [p.strip() for p in part.split(";")]
        q = next((float(p[2:]) for p in params if re.fullmatch(r"q=[01](\.[0-9]{0,3})?", p)), 1.0)
        if q > 0:
            ranges.append((-q, i, media.lower()))
    for _, _, media in sorted(ranges):
        if media in ("*/*", "", "application/*", "text/*"):
            first = next((k for k in offered if media in ("*/*", "") or k.startswith(media[:-1])), None)
            if first:
                return first, offered[first]
        elif media in offered:
            return media, offered[media]
    return None


def preferred(accept: str, *media_types: str) -> str | None:
    chosen = negotiate(accept, dict.fromkeys(media_types))
    return chosen[0] if chosen else None


class Engine:
    def __init__(self, store: Store, settings: Settings):
        self.store = store
        self.timeout = settings.query_timeout
        self.row_cap = settings.row_cap
        self.slots = asyncio.Semaphore(settings.query_slots)

    async def query(self, sparql: str, accept: str, default_graph: list[str] | None = None,
                    named_graphs: list[str] | None = None) -> tuple[str, bytes]:
        """The query's results in the media type the client accepts: (media type, body)."""
        check_local(sparql)
        for iri in (*(default_graph or ()), *(named_graphs or ())):
            check_iri(iri)

        def work(deadline: float) -> tuple[str, bytes]:
            try:
                results = self.store.query(sparql, default_graph=default_graph, named_graphs=named_graphs)
            except SyntaxError as err:
                raise QueryError(400, f"malformed query: {err}") from None
            except RuntimeError as err:  # an evaluation error, such as an unbound SERVICE variable
                raise QueryError(400, f"the query failed: {err}") from None
            graph = isinstance(results, ox.QueryTriples)
            offered = GRAPH_TYPES if graph else RESULT_TYPES
            chosen = negotiate(accept, offered)
            if chosen is None:
                raise QueryError(406, f"cannot answer this query as {accept}; available: {', '.join(offered)}")
            media, fmt = chosen
            if isinstance(results, ox.QueryBoolean):
                return media, results.serialize(format=fmt)
            if graph:
                return media, ox.serialize(self.collect(results, deadline), format=fmt)
            return media, self.solutions(results, deadline).serialize(format=fmt)

        return await self.in_thread(work, self.timeout)

    async def update(self, sparql: str) -> None:
        """Run a SPARQL Update in one transaction; it is never abandoned half way, so no deadline."""
        check_local(sparql)

        def work(deadline: float) -> None:
            try:
                self.store.update(sparql)
            except SyntaxError as err:
                raise QueryError(400, f"malformed update: {err}") from None
            self.store.flush()

        await self.in_thread(work, None)

    def collect(self, items: Iterable, deadline: float) -> list:
        """All rows or triples, or a clear error past the row cap or the deadline."""
        rows = []
        for item in items:
            if len(rows) == self.row_cap:
                raise QueryError(422, f"the result has more than {self.row_cap} rows (KG_ROW_CAP); "
                                      "add a LIMIT or narrow the query")
            if time.monotonic() > deadline:
                raise self.timed_out()
            rows.append(item)
        return rows

    def solutions(self, results: ox.QuerySolutions, deadline: float) -> ox.QuerySolutions:
        """The capped rows as QuerySolutions again (through TSV, whose terms are N-Triples), so Oxigraph
        writes every results format."""
        names = [v.value for v in results.variables]
        lines = ["\t".join(f"?{n}" for n in names)]
        for row in self.collect(results, deadline):
            lines.append("\t".join("" if row[n] is None else str(row[n]) for n in names))
        return ox.parse_query_results("\n".join(lines) + "\n", format=ox.QueryResultsFormat.TSV)

    def timed_out(self) -> QueryError:
        return QueryError(503, f"the query ran longer than {self.timeout:g} s (KG_QUERY_TIMEOUT) and was "
                               "stopped; narrow it or add a LIMIT")

    async def in_thread(self, work: Callable[[float], object], timeout: float | None):
        """work(deadline) in a daemon thread, holding a slot until the thread ends."""
        start = time.monotonic()
        deadline = start + (timeout if timeout is not None else float("inf"))
        try:
            async with asyncio.timeout(timeout):
                await self.slots.acquire()
        except TimeoutError:
            raise QueryError(503, "the server is busy with other queries; try again later") from None
        loop = asyncio.get_running_loop()
        done = loop.create_future()

        def finish(outcome: tuple[object, BaseException | None]) -> None:
            self.slots.release()
            if not done.done():
                result, error = outcome
                done.set_exception(error) if error else done.set_result(result)

        def run() -> None:
            try:
                outcome = (work(deadline), None)
            except Exception as error:  # handed to the request, without the frames: pyoxigraph results
                error.__traceback__ = error.__context__ = error.__cause__ = None  # must die in this thread
                outcome = (None, error)
            try:
                loop.call_soon_threadsafe(finish, outcome)
            except RuntimeError:  # the server stopped while this query ran
                pass

        with STACK_LOCK:  # the stack size applies to threads started while it is set
            default = threading.stack_size(STACK_BYTES)
            try:
                threading.Thread(target=run, daemon=True, name="sparql").start()
            finally:
                threading.stack_size(default)
        try:
            return await asyncio.wait_for(done, None if timeout is None else deadline - time.monotonic())
        except TimeoutError:
            raise self.timed_out() from None
