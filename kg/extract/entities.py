"""kg_entities: named entities with canonical names, resolved within the article.

People: "Biden", "President Biden", "Joe Biden" and "Joseph R. Biden, Jr." are one PERSON named by
the fullest form the article writes. Two names are the same person when their surnames agree and
their first names agree after nicknames ("Joe" = "Joseph") or one is an initial; "Bill Clinton" and
"Hillary Clinton" stay apart. A bare surname goes to the full name the article gives with that
surname; when it gives several, the title decides ("President Clinton" is whichever of them holds
that role in the background table kg/data/known.tsv), then the most frequent. A surname the article
never completes stays as written, unless its title names one known holder ("President Nixon").
Groups: "the US", "U.S." and "America" become one GPE "United States" (kg/data/aliases.tsv).
A surname that spaCy labelled ORG ("Biden's") is a PERSON when the article names that person.
"""
from __future__ import annotations

import re
from collections import Counter
from difflib import SequenceMatcher

from spacy.language import Language
from spacy.tokens import Doc, Span as SpacySpan, Token

from ..model import Entity, Span
from ..names import HONORIFICS, SUFFIXES, person_key, same_person  # noqa: F401  (re-exported for kg_roles)
from .lexicon import lexicon
from .text import text_of

TYPES = ("PERSON", "ORG", "GPE", "NORP")
ACRONYM = re.compile(r"((?:[A-Z][\w'’.&-]*[ \u00a0]+(?:(?:of|for|to|and|the|on|in)[ \u00a0]+)*)+)\(([A-Z]{2,8})\)")
POSSESSIVE = ("'s", "’s", "'", "’")
Doc.set_extension("kg_entities", default=None, force=True)
Doc.set_extension("kg_entity_at", default=None, force=True)  # token index -> Entity


def is_title_word(word: str) -> bool:
    lex = lexicon()
    word = word.lower()
    return (word in lex.role_heads or word in lex.role_modifiers or word in lex.role_means
            or word.rstrip(".") in HONORIFICS or word in lex.time_words)


def name_tokens(span: SpacySpan) -> list[Token]:
    """The tokens of a PERSON mention that are the name: no leading titles, no possessive."""
    tokens = [t for t in span if t.text not in POSSESSIVE and not t.is_space]
    while len(tokens) > 1 and (is_title_word(tokens[0].text) or not tokens[0].text[0].isalpha()):
        tokens.pop(0)
    return tokens


def person_name(span: SpacySpan) -> str:
    """The name as written, with a following ", Jr." kept: "Joseph R. Biden, Jr."."""
    text = " ".join(t.text for t in name_tokens(span) if t.is_alpha or t.text[:1].isalpha()).replace(" .", ".")
    doc = span.doc
    if span.end + 1 < len(doc) and doc[span.end].text == "," and doc[span.end + 1].text.lower().rstrip(".") in SUFFIXES:
        text += ", " + doc[span.end + 1].text
    return text


def title_before(span: SpacySpan) -> str | None:
    """The role a title right before (or inside) a mention names: "Vice President Biden" -> vice president."""
    lex = lexicon()
    doc = span.doc
    tokens = list(span[: len(span) - len(name_tokens(span))])
    i = span.start - 1
    while i >= 0 and (is_title_word(doc[i].text) or doc[i].is_space):
        tokens.insert(0, doc[i])
        i -= 1
    words = [lex.role_means.get(t.text.lower(), t.text.lower()) for t in tokens
             if t.text.lower() in lex.role_heads or t.text.lower() in lex.role_modifiers or t.text.lower() in lex.role_means]
    return " ".join(words) if words and words[-1] in lex.role_heads else None


def holds(role: str, title: str) -> bool:
    """A known role that a title names: "President" names president, not vice president."""
    return role_head(role) == role_head(title) and ("vice" in role.split()) == ("vice" in title.split())


def role_head(role: str) -> str:
    """The head word of a role: "secretary of state" -> secretary."""
    return role.split(" of ")[0].split()[-1]


