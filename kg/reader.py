"""Reading articles from .txt, .json, .jsonl and .html files and folders of them.

Every offset the extractor reports indexes `Article.text`, the exact decoded text of the input
(for JSON, the decoded value of the text field; for HTML, the text between the tags).
"""
from __future__ import annotations

import codecs
import json
import re
from collections.abc import Callable, Iterator
from dataclasses import replace
from datetime import date
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


class ReadError(ValueError):
    """An input that cannot be read as an article; the message names the file (and line)."""


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
    name = str(path)
    if path.stat().st_size > MAX_BYTES:
        raise ReadError(f"{name}: {path.stat().st_size} bytes is over the {MAX_BYTES}-byte limit")
    text = decode(path.read_bytes(), name)
    suffix = path.suffix.lower()
    if suffix in (".html", ".htm"):
        yield from_html(text, path)
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
                yield article
    elif suffix == ".json":
        try:
            data = json.loads(text)
        except json.JSONDecodeError as err:
            raise ReadError(f"{name}: malformed JSON: {err}") from None
        for i, obj in enumerate(data if isinstance(data, list) else [data]):
            yield from_record(obj, path, f"{path.stem}-{i}" if isinstance(data, list) else path.stem)
    else:
        yield from_text(text, path)


def from_json_line(line: str, path: Path, lineno: int) -> Article:
    try:
        obj = json.loads(line)
    except json.JSONDecodeError as err:
        raise ReadError(f"{path}:{lineno}: malformed JSON: {err}") from None
    return from_record(obj, path, f"{path.stem}-{lineno}", where=f"{path}:{lineno}")


def from_record(obj, path: Path, fallback_id: str, where: str | None = None) -> Article:
    where = where or str(path)
    if not isinstance(obj, dict):
        raise ReadError(f"{where}: expected a JSON object with a text field")
    text = _first(obj, TEXT_FIELDS)
    if not isinstance(text, str) or not text.strip():
        raise ReadError(f"{where}: no text (expected one of the fields {', '.join(TEXT_FIELDS)})")
    check_length(text, where)
    return Article(
        id=safe_id(str(obj.get("id") or fallback_id)), text=text, file=path.name,
        title=_first(obj, TITLE_FIELDS), date=_first(obj, DATE_FIELDS),
        url=obj.get("url"), source=_first(obj, SOURCE_FIELDS))


def check_length(text: str, where: str) -> None:
    if len(text) > MAX_CHARS:
        raise ReadError(f"{where}: {len(text)} characters is over the {MAX_CHARS}-character limit "
                        "for one article; split it into articles")


def from_text(text: str, path: Path) -> Article:
    if not text.strip():
        raise ReadError(f"{path}: empty file")
    check_length(text, str(path))
    lines = [line.strip() for line in text.splitlines() if line.strip()]
    match = DATE_LINE.match(lines[0])
    if match:  # the seed layout: a date line first, the headline last
        day, month, year = (int(g) for g in match.groups())
        try:
            published = date(year, month, day).isoformat()
        except ValueError:
            published = None
        title = lines[-1] if len(lines) > 1 else None
    else:
        published, title = None, lines[0]
    return Article(id=safe_id(path.stem), text=text, file=path.name, title=title, date=published)


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


def safe_id(value: str) -> str:
    return re.sub(r"[^A-Za-z0-9._-]+", "-", value).strip("-")[:200] or "article"


def _first(obj: dict, keys: tuple[str, ...]):
    for key in keys:
        if obj.get(key) not in (None, ""):
            return obj[key]
    return None
