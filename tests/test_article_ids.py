"""Article ids map one to one to IRIs: ids that a slug would merge ("a/b" and "a b", two scripts,
two long ids with the same start) stay apart in the store and in the API, an article without an id
takes the id of its text, and an id twice in one batch is an error, never a silent overwrite."""
import json
from dataclasses import replace
from urllib.parse import quote

import pyoxigraph as ox
import pytest
from fastapi.testclient import TestClient

from conftest import run_kg
from kg.model import Article
from kg.reader import content_id, from_record, from_text, read_path
from kg.stores.oxigraph import OxigraphStore
from kg.vocab import Iris

TOKEN = "test-token-ids-0123456789"
AUTH = {"Authorization": f"Bearer {TOKEN}"}
IRIS = Iris("https://kg.local/")
# Ids that safe_id made into "a-b", "article" or one 200-character id.
MERGED = ["a/b", "a b", "a-b", "a?b", "a#b", "a%2Fb", "日本語", "Ελλάδα", "x" * 250, "x" * 250 + "y",
          ".", "..", "100%", "tab\there", "it's \"quoted\"", "a/1/content"]


def test_distinct_ids_have_distinct_iris_that_give_the_id_back():
    iris = [str(IRIS.article(i)) for i in MERGED]
    assert len(set(iris)) == len(MERGED)
    for article_id, article_iri in zip(MERGED, iris):
        ox.NamedNode(article_iri)  # a valid IRI
        assert IRIS.article_id(article_iri) == article_id
        assert "/" not in article_iri.removeprefix("https://kg.local/article/")
    # what embeds the id cannot collide either: "a/1/content" statement 0 is not "a" statement 1's content
    nodes = {str(IRIS.statement(i, n)) for i in MERGED for n in range(3)}
    nodes |= {str(IRIS.membership(i, n)) for i in MERGED for n in range(3)}
    nodes |= {str(IRIS.entity("a senior official", None, i)) for i in MERGED}
    assert len(nodes) == len(MERGED) * 7


def test_plain_ascii_ids_keep_their_iris_and_unicode_stays_readable():
    assert str(IRIS.article("000_0f18a4f966cbcf2d")) == "https://kg.local/article/000_0f18a4f966cbcf2d"
    assert str(IRIS.statement("000_0f18a4f966cbcf2d", 23)) == "https://kg.local/statement/000_0f18a4f966cbcf2d/23"
    assert str(IRIS.article("Ελλάδα")) == "https://kg.local/article/Ελλάδα"
    assert str(IRIS.article("a/b")) == "https://kg.local/article/a%2Fb"
    assert str(IRIS.article("a b")) == "https://kg.local/article/a%20b"
    with pytest.raises(ValueError):
        IRIS.article("")


def test_the_reader_keeps_ids_as_given(tmp_path):
    for article_id in ["a/b", "a b", "日本語", "Ελλάδα", "x" * 250 + "y"]:
        assert from_record({"id": article_id, "text": "Ann Lee said it rained."}, tmp_path / "f.json", None).id \
            == article_id
    (tmp_path / "Café au lait.txt").write_text("Headline\n\nAnn Lee said it rained.\n", encoding="utf-8")
    [article] = read_path(tmp_path / "Café au lait.txt")
    assert article.id == "Café au lait"


def test_an_article_without_an_id_takes_the_id_of_its_text(tmp_path):
    one = from_record({"text": "Ann Lee said it rained."}, tmp_path / "r.json", None)
    again = from_record({"text": "Ann Lee said it rained.", "title": "Rain"}, tmp_path / "r.json", None)
    other = from_record({"text": "Tom Roe said it snowed."}, tmp_path / "r.json", None)
    assert one.id == again.id == content_id("Ann Lee said it rained.") != other.id
    assert from_text("Ann Lee said it rained.", tmp_path / "r.txt", content_id("Ann Lee said it rained.")).id == one.id


@pytest.fixture(scope="module")
def client(extractor):
    from api.app import create_app
    from kg.config import Settings

    app = create_app(OxigraphStore(), replace(Settings.from_env(), api_token=TOKEN))
    app.state.extractor = extractor
    with TestClient(app) as client:
        yield client


def post(client, body, **params):
    return client.post("/articles", json=body, headers=AUTH, params=params)


def test_ids_a_slug_merges_are_separate_articles_in_the_api(client):
    ids = ["a/b", "a b", "a-b", "日本語", "Ελλάδα", "x" * 250, "x" * 250 + "y", "100%"]
    feed = [{"id": i, "title": f"Story {n}", "text": f"Mayor Ana Lopez{n} said that the bridge {n} would open."}
            for n, i in enumerate(ids)]
    r = post(client, feed)
    assert r.status_code == 201, r.text
    assert r.json() == {"ingested": len(ids), "unchanged": 0, "articles": ids}
    assert {a["id"] for a in client.get("/articles", params={"limit": 500}).json()} >= set(ids)
    for n, article_id in enumerate(ids):
        article = client.get(f"/articles/{quote(article_id, safe='')}").json()
        assert (article["id"], article["headline"]) == (article_id, f"Story {n}")
        assert article["statements_found"], article_id
        assert {s["article"] for s in article["statements_found"]} == {article_id}
        assert client.get(f"/network/articles/{quote(article_id, safe='')}").json()["id"] == article_id
    said = client.get("/statements", params={"text": "bridge 0"}).json()
    assert [s["article"] for s in said["items"]] == ["a/b"]
    assert client.delete(f"/articles/{quote('a/b', safe='')}", headers=AUTH).status_code == 204
    assert client.get(f"/articles/{quote('a/b', safe='')}").status_code == 404
    assert client.get(f"/articles/{quote('a b', safe='')}").status_code == 200
    assert client.get("/statements", params={"text": "bridge 0"}).json()["total"] == 0


