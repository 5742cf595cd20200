"""One article's extraction as an rdflib Graph: the named graph that the store keeps for it."""
from __future__ import annotations

import hashlib

from rdflib import Graph, Literal, URIRef

from .model import Extraction, Span
from .vocab import (ENTITY_CLASSES, KG, KINDS, OA, ORG, PREFIXES, PROV, RDF, RDFS, SCHEMA, SKOS,
                    TIMES, XSD, Iris)


def article_graph(extraction: Extraction, iris: Iris) -> Graph:
    builder = GraphBuilder(extraction, iris)
    builder.article()
    builder.entities()
    builder.statements()
    builder.roles()
    return builder.graph


def content_hash(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


class GraphBuilder:
    def __init__(self, extraction: Extraction, iris: Iris):
        self.x = extraction
        self.iris = iris
        self.doc = iris.article(extraction.article.id)
        self.graph = Graph(identifier=self.doc)
        for prefix, namespace in PREFIXES.items():
            self.graph.bind(prefix, namespace)

    def add(self, s, p, o) -> None:
        self.graph.add((s, p, o))

    def article(self) -> None:
        a = self.x.article
        self.add(self.doc, RDF.type, SCHEMA.NewsArticle)
        self.add(self.doc, SCHEMA.identifier, Literal(a.id))
        self.add(self.doc, SCHEMA.text, Literal(a.text))
        self.add(self.doc, KG.contentHash, Literal(content_hash(a.text)))
        if a.title:
            self.add(self.doc, SCHEMA.headline, Literal(a.title))
        if a.date:
            self.add(self.doc, SCHEMA.datePublished, self.date_literal(a.date))
        if a.url:
            self.add(self.doc, SCHEMA.url, Literal(a.url, datatype=XSD.anyURI))
        if a.source:
            publisher = self.entity(a.source, "ORG")
            self.add(self.doc, SCHEMA.publisher, publisher)

    @staticmethod
    def date_literal(value: str) -> Literal:
        if len(value) == 10 and value[4] == "-" and value[7] == "-":
            return Literal(value, datatype=XSD.date)
        return Literal(value)

    def entity(self, name: str, entity_type: str | None, alt: set[str] = frozenset()) -> URIRef:
        iri = self.iris.entity(name, entity_type, self.x.article.id)
        self.add(iri, RDF.type, ENTITY_CLASSES[entity_type])
        self.add(iri, RDF.type, PROV.Agent)
        self.add(iri, SKOS.prefLabel, Literal(name))
        self.add(iri, RDFS.label, Literal(name))
        for label in alt - {name}:
            self.add(iri, SKOS.altLabel, Literal(label))
        return iri

    def entities(self) -> None:
        for e in self.x.entities:
            iri = self.entity(e.name, e.type, {m.text for m in e.mentions})
            self.add(self.doc, SCHEMA.mentions, iri)

    def evidence(self, node: URIRef, span: Span) -> URIRef:
        self.add(node, RDF.type, OA.SpecificResource)
        self.add(node, OA.hasSource, self.doc)
        position, quote = URIRef(f"{node}/position"), URIRef(f"{node}/quote")
        self.add(node, OA.hasSelector, position)
        self.add(position, RDF.type, OA.TextPositionSelector)
        self.add(position, OA.start, Literal(span.start, datatype=XSD.integer))
        self.add(position, OA.end, Literal(span.end, datatype=XSD.integer))
        self.add(node, OA.hasSelector, quote)
        self.add(quote, RDF.type, OA.TextQuoteSelector)
        self.add(quote, OA.exact, Literal(span.text))
        return node

    def statements(self) -> None:
        date = self.x.article.date
        for n, st in enumerate(self.x.statements):
            q = self.iris.statement(self.x.article.id, n)
            self.add(q, RDF.type, SCHEMA.Quotation)
            self.add(q, RDF.type, PROV.Entity)
            self.add(q, SCHEMA.text, Literal(st.text))
            self.add(q, KG.cue, Literal(st.cue.text))
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
                self.add(q, KG.speakerEvidence, self.evidence(URIRef(f"{q}/speaker"), st.mention))
            self.add(q, KG.cueEvidence, self.evidence(URIRef(f"{q}/cue"), st.cue))
            for i, span in enumerate(st.content):
                self.add(q, KG.contentEvidence, self.evidence(URIRef(f"{q}/content/{i}"), span))
            if st.reporter:
                self.add(q, KG.reporter, self.entity(st.reporter, self.type_of(st.reporter)))
            for name in st.about:
                self.add(q, SCHEMA.about, self.entity(name, self.type_of(name)))

    def type_of(self, name: str) -> str | None:
        """The type of an entity the article names; places and bodies from tables are GPE."""
        for e in self.x.entities:
            if e.name == name:
                return e.type
        return "GPE"

    def roles(self) -> None:
        for n, r in enumerate(self.x.roles):
            m = self.iris.membership(self.x.article.id, n)
            person = self.entity(r.person, "PERSON")
            role = self.iris.role(r.role)
            self.add(m, RDF.type, ORG.Membership)
            self.add(m, ORG.member, person)
            self.add(m, ORG.role, role)
            self.add(role, RDF.type, ORG.Role)
            self.add(role, SKOS.prefLabel, Literal(r.role))
            self.add(m, KG.time, TIMES[r.time])
            self.add(m, PROV.wasDerivedFrom, self.doc)
            self.add(m, KG.evidence, self.evidence(URIRef(f"{m}/evidence"), r.evidence))
            if r.organisation:
                organisation = self.entity(r.organisation, r.organisation_type or "ORG")
                self.add(organisation, RDF.type, ORG.Organization)
                self.add(m, ORG.organization, organisation)
