"""kg_entities: named entities with canonical names, resolved within the article.

People: "Biden", "President Biden", "Joe Biden" and "Joseph R. Biden, Jr." are one PERSON named by
the fullest form the article writes. Two names are the same person when their surnames agree and
their first names agree after nicknames ("Joe" = "Joseph") or one is an initial; "Bill Clinton" and
"Hillary Clinton" stay apart. A bare surname goes to the full name the article gives with that
surname; when it gives several, the title decides ("President Clinton" is whichever of them holds
that role in the background facts, kg/background.py), then the most frequent. A surname the article
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
from ..names import HONORIFIC_GENDER, HONORIFICS, SUFFIXES, name_gender, person_key, same_person  # noqa: F401
from .lexicon import lexicon, read_rows
from .text import text_of

TYPES = ("PERSON", "ORG", "GPE", "NORP")
ACRONYM = re.compile(r"((?:[A-Z][\w'’.&-]*[ \u00a0]+(?:(?:of|for|to|and|the|on|in)[ \u00a0]+)*)+)\(([A-Z]{2,8})\)")
POSSESSIVE = ("'s", "’s", "'", "’")
SMALL_WORDS = {"a", "an", "the", "and", "or", "but", "nor", "of", "in", "on", "at", "to", "for", "by", "with",
               "from", "as", "vs", "vs.", "via", "into", "over", "up", "off"}  # lower case in a title-case line
Doc.set_extension("kg_entities", default=None, force=True)
Doc.set_extension("kg_entity_at", default=None, force=True)  # token index -> Entity


def is_title_word(word: str) -> bool:
    lex = lexicon()
    word = word.lower()
    return (word in lex.role_heads or word in lex.role_modifiers or word in lex.role_means
            or word.rstrip(".") in HONORIFICS or word in lex.time_words)


def name_tokens(span: SpacySpan) -> list[Token]:
    """The tokens of a PERSON mention that are the name: no leading titles or articles, no possessive."""
    tokens = [t for t in span if t.text not in POSSESSIVE and not t.is_space]
    while len(tokens) > 1 and (is_title_word(tokens[0].text) or not tokens[0].text[0].isalpha()
                               or tokens[0].lower_ in ("a", "an", "the")):
        tokens.pop(0)
    return tokens


def add_designator_ruler(nlp: Language) -> None:
    """spaCy's entity ruler after the recogniser: proper nouns ending in an organisation's designator
    (kg/data/org_designators.tsv) are an organisation, over what the recogniser found there."""
    if "ner" not in nlp.pipe_names:
        return
    designators = [row[0] for row in read_rows("org_designators.tsv")]
    ruler = nlp.add_pipe("entity_ruler", name="kg_org_designators", after="ner", config={"overwrite_ents": True})
    names = [{"POS": "PROPN", "IS_TITLE": True, "OP": "+"}]
    of = [{"LOWER": {"IN": ["of", "on", "for"]}}, {"IS_TITLE": True, "ENT_TYPE": {"NOT_IN": ["DATE", "TIME"]}, "OP": "+"}]  # "Council on Foreign Relations"
    ruler.add_patterns([{"label": "ORG", "pattern": names + [{"LOWER": {"IN": designators}, case: True}] + tail}
                        for case in ("IS_TITLE", "IS_UPPER") for tail in ([], of)])


def without_spaces(span: SpacySpan) -> SpacySpan:
    """The entity without the line breaks the recogniser may take in ("Visas\\n\\n" in a headline)."""
    start, end = span.start, span.end
    while start < end and span.doc[start].is_space:
        start += 1
    while end > start and span.doc[end - 1].is_space:
        end -= 1
    return span if (start, end) == (span.start, span.end) else SpacySpan(span.doc, start, end, label=span.label_)


def person_name(span: SpacySpan) -> str:
    """The name as written, with a following ", Jr." kept: "Joseph R. Biden, Jr."."""
    text = " ".join(t.text for t in name_tokens(span) if t.is_alpha or t.text[:1].isalpha()).replace(" .", ".")
    doc = span.doc
    if span.end + 1 < len(doc) and doc[span.end].text == "," and doc[span.end + 1].text.lower().rstrip(".") in SUFFIXES:
        text += ", " + doc[span.end + 1].text
    return text


def honorific_gender(span: SpacySpan) -> str | None:
    """The gender that "Mr.", "Mrs." or "Ms." right before (or opening) a mention marks."""
    first = span.start - 1 if span.start > 0 and span.doc[span.start - 1].lower_.rstrip(".") in HONORIFIC_GENDER \
        else span.start
    return HONORIFIC_GENDER.get(span.doc[first].lower_.rstrip("."))


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


def party_marker(name: str) -> str | None:
    """The party of a marker such as "D-N.C." or "R-Tex", which the recogniser takes for an organisation."""
    match = re.fullmatch(r"([A-Z])-[A-Z][A-Za-z.]*", name)
    return lexicon().parties.get(match.group(1).lower()) if match else None


CODE = re.compile(r"[A-Za-z]{1,6}-\d+[A-Za-z]?")


def group_name(span: SpacySpan, expansions: dict[str, str] = {}) -> str:
    text = expansions.get(span.text, span.text)
    for suffix in ("'s", "’s"):
        text = text.removesuffix(suffix)
    if text.lower().startswith("the "):
        text = text[4:]
    return lexicon().aliases.get(text.lower(), text)


def expanded(name: str) -> str:
    """The name with a leading abbreviation written out: "U.N. Security Council" -> "United Nations
    Security Council"."""
    first, _, rest = name.partition(" ")
    aliases = lexicon().aliases
    return f"{aliases[first.lower()]} {rest}" if "." in first and rest and first.lower() in aliases else name


