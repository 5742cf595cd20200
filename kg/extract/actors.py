"""Mentions to actors within an article: the one place where a pronoun, a description or a
phrase built on a name is resolved to the actor it refers to. The statements (speakers and
about-targets) consume it; names themselves are resolved by kg_entities before it.

- "he", "him", "his" and "she", "her" go to the last person named before them of that gender
  ("Mr."/"Mrs."/"Ms." before a mention, else the first name, by gender-guesser's dictionary),
  else of unknown gender, one named as a subject first; "it", "its" to the last organisation; "they", "their" to the last
  organisation or party bloc.
- "the minister", "the Republican nominee": the person the article last gave that role;
  "the company", "the bank" (kg/data/descriptions.tsv): the last organisation named before, one
  whose name holds a word of that kind first.
- "Clinton's campaign", "the Trump campaign", "the Obama administration" are organisations,
  never the person; "Democrats" and "Republicans" as a bloc are their party.
"""
from __future__ import annotations

from collections.abc import Callable
from collections import Counter
from functools import lru_cache

from spacy.tokens import Doc, Token

from ..model import Entity
from ..names import FEMALE, HONORIFIC_GENDER, MALE, name_gender
from .entities import is_title_word
from .lexicon import lexicon, read_rows
from .text import text_of

PRONOUN_GENDER = {"he": MALE, "him": MALE, "his": MALE, "himself": MALE,
                  "she": FEMALE, "her": FEMALE, "hers": FEMALE, "herself": FEMALE}
ORG_PRONOUNS = {"it", "its", "itself"}
PLURAL_PRONOUNS = {"they", "them", "their", "theirs", "themselves"}
PERSON_ORGS = {"campaign", "camp", "administration", "foundation"}
DEFINITE = {"the", "this", "that"}
SPOKESPEOPLE = {"analyst", "official", "spokesperson", "spokesman", "spokeswoman", "representative", "executive",
                "researcher", "economist", "lawyer", "attorney"}  # "at X", "for X": they speak for X
PAPERS = {"study", "report", "paper", "data", "transcript", "document", "filing", "statement", "analysis", "survey",
          "poll", "letter", "complaint", "lawsuit", "guidance", "release", "ad", "advertisement"}  # X's, by X, an X report
SUBJECTS = ("nsubj", "nsubjpass")
WINDOW = 80  # tokens before the sentence that a pronoun or description may reach back


@lru_cache(maxsize=1)
def descriptions() -> dict[str, frozenset[str]]:
    return {row[0].lower(): frozenset(w.strip() for w in row[1].split(",")) for row in read_rows("descriptions.tsv")}


@lru_cache(maxsize=1)
def business_descriptions() -> frozenset[str]:
    return frozenset(row[0].lower() for row in read_rows("descriptions.tsv") if row[2:] == ["business"])


@lru_cache(maxsize=1)
def public_kinds() -> frozenset[str]:
    """Words that make an organisation's name one of a public or other non-business kind."""
    business = business_descriptions()
    found = set().union(*(kinds for noun, kinds in descriptions().items() if noun not in business))
    return frozenset(found - set().union(*(descriptions()[noun] for noun in business)))


