"""The search index: statements by their words and actors by their names, from SQLite FTS5 beside
the embedded store (KG_DATA/search.sqlite), kept in step with it.

Why SQLite FTS5 and not tantivy (bench/fts_choice.py, on the 168,280 statements of 10M quads):
tantivy ranks the best 20 of a common word's 21,000 matches in 0.13 ms, FTS5 in 18 ms, as FTS5
scores every match. Past RANK_WINDOW matches FTS5 therefore ranks only the RANK_WINDOW indexed
last: 3 to 5 ms, a small part of a page's cost (its statements' details by SPARQL). FTS5 wins on
the rest: it comes with Python; the rows and the journal below commit in one transaction, which
makes the index repairable after a crash; a second process (kg search) reads while kg serve
writes; and speaker, target, date and kind filters join the words in one SQL statement.

In step with the store: each article's rows are replaced (or deleted) right after its graph is.
Before the graph is written its IRI goes in a journal (`pending`), in its own commit; the rows and
the journal's line leave in one transaction after. A crash between the two leaves the article in
the journal, and the next writable open re-reads it from the store. A SPARQL Update may change
anything: it marks the index stale and the store rebuilds it (`rebuild`, also `kg reindex`).
A read-only open of an index that is stale, missing or has pending articles gives None: callers
then fall back to the SPARQL scan, which is always right.
"""
from __future__ import annotations

import json
import re
import sqlite3
import threading
import unicodedata
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from difflib import SequenceMatcher
from pathlib import Path

import pyoxigraph as ox

from .vocab import KG, SCHEMA, SKOS

SCHEMA_VERSION = "2"
RDF_TYPE = "http://www.w3.org/1999/02/22-rdf-syntax-ns#type"
ACTOR_TYPES = {str(SCHEMA.Person): "Person", str(SCHEMA.Organization): "Organization", str(SCHEMA.Place): "Place"}
LABELS = {str(SKOS.prefLabel): 1, str(SKOS.altLabel): 0}  # label predicate: preferred?
SEPARATOR = " … "  # between the content spans of a statement's text (kg.model.Statement.text)
FUZZY_MIN = 0.8  # similarity a name needs to match a query it does not start with
MAX_TERMS = 32  # words and phrases in one search, at most
RANK_WINDOW = 2000  # matches ranked by relevance, at most (words_only)
HIT, END = "\x01", "\x02"  # FTS5 highlight() marks around a matched word

TABLES = """
CREATE TABLE IF NOT EXISTS meta(key TEXT PRIMARY KEY, value TEXT);
CREATE TABLE IF NOT EXISTS pending(article TEXT PRIMARY KEY);
CREATE TABLE IF NOT EXISTS statements(id INTEGER PRIMARY KEY, iri TEXT NOT NULL, article TEXT NOT NULL,
  date TEXT NOT NULL, speaker TEXT, kind TEXT, text TEXT NOT NULL);
CREATE INDEX IF NOT EXISTS statements_article ON statements(article);
CREATE INDEX IF NOT EXISTS statements_iri ON statements(iri);
CREATE INDEX IF NOT EXISTS statements_speaker ON statements(speaker);
CREATE INDEX IF NOT EXISTS statements_newest ON statements(date DESC, article, iri);
CREATE TABLE IF NOT EXISTS about(statement INTEGER NOT NULL, target TEXT NOT NULL);
CREATE INDEX IF NOT EXISTS about_statement ON about(statement);
CREATE INDEX IF NOT EXISTS about_target ON about(target);
CREATE VIRTUAL TABLE IF NOT EXISTS statement_words USING fts5(text, content='statements', content_rowid='id',
  tokenize='unicode61 remove_diacritics 2');
CREATE TABLE IF NOT EXISTS totals(name TEXT PRIMARY KEY, n INTEGER NOT NULL);
INSERT OR IGNORE INTO totals VALUES ('statements', 0);
CREATE TRIGGER IF NOT EXISTS statements_in AFTER INSERT ON statements BEGIN
  INSERT INTO statement_words(rowid, text) VALUES (new.id, new.text);
  UPDATE totals SET n = n + 1 WHERE name = 'statements'; END;
CREATE TRIGGER IF NOT EXISTS statements_out AFTER DELETE ON statements BEGIN
  INSERT INTO statement_words(statement_words, rowid, text) VALUES ('delete', old.id, old.text);
  DELETE FROM about WHERE statement = old.id;
  UPDATE totals SET n = n - 1 WHERE name = 'statements'; END;
CREATE TABLE IF NOT EXISTS names(id INTEGER PRIMARY KEY, actor TEXT NOT NULL, label TEXT NOT NULL,
  folded TEXT NOT NULL, type TEXT NOT NULL, UNIQUE (actor, label, type));
CREATE TABLE IF NOT EXISTS name_uses(name INTEGER NOT NULL, article TEXT NOT NULL, preferred INTEGER NOT NULL);
CREATE INDEX IF NOT EXISTS name_uses_article ON name_uses(article);
CREATE INDEX IF NOT EXISTS name_uses_name ON name_uses(name);
CREATE VIRTUAL TABLE IF NOT EXISTS name_words USING fts5(label, content='names', content_rowid='id',
  tokenize='unicode61 remove_diacritics 2', prefix='1 2 3');
CREATE VIRTUAL TABLE IF NOT EXISTS name_grams USING fts5(folded, content='names', content_rowid='id',
  tokenize='trigram');
CREATE TRIGGER IF NOT EXISTS names_in AFTER INSERT ON names BEGIN
  INSERT INTO name_words(rowid, label) VALUES (new.id, new.label);
  INSERT INTO name_grams(rowid, folded) VALUES (new.id, new.folded); END;
CREATE TRIGGER IF NOT EXISTS names_out AFTER DELETE ON names BEGIN
  INSERT INTO name_words(name_words, rowid, label) VALUES ('delete', old.id, old.label);
  INSERT INTO name_grams(name_grams, rowid, folded) VALUES ('delete', old.id, old.folded); END;
"""


