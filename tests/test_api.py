"""The HTTP API on a real server: SPARQL clients and REST endpoints."""
import socket
import threading
import time

import httpx
import pytest
import uvicorn
from rdflib import Graph
from rdflib.plugins.stores.sparqlstore import SPARQLStore
from SPARQLWrapper import JSON, SPARQLWrapper

from api.app import create_app
from kg.stores.oxigraph import OxigraphStore

WHO_SAID = """PREFIX schema: <https://schema.org/> PREFIX skos: <http://www.w3.org/2004/02/skos/core#>
SELECT DISTINCT ?who ?text WHERE { ?q a schema:Quotation ; schema:creator/skos:prefLabel ?who ; schema:text ?text }"""


@pytest.fixture(scope="module")
def server(seed_store):
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    config = uvicorn.Config(create_app(OxigraphStore(seed_store)), host="127.0.0.1", port=port, log_level="warning")
    srv = uvicorn.Server(config)
    thread = threading.Thread(target=srv.run, daemon=True)
    thread.start()
    for _ in range(100):
        if srv.started:
            break
        time.sleep(0.05)
    yield f"http://127.0.0.1:{port}"
    srv.should_exit = True
    thread.join(5)


def test_sparqlwrapper_finds_the_seed_statements(server, seed_gold):
    client = SPARQLWrapper(f"{server}/sparql")
    client.setQuery(WHO_SAID)
    client.setReturnFormat(JSON)
    rows = client.query().convert()["results"]["bindings"]
    speakers = {r["who"]["value"] for r in rows}
    assert {"Jake Sullivan", "Olaf Scholz", "Vladimir Putin", "Dmitry Peskov", "Oleksiy Reznikov"} <= speakers
    assert len(rows) >= 24


def test_rdflib_sparqlstore_reads_roles(server, seed_gold):
    graph = Graph(store=SPARQLStore(f"{server}/sparql", returnFormat="json"))
    rows = graph.query("""PREFIX org: <http://www.w3.org/ns/org#> PREFIX skos: <http://www.w3.org/2004/02/skos/core#>
        SELECT DISTINCT ?person ?role ?org WHERE { ?m org:member/skos:prefLabel ?person ; org:role/skos:prefLabel ?role ;
        org:organization/skos:prefLabel ?org }""")
    found = {(str(p), str(r), str(o)) for p, r, o in rows}
    for fact in seed_gold["roles"]:
        assert (fact["person"], fact["role"], fact["org"]) in found


@pytest.mark.parametrize("accept, marker", [
    ("application/sparql-results+json", '"bindings"'), ("application/sparql-results+xml", "<sparql"),
    ("text/csv", "who,text"), ("text/tab-separated-values", "?who\t?text")])
def test_select_content_negotiation(server, accept, marker):
    r = httpx.post(f"{server}/sparql", data={"query": WHO_SAID}, headers={"Accept": accept})
    assert r.status_code == 200 and marker in r.text


def test_construct_as_turtle_and_jsonld(server):
    q = "CONSTRUCT { ?p a <https://schema.org/Person> } WHERE { ?p a <https://schema.org/Person> }"
    r = httpx.post(f"{server}/sparql", content=q, headers={"Content-Type": "application/sparql-query", "Accept": "text/turtle"})
    assert r.status_code == 200 and len(Graph().parse(data=r.text, format="turtle")) == 11
    r = httpx.get(f"{server}/sparql", params={"query": q}, headers={"Accept": "application/ld+json"})
    assert r.status_code == 200 and r.json()


def test_sparql_errors_are_readable(server):
    assert httpx.get(f"{server}/sparql", params={"query": "SELECT WHERE {"}).status_code == 400
    r = httpx.get(f"{server}/sparql", params={"query": "ASK {}"}, headers={"Accept": "image/png"})
    assert r.status_code == 406
    r = httpx.get(f"{server}/sparql", params={"query": "SELECT * { SERVICE <http://127.0.0.1:9/> { ?s ?p ?o } }"})
    assert r.status_code == 400 and "SERVICE" in r.json()["detail"]


def test_statements_endpoint_filters(server):
    r = httpx.get(f"{server}/statements", params={"speaker": "Scholz"}).json()
    assert r["total"] == 3 and all(s["speaker"]["name"] == "Olaf Scholz" for s in r["items"])
    r = httpx.get(f"{server}/statements", params={"about": "Zelensky", "kind": "indirect"}).json()
    assert r["total"] >= 1 and r["items"][0]["speaker"]["name"] == "Jake Sullivan"
    assert httpx.get(f"{server}/statements", params={"from": "2024-01-01"}).json()["total"] == 0
    page = httpx.get(f"{server}/statements", params={"limit": 5, "offset": 5}).json()
    assert len(page["items"]) == 5 and page["total"] >= 24


def test_actor_roles_and_statements(server):
    actors = httpx.get(f"{server}/actors", params={"name": "sullivan"}).json()
    assert actors[0]["id"] == "person/jake-sullivan"
    actor = httpx.get(f"{server}/actors/person/jake-sullivan").json()
    assert actor["roles"][0]["role"] == "national security adviser"
    assert actor["roles"][0]["organisation"]["name"] == "United States"
    assert len(actor["said"]) == 4
    assert httpx.get(f"{server}/actors/person/nobody").status_code == 404


def test_actor_people_in_an_organisation_and_roles_with_evidence(server):
    kremlin = httpx.get(f"{server}/actors/org/kremlin").json()
    [member] = kremlin["members"]
    assert (member["person"]["id"], member["role"], member["time"]) == ("person/dmitry-peskov", "spokesman", "current")
    assert member["evidence"]["text"] == "Kremlin spokesman Dmitry Peskov" and member["date"] == "2023-09-25"
    germany = httpx.get(f"{server}/actors/place/germany").json()
    assert {(m["person"]["name"], m["time"]) for m in germany["members"]} == {
        ("Angela Merkel", "former"), ("Olaf Scholz", "future")}
    biden = httpx.get(f"{server}/actors/person/joseph-biden").json()
    assert biden["name"] == "Joe Biden" and "Biden" in biden["labels"]
    assert [(r["role"], r["organisation"]["name"]) for r in biden["roles"]] == [("president", "United States")]


def test_article_has_text_and_offsets(server):
    [article] = httpx.get(f"{server}/articles").json()
    detail = httpx.get(f"{server}/articles/{article['id']}").json()
    text = detail["text"]
    for st in detail["statements_found"]:
        for span in st["content_spans"]:
            assert text[span["start"]:span["end"]] == span["text"]
    assert len(detail["roles"]) == 11


def test_export_and_docs(server):
    r = httpx.get(f"{server}/export", params={"format": "turtle"})
    assert r.status_code == 200 and len(Graph().parse(data=r.text, format="turtle")) > 500
    assert httpx.get(f"{server}/docs").status_code == 200
