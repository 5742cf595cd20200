"""Scoring person–role–organisation facts against a gold JSON Lines file.

The rules are those documented for the shared roles scorer (eval/score_roles.py):
gold lines are {"file", "facts": [{"person", "role", "org", "time"}]}, predictions are our
`kg extract` lines {"file", "roles": [{"person", "role", "organisation", "time"}]}; only gold
articles count and a missing article is empty. Facts match one-to-one within an article, gold in
order, each taking the first unused prediction that matches:
- person: same surname (the last word, leaving out Jr./Sr./II/III/IV and honorifics) and, when
  both have a first name, the same first name or a matching initial;
- role: same head word (the last word before " of ") or word-set Jaccard >= 0.5, stop words out;
- organisation (triples only): a gold null accepts anything; else the names are equal after
  folding demonyms and aliases ("German" = "Germany", "GOP" = "Republican Party"), one's words
  contain the other's, or their word sets have Jaccard >= 0.5.
Figures: precision, recall and F1 of (person, role) pairs and (person, role, organisation)
triples, and time accuracy over the matched triples.
"""
from __future__ import annotations

import json
import re
from dataclasses import dataclass
from pathlib import Path

SUFFIXES = frozenset({"jr", "sr", "ii", "iii", "iv"})
HONORIFICS = frozenset({"mr", "mrs", "ms", "dr", "sir", "dame", "rev", "gen", "sen", "rep", "gov", "president"})
STOP_WORDS = frozenset({"the", "a", "an", "of", "for", "and", "in", "at", "to", "'s", "s"})
# Organisation names folded to one form before comparing (the scorer's documented folding).
FOLD = {
    "american": "united states", "us": "united states", "u s": "united states", "usa": "united states",
    "america": "united states", "united states of america": "united states",
    "british": "united kingdom", "uk": "united kingdom", "u k": "united kingdom", "britain": "united kingdom",
    "great britain": "united kingdom", "german": "germany", "french": "france", "italian": "italy",
    "russian": "russia", "russian federation": "russia", "ukrainian": "ukraine", "chinese": "china",
    "japanese": "japan", "mexican": "mexico", "canadian": "canada", "israeli": "israel",
    "iranian": "iran", "syrian": "syria", "turkish": "turkey", "indian": "india", "spanish": "spain",
    "republican": "republican party", "gop": "republican party", "democratic": "democratic party",
    "democrat": "democratic party", "eu": "european union", "european": "european union",
    "un": "united nations", "u n": "united nations",
}


def words(text: str) -> list[str]:
    text = text.lower().replace("’", "'")
    return re.sub(r"[^\w\s]", " ", text).split()


def name_of(value) -> str:
    if isinstance(value, dict):
        value = value.get("name") or value.get("label") or value.get("text")
    return str(value) if value else ""


def surname_and_first(name: str) -> tuple[str, str]:
    parts = [w for w in words(name) if w not in HONORIFICS]
    while len(parts) > 1 and parts[-1] in SUFFIXES:
        parts.pop()
    if not parts:
        return "", ""
    return parts[-1], parts[0] if len(parts) > 1 else ""


def people_match(gold: str, pred: str) -> bool:
    (gs, gf), (ps, pf) = surname_and_first(gold), surname_and_first(pred)
    if not gs or gs != ps:
        return False
    if not (gf and pf):
        return True
    return gf == pf or ((len(gf) == 1 or len(pf) == 1) and gf[0] == pf[0])


def jaccard(a: set[str], b: set[str]) -> float:
    return len(a & b) / len(a | b)


def roles_match(gold: str, pred: str) -> bool:
    g, p = set(words(gold)) - STOP_WORDS, set(words(pred)) - STOP_WORDS
    if not (g and p):
        return False

    def head(role: str) -> str:
        w = words(role.split(" of ")[0])
        return w[-1] if w else ""
    return head(gold) == head(pred) or jaccard(g, p) >= 0.5


def folded(org: str) -> str:
    text = " ".join(w for w in words(org) if w != "the")
    return FOLD.get(text, text)


