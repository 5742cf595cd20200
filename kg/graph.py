"""One article's extraction as RDF: the named graph that the store keeps for it, as N-Triples (what
ingest writes) or as an rdflib Graph, both from the same GraphBuilder."""
from __future__ import annotations

import hashlib

import pyoxigraph as ox
from rdflib import Graph, Literal, URIRef

from .model import Extraction, Span
from .reader import iso_date
from .vocab import (ENTITY_CLASSES, KG, KINDS, OA, ORG, PREFIXES, PROV, RDF, RDFS, SCHEMA, SKOS,
                    TIMES, XSD, Iris)


def article_ntriples(extraction: Extraction, iris: Iris) -> str:
    """What ingest writes to the store."""
    return GraphBuilder(extraction, iris, NTriples()).build().text()


def article_graph(extraction: Extraction, iris: Iris) -> Graph:
    """The same triples in rdflib's terms."""
    return GraphBuilder(extraction, iris, RdflibGraph(iris.article(extraction.article.id))).build().graph


def content_hash(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


class NTriples:
    """Triples as N-Triples lines in pyoxigraph's terms, which check each IRI and escape each literal:
    three to five times as fast as adding rdflib terms to an rdflib Graph and serialising it."""

    def __init__(self):
        self.nodes: dict[str, ox.NamedNode] = {}
        self.lines: dict[str, None] = {}  # in order, each once: a graph is a set of triples

    def iri(self, value: str) -> ox.NamedNode:
        if value not in self.nodes:  # checked once per article
            self.nodes[value] = ox.NamedNode(value)
        return self.nodes[value]

    def literal(self, value: str | int, datatype: str | None = None) -> ox.Literal:
        return ox.Literal(str(value), datatype=datatype and self.iri(datatype))

    def add(self, s: ox.NamedNode, p: str, o: ox.NamedNode | ox.Literal | str) -> None:
        """A vocabulary term (p, or o when a str) is an IRI."""
        o = o if isinstance(o, (ox.NamedNode, ox.Literal)) else self.iri(o)
        self.lines[f"{s} {self.iri(p)} {o} .\n"] = None

    def text(self) -> str:
        return "".join(self.lines)


class RdflibGraph:
    def __init__(self, identifier: URIRef):
        self.graph = Graph(identifier=identifier)
        for prefix, namespace in PREFIXES.items():
            self.graph.bind(prefix, namespace)

    def iri(self, value: str) -> URIRef:
        return URIRef(value)

    def literal(self, value: str | int, datatype: str | None = None) -> Literal:
        return Literal(value, datatype=datatype)

    def add(self, s: URIRef, p: URIRef, o: URIRef | Literal) -> None:
        self.graph.add((s, p, o))


class GraphBuilder:
    """The one place that says which triples an article's graph holds, in the terms of `out`."""

    def __init__(self, extraction: Extraction, iris: Iris, out: NTriples | RdflibGraph):
        self.x = extraction
        self.iris = iris
        self.out = out
        self.doc = out.iri(iris.article(extraction.article.id))
        self.add, self.node, self.literal = out.add, out.iri, out.literal

    def build(self) -> NTriples | RdflibGraph:
        self.article()
        self.entities()
        self.statements()
        self.roles()
        return self.out

    def article(self) -> None:
        a = self.x.article
        self.add(self.doc, RDF.type, SCHEMA.NewsArticle)
        self.add(self.doc, SCHEMA.identifier, self.literal(a.id))
        self.add(self.doc, SCHEMA.text, self.literal(a.text))
        self.add(self.doc, KG.contentHash, self.literal(content_hash(a.text)))
        if a.title:
            self.add(self.doc, SCHEMA.headline, self.literal(a.title))
        if a.date:
            self.add(self.doc, SCHEMA.datePublished, self.date_literal(a.date))
            if a.date_source:
                self.add(self.doc, KG.dateSource, self.literal(a.date_source))
        if a.url:
            self.add(self.doc, SCHEMA.url, self.literal(a.url, XSD.anyURI))
        if a.source:
            publisher = self.entity(a.source, "ORG")
            self.add(self.doc, SCHEMA.publisher, publisher)

    def date_literal(self, value: str):
        """xsd:date or xsd:dateTime for a real date in its form (the reader makes every date one);
        anything else stays a plain string, which the SHACL shapes flag."""
        if iso_date(value) != value:
            return self.literal(value)
        return self.literal(value, XSD.date if len(value) == 10 else XSD.dateTime)

    def entity(self, name: str, entity_type: str | None, alt: set[str] = frozenset()):
        iri = self.node(self.iris.entity(name, entity_type, self.x.article.id))
        self.add(iri, RDF.type, ENTITY_CLASSES[entity_type])
        self.add(iri, RDF.type, PROV.Agent)
        self.add(iri, SKOS.prefLabel, self.literal(name))
        self.add(iri, RDFS.label, self.literal(name))
        for label in alt - {name}:
            self.add(iri, SKOS.altLabel, self.literal(label))
        return iri

    def entities(self) -> None:
        for e in self.x.entities:
            iri = self.entity(e.name, e.type, {m.text for m in e.mentions})
            self.add(self.doc, SCHEMA.mentions, iri)

    def evidence(self, iri: str, span: Span):
        node, position, quote = self.node(iri), self.node(f"{iri}/position"), self.node(f"{iri}/quote")
        self.add(node, RDF.type, OA.SpecificResource)
        self.add(node, OA.hasSource, self.doc)
        self.add(node, OA.hasSelector, position)
        self.add(position, RDF.type, OA.TextPositionSelector)
        self.add(position, OA.start, self.literal(span.start, XSD.integer))
        self.add(position, OA.end, self.literal(span.end, XSD.integer))
        self.add(node, OA.hasSelector, quote)
        self.add(quote, RDF.type, OA.TextQuoteSelector)
        self.add(quote, OA.exact, self.literal(span.text))
        return node

    def statements(self) -> None:
        date = self.x.article.date
        for n, st in enumerate(self.x.statements):
            iri = self.iris.statement(self.x.article.id, n)
            q = self.node(iri)
            self.add(q, RDF.type, SCHEMA.Quotation)
            self.add(q, RDF.type, PROV.Entity)
            self.add(q, SCHEMA.text, self.literal(st.text))
            self.add(q, KG.cue, self.literal(st.cue.text))
            self.add(q, KG.quoteKind, KINDS[st.kind])
            self.add(q, SCHEMA.isBasedOn, self.doc)
            self.add(q, PROV.wasDerivedFrom, self.doc)
            if date:
                self.add(q, SCHEMA.dateCreated, self.date_literal(date))
            if st.speaker:
                speaker = self.entity(st.speaker, st.speaker_type)
                self.add(q, SCHEMA.creator, speaker)
                self.add(q, PROV.wasAttributedTo, speaker)
            if st.mention:
                self.add(q, KG.speakerEvidence, self.evidence(f"{iri}/speaker", st.mention))
            self.add(q, KG.cueEvidence, self.evidence(f"{iri}/cue", st.cue))
            for i, span in enumerate(st.content):
                self.add(q, KG.contentEvidence, self.evidence(f"{iri}/content/{i}", span))
            if st.reporter:
                self.add(q, KG.reporter, self.entity(st.reporter, self.type_of(st.reporter)))
            for name in st.about:
                self.add(q, SCHEMA.about, self.entity(name, self.type_of(name)))

    def type_of(self, name: str) -> str | None:
        """The type of an entity the article names (the one rule `kg extract`'s ids follow too)."""
        return self.x.type_of(name)

    def roles(self) -> None:
        for n, r in enumerate(self.x.roles):
            iri = self.iris.membership(self.x.article.id, n)
            m = self.node(iri)
            person = self.entity(r.person, "PERSON")
            role = self.node(self.iris.role(r.role))
            self.add(m, RDF.type, ORG.Membership)
            self.add(m, ORG.member, person)
            self.add(m, ORG.role, role)
            self.add(role, RDF.type, ORG.Role)
            self.add(role, SKOS.prefLabel, self.literal(r.role))
            self.add(m, KG.time, TIMES[r.time])
            self.add(m, PROV.wasDerivedFrom, self.doc)
            if r.inferred_from:  # resolved with another article's fact: deleting that one removes it
                self.add(m, KG.inferredFrom, self.node(r.inferred_from))
            self.add(m, KG.evidence, self.evidence(f"{iri}/evidence", r.evidence))
            if r.organisation:
                organisation = self.entity(r.organisation, r.organisation_type or "ORG")
                self.add(organisation, RDF.type, ORG.Organization)
                self.add(m, ORG.organization, organisation)
