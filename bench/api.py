"""`make bench-api`: throughput and p50 / p99 latency of GET /statements and of a who-said-what-about-whom
SPARQL query, with concurrent clients on loopback against `kg serve`, on the seed graph and on a
synthetic graph of about a million quads; then the same query in rdflib's in-memory engine.

    python -m bench.api [--quads 1000000] [--clients 8] [--requests 1000]
"""
from __future__ import annotations

import argparse
import asyncio
import os
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import httpx

from bench import percentile
from bench.synthetic import fill
from kg.store import Store
from kg.stores.oxigraph import OxigraphStore
from kg.vocab import Iris

ROOT = Path(__file__).resolve().parent.parent
KG = Path(sys.executable).parent / "kg"
WHO_SAID_ABOUT = """PREFIX schema: <https://schema.org/>
PREFIX skos: <http://www.w3.org/2004/02/skos/core#>
SELECT ?speaker ?text ?date WHERE {
  GRAPH ?article {
    ?target skos:prefLabel %s .
    ?q schema:about ?target ;
       schema:creator/skos:prefLabel ?speaker ;
       schema:text ?text .
    OPTIONAL { ?q schema:dateCreated ?date }
  }
} ORDER BY DESC(?date) ?speaker LIMIT 20"""
TOP_TARGETS = """PREFIX schema: <https://schema.org/> PREFIX skos: <http://www.w3.org/2004/02/skos/core#>
SELECT ?name (COUNT(?q) AS ?n) WHERE { GRAPH ?g { ?q schema:about/skos:prefLabel ?name } } GROUP BY ?name ORDER BY DESC(?n) LIMIT 20"""
TOP_SPEAKERS = TOP_TARGETS.replace("schema:about", "schema:creator")


def literal(name: str) -> str:
    return '"' + name.replace("\\", "\\\\").replace('"', '\\"') + '"'