def orgs_match(gold: str | None, pred: str | None) -> bool:
    if gold is None:
        return True
    if not pred:
        return False
    g, p = folded(gold), folded(pred)
    if g == p:
        return True
    wg, wp = set(g.split()) - STOP_WORDS, set(p.split()) - STOP_WORDS
    return bool(wg and wp) and (wg <= wp or wp <= wg or jaccard(wg, wp) >= 0.5)


@dataclass(frozen=True)
class Figures:
    tp: int
    predicted: int
    gold: int

    @property
    def precision(self) -> float:
        return self.tp / self.predicted if self.predicted else 0.0

    @property
    def recall(self) -> float:
        return self.tp / self.gold if self.gold else 0.0

    @property
    def f1(self) -> float:
        p, r = self.precision, self.recall
        return 2 * p * r / (p + r) if p + r else 0.0

    def to_json(self) -> dict:
        return {"precision": round(self.precision, 4), "recall": round(self.recall, 4), "f1": round(self.f1, 4),
                "tp": self.tp, "predicted": self.predicted, "gold": self.gold}


@dataclass(frozen=True)
class Score:
    pair: Figures
    triple: Figures
    time_accuracy: float
    articles: int

    def to_json(self) -> dict:
        return {"pair": self.pair.to_json(), "triple": self.triple.to_json(),
                "time_accuracy": round(self.time_accuracy, 4), "articles": self.articles}

    def report(self) -> str:
        lines = [f"{name:6s} P={f.precision:.3f} R={f.recall:.3f} F1={f.f1:.3f} "
                 f"(tp={f.tp} predicted={f.predicted} gold={f.gold})"
                 for name, f in (("pair", self.pair), ("triple", self.triple))]
        lines.append(f"time accuracy on matched triples: {self.time_accuracy:.3f}")
        lines.append(f"triple_f1={self.triple.f1:.4f}")
        return "\n".join(lines)


def pairs(golds: list[dict], preds: list[dict], with_org: bool) -> list[tuple[int, int]]:
    """One-to-one matches (gold index, prediction index), greedy in gold order."""
    used: set[int] = set()
    matched = []
    for i, g in enumerate(golds):
        for j, p in enumerate(preds):
            if j in used or not people_match(g["person"], name_of(p.get("person"))):
                continue
            if not roles_match(g["role"], p.get("role") or ""):
                continue
            org = p.get("organisation", p.get("organization", p.get("org")))
            if with_org and not orgs_match(g.get("org"), name_of(org) or None):
                continue
            used.add(j)
            matched.append((i, j))
            break
    return matched


def score(gold: dict[str, list[dict]], predictions: dict[str, list[dict]]) -> Score:
    """Gold facts and predicted roles, each keyed by article (file stem)."""
    pair_tp = triple_tp = time_ok = n_pred = n_gold = 0
    for name, golds in gold.items():
        preds = predictions.get(name, [])
        n_pred, n_gold = n_pred + len(preds), n_gold + len(golds)
        pair_tp += len(pairs(golds, preds, with_org=False))
        triples = pairs(golds, preds, with_org=True)
        triple_tp += len(triples)
        time_ok += sum((preds[j].get("time") or "current") == golds[i].get("time", "current") for i, j in triples)
    return Score(Figures(pair_tp, n_pred, n_gold), Figures(triple_tp, n_pred, n_gold),
                 time_ok / triple_tp if triple_tp else 0.0, len(gold))


def read_gold(path: Path) -> dict[str, list[dict]]:
    """Gold facts by article, from a JSON Lines file; a clear ValueError on a bad line."""
    gold = {}
    for n, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
        if not line.strip():
            continue
        try:
            obj = json.loads(line)
            gold[Path(obj["file"]).stem] = list(obj.get("facts", []))
        except (json.JSONDecodeError, KeyError, TypeError) as err:
            raise ValueError(f"{path}:{n}: not a gold line ({err})") from None
    return gold
