"""kg_roles: person–role–organisation facts with a time qualifier.

Patterns: a title before the name ("outgoing German Chancellor Angela Merkel", "Kremlin spokesman
Dmitry Peskov", "Biden's National Security Adviser Jake Sullivan") and appositives both ways
("Jake Sullivan, the national security adviser", "the spokesman for the Kremlin, Dmitry Peskov").
The role words, time words and demonyms come from the tables in kg/data/.
"""
from __future__ import annotations

from dataclasses import dataclass

from spacy.language import Language
from spacy.tokens import Doc, Token

from ..model import Role, Span
from .lexicon import lexicon

Doc.set_extension("kg_roles", default=None, force=True)
POSSESSIVE = {"'s", "’s"}


@dataclass
class Candidate:
    person: str
    role: str
    org: str | None = None
    org_type: str | None = None
    org_of_person: str | None = None  # "Biden's adviser": the organisation Biden serves
    time: str = "current"
    evidence: tuple[int, int] = (0, 0)


def is_role_word(token: Token) -> bool:
    lex = lexicon()
    word = token.text.lower()
    return word in lex.role_heads or word in lex.role_modifiers


def role_text(tokens: list[Token]) -> str | None:
    """The last run of role words that ends in a head word, in lower case."""
    lex = lexicon()
    words: list[str] = []
    best = None
    for token in tokens:
        if is_role_word(token):
            words.append(token.text.lower())
            if words[-1] in lex.role_heads:
                best = " ".join(words)
        else:
            words = []
    return best


def qualifier(tokens: list[Token]) -> str:
    times = lexicon().time_words
    found = [times[t.text.lower()] for t in tokens if t.text.lower() in times]
    return found[-1] if found else "current"


def organisation(tokens: list[Token], doc: Doc) -> tuple[str | None, str | None, str | None]:
    """(organisation, its type, possessor person) named by the words around a role."""
    lex = lexicon()
    entity_at = doc._.kg_entity_at
    for token in reversed(tokens):
        entity = entity_at.get(token.i)
        if entity is not None:
            if entity.type == "PERSON":
                next_token = doc[token.i + 1] if token.i + 1 < len(doc) else None
                if next_token is not None and next_token.text in POSSESSIVE:
                    return None, None, entity.name
                continue
            place = lex.canonical_place(entity.name)
            if place:
                return place, "GPE" if entity.type != "ORG" else "ORG", None
            return entity.name, entity.type, None
        place = lex.demonyms.get(token.text.lower())
        if place:
            return place, "GPE", None
    return None, None, None


def title_before_name(person_start: int, doc: Doc) -> list[Token]:
    """The run of title, qualifier, demonym and organisation words right before a name."""
    lex = lexicon()
    entity_at = doc._.kg_entity_at
    sent_start = doc[person_start].sent.start
    i = person_start - 1
    run: list[Token] = []
    while i >= sent_start:
        token = doc[i]
        word = token.text.lower()
        if not (is_role_word(token) or word in lex.time_words or word in lex.demonyms
                or word in ("-", "–") or token.text in POSSESSIVE or i in entity_at):
            break
        run.insert(0, token)
        i -= 1
    while run and run[0].text in ("-", "–") + tuple(POSSESSIVE):
        run.pop(0)
    return run


def counterpart_role(anchor: Token) -> str | None:
    """"the US president and his Russian counterpart X": X holds the role named before."""
    heads = lexicon().role_heads
    for token in reversed(list(anchor.sent)[: anchor.i - anchor.sent.start]):
        word = token.text.lower()
        if word in heads and word != "counterpart":
            return word
    return None


def appositive_tokens(name_root: Token) -> list[Token]:
    """The words of a noun phrase in apposition to the name, either way round."""
    if name_root.dep_ == "appos" and name_root.head.tag_.startswith("NN") and name_root.head.i < name_root.i:
        phrase = name_root.head
    else:
        phrase = next((c for c in name_root.children if c.dep_ == "appos"), None)
    if phrase is None or phrase.ent_type_ == "PERSON":
        return []
    return [t for t in phrase.subtree if t.i != name_root.i and not (name_root.left_edge.i <= t.i <= name_root.right_edge.i)
            and t.dep_ not in ("relcl", "punct")]


@Language.component("kg_roles")
def find_roles(doc: Doc) -> Doc:
    entity_at = doc._.kg_entity_at
    candidates: list[Candidate] = []
    for ent in doc.ents:
        entity = entity_at.get(ent.start)
        if entity is None or entity.type != "PERSON":
            continue
        inside = [t for t in ent if is_role_word(t)]  # "President Biden" tagged whole
        for tokens in (title_before_name(ent.start, doc) + inside, appositive_tokens(ent.root)):
            candidate = make_candidate(entity.name, tokens, ent, doc)
            if candidate:
                candidates.append(candidate)
                break
    doc._.kg_roles = resolve(candidates, doc)
    return doc


def make_candidate(person: str, tokens: list[Token], ent, doc: Doc) -> Candidate | None:
    role = role_text(tokens)
    if role is None:
        return None
    if role.split()[-1] == "counterpart":
        role = counterpart_role(tokens[0])
        if role is None:
            return None
    org, org_type, org_of_person = organisation(tokens, doc)
    start = min(tokens[0].idx, ent.start_char)
    end = max(tokens[-1].idx + len(tokens[-1]), ent.end_char)
    return Candidate(person, role, org, org_type, org_of_person, qualifier(tokens), (start, end))


def resolve(candidates: list[Candidate], doc: Doc) -> list[Role]:
    """Fill in organisations taken from a possessor's role; drop repeats, and a fact without an
    organisation where the article also gives the same role with one."""
    org_of = {c.person: (c.org, c.org_type) for c in candidates if c.org and c.time == "current"}
    for c in candidates:
        if not c.org and c.org_of_person:
            c.org, c.org_type = org_of.get(c.org_of_person, (None, None))
    with_org = {(c.person, c.role, c.time) for c in candidates if c.org}
    roles: list[Role] = []
    seen = set()
    for c in candidates:
        key = (c.person, c.role, c.org, c.time)
        if key in seen or (c.org is None and key[:2] + (c.time,) in with_org):
            continue
        seen.add(key)
        start, end = c.evidence
        roles.append(Role(c.person, c.role, c.org, c.org_type, c.time, Span(start, end, doc.text[start:end])))
    return roles
