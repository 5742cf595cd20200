"""Hostile article bodies (POST /articles and the JSON files `kg ingest` reads): nesting deep enough
to exhaust Python's recursion, lone surrogates, fields of the wrong kind and dates that are none get
a 400 or a 422 in our own words, naming the field, never a 500 or a Python exception's text; and
`kg validate` catches an ill-typed date literal that reached the store some other way."""
import json
import logging
from dataclasses import replace

import pytest
from fastapi.testclient import TestClient

from conftest import run_kg
from kg.reader import FieldError, ReadError, from_record, read_path
from kg.stores.oxigraph import OxigraphStore
from kg.validate import validate

TOKEN = "test-token-bodies-0123456789"
AUTH = {"Authorization": f"Bearer {TOKEN}"}
PYTHON_WORDS = ("Traceback", "RecursionError", "has no len", "codec", "surrogates not allowed", "object of type",
                "Error:")
TEXT = "Mayor Ana Lopez said that the bridge would open."


@pytest.fixture(scope="module")
def client(extractor):
    from api.app import create_app
    from kg.config import Settings

    app = create_app(OxigraphStore(), replace(Settings.from_env(), api_token=TOKEN))
    app.state.extractor = extractor
    with TestClient(app, raise_server_exceptions=False) as client:
        yield client


def post_raw(client, body: str):
    return client.post("/articles", content=body.encode("utf-8"),
                       headers={**AUTH, "Content-Type": "application/json"})


def assert_ours(response, status: int, *words: str):
    assert response.status_code == status, response.text
    detail = response.json()["detail"]
    assert isinstance(detail, str), detail
    for word in words:
        assert word in detail, detail
    for word in PYTHON_WORDS:
        assert word not in detail, detail


def test_json_nested_100000_deep_is_a_400(client):
    assert_ours(post_raw(client, "[" * 100_000 + "]" * 100_000), 400, "nested too deeply")
    body = '{"text": "x", "extra": ' + "[" * 100_000 + "]" * 100_000 + "}"
    assert_ours(post_raw(client, body), 400, "nested too deeply")


@pytest.mark.parametrize("field", ["text", "title", "source", "date", "id", "url"])
def test_a_lone_surrogate_is_refused_naming_the_field(client, field):
    record = {"id": "surrogate", "text": TEXT, field: "bad \ud800 value"}
    body = json.dumps(record)  # ensure_ascii writes the surrogate as the escape \ud800
    assert "\\ud800" in body
    assert_ours(post_raw(client, body), 422, field, "not valid Unicode", "U+D800")


@pytest.mark.parametrize("field, value, kind", [
    ("date", 20240305, "a number"), ("source", 7, "a number"), ("title", ["a", "b"], "a list"),
    ("headline", {"main": "x"}, "an object"), ("url", True, "true or false"), ("text", ["a"], "a list"),
    ("id", ["x"], "a list"),
])
def test_a_field_of_the_wrong_kind_is_a_422_naming_it(client, field, value, kind):
    assert_ours(post_raw(client, json.dumps({"text": TEXT, field: value})), 422, field, kind)


def test_nothing_of_a_bad_list_is_stored(client):
    before = client.get("/articles").json()
    r = post_raw(client, json.dumps([{"id": "fine", "text": TEXT}, {"id": "bad", "text": TEXT, "title": ["a"]}]))
    assert_ours(r, 422, "article 1: title must be a string, not a list")
    assert client.get("/articles").json() == before


@pytest.mark.parametrize("value", ["2016-02-30", "abcd-ef-gh", "2024-13-01", "05.03.2024", "March 5, 2024",
                                   "2024-03-05T25:00:00", "２０２４-03-05"])
def test_a_date_that_is_no_date_is_refused(client, value):
    assert_ours(post_raw(client, json.dumps({"id": "dated", "text": TEXT, "date": value})), 422, "date", "not a date")


