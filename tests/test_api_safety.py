"""The HTTP API's safety on a real server: writes only with the token, runaway queries stopped while
other requests are answered, the row cap, the body size limit."""
import json
import tempfile
import time
from pathlib import Path

import httpx
import pyoxigraph as ox
import pytest

from conftest import ARTICLES, api_server, slow_request_alongside, warm_workers
from kg.store import Store
from kg.stores.oxigraph import OxigraphStore

TOKEN = "test-token-0123456789"
AUTH = {"Authorization": f"Bearer {TOKEN}"}
# Every combination of three triples, hashed: a row now and then, never finishing in time.
RUNAWAY = """SELECT ?a WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i
  FILTER (STRSTARTS(SHA512(CONCAT(STR(?c), STR(?f), STR(?i))), "0000")) }"""


def seed_copy(seed_store) -> Store:
    """A store of its own on disk holding the seed graph, for tests that write (SPARQL query workers
    read the store from disk)."""
    store = OxigraphStore(Path(tempfile.mkdtemp(prefix="kg-seed-copy-")))
    store.load(OxigraphStore(seed_store, read_only=True).export("nquads"), format=ox.RdfFormat.N_QUADS)
    store.flush()
    return store


@pytest.fixture(scope="module")
def limited(seed_store):
    with api_server(seed_copy(seed_store), query_timeout=1.5, row_cap=1000, max_body=50_000) as url:
        yield url


@pytest.fixture(scope="module")
def writable(seed_store, extractor):
    with api_server(seed_copy(seed_store), api_token=TOKEN) as url:
        yield url


def test_runaway_query_is_stopped_while_others_are_answered(limited):
    warm_workers(limited)
    def cheap_query():
        assert httpx.get(f"{limited}/sparql", params={"query": "ASK { ?s ?p ?o }"}).json()["boolean"] is True

    def rest_call():
        assert httpx.get(f"{limited}/statements", params={"speaker": "Scholz"}).json()["total"] == 3

    response, seconds = slow_request_alongside(
        lambda: httpx.get(f"{limited}/sparql", params={"query": RUNAWAY}, timeout=30), [cheap_query, rest_call])
    assert response.status_code == 503
    assert "KG_QUERY_TIMEOUT" in response.json()["detail"]
    assert 1.5 <= seconds < 3
    warm_workers(limited)  # the runaway's worker was killed, and a new one serves in its place


@pytest.mark.parametrize("query", ["SELECT * { ?s ?p ?o }", "CONSTRUCT WHERE { ?s ?p ?o }"])
def test_row_cap(limited, query):
    r = httpx.get(f"{limited}/sparql", params={"query": query}, headers={"Accept": "text/csv, text/turtle"})
    assert r.status_code == 422 and "more than 1000 rows (KG_ROW_CAP)" in r.json()["detail"]
    r = httpx.get(f"{limited}/sparql", params={"query": query + " LIMIT 1000"}, headers={"Accept": "text/csv, text/turtle"})
    assert r.status_code == 200


def test_body_size_limit(limited):
    big = "ASK { ?s ?p ?o } #" + "x" * 60_000
    headers = {"Content-Type": "application/sparql-query"}
    r = httpx.post(f"{limited}/sparql", content=big, headers=headers)
    assert r.status_code == 413 and "KG_MAX_BODY" in r.json()["detail"]
    chunks = (big[i:i + 10_000].encode() for i in range(0, len(big), 10_000))  # no Content-Length
    r = httpx.post(f"{limited}/sparql", content=chunks, headers=headers)
    assert r.status_code == 413
    assert httpx.post(f"{limited}/sparql", content=big[:40_000], headers=headers).status_code == 200


def test_read_only_without_a_token(limited):
    r = httpx.post(f"{limited}/sparql", data={"update": "CLEAR ALL"}, headers=AUTH)
    assert r.status_code == 403 and "KG_API_TOKEN" in r.json()["detail"]
    assert httpx.post(f"{limited}/articles", json={"text": "x"}, headers=AUTH).status_code == 403
    assert httpx.delete(f"{limited}/articles/000_0f18a4f966cbcf2d", headers=AUTH).status_code == 403
    assert httpx.get(f"{limited}/articles/000_0f18a4f966cbcf2d").status_code == 200


