"""One suite, two stores: the embedded Oxigraph store and a real Virtuoso behind its SPARQL
endpoint (KG_STORE=sparql+http://...). Both keep one graph per article, replaced whole."""
from concurrent.futures import ThreadPoolExecutor
from dataclasses import replace

import pyoxigraph as ox
import pytest
from fastapi.testclient import TestClient
from rdflib import Graph

from api.app import create_app
from conftest import ARTICLES, SEED
from kg.config import Settings
from kg.graph import article_graph, content_hash
from kg.ingest import ArticleGraph, InProcess, Report, ingest, read_articles, to_graph
from kg.queries import Queries
from kg.store import open_store
from kg.stores.oxigraph import OxigraphStore
from kg.stores.sparql import SparqlStore, query_form
from kg.model import Article, Entity, Extraction, Span, Statement
from kg.vocab import Iris

IRIS = Iris("https://kg.local/")
ODD_TEXT = 'Zürich — “quoted” \\ back\\slash "double" \t tab\nnew line 東京 \U0001F600'


@pytest.fixture(params=["oxigraph", "virtuoso"])
def store(request, tmp_path):
    if request.param == "oxigraph":  # on disk, as kg serve's is: SPARQL query workers read it from there
        yield OxigraphStore(tmp_path / "store")
        return
    store = SparqlStore(request.getfixturevalue("virtuoso").url)
    yield store
    for graph in list(store.graphs()):
        store.delete_graph(graph)


@pytest.fixture(scope="session")
def articles():
    return {a.id: a for a in read_articles([ARTICLES / "council.txt", ARTICLES / "feed.jsonl"], print)}


@pytest.fixture(scope="session")
def graphs(extractor, articles):
    return {key: to_graph(x, IRIS) for key, x in zip(articles, extractor.extract_many(articles.values()))}


def put(store, *graphs):
    for graph in graphs:
        store.replace_ntriples(graph.iri, graph.ntriples)


def quads(data: bytes) -> set:
    return set(ox.parse(data, format=ox.RdfFormat.N_QUADS))


def written(*graphs) -> set:
    return {ox.Quad(t.subject, t.predicate, t.object, ox.NamedNode(g.iri))
            for g in graphs for t in ox.parse(g.ntriples.encode(), format=ox.RdfFormat.N_TRIPLES)}


def synthetic(name: str, n: int, text: str = "a statement") -> tuple[str, str]:
    """A graph of n triples that describes itself as an article, with one odd literal."""
    g = f"https://kg.local/article/{name}"
    lines = [f'<{g}> <http://www.w3.org/1999/02/22-rdf-syntax-ns#type> <https://schema.org/NewsArticle> .',
             f'<{g}> <https://schema.org/text> {ox.Literal(text)} .']
    lines += [f'<{g}/part/{i}> <https://kg.local/ns#n> "{i}"^^<http://www.w3.org/2001/XMLSchema#integer> .'
              for i in range(n - 2)]
    return g, "\n".join(lines) + "\n"


def odd_extraction() -> Extraction:
    """Characters N-Triples must escape, in every kind of literal the graph has."""
    text = f"{ODD_TEXT} \r carriage \x00 nul \x7f del said it."
    span = Span(0, 6, text[:6])
    article = Article(id="odd", text=text, file="odd.txt", title=ODD_TEXT, date="2024-02-30",
                      url="https://example.org/a?b=\"c\"&d=\\", source=ODD_TEXT)
    statement = Statement(ODD_TEXT, "PERSON", span, span, [span], "direct", about=["Zürich"])
    return Extraction(article, [Entity(ODD_TEXT, "PERSON", [span])], [statement], [])


def test_ingest_writes_exactly_the_triples_of_the_rdflib_graph(extractor):
    """The N-Triples ingest writes, as the store holds them, are the triples of article_graph."""
    found = list(read_articles([SEED, ARTICLES / "council.txt", ARTICLES / "feed.jsonl",
                                ARTICLES / "network" / "feed.jsonl"], print))
    extractions = [*extractor.extract_many(found), odd_extraction()]
    assert len(extractions) == 8
    store = OxigraphStore()
    for x in extractions:
        graph, written = article_graph(x, IRIS), to_graph(x, IRIS)
        assert written.iri == str(graph.identifier) and written.triples == len(graph) > 10
        assert set(Graph().parse(data=written.ntriples, format="nt")) == set(graph)
        store.replace_ntriples(written.iri, written.ntriples)
        assert set(Graph().parse(data=store.export("ntriples", graph=written.iri), format="nt")) == set(graph)


