"""Extraction in parallel: worker processes on this machine (kg ingest --workers N) or the
workers of a Dask cluster (kg ingest --dask tcp://scheduler:8786).

Each worker process loads the spaCy pipeline once and keeps it; the process that ingests sends
chunks of articles, keeps a bounded number in flight (memory stays flat), and gets the chunks'
graphs back in order, as N-Triples, to write to the store itself.
"""
from __future__ import annotations

import multiprocessing
import threading
from collections import deque
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import Future, ProcessPoolExecutor
from functools import cache

from .extract import Extractor
from .ingest import ArticleGraph, extract_graphs
from .model import Article
from .vocab import Iris

LOCK = threading.Lock()  # one extraction at a time per process (a Dask worker may run tasks in threads)


@cache
def worker_extractor(model: str) -> Extractor:
    """The pipeline of this process, loaded on first use."""
    return Extractor(model)


def extract_chunk(articles: list[Article], model: str, base_iri: str) -> list[ArticleGraph]:
    with LOCK:
        return extract_graphs(worker_extractor(model), articles, Iris(base_iri))


def in_order(submit: Callable[[list[Article]], Future], chunks: Iterable[list[Article]],
             window: int) -> Iterator[list[ArticleGraph]]:
    """Results of the chunks in their order, with at most `window` chunks in flight."""
    pending: deque[Future] = deque()
    for chunk in chunks:
        pending.append(submit(chunk))
        if len(pending) >= window:
            yield pending.popleft().result()
    while pending:
        yield pending.popleft().result()


class Workers:
    """N worker processes on this machine."""

    def __init__(self, n: int, model: str):
        self.n, self.model = n, model
        # spawn: a clean process, not a fork of one holding the store's threads and locks
        self.pool = ProcessPoolExecutor(n, mp_context=multiprocessing.get_context("spawn"),
                                        initializer=worker_extractor, initargs=(model,))

    def map(self, chunks: Iterable[list[Article]], base_iri: str) -> Iterator[list[ArticleGraph]]:
        return in_order(lambda chunk: self.pool.submit(extract_chunk, chunk, self.model, base_iri),
                        chunks, 2 * self.n)

    def close(self) -> None:
        self.pool.shutdown(cancel_futures=True)


class DaskWorkers:
    """The workers of a running Dask cluster (dask.distributed); kg must be installed on them."""

    def __init__(self, address: str, model: str):
        from distributed import Client

        self.client = Client(address, timeout=30)
        self.model = model
        self.n = max(1, len(self.client.nthreads()))

    def map(self, chunks: Iterable[list[Article]], base_iri: str) -> Iterator[list[ArticleGraph]]:
        return in_order(lambda chunk: self.client.submit(extract_chunk, chunk, self.model, base_iri, pure=False),
                        chunks, 2 * self.n)

    def close(self) -> None:
        self.client.close()
