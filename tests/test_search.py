"""The search index (kg/search.py): statements by their words, actors by their names, kept in step
with the store through replace, delete, SPARQL Update and a crash; and the same answers as the
SPARQL scan it replaces. Articles written here, as the extractor's output would describe them."""
import os
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import httpx
import pytest

from conftest import ROOT, api_server_app, run_kg
from kg.graph import article_ntriples
from kg.model import Article, Entity, Extraction, Span, Statement
from kg.queries import Queries
from kg.search import SearchError, expand_matches, remove_index
from kg.stores.oxigraph import SEARCH_FILE, OxigraphStore
from kg.vocab import Iris

IRIS = Iris("https://kg.local/")


def news(article_id: str, date: str, said: list[tuple[str, str, str]]) -> Extraction:
    """An article in which each (speaker, content, about) is said in a sentence of its own."""
    text, statements, mentions = f"Report {article_id}\n\n", [], {}
    for speaker, content, about in said:
        start = len(text)
        text += f"{speaker} said that {content}.\n\n"
        who = Span(start, start + len(speaker), speaker)
        cue = Span(who.end + 1, who.end + 5, "said")
        what = Span(cue.end + 6, cue.end + 6 + len(content), content)
        statements.append(Statement(speaker, "PERSON", who, cue, [what], "indirect", about=[about]))
        mentions.setdefault((speaker, "PERSON"), []).append(who)
        mentions.setdefault((about, "PERSON"), [])
    entities = [Entity(name, kind, spans) for (name, kind), spans in mentions.items()]
    return Extraction(Article(id=article_id, text=text, file=f"{article_id}.txt", title=f"Report {article_id}",
                              date=date), entities, statements, [])


ARTICLES = [
    news("harbour", "2024-03-01", [("Volodymyr Zelensky", "the harbour figures were wrong", "Mira Okafor"),
                                   ("Mira Okafor", "nobody drew a red line at the harbour", "Volodymyr Zelensky")]),
    news("zurich", "2024-05-10", [("Anaïs Müller", "the line in Zürich was red with rust", "Mira Okafor")]),
    news("budget", "2024-07-20", [("Mira Okafor", "the budget would cost more than promised", "Anaïs Müller")]),
]


def put(store, x: Extraction) -> None:
    store.replace_ntriples(str(IRIS.article(x.article.id)), article_ntriples(x, IRIS))


@pytest.fixture
def store():
    store = OxigraphStore(None)
    for x in ARTICLES:
        put(store, x)
    return store


def texts(items: list[dict]) -> list[str]:
    return [item["text"] for item in items]


def test_words_and_phrases_are_found_ranked_with_the_matched_words_marked(store):
    q = Queries(store, IRIS)
    total, found = q.statements(text="harbour")
    assert total == 2 and set(texts(found)) == {"the harbour figures were wrong", "nobody drew a red line at the harbour"}
    # a phrase needs its words together: "red with rust ... line" does not match "red line"
    total, found = q.statements(text='"red line"')
    assert total == 1 and texts(found) == ["nobody drew a red line at the harbour"]
    # every word is needed; accents and case do not matter
    assert texts(q.statements(text="ZURICH rust")[1]) == ["the line in Zürich was red with rust"]
    assert q.statements(text="zurich budget") == (0, [])
    # the matched words, in the article's offsets: the article's text there is the word
    article = ARTICLES[1].article.text
    [span] = q.statements(text="zurich")[1][0]["content_spans"]
    assert [(m["text"], article[m["start"]:m["end"]]) for m in span["matches"]] == [("Zürich", "Zürich")]
    # ranked: the statement that says "harbour" twice... and the filters compose with the words
    total, found = q.statements(text="harbour", speaker="okafor")
    assert total == 1 and found[0]["speaker"]["name"] == "Mira Okafor"
    assert q.statements(text="harbour", date_from="2024-04-01") == (0, [])


def test_nothing_to_search_for_is_a_clear_error(store):
    q = Queries(store, IRIS)
    with pytest.raises(SearchError, match="no words"):
        q.statements(text='!!! ""')
    with pytest.raises(SearchError, match="at most 32 words"):
        q.statements(text=" ".join(f"w{i}" for i in range(40)))
    # the same word many times is one word; control characters and lone surrogates are no words
    assert q.statements(text="harbour " * 5000)[0] == 2
    for hostile in ("\x00\x01 zelensky", "\ud800zelensky", 'NEAR(a b) OR "', "zel*"):
        assert isinstance(q.actors(name=hostile), list)
    assert [a["name"] for a in q.actors(name="\x00zelensky")] == ["Volodymyr Zelensky"]


