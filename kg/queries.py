"""Who said what about whom, actors and articles, read from the store with SPARQL.
User input reaches the queries only as bound literals, never as query text."""
from __future__ import annotations

from dataclasses import dataclass

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

    # --- statements -----------------------------------------------------------------------
    def statements(self, limit: int = 50, offset: int = 0, **filters: str | None) -> tuple[int, list[dict]]:
        params = {f"{k}Q": v for k, v in filters.items() if v not in (None, "")}
        total = int(self.store.select(
            f"SELECT (COUNT(DISTINCT ?q) AS ?n) WHERE {{ {STATEMENT_FILTERS} }}", **params)[0]["n"])
        rows = self.store.select(
            f"""SELECT DISTINCT ?q ?speaker ?speakerName ?cue ?kind ?text ?article ?date
                WHERE {{ {STATEMENT_FILTERS} }} ORDER BY ?date ?article ?q
                LIMIT {int(limit)} OFFSET {int(offset)}""", **params)
        return total, [self.statement(row) for row in rows]

    def statement(self, row: dict) -> dict:
        q = row["q"]
        about = self.store.select(
            "SELECT DISTINCT ?t ?name WHERE { #PARAMS ?q schema:about ?t . ?t skos:prefLabel ?name . FILTER (STR(?q) = ?qQ) }",
            qQ=q)
        reporter = self.store.select(
            "SELECT DISTINCT ?r ?name WHERE { #PARAMS ?q kg:reporter ?r . OPTIONAL { ?r skos:prefLabel ?name } "
            "FILTER (STR(?q) = ?qQ) }", qQ=q)
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
            SELECT ?a ?name ?type (COUNT(DISTINCT ?q) AS ?n) WHERE {{
              #PARAMS
              ?a skos:prefLabel ?name ; a ?cls .
              VALUES ?cls {{ schema:Person schema:Organization schema:Place }}
              BIND (STRAFTER(STR(?cls), "schema.org/") AS ?type)
              OPTIONAL {{ ?q schema:creator ?a }}
              FILTER (!BOUND(?nameQ) || CONTAINS(LCASE(?name), LCASE(?nameQ)))
              FILTER (!BOUND(?typeQ) || LCASE(?type) = LCASE(?typeQ))
            }} GROUP BY ?a ?name ?type ORDER BY DESC(?n) ?name LIMIT {int(limit)} OFFSET {int(offset)}""", **params)
        return [{"id": self.actor_id(r["a"]), "name": r["name"], "type": r["type"], "statements": int(r["n"])}
                for r in rows]

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
        pref = self.store.select("SELECT ?n WHERE { #PARAMS ?a skos:prefLabel ?n FILTER (STR(?a) = ?aQ) } LIMIT 1", aQ=iri)
        types = [r["type"] for r in rows if r["type"] in ("Person", "Organization", "Place")]
        _, said = self.statements(limit=200, speaker=iri)
        _, said_about = self.statements(limit=200, about=iri)
        return {
            "id": actor_id, "name": pref[0]["n"], "type": types[0] if types else "Agent",
            "labels": sorted({r["label"] for r in rows}), "statements": len(said),
            "roles": self.roles(person=iri), "members": self.roles(organisation=iri),
            "said": said, "said_about": said_about,
        }

    def roles(self, person: str | None = None, organisation: str | None = None,
              article: str | None = None) -> list[dict]:
        params = {k: v for k, v in {"personQ": person, "orgQ": organisation, "articleQ": article}.items() if v}
        rows = self.store.select("""
            SELECT DISTINCT ?m ?p ?pname ?role ?o ?oname ?time ?article ?date ?start ?end ?exact WHERE {
              #PARAMS
              ?m a org:Membership ; org:member ?p ; org:role/skos:prefLabel ?role ; kg:time ?time ;
                 prov:wasDerivedFrom ?article ; kg:evidence ?ev .
              ?p skos:prefLabel ?pname .
              ?ev oa:hasSelector ?pos, ?quote . ?pos oa:start ?start ; oa:end ?end . ?quote oa:exact ?exact .
              OPTIONAL { ?m org:organization ?o . ?o skos:prefLabel ?oname }
              OPTIONAL { ?article schema:datePublished ?date }
              FILTER (!BOUND(?personQ) || STR(?p) = ?personQ)
              FILTER (!BOUND(?orgQ) || STR(?o) = ?orgQ)
              FILTER (!BOUND(?articleQ) || STR(?article) = ?articleQ)
            } ORDER BY ?date ?article ?start""", **params)
        return [{
            "person": self.ref(r["p"], r["pname"]), "role": r["role"],
            "organisation": self.ref(r.get("o"), r.get("oname")),
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