class Actors:
    """The actors of one parsed article (after kg_entities and kg_roles)."""

    def __init__(self, doc: Doc):
        self.doc = doc
        self.entity_at: dict[int, Entity] = doc._.kg_entity_at
        self.people = {e.name: e for e in doc._.kg_entities if e.type == "PERSON"}
        self.genders = {id(e): self.gender_of(e) for e in self.people.values()}
        self.party_names = frozenset(lexicon().parties.values())

    # --- what an entity is -----------------------------------------------------------------
    def gender_of(self, entity: Entity) -> str | None:
        """From an honorific the article puts before the person's name, else the first name."""
        text = text_of(self.doc)
        for mention in entity.mentions:
            before = text[max(0, mention.start - 6): mention.start].split()
            word = (before[-1] if before else mention.text.split()[0]).lower().rstrip(".")
            if word in HONORIFIC_GENDER:
                return HONORIFIC_GENDER[word]
        return name_gender(entity.name)

    def fits(self, entity: Entity, gender: str | None) -> bool:
        return gender is None or self.genders.get(id(entity)) in (None, gender)

    # --- one mention ---------------------------------------------------------------------
    def pronoun(self, token: Token, exclude: str | None = None,
                speakers: list[tuple[int, str]] = ()) -> Entity | None:
        """The actor a third-person pronoun stands for, or None. Given the people credited with
        statements before it (`speakers`), a "he said" continues the last of them that fits,
        unless someone else who fits is a subject in its sentence or the one before."""
        word = token.lower_
        if word in PRONOUN_GENDER:
            gender = PRONOUN_GENDER[word]
            named = self.last_named(token, ("PERSON",), gender, exclude)
            if named is not None and self.is_subject_before(token, named):
                return named
            return self.last_speaker(token, speakers, gender) or named
        if word in ORG_PRONOUNS:
            return self.last_named(token, ("ORG",), None, exclude)
        if word in PLURAL_PRONOUNS:
            return self.last_named(token, ("ORG", "NORP"), None, exclude, subjects_only=True)
        return None

    def last_named(self, token: Token, kinds: tuple[str, ...], gender: str | None, exclude: str | None,
                   subjects_only: bool = False) -> Entity | None:
        """The last entity of these kinds named before the token, one named as a subject first."""
        start = max(0, token.sent.start - WINDOW)
        named = [(t, e) for t in self.doc[start: token.i] if (e := self.entity_at.get(t.i)) is not None
                 and e.type in kinds and e.name != exclude and self.fits(e, gender)]
        for t, entity in reversed(named):
            if subject_of_clause(t):
                return entity
        return None if subjects_only or not named else named[-1][1]

    def named_beside(self, noun: Token) -> Entity | None:
        """The person a description names beside it: in apposition ("The chief inspector of prisons,
        Charles Whitby,") or as the first example of a plural ("Critics of the plan, like Ann Lee")."""
        heads = [noun] + [pobj for prep in noun.children if prep.dep_ == "prep" and prep.lower_ == "of"
                          for pobj in prep.children if pobj.dep_ == "pobj"]
        for head in heads:
            for child in head.rights:
                if child.dep_ == "appos" or (noun.tag_ in ("NNS", "NNPS") and child.dep_ == "prep"
                                             and child.lower_ in ("like", "including", "as")):
                    named = self.first_named(child if child.dep_ == "appos" else
                                             next((c for c in child.children if c.dep_ == "pobj"), child))
                    if named is not None:
                        return named
        return None

    def first_named(self, token: Token) -> Entity | None:
        """The person or organisation a noun phrase names first, if its head is a name."""
        entity = self.entity_at.get(token.i)
        if entity is None:
            entity = next((self.entity_at[t.i] for t in token.subtree if t.i in self.entity_at
                           and t.head.i == token.i and t.dep_ in ("compound", "flat")), None)
        return entity if entity is not None and entity.type in ("PERSON", "ORG") else None

    def is_subject_before(self, token: Token, entity: Entity) -> bool:
        """True if the entity is a subject before the token, in its sentence or the one before."""
        start = self.doc[token.sent.start - 1].sent.start if token.sent.start > 0 else 0
        return any(self.entity_at.get(t.i) is entity and subject_of_clause(t) for t in self.doc[start: token.i])

    def last_speaker(self, token: Token, speakers: list[tuple[int, str]], gender: str) -> Entity | None:
        start = max(0, token.sent.start - WINDOW)
        for i, name in reversed(speakers):
            if start <= i < token.i:
                entity = self.people.get(name)
                if entity is not None and self.fits(entity, gender):
                    return entity
        return None

    def described_person(self, noun: Token) -> str | None:
        """"the minister", "the Justice Secretary": the person the article last gave that role
        before this mention."""
        if noun.pos_ not in ("NOUN", "PROPN") or noun.i in self.entity_at \
                or not any(c.lower_ == "the" for c in noun.children):
            return None
        holders = [r for r in self.doc._.kg_roles or [] if r.evidence.start < noun.idx
                   and r.role.lower().split()[-1:] == [noun.lower_]]
        return max(holders, key=lambda r: r.evidence.start).person if holders else None

    def described_org(self, noun: Token) -> Entity | None:
        """"the company", "the tech giant": the organisation of that kind last named before it."""
        kinds = descriptions().get(noun.lemma_.lower())
        if kinds is None or noun.pos_ != "NOUN" or noun.tag_ in ("NNS", "NNPS") \
                or not any(c.lower_ in DEFINITE and c.dep_ == "det" for c in noun.children) \
                or any(c.dep_ in ("poss", "compound") or c.ent_type_ for c in noun.children):
            return None
        before = [(t, e) for t in self.doc[: noun.i] if (e := self.entity_at.get(t.i)) is not None and e.type == "ORG"]
        of_kind = [e for _, e in before if kinds & words_of(e)]
        if of_kind:
            counts = Counter(id(e) for e in of_kind)  # the organisation the article is most about, latest on a tie
            return max(reversed(of_kind), key=lambda e: counts[id(e)])
        if noun.lemma_.lower() in business_descriptions():
            start = max(0, noun.sent.start - WINDOW)
            return next((e for t, e in reversed(before) if t.i >= start and subject_of_clause(t)
                         and not public_kinds() & words_of(e)), None)
        return None

    def person_org(self, noun: Token) -> str | None:
        """"Clinton's campaign", "the Trump campaign", "his campaign", "the Obama administration":
        an organisation named after a person."""
        if noun.lower_ not in PERSON_ORGS:
            return None
        suffix = noun.text if noun.text.istitle() and noun.i > noun.sent.start else noun.lower_
        for child in noun.children:
            if child.dep_ not in ("poss", "compound"):
                continue
            entity = self.entity_at.get(child.i) or (self.pronoun(child) if child.lower_ in PRONOUN_GENDER else None)
            if entity is not None and entity.type == "PERSON":
                return f"{entity.name.split()[-1]} {suffix}"
        return None

    def for_organisation(self, noun: Token) -> Entity | None:
        """"Analysts at Vantage Equities", "a spokesperson for the company", "a study by the
        Northgate Institute", "the FBI's report": people or papers that speak for an organisation."""
        lemma = noun.lemma_.lower()
        if lemma not in SPOKESPEOPLE and lemma not in PAPERS:
            return None
        for child in noun.children:
            if (child.dep_ in ("poss", "compound") and lemma in PAPERS) or \
                    (child.dep_ == "prep" and child.lower_ in ("at", "for", "of", "from", "by")):
                found = self.organisation_in(child)
            elif child.dep_ == "acl" and child.tag_ == "VBN":  # "a transcript released by X"
                found = next((self.organisation_in(c) for c in child.children if c.dep_ == "agent"), None)
            else:
                continue
            if found is not None:
                return found
        return None

    def organisation_in(self, token: Token) -> Entity | None:
        """The organisation a possessive or a prepositional phrase names ("of the company" too)."""
        target = next((c for c in token.children if c.dep_ == "pobj"), token)
        entity = self.entity_at.get(target.i)
        if entity is None and target.pos_ == "NOUN":
            entity = self.described_org(target)
        return entity if entity is not None and entity.type == "ORG" else None

    def description(self, noun: Token) -> tuple[str, str] | None:
        """The actor a description stands for, as (name, type)."""
        if (name := self.person_org(noun)) is not None:
            return name, "ORG"
        if (org := self.for_organisation(noun)) is not None:
            return org.name, org.type
        if (person := self.described_person(noun)) is not None:
            return person, "PERSON"
        if (org := self.described_org(noun)) is not None:
            return org.name, org.type
        return None

    def unrecognised_name(self, tokens: list[Token]) -> tuple[str, str] | None:
        """A name the entity recogniser missed ("Pence said", a transcript's "WALLACE:"): the
        article's actor of that name or surname, else a person of that name."""
        words = [t for t in tokens if not t.is_punct and not t.is_space]
        if not words or len(words) > 3 or words[-1].tag_ == "NNPS" \
                or any(t.pos_ != "PROPN" or not t.text[:1].isupper() or is_title_word(t.text)
                                              for t in words) \
                or any(c.dep_ == "det" for c in words[-1].children):  # "the West" is no one's name
            return None
        text = " ".join(t.text for t in words)
        for entity in self.doc._.kg_entities:
            if entity.name.lower() == text.lower() or (entity.type == "PERSON" and
                                                        entity.name.lower().split()[-1] == text.lower()):
                return entity.name, entity.type
        return (text.title() if text.isupper() else text), "PERSON"

    # --- a stretch of text ---------------------------------------------------------------
    def referred(self, start: int, end: int, speaker: str, quoted: Callable[[int], bool]) -> list[str]:
        """The actors tokens start..end refer to, by name, pronoun or description, in order;
        never the speaker, and not places named only as where something happens. Inside a
        quotation (`quoted` of a character offset) the speaker says "I": a "he" there is another."""
        names: list[str] = []
        lex = lexicon()
        for i in range(start, end):
            token = self.doc[i]
            entity = self.entity_at.get(i)
            if entity is not None:
                while token.head.i != token.i and self.entity_at.get(token.head.i) is entity:
                    token = token.head  # "United" in "the United States": the name's head says what it is
                if entity.type == "GPE" and is_location(token) or is_attribute(token, entity):
                    continue
                name = lex.canonical_place(entity.name) if entity.type == "NORP" else entity.name
                if entity.type == "NORP" and name in self.party_names and token.dep_ in ("amod", "compound"):
                    continue  # "Republican Donald Trump", "Democratic voters": a word about them, not the party
            elif token.lower_ in PRONOUN_GENDER or token.lower_ in ORG_PRONOUNS:
                found = self.pronoun(token, exclude=speaker if quoted(token.idx) else None)
                name = found.name if found is not None else None
            elif token.pos_ == "NOUN" and (described := self.description(token)) is not None:
                name = described[0]
            else:
                continue
            if name and name != speaker and name not in names:
                names.append(name)
        return names


def words_of(entity: Entity) -> set[str]:
    return {w.lower().strip(".,") for w in entity.name.split()}


def name_head(token: Token, links: tuple[str, ...] = ("compound", "flat")) -> Token:
    """The word a name's other words hang from ("Trump" in "Donald Trump"), through these links."""
    while token.dep_ in links and token.head.i != token.i:
        token = token.head
    return token


def subject_of_clause(token: Token) -> bool:
    """A name that is, or leads, a clause's subject ("Ann Lee, the adviser, said"; "Lee's aides said")."""
    return name_head(token, ("compound", "flat", "appos", "conj", "poss")).dep_ in SUBJECTS


def is_location(token: Token) -> bool:
    """A place named as where something happens: "at a rally in Ohio", "from Washington"."""
    token = name_head(token)
    return token.dep_ == "pobj" and token.head.lower_ in ("in", "at", "from", "across", "near", "outside", "inside",
                                                          "throughout", "around", "through")


def is_attribute(token: Token, entity: Entity) -> bool:
    """A country as a word about something else ("American families", "U.S. citizen"), not an actor."""
    return entity.type in ("GPE", "NORP") and token.dep_ in ("amod", "compound") and token.head.pos_ == "NOUN"