def acronyms(text: str) -> dict[str, str]:
    """Acronyms the article spells out: "Alliance to Reclaim Our Schools (AROS)"."""
    found = {}
    for m in ACRONYM.finditer(text):
        words = m.group(1).split()
        letters = m.group(2)
        capitals = [i for i, w in enumerate(words) if w[0].isupper()]
        if len(capitals) >= len(letters):
            first = capitals[-len(letters)]
            if "".join(words[i][0] for i in capitals[-len(letters):]) == letters:
                found[letters] = " ".join(words[first:])
    return found


def group_name(span: SpacySpan, expansions: dict[str, str] = {}) -> str:
    text = expansions.get(span.text, span.text)
    for suffix in ("'s", "’s"):
        text = text.removesuffix(suffix)
    if text.lower().startswith("the "):
        text = text[4:]
    return lexicon().aliases.get(text.lower(), text)


def trim_headline_words(names: dict[int, str], spans: list[SpacySpan]) -> None:
    """"Hillary Clinton Goes After ..." in a title-case headline: a last word that no other mention
    uses as a surname, after a surname other mentions use alone, is not part of the name."""
    alone = {names[id(e)] for e in spans if " " not in names[id(e)]}
    last_words = Counter(names[id(e)].split()[-1] for e in spans)
    for e in spans:
        words = names[id(e)].split()
        if len(words) > 2 and words[-2] in alone and last_words[words[-1]] == 1 and words[-1] not in alone:
            names[id(e)] = " ".join(words[:-1])


class PersonResolver:
    """Canonical names of the people an article names (see the module docstring)."""

    def __init__(self, full_names: Counter):
        groups: list[list[str]] = []
        for name, _ in sorted(full_names.items(), key=lambda kv: (-len(kv[0]), kv[0])):
            group = next((g for g in groups if same_person(g[0], name)), None)
            if group is None:
                groups.append([name])
            else:
                group.append(name)
        self.canonical = {name: g[0] for g in groups for name in g}
        self.weight = Counter()
        for name, n in full_names.items():
            self.weight[self.canonical[name]] += n

    def misspelt(self, name: str) -> list[str]:
        """The one full name whose surname differs from a long bare surname by one letter
        ("Scheiderman" for "Schneiderman")."""
        if " " in name or len(name) < 7:
            return []
        close = {c for c in self.canonical.values()
                 if SequenceMatcher(None, person_key(c)[0], name.lower()).ratio() >= 0.9}
        return list(close) if len(close) == 1 else []

    def resolve(self, name: str, title: str | None) -> str:
        if name in self.canonical:
            return self.canonical[name]
        matches = sorted({c for c in self.canonical.values() if same_person(c, name)},
                         key=lambda c: (-self.weight[c], c)) or self.misspelt(name)
        if title:
            holders = sorted({f.person for f in lexicon().known if holds(f.role, title) and same_person(f.person, name)})
            held = [m for m in matches if any(person_key(m) == person_key(h) for h in holders)]
            if held:
                return held[0]
            if holders:  # the article's own full names do not hold this title
                return holders[0] if len(holders) == 1 else name
        return matches[0] if matches else name


@Language.component("kg_entities")
def resolve_entities(doc: Doc) -> Doc:
    spans = [e for e in doc.ents if e.label_ in TYPES and e.text.lower().rstrip(".") not in SUFFIXES]
    names = {id(e): person_name(e) for e in spans}
    spans = [e for e in spans if names[id(e)]]  # "—" and other non-names NER may tag
    trim_headline_words(names, [e for e in spans if e.label_ == "PERSON"])
    full = Counter(names[id(e)] for e in spans if e.label_ == "PERSON" and len(name_tokens(e)) > 1)
    people = PersonResolver(full)
    expansions = acronyms(text_of(doc))
    surnames = {person_key(n)[0] for n in full}

    entities: dict[tuple[str, str], Entity] = {}
    entity_at: dict[int, Entity] = {}
    for span in spans:
        label, name = span.label_, names[id(span)]
        if label == "PERSON" or (" " not in name and name.lower() in surnames) or name in full:
            label, name = "PERSON", people.resolve(name, title_before(span))
        else:
            name = group_name(span, expansions)
        key = (name, label)
        entity = entities.get(key) or entities.setdefault(key, Entity(name=name, type=label))
        entity.mentions.append(Span(span.start_char, span.end_char, span.text))
        for token in span:
            entity_at[token.i] = entity
    doc._.kg_entities = list(entities.values())
    doc._.kg_entity_at = entity_at
    return doc