class Server:
    """`kg serve` on a free loopback port, over the store in `data`."""

    def __init__(self, data: Path):
        with socket.socket() as s:
            s.bind(("127.0.0.1", 0))
            self.url = f"http://127.0.0.1:{s.getsockname()[1]}"
        port = self.url.rsplit(":", 1)[1]
        self.process = subprocess.Popen([str(KG), "serve", "--port", port], env={**os.environ, "KG_DATA": str(data)},
                                        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        for _ in range(300):
            try:
                httpx.get(f"{self.url}/openapi.json", timeout=1)
                return
            except httpx.TransportError:
                time.sleep(0.1)
        raise RuntimeError("kg serve did not start")

    def names(self, query: str) -> list[str]:
        r = httpx.get(f"{self.url}/sparql", params={"query": query}, headers={"Accept": "application/json"})
        return [b["name"]["value"] for b in r.json()["results"]["bindings"]]

    def stop(self) -> None:
        self.process.terminate()
        self.process.wait(10)


async def load(requests: list[tuple[str, dict]], clients: int) -> tuple[float, list[float]]:
    """Send the GET requests with `clients` concurrent connections: (seconds, latencies in ms)."""
    latencies: list[float] = []
    queue = list(reversed(requests))
    async with httpx.AsyncClient(limits=httpx.Limits(max_connections=clients), timeout=60) as client:
        async def worker() -> None:
            while queue:
                url, params = queue.pop()
                start = time.perf_counter()
                r = await client.get(url, params=params, headers={"Accept": "application/json"})
                latencies.append((time.perf_counter() - start) * 1000)
                if r.status_code != 200:
                    raise RuntimeError(f"{url} {params}: {r.status_code} {r.text[:200]}")

        start = time.perf_counter()
        await asyncio.gather(*(worker() for _ in range(clients)))
        return time.perf_counter() - start, latencies


def measure(server: Server, clients: int, n: int) -> dict[str, dict]:
    targets, speakers = server.names(TOP_TARGETS), server.names(TOP_SPEAKERS)
    workloads = {
        "GET /statements?speaker=": [(f"{server.url}/statements", {"speaker": speakers[i % len(speakers)], "limit": 20})
                                     for i in range(n)],
        "SPARQL who said what about X": [(f"{server.url}/sparql",
                                          {"query": WHO_SAID_ABOUT % literal(targets[i % len(targets)])})
                                         for i in range(n)],
    }
    results = {}
    for name, requests in workloads.items():
        asyncio.run(load(requests[:50], clients))  # warm up
        for c in (clients, 1):
            seconds, latencies = asyncio.run(load(requests, c))
            results[f"{name} ({c} client{'s' if c > 1 else ''})"] = {
                "rps": n / seconds, "p50": percentile(latencies, 50), "p99": percentile(latencies, 99)}
    results["targets"] = targets
    return results


def rdflib_ms(nquads: bytes, targets: list[str], runs: int) -> tuple[float, float]:
    """rdflib's in-memory engine on the same quads and query: (load seconds, median ms per query)."""
    from rdflib import Dataset

    start = time.perf_counter()
    dataset = Dataset(default_union=True)
    dataset.parse(data=nquads, format="nquads")
    loaded = time.perf_counter() - start
    times = []
    for i in range(runs):
        start = time.perf_counter()
        rows = list(dataset.query(WHO_SAID_ABOUT % literal(targets[i % len(targets)])))
        times.append((time.perf_counter() - start) * 1000)
        assert rows, "rdflib found nothing"
    return loaded, statistics.median(times)


def oxigraph_ms(store: Store, targets: list[str], runs: int) -> float:
    times = []
    for i in range(runs):
        start = time.perf_counter()
        list(store.query(WHO_SAID_ABOUT % literal(targets[i % len(targets)])))
        times.append((time.perf_counter() - start) * 1000)
    return statistics.median(times)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--quads", type=int, default=1_000_000)
    parser.add_argument("--clients", type=int, default=4)
    parser.add_argument("--requests", type=int, default=1000)
    parser.add_argument("--rdflib-runs", type=int, default=5)
    args = parser.parse_args()
    work = Path(tempfile.mkdtemp(prefix="kg-bench-"))
    try:
        seed = work / "seed"
        subprocess.run([str(KG), "ingest", str(ROOT / "seeds")], env={**os.environ, "KG_DATA": str(seed)},
                       check=True, capture_output=True)
        synthetic = work / "synthetic"
        start = time.perf_counter()
        store = OxigraphStore(synthetic)
        articles = fill(store, Iris(os.environ.get("KG_BASE_IRI", "https://kg.local/")), args.quads)
        print(f"generated {articles} synthetic articles, {len(store)} quads in {time.perf_counter() - start:.0f} s",
              flush=True)
        del store  # the server owns the store from here

        rows, comparison = [], []
        for label, data in (("seed", seed), ("synthetic", synthetic)):
            server = Server(data)
            try:
                results = measure(server, args.clients, args.requests)
            finally:
                server.stop()
            store = OxigraphStore(data)
            quads = len(store)
            for name, r in results.items():
                if name != "targets":
                    rows.append((label, quads, name, r))
            ox_ms = oxigraph_ms(store, results["targets"], 50)
            print(f"loading {quads} quads into rdflib ...", flush=True)
            loaded, rdf_ms = rdflib_ms(store.export("nquads"), results["targets"], args.rdflib_runs)
            del store
            comparison.append((label, quads, results["SPARQL who said what about X (1 client)"]["p50"], ox_ms, rdf_ms,
                               loaded))

        print(f"\n{args.requests} requests per row, loopback, one server process\n")
        print(f"{'graph':10} {'quads':>9}  {'endpoint':41} {'req/s':>7} {'p50 ms':>7} {'p99 ms':>7}")
        for label, quads, name, r in rows:
            print(f"{label:10} {quads:>9}  {name:41} {r['rps']:>7.0f} {r['p50']:>7.1f} {r['p99']:>7.1f}")
        print("\nthe SPARQL query, median ms: over HTTP (one client), in-process Oxigraph, rdflib in memory\n")
        print(f"{'graph':10} {'quads':>9}  {'HTTP p50':>8} {'Oxigraph':>8} {'rdflib':>9}  {'rdflib / HTTP':>13}"
              f"  {'rdflib / Oxigraph':>17}")
        for label, quads, http_ms, ox_ms, rdf_ms, loaded in comparison:
            print(f"{label:10} {quads:>9}  {http_ms:>8.1f} {ox_ms:>8.2f} {rdf_ms:>9.1f}  {rdf_ms / http_ms:>12.0f}x"
                  f"  {rdf_ms / ox_ms:>16.0f}x   (rdflib loaded in {loaded:.0f} s)")
    finally:
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
