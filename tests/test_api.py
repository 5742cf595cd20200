"""The HTTP API on a real server, read side: SPARQL clients, the Graph Store Protocol, REST endpoints."""
import http.server
import threading

import httpx
import pytest
from rdflib import Dataset, Graph, Namespace, URIRef
from rdflib.plugins.stores.sparqlstore import SPARQLStore
from SPARQLWrapper import JSON, TURTLE, XML, SPARQLWrapper

from conftest import ROOT, api_server
from kg.stores.oxigraph import OxigraphStore

SCHEMA = Namespace("https://schema.org/")
SEED_GRAPH = "https://kg.local/article/000_0f18a4f966cbcf2d"
WHO_SAID = """PREFIX schema: <https://schema.org/> PREFIX skos: <http://www.w3.org/2004/02/skos/core#>
SELECT DISTINCT ?who ?text WHERE { ?q a schema:Quotation ; schema:creator/skos:prefLabel ?who ; schema:text ?text }"""
PERSONS = "CONSTRUCT { ?p a <https://schema.org/Person> } WHERE { ?p a <https://schema.org/Person> }"


@pytest.fixture(scope="module")
def server(seed_store):
    with api_server(OxigraphStore(seed_store)) as url:
        yield url


def test_sparqlwrapper_finds_the_seed_statements(server):
    client = SPARQLWrapper(f"{server}/sparql")
    client.setQuery(WHO_SAID)
    client.setReturnFormat(JSON)
    rows = client.query().convert()["results"]["bindings"]
    speakers = {r["who"]["value"] for r in rows}
    assert {"Jake Sullivan", "Olaf Scholz", "Vladimir Putin", "Dmitry Peskov", "Oleksiy Reznikov"} <= speakers
    assert len(rows) >= 24


def test_sparqlwrapper_post_xml_and_construct(server):
    client = SPARQLWrapper(f"{server}/sparql")
    client.setMethod("POST")
    client.setQuery(WHO_SAID)
    client.setReturnFormat(XML)
    assert len(client.query().convert().getElementsByTagName("result")) >= 24
    client.setQuery(PERSONS)
    client.setReturnFormat(TURTLE)
    assert len(Graph().parse(data=client.query().convert(), format="turtle")) == 11


def test_rdflib_sparqlstore_reads_roles(server, seed_gold):
    graph = Graph(store=SPARQLStore(f"{server}/sparql", returnFormat="json"))
    rows = graph.query("""PREFIX org: <http://www.w3.org/ns/org#> PREFIX skos: <http://www.w3.org/2004/02/skos/core#>
        SELECT DISTINCT ?person ?role ?org WHERE { ?m org:member/skos:prefLabel ?person ; org:role/skos:prefLabel ?role ;
        org:organization/skos:prefLabel ?org }""")
    found = {(str(p), str(r), str(o)) for p, r, o in rows}
    for fact in seed_gold["roles"]:
        assert (fact["person"], fact["role"], fact["org"]) in found
    assert graph.query("ASK { ?s a <https://schema.org/NewsArticle> }").askAnswer is True


@pytest.mark.parametrize("accept, marker", [
    ("application/sparql-results+json", '"bindings"'), ("application/sparql-results+xml", "<sparql"),
    ("text/csv", "who,text"), ("text/tab-separated-values", "?who\t?text"),
    ("text/csv;q=0.5, text/tab-separated-values", "?who\t?text")])
def test_select_content_negotiation(server, accept, marker):
    r = httpx.post(f"{server}/sparql", data={"query": WHO_SAID}, headers={"Accept": accept})
    assert r.status_code == 200 and marker in r.text
    assert r.headers["content-type"].startswith(accept.split(",")[-1].strip())


@pytest.mark.parametrize("accept, fmt", [("text/turtle", "turtle"), ("application/n-triples", "nt"),
                                         ("application/ld+json", "json-ld"), ("application/rdf+xml", "xml")])
