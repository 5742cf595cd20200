"""What the network page shows when an actor is clicked: roles, members, quotes by and about them,
with the spans to highlight in the article. The actor's IRI is bound as an IRI (Oxigraph checks it,
so no input becomes query text), which lets the store use its indexes: 0.2 s for an actor with 800
statements in a store of half a million quads."""
from __future__ import annotations

import re
from collections import Counter

from ..queries import iri
from ..store import Store
from ..vocab import Iris
from .projection import actor_type

TYPES = """SELECT DISTINCT ?type WHERE { VALUES ?a { %s } ?a a ?cls .
  VALUES ?cls { schema:Person schema:Organization schema:Place } BIND (STRAFTER(STR(?cls), "schema.org/") AS ?type) }"""

# ?q is a statement by the actor (?side "said") or about them ("about"); one row per content span.
STATEMENTS = """SELECT DISTINCT ?side ?q ?speaker ?cue ?text ?article ?date ?start ?end WHERE {
  VALUES ?a { %s }
  { ?q schema:creator ?a . BIND ("said" AS ?side) } UNION { ?q schema:about ?a . BIND ("about" AS ?side) }
  ?q kg:cue ?cue ; schema:text ?text ; schema:isBasedOn ?article ; kg:contentEvidence/oa:hasSelector ?pos .
  ?pos oa:start ?start ; oa:end ?end .
  OPTIONAL { ?q schema:creator ?speaker }
  OPTIONAL { ?article schema:datePublished ?date } }"""

# ?m is a role the actor holds (?side "role") or one held in the actor's organisation ("member"),
# matched in its article's graph, so the role is named as that article names it (as in projection.py).
ROLES = """SELECT ?side ?m (MIN(?label) AS ?role) ?time ?other ?article ?date ?start ?end WHERE {
  VALUES ?a { %s }
  GRAPH ?article {
    { ?m org:member ?a . OPTIONAL { ?m org:organization ?other } BIND ("role" AS ?side) }
    UNION { ?m org:organization ?a ; org:member ?other . BIND ("member" AS ?side) }
    ?m org:role/skos:prefLabel ?label ; kg:time ?time ; prov:wasDerivedFrom ?article ; kg:evidence/oa:hasSelector ?pos .
    ?pos oa:start ?start ; oa:end ?end . }
  OPTIONAL { ?article schema:datePublished ?date }
} GROUP BY ?side ?m ?time ?other ?article ?date ?start ?end"""

# Labels are looked up apart: an actor's label is in every article graph naming them, so joining it
# would repeat each row once per article in the union of graphs.
LABELS = "SELECT ?a (MIN(?label) AS ?name) WHERE { VALUES ?a { %s } ?a skos:prefLabel ?label } GROUP BY ?a"

ARTICLE = """SELECT ?text ?headline ?date ?url WHERE { VALUES ?a { %s } ?a schema:text ?text .
  OPTIONAL { ?a schema:headline ?headline } OPTIONAL { ?a schema:datePublished ?date }
  OPTIONAL { ?a schema:url ?url } } LIMIT 1"""


def actor_card(store: Store, iris: Iris, actor_id: str, limit: int = 100) -> dict | None:
    """The actor's roles, members, and up to `limit` statements by and about them, newest first."""
    try:
        node = iri(iris.base + actor_id)
    except ValueError:
        return None
    name = labels(store, {iris.base + actor_id}).get(iris.base + actor_id)
    if name is None:
        return None
    types = {row["type"] for row in store.select(TYPES % node)}
    card = {"id": actor_id, "name": name, "type": actor_type(types),
            "roles": [], "members": [], "said": [], "said_about": [], "statements": 0}
    rows, roles = store.select(STATEMENTS % node), store.select(ROLES % node)
    names = labels(store, {r["speaker"] for r in rows if "speaker" in r} | {r["other"] for r in roles if "other" in r})

    def ref(row: dict, key: str) -> dict | None:
        return {"id": row[key].removeprefix(iris.base), "name": names.get(row[key], "")} if key in row else None

    statements: dict[tuple[str, str], dict] = {}
    for row in rows:
        key = (row["side"], row["q"])
        if key not in statements:
            statements[key] = {
                "id": row["q"].removeprefix(iris.base), "cue": row["cue"], "text": row["text"],
                "article": iris.article_id(row["article"]), "date": row.get("date"), "content_spans": [],
                "speaker": ref(row, "speaker")}
            (card["said"] if row["side"] == "said" else card["said_about"]).append(statements[key])
        statements[key]["content_spans"].append({"start": int(row["start"]), "end": int(row["end"])})
    card["statements"] = len(card["said"])
    for key in ("said", "said_about"):
        for st in card[key]:
            st["content_spans"].sort(key=lambda s: s["start"])
        card[key] = sorted(card[key], key=lambda s: (s["date"] or "", s["id"]), reverse=True)[:limit]
    for side, key in (("role", "roles"), ("member", "members")):
        card[key] = grouped([row for row in roles if row["side"] == side], iris, ref)
    return card


def grouped(rows: list[dict], iris: Iris, ref) -> list[dict]:
    """One entry per role, organisation (or member) and time, however many articles state it: the
    role as most articles spell it, how many articles and over which dates, and the latest
    article's evidence to link to. Earliest first."""
    groups: dict[tuple, list[dict]] = {}
    for row in sorted(rows, key=lambda r: (r.get("date") or "", iris.article_id(r["article"]), int(r["start"]))):
        key = (" ".join(re.findall(r"\w+", row["role"].casefold())), row.get("other"), row["time"])
        groups.setdefault(key, []).append(row)
    entries = []
    for members in groups.values():
        latest, dates = members[-1], [r["date"] for r in members if r.get("date")]
        entries.append({
            "role": Counter(r["role"] for r in members).most_common(1)[0][0],
            "time": latest["time"].rsplit("#", 1)[-1].lower(), "other": ref(latest, "other"),
            "articles": len({r["article"] for r in members}),
            "first": min(dates, default=None), "last": max(dates, default=None),
            "article": iris.article_id(latest["article"]), "date": latest.get("date"),
            "evidence": {"start": int(latest["start"]), "end": int(latest["end"])}})
    return sorted(entries, key=lambda e: (e["first"] or "", e["article"]))


def labels(store: Store, nodes: set[str]) -> dict[str, str]:
    if not nodes:
        return {}
    return {r["a"]: r["name"] for r in store.select(LABELS % " ".join(iri(n) for n in nodes))}


def article_text(store: Store, iris: Iris, article_id: str) -> dict | None:
    try:
        rows = store.select(ARTICLE % iri(str(iris.article(article_id))))
    except ValueError:
        return None
    return {"id": article_id, **rows[0]} if rows else None