def test_names_are_found_by_their_words_beginnings_accents_case_and_near_spellings(store):
    q = Queries(store, IRIS)
    for typed in ("Zelensky", "volo", "ZELENSKÝ", "zelenskyy", "Volodymyr Zelenskiy"):
        assert [a["name"] for a in q.actors(name=typed)] == ["Volodymyr Zelensky"], typed
    assert [a["name"] for a in q.actors(name="muller")] == ["Anaïs Müller"]
    # the most quoted first among equal matches; nothing for a name nobody has
    assert [a["statements"] for a in q.actors(name="mira")] == [2]
    assert q.actors(name="Quintero") == []


def test_the_index_follows_replace_and_delete(store):
    q = Queries(store, IRIS)
    put(store, news("budget", "2024-07-20", [("Mira Okafor", "the tax plan was fair", "Anaïs Müller")]))
    assert q.statements(text="budget") == (0, [])
    assert texts(q.statements(text="tax")[1]) == ["the tax plan was fair"]
    assert store.delete_graph(str(IRIS.article("zurich")))
    assert q.statements(text="rust") == (0, [])
    assert [a["name"] for a in q.actors(name="müller")] == ["Anaïs Müller"]  # the budget article names her too
    assert store.delete_graph(str(IRIS.article("budget")))
    assert q.actors(name="müller") == [] and [a["name"] for a in q.actors(name="okafor")] == ["Mira Okafor"]


def test_the_index_answers_as_the_sparql_scan_does(tmp_path):
    data = tmp_path / "data"
    store = OxigraphStore(data)
    for x in ARTICLES:
        put(store, x)
    del store
    indexed, scanned = (Queries(OxigraphStore(data, read_only=True, search=s), IRIS) for s in (True, False))
    assert indexed.store.search is not None and scanned.store.search is None
    for query in ({}, {"text": "harbour"}, {"speaker": "okafor"}, {"about": "Müller"}, {"to": "2024-05-10"},
                  {"offset": 1, "limit": 2}):
        query = {{"to": "date_to"}.get(k, k): v for k, v in query.items()}
        a, b = indexed.statements(**query), scanned.statements(**query)
        strip = lambda page: [{**s, "content_spans": [{k: v for k, v in c.items() if k != "matches"}  # noqa: E731
                                                      for c in s["content_spans"]]} for s in page[1]]
        assert a[0] == b[0] and strip(a) == strip(b), query
    # newest first without a text
    assert [s["date"] for s in indexed.statements()[1]] == ["2024-07-20", "2024-05-10", "2024-03-01", "2024-03-01"]


def test_kg_matches_in_sparql_with_the_index_and_without(store):
    sparql = """PREFIX schema: <https://schema.org/> PREFIX kg: <https://kg.local/ns#>
        SELECT ?text WHERE { ?q kg:matches "harbour" . GRAPH ?g { ?q schema:text ?text } } ORDER BY ?text"""
    scanned = OxigraphStore(None, search=False)
    for x in ARTICLES:
        put(scanned, x)
    answers = [[row["text"].value for row in s.query(expand_matches(sparql, s.search))] for s in (store, scanned)]
    assert answers[0] == answers[1] == ["nobody drew a red line at the harbour", "the harbour figures were wrong"]
    with pytest.raises(SearchError, match="pattern of its own"):
        expand_matches('SELECT * WHERE { ?q a ?t ; <https://kg.local/ns#matches> "x" }', store.search)


def test_a_crash_between_the_store_and_the_index_is_repaired_on_opening(tmp_path):
    data = tmp_path / "data"
    store = OxigraphStore(data)
    put(store, ARTICLES[0])
    x = ARTICLES[2]
    graph = str(IRIS.article(x.article.id))
    store._journal(graph)  # what replace_ntriples does, up to the crash: journaled, stored, not indexed
    store._execute(f"INSERT DATA {{ GRAPH <{graph}> {{ {article_ntriples(x, IRIS)} }} }}")
    del store
    reader = OxigraphStore(data, read_only=True)
    assert reader.search is None  # not in step: a reader scans instead
    assert Queries(reader, IRIS).statements(text="budget")[0] == 1
    del reader
    assert Queries(OxigraphStore(data), IRIS).statements(text="budget")[0] == 1  # repaired


