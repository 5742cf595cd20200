"""The store as background knowledge: role facts of other articles (as of an article's date) and
facts a user loads from Turtle resolve descriptions and bare titles; each inferred fact says where
it came from, goes when that article is deleted, and the order of ingestion does not change it."""
import pytest
from rdflib import Graph

from kg.background import BackgroundError, background_graph, read_background, stored_facts
from kg.ingest import InProcess, Report, ingest
from kg.model import Article
from kg.stores.oxigraph import OxigraphStore
from kg.vocab import Iris

IRIS = Iris("https://kg.test/")
STATED = Article(id="stated", file="stated.txt", date="2026-03-01",
                 text="Democratic presidential nominee Ann Roe spoke in Dover on Monday.")
DESCRIBED = Article(id="described", file="described.txt", date="2026-04-02",
                    text="Ann Roe toured a mill in Camden.\n\nThe Democratic nominee promised new jobs there.")
EARLIER = Article(id="earlier", file="earlier.txt", date="2026-01-05",
                  text="Ann Roe toured a mill in Camden.\n\nThe Democratic nominee promised new jobs there.")
INFERRED = """
SELECT DISTINCT ?article ?role ?org ?source WHERE { GRAPH ?g {
  ?m a org:Membership ; org:member/skos:prefLabel "Ann Roe" ; org:role/skos:prefLabel ?role ;
     org:organization ?o ; prov:wasDerivedFrom ?article ; kg:inferredFrom ?source } GRAPH ?h { ?o skos:prefLabel ?org } }"""


def stored(extractor, batches: list[list[Article]]) -> OxigraphStore:
    store = OxigraphStore()
    for batch in batches:
        ingest(batch, store, InProcess(extractor, store), IRIS, Report(), force=True)
    return store


def dataset(store) -> set:
    return set(Graph().parse(data=store.export("nquads"), format="nquads"))


def test_a_description_resolves_with_what_another_article_stated_in_any_order(extractor):
    forward = stored(extractor, [[STATED, DESCRIBED]])
    rows = forward.select(INFERRED)
    assert [(r["article"], r["role"], r["org"], r["source"]) for r in rows] == [
        (str(IRIS.article("described")), "nominee", "Democratic Party", str(IRIS.article("stated")))]
    assert dataset(forward) == dataset(stored(extractor, [[DESCRIBED, STATED]]))


def test_only_facts_stated_by_the_articles_date_count(extractor):
    store = stored(extractor, [[STATED, EARLIER]])
    assert store.select(INFERRED) == []  # in January nothing said she was the nominee


def test_deleting_the_source_article_removes_what_was_inferred_from_it(extractor):
    store = stored(extractor, [[STATED, DESCRIBED]])
    assert store.delete_graph(str(IRIS.article("stated")))
    assert store.select(INFERRED) == []
    assert store.select("SELECT ?g WHERE { GRAPH ?g { ?a schema:identifier 'described' } }")  # the article stays


def test_a_later_batch_reaches_an_article_stored_before_only_when_it_is_ingested_again(extractor):
    """The documented difference: a batch is resolved against the store and itself; an article
    stored by an earlier run is not revisited until it is ingested again (kg ingest --force)."""
    store = stored(extractor, [[DESCRIBED], [STATED]])
    assert store.select(INFERRED) == []
    ingest([DESCRIBED], store, InProcess(extractor, store), IRIS, Report(), force=True)
    assert dataset(store) == dataset(stored(extractor, [[STATED, DESCRIBED]]))


BACKGROUND = """
@prefix org: <http://www.w3.org/ns/org#> . @prefix skos: <http://www.w3.org/2004/02/skos/core#> .
@prefix kg: <https://kg.local/ns#> . @prefix ex: <https://example.org/> .
ex:m1 a org:Membership ; org:member ex:roe ; org:role ex:nominee ; org:organization ex:whigs ; kg:time kg:Current .
ex:roe skos:prefLabel "Ann Roe" . ex:nominee skos:prefLabel "nominee" . ex:whigs skos:prefLabel "Democratic Party" .
ex:m2 a org:Membership ; org:member ex:li ; org:role ex:president ; org:organization ex:freedonia ; kg:time kg:Former .
ex:li skos:prefLabel "Bo Li" . ex:president skos:prefLabel "president" . ex:freedonia skos:prefLabel "Freedonia" .
"""


def test_background_facts_loaded_from_turtle(extractor, tmp_path):
    path = tmp_path / "whigs.ttl"
    path.write_text(BACKGROUND, encoding="utf-8")
    store = OxigraphStore()
    graph = read_background(path, background_graph(IRIS, path))
    store.replace_graph(graph)
    assert {(f.person, f.role, f.organisation, f.time) for f in stored_facts(store)} == {
        ("Ann Roe", "nominee", "Democratic Party", "current"), ("Bo Li", "president", "Freedonia", "former")}
    later = Article(id="later", file="later.txt", text="President Bo Li opened the bridge in Dover. "
                                                       "Ann Roe spoke.\n\nThe Democratic nominee agreed.")
    ingest([later], store, InProcess(extractor, store), IRIS, Report())
    rows = store.select("""SELECT DISTINCT ?person ?org ?time ?source WHERE { GRAPH ?g { ?m a org:Membership ;
        org:member/skos:prefLabel ?person ; org:organization ?o ; kg:time ?time ;
        kg:inferredFrom ?source } GRAPH ?h { ?o skos:prefLabel ?org } }""")
    assert {(r["person"], r["org"], r["time"].rsplit("#")[-1], r["source"]) for r in rows} == {
        ("Ann Roe", "Democratic Party", "Current", str(background_graph(IRIS, path))),
        ("Bo Li", "Freedonia", "Former", str(background_graph(IRIS, path)))}


@pytest.mark.parametrize("text, message", [("this is not turtle", "not Turtle"),
                                           ("@prefix ex: <https://example.org/> . ex:a ex:b ex:c .", "no role facts")])
def test_a_bad_background_file_is_named_in_our_words(tmp_path, text, message):
    path = tmp_path / "bad.ttl"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(BackgroundError, match=message):
        read_background(path, background_graph(IRIS, path))
