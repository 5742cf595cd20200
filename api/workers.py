"""SPARQL queries in worker processes, one per query slot, so that a query can always be stopped.

Oxigraph cannot interrupt a query inside one blocking step (sorting or grouping a huge
intermediate result), grows without bound while it works, and crashes on a query nested deeper
than its stack. So each query runs in a worker process that opens the store read-only, with a
limit on its address space (KG_QUERY_MEMORY). At the deadline the worker is killed and a fresh one
takes its place; a worker that dies (out of memory, a crash inside Oxigraph) is replaced the same
way. Either costs one worker, never the server, its memory or its other slots.

A worker reopens the store when the server's store version changes, so it reads every write
acknowledged before the query was sent.
"""
from __future__ import annotations

import os
import queue
import resource
import socket
import subprocess
import sys
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from multiprocessing.connection import Connection

import pyoxigraph as ox

from .formats import GRAPH_TYPES, RESULT_TYPES, negotiate
from .guard import Refused, prepare

STACK_BYTES = 64 * 1024 * 1024  # Oxigraph parses and evaluates recursively: deep queries need it
START_TIMEOUT = 120.0  # seconds a new worker may take to import and open the store
TIMED_OUT = "timed out"


class QueryError(Exception):
    """A query answered with an HTTP error: status and a message for the client."""

    def __init__(self, status: int, message: str):
        super().__init__(message)
        self.status = status
        self.message = message


@dataclass(frozen=True)
class Request:
    sparql: str
    accept: str
    default_graph: list[str] | None
    named_graphs: list[str] | None
    version: int | None  # the store's version when the query was sent; None: reopen never helps
    timeout: float
    row_cap: int


def timed_out(timeout: float) -> QueryError:
    return QueryError(503, f"the query ran longer than {timeout:g} s (KG_QUERY_TIMEOUT) and was stopped; "
                           "narrow it or add a LIMIT")


class Worker:
    """One worker process and the pipe to it."""

    def __init__(self, location: str, memory: int | None, version: int | None):
        ours, theirs = socket.socketpair()
        self.conn = Connection(ours.detach())
        # A process of its own (python -m api.workers), not multiprocessing's spawn, which would
        # import the server's whole __main__ again in every worker.
        env = {**os.environ, "PYTHONPATH": os.pathsep.join(p for p in sys.path if p)}
        self.process = subprocess.Popen(
            [sys.executable, "-m", "api.workers", str(theirs.fileno()), location, str(memory or 0),
             "" if version is None else str(version)], pass_fds=(theirs.fileno(),), env=env, stdin=subprocess.DEVNULL)
        theirs.close()
        try:
            ready = self.conn.poll(START_TIMEOUT) and self.conn.recv() == "ready"
        except (EOFError, OSError):  # it could not open the store: it said why on stderr
            ready = False
        if not ready:
            self.kill()
            raise RuntimeError("a SPARQL worker did not start")

    def call(self, request: Request, deadline: float):
        """The worker's reply; TIMED_OUT past the deadline, None if the worker died."""
        try:
            self.conn.send(request)
            if not self.conn.poll(max(0.0, deadline - time.monotonic())):
                return TIMED_OUT
            return self.conn.recv()
        except (EOFError, OSError):
            return None  # it died

    def alive(self) -> bool:
        return self.process.poll() is None

    def kill(self) -> None:
        self.process.kill()
        self.process.wait()
        self.conn.close()


class WorkerPool:
    """`size` workers, started on the first query; a query waits for an idle one until its deadline.
    Callers block (the API calls from its thread pool), so the pool serves any event loop."""

    def __init__(self, location: str, size: int, memory: int | None, version: Callable[[], int | None]):
        self.location = location
        self.size = size
        self.memory = memory
        self.version = version  # the store's version now
        self.idle: queue.Queue[Worker] = queue.Queue()
        self.workers: set[Worker] = set()
        self.lock = threading.Lock()
        self.starting = 0  # workers being started
        self.generation = 0  # a worker started before the last close() is not kept
        self.started = False

    def start(self) -> None:
        """Start the workers, unless they are; the server calls it at startup, a first query otherwise."""
        with self.lock:
            if self.started:
                return
            self.started = True
        for _ in range(self.size):
            self.start_worker()

    def run(self, request: Request):
        """The worker's reply: ("ok", media, body) or ("error", status, message)."""
        self.start()
        worker = self.idle_worker(request.timeout)
        deadline = time.monotonic() + request.timeout
        reply = worker.call(request, deadline)
        if reply is TIMED_OUT or reply is None:
            self.retire(worker)
            if reply is TIMED_OUT:
                raise timed_out(request.timeout)
            raise QueryError(503, "the query needed more memory than a query may use (KG_QUERY_MEMORY), or "
                                  "crashed the query engine, and was stopped; narrow it")
        with self.lock:
            kept = worker in self.workers  # not since a close()
        self.idle.put(worker) if kept else worker.kill()
        return reply

    def idle_worker(self, timeout: float) -> Worker:
        """An idle worker, waited for up to `timeout` while all are busy, and longer while one starts."""
        deadline = time.monotonic() + timeout
        while True:
            try:
                worker = self.idle.get(timeout=0.1)
            except queue.Empty:
                if time.monotonic() > deadline and (self.starting == 0 or time.monotonic() > deadline + START_TIMEOUT):
                    raise QueryError(503, "the server is busy with other queries; try again later") from None
                continue
            if worker.alive():
                return worker
            self.retire(worker)  # it died idle (killed from outside): not a query's doing

    def retire(self, worker: Worker) -> None:
        """Kill the worker and start another in its place."""
        with self.lock:
            self.workers.discard(worker)
        worker.kill()
        self.start_worker()

    def start_worker(self) -> None:
        """A new worker, started in the background, joins the idle ones when it is ready."""
        def start() -> None:
            try:
                while generation == self.generation:
                    try:
                        worker = Worker(self.location, self.memory, self.version())
                    except (RuntimeError, OSError):  # the store is being written, or the machine is busy
                        time.sleep(0.5)
                        continue
                    with self.lock:
                        if generation != self.generation:
                            worker.kill()
                            return
                        self.workers.add(worker)
                    self.idle.put(worker)
                    return
            finally:
                with self.lock:
                    self.starting -= 1

        with self.lock:
            self.starting += 1
            generation = self.generation
        threading.Thread(target=start, daemon=True, name="sparql-worker-start").start()

    def close(self) -> None:
        """Stop every worker; a later query starts them again."""
        with self.lock:
            self.generation += 1
            self.started = False
            workers, self.workers = self.workers, set()
            self.idle = queue.Queue()
        for worker in workers:
            worker.kill()


