"""Synthetic news for benchmarks: made-up people, organisations and places saying things about each other.

Each article is real text with the offsets of every statement, role and mention in it, built into
the same named graph the extractor's output would give (kg.graph.article_ntriples), so the store
looks like one filled by `kg ingest`, at any size.
"""
from __future__ import annotations

import random

from kg.graph import article_ntriples
from kg.model import Article, Entity, Extraction, Role, Span, Statement
from kg.store import Store
from kg.vocab import Iris

FIRST = ["Ada", "Bram", "Cleo", "Dario", "Edda", "Farid", "Greta", "Hugo", "Ines", "Jonas", "Kaia", "Lior",
         "Mira", "Nils", "Oona", "Pavel", "Quinn", "Rosa", "Sami", "Tove", "Umar", "Vera", "Wim", "Xenia",
         "Yara", "Zeno", "Alba", "Boris", "Carmen", "Dov", "Elif", "Femi", "Gaia", "Hamid", "Ilse", "Joao",
         "Kenji", "Lena", "Malik", "Nadia", "Otto", "Priya"]
LAST = ["Albrecht", "Brandvold", "Castellan", "Dunmore", "Eskildsen", "Ferrandi", "Gallo", "Halvorsen",
        "Ibarra", "Jansky", "Kovalenko", "Lindqvist", "Moreau", "Nakashima", "Okafor", "Petrescu",
        "Quintero", "Rasmussen", "Solberg", "Tamsin", "Uhlig", "Varga"]
ORGS = [f"{a} {b}" for a in ("Northern", "Civic", "United", "Harbour", "Federal", "Green", "Liberal", "Coastal")
        for b in ("Alliance", "Party", "Union", "Council", "Bank", "Institute", "Ministry", "Agency", "Forum", "League")]
PLACES = ["Valdoria", "Ostmark", "Port Avery", "Kestrel Bay", "Lunaria", "Brevik", "Sundholm", "Carrow",
          "Tessaly", "Marwick", "Elbrand", "Norvale", "Ardent Isles", "Quillon", "Stavros", "Yarrowfield"]
ROLES = ["minister", "spokesperson", "chair", "president", "treasurer", "director", "mayor", "secretary",
         "chief economist", "general counsel"]
CUES = ["said", "warned", "argued", "insisted", "claimed", "added", "stressed", "told reporters"]
CLAIMS = ["the plan for {t} would cost more than promised", "{t} had not kept its word on the budget",
          "talks with {t} were going well", "{t} should publish the report before the vote",
          "nobody had asked {t} about the new rules", "the deal with {t} was the best on offer",
          "{t} was wrong about the harbour figures", "the reforms backed by {t} would help families"]


def actors(rng: random.Random, people: int) -> list[tuple[str, str]]:
    names = {f"{rng.choice(FIRST)} {rng.choice(LAST)}" for _ in range(people * 3)}
    return ([(n, "PERSON") for n in sorted(names)[:people]] + [(o, "ORG") for o in ORGS]
            + [(p, "GPE") for p in PLACES])


class Writer:
    """Text with the offsets of what is written into it."""

    def __init__(self):
        self.text = ""

    def put(self, s: str) -> Span:
        start = len(self.text)
        self.text += s
        return Span(start, len(self.text), s)


def article(n: int, rng: random.Random, cast: list[tuple[str, str]]) -> Extraction:
    people = [a for a in cast if a[1] == "PERSON"]
    w = Writer()
    w.put(f"Synthetic report {n}\n\n")
    mentions: dict[tuple[str, str], list[Span]] = {}
    statements, roles = [], []
    for _ in range(rng.randint(9, 14)):
        speaker, target = rng.choice(people), rng.choice(cast)
        org = rng.choice(cast[-len(ORGS) - len(PLACES):])
        role = rng.choice(ROLES)
        w.put(f"{org[0]} {role} ")
        mention = w.put(speaker[0])
        mentions.setdefault(speaker, []).append(mention)
        if rng.random() < 0.35:
            roles.append(Role(speaker[0], role, org[0], org[1], "current",
                              Span(mention.start - len(org[0]) - len(role) - 2, mention.end,
                                   w.text[mention.start - len(org[0]) - len(role) - 2:mention.end])))
            mentions.setdefault(org, []).append(Span(mention.start - len(org[0]) - len(role) - 2,
                                                     mention.start - len(role) - 2, org[0]))
        w.put(" ")
        cue = w.put(rng.choice(CUES))
        w.put(" that ")
        content = w.put(rng.choice(CLAIMS).format(t=target[0]))
        w.put(".\n\n")
        statements.append(Statement(speaker[0], "PERSON", mention, cue, [content], "indirect", about=[target[0]]))
        mentions.setdefault(target, [])
    entities = [Entity(name, kind, spans) for (name, kind), spans in mentions.items()]
    day = 1 + n % 28
    meta = Article(id=f"synthetic-{n:05d}", text=w.text, file=f"synthetic-{n:05d}.txt",
                   title=f"Synthetic report {n}", date=f"2024-{1 + n % 12:02d}-{day:02d}")
    return Extraction(meta, entities, statements, roles)


def fill(store: Store, iris: Iris, target_quads: int, seed: int = 7, people: int = 400) -> int:
    """Add synthetic articles until the store holds about target_quads quads; returns the article count."""
    rng = random.Random(seed)
    cast = actors(rng, people)
    n = 0
    while len(store) < target_quads:
        for _ in range(50):
            x = article(n, rng, cast)
            store.replace_ntriples(str(iris.article(x.article.id)), article_ntriples(x, iris))
            n += 1
    store.flush()
    return n
