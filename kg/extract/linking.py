"""Statements from tagged spans: each content is linked to a cue, each cue to a source.

Where the rules found the same content, their statement supplies the links (their speaker resolution
is reliable) and the tagger's spans replace theirs, unless the tagged span takes in the statement's
own cue or the rules split the claim around its cue. Otherwise the tree decides: the cue that
governs the content, or the cue inside it ("..., he said, ..."), else the nearest cue in the
sentence; the source is the cue's subject if tagged or parsed, else the nearest tagged source. A
tagged content ends before a verb coordinated with one outside it ("criticized the tolls and then
voted for the budget"), and with the quoted sentence it opens with. A content with no cue or no
speaker in reach is dropped: a guessed or empty speaker was wrong far more often than right on
PolNeAR dev. A question put to the main clause's subject ("Asked about X, Smith said") stands with
no speaker: Smith was asked, and whoever asked is not named. A quotation the tagger left out that
opens a sentence, or follows in a list, after a quoted statement in its paragraph continues that
statement. Contents that share a cue are one statement with several spans. A rule statement reported
inside a claim ("A said B warned that ...") stands beside the tagger's outer one.
"""
from __future__ import annotations

import re
from bisect import bisect_left, bisect_right, insort
from itertools import chain

from spacy.tokens import Token

from ..intervals import Intervals, TakenSpans
from ..model import Span, Statement
from .quotes import QUOTE_MARKS
from .statements import OPENING_QUOTES, SUBJECTS, Clause, StatementFinder
from .tagger import Segment

QUOTATION_LIST = re.compile(r"[\s,;]*(?:and|or)?\s*")  # between quotations in a list: “A,” and “B”


def one_claim(content: Segment) -> Segment:
    """A tagged content without a verb coordinated with one outside it: in "Lee ranted about the toll
    and also hinted she might run", "and also hinted ..." is Lee's next act, not part of the claim.
    A quotation is kept whole."""
    if any(StatementFinder.is_quote_mark(t) for t in content.tokens):
        return content
    for t in content.tokens:
        coordinated = t.dep_ == "conj" and t.pos_ in ("VERB", "AUX") and t.head.i not in content.indices
        if coordinated and t.i > content.root.i:
            kept = [k for k in content.tokens if k.i < t.left_edge.i]
            while kept and (kept[-1].is_punct or kept[-1].dep_ == "cc"):
                kept.pop()
            return Segment("content", kept, content.para) if kept else content
    return content


