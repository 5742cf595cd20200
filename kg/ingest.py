"""Articles in, named graphs out: read, extract, build the graph, replace it in the store.

A bad input is reported with its file (and line) and skipped; the rest of the batch goes on.
"""
from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

from .extract import Extractor
from .graph import article_graph, content_hash
from .model import Article, Extraction
from .reader import ReadError, find_files, read_path
from .store import Store
from .vocab import Iris


@dataclass
class Report:
    ingested: int = 0
    unchanged: int = 0
    failed: list[str] = field(default_factory=list)

    def summary(self) -> str:
        return (f"{self.ingested} ingested, {self.unchanged} unchanged (same content already in the store), "
                f"{len(self.failed)} failed")


def read_articles(paths: Iterable[Path], on_error: Callable[[str], None]) -> Iterator[Article]:
    for path in find_files(list(paths)):
        try:
            yield from read_path(path, on_error)
        except ReadError as err:
            on_error(str(err))
        except OSError as err:
            on_error(f"{path}: {err.strerror or err}")


def ingest(articles: Iterable[Article], store: Store, extractor: Extractor, iris: Iris,
           report: Report, force: bool = False, on_done: Callable[[Extraction], None] = lambda x: None) -> Report:
    """Extract and store each article whose content the store does not hold already."""
    def changed(article: Article) -> bool:
        if force or store.content_hash(str(iris.article(article.id))) != content_hash(article.text):
            return True
        report.unchanged += 1
        return False

    for extraction in extractor.extract_many(a for a in articles if changed(a)):
        try:
            store.replace_graph(article_graph(extraction, iris))
            report.ingested += 1
        except (OSError, ValueError, SyntaxError) as err:
            report.failed.append(f"{extraction.article.file}: {err}")
        on_done(extraction)
    store.flush()
    return report
