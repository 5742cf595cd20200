"""Reading articles from .txt, .json and .jsonl files and folders of them.

Every offset the extractor reports indexes `Article.text`, the exact decoded text of the input
(for JSON, the decoded value of the text field).
"""
from __future__ import annotations

import json
import re
from collections.abc import Iterator
from datetime import date
from pathlib import Path

from .model import Article

SUFFIXES = {".txt", ".json", ".jsonl"}
MAX_BYTES = 20_000_000
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
    if b"\x00" in data[:8192]:
        raise ReadError(f"{name}: binary file (contains NUL bytes), not an article")
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        return data.decode("cp1252", errors="strict") if _is_cp1252(data) else data.decode("latin-1")


def _is_cp1252(data: bytes) -> bool:
    try:
        data.decode("cp1252")
        return True
    except UnicodeDecodeError:
        return False


def read_path(path: Path) -> Iterator[Article]:
    """Articles in one file; raises ReadError for a file that holds none."""
    name = str(path)
    if path.stat().st_size > MAX_BYTES:
        raise ReadError(f"{name}: {path.stat().st_size} bytes is over the {MAX_BYTES}-byte limit")
    text = decode(path.read_bytes(), name)
    suffix = path.suffix.lower()
    if suffix == ".jsonl":
        for lineno, line in enumerate(text.splitlines(), 1):
            if line.strip():
                yield from_json_line(line, path, lineno)
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
    return Article(
        id=safe_id(str(obj.get("id") or fallback_id)), text=text, file=path.name,
        title=_first(obj, TITLE_FIELDS), date=_first(obj, DATE_FIELDS),
        url=obj.get("url"), source=_first(obj, SOURCE_FIELDS))


def from_text(text: str, path: Path) -> Article:
    if not text.strip():
        raise ReadError(f"{path}: empty file")
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


def safe_id(value: str) -> str:
    return re.sub(r"[^A-Za-z0-9._-]+", "-", value).strip("-")[:200] or "article"


def _first(obj: dict, keys: tuple[str, ...]):
    for key in keys:
        if obj.get(key) not in (None, ""):
            return obj[key]
    return None