def test_construct_content_negotiation(server, accept, fmt):
    r = httpx.post(f"{server}/sparql", content=PERSONS,
                   headers={"Content-Type": "application/sparql-query", "Accept": accept})
    assert r.status_code == 200 and len(Graph().parse(data=r.text, format=fmt)) == 11


def test_describe_and_ask(server):
    r = httpx.get(f"{server}/sparql", params={"query": "DESCRIBE <https://kg.local/person/jake-sullivan>"},
                  headers={"Accept": "text/turtle"})
    assert (URIRef("https://kg.local/person/jake-sullivan"), None, None) in Graph().parse(data=r.text, format="turtle")
    r = httpx.get(f"{server}/sparql", params={"query": "ASK { ?s a <https://schema.org/Quotation> }"},
                  headers={"Accept": "application/sparql-results+xml"})
    assert "<boolean>true</boolean>" in r.text


def test_default_and_named_graph_uris(server):
    count = "SELECT (COUNT(*) AS ?n) WHERE { ?s a <https://schema.org/Quotation> }"

    def n(query, **params):
        r = httpx.get(f"{server}/sparql", params={"query": query, **params}, headers={"Accept": "text/csv"})
        return int(r.text.split()[1])

    found = n(count)
    assert found >= 24 and n(count, **{"default-graph-uri": SEED_GRAPH}) == found
    assert n(count, **{"default-graph-uri": "https://kg.local/article/none"}) == 0
    in_graph = "SELECT (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s a <https://schema.org/Quotation> } }"
    assert n(in_graph, **{"named-graph-uri": SEED_GRAPH}) == found
    assert n(in_graph, **{"named-graph-uri": "https://kg.local/article/none"}) == 0
    r = httpx.post(f"{server}/sparql", data={"query": count, "default-graph-uri": "https://kg.local/article/none"},
                   headers={"Accept": "text/csv"})
    assert r.text.split()[1] == "0"


def test_sparql_errors_are_readable(server):
    r = httpx.get(f"{server}/sparql", params={"query": "SELECT WHERE {"})
    assert r.status_code == 400 and r.json()["detail"].startswith("malformed query")
    r = httpx.get(f"{server}/sparql", params={"query": "SELECT *\nWHERE { ?s ?p }"})
    assert r.json()["detail"].startswith("malformed query: error at 2:")  # the line as the client wrote it
    assert "Traceback" not in r.text
    r = httpx.get(f"{server}/sparql", params={"query": "ASK {}"}, headers={"Accept": "image/png"})
    assert r.status_code == 406 and "application/sparql-results+json" in r.json()["detail"]
    r = httpx.get(f"{server}/sparql", params={"query": PERSONS}, headers={"Accept": "text/csv"})
    assert r.status_code == 406 and "text/turtle" in r.json()["detail"]
    r = httpx.post(f"{server}/sparql", content="ASK {}", headers={"Content-Type": "text/plain"})
    assert r.status_code == 415


def test_protocol_edge_cases_of_the_query_side(server):
    # two queries in one request, by GET or by form, is a client error, not the first one run
    r = httpx.get(f"{server}/sparql?query=ASK%20%7B%7D&query=ASK%20%7B%7D")
    assert r.status_code == 400 and "more than once" in r.json()["detail"]
    r = httpx.post(f"{server}/sparql", content="query=ASK%20%7B%7D&query=ASK%20%7B%7D",
                   headers={"Content-Type": "application/x-www-form-urlencoded"})
    assert r.status_code == 400
    # an update travels by POST only: by GET it is refused, never answered with the editor page
    r = httpx.get(f"{server}/sparql", params={"update": "CLEAR ALL"}, headers={"Accept": "text/html"})
    assert r.status_code == 405 and r.headers["allow"] == "POST"
    # relative IRIs resolve against the store's base IRI
    r = httpx.get(f"{server}/sparql", params={"query": "CONSTRUCT { <s> <p> 1 } WHERE {}"},
                  headers={"Accept": "application/n-triples"})
    assert r.status_code == 200 and "<https://kg.local/s> <https://kg.local/p>" in r.text


