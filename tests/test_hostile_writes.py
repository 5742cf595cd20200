"""Writes under pressure: a full disk, a read-only folder, a batch too large, a client that leaves in the
middle of a batch, a delete behind a batch, SIGTERM during a batch."""
import errno
import os
import shutil
import signal
import socket
import subprocess
import time
from contextlib import contextmanager
from pathlib import Path

import httpx
import pytest

from conftest import KG, ROOT, SEED, api_server_app, run_kg
from test_api_safety import seed_copy
from kg.store import DiskFull
from kg.stores.oxigraph import write_error

TOKEN = "test-token-0123456789"
AUTH = {"Authorization": f"Bearer {TOKEN}"}
SEED_ID = "000_0f18a4f966cbcf2d"


def batch(n: int, prefix: str = "batch") -> list[dict]:
    return [{"id": f"{prefix}-{i}", "date": "2024-03-05",
             "text": f'"We will build {i} new schools," Mayor Ana Lopez said on Tuesday in Riverton. '
                     f'The council, she said, "will vote on plan {i} in May." Critics disagreed.'}
            for i in range(n)]


def stored_ids(url: str) -> set[str]:
    return {a["id"] for a in httpx.get(f"{url}/articles", params={"limit": 500}).json()}


def wait_for(condition, seconds: float = 30) -> None:
    deadline = time.monotonic() + seconds
    while not condition():
        assert time.monotonic() < deadline, "timed out waiting"
        time.sleep(0.05)


@pytest.fixture
def server(seed_store, extractor):
    with api_server_app(seed_copy(seed_store), extractor=extractor, api_token=TOKEN) as running:
        yield running


# --- batches ---------------------------------------------------------------------------------------

def test_a_batch_over_the_cap_is_413_and_stores_nothing(seed_store):
    with api_server_app(seed_copy(seed_store), api_token=TOKEN, max_batch=3) as (url, app, _):
        before = stored_ids(url)
        response = httpx.post(f"{url}/articles", json=batch(4), headers=AUTH)
        assert response.status_code == 413
        assert "4 articles" in response.json()["detail"] and "KG_MAX_BATCH" in response.json()["detail"]
        assert stored_ids(url) == before


def test_the_default_cap_refuses_100000_tiny_articles(seed_store):
    with api_server_app(seed_copy(seed_store), api_token=TOKEN) as (url, app, _):
        body = [{"id": f"t{i}", "text": "a"} for i in range(100_000)]
        response = httpx.post(f"{url}/articles", json=body, headers=AUTH, timeout=30)
        assert response.status_code == 413 and "more than 1000 (KG_MAX_BATCH)" in response.json()["detail"]


def post_raw(url: str, articles: list[dict]) -> socket.socket:
    """Send POST /articles on a raw socket and leave it open, unanswered."""
    import json
    host, port = url.removeprefix("http://").split(":")
    body = json.dumps(articles).encode()
    sock = socket.create_connection((host, int(port)))
    sock.sendall(b"POST /articles HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n"
                 + f"Authorization: Bearer {TOKEN}\r\nContent-Length: {len(body)}\r\n\r\n".encode() + body)
    return sock


def test_a_batch_stops_when_its_client_leaves_and_a_delete_gets_in_meanwhile(server):
    url, app, _ = server
    sock = post_raw(url, batch(1000))
    wait_for(lambda: any(i.startswith("batch-") for i in stored_ids(url)))
    start = time.monotonic()  # the batch is being ingested: a delete is not held until its end
    assert httpx.delete(f"{url}/articles/{SEED_ID}", headers=AUTH, timeout=60).status_code == 204
    assert time.monotonic() - start < 2
    sock.close()
    time.sleep(1)
    count = len(stored_ids(url))
    time.sleep(1.5)
    assert len(stored_ids(url)) == count < 1000  # it stopped after the client left
    assert not app.state.extract_lock.locked()


