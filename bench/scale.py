"""`make bench`: in one run on this machine, on a synthetic corpus (bench/corpus.py),
  1. extraction throughput of kg extract next to bare spaCy nlp.pipe (bench/extraction.py),
  2. kg ingest into the embedded store with --workers 1 and 2 (articles/s, words/s, triples/s,
     the speed-up),
  3. --workers 2 into Virtuoso at two corpus sizes (peak memory should stay flat), and a Dask
     LocalCluster (2 workers) feeding Virtuoso,
  4. store ingest without NLP (triples/s) and SPARQL latency p50/p99 at about 1M triples, on the
     embedded store and on Virtuoso.
Each ingest runs in its own process, so its peak memory is its own. The machine's load average is
printed next to the numbers: other processes on the same cores slow the parallel runs most.

    python -m bench.scale [--articles 256] [--triples 1000000]
"""
from __future__ import annotations

import argparse
import json
import os
import platform
import random
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import psutil  # installed with dask.distributed

from bench import percentile
from bench.corpus import write
from kg.config import Settings
from kg.ingest import InProcess, Report, ingest, read_articles
from kg.store import Store
from kg.stores.oxigraph import OxigraphStore
from kg.vocab import Iris

ROOT = Path(__file__).resolve().parent.parent
PER_FILE = 128
EXTRACT_FILES = 1  # articles for the kg/spaCy ratio: one file of PER_FILE
LATENCY_RUNS = 30  # per query kind
WORDS = ("railway", "harbour", "budget", "residents", "jobs", "strike", "review", "bridge")


def load() -> str:
    return "load average " + " ".join(f"{x:.2f}" for x in os.getloadavg())


def peak_mb(who: int) -> float:
    return resource.getrusage(who).ru_maxrss / 1024  # kilobytes on Linux


def cpu_seconds() -> float:
    """CPU time of this process and its live descendants (the workers), whatever the machine's load."""
    processes = [psutil.Process(), *psutil.Process().children(recursive=True)]
    total = 0.0
    for process in processes:
        try:
            times = process.cpu_times()
            total += times.user + times.system
        except psutil.NoSuchProcess:
            pass
    return total


# --- one ingest, in a child process --------------------------------------------------------
def ingest_child(files: list[Path], data: Path, workers: int, dask: bool, store_url: str | None) -> dict:
    from kg.extract import Extractor
    from kg.parallel import DaskWorkers, Workers
    from kg.stores.sparql import SparqlStore

    settings = Settings.from_env()
    store: Store = SparqlStore(store_url) if store_url else OxigraphStore(data)
    words = sum(len(a.text.split()) for a in read_articles(files, print))
    cluster = None
    if dask:
        from distributed import LocalCluster
        cluster = LocalCluster(n_workers=workers, threads_per_worker=1, processes=True, dashboard_address=None)
        runner = DaskWorkers(cluster.scheduler_address, settings.spacy_model)
    elif workers > 1:
        runner = Workers(workers, settings.spacy_model)
    else:
        runner = InProcess(Extractor(settings.spacy_model))
    # warm up: every worker loads its pipeline before the clock starts
    warm = [[a] for a, _ in zip(read_articles(files, print), range(2 * workers))]
    list(runner.map(warm, settings.base_iri))
    before, cpu = load(), cpu_seconds()
    start = time.perf_counter()
    report = ingest(read_articles(files, print), store, runner, Iris(settings.base_iri), Report(), force=True)
    seconds = time.perf_counter() - start
    after, cpu = load(), cpu_seconds() - cpu
    runner.close()
    if cluster is not None:
        cluster.close()
    return {"articles": report.ingested, "failed": len(report.failed), "words": words, "triples": report.triples,
            "seconds": seconds, "cpu": cpu, "load_before": before, "load_after": after,
            "peak_mb": peak_mb(resource.RUSAGE_SELF), "worker_peak_mb": peak_mb(resource.RUSAGE_CHILDREN)}


