"""The HTTP API under hostile requests: schemathesis against its own OpenAPI spec finds no 5xx, hostile
SPARQL is refused or cut off while other requests are answered, every write needs the token, no CORS."""
import socket
import tempfile
import threading
import time
from pathlib import Path

from dataclasses import replace

import httpx
import pyoxigraph as ox
import pytest
import schemathesis
from hypothesis import HealthCheck, settings
from schemathesis.checks import not_a_server_error

from api.app import create_app
from conftest import api_server, slow_request_alongside
from kg.config import Settings
from kg.stores.oxigraph import OxigraphStore
from test_api_safety import AUTH, TOKEN, seed_copy

CARTESIAN = "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i }"  # ~10^13 rows, one blocking step


@schemathesis.serializer("application/sparql-query", "application/sparql-update")
def sparql_text(ctx, value) -> bytes:
    return value if isinstance(value, bytes) else str(value).encode("utf-8")


# The app is built at import, for schemathesis to read its spec; the seed is loaded into it by `app`.
APP = create_app(OxigraphStore(Path(tempfile.mkdtemp(prefix="kg-hostile-"))), replace(Settings.from_env(), api_token=TOKEN, query_timeout=2.0, row_cap=500))
schema = schemathesis.openapi.from_asgi("/openapi.json", APP)


@pytest.fixture(scope="module")
def app(seed_store, extractor):
    APP.state.store.load(OxigraphStore(seed_store, read_only=True).export("nquads"), format=ox.RdfFormat.N_QUADS)
    APP.state.extractor = extractor  # POST /articles extracts with the session's pipeline
    return APP


@schema.parametrize()
@settings(max_examples=8, deadline=None, suppress_health_check=list(HealthCheck))
def test_schemathesis_finds_no_server_error(app, case):
    case.call_and_validate(headers=AUTH, checks=[not_a_server_error])


@pytest.fixture(scope="module")
def server(seed_store):
    with api_server(seed_copy(seed_store), api_token=TOKEN, query_timeout=1.5, row_cap=1000) as url:
        yield url


def listener():
    """A TCP socket on loopback that records whether anything connected to it."""
    sock = socket.socket()
    sock.bind(("127.0.0.1", 0))
    sock.listen()
    sock.settimeout(0.2)
    hits = []

    def accept():
        try:
            hits.append(sock.accept())
        except OSError:
            pass
    thread = threading.Thread(target=accept, daemon=True)
    thread.start()
    return sock, hits


@pytest.mark.parametrize("template", [
    "SELECT * WHERE {{ SERVICE <{url}> {{ ?s ?p ?o }} }}",
    "select * where {{ service silent <{url}> {{ ?s ?p ?o }} }}",
    "SELECT * WHERE {{ BIND(<{url}> AS ?x) SERVICE ?x {{ ?s ?p ?o }} }}",
    "PREFIX s: <{url}> SELECT * WHERE {{ SeRvIcE s: {{ ?s ?p ?o }} }}",
])
def test_service_to_any_address_is_refused_and_nothing_is_fetched(server, template):
    sock, hits = listener()
    url = f"http://127.0.0.1:{sock.getsockname()[1]}/sparql"
    r = httpx.post(f"{server}/sparql", data={"query": template.format(url=url)})
    time.sleep(0.3)
    sock.close()
    assert r.status_code == 400 and "SERVICE is not allowed" in r.json()["detail"]
    assert hits == []


def test_load_and_writes_without_the_token_are_refused(server):
    sock, hits = listener()
    url = f"http://127.0.0.1:{sock.getsockname()[1]}/data.ttl"
    assert httpx.post(f"{server}/sparql", data={"update": f"LOAD <{url}>"}, headers=AUTH).status_code == 400
    for update in (f"LOAD <{url}>", 'INSERT DATA { <urn:a> <urn:b> "c" }', "CLEAR ALL", "DROP ALL"):
        r = httpx.post(f"{server}/sparql", data={"update": update})
        assert r.status_code == 401, update
        r = httpx.post(f"{server}/sparql", content=update, headers={"Content-Type": "application/sparql-update"})
        assert r.status_code == 401, update
    time.sleep(0.3)
    sock.close()
    assert hits == []
    # an update smuggled in as a query is not run
    r = httpx.get(f"{server}/sparql", params={"query": 'INSERT DATA { <urn:a> <urn:b> "c" }'})
    assert r.status_code == 400
    assert httpx.get(f"{server}/sparql", params={"query": "ASK { <urn:a> ?p ?o }"}).json()["boolean"] is False
    assert httpx.post(f"{server}/articles", json={"text": "Ann Lee said it rained."}).status_code == 401
    assert httpx.delete(f"{server}/articles/000_0f18a4f966cbcf2d").status_code == 401
    assert httpx.get(f"{server}/articles/000_0f18a4f966cbcf2d").status_code == 200


def test_every_write_endpoint_needs_the_token(server):
    """Every operation in the spec other than a read answers 401 without the token, so a new one cannot
    forget it (POST /sparql runs queries without it, updates with it)."""
    spec = httpx.get(f"{server}/openapi.json").json()
    writes = {(method, path) for path, ops in spec["paths"].items() for method in ops if method not in ("get", "head")}
    assert writes == {("post", "/sparql"), ("post", "/articles"), ("delete", "/articles/{article_id}")}
    for method, path in writes:
        kwargs = {"data": {"update": "CLEAR ALL"}} if path == "/sparql" else {"json": {"text": "Ann Lee said so."}}
        if method == "delete":
            kwargs = {}
        url = server + path.replace("{article_id}", "000_0f18a4f966cbcf2d")
        for headers in ({}, {"Authorization": "Bearer wrong"}, {"Authorization": f"Basic {TOKEN}"}):
            r = httpx.request(method, url, headers=headers, **kwargs)
            assert r.status_code == 401, (method, path, headers)
    assert httpx.get(f"{server}/articles/000_0f18a4f966cbcf2d").status_code == 200


