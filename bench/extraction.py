"""Extraction throughput: `kg extract`'s pipeline next to bare spaCy `nlp.pipe` with the same
spaCy pipeline, on the same texts and cores. Prints articles/s, words/s and their ratio.

    python -m bench.extraction [FOLDER_OR_FILES ...]   (default: ../shared/data/polnear/dev/text, else seeds/)
"""
from __future__ import annotations

import sys
import time
from pathlib import Path

from kg.config import Settings
from kg.extract import Extractor
from kg.ingest import read_articles
from kg.nlp import load_pipeline

DEFAULT = [Path("../shared/data/polnear/dev/text"), Path("seeds")]


def timed(run) -> float:
    """CPU seconds of this process: other work on the machine does not count against either side."""
    start = time.process_time()
    run()
    return time.process_time() - start


def main(paths: list[Path]) -> None:
    articles = list(read_articles(paths, lambda message: print("skipped", message, file=sys.stderr)))
    texts = [a.text for a in articles]
    words = sum(len(t.split()) for t in texts)
    model = Settings.from_env().spacy_model
    bare = load_pipeline(model)
    extractor = Extractor(model)
    list(bare.pipe(texts[:2]))  # warm both up
    list(extractor.extract_many(articles[:2]))
    runs = {"spaCy nlp.pipe": [], "kg extract": []}
    for _ in range(3):  # alternate, so both see the same machine; the best of three of each
        runs["spaCy nlp.pipe"].append(timed(lambda: list(bare.pipe(texts, batch_size=16))))
        runs["kg extract"].append(timed(lambda: [e.to_json() for e in extractor.extract_many(articles)]))
    print(f"{len(articles)} articles, {words} words, pipeline {model}")
    best = {name: min(times) for name, times in runs.items()}
    for name, seconds in best.items():
        print(f"{name:16s} {seconds:7.2f} CPU s  {len(articles) / seconds:6.2f} articles/s  {words / seconds:8.0f} words/s")
    print(f"ratio kg/spaCy   {best['spaCy nlp.pipe'] / best['kg extract']:.3f}  (target >= 0.85)")


if __name__ == "__main__":
    given = [Path(p) for p in sys.argv[1:]]
    main(given or [next(p for p in DEFAULT if p.exists())])
