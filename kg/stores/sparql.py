"""A remote store: any SPARQL 1.1 Query + Update endpoint over HTTP (tested with Virtuoso).

The endpoint's default graph must be the union of its named graphs (Virtuoso's is). Article
graphs are the named graphs that describe themselves as a schema:NewsArticle, so a server's own
graphs (Virtuoso keeps a few) stay out of counts and exports.
"""
from __future__ import annotations

import json
import re
import time
from collections.abc import Iterator

import httpx
import pyoxigraph as ox

from ..store import Store, StoreError
from ..vocab import SCHEMA
from .oxigraph import OxigraphStore

JSON_RESULTS = "application/sparql-results+json"
PROLOGUE = re.compile(r"\s*(?:#[^\n]*|PREFIX\s+[^\s:]*:\s*<[^>]*>|BASE\s*<[^>]*>)", re.IGNORECASE)
FORM = re.compile(r"\s*(SELECT|CONSTRUCT|DESCRIBE|ASK)\b", re.IGNORECASE)
# A transaction the server rolled back because another one held its locks (Virtuoso: SR172)
DEADLOCK = re.compile(r"\b40001\b|deadlock", re.IGNORECASE)
RETRIES = 4
ARTICLE_GRAPH = f"GRAPH ?g {{ ?g a <{SCHEMA.NewsArticle}> }}"


def query_form(sparql: str) -> str:
    """SELECT, CONSTRUCT, DESCRIBE or ASK: what the query asks for, read after its prologue."""
    pos = 0
    while (match := PROLOGUE.match(sparql, pos)) and match.end() > pos:
        pos = match.end()
    form = FORM.match(sparql, pos)
    if form is None:
        raise SyntaxError("not a SPARQL query: expected SELECT, CONSTRUCT, DESCRIBE or ASK after the prefixes")
    return form.group(1).upper()


class SparqlStore(Store):
    # Triples per INSERT DATA operation: Virtuoso's SPARQL compiler runs out of memory near 5000
    # triples in one operation, so a graph goes as several operations in one request.
    CHUNK = 2000
    PAGE = 10000  # rows per page when listing graphs; Virtuoso's default ResultSetMaxRows

    def __init__(self, url: str, timeout: float = 10.0, update_timeout: float = 300.0):
        self.url = url
        self.timeout = timeout
        self.update_timeout = update_timeout
        self.http = httpx.Client(timeout=timeout)

    def reader_location(self) -> str:
        return f"sparql+{self.url}"

    def _post(self, form: dict, accept: str, timeout: float) -> httpx.Response:
        for attempt in range(RETRIES):
            try:
                response = self.http.post(self.url, data=form, headers={"Accept": accept}, timeout=timeout)
            except httpx.HTTPError as err:
                raise StoreError(f"cannot reach the SPARQL endpoint {self.url}: {err}") from None
            if response.status_code < 500 or not DEADLOCK.search(response.text[:300]) or attempt == RETRIES - 1:
                break
            time.sleep(0.1 * 2 ** attempt)  # the server rolled the transaction back: run it again
        if response.status_code == 400 and "query" in form:
            raise SyntaxError(response.text.strip()[:500])
        if response.status_code >= 300:
            action = "query" if "query" in form else "update"
            raise StoreError(f"the SPARQL endpoint {self.url} refused the {action} "
                             f"({response.status_code}): {response.text.strip()[:500]}")
        return response

    # No `version`: other clients may write to the endpoint at any time, so the API caches nothing
    # read from it (a short time-to-live would serve their writes late).
    def update(self, sparql: str) -> None:
        self._post({"update": sparql}, "*/*", self.update_timeout)

    # --- writing --------------------------------------------------------------------------
    def replace_ntriples(self, graph: str, ntriples: str) -> None:
        # CLEAR, not DROP: the same for a store without empty graphs, and Virtuoso runs
        # DROP + INSERT in one request nearly three times slower.
        lines = ntriples.splitlines()
        inserts = [f"INSERT DATA {{ GRAPH <{graph}> {{\n" + "\n".join(lines[i:i + self.CHUNK]) + "\n} }"
                   for i in range(0, len(lines), self.CHUNK)]
        self.update(" ;\n".join([f"CLEAR SILENT GRAPH <{graph}>", *inserts]))

    def delete_graph(self, iri: str) -> bool:
        if not bool(self.query(f"ASK {{ GRAPH <{iri}> {{ ?s ?p ?o }} }}")):
            return False
        self.update(f"DROP SILENT GRAPH <{iri}>")
        self.drop_inferred_from(iri)
        return True

    # --- reading --------------------------------------------------------------------------
    def query(self, sparql: str, *, default_graph: list[str] | None = None,
              named_graphs: list[str] | None = None):
        form = query_form(sparql)
        request = {"query": sparql, "default-graph-uri": default_graph or [],
                   "named-graph-uri": named_graphs or []}
        if form in ("CONSTRUCT", "DESCRIBE"):
            body = self._post(request, "application/n-triples", self.timeout).content
            graph = ox.Store()  # a QueryTriples, like the embedded store answers
            graph.load(body, format=ox.RdfFormat.N_TRIPLES)
            return graph.query("CONSTRUCT WHERE { ?s ?p ?o }")
        body = self._post(request, JSON_RESULTS, self.timeout).content
        if form == "ASK":
            return ox.parse_query_results(json.dumps({"head": {}, "boolean": ask_answer(body)}),
                                          format=ox.QueryResultsFormat.JSON)
        return ox.parse_query_results(body, format=ox.QueryResultsFormat.JSON)

    def graphs(self) -> Iterator[str]:
        offset = 0
        while True:
            rows = self.select(f"SELECT DISTINCT ?g WHERE {{ {ARTICLE_GRAPH} }} ORDER BY ?g "
                               f"LIMIT {self.PAGE} OFFSET {offset}")
            yield from (row["g"] for row in rows)
            if len(rows) < self.PAGE:
                return
            offset += self.PAGE

    def export(self, fmt: str, graph: str | None = None) -> bytes:
        """Copies the graphs into an in-memory store, one request per graph, and exports that."""
        copy = OxigraphStore()
        for name in [graph] if graph is not None else self.graphs():
            node = ox.NamedNode(name)
            rows = self.query(f"SELECT ?s ?p ?o WHERE {{ GRAPH <{name}> {{ ?s ?p ?o }} }}")
            copy.ox.extend(ox.Quad(row["s"], row["p"], row["o"], node) for row in rows)
        if graph is None and len(copy) != len(self):
            raise StoreError(f"the SPARQL endpoint {self.url} sent {len(copy)} of {len(self)} quads: "
                             "raise its result row limit (Virtuoso: ResultSetMaxRows)")
        return copy.export(fmt, graph)

    def __len__(self) -> int:
        rows = self.select(f"SELECT (COUNT(*) AS ?n) WHERE {{ {ARTICLE_GRAPH} GRAPH ?g {{ ?s ?p ?o }} }}")
        return int(rows[0]["n"])


def ask_answer(body: bytes) -> bool:
    """An ASK answer in JSON; Virtuoso sends it as a one-row table (__ASK_RETVAL 1, or no row)."""
    data = json.loads(body)
    if "boolean" in data:
        return bool(data["boolean"])
    rows = data.get("results", {}).get("bindings", [])
    return bool(rows) and next(iter(rows[0].values()))["value"] not in ("0", "false")
