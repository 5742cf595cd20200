"""kg_entities: named entities with canonical names, resolved within the article.

"Biden", "President Biden" and "Joe Biden" become one PERSON "Joe Biden"; "the US", "U.S." and
"America" become one GPE "United States". A surname that spaCy labelled ORG ("Biden's") is a
PERSON when the article names that person in full.
"""
from __future__ import annotations

from collections import Counter

from spacy.language import Language
from spacy.tokens import Doc, Span as SpacySpan

from ..model import Entity, Span
from .lexicon import lexicon

TYPES = ("PERSON", "ORG", "GPE", "NORP")
Doc.set_extension("kg_entities", default=None, force=True)
Doc.set_extension("kg_entity_at", default=None, force=True)  # token index -> Entity


def person_name(span: SpacySpan) -> str:
    """The name words of a PERSON mention: no leading titles, no possessive."""
    lex = lexicon()
    words = [t.text for t in span if t.text not in ("'s", "’s", "'", "’")]
    while len(words) > 1 and (words[0].lower() in lex.role_heads or words[0].lower() in lex.role_modifiers
                              or words[0].rstrip(".").lower() in ("mr", "mrs", "ms", "dr", "sen", "rep", "gov")):
        words.pop(0)
    return " ".join(words)


def group_name(span: SpacySpan) -> str:
    text = span.text
    for suffix in ("'s", "’s"):
        text = text.removesuffix(suffix)
    if text.lower().startswith("the "):
        text = text[4:]
    return lexicon().aliases.get(text.lower(), text)


@Language.component("kg_entities")
def resolve_entities(doc: Doc) -> Doc:
    spans = [e for e in doc.ents if e.label_ in TYPES]
    full_names = Counter(person_name(e) for e in spans if e.label_ == "PERSON" and " " in person_name(e))
    by_surname: dict[str, str] = {}
    for name, _ in full_names.most_common():
        by_surname.setdefault(name.split()[-1], name)

    entities: dict[tuple[str, str], Entity] = {}
    entity_at: dict[int, Entity] = {}
    for span in spans:
        label = span.label_
        if label == "PERSON" or person_name(span) in by_surname or person_name(span) in full_names:
            name = person_name(span)
            label, name = "PERSON", by_surname.get(name, name)
        else:
            name = group_name(span)
        key = (name, label)
        entity = entities.get(key) or entities.setdefault(key, Entity(name=name, type=label))
        entity.mentions.append(Span(span.start_char, span.end_char, span.text))
        for token in span:
            entity_at[token.i] = entity
    doc._.kg_entities = list(entities.values())
    doc._.kg_entity_at = entity_at
    return doc
