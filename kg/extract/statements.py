"""The attribution rules: who said what about whom, from the dependency tree and quotation marks.

A cue is a verb from the cue lexicon (say, warn, accuse, believe, ...), a verb + object phrase
("expressed concern", "made it clear") or "according to". Its speaker is the grammatical subject
(inverted "said X" too, and the antecedent of "who" in a relative clause); its content is the
quotation next to the clause, else the complement clause, else the object ("accuses X of Y").
Pronoun speakers resolve to the last person named as a subject before them ("it": the last organisation).
"""
from __future__ import annotations

import re
from bisect import bisect_left, bisect_right
from dataclasses import dataclass

from spacy.tokens import Doc, Token

from ..model import Entity, Span, Statement
from .actors import Actors, name_head
from .lexicon import lexicon
from .text import text_of
from .quotes import QUOTE_MARKS, find_quotes

PRONOUNS = {"he", "she", "him", "her"}
NOT_SPEAKERS = {"it", "this", "that", "which", "what", "there", "these", "those"}
RELATIVES = {"who", "that", "which"}
SUBJECTS = ("nsubj", "nsubjpass")
OBJECTS = ("dobj", "dative", "oprd", "attr", "prep", "xcomp", "ccomp", "advcl")
SET_OFF = {",", "—", "–"}
ATTACHED = ("prep", "relcl", "acl", "advcl")  # phrases and clauses that tell more about a noun
OPENING_QUOTES = tuple("\"“‘'«„")
CONTENT_PREPS = {"of", "about", "over", "on", "against", "that", "for", "to"}
# What may stand between a quotation and its clause (matched whole, up to a line break)
BETWEEN_QUOTE_AND_CLAUSE = re.compile(r"[ \t\u00a0,:;—–-]*\n?")
INTRODUCED_BY_COLON = re.compile(r"[^\n\"“”]{0,60}:[ \t\u00a0]*\n?")  # "said in a tweet: “...”"
# A transcript's turn: a paragraph that opens with the speaker's name in capitals and a colon
TRANSCRIPT_TURN = re.compile(r"^[ \t\"“]*((?:[A-Z][A-Z'’.-]+ ){0,2}[A-Z][A-Z'’-]+):[ \t]+(?=\S)", re.M)
NOT_SPEAKER_LABELS = {"UPDATE", "BREAKING", "NOTE", "CORRECTION", "WATCH", "READ", "RELATED", "VIDEO",
                      "PHOTOS", "MORE", "ALSO", "EXCLUSIVE", "ANALYSIS", "OPINION", "SOURCE", "SOURCES"}
# A line that credits what follows its colon: the headline "Sanders: Brexit could help Trump", or a
# paragraph "Rep. Ann Lee (R-Ohio): “...”" that opens a quotation
HEADLINE_CREDIT = re.compile(r"\A\s*([A-Z][^:\n\"“”]{1,60}?):[ \t]+(\S(?:[^\n]*\S)?)[ \t]*$", re.M)
LABELLED_QUOTE = re.compile(r"^[ \t]*([A-Z][^:\n\"“”]{1,60}?):[ \t]*(?=[\"“])", re.M)
# A quotation credited after a dash, as pull quotes and readers' replies are: “...” ― Ana Ruiz, Texas
DASH_CREDIT = re.compile(r"[ \t\u00a0]*(―|—|--)[ \t\u00a0]*([A-Z][^\n,;()]{1,60}?)[ \t\u00a0]*(?=,|\n|$)")


@dataclass
class Clause:
    """A cue with its speaker, before content is found."""
    cue: Token
    cue_end: Token
    subject: Token | None
    cls: str
    phrase_object: Token | None = None