def is_work(name: str) -> bool:
    """A law, plan, programme, product or event rather than an actor: "Clean Power Plan",
    "Dodd-Frank Act", "Obamacare", "Republican National Convention" (kg/data/works.tsv)."""
    if CODE.fullmatch(name):  # a visa, a model, a summit or a virus by its code: "EB-5", "F-35", "G-20", "COVID-19"
        return True
    words = name.lower().replace("-", " ").split()
    return bool(words) and (words[-1] in lexicon().work_words or words[-1].endswith("care"))


def title_case_lines(text: str) -> list[tuple[int, int]]:
    """The lines written in title case, as headlines are ("Clinton Hid Past Health Problems From
    Public"): there the entity recogniser takes verbs and other words for parts of names."""
    lines, start = [], 0
    for line in text.split("\n"):
        words = [w for w in line.split() if w[:1].isalpha() and w.lower() not in SMALL_WORDS]
        if len(words) >= 3 and all(w[0].isupper() for w in words):
            lines.append((start, start + len(line)))
        start += len(line) + 1
    return lines


def confirm_headline_names(names: dict[int, str], spans: list[SpacySpan], text: str) -> list[SpacySpan]:
    """A name found only in a title-case line is kept as far as the rest of the article confirms it:
    "Clinton Breaks" is Clinton when the body names Clinton; a name the body never uses is dropped."""
    lines = title_case_lines(text)

    def in_headline(span: SpacySpan) -> bool:
        return any(s <= span.start_char and span.end_char <= e for s, e in lines)

    body = {names[id(e)] for e in spans if not in_headline(e)}
    kept = []
    for span in spans:
        name = names[id(span)]
        if in_headline(span) and name not in body:
            words = name.split()
            confirmed = next((" ".join(words[:n]) for n in range(len(words) - 1, 0, -1) if " ".join(words[:n]) in body), None)
            if confirmed is None:
                continue
            names[id(span)] = confirmed
        kept.append(span)
    return kept


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

    def __init__(self, full_names: Counter, known: tuple = ()):
        self.known = known  # background role facts (kg/background.py)
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

    def by_part(self, name: str) -> list[str]:
        """The one full name that ends with this one ("Guajardo Villarreal": a double surname) or,
        for a single word, starts with it ("Hillary" where no one else is Hillary)."""
        words = name.split()
        if len(words) > 1:
            found = {c for c in self.canonical.values() if c.split()[-len(words):] == words and len(c.split()) > len(words)}
        else:
            found = {c for c in self.canonical.values() if len(c.split()) > 1 and c.split()[0] == name}
        return list(found) if len(found) == 1 else []

    def resolve(self, name: str, title: str | None, gender: str | None = None) -> str:
        """`gender` is what an honorific before the mention says: "Mrs. Clinton" is never Bill."""
        if name in self.canonical:
            return self.canonical[name]
        matches = sorted({c for c in self.canonical.values() if same_person(c, name)},
                         key=lambda c: (-self.weight[c], c)) or self.misspelt(name) or self.by_part(name)
        if gender is not None:
            matches = [m for m in matches if name_gender(m) in (None, gender)] or matches
        if title:
            holders = sorted({f.person for f in self.known if holds(f.role, title) and same_person(f.person, name)})
            held = [m for m in matches if any(person_key(m) == person_key(h) for h in holders)]
            if held:
                return held[0]
            if holders:  # the article's own full names do not hold this title
                return holders[0] if len(holders) == 1 else name
        return matches[0] if matches else name