def remove_index(file: Path) -> None:
    """The index file and SQLite's write-ahead log and shared memory beside it, gone."""
    for suffix in ("", "-wal", "-shm"):
        Path(f"{file}{suffix}").unlink(missing_ok=True)


class SearchError(ValueError):
    """A search the index cannot run: the message says why, for the user."""


def fold(text: str) -> str:
    """Lower case without accents: "Zelenský" and "zelensky" fold alike."""
    decomposed = unicodedata.normalize("NFKD", text)
    return "".join(c for c in decomposed if not unicodedata.combining(c)).casefold()


def grams(text: str) -> set[str]:
    return {text[i:i + 3] for i in range(len(text) - 2)}


def similarity(query: str, label: str) -> float:
    """How nearly the folded query spells the folded name or one of its words (difflib's ratio, 0 to 1)."""
    return max(SequenceMatcher(None, query, part).ratio() for part in [label, *label.split()])


def printable(text: str) -> str:
    """The text without control characters and lone surrogates, which no name or statement holds."""
    return "".join(c for c in text if c.isprintable() or c.isspace())


def match_expression(words: str, prefix: bool = False) -> str:
    """User words as an FTS5 query: each "quoted phrase" a phrase, each other word a term, all of
    them required; nothing the user types is read as FTS5 syntax. With `prefix`, each term matches
    the words it starts."""
    chunks = [phrase or word for phrase, word in re.findall(r'"([^"]*)"|(\S+)', printable(words))]
    terms = list(dict.fromkeys(chunk for chunk in chunks if any(ch.isalnum() for ch in chunk)))
    if not terms:
        raise SearchError(f"no words to search for in {words!r}")
    if len(terms) > MAX_TERMS:
        raise SearchError(f"at most {MAX_TERMS} words or phrases in one search; this has {len(terms)}")
    star = "*" if prefix else ""
    return " AND ".join('"' + term.replace('"', '""') + '"' + star for term in terms)


@dataclass
class Rows:
    """What one article graph gives the index."""
    statements: list[tuple[str, str, str | None, str | None, str, list[str]]]  # iri, date, speaker, kind, text, about
    names: list[tuple[str, str, str, int]]  # actor, label, type, preferred


def article_rows(ntriples: str) -> Rows:
    subjects: dict[str, dict[str, list[str]]] = {}
    for t in ox.parse(ntriples, format=ox.RdfFormat.N_TRIPLES):
        subjects.setdefault(t.subject.value, {}).setdefault(t.predicate.value, []).append(t.object.value)
    statements, names = [], []
    for s, props in subjects.items():
        types = props.get(RDF_TYPE, [])
        if str(SCHEMA.Quotation) in types and str(SCHEMA.text) in props:
            kind = first(props, KG.quoteKind)
            statements.append((s, first(props, SCHEMA.dateCreated) or "", first(props, SCHEMA.creator),
                               kind and kind.rsplit("#", 1)[-1].lower(), first(props, SCHEMA.text),
                               props.get(str(SCHEMA.about), [])))
        for cls in (c for c in types if c in ACTOR_TYPES):
            names.extend((s, label, ACTOR_TYPES[cls], preferred)
                         for predicate, preferred in LABELS.items() for label in props.get(predicate, []))
    return Rows(statements, names)


