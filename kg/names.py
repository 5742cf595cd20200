"""People's names: the key that says two names are one person, and the IRI slug made from it.

Light on purpose (no spaCy), so the store, the graph and the API can use it. The key is
(surname, formal first name): "Joe Biden", "Joseph R. Biden, Jr." and "Joseph Biden" all key to
("biden", "joseph"); a bare surname keys to ("biden", ""). Nicknames come from kg/data/nicknames.tsv.
"""
from __future__ import annotations

import unicodedata
from functools import lru_cache
from pathlib import Path

NICKNAMES = Path(__file__).resolve().parent / "data" / "nicknames.tsv"
HONORIFICS = frozenset({"mr", "mrs", "ms", "dr", "sir", "dame", "rev", "miss"})
PARTICLES = frozenset({"de", "del", "della", "di", "da", "van", "von", "der", "den", "le", "la", "du", "bin", "al", "el", "ter"})
SUFFIXES = frozenset({"jr", "sr", "ii", "iii", "iv"})
MALE, FEMALE = "m", "f"
HONORIFIC_GENDER = {"mr": MALE, "mrs": FEMALE, "ms": FEMALE, "miss": FEMALE, "sir": MALE, "dame": FEMALE}


@lru_cache(maxsize=1)
def nicknames() -> dict[str, str]:
    rows = (line.split("\t") for line in NICKNAMES.read_text(encoding="utf-8").splitlines()
            if line.strip() and not line.startswith("#"))
    return {row[0].strip().lower(): row[1].strip().lower() for row in rows}


def first_name(word: str) -> str:
    """A first name in its formal form, lower case: "Joe" -> "joseph"."""
    word = word.lower().rstrip(".")
    return nicknames().get(word, word)


@lru_cache(maxsize=1 << 16)  # the same names are compared again and again
def person_key(name: str) -> tuple[str, str]:
    """(surname, formal first name) of a name; the first name is "" for a bare surname."""
    words = [w for w in name.replace(",", " ").replace("’", "'").split() if w.lower().rstrip(".") not in HONORIFICS]
    while len(words) > 1 and words[-1].lower().rstrip(".") in SUFFIXES:
        words.pop()
    if not words:
        return "", ""
    if all(w.lower() in PARTICLES for w in words[:-1]):  # "De Blasio" is a bare surname, as "Blasio" is
        return words[-1].lower(), ""
    return words[-1].lower(), first_name(words[0])


def same_person(a: str, b: str) -> bool:
    """Same surname, and the same first name (after nicknames) or a matching initial when both
    have one: "J. Biden" = "Joe Biden"; "Bill Clinton" != "Hillary Clinton"."""
    (last_a, first_a), (last_b, first_b) = person_key(a), person_key(b)
    if not last_a or last_a != last_b:
        return False
    if first_a and first_b:
        return first_a == first_b or (min(len(first_a), len(first_b)) == 1 and first_a[0] == first_b[0])
    return True


def person_id(name: str) -> str:
    """The words a person's IRI is made of: "joseph biden" for every form of Joe Biden's name,
    "biden" for the bare surname of an article that never gives the first name."""
    surname, first = person_key(name)
    return f"{first} {surname}".strip() or name


@lru_cache(maxsize=1)
def gender_detector():
    import gender_guesser.detector  # Jörg Michael's dictionary of 40,000 first names from many countries

    return gender_guesser.detector.Detector(case_sensitive=False)


@lru_cache(maxsize=1 << 14)
def first_name_gender(name: str) -> str | None:
    """MALE or FEMALE for a first name mostly given to men or to women, else None."""
    found = gender_detector().get_gender(name)
    if found == "unknown":
        found = gender_detector().get_gender(unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode())
    return {"male": MALE, "mostly_male": MALE, "female": FEMALE, "mostly_female": FEMALE}.get(found)


def name_gender(name: str) -> str | None:
    """The gender a full name's first name marks ("Hillary Clinton": FEMALE); None for a bare surname."""
    words = name.split()
    return first_name_gender(words[0].rstrip(".")) if len(words) > 1 and len(words[0]) > 2 else None