def test_stored_quads_are_exactly_the_written_ones(store, graphs):
    put(store, *graphs.values())
    assert quads(store.export("nquads")) == written(*graphs.values())
    assert len(store) == sum(g.triples for g in graphs.values())
    assert set(store.graphs()) == {g.iri for g in graphs.values()}


def test_replacing_an_article_drops_its_old_triples(store, graphs):
    council, wire = graphs["council"], graphs["wire-1"]
    put(store, council, wire)
    put(store, council)
    assert len(store) == council.triples + wire.triples
    own = [line for line in council.ntriples.splitlines(keepends=True) if line.startswith(f"<{council.iri}> ")]
    shorter = ArticleGraph(council.iri, council.file, "".join(own))
    put(store, shorter)
    assert len(store) == len(own) + wire.triples < council.triples + wire.triples
    assert quads(store.export("nquads")) == written(shorter, wire)


def test_a_graph_larger_than_one_update_chunk_is_stored_whole(store):
    name, body = synthetic("big", 2 * SparqlStore.CHUNK + 7, ODD_TEXT)
    store.replace_ntriples(name, body)
    assert len(store) == 2 * SparqlStore.CHUNK + 7
    text = store.select(f"SELECT ?t WHERE {{ <{name}> schema:text ?t }}")
    assert text == [{"t": ODD_TEXT}]


def test_concurrent_writers_all_land(store, graphs):
    """Several ingesting processes may share one remote store."""
    copies = [ArticleGraph(g.iri + f"-{n}", g.file, g.ntriples.replace(g.iri, g.iri + f"-{n}"))
              for n in range(12) for g in graphs.values()]
    with ThreadPoolExecutor(4) as pool:
        list(pool.map(put, [store] * len(copies), copies))
    assert len(store) == sum(g.triples for g in copies)
    assert len(set(store.graphs())) == len(copies)


def test_delete_removes_only_that_article(store, graphs):
    put(store, graphs["council"], graphs["wire-1"])
    assert store.delete_graph(graphs["council"].iri) is True
    assert store.delete_graph(graphs["council"].iri) is False
    assert set(store.graphs()) == {graphs["wire-1"].iri}
    assert len(store) == graphs["wire-1"].triples


def test_content_hashes_of_stored_articles(store, graphs, articles):
    put(store, graphs["council"])
    council = graphs["council"].iri
    assert store.content_hashes([council]).get(council) == content_hash(articles["council"].text)
    assert store.content_hashes([council, graphs["wire-1"].iri]) == {council: content_hash(articles["council"].text)}
    assert store.content_hashes([graphs["wire-2"].iri]) == {}


def test_query_forms_answer_pyoxigraph_results(store, graphs):
    put(store, *graphs.values())
    rows = store.select("SELECT ?who WHERE { ?q a schema:Quotation ; schema:creator/skos:prefLabel ?who }")
    assert {"Helen Ortiz", "Tom Becker", "Rosa Delgado", "Ana Silva"} <= {r["who"] for r in rows}
    assert bool(store.query("PREFIX schema: <https://schema.org/> ASK { ?a a schema:NewsArticle }"))
    assert not bool(store.query("ASK { <https://kg.local/nothing> ?p ?o }"))
    triples = store.query("CONSTRUCT { ?p a <https://schema.org/Person> } WHERE { ?p a <https://schema.org/Person> }")
    assert isinstance(triples, ox.QueryTriples)
    assert {str(t.subject) for t in triples} >= {"<https://kg.local/person/helen-ortiz>"}
    named = store.query("SELECT ?s WHERE { ?s a <https://schema.org/NewsArticle> }",
                        default_graph=[graphs["wire-1"].iri])
    assert [row["s"].value for row in named] == [graphs["wire-1"].iri]
    with pytest.raises(SyntaxError):
        store.query("SELECT WHERE {")


def test_select_binds_parameters_as_literals(store):
    name, body = synthetic("odd", 3, ODD_TEXT)
    store.replace_ntriples(name, body)
    q = "SELECT ?a WHERE { #PARAMS ?a schema:text ?t FILTER (?t = ?textQ) }"
    assert store.select(q, textQ=ODD_TEXT) == [{"a": name}]
    assert store.select(q, textQ='" } } DROP ALL #') == []


def test_stats_count_what_the_articles_say(store, graphs):
    put(store, *graphs.values())
    stats = store.stats()
    assert stats["articles"] == 3 and stats["quads"] == len(store)
    assert stats["statements"] >= 5 and stats["people"] >= 5


