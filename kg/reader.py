"""Reading articles from .txt, .json, .jsonl and .html files and folders of them.

Every offset the extractor reports indexes `Article.text`, the exact decoded text of the input
(for JSON, the decoded value of the text field; for HTML, the text between the tags).
"""
from __future__ import annotations

import calendar
import codecs
import hashlib
import json
import re
from collections.abc import Callable, Iterable, Iterator
from dataclasses import replace
from datetime import date, datetime
from html.parser import HTMLParser
from pathlib import Path

from .model import Article

SUFFIXES = {".txt", ".json", ".jsonl", ".html", ".htm"}
MAX_BYTES = 100_000_000  # per file: a feed of many articles
MAX_CHARS = 1_000_000  # per article: spaCy's max_length (its parser needs ~1 GB per 100,000 characters)
DATE_LINE = re.compile(r"^\s*(?:[A-Za-z]+\.?,?\s+)?(\d{1,2})\.(\d{1,2})\.(\d{4})\s*$")
TEXT_FIELDS = ("text", "body", "content", "article")
TITLE_FIELDS = ("title", "headline")
DATE_FIELDS = ("date", "published", "datePublished", "published_at")
SOURCE_FIELDS = ("source", "publisher", "outlet")
MAX_ID_CHARS = 500
ISO_DATE = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}")
ISO_DATE_TIME = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}[T ][0-9]{2}:[0-9]{2}(?::[0-9]{2}(?:\.[0-9]{1,6})?)?"
                           r"(?:Z|[+-][0-9]{2}:[0-9]{2})?")
SURROGATE = re.compile("[\ud800-\udfff]")


class ReadError(ValueError):
    """An input that cannot be read as an article; the message names the file (and line)."""


class FieldError(ReadError):
    """An article whose field has a value of the wrong kind (a list for a title, a date that is
    no date); the message names the field. The API answers it with a 422, other ReadErrors a 400."""


def find_files(paths: list[Path]) -> Iterator[Path]:
    for path in paths:
        if path.is_dir():
            yield from sorted(p for p in path.rglob("*") if p.is_file() and p.suffix.lower() in SUFFIXES)
        else:
            yield path


def decode(data: bytes, name: str) -> str:
    """UTF-8 (with or without a BOM), UTF-16 with a BOM, else cp1252, else latin-1."""
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        try:
            return data.decode("utf-16")
        except UnicodeDecodeError as err:
            raise ReadError(f"{name}: broken UTF-16: {err.reason} at byte {err.start}") from None
    if b"\x00" in data[:8192]:
        raise ReadError(f"{name}: binary file (contains NUL bytes), not an article")
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        return data.decode("cp1252", errors="strict") if _is_cp1252(data) else data.decode("latin-1")


def _is_cp1252(data: bytes) -> bool:
    try:
        data.decode("cp1252")
        return True
    except UnicodeDecodeError:
        return False


def read_path(path: Path, on_error: Callable[[str], None] | None = None) -> Iterator[Article]:
    """Articles in one file; raises ReadError for a file that holds none. A bad line of a JSONL
    feed goes to on_error, when given, and the lines after it are still read."""
    return (article for _, article in read_located(path, on_error))