def first(props: dict[str, list[str]], predicate) -> str | None:
    return (props.get(str(predicate)) or [None])[0]


def marked_offsets(marked: str) -> list[tuple[int, int]]:
    """Where highlight() put its marks, as offsets into the unmarked text."""
    spans, plain, start = [], 0, None
    for ch in marked:
        if ch == HIT:
            start = plain
        elif ch == END:
            spans.append((start, plain))
        else:
            plain += 1
    return spans


class SearchIndex:
    def __init__(self, path: Path | None, read_only: bool = False):
        self.path = path
        self.read_only = read_only
        self.lock = threading.RLock()  # one write at a time, on the one writing connection
        self.readers = threading.local()  # on disk, each thread reads on a connection of its own, in parallel
        self.db = self.connect()
        if not read_only and self.meta("schema") != SCHEMA_VERSION:
            self.reset()
        elif not read_only:
            self.db.execute("PRAGMA journal_mode=WAL")
            self.db.execute("PRAGMA synchronous=NORMAL")

    def connect(self) -> sqlite3.Connection:
        if self.path is None:
            return sqlite3.connect(":memory:", check_same_thread=False, isolation_level=None)
        if self.read_only:
            return sqlite3.connect(f"file:{self.path}?mode=ro", uri=True, check_same_thread=False, isolation_level=None)
        return sqlite3.connect(str(self.path), check_same_thread=False, isolation_level=None)

    def read(self, sql: str, args=()) -> list[tuple]:
        if self.path is None:
            with self.lock:
                return self.db.execute(sql, args).fetchall()
        db = getattr(self.readers, "db", None)
        if db is None:
            db = self.readers.db = self.connect()
        return db.execute(sql, args).fetchall()

    # --- state ----------------------------------------------------------------------------
    def meta(self, key: str) -> str | None:
        try:
            rows = self.read("SELECT value FROM meta WHERE key = ?", (key,))
        except sqlite3.OperationalError:  # no table yet
            return None
        return rows[0][0] if rows else None

    def set_meta(self, key: str, value: str | None) -> None:
        with self.lock:
            if value is None:
                self.db.execute("DELETE FROM meta WHERE key = ?", (key,))
            else:
                self.db.execute("INSERT OR REPLACE INTO meta VALUES (?, ?)", (key, value))

    @property
    def stale(self) -> bool:
        return self.meta("stale") is not None

    def pending(self) -> list[str]:
        return [r[0] for r in self.read("SELECT article FROM pending ORDER BY article")]

    def fresh(self) -> bool:
        """True when every article the store holds is in the index as the store holds it."""
        return self.meta("schema") == SCHEMA_VERSION and not self.stale and not self.pending()

    def mark_stale(self) -> None:
        self.set_meta("stale", "update")

    def reset(self) -> None:
        """An empty index of the current schema: the file made anew (faster than deleting every row)."""
        with self.lock:
            self.db.close()
            if self.path is not None:
                remove_index(self.path)
            self.db = self.connect()
            self.readers = threading.local()
            self.db.execute("PRAGMA journal_mode=WAL")
            self.db.execute("PRAGMA synchronous=NORMAL")
            self.db.executescript(TABLES)
            self.set_meta("schema", SCHEMA_VERSION)
            self.set_meta("stale", "new")  # made now: whatever the store holds is not in it yet

    # --- writing --------------------------------------------------------------------------
    def begin(self, article: str) -> None:
        """Before the store writes `article`: journal it, so a crash before `put` is repaired."""
        with self.lock:
            self.db.execute("INSERT OR IGNORE INTO pending VALUES (?)", (article,))

    def put(self, article: str, ntriples: str | None) -> None:
        """The article's rows in place of what the index had for it (none when ntriples is None)."""
        rows = article_rows(ntriples) if ntriples else Rows([], [])
        with self.transaction():
            self._replace(article, rows)
            self.db.execute("DELETE FROM pending WHERE article = ?", (article,))

    def _replace(self, article: str, rows: Rows) -> None:
        db = self.db
        db.execute("DELETE FROM statements WHERE article = ?", (article,))
        old = [r[0] for r in db.execute("SELECT DISTINCT name FROM name_uses WHERE article = ?", (article,))]
        db.execute("DELETE FROM name_uses WHERE article = ?", (article,))
        for iri, date, speaker, kind, text, about in rows.statements:
            sid = db.execute("INSERT INTO statements(iri, article, date, speaker, kind, text) VALUES (?,?,?,?,?,?)",
                             (iri, article, date, speaker, kind, text)).lastrowid
            db.executemany("INSERT INTO about VALUES (?, ?)", [(sid, t) for t in about])
        for actor, label, kind, preferred in rows.names:
            db.execute("INSERT INTO names(actor, label, folded, type) VALUES (?,?,?,?) ON CONFLICT DO NOTHING",
                       (actor, label, fold(label), kind))
            db.execute("INSERT INTO name_uses SELECT id, ?, ? FROM names WHERE actor = ? AND label = ? AND type = ?",
                       (article, preferred, actor, label, kind))
        db.execute("DELETE FROM names WHERE id IN (SELECT value FROM json_each(?)) "
                   "AND NOT EXISTS (SELECT 1 FROM name_uses WHERE name = names.id)", (json.dumps(old),))

    def transaction(self):
        return Transaction(self.db, self.lock)

    def rebuild(self, graphs: Iterable[tuple[str, Callable[[], str]]], total: int,
                progress: Callable[[int, int], None] | None = None) -> None:
        """Every article's rows afresh, from (article IRI, its N-Triples) pairs; stale until it ends."""
        self.reset()  # stale until the end
        done = 0
        batch: list[tuple[str, Rows]] = []
        for article, ntriples in graphs:
            batch.append((article, article_rows(ntriples())))
            done += 1
            if len(batch) == 200:
                self._write_batch(batch)
                batch = []
                if progress:
                    progress(done, total)
        self._write_batch(batch)
        if progress:
            progress(done, total)
        self.set_meta("stale", None)

    def _write_batch(self, batch: list[tuple[str, Rows]]) -> None:
        with self.transaction():
            for article, rows in batch:
                self._replace(article, rows)

    # --- reading --------------------------------------------------------------------------
    def actor_matches(self, name: str, fuzzy: bool = True) -> list[tuple[str, str, int]]:
        """(actor, type, tier) of the actors a name search finds: tier 0 those with a name whose
        words start with the query's words, accents and case aside; tier 1 (with `fuzzy`) those with a
        name or a name's word spelled nearly like the query ("zelenskyy": Zelensky)."""
        found: dict[tuple[str, str], int] = {}
        for actor, kind in self.read(
                "SELECT DISTINCT n.actor, n.type FROM name_words w JOIN names n ON n.id = w.rowid "
                "WHERE name_words MATCH ?", (match_expression(name, prefix=True),)):
            found[actor, kind] = 0
        query = fold(" ".join(printable(name).split()))
        if fuzzy and len(query) >= 4:
            expression = " OR ".join('"' + g.replace('"', '""') + '"' for g in sorted(grams(query)))
            for actor, kind, folded in self.read(
                    "SELECT n.actor, n.type, n.folded FROM name_grams g JOIN names n ON n.id = g.rowid "
                    "WHERE name_grams MATCH ? ORDER BY g.rank LIMIT 500", (expression,)):
                if (actor, kind) not in found and similarity(query, folded) >= FUZZY_MIN:
                    found[actor, kind] = 1
        return [(a, k, tier) for (a, k), tier in found.items()]

    def actors(self, name: str, type: str | None, limit: int, offset: int) -> list[tuple[str, str, int]]:
        """(actor, type, statements said) of the actors a name finds, best matches first, then the
        most quoted, then by IRI."""
        matches = [m for m in self.actor_matches(name) if type is None or m[1].lower() == type.lower()]
        counts = self.said_counts({a for a, _, _ in matches})
        ranked = sorted(matches, key=lambda m: (m[2], -counts.get(m[0], 0), m[0]))
        return [(a, k, counts.get(a, 0)) for a, k, _ in ranked[offset:offset + limit]]

    def said_counts(self, actors: set[str]) -> dict[str, int]:
        counts: dict[str, int] = {}
        actors_list = sorted(actors)
        for i in range(0, len(actors_list), 500):
            part = actors_list[i:i + 500]
            counts.update(self.read(
                f"SELECT speaker, COUNT(*) FROM statements WHERE speaker IN ({','.join('?' * len(part))}) "
                "GROUP BY speaker", part))
        return counts

    def named(self, name: str) -> list[str]:
        """The actors with a name whose words start with the query's words (no spelling slack: a
        filter should not widen to namesakes)."""
        return sorted({a for a, _, _ in self.actor_matches(name, fuzzy=False)})

    def statements(self, *, text: str | None = None, speakers: list[str] | None = None,
                   targets: list[str] | None = None, kind: str | None = None, date_from: str | None = None,
                   date_to: str | None = None, article: str | None = None, limit: int = 50,
                   offset: int = 0) -> tuple[int, list[str]]:
        """The total and one page of statement IRIs matching every filter given: ranked by the words'
        relevance with `text` (then newest first), else newest first."""
        if not any((speakers is not None, targets is not None, kind, date_from, date_to, article)):
            return self.words_only(text, limit, offset) if text else self.newest(limit, offset)
        joins, where, args = [], [], []
        if text:
            joins.append("JOIN statement_words w ON w.rowid = s.id")
            where.append("statement_words MATCH ?")
            args.append(match_expression(text))
        for column, values in (("s.speaker", speakers), ("a.target", targets)):
            if values is not None:
                where.append(f"{column} IN (SELECT value FROM json_each(?))")
                args.append(json.dumps(values))
        if targets is not None:
            joins.append("JOIN about a ON a.statement = s.id")
        for clause, value in (("s.kind = ?", kind), ("s.date >= ?", date_from),
                              ("substr(s.date, 1, 10) <= ?", date_to), ("s.article = ?", article)):
            if value:
                where.append(clause)
                args.append(value)
        body = f"FROM statements s {' '.join(joins)} {'WHERE ' + ' AND '.join(where) if where else ''}"
        distinct = "DISTINCT " if targets is not None else ""
        total = self.read(f"SELECT COUNT({distinct}s.id) {body}", args)[0][0]
        order = ("w.rank, " if text else "") + "s.date DESC, s.article, s.iri"
        page = [r[0] for r in self.read(
            f"SELECT {distinct}s.iri {body} ORDER BY {order} LIMIT ? OFFSET ?", [*args, limit, offset])]
        return total, page

    def total(self) -> int:
        return self.read("SELECT n FROM totals WHERE name = 'statements'")[0][0]

    def newest(self, limit: int, offset: int) -> tuple[int, list[str]]:
        """Every statement, newest first, read in order off an index: no sort."""
        return self.total(), [r[0] for r in self.read(
            "SELECT iri FROM statements ORDER BY date DESC, article, iri LIMIT ? OFFSET ?", (limit, offset))]

    def words_only(self, text: str, limit: int, offset: int) -> tuple[int, list[str]]:
        """Statements with these words, best first. Ranking costs a score per match, so past RANK_WINDOW
        matches only the RANK_WINDOW indexed last are ranked, and the older ones follow, last indexed first."""
        match = match_expression(text)
        total = self.read("SELECT COUNT(*) FROM statement_words WHERE statement_words MATCH ?", (match,))[0][0]
        base = "SELECT rowid FROM statement_words WHERE statement_words MATCH ?"
        if total <= RANK_WINDOW:
            ids = self.read(f"{base} ORDER BY rank, rowid DESC LIMIT ? OFFSET ?", (match, limit, offset))
        else:
            floor = self.read(f"{base} ORDER BY rowid DESC LIMIT 1 OFFSET ?", (match, RANK_WINDOW - 1))[0][0]
            ids = self.read(f"{base} AND rowid >= ? ORDER BY rank, rowid DESC LIMIT ? OFFSET ?",
                            (match, floor, limit, offset)) if offset < RANK_WINDOW else []
            if len(ids) < limit:
                ids += self.read(f"{base} AND rowid < ? ORDER BY rowid DESC LIMIT ? OFFSET ?",
                                 (match, floor, limit - len(ids), max(0, offset - RANK_WINDOW)))
        return total, self.iris([r[0] for r in ids])

    def iris(self, ids: list[int]) -> list[str]:
        found = dict(self.read("SELECT id, iri FROM statements WHERE id IN (SELECT value FROM json_each(?))",
                               (json.dumps(ids),)))
        return [found[i] for i in ids]

    def highlights(self, text: str, statement_iris: list[str]) -> dict[str, list[tuple[int, int]]]:
        """For each statement, where the words of `text` are in its text (offsets into it)."""
        if not statement_iris:
            return {}
        rows = self.read(
            f"SELECT s.iri, highlight(statement_words, 0, '{HIT}', '{END}') FROM statement_words "
            "JOIN statements s ON s.id = statement_words.rowid WHERE statement_words MATCH ? "
            "AND statement_words.rowid IN (SELECT id FROM statements WHERE iri IN (SELECT value FROM json_each(?)))",
            (match_expression(text), json.dumps(statement_iris)))
        return {iri: marked_offsets(marked) for iri, marked in rows}

    def counts(self) -> dict[str, int]:
        return {"statements": self.total(),
                "names": self.read("SELECT COUNT(*) FROM names")[0][0],
                "articles": self.read("SELECT COUNT(DISTINCT article) FROM name_uses")[0][0]}


