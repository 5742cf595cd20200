"""Who said what about whom, actors and articles, read from the store with SPARQL.
User input reaches the queries only as bound literals, never as query text.

Names: every article graph labels its actors with the names it writes (skos:prefLabel its fullest
form, skos:altLabel the others), so a person named differently in two articles has two
prefLabels. The API shows the longest (then the first alphabetically): a deterministic choice
that does not depend on the order of ingestion and changes back when an article is deleted.
A bare surname from an article that never gives the first name is its own node ("person/biden");
at query time it is the same person as the one full-named person with that surname in the store,
and only a possible match when there are several (Bill and Hillary Clinton)."""
from __future__ import annotations

from dataclasses import dataclass

import pyoxigraph as ox

from .store import Store
from .vocab import Iris

STATEMENT_FILTERS = """
  #PARAMS
  ?q a schema:Quotation ; schema:text ?text ; kg:cue ?cue ; kg:quoteKind ?kind ; schema:isBasedOn ?article .
  OPTIONAL { ?q schema:creator ?speaker . ?speaker skos:prefLabel ?speakerName }
  OPTIONAL { ?q schema:dateCreated ?date }
  FILTER (!BOUND(?speakerQ) || (BOUND(?speakerName) && CONTAINS(LCASE(?speakerName), LCASE(?speakerQ)))
          || STR(?speaker) = ?speakerQ)
  FILTER (!BOUND(?aboutQ) || EXISTS { ?q schema:about ?target . ?target skos:prefLabel ?targetName .
          FILTER (CONTAINS(LCASE(?targetName), LCASE(?aboutQ)) || STR(?target) = ?aboutQ) })
  FILTER (!BOUND(?textQ) || CONTAINS(LCASE(?text), LCASE(?textQ)))
  FILTER (!BOUND(?kindQ) || LCASE(STRAFTER(STR(?kind), "#")) = LCASE(?kindQ))
  FILTER (!BOUND(?fromQ) || STR(?date) >= ?fromQ)
  FILTER (!BOUND(?toQ) || STR(?date) <= ?toQ)
  FILTER (!BOUND(?articleQ) || STR(?article) = ?articleQ)
"""

EVIDENCE = """
SELECT DISTINCT ?role ?start ?end ?exact WHERE {
  VALUES ?prop { kg:speakerEvidence kg:cueEvidence kg:contentEvidence }
  ?subject ?prop ?ev . ?ev oa:hasSelector ?pos, ?quote .
  ?pos oa:start ?start ; oa:end ?end . ?quote oa:exact ?exact .
  #PARAMS
  BIND (STRAFTER(STR(?prop), "#") AS ?role)
  FILTER (STR(?subject) = ?subjectQ)
} ORDER BY ?start
"""