def test_sigterm_stops_a_batch_at_an_article_boundary(server):
    url, app, uvicorn_server = server
    answer = {}

    def post():
        answer["response"] = httpx.post(f"{url}/articles", json=batch(1000), headers=AUTH, timeout=60)

    import threading
    thread = threading.Thread(target=post)
    thread.start()
    wait_for(lambda: any(i.startswith("batch-") for i in stored_ids(url)))
    start = time.monotonic()
    uvicorn_server.handle_exit(signal.SIGTERM, None)  # what uvicorn's SIGTERM handler calls
    thread.join(10)
    assert time.monotonic() - start < 5
    response = answer["response"]
    assert response.status_code == 503
    detail = response.json()["detail"]
    assert "shutting down" in detail
    stored = [s.strip().strip('"') for s in detail.split("; stored: ")[1].split("; not stored: ")[0].split(",")]
    not_stored = [s.strip().strip('"') for s in detail.split("; not stored: ")[1].split(",")]
    assert stored and not_stored and len(stored) + len(not_stored) == 1000
    # whole articles: each stored one has its graph (its statement), none of the others is there
    store = app.state.store
    for article_id in stored[:5] + stored[-2:]:
        assert app.state.queries.article(article_id)["statements"], article_id
    graphs = set(store.graphs())
    assert not {str(app.state.queries.iris.article(i)) for i in not_stored} & graphs


# --- a full disk, by fault injection in the API ----------------------------------------------------

def test_disk_full_is_507_naming_what_was_and_was_not_stored(server):
    url, app, _ = server
    store = app.state.store
    real_update, calls = store._execute, []

    def update(sparql):
        calls.append(sparql)
        if len(calls) > 1:  # the first article fits, then the disk is full
            raise write_error(store.path, OSError("IO error: No space left on device: While appending to file: "
                                                  "000010.log: No space left on device"))
        real_update(sparql)

    store._execute = update  # every write of the store goes through it
    try:
        response = httpx.post(f"{url}/articles", json=batch(3, "full"), headers=AUTH, timeout=60)
        assert response.status_code == 507
        detail = response.json()["detail"]
        assert detail.startswith("disk full")
        assert 'stored: "full-0"; not stored: "full-1", "full-2"' in detail
        deleted = httpx.delete(f"{url}/articles/{SEED_ID}", headers=AUTH)
        assert deleted.status_code == 507 and deleted.json()["detail"].startswith("disk full")
    finally:
        store._execute = real_update
    assert httpx.get(f"{url}/articles/full-0").status_code == 200
    assert httpx.get(f"{url}/articles/full-1").status_code == 404
    assert httpx.get(f"{url}/articles/{SEED_ID}").status_code == 200


def test_write_errors_are_told_apart():
    assert isinstance(write_error(Path("d"), OSError(errno.ENOSPC, "No space left on device")), DiskFull)
    assert "read-only" in str(write_error(Path("d"), OSError("IO error: x/LOG: Read-only file system")))
    other = OSError("something else")
    assert write_error(Path("d"), other) is other


# --- a real full disk and a read-only folder: a tmpfs (needs root and mount) ------------------------

@contextmanager
def tmpfs(path: Path, size: str):
    path.mkdir(parents=True, exist_ok=True)
    mounted = subprocess.run(["mount", "-t", "tmpfs", "-o", f"size={size}", "tmpfs", str(path)],
                             capture_output=True, text=True)
    if mounted.returncode != 0:
        pytest.skip(f"cannot mount a tmpfs to fill (needs root and mount permission): {mounted.stderr.strip()}")
    try:
        yield path
    finally:
        subprocess.run(["umount", "-l", str(path)], check=False)


def write_articles(folder: Path, n: int) -> None:
    """n articles of 200 KB each, mostly long words that cost spaCy little, so the test is quick."""
    folder.mkdir()
    filler = " ".join(["abcdefghij" * 100] * 200)
    for i in range(n):
        (folder / f"big-{i}.txt").write_text(
            f'"We kept every promise," Mayor Ana Lopez said on Tuesday. Residents asked for buses {i}. {filler}')