class StatementFinder:
    def __init__(self, doc: Doc):
        self.doc = doc
        self.text = text_of(doc)
        self.quotes = find_quotes(self.text)
        self.quote_starts = [s for s, _ in self.quotes]
        self.lex = lexicon()
        self.entity_at: dict[int, Entity] = doc._.kg_entity_at
        self.actors = Actors(doc)
        self.speakers: list[tuple[int, str]] = []  # (token, name) of each person credited so far

    def run(self) -> list[Statement]:
        found: list[tuple[Statement, set[int]]] = []  # each with its content token indices
        according = []
        for token in self.doc:
            if token.lower_ == "according" and token.i + 1 < len(self.doc) and self.doc[token.i + 1].lower_ == "to":
                according.append(token)
            if self.in_quote(token.idx):
                continue
            clause = self.verb_cue(token)
            if clause is not None:
                statement = self.statement(clause)
                if statement is not None:
                    found.append(statement)
        for token in according:  # after the verb cues: "according to" may name their reporter
            self.according_to(token, found)
        found += self.dash_credits(found)
        found += self.transcript_turns(found)
        found += self.labelled_lines(found)
        return sorted(dedupe([s for s, _ in found]), key=lambda s: s.content[0].start)

    # --- cues ---------------------------------------------------------------------------
    def verb_cue(self, token: Token) -> Clause | None:
        if token.pos_ not in ("VERB", "AUX") or token.dep_ in ("amod", "compound"):
            return None
        lemma = token.lemma_.lower()
        objects = self.lex.cue_phrases.get(lemma)
        if objects:
            for child in token.children:
                if child.lower_ in objects or child.lemma_.lower() in objects:
                    end = child if child.i > token.i else token
                    return Clause(token, end, self.subject_of(token), "phrase", child)
        cls = self.lex.cue_verbs.get(lemma)
        if cls is None:
            return None
        return Clause(token, token, self.subject_of(token), cls)

    def subject_of(self, verb: Token) -> Token | None:
        for child in verb.children:
            if child.dep_ in SUBJECTS and not self.in_quote(child.idx):  # never a word of the quotation
                return child
            if child.dep_ == "agent":
                return next((c for c in child.children if c.dep_ == "pobj"), None)
        before = verb.doc[verb.i - 1] if verb.i > 0 else None
        if before is not None and before.is_punct and self.in_quote(before.idx - 1):
            inverted = self.inverted_speaker(verb)
            if inverted is not None:
                return inverted
        if verb.dep_ in ("conj", "xcomp") and verb.head.pos_ in ("VERB", "AUX"):
            return self.subject_of(verb.head)
        if verb.dep_ == "pcomp" and verb.head.dep_ == "prep" and verb.head.head.pos_ in ("VERB", "AUX"):
            return self.subject_of(verb.head.head)  # "... before saying, “...”"
        if verb.tag_ == "VBG" and verb.head.i != verb.i:  # "..., saying", "Clinton, citing ..."
            if verb.dep_ == "advcl" and verb.head.pos_ in ("VERB", "AUX"):
                return self.subject_of(verb.head)
            if verb.dep_ == "acl" and verb.head.pos_ == "PROPN":
                return verb.head
        return None

    @staticmethod
    def inverted_speaker(verb: Token) -> Token | None:
        """The speaker after a cue that follows its quotation, where the parser took it for an object
        ("“Is he running?” asked Mr. Manafort") or for the subject of a clause ("said one Republican
        involved in the planning")."""
        first = next(verb.rights, None)
        if first is None:
            return None
        if first.dep_ in ("dobj", "dative") and first.pos_ == "PROPN":
            return first
        if first.dep_ in ("ccomp", "xcomp"):
            subject = next((c for c in first.children if c.dep_ in SUBJECTS), None)
            if subject is not None and subject.left_edge.i == verb.i + 1 and subject.pos_ in ("PROPN", "NOUN"):
                return subject
        return None

    # --- one statement ------------------------------------------------------------------
    def statement(self, clause: Clause) -> tuple[Statement, set[int]] | None:
        subject = clause.subject
        if subject is None or not self.can_speak(subject):
            return None
        mention = self.mention_tokens(subject)
        cue = self.cue_span(clause)
        start = min(mention[0].idx, cue.start)
        end = max(mention[-1].idx + len(mention[-1]), cue.end)
        spans = self.adjacent_quotes(start, end)
        tokens: set[int] = set()
        if spans:
            kind = "direct"
        else:
            tokens = self.content_tokens(clause, mention)
            if not tokens:
                return None
            spans = self.token_spans(tokens)
            kind = "mixed" if any(self.overlaps_quote(s) for s in spans) else "indirect"
        name, speaker_type = self.resolve_speaker(subject, mention)
        if speaker_type == "PERSON":
            self.speakers.append((subject.i, name))
        phrase = self.speaker_phrase(subject, mention, clause.cue)
        speaker_span = self.span(phrase[0].idx, phrase[-1].idx + len(phrase[-1]))
        content = [self.span(s, e) for s, e in spans]
        about = self.about(content, clause, name)
        return Statement(name, speaker_type, speaker_span, cue, content, kind, about), tokens

    def speaker_phrase(self, subject: Token, mention: list[Token], cue: Token) -> list[Token]:
        """The speaker as annotators draw it: the subject's whole phrase ("Doyle, whose state is a
        target", "the head of the agency, appearing on Fox News"), never over the cue. The name is
        resolved from the mention alone, so that a name in the phrase is not taken for the speaker's."""
        last = mention[-1].i
        for child in subject.rights:
            if child.i > last and not child.left_edge.i <= cue.i <= child.right_edge.i:
                last = child.right_edge.i
        while last > mention[-1].i and (self.doc[last].is_punct or self.doc[last].is_space):
            last -= 1
        return list(self.doc[mention[0].i: last + 1])

    def cue_span(self, clause: Clause) -> Span:
        """The cue with its auxiliaries ("had stated"), through the object of a phrase cue."""
        first = min((c for c in clause.cue.children if c.dep_ in ("aux", "neg") and c.i < clause.cue.i),
                    key=lambda t: t.i, default=clause.cue)
        last = clause.cue_end
        return self.span(first.idx, last.idx + len(last))

    def mention_tokens(self, subject: Token) -> list[Token]:
        """The words that name the subject: without the phrases and clauses attached to it (but
        with "named X") or trailing punctuation."""
        end = subject.i
        for child in subject.rights:
            if child.dep_ in ATTACHED and not names_it(child):
                break
            if child.dep_ != "punct":
                end = child.right_edge.i
        tokens = list(self.doc[subject.left_edge.i: end + 1])
        while len(tokens) > 1 and (tokens[-1].is_punct or tokens[-1].is_space):
            tokens.pop()
        while len(tokens) > 1 and (tokens[0].is_punct or tokens[0].is_space):
            tokens.pop(0)
        return tokens

    def content_tokens(self, clause: Clause, mention: list[Token]) -> set[int]:
        cue = clause.cue
        excluded = {t.i for t in mention} | {cue.i}
        phrase = clause.phrase_object
        heads = [c for c in cue.children if (c.dep_ == "ccomp" or c.dep_ in ("dep", "parataxis") and c.i < mention[0].i)
                 and (phrase is None or c.i != phrase.i)]
        if phrase is not None:
            heads += [c for c in phrase.children if c.dep_ in ("ccomp", "prep", "acl", "advcl")]
        if not heads:
            heads = [t.head for t in cue.subtree if t.lower_ == "that" and self.misread_as_relative(t, cue)][:1]
        if not heads and clause.cls in ("speech", "naming"):
            objects = [c for c in cue.children if c.dep_ in OBJECTS and c.i > cue.i]
            if objects and objects[0].dep_ == "prep" and objects[0].lower_ not in CONTENT_PREPS:
                objects = []
            if clause.cls == "naming" and not any(c.dep_ == "oprd" for c in objects):
                objects = []
            heads = objects
        if not heads:
            mark = next((t for t in cue.subtree if t.i > cue.i and t.dep_ == "mark" and t.lower_ == "that"), None)
            heads = [mark.head] if mark is not None and mark.head.i > cue.i else []
        tokens: set[int] = set()
        if not heads and (self.is_parenthetical(cue) or self.is_as_clause(cue)):
            # "The plan, she said, would cost billions", "As Comey noted, the case ...": the claim is
            # the clause around the cue
            tokens = {t.i for t in cue.head.subtree} - {t.i for t in cue.subtree} \
                - {c.i for c in cue.head.children if c.dep_ == "cc" and c.i < cue.i}  # "But as X noted, ..."
        for head in heads:
            tokens |= {t.i for t in head.subtree}
        for t in list(tokens):  # "..., according to Sullivan" is the reporter, not content
            token = self.doc[t]
            if token.lower_ == "according" and token.dep_ == "prep":
                tokens -= {x.i for x in token.subtree}
        tokens -= excluded
        tokens = {t for t in tokens if not self.doc[t].is_space}
        return self.trim(tokens)

    @staticmethod
    def misread_as_relative(that: Token, cue: Token) -> bool:
        """"said during the debate that he ...": a that-clause after the cue's prepositional phrase,
        parsed as a relative clause of the phrase's noun although it has a subject of its own."""
        clause, noun = that.head, that.head.head
        return clause.dep_ == "relcl" and noun.dep_ == "pobj" and noun.head.head in (cue, *cue.children) \
            and that.i < clause.i and any(c.dep_ in SUBJECTS and c != that for c in clause.children)

    @staticmethod
    def is_parenthetical(cue: Token) -> bool:
        """A cue set off by commas or dashes inside the clause it reports ("X, he said, Y")."""
        if cue.dep_ != "parataxis" or cue.head.pos_ not in ("VERB", "AUX") or cue.head.i < cue.i:
            return False
        first = cue.left_edge
        return first.text in SET_OFF or first.i > 0 and cue.doc[first.i - 1].text in SET_OFF

    @staticmethod
    def is_as_clause(cue: Token) -> bool:
        """"As Comey noted, ...": a cue in an as-clause reports the clause it hangs on."""
        first = cue.left_edge
        if cue.dep_ != "advcl" or first.lower_ != "as" or first.dep_ != "mark" or first.head != cue:
            return False
        before = cue.doc[first.i - 1] if first.i > 0 else None  # not a comparison: "as much as he hoped"
        return before is None or first.is_sent_start or before.text in SET_OFF or before.dep_ == "cc"

    def trim(self, tokens: set[int]) -> set[int]:
        ordered = sorted(tokens)
        while ordered and self.doc[ordered[0]].is_punct and not self.is_quote_mark(self.doc[ordered[0]]):
            ordered.pop(0)
        while ordered and self.doc[ordered[-1]].is_punct and not self.is_quote_mark(self.doc[ordered[-1]]):
            ordered.pop()
        return set(ordered)

    @staticmethod
    def is_quote_mark(token: Token) -> bool:
        return len(token.text) == 1 and token.text in QUOTE_MARKS

    def token_spans(self, tokens: set[int]) -> list[tuple[int, int]]:
        """Character spans of runs of consecutive tokens."""
        spans: list[list[int]] = []
        for i in sorted(tokens):
            token = self.doc[i]
            if spans and spans[-1][2] == i - 1:
                spans[-1][1], spans[-1][2] = token.idx + len(token), i
            else:
                spans.append([token.idx, token.idx + len(token), i])
        return [(s, e) for s, e, _ in spans]

    def adjacent_quotes(self, start: int, end: int) -> list[tuple[int, int]]:
        """The quotation right before the clause and the one right after it. Quotations are sorted
        and disjoint, so only the nearest on each side can qualify: a farther one would have the
        nearer one between it and the clause."""
        text, quotes = self.text, self.quotes
        k = bisect_right(self.quote_starts, start) - 1
        if k >= 0 and quotes[k][1] > start:  # the clause starts inside it
            k -= 1
        before = [quotes[k]] if k >= 0 and BETWEEN_QUOTE_AND_CLAUSE.fullmatch(text, quotes[k][1], start) \
            and not self.names_a_title(quotes[k]) else []
        k = bisect_left(self.quote_starts, end)
        if k == len(quotes):
            return before
        q_start = quotes[k][0]
        gap = BETWEEN_QUOTE_AND_CLAUSE.fullmatch(text, end, q_start) \
            or INTRODUCED_BY_COLON.fullmatch(text, end, q_start)
        after = [quotes[k]] if gap and (gap.group().strip() or not before) else []
        return before + after

    def names_a_title(self, quote: tuple[int, int]) -> bool:
        """'On “Fox News Sunday,” Pence said': a quotation right after a preposition or a possessive
        is the name of a show or a book, not what the speaker said."""
        i = self.char_token(quote[0])
        return i > 0 and (self.doc[i - 1].pos_ == "ADP" or self.doc[i - 1].tag_ == "POS")

    def in_quote(self, offset: int) -> bool:
        k = bisect_right(self.quote_starts, offset) - 1  # quotations are sorted and disjoint
        return k >= 0 and offset < self.quotes[k][1] - 1 and self.quotes[k][0] < offset

    def overlaps_quote(self, span: tuple[int, int]) -> bool:
        return any(s < span[1] and span[0] < e for s, e in self.quotes)

    # --- speakers and targets -----------------------------------------------------------
    @staticmethod
    def can_speak(subject: Token) -> bool:
        return subject.lower_ not in NOT_SPEAKERS or subject.head.dep_ == "relcl"

    def resolve_speaker(self, subject: Token, mention: list[Token]) -> tuple[str, str | None]:
        if subject.lower_ in RELATIVES and subject.head.dep_ == "relcl":  # "Smith, who said ..."
            antecedent = subject.head.head
            return self.resolve_speaker(antecedent, self.mention_tokens(antecedent))
        entity = self.entity_at.get(subject.i)
        if entity is not None and entity.type == "NORP":  # "Democrats said": the party; "the Italian": no one named
            party = self.lex.parties.get(entity.name.lower().removeprefix("the "))
            return (party, "ORG") if party else (self.text[mention[0].idx: mention[-1].idx + len(mention[-1])], None)
        if entity is None and (named := self.actors.named_beside(subject)) is not None:
            return named.name, named.type  # "The chief inspector, Charles Whitby,"; "critics, like Ann Lee"
        if entity is None and (org := self.actors.person_org(subject)) is not None:
            return org, "ORG"
        if entity is None and (person := self.actors.described_person(subject)) is not None:
            return person, "PERSON"  # "the GOP nominee": a person, whatever the words before name
        if entity is None:  # "Jake Sullivan, the adviser"; not "the Democratic senator"
            named = [self.entity_at[t.i] for t in mention if t.i in self.entity_at and not self.attached(t, subject)
                     and not (subject.pos_ == "NOUN" and modifies(t, subject)) and not is_conjunct(t)]
            named = [e for e in named if e.type in ("PERSON", "ORG")]
            entity = next((e for e in reversed(named) if e.type == "PERSON"), named[-1] if named else None)
        if entity is not None:
            return entity.name, entity.type
        if subject.lower_ in PRONOUNS or subject.lower_ == "it":  # "It said": an organisation
            antecedent = self.actors.pronoun(subject, speakers=self.speakers)
            if antecedent is not None:
                return antecedent.name, antecedent.type
        if subject.lower_ in ("it", "they") and (earlier := self.earlier_speaker(subject)) is not None:
            return earlier
        described = self.actors.description(subject) or self.actors.unrecognised_name(name_words(subject))
        if described is not None:
            return described
        return self.text[mention[0].idx: mention[-1].idx + len(mention[-1])], None

    @staticmethod
    def attached(token: Token, subject: Token) -> bool:
        """True for a word in a phrase or clause attached to the subject ("Advisers to Mr. Rubio",
        "the aide who works for Ms. Lee"): a name there is not the speaker's."""
        while token.i != subject.i and token.head.i != token.i:
            if token.dep_ in ATTACHED and not names_it(token):
                return True
            token = token.head
        return False

    def earlier_speaker(self, pronoun: Token) -> tuple[str, str | None] | None:
        """"The ministry said ... It added", "Democrats said ... They added": the last speaker before
        the pronoun that it can stand for (described, for "it"; plural, for "they")."""
        plural = pronoun.lower_ == "they"
        for token in reversed(self.doc[max(0, pronoun.sent.start - 60): pronoun.i]):
            if token.dep_ not in SUBJECTS or token.head.lemma_.lower() not in self.lex.cue_verbs:
                continue
            if (plural and token.tag_ in ("NNS", "NNPS")) or \
                    (not plural and token.tag_ == "NN" and token.i not in self.entity_at):
                entity = self.entity_at.get(token.i)
                if entity is not None:
                    return entity.name, entity.type
                mention = self.mention_tokens(token)
                return self.text[mention[0].idx: mention[-1].idx + len(mention[-1])], None
        return None

    def about(self, content: list[Span], clause: Clause, speaker: str) -> list[str]:
        """The entities named in the content or in the addressee ("warned Putin"), in order."""
        ranges = [(c.left_edge.i, c.right_edge.i + 1) for c in clause.cue.children if c.dep_ in ("dobj", "dative")
                  and clause.cue.lemma_.lower() in self.lex.target_cues]
        for span in content:
            tokens = self.doc.char_span(span.start, span.end, alignment_mode="expand")
            if tokens is not None:
                ranges.append((tokens.start, tokens.end))
        names: list[str] = []
        for start, end in ranges:
            names += [n for n in self.actors.referred(start, end, speaker, self.in_quote) if n not in names]
        return names

    def according_to(self, token: Token, found: list[tuple[Statement, set[int]]]) -> None:
        """"according to X": X is the speaker, or the reporter of a statement in that clause."""
        to = self.doc[token.i + 1]
        source = next((c for c in to.children if c.dep_ == "pobj"), None)
        if source is None:
            return
        mention = self.mention_tokens(source)
        skip = {t.i for t in token.subtree}
        comma = next((t for t in self.doc[source.i + 1: token.sent.end] if t.text == ","), None) \
            if token.i == token.sent.start else None
        if comma is not None:  # "According to X, Y" opening a sentence: Y is never part of X
            mention = [t for t in mention if t.i < comma.i]
            skip = set(range(token.i, comma.i + 1))
        name, speaker_type = self.resolve_speaker(source, mention)
        clause = token.head
        for statement, tokens in found:
            if clause.i in tokens or clause.idx == statement.cue.start:
                statement.reporter = name
                return
        text = self.text
        para_start = text.rfind("\n", 0, token.idx) + 1
        para_end = text.find("\n", token.idx) % (len(text) + 1)
        tokens = self.trim({t.i for t in token.sent if t.i not in skip and not t.is_space
                            and para_start <= t.idx < para_end})
        if not tokens:
            return
        cue = self.span(token.idx, to.idx + len(to))
        speaker_span = self.span(mention[0].idx, mention[-1].idx + len(mention[-1]))
        content = [self.span(s, e) for s, e in self.token_spans(tokens)]
        kind = "mixed" if any(self.overlaps_quote((c.start, c.end)) for c in content) else "indirect"
        clause_info = Clause(token, to, source, "speech")
        found.append((Statement(name, speaker_type, speaker_span, cue, content, kind,
                                self.about(content, clause_info, name)), tokens))

    def dash_credits(self, found: list[tuple[Statement, set[int]]]) -> list[tuple[Statement, set[int]]]:
        """Quotations credited after a dash to a name that ends the line or comes before a comma."""
        claimed = claimed_spans(found)
        credited = []
        for start, end in self.quotes:
            match = DASH_CREDIT.match(self.text, end)
            if match is None or overlaps_any((start, end), claimed):
                continue
            entity = self.entity_at.get(self.char_token(match.start(2)))
            name, speaker_type = (entity.name, entity.type) if entity else (match.group(2), None)
            credited.append(self.verbatim(name, speaker_type, match.span(2), match.span(1), (start, end)))
        return credited

    def transcript_turns(self, found: list[tuple[Statement, set[int]]]) -> list[tuple[Statement, set[int]]]:
        """"PENCE: Gennifer Flowers will not be attending ...": each turn of a transcript, in an
        article with at least two of them, is the named speaker's verbatim to the paragraph's end."""
        turns = [m for m in TRANSCRIPT_TURN.finditer(self.text) if m.group(1) not in NOT_SPEAKER_LABELS]
        if len(turns) < 2:
            return []
        claimed = claimed_spans(found)
        people = {e.name.split()[-1].upper(): e for e in self.doc._.kg_entities or [] if e.type == "PERSON"}
        statements = []
        for turn in turns:
            start = turn.end()
            end = self.text.find("\n", start) % (len(self.text) + 1)  # the paragraph's end
            end = start + len(self.text[start:end].rstrip())
            if overlaps_any((start, end), claimed):
                continue
            label = turn.group(1)
            person = people.get(label.split()[-1])
            name, speaker_type = (person.name, "PERSON") if person else (label.title(), "PERSON")
            statements.append(self.verbatim(name, speaker_type, turn.span(1), (turn.end(1), turn.end(1) + 1),
                                            (start, end)))
        return statements

    def labelled_lines(self, found: list[tuple[Statement, set[int]]]) -> list[tuple[Statement, set[int]]]:
        """A headline "Name: claim" and a paragraph "Name: “quotation”", where the label names
        someone: the claim is theirs."""
        claimed = claimed_spans(found)
        lines = []
        quote_at = {start: (start, end) for start, end in self.quotes}
        for match in LABELLED_QUOTE.finditer(self.text):
            if match.end() in quote_at:
                lines.append((match.span(1), quote_at[match.end()]))
        headline = HEADLINE_CREDIT.match(self.text)  # after the quotations: a quoted headline is one
        if headline is not None and not headline.group(2).endswith("?"):
            lines.append((headline.span(1), headline.span(2)))
        statements = []
        for label, content in lines:
            named = self.named_in(*label)
            if named is None or overlaps_any(content, claimed):
                continue
            kind = "direct" if self.text.startswith(OPENING_QUOTES, content[0]) else "indirect"
            statements.append(self.verbatim(*named, label, (label[1], label[1] + 1), content, kind))
            claimed.append(content)
        return statements

    def named_in(self, start: int, end: int) -> tuple[str, str] | None:
        """The person (else the organisation) a short label names, if it names one; not the one a
        letter is addressed to ("Dear Senator Lee:")."""
        tokens = self.doc.char_span(start, end, alignment_mode="expand")
        if tokens is None or len(tokens.text.split()) > 6 or tokens.text.upper() in NOT_SPEAKER_LABELS \
                or tokens[0].lower_ == "dear":
            return None
        named = [self.entity_at[t.i] for t in tokens if t.i in self.entity_at]
        named = [e for e in named if e.type in ("PERSON", "ORG")]
        entity = next((e for e in named if e.type == "PERSON"), named[0] if named else None)
        return (entity.name, entity.type) if entity else None

    def verbatim(self, name: str, speaker_type: str | None, mention: tuple[int, int], cue: tuple[int, int],
                 content: tuple[int, int], kind: str = "direct") -> tuple[Statement, set[int]]:
        """A statement the layout gives (a dash credit, a transcript turn, a labelled line): character
        spans, no clause."""
        first = self.doc[self.char_token(mention[0])]
        spans = [self.span(*content)]
        about = self.about(spans, Clause(first, first, None, "speech"), name)
        return Statement(name, speaker_type, self.span(*mention), self.span(*cue), spans, kind, about), set()

    def char_token(self, offset: int) -> int:
        span = self.doc.char_span(offset, offset + 1, alignment_mode="expand")
        return span.start if span is not None else -1

    def span(self, start: int, end: int) -> Span:
        return Span(start, end, self.text[start:end])


