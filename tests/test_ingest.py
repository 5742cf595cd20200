"""Ingest at scale: worker processes, a Dask cluster feeding a remote store, resuming, and the
kg command against a remote store. Each run must store exactly the triples of a local run."""
import pytest
from distributed import Client, LocalCluster

from bench.corpus import write
from conftest import ARTICLES, run_kg

OWN = [str(ARTICLES / "council.txt"), str(ARTICLES / "feed.jsonl")]  # three articles
from kg.parallel import worker_extractor
from kg.stores.sparql import SparqlStore


def nquads(data, store: str | None = None) -> set[str]:
    text = run_kg("export", "-f", "nquads", data=data, env=store_env(store)).stdout
    return set(text.splitlines())


def store_env(url: str | None) -> dict:
    return {"KG_STORE": f"sparql+{url}"} if url else {}


def clear(url: str) -> None:
    store = SparqlStore(url)
    for graph in list(store.graphs()):
        store.delete_graph(graph)


@pytest.fixture(scope="module")
def corpus(tmp_path_factory):
    """70 synthetic articles in two files: three chunks of work."""
    folder = tmp_path_factory.mktemp("corpus")
    write(folder, 70, per_file=35)
    return folder


@pytest.fixture(scope="module")
def local(corpus, tmp_path_factory) -> set[str]:
    data = tmp_path_factory.mktemp("local")
    assert "70 ingested" in run_kg("ingest", str(corpus), data=data).stderr
    return nquads(data)


def test_workers_resume_an_interrupted_run_and_store_what_a_local_run_does(corpus, local, tmp_path):
    assert "35 ingested" in run_kg("ingest", str(corpus / "part-00000.jsonl"), data=tmp_path).stderr
    result = run_kg("ingest", "--workers", "2", str(corpus), data=tmp_path)
    assert "35 ingested, 35 unchanged" in result.stderr
    assert nquads(tmp_path) == local


def test_a_dask_cluster_feeds_a_remote_store_the_triples_of_a_local_run(corpus, local, virtuoso, tmp_path):
    env = store_env(virtuoso.url)
    with LocalCluster(n_workers=2, threads_per_worker=1, processes=True, dashboard_address=None) as cluster, \
            Client(cluster) as client:
        result = run_kg("ingest", "--dask", cluster.scheduler_address, str(corpus), data=tmp_path, env=env)
        loads = client.run(lambda: worker_extractor.cache_info().misses)
    try:
        assert "70 ingested" in result.stderr
        assert nquads(tmp_path, virtuoso.url) == local
        assert set(loads.values()) <= {0, 1} and sum(loads.values()) >= 1  # three chunks, one load per worker
    finally:
        clear(virtuoso.url)


def test_kg_commands_on_a_remote_store(virtuoso, tmp_path):
    env = store_env(virtuoso.url)
    try:
        assert "3 ingested" in run_kg("ingest", *OWN, data=tmp_path, env=env).stderr
        assert "0 ingested, 3 unchanged" in run_kg("ingest", *OWN, data=tmp_path, env=env).stderr
        assert "articles       3" in run_kg("stats", data=tmp_path, env=env).stdout
        q = "SELECT ?who WHERE { ?q <https://schema.org/creator>/<http://www.w3.org/2004/02/skos/core#prefLabel> ?who }"
        assert "Helen Ortiz" in run_kg("query", q, "-f", "csv", data=tmp_path, env=env).stdout
        assert run_kg("delete", "council", data=tmp_path, env=env).stdout.strip() == "deleted council"
        assert "articles       2" in run_kg("stats", data=tmp_path, env=env).stdout
        assert "invalid query" in run_kg("query", "SELECT WHERE {", data=tmp_path, env=env, check=False).stderr
    finally:
        clear(virtuoso.url)
    down = run_kg("stats", data=tmp_path, env=store_env("http://127.0.0.1:9/sparql"), check=False)
    assert down.returncode == 2 and "cannot reach the SPARQL endpoint http://127.0.0.1:9/sparql" in down.stderr
