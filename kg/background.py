"""Background knowledge for resolving roles: what the store already holds.

Two sources, both read from the store, so there is one place to look:
- the role facts (org:Membership) that earlier articles stated, each with its article and date;
- background facts a user loaded with `kg ingest --background FILE.ttl`: a Turtle file in the
  W3C ORG vocabulary (org:Membership, org:member, org:role, org:organization, kg:time), kept in
  its own named graph.
An article is resolved with the facts stated by other articles dated on or before its own date
(undated articles and loaded facts hold at any date); facts that were themselves inferred are
never evidence, so one resolution pass over a batch reaches the same graph in any order.
"""
from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from rdflib import Graph, URIRef
from rdflib.exceptions import ParserError

from .vocab import KG, ORG, RDF, RDFS, SKOS, TIMES, Iris, slug

TIME_OF = {str(iri): name for name, iri in TIMES.items()}


@dataclass(frozen=True)
class KnownFact:
    """A person's role, as some stored article or the loaded background says."""
    person: str
    role: str
    organisation: str | None
    time: str = "current"
    source: str | None = None  # the IRI of the article (or background graph) that states it
    date: str | None = None  # that article's date


class BackgroundError(ValueError):
    """A background file that is not Turtle, or holds no role facts; the message says which."""


def background_graph(iris: Iris, path: Path) -> URIRef:
    """The named graph a background file is kept in: one per file name, replaced on reload."""
    return URIRef(f"{iris.base}background/{slug(path.stem)}")


def read_background(path: Path, graph: URIRef) -> Graph:
    """A background Turtle file as the graph to store; a clear BackgroundError if it is not one."""
    loaded = Graph(identifier=graph)
    try:
        loaded.parse(path, format="turtle")
    except (OSError, UnicodeDecodeError) as err:
        raise BackgroundError(f"{path}: cannot read it ({err})") from None
    except (ParserError, SyntaxError, ValueError) as err:
        raise BackgroundError(f"{path}: not Turtle ({str(err).splitlines()[0][:200]})") from None
    facts = facts_in(loaded, str(graph))
    if not facts:
        raise BackgroundError(f"{path}: no role facts: expected org:Membership nodes with org:member "
                              "(a person with a skos:prefLabel or rdfs:label) and org:role (with a label)")
    return loaded


def label(graph: Graph, node) -> str | None:
    value = graph.value(node, SKOS.prefLabel) or graph.value(node, RDFS.label)
    return None if value is None else str(value)


def facts_in(graph: Graph, source: str) -> list[KnownFact]:
    """The role facts of an rdflib graph (a loaded background file)."""
    facts = []
    for m in graph.subjects(RDF.type, ORG.Membership):
        person, role = label(graph, graph.value(m, ORG.member)), label(graph, graph.value(m, ORG.role))
        if not (person and role):
            continue
        org = graph.value(m, ORG.organization)
        time = TIME_OF.get(str(graph.value(m, KG.time)), "current")
        facts.append(KnownFact(person, role.lower(), org is not None and label(graph, org) or None, time, source))
    return facts


STORED_FACTS = """
SELECT ?g ?person ?role ?org ?time ?date WHERE {
  GRAPH ?g {
    ?m a org:Membership ; org:member ?p ; org:role ?r .
    FILTER NOT EXISTS { ?m kg:inferredFrom ?any }
    ?p skos:prefLabel ?person . ?r skos:prefLabel ?role .
    OPTIONAL { ?m org:organization ?o . ?o skos:prefLabel ?org }
    OPTIONAL { ?m kg:time ?time }
    OPTIONAL { ?g schema:datePublished ?date }
  }
}"""


def stored_facts(store) -> list[KnownFact]:
    """Every role fact the store holds that an article stated or a background file gives."""
    facts = {}
    for row in store.select(STORED_FACTS):
        fact = KnownFact(row["person"], row["role"].lower(), row.get("org"), TIME_OF.get(row.get("time"), "current"),
                         row["g"], (row.get("date") or "")[:10] or None)
        facts[fact] = None
    return list(facts)


def as_of(facts: list[KnownFact], article_iri: str, date: str | None) -> tuple[KnownFact, ...]:
    """The facts an article may draw on: not its own, and none from an article dated after it."""
    return tuple(sorted({f for f in facts if f.source != article_iri and (not date or not f.date or f.date <= date[:10])},
                        key=lambda f: (f.person, f.role, f.organisation or "", f.time, f.date or "", f.source or "")))
