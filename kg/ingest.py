"""Articles in, named graphs out: read, skip what the store holds already, extract, build the
graph, replace it in the store.

Articles flow in chunks, so memory stays flat however many there are: a chunk's content hashes
are looked up in one query, its articles are extracted (here, or by worker processes or a Dask
cluster: kg/parallel.py) into N-Triples, and this process writes them to the store in order.
A bad input is reported with its file (and line) and skipped; the rest of the batch goes on.
"""
from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from contextlib import AbstractContextManager, nullcontext
from dataclasses import dataclass, field
from itertools import islice
from pathlib import Path
from typing import Protocol

from .background import stored_facts
from .extract import Extractor
from .graph import article_ntriples, content_hash
from .model import Article, Extraction
from .reader import ReadError, find_files, read_located, unique_ids
from .store import DiskFull, Store
from .vocab import Iris

CHUNK = 32  # articles per unit of work: one hash lookup, one task for a worker


@dataclass
class Report:
    ingested: int = 0
    unchanged: int = 0
    triples: int = 0
    failed: list[str] = field(default_factory=list)
    stored: list[str] = field(default_factory=list)  # the ids of the articles written, in order
    stopped: str | None = None  # why the batch stopped before its end: the disk is full, the server stops
    not_stored: list[str] = field(default_factory=list)  # when stopped: ids neither stored, unchanged nor failed

    def summary(self) -> str:
        text = (f"{self.ingested} ingested, {self.unchanged} unchanged (same content already in the store), "
                f"{len(self.failed)} failed")
        if self.stopped:
            text += f", {len(self.not_stored)} not stored"
        return text


@dataclass
class ArticleGraph:
    """One article's graph as N-Triples: what extraction hands to the store, across processes."""
    iri: str
    file: str
    ntriples: str = ""
    error: str | None = None  # why extraction failed; then there are no triples
    id: str = ""  # the article's id

    @property
    def triples(self) -> int:
        return self.ntriples.count("\n")


class Runner(Protocol):
    """Extracts chunks of articles somewhere and answers their graphs, chunk by chunk, in order;
    close() lets go of what it holds (processes, a cluster connection)."""
    def map(self, chunks: Iterable[list[Article]], base_iri: str) -> Iterator[list[ArticleGraph]]: ...

    def close(self) -> None: ...


def to_graph(extraction: Extraction, iris: Iris) -> ArticleGraph:
    return ArticleGraph(str(iris.article(extraction.article.id)), extraction.article.file,
                        article_ntriples(extraction, iris), id=extraction.article.id)


def extract_graphs(extractor: Extractor, articles: list[Article], iris: Iris) -> list[ArticleGraph]:
    """The articles' graphs; an article the extractor fails on is reported, not the whole chunk."""
    try:
        return [to_graph(x, iris) for x in extractor.extract_many(articles)]
    except Exception as err:  # noqa: BLE001  (any failure inside spaCy or our components)
        if len(articles) > 1:
            return [g for a in articles for g in extract_graphs(extractor, [a], iris)]
        return [ArticleGraph(str(iris.article(articles[0].id)), articles[0].file,
                             error=f"extraction failed: {type(err).__name__}: {err}", id=articles[0].id)]


@dataclass
class InProcess:
    """Extraction in this process; with a store, each chunk's roles are resolved with the role
    facts the store holds by then (kg/background.py), and with the chunk's own."""
    extractor: Extractor
    store: Store | None = None

    def map(self, chunks: Iterable[list[Article]], base_iri: str) -> Iterator[list[ArticleGraph]]:
        iris = Iris(base_iri)
        self.extractor.source_of = lambda article: str(iris.article(article.id))
        try:
            for chunk in chunks:
                self.extractor.known = stored_facts(self.store) if self.store is not None else []
                yield extract_graphs(self.extractor, chunk, iris)
        finally:  # the extractor is shared (the API keeps one): no facts of this store stay on it
            self.extractor.known = []

    def close(self) -> None:
        """Nothing to let go of: the pipeline stays loaded for the next run."""


def read_articles(paths: Iterable[Path], on_error: Callable[[str], None]) -> Iterator[Article]:
    """The batch's articles; a bad input goes to on_error, and so does an article whose id an
    earlier one of the batch has (two files a/x.txt and b/x.txt, an id twice in a feed): the first
    is kept, as the second would replace it in the store."""
    return unique_ids(read_located_files(paths, on_error), on_error)


def read_located_files(paths: Iterable[Path], on_error: Callable[[str], None]) -> Iterator[tuple[str, Article]]:
    for path in find_files(list(paths)):
        try:
            yield from read_located(path, on_error)
        except ReadError as err:
            on_error(str(err))
        except OSError as err:
            on_error(f"{path}: {err.strerror or err}")


def chunked(items: Iterable, size: int) -> Iterator[list]:
    iterator = iter(items)
    while chunk := list(islice(iterator, size)):
        yield chunk


def ingest(articles: Iterable[Article], store: Store, runner: Runner, iris: Iris,
           report: Report, force: bool = False,
           on_done: Callable[[ArticleGraph], None] = lambda graph: None,
           stop: Callable[[], str | None] = lambda: None,
           write_lock: AbstractContextManager = nullcontext(), chunk: int = CHUNK) -> Report:
    """Extract (with InProcess(extractor), Workers or DaskWorkers) and store each article whose
    content the store does not hold already.

    Each article is written whole, under `write_lock` (so other writers interleave between
    articles); `stop()` is asked before each one and answers why to stop (the client left, the
    server shuts down) or None. A full disk stops the batch too. Then report.stopped says why and
    report.not_stored names the articles of the batch neither stored, unchanged nor failed; the
    ones written before stay stored."""
    seen: list[str] = []
    settled: set[str] = set()  # stored, unchanged or failed

    def read(items: Iterable[Article]) -> Iterator[Article]:
        for article in items:
            seen.append(article.id)
            yield article

    def changed(chunks: Iterator[list[Article]]) -> Iterator[list[Article]]:
        for batch in chunks:
            if stopping():
                return
            stored = {} if force else store.content_hashes(str(iris.article(a.id)) for a in batch)
            todo = [a for a in batch if stored.get(str(iris.article(a.id))) != content_hash(a.text)]
            report.unchanged += len(batch) - len(todo)
            todo_ids = {a.id for a in todo}
            settled.update(a.id for a in batch if a.id not in todo_ids)
            if todo:
                yield todo

    def stopping() -> bool:
        if report.stopped is None:
            report.stopped = stop()
        return report.stopped is not None

    articles = iter(articles)
    try:
        for graphs in runner.map(changed(chunked(read(articles), chunk)), iris.base):
            for graph in graphs:
                if stopping():
                    break
                with write_lock:
                    write(store, graph, report)
                settled.add(graph.id)
                on_done(graph)
            if report.stopped:
                break
        store.flush()
    except DiskFull as err:
        report.stopped = str(err)
    if report.stopped:
        seen.extend(a.id for a in articles)  # the rest of the batch, read only to be named
        report.not_stored = [i for i in seen if i not in settled]
    return report


def write(store: Store, graph: ArticleGraph, report: Report) -> None:
    if graph.error:
        report.failed.append(f"{graph.file}: {graph.error}")
        return
    try:
        store.replace_ntriples(graph.iri, graph.ntriples)
    except (OSError, ValueError, SyntaxError) as err:
        report.failed.append(f"{graph.file}: {err}")
        return
    report.ingested += 1
    report.triples += graph.triples
    report.stored.append(graph.id)