@dataclass
class Queries:
    store: Store
    iris: Iris

    def actor_id(self, iri: str) -> str:
        return iri.removeprefix(self.iris.base)

    def ref(self, iri: str | None, name: str | None) -> dict | None:
        return None if iri is None else {"id": self.actor_id(iri), "name": name or iri}

    def names(self, iris) -> dict[str, str]:
        """The preferred name of each node: its longest prefLabel, then the first alphabetically."""
        iris = sorted({i for i in iris if i})
        if not iris:
            return {}
        values = " ".join(str(ox.NamedNode(i)) for i in iris)
        labels: dict[str, list[str]] = {}
        for row in self.store.select(f"SELECT ?x ?l WHERE {{ VALUES ?x {{ {values} }} ?x skos:prefLabel ?l }}"):
            labels.setdefault(row["x"], []).append(row["l"])
        return {x: min(ls, key=lambda label: (-len(label), label)) for x, ls in labels.items()}

    # --- statements -----------------------------------------------------------------------
    def statements(self, limit: int = 50, offset: int = 0, **filters: str | None) -> tuple[int, list[dict]]:
        params = {f"{k}Q": v for k, v in filters.items() if v not in (None, "")}
        total = int(self.store.select(
            f"SELECT (COUNT(DISTINCT ?q) AS ?n) WHERE {{ {STATEMENT_FILTERS} }}", **params)[0]["n"])
        rows = self.store.select(
            f"""SELECT DISTINCT ?q ?speaker ?cue ?kind ?text ?article ?date
                WHERE {{ {STATEMENT_FILTERS} }} ORDER BY ?date ?article ?q
                LIMIT {int(limit)} OFFSET {int(offset)}""", **params)
        names = self.names(r.get("speaker") for r in rows)
        return total, [self.statement({**row, "speakerName": names.get(row.get("speaker"))}) for row in rows]

    def statement(self, row: dict) -> dict:
        q = row["q"]
        about = self.store.select(
            "SELECT DISTINCT ?t WHERE { #PARAMS ?q schema:about ?t . ?t skos:prefLabel ?name . FILTER (STR(?q) = ?qQ) }",
            qQ=q)
        reporter = self.store.select(
            "SELECT DISTINCT ?r WHERE { #PARAMS ?q kg:reporter ?r . FILTER (STR(?q) = ?qQ) }", qQ=q)
        names = self.names([a["t"] for a in about] + [r["r"] for r in reporter])
        about = [{**a, "name": names.get(a["t"])} for a in about]
        reporter = [{**r, "name": names.get(r["r"])} for r in reporter]
        spans: dict[str, list[dict]] = {}
        for ev in self.store.select(EVIDENCE, subjectQ=q):
            spans.setdefault(ev["role"], []).append(
                {"start": int(ev["start"]), "end": int(ev["end"]), "text": ev["exact"]})
        return {
            "id": self.actor_id(q),
            "speaker": self.ref(row.get("speaker"), row.get("speakerName")),
            "cue": row["cue"], "kind": row["kind"].rsplit("#", 1)[-1].lower(), "text": row["text"],
            "about": [self.ref(a["t"], a["name"]) for a in about],
            "reporter": self.ref(reporter[0]["r"], reporter[0].get("name")) if reporter else None,
            "article": self.iris.article_id(row["article"]), "date": row.get("date"),
            "speaker_span": (spans.get("speakerEvidence") or [None])[0],
            "cue_span": (spans.get("cueEvidence") or [None])[0],
            "content_spans": spans.get("contentEvidence", []),
        }

    # --- actors ---------------------------------------------------------------------------
    def actors(self, name: str | None = None, type: str | None = None, limit: int = 50,
               offset: int = 0) -> list[dict]:
        params = {k: v for k, v in {"nameQ": name, "typeQ": type}.items() if v}
        rows = self.store.select(f"""
            SELECT ?a ?type (MIN(?name) AS ?first) (COUNT(DISTINCT ?q) AS ?n) WHERE {{
              #PARAMS
              ?a skos:prefLabel ?name ; a ?cls .
              VALUES ?cls {{ schema:Person schema:Organization schema:Place }}
              BIND (STRAFTER(STR(?cls), "schema.org/") AS ?type)
              OPTIONAL {{ ?q schema:creator ?a }}
              FILTER (!BOUND(?nameQ) || CONTAINS(LCASE(?name), LCASE(?nameQ)))
              FILTER (!BOUND(?typeQ) || LCASE(?type) = LCASE(?typeQ))
            }} GROUP BY ?a ?type ORDER BY DESC(?n) ?first ?a LIMIT {int(limit)} OFFSET {int(offset)}""", **params)
        names = self.names(r["a"] for r in rows)
        return [{"id": self.actor_id(r["a"]), "name": names.get(r["a"], r["first"]), "type": r["type"],
                 "statements": int(r["n"])} for r in rows]

    def actor(self, actor_id: str) -> dict | None:
        iri = self.iris.base + actor_id
        rows = self.store.select("""
            SELECT DISTINCT ?label ?type WHERE { #PARAMS
              ?a skos:prefLabel|skos:altLabel ?label ; a ?cls .
              VALUES ?cls { schema:Person schema:Organization schema:Place prov:Agent }
              BIND (STRAFTER(STRAFTER(STR(?cls), "//"), "/") AS ?type)
              FILTER (STR(?a) = ?aQ) }""", aQ=iri)
        if not rows:
            return None
        types = [r["type"] for r in rows if r["type"] in ("Person", "Organization", "Place")]
        _, said = self.statements(limit=200, speaker=iri)
        _, said_about = self.statements(limit=200, about=iri)
        same, possible = self.same_person(iri) if "Person" in types else ([], [])
        roles = [r for node in [iri, *same] for r in self.roles(person=node)]
        names = self.names([iri, *same, *possible])
        return {
            "id": actor_id, "name": names.get(iri, actor_id), "type": types[0] if types else "Agent",
            "labels": sorted({r["label"] for r in rows}), "statements": len(said),
            "roles": sorted(roles, key=lambda r: (r["date"] or "", r["article"], r["evidence"]["start"])),
            "members": self.roles(organisation=iri),
            "same_as": [self.ref(n, names.get(n)) for n in same],
            "possibly_same_as": [self.ref(n, names.get(n)) for n in possible],
            "said": said, "said_about": said_about,
        }

    def same_person(self, iri: str) -> tuple[list[str], list[str]]:
        """Nodes that are this person (see the module docstring), and nodes that may be."""
        full = self.surname_links(surname_node=iri)
        if full:  # a bare surname: the one full name that articles also call by it
            return (full, []) if len(full) == 1 else ([], full)
        surnames = self.surname_links(full_node=iri)
        same = [x for x in surnames if self.surname_links(surname_node=x) == [iri]]
        return same, [x for x in surnames if x not in same]

    def surname_links(self, surname_node: str | None = None, full_node: str | None = None) -> list[str]:
        """Pairs (bare-surname node, full-name node with that surname), with one side given;
        returns the other side."""
        params = {k: v for k, v in {"xQ": surname_node, "fullQ": full_node}.items() if v}
        rows = self.store.select("""
            SELECT DISTINCT ?x ?full WHERE { #PARAMS
              ?x a schema:Person ; skos:prefLabel ?surname . FILTER (!CONTAINS(?surname, " "))
              ?full a schema:Person ; skos:prefLabel ?fullName .
              FILTER (?full != ?x && (STRENDS(?fullName, CONCAT(" ", ?surname))
                                      || CONTAINS(?fullName, CONCAT(" ", ?surname, ","))))
              FILTER (!BOUND(?xQ) || STR(?x) = ?xQ) FILTER (!BOUND(?fullQ) || STR(?full) = ?fullQ) }""", **params)
        return sorted({r["full" if surname_node else "x"] for r in rows})

    def roles(self, person: str | None = None, organisation: str | None = None,
              article: str | None = None) -> list[dict]:
        params = {k: v for k, v in {"personQ": person, "orgQ": organisation, "articleQ": article}.items() if v}
        rows = self.store.select("""
            SELECT DISTINCT ?m ?p ?role ?o ?time ?article ?date ?start ?end ?exact WHERE {
              #PARAMS
              ?m a org:Membership ; org:member ?p ; org:role/skos:prefLabel ?role ; kg:time ?time ;
                 prov:wasDerivedFrom ?article ; kg:evidence ?ev .
              ?ev oa:hasSelector ?pos, ?quote . ?pos oa:start ?start ; oa:end ?end . ?quote oa:exact ?exact .
              OPTIONAL { ?m org:organization ?o }
              OPTIONAL { ?article schema:datePublished ?date }
              FILTER (!BOUND(?personQ) || STR(?p) = ?personQ)
              FILTER (!BOUND(?orgQ) || STR(?o) = ?orgQ)
              FILTER (!BOUND(?articleQ) || STR(?article) = ?articleQ)
            } ORDER BY ?date ?article ?start""", **params)
        names = self.names([r["p"] for r in rows] + [r.get("o") for r in rows])
        return [{
            "person": self.ref(r["p"], names.get(r["p"])), "role": r["role"],
            "organisation": self.ref(r.get("o"), names.get(r.get("o"))),
            "time": r["time"].rsplit("#", 1)[-1].lower(), "article": self.iris.article_id(r["article"]),
            "date": r.get("date"),
            "evidence": {"start": int(r["start"]), "end": int(r["end"]), "text": r["exact"]},
        } for r in rows]

    # --- articles -------------------------------------------------------------------------
    def articles(self, limit: int = 50, offset: int = 0) -> list[dict]:
        rows = self.store.select(f"""
            SELECT ?a ?id ?headline ?date ?url (COUNT(DISTINCT ?q) AS ?n) WHERE {{
              ?a a schema:NewsArticle ; schema:identifier ?id .
              OPTIONAL {{ ?a schema:headline ?headline }} OPTIONAL {{ ?a schema:datePublished ?date }}
              OPTIONAL {{ ?a schema:url ?url }} OPTIONAL {{ ?q schema:isBasedOn ?a }}
            }} GROUP BY ?a ?id ?headline ?date ?url ORDER BY DESC(?date) ?id
            LIMIT {int(limit)} OFFSET {int(offset)}""")
        return [{"id": r["id"], "headline": r.get("headline"), "date": r.get("date"), "url": r.get("url"),
                 "statements": int(r["n"])} for r in rows]

    def article(self, article_id: str) -> dict | None:
        iri = str(self.iris.article(article_id))
        rows = self.store.select("""
            SELECT ?text ?headline ?date ?url WHERE { #PARAMS ?a schema:text ?text .
              OPTIONAL { ?a schema:headline ?headline } OPTIONAL { ?a schema:datePublished ?date }
              OPTIONAL { ?a schema:url ?url } FILTER (STR(?a) = ?aQ) } LIMIT 1""", aQ=iri)
        if not rows:
            return None
        row = rows[0]
        _, statements = self.statements(limit=10_000, article=iri)
        return {"id": article_id, "headline": row.get("headline"), "date": row.get("date"), "url": row.get("url"),
                "text": row["text"], "statements": len(statements), "statements_found": statements,
                "roles": self.roles(article=iri)}