@Language.component("kg_entities")
def resolve_entities(doc: Doc) -> Doc:
    spans = [without_spaces(e) for e in doc.ents if e.label_ in TYPES and e.text.lower().rstrip(".") not in SUFFIXES]
    spans = [e for e in spans if len(e)]
    names = {id(e): person_name(e) for e in spans}
    spans = [e for e in spans if names[id(e)] and not is_work(names[id(e)])]  # and "—", which NER may tag
    spans = confirm_headline_names(names, spans, text_of(doc))
    trim_headline_words(names, [e for e in spans if e.label_ == "PERSON"])
    full = Counter(names[id(e)] for e in spans if e.label_ == "PERSON" and len(name_tokens(e)) > 1)
    people = PersonResolver(full, doc._.kg_background)
    expansions = acronyms(text_of(doc))
    surnames = {person_key(n)[0] for n in full}

    labels = majority_labels(spans, names)
    entities: dict[tuple[str, str], Entity] = {}
    entity_at: dict[int, Entity] = {}
    for span in spans:
        label, name = labels.get(names[id(span)], span.label_), names[id(span)]
        if label == "PERSON" or (" " not in name and name.lower() in surnames) or name in full:
            label, name = "PERSON", people.resolve(name, title_before(span), honorific_gender(span))
        else:
            name = group_name(span, expansions)
            if (party := party_marker(name)) is not None:
                label, name = "ORG", party
        key = (name, label)
        entity = entities.get(key) or entities.setdefault(key, Entity(name=name, type=label))
        entity.mentions.append(Span(span.start_char, span.end_char, span.text))
        for token in span:
            entity_at[token.i] = entity
    merged = merge_short_forms([e for e in entities.values() if e.type == "ORG"])
    for i, entity in list(entity_at.items()):
        entity_at[i] = merged.get(id(entity), entity)
    kept = [e for e in entities.values() if id(e) not in merged]
    add_missed_mentions(doc, kept, entity_at)
    doc._.kg_entities = kept
    doc._.kg_entity_at = entity_at
    return doc


def majority_labels(spans: list[SpacySpan], names: dict[int, str]) -> dict[str, str]:
    """One type per name in an article: a one-word name the recogniser took for a person once and an
    organisation twice ("Nordavia") is the organisation. Ties keep the first."""
    votes: dict[str, Counter] = {}
    for span in spans:
        if span.label_ in ("PERSON", "ORG") and " " not in names[id(span)]:
            votes.setdefault(names[id(span)], Counter())[span.label_] += 1
    return {name: count.most_common(1)[0][0] for name, count in votes.items() if len(count) > 1}


def merge_short_forms(orgs: list[Entity]) -> dict[int, Entity]:
    """Organisations an article names in full and in short, as one: "EPA" or "E.P.A." and
    "Environmental Protection Agency" (the initials), "Homeland Security" and "Department of
    Homeland Security" (two or more words that end the longer name), "U.N. Security Council" and
    "United Nations Security Council". The map sends each short
    form to its full form, whose entity takes its mentions."""
    merged: dict[int, Entity] = {}
    for short in orgs:
        full = [o for o in orgs if o is not short and is_short_form(short.name, o.name)]
        if len(full) == 1:
            target = full[0]
            while id(target) in merged:
                target = merged[id(target)]
            target.mentions += short.mentions
            merged[id(short)] = target
    return merged


def is_short_form(short: str, full: str) -> bool:
    if len(full) > len(short) and expanded(short) == full:
        return True
    letters = short.replace(".", "").replace(" ", "")
    words = [w for w in full.replace("-", " ").split() if w.lower() not in ("of", "the", "for", "and", "on", "&")]
    if letters.isupper() and 2 <= len(letters) == len(words) and "".join(w[0] for w in words).upper() == letters:
        return True
    short_words, full_words = short.lower().split(), full.lower().split()
    # the end of the longer name: "Homeland Security"; never its start, which names a parent body
    # ("United Nations" in "United Nations Security Council")
    return len(short_words) >= 2 and len(full_words) > len(short_words) and full_words[-len(short_words):] == short_words


def add_missed_mentions(doc: Doc, entities: list[Entity], entity_at: dict[int, Entity]) -> None:
    """Mentions the recogniser missed of actors it found elsewhere in the article ("Donald Trump
    is a fraud" in a quotation, a later bare "Trump"): each full name, and the surname of a person
    no one else in the article shares it with, written capitalised outside any other entity."""
    people = [e for e in entities if e.type == "PERSON"]
    surnames = Counter(e.name.split()[-1] for e in people if " " in e.name)
    forms: dict[tuple[str, ...], Entity] = {}
    for entity in entities:
        forms[tuple(entity.name.split())] = entity
    for entity in people:
        words = entity.name.split()
        if len(words) > 1 and surnames[words[-1]] == 1 and len(words[-1]) > 2:
            forms.setdefault((words[-1],), entity)
    longest = max((len(f) for f in forms), default=0)
    firsts = {form[0] for form in forms}
    words = [t.text for t in doc]
    i = 0
    while i < len(words):
        if words[i] not in firsts:  # most words start no name: skip them without looking further
            i += 1
            continue
        for n in range(min(longest, len(words) - i), 0, -1):
            entity = forms.get(tuple(words[i: i + n]))
            if entity is not None and missed(doc[i: i + n], entity_at):
                entity.mentions.append(Span(doc[i].idx, doc[i + n - 1].idx + len(doc[i + n - 1]), doc[i: i + n].text))
                for token in doc[i: i + n]:
                    entity_at[token.i] = entity
                i += n - 1
                break
        i += 1


def missed(span: SpacySpan, entity_at: dict[int, Entity]) -> bool:
    """A capitalised name that no entity and no other kind of name (a date, a work) covers."""
    return all(t.i not in entity_at and not t.ent_type_ and t.text[:1].isupper() for t in span) \
        and (span.start == 0 or span.doc[span.start - 1].i not in entity_at)