def read_located(path: Path, on_error: Callable[[str], None] | None = None) -> Iterator[tuple[str, Article]]:
    """read_path's articles, each with where it was read (the file, and line or place in a list)."""
    name = str(path)
    if path.stat().st_size > MAX_BYTES:
        raise ReadError(f"{name}: {path.stat().st_size} bytes is over the {MAX_BYTES}-byte limit")
    text = decode(path.read_bytes(), name)
    suffix = path.suffix.lower()
    if suffix in (".html", ".htm"):
        yield name, from_html(text, path)
    elif suffix == ".jsonl":
        for lineno, line in enumerate(text.splitlines(), 1):
            if line.strip():
                try:
                    article = from_json_line(line, path, lineno)
                except ReadError as err:
                    if on_error is None:
                        raise
                    on_error(str(err))
                    continue
                yield f"{name}:{lineno}", article
    elif suffix == ".json":
        try:
            data = json.loads(text)
        except json.JSONDecodeError as err:
            raise ReadError(f"{name}: malformed JSON: {err}") from None
        except RecursionError:
            raise ReadError(f"{name}: {TOO_DEEP}") from None
        if isinstance(data, list):
            for i, obj in enumerate(data):
                where = f"{name} (article {i})"
                yield where, from_record(obj, path, f"{path.stem}-{i}", where=where)
        else:
            yield name, from_record(data, path, path.stem)
    else:
        yield name, from_text(text, path)


def unique_ids(located: Iterable[tuple[str, Article]], on_error: Callable[[str], None]) -> Iterator[Article]:
    """The articles of one batch with the first of each id: a later article with an id seen already
    would replace the earlier one in the store, so it goes to on_error, naming both, and is left out."""
    seen: dict[str, str] = {}
    for where, article in located:
        if article.id in seen:
            on_error(f"{where}: {duplicate(article.id, seen[article.id])}")
            continue
        seen[article.id] = where
        yield article


def duplicate(article_id: str, first: str) -> str:
    return f"the id {quoted(article_id)} is taken already by {first} in this batch: that one is kept, this one left out"


TOO_DEEP = "the JSON is nested too deeply to be an article"


def from_json_line(line: str, path: Path, lineno: int) -> Article:
    try:
        obj = json.loads(line)
    except json.JSONDecodeError as err:
        raise ReadError(f"{path}:{lineno}: malformed JSON: {err}") from None
    except RecursionError:
        raise ReadError(f"{path}:{lineno}: {TOO_DEEP}") from None
    return from_record(obj, path, f"{path.stem}-{lineno}", where=f"{path}:{lineno}")


def from_record(obj, path: Path, fallback_id: str | None, where: str | None = None) -> Article:
    """An article from a JSON object. Without an id it takes fallback_id, or, when that is None,
    the id of its text (content_id). Each field must be a string (an id may be an integer) of
    valid Unicode, a date an ISO 8601 date or date-time; else a FieldError names the field."""
    where = where or str(path)
    if not isinstance(obj, dict):
        raise ReadError(f"{where}: expected a JSON object with a text field")
    text = _string(obj, TEXT_FIELDS, where)
    if text is None or not text.strip():
        raise ReadError(f"{where}: no text (expected one of the fields {', '.join(TEXT_FIELDS)})")
    check_length(text, where)
    raw_id = obj.get("id")
    if raw_id is None or raw_id == "":
        article_id = check_id(fallback_id, where) if fallback_id is not None else content_id(text)
    elif isinstance(raw_id, int) and not isinstance(raw_id, bool):
        article_id = str(raw_id)
    elif isinstance(raw_id, str):
        article_id = check_id(raw_id, where)
    else:
        raise FieldError(f"{where}: id must be a string or an integer, not {json_type(raw_id)}")
    published, url = _string(obj, DATE_FIELDS, where), _string(obj, ("url",), where)
    if published is not None:
        published, date_source = check_date(published, where), "feed field"
    else:
        published, date_source = date_in_url(url or ""), "url"
    return Article(
        id=article_id, text=text, file=path.name, title=_string(obj, TITLE_FIELDS, where),
        date=published, url=url, source=_string(obj, SOURCE_FIELDS, where),
        date_source=date_source if published else None)


def content_id(text: str) -> str:
    """The id of an article that comes without one: the start of its text's SHA-256, so the same
    text is the same article however often it is sent."""
    return hashlib.sha256(text.encode("utf-8")).hexdigest()[:16]