def test_ingest_skips_unchanged_articles_and_the_api_reads_the_store(store, extractor, articles):
    report = ingest(articles.values(), store, InProcess(extractor), IRIS, Report())
    assert (report.ingested, report.unchanged, report.failed) == (3, 0, [])
    again = ingest(articles.values(), store, InProcess(extractor), IRIS, Report())
    assert (again.ingested, again.unchanged) == (0, 3)
    article = Queries(store, IRIS).article("council")
    assert article["text"] == articles["council"].text
    assert any(s["speaker"] and s["speaker"]["name"] == "Helen Ortiz" for s in article["statements_found"])
    client = TestClient(create_app(store, Settings.from_env()))
    body = client.get("/sparql", params={"query": "SELECT (COUNT(*) AS ?n) WHERE { ?a a <https://schema.org/NewsArticle> }"},
                      headers={"Accept": "text/csv"}).text
    assert body.split() == ["n", "3"]
    assert {a["id"] for a in client.get("/articles").json()} == {"council", "wire-1", "wire-2"}


def test_a_name_search_sees_every_write_to_the_store(store, graphs):
    """Statements by a speaker named in part: what the store holds now, after writes that the API did
    not make (the names are cached per store version, and not at all on a remote store)."""
    q = Queries(store, IRIS)
    put(store, graphs["wire-1"])
    assert q.statements(speaker="Ortiz") == (0, [])
    put(store, graphs["council"])
    total, said = q.statements(speaker="Ortiz")
    assert total >= 1 and {s["speaker"]["name"] for s in said} == {"Helen Ortiz"}
    store.update("""PREFIX skos: <http://www.w3.org/2004/02/skos/core#>
        DELETE { GRAPH ?g { ?a ?p ?l } } INSERT { GRAPH ?g { ?a ?p ?renamed } }
        WHERE { GRAPH ?g { ?a ?p ?l } FILTER (?p IN (skos:prefLabel, skos:altLabel) && CONTAINS(?l, "Ortiz"))
                BIND (REPLACE(?l, "Ortiz", "Ortega") AS ?renamed) }""")
    assert q.statements(speaker="Ortiz") == (0, [])
    assert q.statements(speaker="ortega")[0] == total


def test_kg_store_setting_chooses_the_backend(tmp_path):
    local = replace(Settings.from_env(), data_dir=tmp_path, store=None)
    assert isinstance(open_store(local), OxigraphStore)
    remote = Settings(**{**local.__dict__, "store": "sparql+http://127.0.0.1:9/sparql"})
    assert isinstance(open_store(remote), SparqlStore) and open_store(remote).url == "http://127.0.0.1:9/sparql"


def test_query_form_reads_past_prefixes_and_comments():
    assert query_form("PREFIX a: <http://x/> # SELECT?\nBASE <http://y/>\n construct { } where { }") == "CONSTRUCT"
    with pytest.raises(SyntaxError):
        query_form("DROP ALL")


def test_version_changes_with_every_write_and_only_then(store, graphs):
    if isinstance(store, SparqlStore):  # others may write to the endpoint: no version to trust
        assert store.version is None
        return
    seen = [store.version]
    put(store, graphs["council"])
    seen.append(store.version)
    store.select("SELECT * WHERE { ?s ?p ?o } LIMIT 1"), store.export("nquads"), len(store), store.stats()
    assert store.version == seen[-1]
    store.delete_graph(graphs["council"].iri)
    seen.append(store.version)
    assert store.delete_graph(graphs["council"].iri) is False and store.version == seen[-1]
    store.update(f"INSERT DATA {{ GRAPH <{graphs['wire-1'].iri}> {{ <urn:a> <urn:b> <urn:c> }} }}")
    seen.append(store.version)
    assert len(set(seen)) == 4


def test_the_network_shows_every_write_at_once(store, graphs):
    """Through the API's cache on the embedded store; uncached on an endpoint another client writes to."""
    client = TestClient(create_app(store, Settings.from_env()))
    writer = SparqlStore(store.url) if isinstance(store, SparqlStore) else store

    def actors() -> set[str]:
        return {n["data"]["id"] for n in client.get("/network").json()["elements"]["nodes"]}

    put(writer, graphs["wire-1"])
    before = actors()
    assert actors() == before
    put(writer, graphs["council"])
    assert "person/helen-ortiz" in actors() - before
    writer.delete_graph(graphs["council"].iri)
    assert actors() == before
