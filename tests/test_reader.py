"""Reading articles: layouts, formats, and bad input that must fail clearly."""
import json

import pytest

from kg.reader import ReadError, from_text, read_path
from conftest import ARTICLES, SEED


def test_seed_layout_date_first_headline_last():
    [article] = read_path(SEED)
    assert article.id == "000_0f18a4f966cbcf2d"
    assert article.date == "2023-09-25"
    assert article.title == "Biden wants to boost Ukrainian defence in case of Russian invasion"
    assert article.text == SEED.read_text(encoding="utf-8")


def test_generic_text_has_headline_first():
    [article] = read_path(ARTICLES / "council.txt")
    assert article.title == "Council approves new harbour plan"
    assert article.date is None


def test_jsonl_fields_and_aliases():
    first, second = read_path(ARTICLES / "feed.jsonl")
    assert (first.id, first.title, first.date, first.source) == ("wire-1", "Minister warns of delays", "2024-03-01", "Example Wire")
    assert (second.id, second.title, second.date) == ("wire-2", "Union responds", "2024-03-02")
    assert second.text.startswith('"We will not')


def test_json_file(tmp_path):
    path = tmp_path / "one.json"
    path.write_text(json.dumps({"headline": "H", "body": "Ann Lee said it rained."}), encoding="utf-8")
    [article] = read_path(path)
    assert (article.id, article.title, article.text) == ("one", "H", "Ann Lee said it rained.")


@pytest.mark.parametrize("name, content, message", [
    ("empty.txt", b"", "empty file"),
    ("blank.txt", b"\n  \n", "empty file"),
    ("image.txt", b"\x89PNG\r\n\x1a\n\x00\x00", "binary"),
    ("broken.json", b"{not json", "malformed JSON"),
    ("list.json", b"[1, 2]", "expected a JSON object"),
    ("notext.json", b'{"title": "no body"}', "no text"),
])
def test_bad_input_fails_with_the_file_name(tmp_path, name, content, message):
    path = tmp_path / name
    path.write_bytes(content)
    with pytest.raises(ReadError, match=message) as info:
        list(read_path(path))
    assert name in str(info.value)


def test_malformed_jsonl_line_names_the_line(tmp_path):
    path = tmp_path / "feed.jsonl"
    path.write_text('{"text": "Ann Lee said it rained."}\n{oops\n', encoding="utf-8")
    articles = read_path(path)
    assert next(articles).id == "feed-1"
    with pytest.raises(ReadError, match=r"feed.jsonl:2: malformed JSON"):
        next(articles)


def test_cp1252_text_is_decoded(tmp_path):
    path = tmp_path / "legacy.txt"
    path.write_bytes("Headline\n\n\u201cIt works,\u201d said Zo\u00eb Adams.".encode("cp1252"))
    [article] = read_path(path)
    assert "\u201cIt works,\u201d said Zo\u00eb Adams." in article.text


def test_lines_after_a_bad_jsonl_line_are_read(tmp_path):
    path = tmp_path / "feed.jsonl"
    path.write_text('{oops\n{"title": "no body"}\n{"text": "Ann Lee said it rained."}\n', encoding="utf-8")
    errors = []
    assert [a.id for a in read_path(path, errors.append)] == ["feed-3"]
    assert [e.split(": ")[0][-len("feed.jsonl:1"):] for e in errors] == ["feed.jsonl:1", "feed.jsonl:2"]


@pytest.mark.parametrize("encoding", ["utf-8-sig", "utf-16"])
def test_byte_order_marks(tmp_path, encoding):
    path = tmp_path / "bom.txt"
    path.write_bytes("Caf\u00e9 news\n\nZo\u00eb Adams said it rained.".encode(encoding))
    [article] = read_path(path)
    assert article.title == "Caf\u00e9 news" and article.text.startswith("Caf\u00e9")


def test_html_is_read_as_its_visible_text(tmp_path):
    path = tmp_path / "page.html"
    path.write_text("<html><head><title>Port  deal</title><style>p {}</style></head><body><h1>Deal signed</h1>"
                    "<p>Helen Ortiz said the port would open &amp; grow.</p><script>var x;</script></body></html>")
    [article] = read_path(path)
    assert article.title == "Port deal"
    assert article.text == "Deal signed\n\nHelen Ortiz said the port would open & grow.\n"


@pytest.mark.parametrize("name, text, expected, source", [
    ("a.txt", "Lender names chief\n\nBengaluru, 18 April 2024: Konark Bank named a new chief.\n", "2024-04-18", "dateline"),
    ("a.txt", "Probe opened\n\nBRUSSELS, 11 March 2026 - The Commission opened a probe.\n", "2026-03-11", "dateline"),
    ("a.txt", "Rates held\n\nFRANKFURT, 12.03.2026 — The bank held its rate.\n", "2026-03-12", "dateline"),
    ("a.txt", "Cabinet named\n\nLIMA, March 9, 2026 (AFP) - The president named a cabinet.\n", "2026-03-09", "dateline"),
    ("a.txt", "Tariffs up\n\nPublished 2026-03-14\n\nPrices rose.\n", "2026-03-14", "dateline"),
    ("wire_2016-09-12_vote.txt", "Vote count\n\nLILONGWE, March 12 (Reuters) - The count began.\n", "2016-09-12",
     "file name"),
    ("a.txt", "Vote count\n\nLILONGWE, March 12 (Reuters) - The count began.\n", None, None),  # no year: no date
    ("a.txt", "History\n\nThe company, which was founded by two brothers in a garage, said on 12 March 2020 it grew.\n",
     None, None),  # a date inside the lede is no dateline
])
def test_dates_from_datelines_and_file_names(tmp_path, name, text, expected, source):
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    article = from_text(text, path)
    assert (article.date, article.date_source) == (expected, source)


def test_a_feed_dates_by_its_field_or_else_by_its_url(tmp_path):
    path = tmp_path / "feed.jsonl"
    rows = [{"id": "f1", "text": "The port reopened.", "date": "2024-05-02", "url": "https://news.example/2023/01/01/x"},
            {"id": "f2", "text": "The port closed.", "url": "https://news.example/world/2024/05/03/port-closed"},
            {"id": "f3", "text": "The port waits.", "url": "https://news.example/2024-13-40-port"}]
    path.write_text("\n".join(json.dumps(row) for row in rows), encoding="utf-8")
    dated = [(a.date, a.date_source) for a in read_path(path)]
    assert dated == [("2024-05-02", "feed field"), ("2024-05-03", "url"), (None, None)]
    assert next(iter(read_path(SEED))).date_source == "date line"