def check_id(value: str, where: str) -> str:
    """An article id as given (any Unicode; kg/vocab.py escapes it into IRIs one to one), or a FieldError."""
    if not value.strip():
        raise FieldError(f"{where}: the id is empty")
    if len(value) > MAX_ID_CHARS:
        raise FieldError(f"{where}: the id is {len(value)} characters long, over the {MAX_ID_CHARS}-character limit")
    check_unicode(value, where, "id")
    return value


def check_unicode(value: str, where: str, field: str) -> None:
    match = SURROGATE.search(value)
    if match:
        raise FieldError(f"{where}: {field} is not valid Unicode: it holds a lone surrogate "
                         f"(U+{ord(match.group()):04X}) at character {match.start()}")


def iso_date(value: str) -> str | None:
    """An ISO 8601 date (YYYY-MM-DD) as itself, a date-time (YYYY-MM-DDTHH:MM[:SS[.ffffff]] with
    Z or an offset, or none) in xsd:dateTime's form; None for anything else, or a day the calendar
    lacks (2016-02-30)."""
    try:
        if ISO_DATE.fullmatch(value):
            return date.fromisoformat(value).isoformat()
        if ISO_DATE_TIME.fullmatch(value):
            return datetime.fromisoformat(value).isoformat()
    except ValueError:
        return None
    return None


def check_date(value: str, where: str, field: str = "date") -> str:
    normal = iso_date(value.strip())
    if normal is None:
        raise FieldError(f"{where}: {field} {quoted(value[:100])} is not a date: expected YYYY-MM-DD "
                         "(or an ISO 8601 date-time, 2024-03-05T10:00:00Z)")
    return normal


def check_length(text: str, where: str) -> None:
    if len(text) > MAX_CHARS:
        raise ReadError(f"{where}: {len(text)} characters is over the {MAX_CHARS}-character limit "
                        "for one article; split it into articles")


def from_text(text: str, path: Path, article_id: str | None = None) -> Article:
    """A plain-text article; its id is article_id, or else the file's name without the suffix."""
    if not text.strip():
        raise ReadError(f"{path}: empty file")
    check_length(text, str(path))
    check_unicode(text, str(path), "text")
    if article_id is None:
        if SURROGATE.search(path.stem):
            raise ReadError(f"{path}: the file's name is not UTF-8, so it gives no id; rename the file")
        article_id = path.stem
    article_id = check_id(article_id, str(path))
    lines = [line.strip() for line in text.splitlines() if line.strip()]
    match = DATE_LINE.match(lines[0])
    if match:  # the seed layout: a date line first, the headline last
        day, month, year = (int(g) for g in match.groups())
        try:
            published = date(year, month, day).isoformat()
        except ValueError:
            published = None
        title, date_source = (lines[-1] if len(lines) > 1 else None), "date line"
    else:
        title, published, date_source = lines[0], date_given(lines[1:3]), "dateline"
        if published is None:
            published, date_source = date_given([path.stem]), "file name"
    return Article(id=article_id, text=text, file=path.name, title=title, date=published,
                   date_source=date_source if published else None)


DATELINE_REACH = 40  # a dateline's date opens its line: "On 12 March 2020, ..." later in a lede is no dateline
MONTHS = {name.lower(): number for names in (calendar.month_name, calendar.month_abbr)
          for number, name in enumerate(names) if name}
MONTH = r"(" + "|".join(sorted(MONTHS, key=len, reverse=True)) + r")\.?"
DATE_FORMS = [  # each with its groups' order: year, month, day
    (re.compile(r"(?<!\d)(\d{4})-(\d{2})-(\d{2})(?!\d)"), (0, 1, 2)),  # 2026-03-14, a file's 2016-09-12
    (re.compile(r"(?<!\d)(\d{1,2})\.(\d{1,2})\.(\d{4})(?!\d)"), (2, 1, 0)),  # 25.09.2023
    (re.compile(r"(?i)\b(\d{1,2}) " + MONTH + r",? (\d{4})\b"), (2, 1, 0)),  # 18 April 2024, Sun 15 Mar 2026
    (re.compile(r"(?i)\b" + MONTH + r" (\d{1,2}),? (\d{4})\b"), (2, 0, 1)),  # March 9, 2026
]


