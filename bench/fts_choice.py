"""Why the search index is SQLite FTS5 and not tantivy: both on the statements of one store, timed.

Reads every statement's text from a store's search index (build one with `kg reindex`), then for
each engine: the time to index them all, the size on disk, and the median ms of a top-20 ranked
search with its total, for one word and for a phrase. tantivy is not one of kg's dependencies:

    .venv/bin/pip install tantivy && .venv/bin/python -m bench.fts_choice tmp/bench/synthetic-10000000
"""
from __future__ import annotations

import sqlite3
import statistics
import sys
import tempfile
import time
from pathlib import Path

from kg.search import match_expression

QUERIES = ["budget", '"harbour figures"']


def median_ms(run, n: int = 30) -> float:
    run()
    times = []
    for _ in range(n):
        start = time.perf_counter()
        run()
        times.append((time.perf_counter() - start) * 1000)
    return statistics.median(times)


def size(folder: Path) -> int:
    return sum(f.stat().st_size for f in folder.rglob("*") if f.is_file())


def fts5(texts: list[str], folder: Path) -> dict:
    start = time.perf_counter()
    db = sqlite3.connect(folder / "fts5.sqlite")
    db.execute("CREATE VIRTUAL TABLE t USING fts5(text, tokenize='unicode61 remove_diacritics 2')")
    db.executemany("INSERT INTO t(text) VALUES (?)", ((t,) for t in texts))
    db.commit()
    built = time.perf_counter() - start

    def search(words: str):
        match = match_expression(words)
        return (db.execute("SELECT COUNT(*) FROM t WHERE t MATCH ?", (match,)).fetchone(),
                db.execute("SELECT rowid FROM t WHERE t MATCH ? ORDER BY rank LIMIT 20", (match,)).fetchall())
    return {"build s": built, "MiB": size(folder) / 2**20, **{q: median_ms(lambda q=q: search(q)) for q in QUERIES}}


def tantivy_engine(texts: list[str], folder: Path) -> dict:
    import tantivy

    builder = tantivy.SchemaBuilder()
    builder.add_text_field("text", stored=False)
    schema = builder.build()
    start = time.perf_counter()
    index = tantivy.Index(schema, path=str(folder))
    writer = index.writer()
    for text in texts:
        writer.add_document(tantivy.Document(text=text))
    writer.commit()
    writer.wait_merging_threads()
    index.reload()
    built = time.perf_counter() - start
    searcher = index.searcher()

    def search(words: str):
        query = index.parse_query(words, ["text"])
        return searcher.search(query, 20, count=True)
    return {"build s": built, "MiB": size(folder) / 2**20, **{q: median_ms(lambda q=q: search(q)) for q in QUERIES}}


def main() -> None:
    data = Path(sys.argv[1])
    texts = [r[0] for r in sqlite3.connect(f"file:{data / 'search.sqlite'}?mode=ro", uri=True).execute(
        "SELECT text FROM statements")]
    print(f"{len(texts)} statements from {data}\n")
    print(f"{'engine':8} {'build s':>8} {'MiB':>6}" + "".join(f" {q + ' ms':>22}" for q in QUERIES))
    for name, engine in (("fts5", fts5), ("tantivy", tantivy_engine)):
        with tempfile.TemporaryDirectory() as folder:
            try:
                r = engine(texts, Path(folder))
            except ImportError:
                print(f"{name:8} not installed (pip install tantivy)")
                continue
            print(f"{name:8} {r['build s']:>8.1f} {r['MiB']:>6.0f}" + "".join(f" {r[q]:>22.2f}" for q in QUERIES))


if __name__ == "__main__":
    main()