def modifies(token: Token, noun: Token) -> bool:
    """A name that only qualifies a common noun ("E.U. leaders", "Clinton supporters", "Obama's
    veto"): those people or things are not the named actor."""
    while token.head.i != noun.i and token.dep_ in ("compound", "flat") and token.head.i != token.i:
        token = token.head
    return token.head.i == noun.i and token.dep_ in ("compound", "poss", "amod", "nmod")


def is_conjunct(token: Token) -> bool:
    """A name after the first of a list ("Ann Lee and Bob Marsh"): the list is credited to its first."""
    return name_head(token).dep_ == "conj"


def name_words(subject: Token) -> list[Token]:
    """The subject with the words of its name ("Suresh Deshpande", not ", the director")."""
    return [t for t in subject.subtree if t.i == subject.i or (t.head.i == subject.i and t.dep_ in ("compound", "flat"))]


def names_it(clause: Token) -> bool:
    """"a farmer named Ann Lee": the clause gives the noun's name."""
    return clause.dep_ == "acl" and clause.lemma_.lower() == "name"


def dedupe(statements: list[Statement]) -> list[Statement]:
    seen, kept = set(), []
    for statement in statements:
        key = tuple((s.start, s.end) for s in statement.content)
        if key not in seen:
            seen.add(key)
            kept.append(statement)
    return kept


def claimed_spans(found: list[tuple[Statement, set[int]]]) -> list[tuple[int, int]]:
    """The content spans of the statements found so far."""
    return [(c.start, c.end) for s, _ in found for c in s.content]


def overlaps_any(span: tuple[int, int], spans: list[tuple[int, int]]) -> bool:
    return any(start < span[1] and span[0] < end for start, end in spans)
