"""Projections of the knowledge graph into networkx graphs of actors.

Every projection has the same attributes, so metrics, paths and exports work on any of them:
nodes carry `name`, `type` (Person, Organization, Place, Agent) and `dates`; edges carry
`weight`, `statements` (the statements behind the edge), `roles` (the memberships behind it),
`articles` and `dates`. Nodes are actor ids, the IRI without the base: `person/jake-sullivan`.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field
import datetime
from itertools import combinations

import networkx as nx

from ..store import Store
from ..vocab import Iris

KINDS = ("statements", "affiliations", "comentions", "combined")
TYPES = ("Person", "Organization", "Place", "Agent")
DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")
UNNAMED = "source/"  # the IRI path of an article's unnamed source (kg/vocab.py Iris.entity)

# The articles a projection reads, bound to ?article; the filters arrive as bound literals.
# Labels are matched in the article's own graph (ingest names it by the article's IRI): a label is
# in every graph naming its node, and the union default graph repeats it per graph (README, "Writing
# queries"). Across the union the publisher filter took 270 s at a million quads, here 2.6 s.
ARTICLES = """
  OPTIONAL { ?article schema:datePublished ?published }
  BIND (STR(?published) AS ?date)
  FILTER (!BOUND(?fromQ) || (BOUND(?date) && ?date >= ?fromQ))
  FILTER (!BOUND(?toQ) || (BOUND(?date) && ?date <= ?toQ))
  FILTER (!BOUND(?publisherQ) || EXISTS {
          GRAPH ?article { ?article schema:publisher ?pub . ?pub skos:prefLabel ?pubName }
          FILTER (CONTAINS(LCASE(?pubName), LCASE(?publisherQ)) || STR(?pub) = ?publisherQ) })
"""

STATEMENTS = """
SELECT DISTINCT ?q ?speaker ?target ?cue ?text ?article ?date WHERE {
  #PARAMS
  ?q a schema:Quotation ; schema:creator ?speaker ; kg:cue ?cue ; schema:text ?text ; schema:isBasedOn ?article .
  OPTIONAL { ?q schema:about ?target }
  %s
}""" % ARTICLES

# One row per membership. Its role is named as the membership's own article names it (role IRIs
# are slugs, so "Vice-President" in one article and "vice president" in another are one role);
# should that article spell it two ways, the first in code point order.
ROLES = """
SELECT ?m ?person ?org (MIN(?label) AS ?role) ?time ?article ?date WHERE {
  #PARAMS
  GRAPH ?article { ?m a org:Membership ; org:member ?person ; org:role/skos:prefLabel ?label ; kg:time ?time ;
                      prov:wasDerivedFrom ?article .
                   OPTIONAL { ?m org:organization ?org } }
  %s
} GROUP BY ?m ?person ?org ?time ?article ?date""" % ARTICLES

MENTIONS = """
SELECT DISTINCT ?article ?actor ?date WHERE {
  #PARAMS
  ?article a schema:NewsArticle ; schema:mentions ?actor .
  %s
}""" % ARTICLES

# Names and types in two queries: an actor's label and type are in every article graph naming them,
# so joining the two would multiply rows by the square of that number in the union of graphs.
LABELS = "SELECT ?a (MIN(?label) AS ?name) WHERE { ?a skos:prefLabel ?label } GROUP BY ?a"
CLASSES = """SELECT DISTINCT ?a ?type WHERE {
  ?a a ?cls . VALUES ?cls { schema:Person schema:Organization schema:Place }
  BIND (STRAFTER(STR(?cls), "schema.org/") AS ?type) }"""


class FilterError(ValueError):
    """A filter value that cannot be used; the message says which and why."""


@dataclass(frozen=True)
class Filters:
    """Which part of the graph a projection reads: articles by date and publisher, actors by type,
    edges by weight."""
    date_from: str | None = None
    date_to: str | None = None
    publisher: str | None = None
    types: tuple[str, ...] = ()
    min_weight: float = 0

    def __post_init__(self) -> None:
        for name in ("date_from", "date_to"):
            value = getattr(self, name)
            if value and not valid_date(value):
                raise FilterError(f"{name.replace('_', ' ')} must be a date YYYY-MM-DD, not {value!r}")
        unknown = set(self.types) - set(TYPES)
        if unknown:
            raise FilterError(f"unknown actor type {', '.join(sorted(unknown))}; choose from {', '.join(TYPES)}")

    def params(self) -> dict[str, str]:
        values = {"fromQ": self.date_from, "toQ": self.date_to, "publisherQ": self.publisher}
        return {k: v for k, v in values.items() if v}


@dataclass
class Projector:
    store: Store
    iris: Iris
    filters: Filters = field(default_factory=Filters)

    def project(self, kind: str) -> nx.Graph:
        if kind not in KINDS:
            raise FilterError(f"unknown network {kind!r}; choose from {', '.join(KINDS)}")
        graph = getattr(self, kind)()
        graph.graph["kind"] = kind
        return self.finish(graph)

    def rows(self, query: str) -> list[dict[str, str]]:
        """The query's rows in a fixed order, so the same store always gives the same graph."""
        return sorted(self.store.select(query, **self.filters.params()), key=lambda row: sorted(row.items()))

    def id(self, iri: str) -> str:
        return iri.removeprefix(self.iris.base)

    # --- the projections ------------------------------------------------------------------
    def statements(self) -> nx.DiGraph:
        """Speaker -> each actor the statement is about. An unnamed source ("officials", a "he" that
        nothing resolves) is no actor: it draws no node of its own, article after article."""
        graph = nx.DiGraph()
        for row in self.rows(STATEMENTS):
            speaker, date = self.id(row["speaker"]), row.get("date")
            if speaker.startswith(UNNAMED):
                continue
            statement = {"id": self.id(row["q"]), "cue": row["cue"], "text": row["text"],
                         "article": self.iris.article_id(row["article"]), "date": date}
            add_node(graph, speaker, date)
            target = row.get("target")
            if target is not None and self.id(target) != speaker:
                add_node(graph, self.id(target), date)
                link(graph, speaker, self.id(target), date, statement["article"]).setdefault(
                    "statements", []).append(statement)
        return graph

    def affiliations(self) -> nx.DiGraph:
        """Person -> organisation, one link per role an article states."""
        graph = nx.DiGraph()
        for row in self.rows(ROLES):
            person, date = self.id(row["person"]), row.get("date")
            add_node(graph, person, date)
            if row.get("org") is None:
                continue
            org = self.id(row["org"])
            add_node(graph, org, date)
            role = {"id": self.id(row["m"]), "role": row["role"], "time": row["time"].rsplit("#", 1)[-1].lower(),
                    "article": self.iris.article_id(row["article"]), "date": date}
            link(graph, person, org, date, role["article"]).setdefault("roles", []).append(role)
        return graph

    def comentions(self) -> nx.Graph:
        """Actors named in the same article, weighted by the number of such articles."""
        by_article: dict[str, tuple[str | None, set[str]]] = {}
        for row in self.rows(MENTIONS):
            by_article.setdefault(row["article"], (row.get("date"), set()))[1].add(self.id(row["actor"]))
        graph = nx.Graph()
        for article, (date, actors) in by_article.items():
            for actor in actors:
                add_node(graph, actor, date)
            for a, b in combinations(sorted(actors), 2):
                link(graph, a, b, date, self.iris.article_id(article))
        return graph

    def combined(self) -> nx.DiGraph:
        """Statements and roles in one graph: how actors are connected by either."""
        graph = self.statements()
        roles = self.affiliations()
        for node, dates in roles.nodes(data="dates"):
            add_node(graph, node, None)
            graph.nodes[node]["dates"] |= dates
        for u, v, data in roles.edges(data=True):
            edge = link(graph, u, v, None, None)
            edge["weight"] += data["weight"] - 1
            edge["roles"] = data["roles"]
            edge["articles"] |= data["articles"]
            edge["dates"] |= data["dates"]
        return graph

    # --- shared ---------------------------------------------------------------------------
    def finish(self, graph: nx.Graph) -> nx.Graph:
        """Name and type the nodes, then apply the type and weight filters."""
        labels = {self.id(r["a"]): r["name"] for r in self.store.select(LABELS)}
        types: dict[str, set[str]] = {}
        for row in self.store.select(CLASSES):
            types.setdefault(self.id(row["a"]), set()).add(row["type"])
        for node, data in graph.nodes(data=True):
            data["name"] = labels.get(node, node)
            data["type"] = actor_type(types.get(node, set()))
            data["dates"] = sorted(data["dates"])
        for _, _, data in graph.edges(data=True):
            data.setdefault("statements", [])
            data.setdefault("roles", [])
            data["articles"] = sorted(data["articles"])
            data["dates"] = sorted(data["dates"])
        if self.filters.types:
            graph = graph.subgraph(n for n, t in graph.nodes(data="type") if t in self.filters.types).copy()
        if self.filters.min_weight > 0:
            graph.remove_edges_from([(u, v) for u, v, w in graph.edges(data="weight") if w < self.filters.min_weight])
            graph.remove_nodes_from([n for n in list(graph) if graph.degree(n) == 0])
        return graph