WRITER = """
import sys
from kg.stores.oxigraph import OxigraphStore
from bench.synthetic import actors, article
from kg.graph import article_ntriples
from kg.vocab import Iris
import random
iris, rng = Iris("https://kg.local/"), random.Random(3)
cast = actors(rng, 50)
store = OxigraphStore(__import__("pathlib").Path(sys.argv[1]))
for n in range(100000):
    x = article(n % 40, rng, cast)
    store.replace_ntriples(str(iris.article(x.article.id)), article_ntriples(x, iris))
    if n == 5:
        print("writing", flush=True)
"""


def test_kill_9_while_writing_leaves_an_index_that_matches_the_store(tmp_path):
    data = tmp_path / "data"
    for delay in (0.3, 0.9):
        writer = subprocess.Popen([sys.executable, "-c", WRITER, str(data)], stdout=subprocess.PIPE, text=True,
                                  cwd=ROOT, env={**os.environ, "PYTHONPATH": str(ROOT)})
        assert writer.stdout.readline().strip() == "writing"
        time.sleep(delay)
        writer.send_signal(signal.SIGKILL)
        writer.wait()
        store = OxigraphStore(data)  # repairs what the kill left
        index = store.search.statements(limit=100_000)
        scanned = Queries(store, IRIS).scan_statements(None, None, None, 100_000, 0)
        assert index == scanned and index[0] > 0
        names = store.select("SELECT DISTINCT ?a WHERE { GRAPH ?g { ?a skos:prefLabel ?l ; a ?type } "
                             "VALUES ?type { schema:Person schema:Organization schema:Place } }")
        assert {r[0] for r in store.search.read(
            "SELECT DISTINCT actor FROM names JOIN name_uses ON name = id WHERE preferred = 1")} == {
            r["a"] for r in names}
        del store


def test_cli_search_and_reindex(seed_store, tmp_path):
    data = tmp_path / "data"
    shutil.copytree(seed_store, data)
    found = run_kg("search", "summit", data=data).stdout
    assert "1 statements match" in found and "Dmitry Peskov" in found and "No \"breakthroughs\"" in found
    assert "Jake Sullivan" in run_kg("search", "sullivan", "--actors", data=data).stdout
    remove_index(data / SEARCH_FILE)
    scanned = run_kg("search", "summit", data=data)
    assert "scanning every statement instead" in scanned.stderr and "Dmitry Peskov" in scanned.stdout
    rebuilt = run_kg("reindex", data=data)
    assert rebuilt.stdout.startswith("indexed 31 statements") and "building the search index" in rebuilt.stderr
    assert "no words to search for" in run_kg("search", "?!", data=data, check=False).stderr


def test_api_text_and_name_search(seed_store):
    store = OxigraphStore(None)
    store.load(OxigraphStore(seed_store, read_only=True).export("nquads"))
    with api_server_app(store) as (url, _app, _server):
        page = httpx.get(f"{url}/statements", params={"text": '"red line"'}).json()
        assert page["total"] == 1
        [span] = page["items"][0]["content_spans"]
        assert [m["text"] for m in span["matches"]] == ["red line"]
        assert httpx.get(f"{url}/statements", params={"text": "!!!"}).status_code == 400
        assert [a["name"] for a in httpx.get(f"{url}/actors", params={"name": "zelenskyy"}).json()] == [
            "Volodymyr Zelensky"]


def test_past_the_rank_window_older_matches_follow_newest_first(store, monkeypatch):
    monkeypatch.setattr("kg.search.RANK_WINDOW", 1)
    q = Queries(store, IRIS)
    everything = q.statements(text="the")
    assert everything[0] == 4 and len(everything[1]) == 4
    pages = [q.statements(text="the", limit=1, offset=i)[1][0]["id"] for i in range(4)]
    assert pages == [s["id"] for s in everything[1]] and len(set(pages)) == 4
    # the window holds the match indexed last (the budget article's); the rest newest first
    assert [s["date"] for s in everything[1]] == ["2024-07-20", "2024-05-10", "2024-03-01", "2024-03-01"]
