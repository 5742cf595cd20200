"""The triple store: one named graph per article, replaced whole in one update, so re-ingesting
never duplicates and a crash never leaves half a graph.

`Store` is what the rest of kg uses; two backends implement it (kg/stores/): Oxigraph embedded
under KG_DATA (the default) and any SPARQL 1.1 Query + Update endpoint (KG_STORE=sparql+http://...).
Queries answer pyoxigraph results on both, so the CLI and the API do not care which one runs.
"""
from __future__ import annotations

import re
from abc import ABC, abstractmethod
from collections.abc import Iterable, Iterator

import pyoxigraph as ox
from rdflib import Graph

from .config import Settings
from .search import SearchIndex
from .vocab import PREFIXES, SCHEMA

PREFIX_MAP = {prefix: str(ns) for prefix, ns in PREFIXES.items()}
PREFIX_DECLARATIONS = "".join(f"PREFIX {prefix}: <{ns}>\n" for prefix, ns in PREFIX_MAP.items())

EXPORT_FORMATS = {"turtle": ox.RdfFormat.TURTLE, "trig": ox.RdfFormat.TRIG,
                  "nquads": ox.RdfFormat.N_QUADS, "ntriples": ox.RdfFormat.N_TRIPLES,
                  "json-ld": ox.RdfFormat.JSON_LD, "rdf-xml": ox.RdfFormat.RDF_XML}
COUNTS = {
    "articles": f"SELECT (COUNT(DISTINCT ?a) AS ?n) WHERE {{ ?a a <{SCHEMA.NewsArticle}> }}",
    "statements": f"SELECT (COUNT(DISTINCT ?s) AS ?n) WHERE {{ ?s a <{SCHEMA.Quotation}> }}",
    "memberships": "SELECT (COUNT(DISTINCT ?m) AS ?n) WHERE { ?m a <http://www.w3.org/ns/org#Membership> }",
    "people": f"SELECT (COUNT(DISTINCT ?p) AS ?n) WHERE {{ ?p a <{SCHEMA.Person}> }}",
    "organisations": f"SELECT (COUNT(DISTINCT ?p) AS ?n) WHERE {{ ?p a <{SCHEMA.Organization}> }}",
    "places": f"SELECT (COUNT(DISTINCT ?p) AS ?n) WHERE {{ ?p a <{SCHEMA.Place}> }}",
}


def syntax_message(query: str, error: SyntaxError) -> str:
    """Oxigraph's parse error in our words: an undeclared prefix by its name, and never the list of
    character classes the parser would have taken instead."""
    message = str(error)
    if "Prefix not found" in message:
        declared = {m.lower() for m in re.findall(r"(?i)PREFIX\s+([\w.-]*):", query)}
        used = [p for p in re.findall(r"(?<![\w<\"'?$:/#])([A-Za-z][\w.-]*):", query) if p.lower() not in declared]
        where = re.match(r"error at \d+:\d+", message)
        return f"{where.group() if where else 'error'}: undeclared prefix {used[0] + ':' if used else ''} (declare it with PREFIX name: <iri>)"
    message = message.split("\n")[0]
    expected = re.match(r"(.*?expected one of )(.*)", message)
    if expected:  # the tokens the parser would take, without its character classes
        tokens = [t for t in re.findall(r'"(?:[^"\\]|\\.)*"|\w+', expected.group(2).split("['", 1)[0])]
        message = expected.group(1) + ", ".join(tokens[:12]) + (", ..." if len(tokens) > 12 else "")
    return message[:300]


class StoreError(RuntimeError):
    """The store cannot be opened, reached or written; the message says why."""


class DiskFull(StoreError):
    """A write failed because the store's disk is full (ENOSPC): it was not stored, and no later
    write can be until space is freed."""


class ReadOnlyStore(StoreError):
    """A write failed because the store's folder is on a read-only file system (or not writable)."""