class Linker:
    def __init__(self, finder: StatementFinder, segments: list[Segment], rules: list[Statement]):
        self.finder = finder
        self.doc = finder.doc
        self.text = finder.text
        self.cues = [s for s in segments if s.kind == "cue"]
        self.sources = [s for s in segments if s.kind == "source"]
        self.contents = [self.quotation_alone(one_claim(s)) for s in segments if s.kind == "content"]
        self.rules = rules
        self.rule_tokens = [self.tokens_of(r.content) for r in rules]
        self.rules_at: dict[int, list[int]] = {}  # token -> the rules whose content holds it
        for k, tokens in enumerate(self.rule_tokens):
            for i in tokens:
                self.rules_at.setdefault(i, []).append(k)
        self.tagged = {"cue": Intervals((s.start, s.end, s) for s in self.cues),  # for overlap queries
                       "source": Intervals((s.start, s.end, s) for s in self.sources)}

    def tokens_of(self, spans: list[Span]) -> set[int]:
        found: set[int] = set()
        for span in spans:
            chars = self.doc.char_span(span.start, span.end, alignment_mode="expand")
            found |= {t.i for t in chars or [] if not t.is_space and not t.is_punct}
        return found

    def run(self) -> list[Statement]:
        statements: list[Statement] = []
        by_cue: dict[tuple, Statement] = {}  # the latest statement of each cue
        taken = TakenSpans()
        for content in self.contents:
            if taken.holds(content.start, content.end):
                continue  # already taken in with the rule statement it belongs to
            statement = self.from_rules(content) or self.from_tree(content)
            if statement is None:
                continue
            key = (statement.cue.start, statement.cue.end, content.para)
            if key in by_cue and self.continues(by_cue[key], content):
                statement = by_cue[key]
                self.extend(statement, self.span_of(content))
                taken.add(content.start, content.end)
            else:
                statements.append(statement)
                by_cue[key] = statement
                for span in statement.content:
                    taken.add(span.start, span.end)
        self.add_floating_quotes(statements)
        self.add_unclaimed_rules(statements)
        return statements

    def continues(self, statement: Statement, content: Segment) -> bool:
        """True for a quotation after a quotation of the same cue in the paragraph, or when only
        the statement's cue and speaker stand between its last span and this content."""
        if statement.content[-1].end > content.start:
            return False
        if statement.kind == "direct" and self.text[content.start:].startswith(OPENING_QUOTES):
            return True
        return self.only_speaker_between(statement, content.start)

    def only_speaker_between(self, statement: Statement, start: int) -> bool:
        """True when only the statement's cue and speaker stand between its last span and `start`."""
        last = statement.content[-1].end
        gap = list(self.text[last:start])
        for span in (statement.cue, statement.mention):
            if span is not None and last <= span.start and span.end <= start:
                gap[span.start - last: span.end - last] = " " * (span.end - span.start)
        return not any(c.isalnum() for c in gap)

    def quotation_alone(self, content: Segment) -> Segment:
        """A content that opens with a whole quoted sentence or clause ends with it: in 'told crowds,
        “I will fix the bridge.” But now she wants ...', what follows the quotation is the writer's."""
        k = bisect_left(self.finder.quote_starts, content.start)
        if k == len(self.finder.quotes) or self.finder.quotes[k][0] != content.start:
            return content
        end = self.finder.quotes[k][1]
        last = self.text[content.start:end].rstrip(QUOTE_MARKS)[-1:]  # “Yes,“ typed for “Yes,”
        if end >= content.end or not last or last not in ".,?!":
            return content
        kept = [t for t in content.tokens if t.idx < end]
        return Segment("content", kept, content.para) if kept else content

    # --- the two ways to link a content ---------------------------------------------------
    def from_rules(self, content: Segment) -> Statement | None:
        words = {t.i for t in content.tokens if not t.is_punct}
        best, best_tokens, overlap = None, set(), 0.0
        for k in sorted({k for i in words for k in self.rules_at.get(i, ())}):
            rule, tokens = self.rules[k], self.rule_tokens[k]
            jaccard = len(words & tokens) / len(words | tokens)
            if jaccard > overlap:
                best, best_tokens, overlap = rule, tokens, jaccard
        if best is None or overlap < 0.5:
            return None
        cue = self.tagged_span("cue", best.cue) or best.cue
        mention = best.mention and (self.tagged_span("source", best.mention) or best.mention)
        split_by_cue = best.kind != "direct" and words <= best_tokens \
            and best.content[0].end <= best.cue.start < best.content[-1].start  # "X, he said, Y": both parts
        holds_its_cue = content.start <= best.cue.start < content.end  # a claim never holds its own cue
        spans = list(best.content) if split_by_cue or holds_its_cue else [self.span_of(content)]
        about = best.about
        if spans != list(best.content):  # the tagger's content: what it is about, over again
            cue_token = self.finder.doc[self.finder.char_token(best.cue.start)]
            about = self.finder.about(spans, Clause(cue_token, cue_token, None, "speech"), best.speaker or "")
        return Statement(best.speaker, best.speaker_type, mention, cue, spans, self.kind(spans), about, best.reporter)

    def from_tree(self, content: Segment) -> Statement | None:
        cue = self.cue_for(content)
        if cue is None:
            return None
        cue_token = cue.root
        spans = [self.span_of(content)]
        if self.put_to_the_subject(cue_token):  # "Asked about X, Smith said": who asked is not named
            clause = Clause(cue_token, cue_token, None, "speech")
            return Statement(None, None, None, self.span_of(cue), spans, self.kind(spans),
                             self.finder.about(spans, clause, ""))
        source = self.source_for(cue, cue_token)
        if source is None:  # who said it is the point: a claim without a speaker is left out
            return None
        name, speaker_type = self.finder.resolve_speaker(source.root, source.tokens)
        clause = Clause(cue_token, cue_token, source.root, "speech")
        about = self.finder.about(spans, clause, name)
        return Statement(name, speaker_type, self.span_of(source), self.span_of(cue), spans, self.kind(spans), about)

    # --- cues and sources -------------------------------------------------------------------
    def cue_for(self, content: Segment) -> Segment | None:
        inside = content.indices
        cues = [c for c in self.cues if not c.indices <= inside]  # a cue within the claim is the claim's
        root = content.root
        ancestors = {a.i: depth for depth, a in enumerate(root.ancestors)}
        governing = [(ancestors[c.root.i], c) for c in cues if c.root.i in ancestors]
        if governing:
            return min(governing, key=lambda x: x[0])[1]
        for cue in cues:  # "..., he said, ..." hangs the cue inside the content's tree
            if any(a.i in inside for a in cue.root.ancestors) and cue.para == content.para:
                return cue
        sentences = {t.sent.start for t in content.tokens}
        near = [c for c in cues if c.tokens[0].sent.start in sentences or
                (c.para == content.para and abs(c.tokens[0].sent.start - root.sent.start) <= 60)]
        if not near:
            return None
        return min(near, key=lambda c: min(abs(c.start - content.start), abs(c.start - content.end)))

    @staticmethod
    def put_to_the_subject(cue_token: Token) -> bool:
        """A participle without a subject of its own before the main clause ("Asked about X, ...",
        "Pressed on Y, ..."): the main clause's subject was asked, not the one asking."""
        return cue_token.tag_ == "VBN" and cue_token.dep_ == "advcl" and cue_token.i < cue_token.head.i \
            and not any(c.dep_ in SUBJECTS for c in cue_token.children)

    def source_for(self, cue: Segment, cue_token: Token) -> Segment | None:
        subject = self.finder.subject_of(cue_token)
        if subject is not None:
            tagged = next((s for s in self.sources if subject.i in s.indices), None)
            if tagged is not None:
                return tagged
            if self.finder.can_speak(subject):
                return Segment("source", self.finder.mention_tokens(subject), cue.para)
        same_sentence = [s for s in self.sources if s.tokens[0].sent.start == cue_token.sent.start]
        if not same_sentence:
            return None
        return min(same_sentence, key=lambda s: abs(s.start - cue.start))

    def tagged_span(self, kind: str, span: Span) -> Span | None:
        """The earliest tagged segment of that kind that overlaps a rule's span, as the tagger drew it."""
        segment = min(self.tagged[kind].overlapping(span.start, span.end), key=lambda s: s.start, default=None)
        return self.span_of(segment) if segment else None

    def add_floating_quotes(self, statements: list[Statement]) -> None:
        """A quotation nobody claims, with no cue of its own, continues the quoted statement
        before it in its paragraph, or in the paragraph before when it stands alone, if it opens
        a sentence, follows in a list (“A,” and “B”) or only the statement's cue and speaker stand
        between them. A quoted phrase inside a sentence or in a speaker's description ('a farmer
        who stood in an "endless line"') is not a continuation."""
        claimed = Intervals((a, b, None) for a, b in chain(  # contents, cues and speakers
            ((c.start, c.end) for s in statements for c in s.content),
            ((c.start, c.end) for c in self.cues + self.sources),
            ((s.mention.start, s.mention.end) for s in statements if s.mention)))
        quoted = [s for s in statements if s.kind == "direct"]
        ends = sorted((s.content[-1].end, -k) for k, s in enumerate(quoted))  # where each ends so far
        for start, end in self.finder.quotes:
            if claimed.overlapping(start, end):
                continue
            para_start = self.text.rfind("\n", 0, start) + 1
            previous = self.last_visible(start, para_start)  # before para_start: it opens its paragraph
            alone = previous < para_start
            reach = self.text.rfind("\n", 0, max(para_start - 1, 0)) + 1 if alone else para_start
            j = bisect_right(ends, (start, 0)) - 1
            while j >= 0 and ends[j][0] > reach:  # the one ending last before it, within reach
                if quoted[-ends[j][1]].content[-1].start >= reach:
                    break
                j -= 1
            else:
                continue
            statement = quoted[-ends[j][1]]
            listed = QUOTATION_LIST.fullmatch(self.text, statement.content[-1].end, start)
            opens_sentence = alone or self.ends_a_sentence(previous, para_start)
            if opens_sentence or listed or self.only_speaker_between(statement, start):
                self.extend(statement, Span(start, end, self.text[start:end]))
                insort(ends, (end, ends.pop(j)[1]))

    def extend(self, statement: Statement, span: Span) -> None:
        """One more part of a statement's content, and whom it is about too."""
        statement.content.append(span)
        statement.kind = self.kind(statement.content)
        tokens = self.finder.doc.char_span(span.start, span.end, alignment_mode="expand")
        if tokens is not None:
            referred = self.finder.actors.referred(tokens.start, tokens.end, statement.speaker or "", self.finder.in_quote)
            statement.about += [name for name in referred if name not in statement.about]

    def last_visible(self, offset: int, floor: int) -> int:
        """Where the last character before `offset` that is not a space is; floor - 1 if none is."""
        i = offset - 1
        while i >= floor and self.text[i].isspace():
            i -= 1
        return i

    def ends_a_sentence(self, i: int, floor: int) -> bool:
        """True when the character at `i` ends a sentence or a quotation (“A.” “B.”, ''A.'' ''B.''),
        not when it is an apostrophe ('the Smiths’ “Project Bridge”')."""
        if self.text[i] in "'’":
            return i > floor and self.text[i - 1] in ".?!,'’"
        return self.text[i] in ".?!:\"”"

    def add_unclaimed_rules(self, statements: list[Statement]) -> None:
        """The rules' statements whose content the tagger left untouched stand as the rules found them,
        and so does a statement reported inside another's claim ("A said B warned that ..."), where
        the tagger, trained on a corpus that never nests, keeps only the outer one."""
        claimed = Intervals((c.start, c.end, (c.start, c.end)) for s in statements for c in s.content)
        for rule, tokens in zip(self.rules, self.rule_tokens):
            overlapping = {span for c in rule.content for span in claimed.overlapping(c.start, c.end)}
            nested = overlapping and all(a <= rule.cue.start < b and all(a <= c.start and c.end <= b for c in rule.content)
                                         for a, b in overlapping)
            if not overlapping or nested and self.is_clause(tokens):
                statements.append(rule)

    def is_clause(self, tokens: set[int]) -> bool:
        """A claim with a verb of its own, not a bare phrase ("expressed concerns of the allies")."""
        return any(self.doc[i].pos_ in ("VERB", "AUX") for i in tokens)

    # --- helpers ----------------------------------------------------------------------------
    def span_of(self, segment: Segment) -> Span:
        return Span(segment.start, segment.end, self.text[segment.start:segment.end])

    def kind(self, spans: list[Span]) -> str:
        if all(s.text.startswith(OPENING_QUOTES) for s in spans):
            return "direct"
        return "mixed" if any(self.finder.overlaps_quote((s.start, s.end)) for s in spans) else "indirect"