def test_good_dates_are_typed(client):
    r = post_raw(client, json.dumps([{"id": "day", "text": TEXT, "date": "2016-02-29"},
                                     {"id": "moment", "text": TEXT + " Again.", "date": "2024-03-05T10:00:00Z"}]))
    assert r.status_code == 201, r.text
    query = ("SELECT ?id (DATATYPE(?d) AS ?t) ?d WHERE { ?a <https://schema.org/identifier> ?id ; "
             "<https://schema.org/datePublished> ?d }")
    rows = client.get("/sparql", params={"query": query},
                      headers={"Accept": "application/sparql-results+json"})
    if rows.status_code != 200:  # the SPARQL endpoint is someone else's; read the articles instead
        assert client.get("/articles/day").json()["date"] == "2016-02-29"
        assert client.get("/articles/moment").json()["date"] in ("2024-03-05T10:00:00Z", "2024-03-05T10:00:00+00:00")
        return
    found = {b["id"]["value"]: (b["t"]["value"], b["d"]["value"]) for b in rows.json()["results"]["bindings"]}
    assert found["day"] == ("http://www.w3.org/2001/XMLSchema#date", "2016-02-29")
    assert found["moment"][0] == "http://www.w3.org/2001/XMLSchema#dateTime"
    assert found["moment"][1] in ("2024-03-05T10:00:00Z", "2024-03-05T10:00:00+00:00")  # as Oxigraph writes it


def test_the_reader_gives_the_cli_the_same_rules(tmp_path):
    with pytest.raises(FieldError, match="title must be a string, not a list"):
        from_record({"text": TEXT, "title": ["a", "b"]}, tmp_path / "x.json", "x")
    with pytest.raises(FieldError, match='date "2016-02-30" is not a date'):
        from_record({"text": TEXT, "date": "2016-02-30"}, tmp_path / "x.json", "x")
    deep = tmp_path / "deep.json"
    deep.write_text("[" * 100_000 + "]" * 100_000)
    with pytest.raises(ReadError, match="nested too deeply"):
        list(read_path(deep))
    feed = tmp_path / "feed.jsonl"
    feed.write_text("\n".join([json.dumps({"id": "ok", "text": TEXT}), "[" * 100_000 + "]" * 100_000,
                               json.dumps({"id": "s", "text": "bad \ud800"}), json.dumps({"text": TEXT, "date": 5}),
                               json.dumps({"id": "also-ok", "text": TEXT, "date": "abcd-ef-gh"}),
                               json.dumps({"id": "last", "text": TEXT, "date": "2024-03-05"})]))
    errors = []
    assert [a.id for a in read_path(feed, errors.append)] == ["ok", "last"]
    assert [e.split(": ", 1)[0].rsplit(":", 1)[1] for e in errors] == ["2", "3", "4", "5"]
    assert "nested too deeply" in errors[0] and "text is not valid Unicode" in errors[1]
    assert "date must be a string, not a number" in errors[2] and 'date "abcd-ef-gh" is not a date' in errors[3]


BAD_DATES = """
<https://kg.local/article/bad> <http://www.w3.org/1999/02/22-rdf-syntax-ns#type> <https://schema.org/NewsArticle> .
<https://kg.local/article/bad> <https://schema.org/identifier> "bad" .
<https://kg.local/article/bad> <https://schema.org/text> "Ann Lee said it rained." .
<https://kg.local/article/bad> <https://kg.local/ns#contentHash> "0" .
<https://kg.local/article/bad> <https://schema.org/datePublished> "2016-02-30"^^<http://www.w3.org/2001/XMLSchema#date> .
"""


@pytest.mark.parametrize("literal", ['"2016-02-30"^^<http://www.w3.org/2001/XMLSchema#date>',
                                     '"abcd-ef-gh"^^<http://www.w3.org/2001/XMLSchema#date>', '"abcd-ef-gh"'])
def test_shacl_catches_an_ill_typed_date(literal, caplog):
    store = OxigraphStore()
    store.replace_ntriples("https://kg.local/article/bad",
                           BAD_DATES.replace('"2016-02-30"^^<http://www.w3.org/2001/XMLSchema#date>', literal))
    with caplog.at_level(logging.WARNING):
        conforms, text = validate(store)
    assert not conforms and "datePublished" in text
    assert "Traceback" not in caplog.text and "Failed to convert" not in caplog.text


def test_kg_validate_fails_on_an_ill_typed_date(tmp_path):
    data = tmp_path / "data"
    store = OxigraphStore(data)
    store.replace_ntriples("https://kg.local/article/bad", BAD_DATES)
    store.flush()
    del store
    result = run_kg("validate", data=data, check=False)
    assert result.returncode == 1 and "datePublished" in result.stdout
    assert "Traceback" not in result.stderr and "conforms:" not in result.stdout