def run_child(*args: str) -> dict:
    result = subprocess.run([sys.executable, "-m", "bench.scale", "--child", *args], cwd=ROOT,
                            capture_output=True, text=True)
    if result.returncode != 0:
        raise SystemExit(f"bench child {' '.join(args)} failed:\n{result.stderr[-3000:]}")
    return json.loads(result.stdout.strip().splitlines()[-1])


def print_ingest(name: str, r: dict) -> None:
    s = r["seconds"]
    print(f"  {name:34s} {r['articles']:5d} articles {s:7.1f} s  {r['articles'] / s:6.2f} articles/s "
          f"{r['words'] / s:7.0f} words/s {r['triples'] / s:8.0f} triples/s  peak {r['peak_mb']:.0f} MB"
          + (f" (largest worker {r['worker_peak_mb']:.0f} MB)" if r["worker_peak_mb"] else "")
          + f"  [{r['load_before']}; 1-min load after {r['load_after'].split()[2]}]")


# --- store without NLP, and query latency ----------------------------------------------------
def article_graphs(data: Path) -> list[tuple[str, str]]:
    store = OxigraphStore(data, read_only=True)
    return [(g, store.export("ntriples", graph=g).decode()) for g in sorted(store.graphs())]


def replicas(graphs: list[tuple[str, str]], triples: int):
    """Copies of the extracted graphs until `triples` are reached. Each copy has new article ids
    and its own people and organisations (roles and places stay shared), so that how often an
    actor recurs is what it is in the corpus, not multiplied by the copies."""
    base = Iris(Settings.from_env().base_iri).base
    total, r = 0, 0
    while total < triples:
        for iri, body in graphs:
            old = iri.rsplit("/", 1)[1]
            new = f"{old}-r{r}"
            for kind in ("person", "org"):
                body = body.replace(f"<{base}{kind}/", f"<{base}{kind}/r{r}-")
            yield iri.replace(old, new), body.replace(old, new)
            total += body.count("\n")
            if total >= triples:
                return
        r += 1


def fill(store: Store, graphs, triples: int) -> tuple[int, float]:
    """Writes the replicas; prints this process's memory at each quarter (the embedded store's
    caches live here)."""
    count, start, quarter = 0, time.perf_counter(), 1
    memory = []
    for iri, body in replicas(graphs, triples):
        store.replace_ntriples(iri, body)
        count += body.count("\n")
        if count >= quarter * triples / 4:
            memory.append(f"{count / 1e6:.2f}M: {psutil.Process().memory_info().rss / 2**20:.0f} MB")
            quarter += 1
    store.flush()
    seconds = time.perf_counter() - start
    print(f"    resident memory of this process while filling: {', '.join(memory)}")
    return count, seconds


