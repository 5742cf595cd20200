"""The data tables in kg/data/: cues, role words, demonyms, aliases, parties, states and the roles
whose organisation is a country (nicknames: kg/names.py). Users extend the TSVs. Facts about
people are data, not tables: see kg/background.py."""
from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

DATA = Path(__file__).resolve().parent.parent / "data"
MINED_CUES = "cues-mined.tsv"


def read_rows(name: str) -> list[list[str]]:
    """The rows of a tab-separated table, without comments and blank lines."""
    rows = []
    for line in (DATA / name).read_text(encoding="utf-8").splitlines():
        if line.strip() and not line.startswith("#"):
            rows.append([cell.strip() for cell in line.split("\t")])
    return rows


def read_table(name: str) -> list[tuple[str, str]]:
    """A two-column table as (lower-case key, value) pairs."""
    return [(row[0].lower(), "\t".join(row[1:])) for row in read_rows(name)]


@dataclass(frozen=True)
class Lexicon:
    cue_verbs: dict[str, str]          # lemma -> speech | belief | naming
    cue_phrases: dict[str, set[str]]   # verb lemma -> object lemmas that complete the cue
    role_heads: frozenset[str]
    role_modifiers: frozenset[str]
    time_words: dict[str, str]         # word -> former | future
    demonyms: dict[str, str]           # "german" -> "Germany"
    aliases: dict[str, str]            # "u.s." -> "United States"
    role_kinds: dict[str, frozenset[str]]  # "senator" -> {"head", "legislator"}
    role_means: dict[str, str]         # "sen." -> "senator"
    titles: frozenset[str]             # "secretary of state"
    parties: dict[str, str]            # "d" / "democrat" -> "Democratic Party"
    states: dict[str, str]             # "ore." -> "Oregon"
    national_roles: frozenset[str]     # roles held in a country's government: "president", "minister"
    target_cues: frozenset[str]        # cues whose object is what the statement is about ("warned Putin")
    work_words: frozenset[str]         # last words of names of laws, plans and events, not actors ("act")

    def canonical_place(self, name: str) -> str | None:
        """The canonical name of a country, party or body named by an alias, a demonym or a party word."""
        key = name.lower().removeprefix("the ").strip()
        return self.aliases.get(key) or self.demonyms.get(key) or (self.parties.get(key) if len(key) > 1 else None)

    def is_kind(self, word: str, kind: str) -> bool:
        return kind in self.role_kinds.get(word.lower(), ())



@lru_cache(maxsize=1)
def lexicon() -> Lexicon:
    cue_verbs, cue_phrases = {}, {}
    for key, cls in read_table("cues.tsv"):
        if cls == "phrase":
            verb, obj = key.split(" ", 1)
            cue_phrases.setdefault(verb, set()).add(obj)
        else:
            cue_verbs[key] = cls
    if (DATA / MINED_CUES).exists():  # verbs mined from an annotated corpus (kg train cues)
        for row in read_rows(MINED_CUES):
            cue_verbs.setdefault(row[0].lower(), "speech")
    kinds: dict[str, set[str]] = {}
    for word, spec in read_table("roles.tsv"):
        kinds.setdefault(word, set()).update(k.strip() for k in spec.split(","))
    times = {w: k.split(":", 1)[1] for w, ks in kinds.items() for k in ks if k.startswith("time:")}
    means = {w: k.split(":", 1)[1] for w, ks in kinds.items() for k in ks if k.startswith("means:")}
    return Lexicon(
        cue_verbs=cue_verbs, cue_phrases=cue_phrases,
        role_heads=frozenset(w for w, ks in kinds.items() if "head" in ks),
        role_modifiers=frozenset(w for w, ks in kinds.items() if "modifier" in ks),
        time_words=times, demonyms=dict(read_table("demonyms.tsv")), aliases=dict(read_table("aliases.tsv")),
        role_kinds={w: frozenset(ks) for w, ks in kinds.items()}, role_means=means,
        titles=frozenset(w for w, ks in kinds.items() if "title" in ks),
        parties=dict(read_table("parties.tsv")), states=dict(read_table("states.tsv")),
        national_roles=frozenset(row[0].lower() for row in read_rows("national_roles.tsv")),
        target_cues=frozenset(row[0].lower() for row in read_rows("target_cues.tsv")),
        work_words=frozenset(row[0].lower() for row in read_rows("works.tsv")))