def test_the_server_never_fetches_a_url(server):
    hits = []

    class Recorder(http.server.BaseHTTPRequestHandler):
        def do_GET(self):
            hits.append(self.path)
            self.send_response(404)
            self.end_headers()

        do_POST = do_GET

    with http.server.ThreadingHTTPServer(("127.0.0.1", 0), Recorder) as trap:
        threading.Thread(target=trap.serve_forever, daemon=True).start()
        url = f"http://127.0.0.1:{trap.server_address[1]}/data"
        for query in (f"SELECT * FROM <{url}> FROM NAMED <{url}> WHERE {{ ?s ?p ?o }}", f"DESCRIBE <{url}>",
                      f"SELECT * {{ SERVICE <{url}> {{ ?s ?p ?o }} }}"):
            httpx.get(f"{server}/sparql", params={"query": query})
        trap.shutdown()
    assert hits == []


def test_the_word_service_elsewhere_is_fine(server):
    query = """# uses SERVICE in a comment
    SELECT ?service ?load WHERE { BIND ("SERVICE and LOAD" AS ?service) BIND (<http://x.org/#LOAD> AS ?load) }"""
    assert httpx.get(f"{server}/sparql", params={"query": query}).status_code == 200


def test_graph_store_reads_one_article_graph(server):
    r = httpx.get(f"{server}/graphs", params={"graph": SEED_GRAPH})
    assert r.headers["content-type"].startswith("text/turtle")
    graph = Graph().parse(data=r.text, format="turtle")
    assert (URIRef(SEED_GRAPH), None, SCHEMA.NewsArticle) in graph and len(graph) > 1000
    r = httpx.get(f"{server}/graphs", params={"graph": SEED_GRAPH}, headers={"Accept": "application/ld+json"})
    assert len(Graph().parse(data=r.text, format="json-ld")) == len(graph)
    assert httpx.get(f"{server}/graphs", params={"graph": "https://kg.local/article/none"}).status_code == 404
    assert httpx.get(f"{server}/graphs", params={"graph": "not an iri"}).status_code == 400


@pytest.mark.parametrize("accept, fmt", [("application/trig", "trig"), ("application/n-quads", "nquads")])
def test_graph_store_reads_the_dataset(server, accept, fmt):
    r = httpx.get(f"{server}/graphs", headers={"Accept": accept})
    dataset = Dataset().parse(data=r.text, format=fmt)
    assert len(dataset.graph(URIRef(SEED_GRAPH))) > 1000
    assert httpx.get(f"{server}/graphs", headers={"Accept": "text/turtle"}).status_code == 406
    r = httpx.get(f"{server}/graphs", params={"default": ""}, headers={"Accept": "text/turtle"})
    assert len(Graph().parse(data=r.text, format="turtle")) > 1000


def test_query_editor_page_and_examples(server):
    page = httpx.get(f"{server}/sparql", headers={"Accept": "text/html,application/xhtml+xml,*/*;q=0.8"})
    assert page.status_code == 200 and "/vendor/yasgui/yasgui.min.js" in page.text
    for name in ("Who said what about whom", "The roles of a person", "The most quoted actors"):
        assert name in page.text
    assert httpx.get(f"{server}/vendor/yasgui/yasgui.min.js").status_code == 200
    assert httpx.get(f"{server}/vendor/yasgui/yasgui.min.css").status_code == 200
    assert httpx.get(f"{server}/static/network.js").text == (ROOT / "api" / "static" / "network.js").read_text()
    for missing in ("nothing.js", "..%2Fapp.py", "%2E%2E%2F%2E%2E%2Fpyproject.toml"):
        assert httpx.get(f"{server}/static/{missing}").status_code == 404, missing
    for example in sorted((ROOT / "api" / "examples").glob("*.rq")):
        r = httpx.post(f"{server}/sparql", data={"query": example.read_text()}, headers={"Accept": "application/json"})
        assert r.status_code == 200 and r.json()["results"]["bindings"], example.name