def valid_date(value: str) -> bool:
    try:
        datetime.date.fromisoformat(value)
    except ValueError:
        return False
    return bool(DATE.match(value))


def actor_type(types: set[str]) -> str:
    """Person before Organization before Place; an unnamed source is an Agent."""
    return next((t for t in ("Person", "Organization", "Place") if t in types), "Agent")


def add_node(graph: nx.Graph, node: str, date: str | None) -> None:
    if node not in graph:
        graph.add_node(node, dates=set())
    if date:
        graph.nodes[node]["dates"].add(date)


def link(graph: nx.Graph, u: str, v: str, date: str | None, article: str | None) -> dict:
    """The edge u-v, created or strengthened by one more fact."""
    if not graph.has_edge(u, v):
        graph.add_edge(u, v, weight=0, articles=set(), dates=set())
    data = graph.edges[u, v]
    data["weight"] += 1
    if article:
        data["articles"].add(article)
    if date:
        data["dates"].add(date)
    return data


def project(store: Store, iris: Iris, kind: str = "statements", filters: Filters | None = None) -> nx.Graph:
    """The network of `kind` over the articles and actors the filters keep."""
    return Projector(store, iris, filters or Filters()).project(kind)


def cues(data: dict) -> list[str]:
    """The distinct cues of an edge's statements, most frequent first."""
    counts: dict[str, int] = {}
    for statement in data.get("statements", ()):
        counts[statement["cue"]] = counts.get(statement["cue"], 0) + 1
    return sorted(counts, key=lambda c: (-counts[c], c))


def undirected(graph: nx.Graph) -> nx.Graph:
    """The graph without direction, the weights of u->v and v->u summed."""
    if not graph.is_directed():
        return graph
    simple = nx.Graph()
    simple.add_nodes_from(graph.nodes(data=True))
    for u, v, w in graph.edges(data="weight", default=1):
        if simple.has_edge(u, v):
            simple.edges[u, v]["weight"] += w
        else:
            simple.add_edge(u, v, weight=w)
    return simple