class Transaction:
    """BEGIN IMMEDIATE ... COMMIT under the index's write lock, rolled back on an error."""

    def __init__(self, db: sqlite3.Connection, lock: threading.RLock):
        self.db, self.lock = db, lock

    def __enter__(self):
        self.lock.acquire()
        self.db.execute("BEGIN IMMEDIATE")

    def __exit__(self, kind, value, traceback):
        try:
            self.db.execute("COMMIT" if kind is None else "ROLLBACK")
        finally:
            self.lock.release()


def spans_with_matches(content_spans: list[dict], matches: list[tuple[int, int]]) -> list[dict]:
    """Each content span with the matched words inside it, in the article's offsets. The statement's
    text is its content spans joined by SEPARATOR, so a text offset maps into one span."""
    out, pos = [], 0
    for span in content_spans:
        length = span["end"] - span["start"]
        inside = [(max(s, pos) - pos, min(e, pos + length) - pos) for s, e in matches if s < pos + length and e > pos]
        out.append({**span, "matches": [{"start": span["start"] + s, "end": span["start"] + e,
                                         "text": span["text"][s:e]} for s, e in inside]})
        pos += length + len(SEPARATOR)
    return out


def matches_in_text(content_spans: list[dict]) -> list[tuple[int, int]]:
    """The spans' matches (spans_with_matches) as offsets into the statement's text again."""
    found, pos = [], 0
    for span in content_spans:
        shift = pos - span["start"]
        found += [(m["start"] + shift, m["end"] + shift) for m in span.get("matches") or []]
        pos += span["end"] - span["start"] + len(SEPARATOR)
    return found