def test_cartesian_product_is_cut_off_while_others_are_answered(server):
    def cheap_query():
        assert httpx.get(f"{server}/sparql", params={"query": "ASK { ?s ?p ?o }"}).json()["boolean"] is True

    def rest_call():
        assert httpx.get(f"{server}/articles").status_code == 200

    response, seconds = slow_request_alongside(
        lambda: httpx.post(f"{server}/sparql", data={"query": CARTESIAN}, timeout=30), [cheap_query, rest_call],
        wait=0.2)
    assert response.status_code == 503 and "KG_QUERY_TIMEOUT" in response.json()["detail"]
    assert seconds < 3
    r = httpx.get(f"{server}/sparql", params={"query": "SELECT * { ?a ?b ?c . ?d ?e ?f }"})
    assert r.status_code == 422 and "KG_ROW_CAP" in r.json()["detail"]


def test_a_10_mb_query_is_refused(server):
    huge = "ASK { ?s ?p ?o } #" + "x" * 10_000_000
    r = httpx.post(f"{server}/sparql", content=huge, headers={"Content-Type": "application/sparql-query"}, timeout=30)
    assert r.status_code == 413 and "KG_MAX_BODY" in r.json()["detail"]
    r = httpx.post(f"{server}/sparql", data={"query": huge}, timeout=30)
    assert r.status_code == 413
    assert raw_get_status(server, "/sparql?query=" + "x" * 10_000_000) in ("400", "414", "431", "closed")
    assert httpx.get(f"{server}/sparql", params={"query": "ASK { ?s ?p ?o }"}).json()["boolean"] is True


@pytest.mark.parametrize("query", [  # each overflowed the stack of Oxigraph's thread and killed the server
    "SELECT * WHERE { " + " ".join(f"OPTIONAL {{ ?s <urn:p{i}> ?o{i} }}" for i in range(10_000)) + " }",
    "SELECT * WHERE " + "{" * 100_000 + " ?s ?p ?o " + "}" * 100_000,
    "ASK { ?s ?p ?o FILTER(" + "!" * 100_001 + "true) }",
    "ASK { ?s ?p ?o FILTER(" + "+".join(["1"] * 100_000) + ") }",
])
def test_deep_queries_cost_one_worker_and_the_server_lives(server, query):
    r = httpx.post(f"{server}/sparql", content=query, headers={"Content-Type": "application/sparql-query"}, timeout=30)
    assert r.status_code in (400, 503) and "internal" not in r.text
    assert httpx.get(f"{server}/sparql", params={"query": "ASK { ?s ?p ?o }"}, timeout=30).json()["boolean"] is True


def test_updates_too_long_for_the_server_are_refused(server):
    update = "INSERT { <urn:a> <urn:b> 1 } WHERE { " + " ".join(f"OPTIONAL {{ ?s <urn:p{i}> ?o{i} }}" for i in range(10_000)) + " }"
    r = httpx.post(f"{server}/sparql", data={"update": update}, headers=AUTH)
    assert r.status_code == 400 and "more than 50000 tokens" in r.json()["detail"]
    r = httpx.post(f"{server}/sparql", data={"update": "INSERT { <urn:a> <urn:b> 1 } WHERE " + "{" * 10_000 + "}" * 10_000},
                   headers=AUTH)
    assert r.status_code == 204  # deep, but within the update thread's stack
    assert httpx.get(f"{server}/sparql", params={"query": "ASK { ?s ?p ?o }"}).json()["boolean"] is True


def test_long_but_shallow_queries_still_run(server):
    """Nesting that overflows an 8 MB thread stack runs on the query worker's 64 MB one."""
    for query in ("SELECT * WHERE " + "{" * 4_900 + " ?s ?p ?o " + "}" * 4_900 + " LIMIT 1",
                  "ASK { ?s ?p ?o FILTER(" + "!" * 9_990 + "true) }"):
        r = httpx.post(f"{server}/sparql", content=query, headers={"Content-Type": "application/sparql-query"})
        assert r.status_code == 200, r.text


def raw_get_status(server: str, target: str) -> str:
    """The status of a GET too long for httpx to send, or 'closed' if the server hung up on it."""
    host, port = server.removeprefix("http://").split(":")
    with socket.create_connection((host, int(port)), timeout=10) as conn:
        try:
            conn.sendall(f"GET {target} HTTP/1.1\r\nHost: {host}\r\n\r\n".encode())
            status = conn.recv(100).split(b" ")[1].decode()
        except (OSError, IndexError):
            return "closed"
    return status


def test_cors_is_off_by_default(server):
    origin = {"Origin": "https://evil.example"}
    r = httpx.get(f"{server}/sparql", params={"query": "ASK { ?s ?p ?o }"}, headers=origin)
    assert r.status_code == 200 and "access-control-allow-origin" not in r.headers
    r = httpx.options(f"{server}/sparql", headers={**origin, "Access-Control-Request-Method": "POST",
                                                    "Access-Control-Request-Headers": "authorization"})
    assert "access-control-allow-origin" not in r.headers