def test_articles_without_ids_do_not_replace_each_other(client):
    texts = ["Senator Rosa Delgado said that the harbour would close.",
             "Senator Tom Becker said that the harbour would stay open."]
    r = post(client, [{"text": t} for t in texts])
    assert r.status_code == 201 and r.json()["ingested"] == 2
    first, second = r.json()["articles"]
    assert first != second and [first, second] == [content_id(t) for t in texts]
    for article_id, text in zip((first, second), texts):
        assert client.get(f"/articles/{article_id}").json()["text"] == text
    again = post(client, {"text": texts[0]})  # the same text again: the same article, unchanged
    assert again.status_code == 200 and again.json() == {"ingested": 0, "unchanged": 1, "articles": [first]}
    plain = client.post("/articles", content=texts[1].encode(), headers={**AUTH, "Content-Type": "text/plain"})
    assert plain.status_code == 200 and plain.json()["articles"] == [second]


def test_a_plain_text_id_may_hold_a_slash(client):
    r = client.post("/articles", params={"id": "desk/metro 7"}, headers={**AUTH, "Content-Type": "text/plain"},
                    content="Council vote\n\nMayor Ana Lopez said that the vote would be held.".encode())
    assert r.status_code == 201 and r.json()["articles"] == ["desk/metro 7"]
    assert client.get(f"/articles/{quote('desk/metro 7', safe='')}").json()["headline"] == "Council vote"


def test_an_id_twice_in_one_request_is_refused(client):
    before = client.get("/articles", params={"limit": 500}).json()
    r = post(client, [{"id": "twice", "text": "Ann Lee said it rained."}, {"id": "once", "text": "Tom Roe said so."},
                      {"id": "twice", "text": "Ann Lee said it snowed."}])
    assert r.status_code == 400
    assert r.json()["detail"].startswith('article 2: the id "twice" is article 0\'s too')
    r = post(client, [{"text": "Ann Lee said it hailed."}, {"text": "Ann Lee said it hailed."}])
    assert r.status_code == 400 and content_id("Ann Lee said it hailed.") in r.json()["detail"]
    assert client.get("/articles", params={"limit": 500}).json() == before


def test_kg_ingest_keeps_the_first_of_an_id_and_names_both(tmp_path):
    inputs = tmp_path / "in"
    (inputs / "east").mkdir(parents=True)
    (inputs / "west").mkdir()
    (inputs / "east" / "report.txt").write_text("East report\n\nMayor Ana Lopez said that the east road would open.\n")
    (inputs / "west" / "report.txt").write_text("West report\n\nMayor Tom Roe said that the west road would close.\n")
    feed = [{"id": "wire/1", "text": "Minister Rosa Delgado said that taxes would rise."},
            {"id": "wire 1", "text": "Minister Rosa Delgado said that taxes would fall."},
            {"id": "wire/1", "text": "Minister Ivan Petrov said that taxes would stay."}]
    (inputs / "feed.jsonl").write_text("".join(json.dumps(r) + "\n" for r in feed), encoding="utf-8")
    data = tmp_path / "data"
    result = run_kg("ingest", str(inputs), data=data, check=False)
    assert result.returncode == 1
    skipped = [line for line in result.stderr.splitlines() if line.startswith("skipped")]
    assert len(skipped) == 2, result.stderr
    assert f"{inputs}/west/report.txt" in skipped[1] and f"{inputs}/east/report.txt" in skipped[1]
    assert '"report"' in skipped[1]
    assert f"{inputs}/feed.jsonl:3" in skipped[0] and f"{inputs}/feed.jsonl:1" in skipped[0]
    assert '"wire/1"' in skipped[0]
    assert "3 ingested" in result.stderr
    texts = run_kg("query", "SELECT ?id ?text WHERE { ?a <https://schema.org/identifier> ?id ; "
                   "<https://schema.org/text> ?text } ORDER BY ?id", "-f", "json", data=data).stdout
    rows = {row["id"]["value"]: row["text"]["value"] for row in json.loads(texts)["results"]["bindings"]}
    assert set(rows) == {"report", "wire/1", "wire 1"}
    assert "east road" in rows["report"] and "rise" in rows["wire/1"] and "fall" in rows["wire 1"]
    assert run_kg("delete", "wire/1", data=data).stdout.strip() == "deleted wire/1"


def test_stored_seed_ids_are_read_as_before(seed_store):
    out = run_kg("query", "SELECT ?a WHERE { ?a a <https://schema.org/NewsArticle> }", "-f", "csv",
                 data=seed_store).stdout
    assert out.split()[1:] == ["https://kg.local/article/000_0f18a4f966cbcf2d"]
    assert IRIS.article_id(out.split()[1]) == "000_0f18a4f966cbcf2d"
    assert Article(id="000_0f18a4f966cbcf2d", text="x", file="x.txt").id == "000_0f18a4f966cbcf2d"
