"""`make bench-search`: the search index (kg/search.py) against the SPARQL scan it replaces, on
synthetic stores of about 1M and 10M quads (bench/synthetic.py).

For each size: p50 / p99 of GET /statements?text= (a word, a phrase), GET /actors?name= (a
prefix) and unfiltered GET /statements, with 1 and 4 clients, from `kg serve` with the index and
with KG_SEARCH=off (the SPARQL scan), side by side; the index's build time and size. Then store
writes per second with and without the index.

Generated stores are kept under --cache (tmp/bench/synthetic-<quads>), so a second run skips the
generation (10M quads: about 10 minutes).

    python -m bench.search [--quads 1000000 10000000] [--requests 400] [--scan-requests 20]
"""
from __future__ import annotations

import argparse
import asyncio
import os
import random
import shutil
import tempfile
import time
from pathlib import Path

from bench import percentile
from bench.api import Server, load
from bench.synthetic import actors, article, fill
from kg.graph import article_ntriples
from kg.search import remove_index
from kg.stores.oxigraph import SEARCH_FILE, OxigraphStore
from kg.vocab import Iris

ROOT = Path(__file__).resolve().parent.parent
IRIS = Iris(os.environ.get("KG_BASE_IRI", "https://kg.local/"))
WORDS = ["budget", "harbour", "reforms", "families", "promised", "report"]
PHRASES = ['"harbour figures"', '"new rules"', '"best on offer"', '"kept its word"']
PREFIXES = ["Okaf", "Lindq", "Morea", "Halvor", "Kovalen", "Nakash"]


def synthetic_store(cache: Path, quads: int) -> Path:
    data = cache / f"synthetic-{quads}"
    if not (data / "oxigraph").exists():
        start = time.perf_counter()
        store = OxigraphStore(data, search=False)
        n = fill(store, IRIS, quads)
        print(f"generated {n} synthetic articles, {len(store)} quads in {time.perf_counter() - start:.0f} s",
              flush=True)
        del store
    return data


def build_index(data: Path) -> tuple[float, int]:
    """Seconds to build the index from the store, and its size in bytes."""
    remove_index(data / SEARCH_FILE)
    start = time.perf_counter()
    store = OxigraphStore(data)  # builds it on opening
    seconds = time.perf_counter() - start
    store.search.db.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    del store
    return seconds, (data / SEARCH_FILE).stat().st_size


def workloads(url: str, n: int) -> dict[str, list[tuple[str, dict]]]:
    return {
        "?text= one word": [(f"{url}/statements", {"text": WORDS[i % len(WORDS)], "limit": 20}) for i in range(n)],
        "?text= a phrase": [(f"{url}/statements", {"text": PHRASES[i % len(PHRASES)], "limit": 20}) for i in range(n)],
        "/actors?name= a prefix": [(f"{url}/actors", {"name": PREFIXES[i % len(PREFIXES)], "limit": 20})
                                   for i in range(n)],
        "/statements, no filter": [(f"{url}/statements", {"limit": 20, "offset": 20 * (i % 5)}) for i in range(n)],
    }


def measure(data: Path, n: int, search: bool) -> dict[tuple[str, int], tuple[float, float]]:
    """(workload, clients): (p50, p99) in ms, from `kg serve` on `data` with or without the index."""
    os.environ["KG_SEARCH"] = "on" if search else "off"
    server = Server(data)
    try:
        results = {}
        for name, requests in workloads(server.url, n).items():
            asyncio.run(load(requests[:max(4, n // 10)], 4))  # warm up
            for clients in (1, 4):
                _, latencies = asyncio.run(load(requests, clients))
                results[name, clients] = (percentile(latencies, 50), percentile(latencies, 99))
        return results
    finally:
        server.stop()
        os.environ.pop("KG_SEARCH", None)


def write_rate(articles: int, rounds: int = 3) -> tuple[float, float]:
    """Articles written per second into a new store on disk, with the index and without (best of rounds)."""
    rng = random.Random(11)
    cast = actors(rng, 400)
    graphs = [(str(IRIS.article(x.article.id)), article_ntriples(x, IRIS))
              for x in (article(i, rng, cast) for i in range(articles))]
    best = {True: 0.0, False: 0.0}
    for _ in range(rounds):
        for search in (True, False):
            folder = Path(tempfile.mkdtemp(prefix="kg-bench-writes-"))
            try:
                store = OxigraphStore(folder, search=search)
                start = time.perf_counter()
                for iri, ntriples in graphs:
                    store.replace_ntriples(iri, ntriples)
                store.flush()
                best[search] = max(best[search], articles / (time.perf_counter() - start))
                del store
            finally:
                shutil.rmtree(folder, ignore_errors=True)
    return best[True], best[False]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--quads", type=int, nargs="+", default=[1_000_000, 10_000_000])
    parser.add_argument("--requests", type=int, default=400, help="requests per row, from the index")
    parser.add_argument("--scan-requests", type=int, default=20, help="requests per row, by the SPARQL scan")
    parser.add_argument("--writes", type=int, default=500, help="articles per write-rate round")
    parser.add_argument("--cache", type=Path, default=ROOT / "tmp" / "bench")
    args = parser.parse_args()

    table = []
    for quads in args.quads:
        data = synthetic_store(args.cache, quads)
        seconds, size = build_index(data)
        store = OxigraphStore(data, read_only=True)
        stored, counts = len(store), store.search.counts()
        del store
        print(f"{stored} quads: index of {counts['statements']} statements and {counts['names']} names built in "
              f"{seconds:.0f} s, {size / 2**20:.0f} MiB", flush=True)
        index = measure(data, args.requests, search=True)
        scan = measure(data, args.scan_requests, search=False)
        table += [(stored, name, clients, index[name, clients], scan[name, clients]) for name, clients in index]

    print(f"\nms on loopback, one kg serve; index: {args.requests} requests per row, scan: {args.scan_requests}\n")
    print(f"{'quads':>10}  {'request':24} {'clients':>7}  {'index p50':>9} {'p99':>7}  {'scan p50':>9} {'p99':>8}"
          f"  {'p50 speed-up':>12}")
    for quads, name, clients, (i50, i99), (s50, s99) in table:
        print(f"{quads:>10}  {name:24} {clients:>7}  {i50:>9.1f} {i99:>7.1f}  {s50:>9.1f} {s99:>8.1f}"
              f"  {s50 / i50:>11.0f}x")
    with_index, without = write_rate(args.writes)
    print(f"\nstore writes: {with_index:.0f} articles/s with the index, {without:.0f} without "
          f"({with_index / without:.2f} of it)")


if __name__ == "__main__":
    main()
