"""kg_roles: person–role–organisation facts with a time qualifier.

Patterns around each named person:
- title before the name, with organisation, demonym, party, person and time modifiers
  ("outgoing German Chancellor Angela Merkel", "Clinton spokesman Nick Merrill",
  "Republican Indiana Gov. Mike Pence"), shared by a coordinated list ("Sens. A (D-Ore.) and B");
- party markers ("Ann Roe (D-Ore.)", "Democrat Ann Roe", "Ann Roe, a Republican");
- appositives both ways ("Bo Li, director of the Harbor Institute", "Clinton's running mate, Tim
  Kaine"), copulas and relative clauses ("X is the columnist for Y", "X, who runs Y") and "as ROLE";
- definite descriptions of a person the article names ("the Democratic nominee"), resolved with
  the article's own facts, then the background facts (kg/background.py) set on doc._.kg_background;
- organisations from context: "its chief executive" is the organisation last named, "the council's
  leader" the council the article names, and a national role ("the minister", "President X") the
  country its phrase names, else the country the article is mostly about, else none.
All words come from the tables in kg/data/ (see kg/extract/lexicon.py).
"""
from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass, field

import pycountry

from spacy.language import Language
from spacy.tokens import Doc, Token

from ..background import KnownFact
from ..model import Role, Span
from .entities import name_tokens, person_key, role_head, same_person
from .lexicon import Lexicon, lexicon
from .text import lower_words, text_of

Doc.set_extension("kg_roles", default=None, force=True)
POSSESSIVE = {"'s", "’s", "'", "’"}
DETERMINERS = {"a", "an", "the", "its", "his", "her", "their", "our", "this"}
PREPOSITIONS = {"of", "at", "for", "with", "on", "in"}
LEAD_VERBS = {"head": "head", "heads": "head", "run": "head", "runs": "head", "lead": "leader", "leads": "leader",
              "led": "leader", "headed": "head", "ran": "head", "chairs": "chair", "chaired": "chair"}
PARTY_MARKER = re.compile(r"[ \u00a0]*\(([DRI])(?:[-–][ \u00a0]*([^)]{1,20}))?\)")
# org_of_entity's kind for a party, which a role phrase reads as the person's party ("Democratic
# Sen. X"); where a party is the organisation of a role ("an aide to Republicans") it becomes an
# entity of the type below: the graph (kg/vocab.py ENTITY_PATHS) knows entity types, not this kind.
PARTY = "PARTY"
ENTITY_TYPE_OF_KIND = {PARTY: "ORG"}
PLACE_WORDS = {"city", "county", "state", "district"}  # "New York City Mayor": part of the place name
PERSONAL_EXTRAS = {"top", "senior", "close", "chief", "foreign", "policy", "political", "campaign", "longtime"}


@dataclass
class Fact:
    person: str
    role: str
    org: str | None
    time: str
    evidence: tuple[int, int]
    principal: str | None = None  # the person the role is held for: "Clinton spokesman"
    org_type: str | None = None
    default_org: bool = False  # the organisation is the article's country, not stated with the role
    source: str | None = None  # the stored article (or background file) whose fact resolved it


@dataclass
class Phrase:
    """A role phrase: its words, organisation, party, principal and time."""
    role: str
    orgs: list[tuple[str, str]] = field(default_factory=list)  # (name, type)
    party: str | None = None
    principal: str | None = None
    time: str = "current"
    start: int = 0  # token index where the phrase starts
    end: int = 0  # token index after its role words
    plural: bool = False  # "Sens.": the title is shared by the names coordinated after it
    anaphor: str | None = None  # "its" or the noun of "the council's": an organisation named before


def same_org(a: str | None, b: str | None) -> bool:
    """One organisation named twice, or once without a name: "AROS" spelled out, "Alliance"."""
    if a is None or b is None:
        return True
    wa, wb = set(a.lower().split()), set(b.lower().split())
    return wa <= wb or wb <= wa


@Language.component("kg_roles")
def find_roles(doc: Doc) -> Doc:
    doc._.kg_roles = RoleFinder(doc).run()
    return doc