class Store(ABC):
    """Article graphs in a quad store. Backends implement the abstract methods."""

    # --- writing --------------------------------------------------------------------------
    @abstractmethod
    def replace_ntriples(self, graph: str, ntriples: str) -> None:
        """Put the triples (N-Triples text) in place of what the store had in `graph`, atomically."""

    def replace_graph(self, graph: Graph) -> None:
        self.replace_ntriples(str(graph.identifier), graph.serialize(format="nt"))

    @abstractmethod
    def delete_graph(self, iri: str) -> bool:
        """Drop one article graph, and the role facts other articles resolved with it; False if the
        store did not have it."""

    def drop_inferred_from(self, iri: str) -> None:
        """Remove the memberships (with their evidence nodes) that were resolved with the facts of
        graph `iri` (kg:inferredFrom), wherever they are stored."""
        self.own_update(PREFIX_DECLARATIONS + f"""DELETE {{ GRAPH ?g {{ ?s ?p ?o }} }} WHERE {{
  GRAPH ?g {{ ?m kg:inferredFrom <{iri}> . ?s ?p ?o .
    FILTER(?s = ?m || STRSTARTS(STR(?s), CONCAT(STR(?m), "/"))) }} }}""")

    @abstractmethod
    def update(self, sparql: str) -> None:
        """Run a SPARQL Update; raises SyntaxError for a malformed one."""

    def own_update(self, sparql: str) -> None:
        """An update of kg's own that changes no statement and no name, so a search index stays as it is."""
        self.update(sparql)

    @property
    def search(self) -> SearchIndex | None:
        """The full-text index of statements and names, when this store keeps one in step (kg/search.py);
        None where it cannot (a remote store others may write): then searches scan with SPARQL."""
        return None

    @property
    def version(self) -> int | None:
        """A number that changes whenever the store's content may have: after a graph is replaced
        or deleted or a SPARQL Update runs. None when the store cannot tell (other writers may
        change it behind our back): then nothing read from it may be cached."""
        return None

    def flush(self) -> None:
        """Make every write durable (a no-op where each update already is)."""

    # --- reading --------------------------------------------------------------------------
    @abstractmethod
    def query(self, sparql: str, *, default_graph: list[str] | None = None,
              named_graphs: list[str] | None = None):
        """Run a SPARQL query; the default graph is the union of all graphs unless default_graph
        names the graphs to use. Answers ox.QuerySolutions, ox.QueryBoolean or ox.QueryTriples;
        raises SyntaxError for a malformed query."""

    def reader_location(self) -> str | None:
        """Where another process can open this store to read it (open_reader); None for a store in memory."""
        return None

    @abstractmethod
    def graphs(self) -> Iterator[str]:
        """The IRIs of the article graphs."""

    @abstractmethod
    def export(self, fmt: str, graph: str | None = None) -> bytes:
        """One article graph, or all of them, in one of EXPORT_FORMATS."""

    @abstractmethod
    def __len__(self) -> int:
        """The number of quads in the article graphs."""

    def content_hashes(self, article_iris: Iterable[str]) -> dict[str, str]:
        """The content hash stored for each of these articles that the store holds."""
        values = " ".join(f"<{iri}>" for iri in article_iris)
        if not values:
            return {}
        rows = self.select(f"SELECT ?a ?h WHERE {{ VALUES ?a {{ {values} }} GRAPH ?a {{ ?a kg:contentHash ?h }} }}")
        return {row["a"]: row["h"] for row in rows}

    def select(self, sparql: str, **params: str) -> list[dict[str, str]]:
        """A SELECT query's rows as plain dicts of strings (unbound variables left out); the
        query may use the prefixes of kg/vocab.py. Each keyword binds the variable of that name
        to a string literal, in a VALUES clause put where the query says #PARAMS; Oxigraph
        writes the literal, so no input becomes query text."""
        values = " ".join(f"VALUES ?{k} {{ {ox.Literal(str(v))} }}" for k, v in params.items())
        results = self.query(PREFIX_DECLARATIONS + sparql.replace("#PARAMS", values))
        names = [v.value for v in results.variables]
        return [{n: row[n].value for n in names if row[n] is not None} for row in results]

    def stats(self) -> dict[str, int]:
        counts = {"quads": len(self)}
        for key, sparql in COUNTS.items():
            counts[key] = int(next(iter(self.query(sparql)))["n"].value)
        return counts


def open_reader(location: str) -> Store:
    """A store to read what `reader_location` names, from another process."""
    if location.startswith(("sparql+http://", "sparql+https://")):
        from .stores.sparql import SparqlStore
        return SparqlStore(location.removeprefix("sparql+"))
    from pathlib import Path

    from .stores.oxigraph import OxigraphStore
    return OxigraphStore(Path(location), read_only=True)


def open_store(settings: Settings, read_only: bool = False, create: bool = True) -> Store:
    """The store KG_STORE names: sparql+http(s)://... for a remote endpoint, else the embedded
    Oxigraph store under KG_DATA. A read-only embedded store can be opened while another process
    (kg serve, kg ingest) writes to the same folder; a writable one is created unless `create` is False."""
    location = settings.store
    if location and location.startswith(("sparql+http://", "sparql+https://")):
        from .stores.sparql import SparqlStore
        return SparqlStore(location.removeprefix("sparql+"), timeout=settings.query_timeout)
    if location:
        raise StoreError(f"KG_STORE={location}: expected sparql+http://host:port/path (or unset, for "
                         "the embedded store under KG_DATA)")
    from .stores.oxigraph import OxigraphStore
    return OxigraphStore(settings.data_dir, read_only=read_only, create=create, search=settings.search)