# --- in the worker process ---------------------------------------------------------------------

def main(fd: str, location: str, memory: str, version: str) -> None:
    """A worker process: answer queries on the connection `fd` until it closes."""
    serve(Connection(int(fd)), location, int(memory) or None, int(version) if version else None)


def serve(conn, location: str, memory: int | None, version: int | None) -> None:
    """The worker's loop, in a thread with a large stack."""
    sys.setrecursionlimit(20_000)  # rdflib's parser recurses per nesting level; the stack allows it
    threading.stack_size(STACK_BYTES)
    thread = threading.Thread(target=answer_all, args=(conn, location, memory, version), name="sparql")
    thread.start()
    thread.join()


def answer_all(conn, location: str, memory: int | None, version: int | None) -> None:
    import rdflib.plugins.sparql.parser  # noqa: F401  (the guard's parser, built before the first query)

    from kg.store import open_reader

    store = open_reader(location)
    if memory:  # once the imports and the store's own buffers are in place
        resource.setrlimit(resource.RLIMIT_AS, (memory, memory))
    conn.send("ready")
    while True:
        try:
            request = conn.recv()
        except (EOFError, OSError):
            return
        try:
            if request.version != version:
                store, version = reopen(location), request.version
            reply = ("ok", *answer(store, request))
        except QueryError as err:
            reply = ("error", err.status, err.message)
        except MemoryError:
            reply = ("error", 503, "the query needed more memory than a query may use (KG_QUERY_MEMORY); narrow it")
        except Exception:  # noqa: BLE001  (the client gets our words, the worker lives on)
            reply = ("error", 500, "the query could not be answered: internal error")
        conn.send(reply)


def reopen(location: str):
    """The store as it is now; while a write holds it (opening fails for a moment), a few tries."""
    from kg.store import StoreError, open_reader

    for _ in range(20):
        try:
            return open_reader(location)
        except (StoreError, OSError, RuntimeError):
            time.sleep(0.05)
    raise QueryError(503, "the store is being written; try again in a moment")


def answer(store, request: Request) -> tuple[str, bytes]:
    deadline = time.monotonic() + request.timeout
    try:
        sparql = prepare(request.sparql)
        results = store.query(sparql, default_graph=request.default_graph, named_graphs=request.named_graphs)
    except Refused as err:
        raise QueryError(400, str(err)) from None
    except SyntaxError as err:
        from kg.store import syntax_message
        raise QueryError(400, f"malformed query: {syntax_message(request.sparql, err)}") from None
    except (RuntimeError, OSError) as err:  # an evaluation error, such as an unbound SERVICE variable
        raise QueryError(400, f"the query failed: {err}") from None
    graph = isinstance(results, ox.QueryTriples)
    offered = GRAPH_TYPES if graph else RESULT_TYPES
    chosen = negotiate(request.accept, offered)
    if chosen is None:
        raise QueryError(406, f"cannot answer this query as {request.accept}; available: {', '.join(offered)}")
    media, fmt = chosen
    if isinstance(results, ox.QueryBoolean):
        return media, results.serialize(format=fmt)
    rows = collect(results, deadline, request)
    if graph:
        return media, ox.serialize(rows, format=fmt)
    return media, solutions(results.variables, rows).serialize(format=fmt)


def collect(items, deadline: float, request: Request) -> list:
    """All rows or triples, or a clear error past the row cap or the deadline."""
    rows = []
    for item in items:
        if len(rows) == request.row_cap:
            raise QueryError(422, f"the result has more than {request.row_cap} rows (KG_ROW_CAP); "
                                  "add a LIMIT or narrow the query")
        if time.monotonic() > deadline:
            raise timed_out(request.timeout)
        rows.append(item)
    return rows


def solutions(variables, rows: list):
    """The capped rows as QuerySolutions again (through TSV, whose terms are N-Triples), so Oxigraph
    writes every results format."""
    names = [v.value for v in variables]
    lines = ["\t".join(f"?{n}" for n in names)]
    for row in rows:
        lines.append("\t".join("" if row[n] is None else str(row[n]) for n in names))
    return ox.parse_query_results("\n".join(lines) + "\n", format=ox.QueryResultsFormat.TSV)


if __name__ == "__main__":
    main(*sys.argv[1:])
