"""Who said what about whom, actors and articles, read from the store with SPARQL.

User input reaches the queries only as bound literals (Store.select's #PARAMS) or as IRIs that
pyoxigraph has validated and written; never as query text. A page of statements costs four
queries whatever its size: the ids that match, the page's rows, the details of all of them, and
the names of the actors they mention.

Patterns sit inside GRAPH ?g: an article's graph holds its statements, roles and the names of the
actors it mentions, so each fact is matched once. Oxigraph 0.5's union default graph repeats a
triple once per graph that holds it (oxigraph#1919), so an actor's name, found in every article
about it, would multiply the rows by the number of those articles.

Names: every article graph labels its actors with the names it writes (skos:prefLabel its fullest
form, skos:altLabel the others), so a person named differently in two articles has two
prefLabels. The API shows the one most articles give (then the longest, then the first
alphabetically): a deterministic choice
that does not depend on the order of ingestion and changes back when an article is deleted.
A bare surname from an article that never gives the first name is its own node ("person/biden");
at query time it is the same person as the one full-named person with that surname in the store,
and only a possible match when there are several (Bill and Hillary Clinton).
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field

import pyoxigraph as ox

from .network.projection import actor_type
from .search import fold, spans_with_matches
from .store import PREFIX_DECLARATIONS, Store
from .vocab import Iris

STATEMENT = "?q a schema:Quotation ; schema:text ?text ; kg:cue ?cue ; kg:quoteKind ?kind ."
FILTERS = {"textQ": "?q schema:text ?text . FILTER (CONTAINS(LCASE(?text), LCASE(?textQ)))",
           "kindQ": '?q kg:quoteKind ?kind . FILTER (LCASE(STRAFTER(STR(?kind), "#")) = LCASE(?kindQ))',
           "date_fromQ": "FILTER (STR(?date) >= ?date_fromQ)",
           "date_toQ": "FILTER (SUBSTR(STR(?date), 1, 10) <= ?date_toQ)"}
# Everything a statement shows besides its row: what it is about, who relayed it, and its spans.
DETAILS = """
SELECT DISTINCT ?q ?part ?t ?start ?end ?exact WHERE { GRAPH ?g {
  VALUES ?q { %s }
  { ?q schema:about ?t . BIND ("about" AS ?part) }
  UNION { ?q kg:reporter ?t . BIND ("reporter" AS ?part) }
  UNION { VALUES ?prop { kg:speakerEvidence kg:cueEvidence kg:contentEvidence }
          ?q ?prop ?ev . ?ev oa:hasSelector ?pos, ?quote .
          ?pos oa:start ?start ; oa:end ?end . ?quote oa:exact ?exact .
          BIND (STRAFTER(STR(?prop), "#") AS ?part) }
} } ORDER BY ?start
"""
COUNTERPARTS = """
SELECT ?other (COUNT(DISTINCT ?by) AS ?aboutThem) (COUNT(DISTINCT ?to) AS ?byThem) WHERE { GRAPH ?g {
  { ?by schema:creator %(a)s ; schema:about ?other } UNION { ?to schema:creator ?other ; schema:about %(a)s }
  FILTER (?other != %(a)s)
} } GROUP BY ?other ORDER BY DESC(COUNT(DISTINCT ?by) + COUNT(DISTINCT ?to)) ?other LIMIT %(limit)d
"""
# Bare-surname person nodes and full-named person nodes whose name ends with that surname. Labels
# are matched first and the types checked after: joining every label to its type is ten times slower.
# With the full-named node given, this still reads every label in the store (no index serves the
# FILTER): SURNAMED looks the bare-surname nodes up by the surnames the full names give instead.
SURNAME_LINKS = """
SELECT DISTINCT ?x ?full WHERE {
  { SELECT DISTINCT ?x ?surname WHERE { GRAPH ?g { %s ?x skos:prefLabel ?surname } FILTER (!CONTAINS(?surname, " ")) } }
  { SELECT DISTINCT ?full ?fullName WHERE { GRAPH ?h { %s ?full skos:prefLabel ?fullName } } }
  FILTER (?full != ?x && (STRENDS(?fullName, CONCAT(" ", ?surname)) || CONTAINS(?fullName, CONCAT(" ", ?surname, ","))))
  FILTER EXISTS { GRAPH ?t { ?x a schema:Person } } FILTER EXISTS { GRAPH ?u { ?full a schema:Person } }
}
"""
SURNAMED = """
SELECT DISTINCT ?x WHERE {
  %s GRAPH ?g { ?x skos:prefLabel ?surname } FILTER (?x != ?full)
  FILTER EXISTS { GRAPH ?t { ?x a schema:Person } } FILTER EXISTS { GRAPH ?u { ?full a schema:Person } }
}
"""


def iri(value: str) -> str:
    """An IRI written for a query; raises ValueError for one that is not valid."""
    return str(ox.NamedNode(value))


def surnames(name: str) -> set[str]:
    """What SURNAME_LINKS takes for a surname of this full name: a word (no space) it ends with
    after a space, or has between a space and a comma ("Joseph R. Brandt, Jr.": Jr., Brandt)."""
    words = name.split(" ")[1:]
    return {*words[-1:], *(word[:i] for word in words for i, c in enumerate(word) if c == ",")}


def pins(values: dict[str, list[str] | None]) -> str:
    """VALUES clauses binding variables to IRIs. Inside GRAPH they let Oxigraph look statements up
    instead of scanning them all."""
    return " ".join(f"VALUES ?{var} {{ {' '.join(iri(v) for v in items)} }}" for var, items in values.items() if items)

NAMES_KEPT = 100_000  # display names kept for one store version, at most

@dataclass
class Queries:
    store: Store
    iris: Iris
    _labels: tuple[int, list[tuple[str, str]]] | None = field(default=None, repr=False)
    _names: tuple[int | None, dict[str, str]] = field(default=(None, {}), repr=False)  # display names, per version

    def actor_id(self, iri: str) -> str:
        return iri.removeprefix(self.iris.base)

    def ref(self, iri: str | None, name: str | None) -> dict | None:
        return None if iri is None else {"id": self.actor_id(iri), "name": name or iri}

    def names(self, iris) -> dict[str, str]:
        """The preferred name of each node: the prefLabel most articles give it (so one article's typo,
        "HIllary Clinton", is not the name), then the longest, then the first alphabetically."""
        iris = list(iris)
        version = self.store.version  # before the read: a write meanwhile makes what is read stale
        if self._names[0] != version or version is None or len(self._names[1]) > NAMES_KEPT:
            self._names = (version, {})
        kept = self._names[1]
        labels: dict[str, list[tuple[int, str]]] = {}
        nodes = sorted({i for i in iris if i and i not in kept})
        if nodes:
            for row in self.store.select(
                    f"SELECT ?x ?l (COUNT(DISTINCT ?g) AS ?n) WHERE {{ GRAPH ?g {{ {pins({'x': nodes})} "
                    "?x skos:prefLabel ?l } } GROUP BY ?x ?l"):
                labels.setdefault(row["x"], []).append((int(row["n"]), row["l"]))
        kept.update({x: min(ls, key=lambda nl: (-nl[0], -len(nl[1]), nl[1]))[1] for x, ls in labels.items()})
        return {x: kept[x] for x in iris if x in kept}

    # --- statements -----------------------------------------------------------------------
    def statements(self, limit: int = 50, offset: int = 0, *, speaker: str | None = None,
                   about: str | None = None, speaker_iri: str | None = None, about_iri: str | None = None,
                   article_iri: str | None = None, text: str | None = None, kind: str | None = None,
                   date_from: str | None = None, date_to: str | None = None) -> tuple[int, list[dict]]:
        """A page of statements and the total. speaker and about are names (their words' beginnings),
        text words or "phrases", kind and dates filters; the *_iri arguments pin one actor or article.
        From the search index where the store keeps one: ranked by the words' relevance with `text`,
        and each content span lists the words it matched; else by SPARQL. Newest first otherwise."""
        speakers = [speaker_iri] if speaker_iri else self.named(speaker) if speaker else None
        targets = [about_iri] if about_iri else self.named(about) if about else None
        if speakers == [] or targets == []:
            return 0, []
        index = self.store.search
        filters = dict(text=text or None, kind=kind, date_from=date_from, date_to=date_to)
        if index is not None:
            total, page = index.statements(speakers=speakers, targets=targets, article=article_iri, limit=limit,
                                           offset=offset, **filters)
        else:
            total, page = self.scan_statements(speakers, targets, article_iri, limit, offset, **filters)
        if not page:
            return total, []
        rows = self.store.select(f"""
            SELECT DISTINCT ?q ?speaker ?cue ?kind ?text ?article ?date WHERE {{
              GRAPH ?article {{ {pins({"q": page})} {STATEMENT}
                OPTIONAL {{ ?q schema:creator ?speaker }}
                OPTIONAL {{ ?q schema:dateCreated ?date }} }} }}""")
        order = {q: i for i, q in enumerate(page)}
        items = self.with_details(sorted(rows, key=lambda r: order[r["q"]]))
        if text and index is not None:
            matched = index.highlights(text, page)
            for item in items:
                item["content_spans"] = spans_with_matches(item["content_spans"],
                                                           matched.get(self.iris.base + item["id"], []))
        return total, items

    def scan_statements(self, speakers: list[str] | None, targets: list[str] | None, article: str | None,
                        limit: int, offset: int, **filters: str | None) -> tuple[int, list[str]]:
        """The total and a page of statement IRIs, newest first, by SPARQL over every statement."""
        params = {f"{k}Q": v for k, v in filters.items() if v not in (None, "")}
        body = f"""GRAPH ?article {{ #PARAMS {pins({"speaker": speakers, "target": targets,
                                                     "article": article and [article]})}
            ?q a schema:Quotation . {"?q schema:creator ?speaker ." if speakers else ""}
            {"?q schema:about ?target ." if targets else ""} OPTIONAL {{ ?q schema:dateCreated ?date }}
            {" ".join(FILTERS[k] for k in params)} }}"""
        # Sorted here, not by ORDER BY: Oxigraph compares IRIs by reading their text from disk.
        found = sorted({(r.get("date", ""), r["article"], r["q"]) for r in self.store.select(
            f"SELECT ?q ?date ?article WHERE {{ {body} }}", **params)}, key=lambda t: (t[1], t[2]))
        found.sort(key=lambda t: t[0], reverse=True)
        return len(found), [q for _, _, q in found[offset:offset + limit]]

    def named(self, part: str) -> list[str]:
        """The actors with a name that has words starting with those of `part`, any case and accents."""
        if self.store.search is not None:
            return self.store.search.named(part)
        words = fold(part).split()
        return sorted({a for a, name in self.labels() if all(any(w.startswith(x) for w in re.split(r"\W+", name))
                                                             for x in words)})

    def labels(self) -> list[tuple[str, str]]:
        """Every (node, prefLabel folded: lower case, no accents), kept until the store's version changes; read afresh
        each time from a store without a version."""
        version, kept = self.store.version, self._labels  # the version first: a write meanwhile makes it stale
        if version is not None and kept is not None and kept[0] == version:
            return kept[1]
        labels = [(r["a"], fold(r["name"])) for r in self.store.select(
            "SELECT DISTINCT ?a ?name WHERE { GRAPH ?g { ?a skos:prefLabel ?name } }")]
        if version is not None:
            self._labels = (version, labels)
        return labels

    def with_details(self, rows: list[dict]) -> list[dict]:
        if not rows:
            return []
        details: dict[str, dict[str, list]] = {row["q"]: {} for row in rows}
        found = self.store.select(DETAILS % " ".join(iri(q) for q in details))
        names = self.names([r.get("speaker") for r in rows] + [d.get("t") for d in found])
        for d in found:
            part = d["part"]
            if part in ("about", "reporter"):
                item = self.ref(d["t"], names.get(d["t"]))
            else:
                item = {"start": int(d["start"]), "end": int(d["end"]), "text": d["exact"]}
            details[d["q"]].setdefault(part, []).append(item)
        for parts in details.values():
            for refs in (parts.get("about", []), parts.get("reporter", [])):
                refs.sort(key=lambda ref: ref["name"])
        return [self.statement(row, details[row["q"]], names) for row in rows]

    def statement(self, row: dict, parts: dict[str, list[dict]], names: dict[str, str]) -> dict:
        return {
            "id": self.actor_id(row["q"]),
            "speaker": self.ref(row.get("speaker"), names.get(row.get("speaker"))),
            "cue": row["cue"], "kind": row["kind"].rsplit("#", 1)[-1].lower(), "text": row["text"],
            "about": parts.get("about", []),
            "reporter": (parts.get("reporter") or [None])[0],
            "article": self.iris.article_id(row["article"]), "date": row.get("date"),
            "speaker_span": (parts.get("speakerEvidence") or [None])[0],
            "cue_span": (parts.get("cueEvidence") or [None])[0],
            "content_spans": parts.get("contentEvidence", []),
        }

    def statements_rdf(self, statement_iris: list[str]) -> list:
        """The statements' own triples, their actors' names and their evidence, as RDF triples."""
        if not statement_iris:
            return []
        return list(self.store.query(f"""{PREFIX_DECLARATIONS}
            CONSTRUCT {{ ?q ?p ?o . ?actor skos:prefLabel ?name . ?ev ?ep ?eo . ?sel ?sp ?so }} WHERE {{
              VALUES ?q {{ {" ".join(iri(q) for q in statement_iris)} }}
              {{ ?q ?p ?o }}
              UNION {{ ?q schema:creator|schema:about|kg:reporter ?actor . ?actor skos:prefLabel ?name }}
              UNION {{ ?q kg:speakerEvidence|kg:cueEvidence|kg:contentEvidence ?ev . ?ev ?ep ?eo .
                      OPTIONAL {{ ?ev oa:hasSelector ?sel . ?sel ?sp ?so }} }}
            }}"""))

    # --- actors ---------------------------------------------------------------------------
    def actors(self, name: str | None = None, type: str | None = None, limit: int = 50,
               offset: int = 0) -> list[dict]:
        """Actors by name (from the search index where there is one: words' beginnings, accents and
        case aside, then near spellings), the most quoted first; all of them without a name."""
        if name and self.store.search is not None:
            found = self.store.search.actors(name, type, limit, offset)
            names = self.names(a for a, _, _ in found)
            return [{"id": self.actor_id(a), "name": names.get(a, a), "type": kind, "statements": n}
                    for a, kind, n in found]
        params = {k: v for k, v in {"nameQ": name, "typeQ": type}.items() if v}
        rows = self.store.select(f"""
            SELECT ?a ?type ?first (COALESCE(?said, 0) AS ?n) WHERE {{
              {{ SELECT ?a ?type (MIN(?name) AS ?first) WHERE {{
                #PARAMS
                GRAPH ?g {{ ?a skos:prefLabel ?name ; a ?cls . }}
                VALUES ?cls {{ schema:Person schema:Organization schema:Place }}
                BIND (STRAFTER(STR(?cls), "schema.org/") AS ?type)
                FILTER (!BOUND(?nameQ) || CONTAINS(LCASE(?name), LCASE(?nameQ)))
                FILTER (!BOUND(?typeQ) || LCASE(?type) = LCASE(?typeQ))
              }} GROUP BY ?a ?type }}
              OPTIONAL {{ SELECT ?a (COUNT(?q) AS ?said) WHERE {{ GRAPH ?g {{ ?q schema:creator ?a }} }} GROUP BY ?a }}
            }} ORDER BY DESC(?n) ?first ?a LIMIT {int(limit)} OFFSET {int(offset)}""", **params)
        names = self.names(r["a"] for r in rows)
        return [{"id": self.actor_id(r["a"]), "name": names.get(r["a"], r["first"]), "type": r["type"],
                 "statements": int(r["n"])} for r in rows]

    def actor(self, actor_id: str, limit: int = 200) -> dict | None:
        """One actor: names, roles (with those of the nodes that are the same person), members,
        statements by and about, top counterparts."""
        try:
            a = iri(self.iris.base + actor_id)
        except ValueError:
            return None
        rows = self.store.select(f"""
            SELECT DISTINCT ?label ?pref ?cls WHERE {{ GRAPH ?g {{
              {a} skos:prefLabel ?pref ; a ?cls . OPTIONAL {{ {a} skos:altLabel ?label }} }} }}""")
        if not rows:
            return None
        classes = {r["cls"].rsplit("/", 1)[-1] for r in rows}
        full = self.iris.base + actor_id
        total, said = self.statements(limit=limit, speaker_iri=full)
        _, said_about = self.statements(limit=limit, about_iri=full)
        same, possible = self.same_person(full) if "Person" in classes else ([], [])
        roles = [r for node in [full, *same] for r in self.roles(person=node)]
        names = self.names([full, *same, *possible])
        return {
            "id": actor_id, "name": names[full],
            "type": actor_type(classes),
            "labels": sorted({r["pref"] for r in rows} | {r["label"] for r in rows if "label" in r}),
            "statements": total,
            "roles": sorted(roles, key=lambda r: (r["date"] or "", r["article"], r["evidence"]["start"])),
            "members": self.roles(organisation=full),
            "same_as": [self.ref(n, names.get(n)) for n in same],
            "possibly_same_as": [self.ref(n, names.get(n)) for n in possible],
            "said": said, "said_about": said_about, "counterparts": self.counterparts(a),
        }

    def same_person(self, person: str) -> tuple[list[str], list[str]]:
        """Nodes that are this person (see the module docstring), and nodes that may be."""
        full = self.surname_links([person]).get(person)
        if full:  # a bare surname: the one full name that articles also call by it
            return (full, []) if len(full) == 1 else ([], full)
        bare = self.surnamed(person)
        links = self.surname_links(bare)
        same = [x for x in bare if links.get(x) == [person]]
        return same, [x for x in bare if x not in same]

    def surname_links(self, bare: list[str]) -> dict[str, list[str]]:
        """The full-named nodes with the surname of each bare-surname node, in one query."""
        links: dict[str, list[str]] = {}
        if bare:
            for row in self.store.select(SURNAME_LINKS % (pins({"x": bare}), "")):
                links.setdefault(row["x"], []).append(row["full"])
        return {x: sorted(fulls) for x, fulls in links.items()}

    def surnamed(self, full_node: str) -> list[str]:
        """The bare-surname nodes of this full-named node, found by its names' surnames."""
        found = self.store.select(f"SELECT DISTINCT ?l WHERE {{ GRAPH ?g {{ {iri(full_node)} skos:prefLabel ?l }} }}")
        words = sorted({word for row in found for word in surnames(row["l"])})
        if not words:
            return []
        values = f"VALUES ?surname {{ {' '.join(str(ox.Literal(w)) for w in words)} }}"
        rows = self.store.select(SURNAMED % f"{values} {pins({'full': [full_node]})}")
        return sorted(r["x"] for r in rows)

    def counterparts(self, actor: str, limit: int = 10) -> list[dict]:
        """Who this actor talks about most and who talks about it most, both counted."""
        rows = self.store.select(COUNTERPARTS % {"a": actor, "limit": limit})
        names = self.names(r["other"] for r in rows)
        return [{"actor": self.ref(r["other"], names.get(r["other"])), "about_them": int(r["aboutThem"]),
                 "by_them": int(r["byThem"])} for r in rows]

    def roles(self, person: str | None = None, organisation: str | None = None,
              article: str | None = None) -> list[dict]:
        org = "?m org:organization ?o ." if organisation else "OPTIONAL { ?m org:organization ?o }"
        rows = self.store.select(f"""
            SELECT DISTINCT ?m ?p ?role ?o ?time ?article ?date ?start ?end ?exact WHERE {{
              GRAPH ?article {{ {pins({"p": person and [person], "o": organisation and [organisation],
                                       "article": article and [article]})}
              ?m a org:Membership ; org:member ?p ; org:role/skos:prefLabel ?role ; kg:time ?time ;
                 prov:wasDerivedFrom ?article ; kg:evidence ?ev .
              ?ev oa:hasSelector ?pos, ?quote . ?pos oa:start ?start ; oa:end ?end . ?quote oa:exact ?exact .
              {org}
              OPTIONAL {{ ?article schema:datePublished ?date }} }}
            }} ORDER BY ?date ?article ?start""")
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
        try:
            full = str(self.iris.article(article_id))
            a = iri(full)
        except ValueError:  # an id that makes no IRI (empty, a lone surrogate) names no article
            return None
        rows = self.store.select(f"""
            SELECT ?text ?headline ?date ?url WHERE {{ {a} schema:text ?text .
              OPTIONAL {{ {a} schema:headline ?headline }} OPTIONAL {{ {a} schema:datePublished ?date }}
              OPTIONAL {{ {a} schema:url ?url }} }} LIMIT 1""")
        if not rows:
            return None
        row = rows[0]
        total, statements = self.statements(limit=10_000, article_iri=full)
        return {"id": article_id, "headline": row.get("headline"), "date": row.get("date"), "url": row.get("url"),
                "text": row["text"], "statements": total, "statements_found": statements,
                "roles": self.roles(article=full)}