def test_statements_endpoint_filters(server):
    r = httpx.get(f"{server}/statements", params={"speaker": "Scholz"}).json()
    assert r["total"] == 3 and all(s["speaker"]["name"] == "Olaf Scholz" for s in r["items"])
    r = httpx.get(f"{server}/statements", params={"about": "Zelensky", "kind": "indirect"}).json()
    assert r["total"] >= 1 and r["items"][0]["speaker"]["name"] == "Jake Sullivan"
    assert httpx.get(f"{server}/statements", params={"from": "2024-01-01"}).json()["total"] == 0
    for bad in ({"from": "notadate"}, {"to": "2024-02-30"}):
        r = httpx.get(f"{server}/statements", params=bad)
        assert r.status_code == 400 and next(iter(bad)) in r.json()["detail"] and "YYYY-MM-DD" in r.json()["detail"]
    everything = httpx.get(f"{server}/statements").json()["total"]
    assert everything >= 24
    assert httpx.get(f"{server}/statements", params={"to": "2023-09-25"}).json()["total"] == everything
    assert httpx.get(f"{server}/statements", params={"text": "breakthroughs"}).json()["total"] == 1
    page = httpx.get(f"{server}/statements", params={"limit": 5, "offset": 5}).json()
    assert len(page["items"]) == 5 and page["total"] >= 24
    assert httpx.get(f"{server}/statements", params={"kind": "rumour"}).status_code == 422


def test_statements_as_json_ld(server):
    r = httpx.get(f"{server}/statements", params={"speaker": "Scholz"}, headers={"Accept": "application/ld+json"})
    assert r.headers["content-type"] == "application/ld+json"
    graph = Graph().parse(data=r.text, format="json-ld")
    scholz = URIRef("https://kg.local/person/olaf-scholz")
    assert len(set(graph.subjects(SCHEMA.creator, scholz))) == 3


def test_actor_roles_statements_and_counterparts(server):
    actors = httpx.get(f"{server}/actors", params={"name": "sullivan"}).json()
    assert actors[0]["id"] == "person/jake-sullivan"
    assert {a["type"] for a in httpx.get(f"{server}/actors", params={"type": "Place"}).json()} == {"Place"}
    actor = httpx.get(f"{server}/actors/person/jake-sullivan").json()
    assert actor["roles"][0]["role"] == "national security adviser"
    assert actor["roles"][0]["organisation"]["name"] == "United States"
    assert len(actor["said"]) == actor["statements"] == 4
    top = actor["counterparts"][0]
    assert top["actor"]["name"] == "Joe Biden" and top["about_them"] == 2  # as in our seed gold
    ukraine = httpx.get(f"{server}/actors/place/ukraine").json()
    assert any(s["speaker"]["name"] == "Jake Sullivan" for s in ukraine["said_about"])
    assert httpx.get(f"{server}/actors/person/nobody").status_code == 404
    assert httpx.get(f"{server}/actors/person/<bad>").status_code == 404


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
    assert detail["statements"] == len(detail["statements_found"]) >= 24
    for st in detail["statements_found"]:
        for span in [*st["content_spans"], st["cue_span"]]:
            assert text[span["start"]:span["end"]] == span["text"]
    for role in detail["roles"]:
        assert text[role["evidence"]["start"]:role["evidence"]["end"]] == role["evidence"]["text"]
    assert len(detail["roles"]) == 11
    assert httpx.get(f"{server}/articles/none").status_code == 404


def test_export_and_docs(server):
    r = httpx.get(f"{server}/export", params={"format": "turtle"})
    assert r.status_code == 200 and len(Graph().parse(data=r.text, format="turtle")) > 500
    r = httpx.get(f"{server}/export", params={"format": "nquads"})
    assert len(Dataset().parse(data=r.text, format="nquads").graph(URIRef(SEED_GRAPH))) > 1000
    assert httpx.get(f"{server}/docs").status_code == 200
    spec = httpx.get(f"{server}/openapi.json").json()
    speaker = next(p for p in spec["paths"]["/statements"]["get"]["parameters"] if p["name"] == "speaker")
    assert speaker["schema"]["examples"] == ["Peskov"]
    assert "examples" in spec["components"]["schemas"]["StatementOut"]["properties"]["cue"]