class RoleFinder:
    def __init__(self, doc: Doc):
        self.doc = doc
        self.text = text_of(doc)
        self.lex: Lexicon = lexicon()
        self.known: tuple[KnownFact, ...] = doc._.kg_background
        self.entity_at = doc._.kg_entity_at
        self.facts: list[Fact] = []
        self.lower = lower_words(doc)
        self.words = [w.replace("’", "'") for w in self.lower]
        years = [int(w) for w in self.lower if w.isdigit() and len(w) == 4 and 1900 < int(w) < 2100]
        self.now = max(years, default=0)  # the article's own year, as far as it says
        self.orgs = self.org_spans()
        # surnames of the people the article names, for a surname spaCy did not tag ("Trump campaign")
        self.surnames = {person_key(e.name)[0]: e for e in doc._.kg_entities if e.type == "PERSON" and " " in e.name}
        self.country = self.dominant_country()

    def run(self) -> list[Role]:
        people = [e for e in self.doc.ents if (ent := self.entity_at.get(e.start)) and ent.type == "PERSON"
                  and e.label_ == "PERSON"]
        inherited: dict[int, list[Phrase]] = {}
        for ent in people:
            person = self.entity_at[ent.start].name
            start = name_tokens(ent)[0].i
            end = self.name_end(ent)
            phrases = self.title_phrases(start) or inherited.get(ent.start, [])
            marker = self.party_marker(end)
            for phrase in phrases:
                if self.generic(person, phrase):
                    continue
                self.add(person, phrase, self.doc[phrase.start].idx, self.doc[end - 1].idx + len(self.doc[end - 1]),
                         state=marker[1] if marker else None)
            if marker:
                after = self.char_token(marker[2])
                if marker[0]:
                    self.facts.append(Fact(person, "member", marker[0], "current",
                                           (self.doc[start].idx, marker[2]), org_type="ORG"))
                end = after if after is not None else end
            for nxt in self.coordinated(end, people):
                inherited[nxt] = [p for p in phrases if p.plural]
            self.after_name(person, start, end)
            self.led_by(person, start)
            self.before_comma(person, start, ent)
        self.descriptions(people)
        self.as_role(people)
        return self.resolve()

    # --- helpers -------------------------------------------------------------------------
    def name_end(self, ent) -> int:
        """The token after the name, past a possessive and a ", Jr."."""
        end = ent.end
        while end < len(self.doc) and self.doc[end].text in POSSESSIVE:
            end += 1
        if end + 1 < len(self.doc) and self.doc[end].text == "," and self.doc[end + 1].lower_.rstrip(".") in ("jr", "sr"):
            end += 2
        return end

    def char_token(self, char: int) -> int | None:
        span = self.doc.char_span(char, char + 1, alignment_mode="expand")
        return None if span is None else span.start

    def word(self, token: Token) -> str:
        return self.words[token.i]

    def kind(self, token: Token, kind: str) -> bool:
        return self.lex.is_kind(token.text, kind)

    def is_role_word(self, token: Token) -> bool:
        w = self.word(token)
        return w in self.lex.role_heads or w in self.lex.role_modifiers or w in self.lex.role_means

    def org_spans(self) -> dict[int, tuple[int, int]]:
        """Token -> (start, end) of each organisation, place or group entity, without the role
        words NER may have run into it ("Danish Defence" of "Danish Defence Minister")."""
        spans = {}
        for ent in self.doc.ents:
            entity = self.entity_at.get(ent.start)
            if entity is None or entity.type == "PERSON":
                continue
            end = ent.end
            if end < len(self.doc) and self.is_role_word(self.doc[end]):  # the title runs on after the entity
                while end > ent.start and self.is_role_word(self.doc[end - 1]) and self.word(self.doc[end - 1]) not in PLACE_WORDS:
                    end -= 1
            for i in range(ent.start, end):
                spans[i] = (ent.start, end)
        return spans

    def org_of_entity(self, token: Token) -> tuple[str, str, int] | None:
        """(name, type, end) of the organisation or place entity at a token; the type of a party is
        PARTY, which callers turn into ORG where the party is the organisation itself."""
        if token.i not in self.orgs:
            return None
        start, end = self.orgs[token.i]
        entity = self.entity_at[token.i]
        whole = self.doc[start].ent_iob_ == "B" and (end == len(self.doc) or self.doc[end].ent_iob_ != "I")
        name = entity.name if whole else self.doc[start:end].text
        key = name.lower().removeprefix("the ")
        if key in self.lex.parties:
            return self.lex.parties[key], PARTY, end
        place = self.lex.canonical_place(name) or self.lex.states.get(key)
        if place:
            return place, "ORG" if entity.type == "ORG" else "GPE", end
        return name, entity.type if entity.type in ("GPE", "ORG") else "ORG", end

    # --- phrases -------------------------------------------------------------------------
    def parse_phrase(self, i: int, stop: int) -> tuple[list[Phrase], int]:
        """Role phrases in the tokens [i, stop): qualifiers, then role words ending in a head.
        Returns the phrases and where parsing stopped."""
        doc, lex = self.doc, self.lex
        phrases: list[Phrase] = []
        pending = Phrase("", start=i)
        words: list[str] = []

        def close(at: int) -> None:
            nonlocal pending, words
            role = self.role_text(words)
            if role:
                pending.role, pending.end = role, at
                phrases.append(pending)
                pending = Phrase("", start=at)
            words = []

        while i < stop:
            token = doc[i]
            w = self.word(token)
            possessor = i + 1 < stop and doc[i + 1].text in POSSESSIVE
            if token.is_space or w in ("-", "–") or (w == "." and i > 0 and self.word(doc[i - 1]) in lex.role_means):
                i += 1
                continue
            title = self.title_at(i, stop)
            if title:
                close(i)
                words, i = [title[0]], title[1]
                continue
            role_word = self.is_role_word(token) and i not in self.orgs and not possessor
            if words and (w in lex.role_means or not role_word or (
                    words[-1] in lex.role_heads and w in lex.role_modifiers and w not in lex.role_heads)):
                close(i)
            if role_word:
                words.append(lex.role_means.get(w, w))
                i += 1
                continue
            person = self.entity_at.get(i) or (self.surnames.get(w) if token.is_title else None)
            org = self.org_of_entity(token)
            if w in lex.time_words:
                pending.time = lex.time_words[w]
            elif person is not None and person.type == "PERSON":
                while i + 1 < stop and self.entity_at.get(i + 1) is person:
                    i += 1
                if i + 1 < stop and doc[i + 1].lower_ in ("administration", "campaign"):
                    i += 1  # "a former Obama administration official"
                    pending.orgs.append((f"{person.name} {doc[i].lower_}", "ORG"))
                else:
                    pending.principal = person.name
            elif org is not None:
                name, kind, end = org
                if kind == PARTY:
                    pending.party = name
                else:
                    pending.orgs.append((name, kind))
                i = max(i, end - 1)
            elif w in lex.parties and token.is_title:
                pending.party = lex.parties[w]
            elif w in lex.demonyms:
                pending.orgs.append((lex.demonyms[w], "GPE"))
            elif w in lex.states and token.is_title and len(w) > 3:
                pending.orgs.append((lex.states[w], "GPE"))
            elif w in lex.aliases and token.is_title:
                pending.orgs.append((lex.aliases[w], "ORG"))
            elif w == "campaign" and possessor:  # "the campaign's press secretary"
                pending.principal = self.campaign_before(i)
            elif w in ("its", "their") or (possessor and token.pos_ == "NOUN" and token.is_lower):
                pending.anaphor = "it" if w in ("its", "their") else w  # "its chief executive", "the council's"
            elif not (token.text in POSSESSIVE or w in DETERMINERS or token.text in ("(", ")", "“", "”", '"')
                      or self.kind(token, "filler")
                      or (possessor and token.pos_ == "NOUN")):  # "the court's chief judge"
                break
            i += 1
        close(i)
        if not phrases and pending.party and (i >= stop or doc[i].is_punct or doc[i].lower_ in ("who", "whose")):
            # "Democrat Ann Roe", "Ann Roe, a Republican"
            phrases.append(Phrase("member", party=pending.party, time=pending.time, start=pending.start, end=i))
        return phrases, i

    def campaign_before(self, i: int) -> str | None:
        """The candidate of the campaign the article last named before token i ("the Clinton campaign")."""
        for token in reversed(self.doc[:i]):
            if token.lower_ == "campaign" and token.i > 0:
                owner = self.doc[token.i - 1] if self.doc[token.i - 1].text not in POSSESSIVE else self.doc[token.i - 2]
                person = self.entity_at.get(owner.i) or self.surnames.get(self.word(owner))
                if person is not None and person.type == "PERSON":
                    return person.name
        return None

    def title_at(self, i: int, stop: int) -> tuple[str, int] | None:
        """A fixed multi-word title starting at token i ("secretary of state"), and where it ends."""
        for n in (5, 4, 3):
            if i + n <= stop:
                text = " ".join(self.words[i:i + n])
                if text in self.lex.titles:
                    return text, i + n
        return None

    def role_text(self, words: list[str]) -> str | None:
        """The role a run of role words names, if it ends in a head word."""
        if not words or words[-1].split()[-1] not in self.lex.role_heads and " of " not in words[-1]:
            return None
        return " ".join(words).replace("vice-presidential", "vice presidential")

    def title_phrases(self, start: int) -> list[Phrase]:
        """The roles of the title right before a name (within the line)."""
        i = start - 1
        while i >= 0 and "\n" not in self.doc[i].text and self.title_material(self.doc[i]):
            i -= 1
        phrases, stopped = self.parse_phrase(i + 1, start)
        while stopped < start:  # only a title that runs right up to the name counts
            phrases, stopped = self.parse_phrase(stopped + 1, start)
        for phrase in phrases:
            phrase.plural = any(self.plural_title(t) for t in self.doc[phrase.start:start])
        # "Chairman John Podesta, Bill Clinton": a title followed by another name is that name's
        return [p for p in phrases if not any(self.is_person(t.i) for t in self.doc[p.end:start] if t.is_title)]

    def generic(self, person: str, phrase: Phrase) -> bool:
        """"columnist Jonathan Chait", "hedge fund manager X": a lower-case occupation right
        before a name, with no organisation, is a description, not a position (unlike "Sen. X",
        "Mayor X", or a role the background table gives the person)."""
        head = self.doc[phrase.end - 1]
        return (head.is_lower and not (phrase.orgs or phrase.party or phrase.principal)
                and not any(self.lex.is_kind(phrase.role.split()[-1], k) for k in ("legislator", "candidacy"))
                and not self.national(phrase.role) and not phrase.anaphor
                and not any(same_person(k.person, person) and role_head(k.role) == role_head(phrase.role)
                            for k in self.known))

    def plural_title(self, token: Token) -> bool:
        """"Sens.", "Reps.": an abbreviated title shared by several names."""
        w = self.word(token).rstrip(".")
        return w.endswith("s") and w in self.lex.role_means and w[:-1] in self.lex.role_means

    def title_material(self, token: Token) -> bool:
        w = self.word(token)
        if w == "." and token.i > 0 and self.word(self.doc[token.i - 1]) in self.lex.role_means:
            return True
        lex = self.lex
        return (self.is_role_word(token) or w in lex.time_words or w in lex.demonyms or w in self.surnames
                or token.i in self.entity_at or token.is_space or token.text in POSSESSIVE
                or w in ("of", "the", "-", "–", "(", ")")
                or (token.is_title and (w in lex.parties or w in lex.aliases or w in lex.states)))

    def party_marker(self, end: int) -> tuple[str | None, str | None, int] | None:
        """(party, state, end char) of a "(D-Ore.)" right after a name."""
        pos = self.doc[end - 1].idx + len(self.doc[end - 1]) if end > 0 else 0
        m = PARTY_MARKER.match(self.text, pos)
        if not m:
            return None
        state = self.lex.states.get((m.group(2) or "").strip().lower())
        return self.lex.parties.get(m.group(1).lower()), state, m.end()

    def coordinated(self, end: int, people) -> list[int]:
        """Start tokens of the names coordinated right after a name: "A (D-Ore.), B and C"."""
        i = end
        while i < len(self.doc) and (self.doc[i].is_space or self.doc[i].text in (",", "and")):
            i += 1
        return [e.start for e in people if e.start == i and i > end]

    # --- the patterns ----------------------------------------------------------------------
    def add(self, person: str, phrase: Phrase, start: int, end: int, state: str | None = None,
            source: str | None = None) -> None:
        lex = self.lex
        if phrase.role == "counterpart":  # "the US president and his Russian counterpart X"
            phrase.role = self.counterpart_role(phrase.start)
            if phrase.role is None:
                return
        words = phrase.role.split()
        legislator = lex.is_kind(words[-1], "legislator")
        orgs = [o for o in phrase.orgs if not (legislator and o[1] == "GPE")]
        org, org_type = orgs[-1] if orgs else (None, None)
        if phrase.party:
            if lex.is_kind(words[-1], "candidacy") or (org is None and not legislator):
                org, org_type = org or phrase.party, org_type or "ORG"
            else:
                self.facts.append(Fact(person, "member", phrase.party, phrase.time if phrase.time == "former" else "current",
                                       (start, end), org_type="ORG"))
        if org is None and state and not legislator:
            org, org_type = state, "GPE"
        if org is None and phrase.anaphor and not phrase.principal:
            org, org_type = self.org_before(phrase.start, phrase.anaphor)
        if phrase.principal and self.personal(phrase.role):
            org = None
        self.facts.append(Fact(person, phrase.role, org, phrase.time, (start, end),
                               principal=None if org else phrase.principal, org_type=org_type, source=source))

    def counterpart_role(self, i: int) -> str | None:
        sent = self.doc[i].sent
        for token in reversed(self.doc[sent.start:i]):
            if self.word(token) in self.lex.role_heads and self.word(token) != "counterpart":
                return self.word(token)
        return None

    def personal(self, role: str) -> bool:
        words = role.split()
        return self.lex.is_kind(words[-1], "personal") and set(words[:-1]) <= PERSONAL_EXTRAS

    def after_name(self, person: str, start: int, end: int) -> None:
        """ "X, the ROLE of ORG", "X, a Democrat", "X, who runs Y", "X is the ROLE for Y"."""
        doc = self.doc
        if end + 1 >= len(doc):
            return
        if doc[end].text == ",":
            if doc[end + 1].lower_ == "who":
                self.relative_clause(person, start, end + 2)
            elif doc[end + 1].lower_ not in ("is", "was"):  # "A, former adviser to B, is ...": B is not the subject
                self.phrase_after(person, start, end + 1, None, needs_org=False)
        elif doc[end].lower_ in ("is", "was"):
            self.phrase_after(person, start, end + 1, "former" if doc[end].lower_ == "was" else None, needs_org=True)

    def led_by(self, person: str, start: int) -> None:
        """ "the Republican party, led by Donald Trump": the leader of the body named before."""
        doc = self.doc
        if start < 3 or doc[start - 1].lower_ != "by" or doc[start - 2].lower_ not in LEAD_VERBS:
            return
        i = start - 3 if doc[start - 3].text == "," else start - 2
        while i > 0 and start - 3 - i < 5 and (doc[i - 1].is_title or self.word(doc[i - 1]) in self.lex.parties
                                               or doc[i - 1].lower_ == "party"):
            i -= 1
        org = self.org_of_entity(doc[i]) if i < start - 2 else None
        party = next((self.lex.parties[self.word(t)] for t in doc[i:start - 2] if self.word(t) in self.lex.parties), None)
        name = party or (org[0] if org else None)
        if name:
            self.facts.append(Fact(person, LEAD_VERBS[doc[start - 2].lower_], name, "current",
                                   (doc[i].idx, doc[start - 1].idx + len(doc[start - 1]) + 1 + len(person)), org_type="ORG"))

    def relative_clause(self, person: str, start: int, i: int) -> None:
        """ "X, who runs Crosscut Strategies", "X, who was the bill's floor manager"."""
        doc = self.doc
        if i >= len(doc):
            return
        verb = doc[i].lower_
        if verb in LEAD_VERBS:
            org = self.org_after(i + 1)
            if org and org[1] != "PERSON":
                last = doc[org[2] - 1]
                self.facts.append(Fact(person, LEAD_VERBS[verb], org[0], "former" if doc[i].tag_ == "VBD" else "current",
                                       (doc[start].idx, last.idx + len(last)), org_type=org[1]))
        elif verb in ("is", "was"):
            self.phrase_after(person, start, i + 1, "former" if verb == "was" else None, needs_org=True)

    def phrase_after(self, person: str, start: int, i: int, time: str | None, needs_org: bool) -> None:
        """The role phrase that starts at token i and describes the person named before it."""
        doc = self.doc
        stop = min(len(doc), i + 14)
        for n, t in enumerate(doc[i:stop]):
            if t.text in (",", ".", ";", ":", "(", ")") or "\n" in t.text or t.lower_ in ("who", "said", "says"):
                stop = i + n
                break
        phrases, j = self.parse_phrase(i, stop)
        if not phrases or self.is_person(phrases[-1].end):
            return  # "A, French President B": the title of the next name
        phrase = phrases[-1]
        tail = self.org_after(phrase.end) if phrase.end < stop and doc[phrase.end].lower_ in PREPOSITIONS | {"to"} else None
        if tail:
            if tail[1] == "PERSON":
                phrase.principal = tail[0]
            else:
                phrase.orgs.append(tail[:2])
        j = tail[2] if tail else phrase.end
        if needs_org and not (phrase.orgs or phrase.principal or phrase.party):
            return  # "X is a leader": evaluative, not a position
        if time and phrase.time == "current":
            phrase.time = time
        if phrase.time == "current" and self.past_year(doc[i:stop]):  # "the architect of Obama's 2008 campaign"
            phrase.time = "former"
        self.add(person, phrase, doc[start].idx, doc[j - 1].idx + len(doc[j - 1]))
        if j + 1 < stop and doc[j].lower_ == "and":  # "columnist for A and political analyst for B"
            self.phrase_after(person, start, j + 1, time, needs_org)
        elif j < len(doc) and doc[j].lower_ == "who":
            self.relative_clause(person, start, j + 1)

    def past_year(self, tokens) -> bool:
        """A year before the latest one the article mentions (its own time)."""
        return any(t.like_num and t.text.isdigit() and len(t.text) == 4 and int(t.text) < self.now for t in tokens)

    def is_person(self, i: int) -> bool:
        while i < len(self.doc) and self.doc[i].is_space:
            i += 1
        entity = self.entity_at.get(i)
        return entity is not None and entity.type == "PERSON"

    def org_after(self, i: int) -> tuple[str, str, int] | None:
        """(name, type, end) of the organisation, place or person named at token i, after an
        optional preposition; "Obama's 2008 campaign" is the "Barack Obama campaign"."""
        doc = self.doc
        if i < len(doc) and doc[i].lower_ in PREPOSITIONS | {"to"}:
            i += 1
        while i < len(doc) and doc[i].lower_ == "the":
            i += 1
        if i >= len(doc):
            return None
        entity = self.entity_at.get(i)
        if entity is not None and entity.type == "PERSON":
            j = i
            while j < len(doc) and (self.entity_at.get(j) is entity or doc[j].text in POSSESSIVE):
                j += 1
            k = j + 1 if j < len(doc) and doc[j].like_num else j
            if k < len(doc) and doc[k].lower_ in ("campaign", "administration"):
                return f"{entity.name} {doc[k].lower_}", "ORG", k + 1
            return entity.name, "PERSON", j
        org = self.org_of_entity(doc[i])
        if org and org[1] == PARTY:
            if org[2] < len(doc) and doc[org[2]].pos_ == "NOUN" and doc[org[2]].is_lower:
                return f"{doc[i:org[2]].text} {doc[org[2]].text}", "ORG", org[2] + 1  # "the Democratic caucus"
            return org[0], ENTITY_TYPE_OF_KIND[PARTY], org[2]  # "an aide to Republicans": the party itself
        return org

    def before_comma(self, person: str, start: int, ent) -> None:
        """ "the court's chief judge, Merrick Garland", "the spokesman for the Kremlin, Dmitry Peskov"."""
        doc = self.doc
        comma = start - 1
        while comma >= 0 and doc[comma].is_space:
            comma -= 1
        if comma < 1 or doc[comma].text != ",":
            return
        i = comma - 1
        while i >= 0 and "\n" not in doc[i].text and doc[i].text not in (",", ".", ";", ":", '"', "“", "”") \
                and doc[i].pos_ not in ("VERB", "AUX", "SCONJ", "CCONJ") and doc[i].lower_ not in ("as", "by", "with"):
            i -= 1
        phrases, _ = self.parse_phrase(i + 1, comma)
        if not phrases:
            return
        phrase = phrases[-1]
        if phrase.end != comma:
            tail = self.org_after(phrase.end) if doc[phrase.end].lower_ in PREPOSITIONS else None
            if not tail or tail[2] != comma or tail[1] == "PERSON":
                return
            phrase.orgs.append(tail[:2])
        self.add(person, phrase, doc[phrase.start].idx, doc[ent.end - 1].idx + len(doc[ent.end - 1]))

    def descriptions(self, people) -> None:
        """ "the Democratic nominee": a description of one person the article names."""
        doc = self.doc
        named = sorted({self.entity_at[e.start].name for e in people})
        for i, word in enumerate(self.lower):
            if word not in ("the", "their", "his", "her") or i + 1 >= len(doc):
                continue
            token = doc[i]
            end = token.i + 1
            while end < len(doc) and end - token.i < 7 and not doc[end].is_punct and "\n" not in doc[end].text \
                    and doc[end].text not in POSSESSIVE:  # "the Republican nominee's stance" is about him
                end += 1
            phrases, _ = self.parse_phrase(token.i + 1, end)
            if len(phrases) != 1 or phrases[0].start != token.i + 1:
                continue
            phrase = phrases[0]
            j = phrase.end
            if self.is_person(j) or (
                    j + 1 < len(doc) and doc[j].text == "," and self.is_person(j + 1)):
                continue
            if not (phrase.party or phrase.orgs or phrase.time == "former") or phrase.principal:
                continue
            if j + 1 < len(doc) and doc[j].lower_ == "for" and doc[j + 1].lower_ == "president":
                phrase.role, j = "presidential " + phrase.role, j + 2
            holders = self.known_holders(phrase, named, token.i, people) or self.holder_in_article(phrase, token.i, people)
            if holders:
                person, fact = holders
                phrase.orgs = phrase.orgs or ([(fact.organisation, "ORG")] if fact.organisation else [])
                phrase.time = fact.time if phrase.time == "current" else phrase.time
                self.add(person, phrase, token.idx, doc[j - 1].idx + len(doc[j - 1]), source=fact.source)

    def as_role(self, people) -> None:
        """ "as governor of Virginia he", "X's record as secretary of state", "acting as Roe's lawyer":
        the role belongs to the person or pronoun right after it, else the last person named before
        it in the sentence; a past-tense clause puts it in the past."""
        doc = self.doc
        for i, word in enumerate(self.lower):
            if word != "as" or i + 2 >= len(doc):
                continue
            token = doc[i]
            stop = min(len(doc), token.i + 10)
            phrases, _ = self.parse_phrase(token.i + 1, stop)
            if not phrases or phrases[0].start != token.i + 1 or self.is_person(phrases[-1].end):
                continue
            phrase = phrases[-1]
            j = phrase.end
            tail = self.org_after(j) if j < len(doc) and doc[j].lower_ in PREPOSITIONS else None
            if tail and tail[1] != "PERSON":
                phrase.orgs.append(tail[:2])
                j = tail[2]
            elif tail:
                continue
            if not (phrase.orgs or phrase.principal or phrase.party or " of " in phrase.role) or any(
                    t.tag_ == "MD" or t.lemma_ == "serve" for t in token.sent):
                continue  # "as a leader", "could serve as president": no position stated
            before = [e for e in people if token.sent.start <= e.start < token.i and "\n" not in doc[e.start:token.i].text]
            after = j + 1 if j < len(doc) and doc[j].text == "," else j
            if after < len(doc) and doc[after].lower_ in ("he", "she") and before:
                anchor, person = doc[after], self.entity_at[before[-1].start].name
            elif after < len(doc) and self.is_person(after):
                anchor, person = doc[after], self.entity_at[after].name
            elif before:
                anchor, person = doc[before[-1].start], self.entity_at[before[-1].start].name
            else:
                continue
            if phrase.time == "current" and any(t.tag_ == "VBD" for t in token.sent if t.dep_ == "ROOT"):
                phrase.time = "former"
            first, last = min(anchor.i, token.i), max(anchor.i, j - 1)
            self.add(person, phrase, doc[first].idx, doc[last].idx + len(doc[last]))

    def holder_in_article(self, phrase: Phrase, at: int, people) -> tuple[str, KnownFact] | None:
        """The person this article itself gives the role ("Sen. Ann Roe ... the Whig senator"), the
        one named last before the description, leaving out members of another party."""
        head = role_head(phrase.role)
        other_party = {f.person for f in self.facts if f.role == "member" and phrase.party and f.org != phrase.party}
        orgs = {o for o, _ in phrase.orgs}
        holders = {f.person: f for f in self.facts
                   if role_head(f.role) == head and f.time == phrase.time and f.person not in other_party
                   and (not orgs or f.org in orgs)}
        before = [self.entity_at[e.start].name for e in people if e.start < at and self.entity_at[e.start].name in holders]
        if not before:
            return None
        f = holders[before[-1]]
        return f.person, KnownFact(f.person, f.role, f.org, f.time)

    def known_holders(self, phrase: Phrase, named: list[str], at: int, people) -> tuple[str, KnownFact] | None:
        """The person the article names whom the background table gives this role: the one
        mentioned last before the description, else the only current holder."""
        head, vice = role_head(phrase.role), "vice" in phrase.role
        orgs = {o for o, _ in phrase.orgs} | ({phrase.party} if phrase.party else set())
        found: dict[str, KnownFact] = {}
        for fact in self.known:
            if role_head(fact.role) != head or ("vice" in fact.role) != vice or (orgs and fact.organisation not in orgs):
                continue
            if phrase.time == "former" and fact.time != "former":
                continue
            for name in named:
                if person_key(name) == person_key(fact.person):
                    found.setdefault(name, fact)
        before = [self.entity_at[e.start].name for e in people if e.start < at and self.entity_at[e.start].name in found]
        if before:
            return before[-1], found[before[-1]]
        current = [(name, fact) for name, fact in found.items() if fact.time == "current"]
        return current[0] if len(current) == 1 else None

    # --- resolution ----------------------------------------------------------------------
    def resolve(self) -> list[Role]:
        """Organisations from principals and defaults; repeats merged, the most specific kept."""
        candidates = {f.person for f in self.facts if self.lex.is_kind(f.role.split()[-1], "candidacy")} | {
            k.person for k in self.known if self.lex.is_kind(k.role.split()[-1], "candidacy") and k.time == "current"}
        org_of = {f.person: (f.org, f.org_type) for f in self.facts if f.org and f.time == "current" and f.role != "member"}
        for f in self.facts:
            self.background(f)
            if not (f.org or f.principal) and "campaign" in f.role.split():  # "the campaign chairman, X"
                f.principal = self.campaign_before(self.char_token(f.evidence[0]) or 0)
            if f.principal and not f.org:
                if any(same_person(f.principal, c) and person_key(f.principal)[1] in ("", person_key(c)[1]) for c in candidates) \
                        and not self.personal(f.role):
                    f.org, f.org_type = f"{f.principal} campaign", "ORG"
                elif not self.personal(f.role):
                    f.org, f.org_type = org_of.get(f.principal, (None, None))
            if f.org is None and not f.principal and self.national(f.role):
                f.org = self.country
                f.org_type, f.default_org = ("GPE", True) if f.org else (None, False)
        stated = {(f.person, role_head(f.role)) for f in self.facts if f.org and not f.default_org}
        kept: list[Fact] = []
        for f in self.facts:
            if f.default_org and (f.person, role_head(f.role)) in stated:
                continue
            same = next((k for k in kept if k.person == f.person and role_head(k.role) == role_head(f.role)
                         and same_org(k.org, f.org)), None)
            if same is None:
                kept.append(f)
                continue
            if len(f.role) > len(same.role):  # "Green candidate X" then "Green presidential candidate X"
                same.role = f.role
            if len(f.org or "") > len(same.org or ""):
                same.org, same.org_type = f.org, f.org_type
        return [Role(f.person, f.role, f.org, f.org_type, f.time, Span(*f.evidence, self.text[slice(*f.evidence)]),
                     inferred_from=f.source) for f in kept]

    def background(self, f: Fact) -> None:
        """Organisation and time of a bare title from the background facts ("President Nixon"):
        only what all the facts about that person and role agree on."""
        matching = [k for k in self.known if same_person(k.person, f.person) and role_head(k.role) == role_head(f.role)
                    and person_key(f.person)[1] in ("", person_key(k.person)[1])]
        orgs = {k.organisation for k in matching if k.organisation}
        if f.org is None and not f.principal and len(orgs) == 1 and f.role != "member":
            f.org, f.org_type = orgs.pop(), "ORG"
            f.source = next(k.source for k in matching if k.organisation == f.org)
        if matching and f.time == "current" and all(k.time == "former" for k in matching) \
                and (f.org or "") in ("", *(k.organisation or "" for k in matching)):
            f.time, f.source = "former", f.source or matching[0].source

    # --- organisations from context ----------------------------------------------------------
    def national(self, role: str) -> bool:
        """A role in a country's government ("president", "finance minister"): kg/data/national_roles.tsv."""
        words = role.split()
        return role in self.lex.national_roles or (words[-1] == "minister" and "minister" in self.lex.national_roles)

    def country_of(self, name: str) -> str | None:
        """The country a place or demonym names, in our canonical spelling ("U.S." -> United States)."""
        canonical = self.lex.canonical_place(name)
        if canonical in COUNTRY_ALIASES:
            return canonical
        try:
            pycountry.countries.lookup(name)
        except LookupError:
            return canonical if canonical in self.lex.demonyms.values() and canonical not in BLOCS else None
        return name

    def dominant_country(self) -> str | None:
        """The country the article is mostly about: the one its places, demonyms and (for the United
        States) its state names and party markers name most, if it has at least two mentions and
        twice the next one's."""
        counts: Counter[str] = Counter()
        for ent in self.doc.ents:  # of any label: the small model calls some countries people
            country = self.country_of(ent.text) or (
                "United States" if ent.label_ == "GPE" and ent.text in self.lex.states.values() else None)
            if country:
                counts[country] += 1
        counts["United States"] += len(PARTY_MARKER.findall(self.text))
        ranked = counts.most_common(2)
        if not ranked or ranked[0][1] < 2 or (len(ranked) > 1 and ranked[0][1] < 2 * ranked[1][1]):
            return None
        return ranked[0][0]

    def org_before(self, i: int, anaphor: str) -> tuple[str | None, str | None]:
        """The organisation an anaphor names: "its" the one named last before token i (in this or
        the two sentences before), "the council's" the last one whose name has that noun."""
        sentences = list(self.doc.sents)
        here = next((n for n, s in enumerate(sentences) if s.start <= i < s.end), 0)
        reach = sentences[max(0, here - 2)].start
        for ent in reversed([e for e in self.doc.ents if reach <= e.start < i or (anaphor != "it" and e.start < i)]):
            if ent.label_ != "ORG" or ent.start not in self.orgs:
                continue
            org = self.org_of_entity(self.doc[ent.start])
            if org is None or org[1] == PARTY:
                continue
            if anaphor == "it" or anaphor in org[0].lower().split():
                return org[0], org[1]
        return None, None


COUNTRY_ALIASES = frozenset({"United States", "United Kingdom", "Russia"})
BLOCS = frozenset({"European Union", "Soviet Union"})