def test_sparql_update_needs_the_token(writable):
    insert = 'INSERT DATA { GRAPH <https://kg.local/article/note> { <https://kg.local/note> <https://schema.org/text> "hi" } }'
    ask = {"query": 'ASK { <https://kg.local/note> <https://schema.org/text> "hi" }'}
    sparql_update = {"Content-Type": "application/sparql-update"}
    for headers in ({}, {"Authorization": "Bearer wrong"}, {"Authorization": TOKEN}):
        r = httpx.post(f"{writable}/sparql", content=insert, headers={**sparql_update, **headers})
        assert r.status_code == 401 and r.headers["www-authenticate"] == "Bearer"
    assert httpx.get(f"{writable}/sparql", params=ask).json()["boolean"] is False
    assert httpx.post(f"{writable}/sparql", content=insert, headers={**sparql_update, **AUTH}).status_code == 204
    assert httpx.get(f"{writable}/sparql", params=ask).json()["boolean"] is True
    r = httpx.post(f"{writable}/sparql", data={"update": "DROP GRAPH <https://kg.local/article/note>"}, headers=AUTH)
    assert r.status_code == 204 and httpx.get(f"{writable}/sparql", params=ask).json()["boolean"] is False
    r = httpx.post(f"{writable}/sparql", data={"update": "LOAD <http://127.0.0.1:9/data.ttl>"}, headers=AUTH)
    assert r.status_code == 400 and "LOAD is not allowed" in r.json()["detail"]
    r = httpx.post(f"{writable}/sparql", data={"update": "INSERT DATA {"}, headers=AUTH)
    assert r.status_code == 400 and r.json()["detail"].startswith("malformed update: error at 1:")


def test_post_and_delete_articles(writable):
    feed = [json.loads(line) for line in (ARTICLES / "feed.jsonl").read_text().splitlines()]
    assert httpx.post(f"{writable}/articles", json=feed).status_code == 401
    r = httpx.post(f"{writable}/articles", json=feed, headers=AUTH, timeout=120)
    assert r.status_code == 201 and r.json() == {"ingested": 2, "unchanged": 0, "articles": ["wire-1", "wire-2"]}
    article = httpx.get(f"{writable}/articles/wire-2").json()
    [statement] = article["statements_found"]
    assert statement["speaker"]["name"] == "Marco Bianchi"
    span = statement["content_spans"][0]
    assert article["text"][span["start"]:span["end"]] == span["text"]
    r = httpx.post(f"{writable}/articles", json=feed[0], headers=AUTH)
    assert r.status_code == 200 and r.json()["unchanged"] == 1

    text = (ARTICLES / "council.txt").read_text()
    r = httpx.post(f"{writable}/articles", params={"id": "council"}, content=text,
                   headers={**AUTH, "Content-Type": "text/plain"}, timeout=120)
    assert r.status_code == 201 and r.json()["articles"] == ["council"]
    said = httpx.get(f"{writable}/statements", params={"speaker": "Ortiz"}).json()
    assert said["total"] >= 1 and said["items"][0]["article"] == "council"

    assert httpx.delete(f"{writable}/articles/council").status_code == 401
    assert httpx.delete(f"{writable}/articles/council", headers=AUTH).status_code == 204
    assert httpx.get(f"{writable}/articles/council").status_code == 404
    assert httpx.get(f"{writable}/statements", params={"speaker": "Ortiz"}).json()["total"] == 0
    assert httpx.delete(f"{writable}/articles/council", headers=AUTH).status_code == 404


@pytest.mark.parametrize("body, content_type, message", [
    ('{"title": "no text"', "application/json", "malformed JSON"),
    ('[{"id": "ok", "text": "Fine."}, {"title": "no text"}]', "application/json", "article 1: no text"),
    ("[]", "application/json", "no articles"),
    ("   ", "text/plain", "empty"),
    ("<p>hi</p>", "text/html", "send application/json"),
])
def test_bad_articles_are_refused_and_nothing_is_stored(writable, body, content_type, message):
    before = len(httpx.get(f"{writable}/articles").json())
    r = httpx.post(f"{writable}/articles", content=body, headers={**AUTH, "Content-Type": content_type})
    assert r.status_code in (400, 415) and message in r.json()["detail"]
    assert len(httpx.get(f"{writable}/articles").json()) == before
