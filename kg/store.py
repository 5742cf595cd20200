"""The triple store: embedded, persistent Oxigraph. One named graph per article, replaced whole
in one transaction, so re-ingesting never duplicates and a crash never leaves half a graph."""
from __future__ import annotations

from pathlib import Path

import pyoxigraph as ox
from rdflib import Graph

from .vocab import KG, PREFIXES, SCHEMA

PREFIX_MAP = {prefix: str(ns) for prefix, ns in PREFIXES.items()}

EXPORT_FORMATS = {"turtle": ox.RdfFormat.TURTLE, "trig": ox.RdfFormat.TRIG,
                  "nquads": ox.RdfFormat.N_QUADS, "ntriples": ox.RdfFormat.N_TRIPLES,
                  "json-ld": ox.RdfFormat.JSON_LD, "rdf-xml": ox.RdfFormat.RDF_XML}


class StoreError(RuntimeError):
    """The store cannot be opened or written; the message says why."""


class Store:
    def __init__(self, path: Path | None = None, read_only: bool = False):
        """A persistent store in the folder `path`, or an in-memory one. A read-only store can be
        opened while another process (kg serve, kg ingest) writes to the same folder."""
        self.path = path
        try:
            if path is None:
                self.ox = ox.Store()
            elif read_only:
                if not (path / "oxigraph").exists():
                    raise StoreError(f"no store in {path}: run kg ingest first")
                self.ox = ox.Store.read_only(str(path / "oxigraph"))
            else:
                path.mkdir(parents=True, exist_ok=True)
                self.ox = ox.Store(str(path / "oxigraph"))
        except OSError as err:
            raise StoreError(f"cannot open the store in {path}: {err} "
                             "(is another kg process, such as kg serve, using it?)") from None

    # --- writing --------------------------------------------------------------------------
    def replace_graph(self, graph: Graph) -> None:
        """Put an article's graph in place of what the store had for it, atomically."""
        name = graph.identifier
        body = graph.serialize(format="nt")
        self.ox.update(f"DROP SILENT GRAPH <{name}> ; INSERT DATA {{ GRAPH <{name}> {{ {body} }} }}")

    def delete_graph(self, iri: str) -> bool:
        node = ox.NamedNode(iri)
        if not self.ox.contains_named_graph(node):
            return False
        self.ox.update(f"DROP GRAPH <{iri}>")
        return True

    def content_hash(self, article_iri: str) -> str | None:
        rows = list(self.ox.query(
            f"SELECT ?h WHERE {{ GRAPH <{article_iri}> {{ <{article_iri}> <{KG.contentHash}> ?h }} }}"))
        return rows[0]["h"].value if rows else None

    # --- reading --------------------------------------------------------------------------
    def query(self, sparql: str, *, default_graph: list[str] | None = None,
              named_graphs: list[str] | None = None):
        """Run a SPARQL query; the default graph is the union of all article graphs unless
        default_graph names the graphs to use."""
        kwargs = {}
        if default_graph:
            kwargs["default_graph"] = [ox.NamedNode(g) for g in default_graph]
        else:
            kwargs["use_default_graph_as_union"] = True
        if named_graphs:
            kwargs["named_graphs"] = [ox.NamedNode(g) for g in named_graphs]
        return self.ox.query(sparql, **kwargs)

    def select(self, sparql: str, **params: str) -> list[dict[str, str]]:
        """A SELECT query's rows as plain dicts of strings (unbound variables left out).
        Each keyword binds the variable of that name to a string literal, in a VALUES clause put
        where the query says #PARAMS; Oxigraph writes the literal, so no input becomes query text."""
        values = " ".join(f"VALUES ?{k} {{ {ox.Literal(str(v))} }}" for k, v in params.items())
        results = self.ox.query(sparql.replace("#PARAMS", values), use_default_graph_as_union=True,
                                prefixes=PREFIX_MAP)
        names = [v.value for v in results.variables]
        return [{n: row[n].value for n in names if row[n] is not None} for row in results]

    def export(self, fmt: str, graph: str | None = None) -> bytes:
        rdf_format = EXPORT_FORMATS[fmt]
        if graph is not None:
            return self.ox.dump(format=rdf_format, from_graph=ox.NamedNode(graph), **self._prefixes(rdf_format))
        if rdf_format.supports_datasets:
            return self.ox.dump(format=rdf_format, **self._prefixes(rdf_format))
        union = self.ox.query("CONSTRUCT { ?s ?p ?o } WHERE { ?s ?p ?o }", use_default_graph_as_union=True)
        return ox.serialize(union, format=rdf_format, **self._prefixes(rdf_format))

    @staticmethod
    def _prefixes(rdf_format) -> dict:
        return {"prefixes": PREFIX_MAP} if rdf_format in (ox.RdfFormat.TURTLE, ox.RdfFormat.TRIG) else {}

    def __len__(self) -> int:
        return len(self.ox)

    def stats(self) -> dict[str, int]:
        counts = {"quads": len(self.ox)}
        queries = {
            "articles": f"SELECT (COUNT(DISTINCT ?a) AS ?n) WHERE {{ ?a a <{SCHEMA.NewsArticle}> }}",
            "statements": f"SELECT (COUNT(DISTINCT ?s) AS ?n) WHERE {{ ?s a <{SCHEMA.Quotation}> }}",
            "memberships": "SELECT (COUNT(DISTINCT ?m) AS ?n) WHERE { ?m a <http://www.w3.org/ns/org#Membership> }",
            "people": f"SELECT (COUNT(DISTINCT ?p) AS ?n) WHERE {{ ?p a <{SCHEMA.Person}> }}",
            "organisations": f"SELECT (COUNT(DISTINCT ?p) AS ?n) WHERE {{ ?p a <{SCHEMA.Organization}> }}",
            "places": f"SELECT (COUNT(DISTINCT ?p) AS ?n) WHERE {{ ?p a <{SCHEMA.Place}> }}",
        }
        for key, sparql in queries.items():
            counts[key] = int(next(iter(self.query(sparql)))["n"].value)
        return counts

    def flush(self) -> None:
        if self.path is not None:
            self.ox.flush()