# --- kg:matches in SPARQL -----------------------------------------------------------------------
MATCHES_MAX = 10_000  # statements a kg:matches pattern stands for, at most (the best ranked)
STRING = r'"(?:[^"\\\n]|\\.)*"|\'(?:[^\'\\\n]|\\.)*\''
MATCHES = re.compile(rf"([?$]\w+)\s+(?:kg:matches|<{re.escape(str(KG))}matches>)\s+({STRING})(\s*\.)?")
ANY_MATCHES = re.compile(rf"kg:matches\b|<{re.escape(str(KG))}matches>")
ESCAPES = {"t": "\t", "n": "\n", "r": "\r", "b": "\b", "f": "\f"}


def expand_matches(sparql: str, index: SearchIndex | None) -> str:
    """A query with each `?s kg:matches "words"` pattern put in SPARQL's own terms: VALUES over the
    statements the index finds (the best MATCHES_MAX), or, without an index, a FILTER that each word
    is in the statement's text. Raises SearchError for kg:matches written any other way."""
    if not ANY_MATCHES.search(sparql):
        return sparql
    count = 0

    def replace(m: re.Match) -> str:
        nonlocal count
        variable, words = m.group(1), re.sub(r"\\(.)", lambda e: ESCAPES.get(e[1], e[1]), m.group(2)[1:-1])
        if index is not None:
            _, found = index.statements(text=words, limit=MATCHES_MAX)
            return f"VALUES {variable} {{ {' '.join(f'<{iri}>' for iri in found)} }}"
        count += 1
        text = f"?kg_matched_text_{count}"
        terms = [t.lower() for t in re.findall(r"\w+", words)]
        if not terms:
            raise SearchError(f"no words to search for in {words!r}")
        tests = " && ".join(f"CONTAINS(LCASE({text}), {json.dumps(t)})" for t in terms)
        return f"{variable} a <{SCHEMA.Quotation}> ; <{SCHEMA.text}> {text} . FILTER ({tests}) ."

    expanded = MATCHES.sub(replace, sparql)
    if ANY_MATCHES.search(re.sub(r"(?m)^\s*#.*$", "", expanded)):  # comment lines may name it
        raise SearchError('write kg:matches as a pattern of its own: ?statement kg:matches "words" .')
    return expanded
