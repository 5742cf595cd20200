"""The query side of the W3C SPARQL 1.1 Protocol test suite, as our own tests: each case of the
manifest (query_get ... bad_query_syntax) against a store of two small graphs we write here."""
from urllib.parse import quote, urlencode

import httpx
import pytest

from conftest import api_server
from kg.stores.oxigraph import OxigraphStore

G1, G2 = "https://kg.local/article/proto-1", "https://kg.local/article/proto-2"
EX = "http://example.org/"
JSON = "application/sparql-results+json"


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    store = OxigraphStore(tmp_path_factory.mktemp("protocol"))
    store.replace_ntriples(G1, f"<{EX}alice> <{EX}knows> <{EX}bob> .\n")
    store.replace_ntriples(G2, f"<{EX}bob> <{EX}knows> <{EX}carol> .\n")
    store.flush()
    with api_server(store) as url:
        yield url


def subjects(response: httpx.Response) -> set[str]:
    assert response.status_code == 200, response.text
    return {row["s"]["value"].removeprefix(EX) for row in response.json()["results"]["bindings"]}


SELECT = f"SELECT ?s WHERE {{ ?s <{EX}knows> ?o }}"


def test_query_get_post_form_and_post_direct(server):
    by_get = httpx.get(f"{server}/sparql", params={"query": SELECT}, headers={"Accept": JSON})
    by_form = httpx.post(f"{server}/sparql", data={"query": SELECT}, headers={"Accept": JSON})
    direct = httpx.post(f"{server}/sparql", content=SELECT.encode(),
                        headers={"Content-Type": "application/sparql-query", "Accept": JSON})
    assert subjects(by_get) == subjects(by_form) == subjects(direct) == {"alice", "bob"}  # default graph: the union


@pytest.mark.parametrize("method", ["get", "post-form", "post-direct"])
def test_dataset_from_the_protocol(server, method):
    def ask(query: str, **dataset) -> httpx.Response:
        params = [(key.replace("_", "-"), v) for key, values in dataset.items() for v in values]
        if method == "get":
            return httpx.get(f"{server}/sparql", params=[("query", query), *params], headers={"Accept": JSON})
        if method == "post-form":
            return httpx.post(f"{server}/sparql", content=urlencode([("query", query), *params]),
                              headers={"Content-Type": "application/x-www-form-urlencoded", "Accept": JSON})
        return httpx.post(f"{server}/sparql", params=params, content=query.encode(),
                          headers={"Content-Type": "application/sparql-query", "Accept": JSON})

    assert subjects(ask(SELECT, default_graph_uri=[G1])) == {"alice"}  # query_dataset_default_graph
    assert subjects(ask(SELECT, default_graph_uri=[G1, G2])) == {"alice", "bob"}  # ..._default_graphs
    named = f"SELECT ?s WHERE {{ GRAPH ?g {{ ?s <{EX}knows> ?o }} }}"
    assert subjects(ask(named, named_graph_uri=[G2])) == {"bob"}  # query_dataset_named_graphs
    full = f"SELECT ?s WHERE {{ {{ ?s <{EX}knows> ?o }} UNION {{ GRAPH ?g {{ ?s <{EX}knows> ?o }} }} }}"
    assert subjects(ask(full, default_graph_uri=[G1], named_graph_uri=[G2])) == {"alice", "bob"}  # query_dataset_full
    # query_multiple_dataset: the protocol's dataset replaces the query's FROM
    assert subjects(ask(f"SELECT ?s FROM <{G2}> WHERE {{ ?s <{EX}knows> ?o }}", default_graph_uri=[G1])) == {"alice"}


@pytest.mark.parametrize("query, accept, media", [
    (SELECT, JSON, JSON),  # query_content_type_select
    ("ASK {}", "application/sparql-results+xml", "application/sparql-results+xml"),  # query_content_type_ask
    (f"DESCRIBE <{EX}alice>", "text/turtle", "text/turtle"),  # query_content_type_describe
    (f"CONSTRUCT {{ ?s ?p ?o }} WHERE {{ ?s ?p ?o }}", "application/rdf+xml", "application/rdf+xml"),  # ..._construct
])
def test_the_result_comes_in_a_media_type_for_its_form(server, query, accept, media):
    r = httpx.get(f"{server}/sparql", params={"query": query}, headers={"Accept": accept})
    assert r.status_code == 200 and r.headers["content-type"].startswith(media)


@pytest.mark.parametrize("case, send", [
    ("bad_query_method", lambda url: httpx.put(f"{url}/sparql", content=SELECT.encode(),
                                               headers={"Content-Type": "application/sparql-query"})),
    ("bad_multiple_queries", lambda url: httpx.get(f"{url}/sparql?query={quote('ASK {}')}&query={quote('ASK {}')}")),
    ("bad_query_wrong_media_type", lambda url: httpx.post(f"{url}/sparql", content=SELECT.encode(),
                                                          headers={"Content-Type": "text/plain"})),
    ("bad_query_missing_form_type", lambda url: httpx.post(f"{url}/sparql", content=f"query={quote(SELECT)}".encode())),
    ("bad_query_missing_direct_type", lambda url: httpx.post(f"{url}/sparql", content=SELECT.encode())),
    ("bad_query_non_utf8", lambda url: httpx.post(f"{url}/sparql", content=SELECT.encode("utf-16"),
                                                  headers={"Content-Type": "application/sparql-query"})),
    ("bad_query_syntax", lambda url: httpx.get(f"{url}/sparql", params={"query": "SELECT * WHERE {"})),
])
def test_a_bad_request_is_a_client_error(server, case, send):
    r = send(server)
    assert 400 <= r.status_code < 500, (case, r.status_code, r.text)
