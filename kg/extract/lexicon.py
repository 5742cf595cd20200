"""The data tables in kg/data/: cues, role words, demonyms and aliases. Users extend the TSVs."""
from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

DATA = Path(__file__).resolve().parent.parent / "data"


def read_table(name: str) -> list[tuple[str, str]]:
    rows = []
    for line in (DATA / name).read_text(encoding="utf-8").splitlines():
        if line.strip() and not line.startswith("#"):
            key, value = line.split("\t", 1)
            rows.append((key.strip().lower(), value.strip()))
    return rows


@dataclass(frozen=True)
class Lexicon:
    cue_verbs: dict[str, str]          # lemma -> speech | belief | naming
    cue_phrases: dict[str, set[str]]   # verb lemma -> object lemmas that complete the cue
    role_heads: frozenset[str]
    role_modifiers: frozenset[str]
    time_words: dict[str, str]         # word -> former | future
    demonyms: dict[str, str]           # "german" -> "Germany"
    aliases: dict[str, str]            # "u.s." -> "United States"

    def canonical_place(self, name: str) -> str | None:
        """The canonical name of a country or body named by an alias or a demonym."""
        key = name.lower().removeprefix("the ").strip()
        return self.aliases.get(key) or self.demonyms.get(key)


@lru_cache(maxsize=1)
def lexicon() -> Lexicon:
    cue_verbs, cue_phrases = {}, {}
    for key, cls in read_table("cues.tsv"):
        if cls == "phrase":
            verb, obj = key.split(" ", 1)
            cue_phrases.setdefault(verb, set()).add(obj)
        else:
            cue_verbs[key] = cls
    heads, modifiers, times = set(), set(), {}
    for word, kind in read_table("roles.tsv"):
        if kind == "head":
            heads.add(word)
        elif kind == "modifier":
            modifiers.add(word)
        elif kind.startswith("time:"):
            times[word] = kind.split(":", 1)[1]
    return Lexicon(
        cue_verbs=cue_verbs, cue_phrases=cue_phrases,
        role_heads=frozenset(heads), role_modifiers=frozenset(modifiers), time_words=times,
        demonyms=dict(read_table("demonyms.tsv")), aliases=dict(read_table("aliases.tsv")))