# An article keeps where its date was read (Article.date_source, kg:dateSource): "feed field",
# "date line" (the seed's layout opens with it), "dateline", "file name" or "url".
URL_DATE = re.compile(r"/(\d{4})[/-](\d{2})[/-](\d{2})(?=[/\-_.]|$)")  # /2024/03/14/, /2024-03-14-slug


def date_in_url(url: str) -> str | None:
    for year, month, day in URL_DATE.findall(url):
        try:
            return date(int(year), int(month), int(day)).isoformat()
        except ValueError:
            continue
    return None


def date_given(lines: list[str]) -> str | None:
    """The date a dateline or date line gives ("BRUSSELS, 11 March 2026 -", "Published 2026-03-14",
    "FRANKFURT, 12.03.2026"), or an ISO date in a file's name; a date without its year ("LONDON,
    March 14 (Reuters)") is none, as is a day the calendar lacks."""
    for line in lines:
        for form, order in DATE_FORMS:
            match = form.search(line[:60])
            if match and match.start() <= DATELINE_REACH:
                year, month, day = (match.group(i + 1) for i in order)
                try:
                    return date(int(year), MONTHS.get(month.lower()) or int(month), int(day)).isoformat()
                except ValueError:
                    continue
    return None


class _HtmlText(HTMLParser):
    """The visible text of a page: blocks on lines of their own, scripts and styles left out."""
    BLOCKS = {"p", "div", "br", "li", "h1", "h2", "h3", "h4", "h5", "h6", "tr", "blockquote", "section",
              "article", "header", "footer", "title", "pre", "figcaption", "dd", "dt"}
    HIDDEN = {"script", "style", "template", "noscript", "head"}

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self.title: list[str] = []
        self.hidden = 0
        self.in_title = False

    def handle_starttag(self, tag, attrs):
        self.hidden += tag in self.HIDDEN
        self.in_title |= tag == "title"
        if tag in self.BLOCKS:
            self.parts.append("\n")

    def handle_endtag(self, tag):
        self.hidden -= tag in self.HIDDEN and self.hidden > 0
        self.in_title &= tag != "title"
        if tag in self.BLOCKS:
            self.parts.append("\n")

    def handle_data(self, data):
        if self.in_title:
            self.title.append(data)
        elif not self.hidden:
            self.parts.append(data)


def from_html(html: str, path: Path) -> Article:
    parser = _HtmlText()
    parser.feed(html)
    parser.close()
    lines = (re.sub(r"[ \t\r\f\v]+", " ", line).strip() for line in "".join(parser.parts).split("\n"))
    text = re.sub(r"\n{3,}", "\n\n", "\n".join(lines)).strip() + "\n"
    if not text.strip():
        raise ReadError(f"{path}: no text in this HTML page")
    article = from_text(text, path)
    title = " ".join("".join(parser.title).split())
    return replace(article, title=title) if title else article


def _string(obj: dict, keys: tuple[str, ...], where: str) -> str | None:
    """The first of these fields that is given (not null or ""), which must be a string of valid Unicode."""
    for key in keys:
        value = obj.get(key)
        if value is None or value == "":
            continue
        if not isinstance(value, str):
            raise FieldError(f"{where}: {key} must be a string, not {json_type(value)}")
        check_unicode(value, where, key)
        return value
    return None


def json_type(value) -> str:
    if isinstance(value, bool):
        return "true or false"
    if isinstance(value, (int, float)):
        return "a number"
    return {list: "a list", dict: "an object"}.get(type(value), type(value).__name__)


def quoted(value: str) -> str:
    """A value in double quotes, its control characters and quotes escaped, for a message."""
    return json.dumps(value, ensure_ascii=False)