def test_kg_ingest_on_a_full_disk_says_so_and_names_what_was_stored(tmp_path):
    from kg.stores.oxigraph import OxigraphStore

    with tmpfs(tmp_path / "disk", "8m") as disk:
        data = disk / "data"
        OxigraphStore(data).flush()  # an empty store; it is closed when it is collected
        free = shutil.disk_usage(disk).free
        (disk / "filler").write_bytes(b"\0" * max(0, free - 1_200_000))  # room for a few articles
        articles = tmp_path / "in"
        write_articles(articles, 8)
        result = run_kg("ingest", str(articles), data=data, check=False)
        assert result.returncode == 2, result.stderr
        assert "Traceback" not in result.stderr
        assert "disk full" in result.stderr
        stored = result.stderr.split("\nstored: ")[1].split("\n")[0]
        not_stored = result.stderr.split("\nnot stored: ")[1].split("\n")[0]
        assert not_stored != "none"
        stored = set() if stored == "none" else {s.strip('"') for s in stored.split(", ")}
        not_stored = {s.strip('"') for s in not_stored.split(", ")}
        assert stored | not_stored == {f"big-{i}" for i in range(8)}
        (disk / "filler").unlink()  # space again: what was reported stored is there, the rest is not
        ids = run_kg("query", "SELECT ?a WHERE { GRAPH ?a { ?a a <https://schema.org/NewsArticle> } }",
                     "-f", "csv", data=data).stdout
        present = {line.rsplit("/", 1)[1].strip() for line in ids.splitlines()[1:]}
        assert present == stored


def test_a_read_only_folder_says_so_and_is_served_read_only(tmp_path):
    with tmpfs(tmp_path / "ro", "20m") as disk:
        data = disk / "data"
        run_kg("ingest", str(SEED), data=data)
        subprocess.run(["mount", "-o", "remount,ro", str(disk)], check=True)
        result = run_kg("ingest", str(SEED), data=data, check=False)
        assert result.returncode == 2
        assert "read-only" in result.stderr and "another kg process" not in result.stderr
        refused = run_kg("serve", data=data, check=False, env={"KG_API_TOKEN": TOKEN})
        assert refused.returncode == 2 and "unset it to serve the store read-only" in refused.stderr
        with socket.socket() as s:
            s.bind(("127.0.0.1", 0))
            port = s.getsockname()[1]
        env = {**os.environ, "KG_DATA": str(data)}
        env.pop("KG_API_TOKEN", None)
        process = subprocess.Popen([str(KG), "serve", "--port", str(port)], env=env, cwd=ROOT,
                                   stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
        try:
            url = f"http://127.0.0.1:{port}"

            def up() -> bool:
                assert process.poll() is None, process.stderr.read()
                try:
                    return httpx.get(f"{url}/articles", timeout=2).status_code == 200
                except httpx.HTTPError:
                    return False

            wait_for(up)
            assert SEED_ID in stored_ids(url)
            ask = httpx.get(f"{url}/sparql", params={"query": "ASK { ?s ?p ?o }"}, timeout=30)
            assert ask.json()["boolean"] is True
        finally:
            process.terminate()
            process.wait(20)
        assert "serving it read-only" in process.stderr.read()


# --- memory per write cycle ------------------------------------------------------------------------

def test_caches_stay_bounded_over_many_write_cycles():
    """What the API keeps between requests is bounded however many writes (store versions) go by:
    the networks of the last 8 filter settings at the current version, the labels of the current
    version, 256 checked queries. (Long soak figures: bench/soak.py.)"""
    from api.guard import check, prepare
    from kg.network.cache import Networks
    from kg.network.projection import Filters
    from kg.queries import Queries
    from kg.stores.oxigraph import OxigraphStore
    from kg.vocab import Iris

    store = OxigraphStore()
    iris = Iris("https://kg.local/")
    queries, networks = Queries(store, iris), Networks(store, iris)
    for i in range(300):
        graph = str(iris.article(f"cycle-{i}"))
        store.replace_ntriples(graph, f'<{graph}> <http://www.w3.org/2004/02/skos/core#prefLabel> "n{i}" .')
        queries.labels()
        networks.get("statements", Filters(min_weight=i % 20))
        prepare(f"ASK {{ <urn:x:{i}> ?p ?o }}")
        store.delete_graph(graph)
    assert len(networks._kept) <= networks.size
    assert len({key[0] for key in networks._kept}) <= 1  # one version: older ones are dropped
    assert queries._labels is None or queries._labels[0] <= store.version
    assert check.cache_info().currsize <= 256