def latency_queries(graphs: list[tuple[str, str]], rng: random.Random) -> dict[str, list[str]]:
    """Typical questions, each with parameters drawn from what the corpus holds."""
    first = list(replicas(graphs, sum(body.count("\n") for _, body in graphs)))  # the first copy
    text = "\n".join(body for _, body in first)
    people = sorted({line.split()[2] for line in text.splitlines() if "<https://schema.org/creator>" in line})
    orgs = sorted({line.split()[2] for line in text.splitlines() if "<http://www.w3.org/ns/org#organization>" in line})
    articles = [f"<{iri}>" for iri, _ in first]
    prefixes = ("PREFIX schema: <https://schema.org/> PREFIX org: <http://www.w3.org/ns/org#> "
                "PREFIX skos: <http://www.w3.org/2004/02/skos/core#> ")
    pick = lambda items: [rng.choice(items) for _ in range(LATENCY_RUNS)]  # noqa: E731
    return {
        "statements of a speaker": [prefixes + f"SELECT ?text ?article WHERE {{ ?q schema:creator {p} ; "
                                    "schema:text ?text ; schema:isBasedOn ?article } LIMIT 100" for p in pick(people)],
        "roles of a person": [prefixes + f"SELECT DISTINCT ?role ?org WHERE {{ ?m org:member {p} ; org:role/skos:prefLabel ?role "
                              ". OPTIONAL { ?m org:organization/skos:prefLabel ?org } }" for p in pick(people)],
        "an article's own triples": [f"SELECT ?p ?o WHERE {{ {a} ?p ?o }}" for a in pick(articles)],
        "who speaks in an organisation": [prefixes + f"SELECT ?who (COUNT(DISTINCT ?q) AS ?n) WHERE {{ ?m org:organization "
                                          f"{o} ; org:member ?p . ?q schema:creator ?p . ?p skos:prefLabel ?who }} "
                                          "GROUP BY ?who ORDER BY DESC(?n) LIMIT 10" for o in pick(orgs)],
        "quotes with a word (LIMIT 20)": [prefixes + "SELECT ?q ?text WHERE { ?q a schema:Quotation ; schema:text ?text "
                                         f'FILTER (CONTAINS(LCASE(?text), "{w}")) }} LIMIT 20' for w in pick(WORDS)],
        "top 10 speakers (all statements)": [prefixes + "SELECT ?p (COUNT(?q) AS ?n) WHERE { ?q schema:creator ?p } "
                                             "GROUP BY ?p ORDER BY DESC(?n) LIMIT 10"] * 5,
    }


def measure_latency(store: Store, queries: dict[str, list[str]]) -> None:
    every = []
    for kind, texts in queries.items():
        times, rows = [], 0
        for text in texts:
            start = time.perf_counter()
            rows += len(list(store.query(text)))
            times.append((time.perf_counter() - start) * 1000)
        every += times
        print(f"    {kind:32s} p50 {percentile(times, 50):8.1f} ms  p99 {percentile(times, 99):8.1f} ms  "
              f"({len(times)} runs, {rows / len(times):.0f} rows on average)")
    print(f"    {'all queries':32s} p50 {percentile(every, 50):8.1f} ms  p99 {percentile(every, 99):8.1f} ms  ({len(every)} runs)")


def store_bench(data: Path, triples: int, work: Path, virtuoso: bool) -> None:
    graphs = article_graphs(data)
    queries = latency_queries(graphs, random.Random(7))
    print(f"\n4. Store without NLP: {len(graphs)} extracted article graphs copied under new ids to ~{triples:,} triples")
    embedded = OxigraphStore(work / "oxigraph-1m")
    count, seconds = fill(embedded, graphs, triples)
    print(f"  embedded Oxigraph: {count:,} triples in {seconds:.1f} s = {count / seconds:,.0f} triples/s; "
          f"store holds {len(embedded):,} quads [{load()}]")
    print("  SPARQL latency, embedded Oxigraph:")
    measure_latency(embedded, queries)
    if not virtuoso:
        return
    sys.path.insert(0, str(ROOT / "tests"))
    from virtuoso import Virtuoso

    from kg.stores.sparql import SparqlStore
    with Virtuoso(work / "virtuoso-1m", buffers=100_000) as server:
        remote = SparqlStore(server.url, timeout=120)
        count, seconds = fill(remote, graphs, triples)
        print(f"  Virtuoso over HTTP: {count:,} triples in {seconds:.1f} s = {count / seconds:,.0f} triples/s; "
              f"store holds {len(remote):,} quads [{load()}]")
        print("  SPARQL latency, Virtuoso over HTTP (kg's SparqlStore, results parsed):")
        measure_latency(remote, queries)


def main(articles: int, triples: int) -> None:
    started = time.perf_counter()
    settings = Settings.from_env()
    have_virtuoso = shutil.which("virtuoso-t") is not None and shutil.which("isql-vt") is not None
    print(f"kg bench: {os.cpu_count()} cores, {platform.python_version()}, pipeline {settings.spacy_model}, {load()}")
    with tempfile.TemporaryDirectory(prefix="kg-bench-") as tmp:
        work = Path(tmp)
        files = write(work / "corpus", 2 * articles, per_file=PER_FILE)
        half = files[:max(1, articles // PER_FILE)]
        print(f"corpus: {2 * articles} synthetic articles in {len(files)} files of {PER_FILE} (bench/corpus.py)\n")

        print(f"1. Extraction throughput on {EXTRACT_FILES * PER_FILE} articles (bench/extraction.py)", flush=True)
        subprocess.run([sys.executable, "-m", "bench.extraction", *map(str, files[:EXTRACT_FILES])], cwd=ROOT, check=True)

        print("\n2. kg ingest into the embedded store (pipeline loaded and warm before the clock starts)", flush=True)
        one = run_child("--workers", "1", "--data", str(work / "w1"), *map(str, half))
        print_ingest(f"--workers 1, {len(half) * PER_FILE} articles", one)
        two = run_child("--workers", "2", "--data", str(work / "w2"), *map(str, half))
        print_ingest(f"--workers 2, {len(half) * PER_FILE} articles", two)
        print(f"  speed-up --workers 2 / --workers 1: {one['seconds'] / two['seconds']:.2f}x (target >= 1.7 on 2 free cores)")
        per_one, per_two = one["cpu"] / one["articles"], two["cpu"] / two["articles"]
        print(f"  CPU time per article (all processes): {per_one * 1000:.0f} ms with 1 worker, {per_two * 1000:.0f} ms "
              f"with 2, so on 2 idle cores the speed-up would be {2 * per_one / per_two:.2f}x")

        if have_virtuoso:
            print("\n3. Into Virtuoso over SPARQL Update: memory at two corpus sizes (no store cache in the "
                  "ingesting process), and a Dask LocalCluster of 2 worker processes", flush=True)
            sys.path.insert(0, str(ROOT / "tests"))
            from virtuoso import Virtuoso
            with Virtuoso(work / "virtuoso-ingest") as server:
                remote = ("--store", server.url, "--data", str(work / "unused"))
                small = run_child("--workers", "2", *remote, *map(str, half))
                print_ingest(f"--workers 2, {len(half) * PER_FILE} articles", small)
                big = run_child("--workers", "2", *remote, *map(str, files))
                print_ingest(f"--workers 2, {len(files) * PER_FILE} articles", big)
                dask = run_child("--dask", "--workers", "2", *remote, *map(str, half))
                print_ingest(f"Dask 2 workers, {len(half) * PER_FILE} articles", dask)
            print(f"  peak memory at {len(files) * PER_FILE} vs {len(half) * PER_FILE} articles: ingesting process "
                  f"{big['peak_mb']:.0f} vs {small['peak_mb']:.0f} MB, largest worker {big['worker_peak_mb']:.0f} vs "
                  f"{small['worker_peak_mb']:.0f} MB")
        else:
            print("\n3. skipped: no virtuoso-t (apt-get install virtuoso-opensource)")

        store_bench(work / "w2", triples, work, have_virtuoso)
    print(f"\nbench peak memory (this process, 1M-triple stores included): {peak_mb(resource.RUSAGE_SELF):.0f} MB; "
          f"total {time.perf_counter() - started:.0f} s; {load()}")


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description="kg benchmarks (make bench)")
    parser.add_argument("--articles", type=int, default=256, help="articles per ingest run (twice that for the memory check)")
    parser.add_argument("--triples", type=int, default=1_000_000, help="store size for the latency test")
    parser.add_argument("--child", action="store_true", help=argparse.SUPPRESS)
    parser.add_argument("--workers", type=int, default=1, help=argparse.SUPPRESS)
    parser.add_argument("--dask", action="store_true", help=argparse.SUPPRESS)
    parser.add_argument("--store", default=None, help=argparse.SUPPRESS)
    parser.add_argument("--data", type=Path, help=argparse.SUPPRESS)
    parser.add_argument("files", nargs="*", type=Path, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        print(json.dumps(ingest_child(args.files, args.data, args.workers, args.dask, args.store)))
    else:
        main(args.articles, args.triples)
