"""Scoring statements against attribution gold in BRAT standoff (the PolNeAR layout).

A gold folder holds text/NAME.txt and attributions/NAME[_annotator].ann; where an article has
several annotators the first .ann in sorted order counts. Each Attribution event ties Source,
Cue and Content spans together.

Matching follows the project's scorer: predictions and gold pair up one-to-one, greedily by
content similarity (Jaccard of alphanumeric character positions, at least the threshold). A
source is right when the mention overlaps the gold source or the speaker's name shares a word of
three or more letters with it; a gold attribution without a source accepts any speaker. A cue is
right when the spans share a non-space character. Exact-span figures per kind (source, cue,
content) compare unlinked span sets, as published PolNeAR taggers report.
"""
from __future__ import annotations

import re
from collections.abc import Callable
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

QUOTE_CHARS = "\"“”‘’'«»„"
WORD = re.compile(r"[A-Za-z][A-Za-z'’-]{2,}")
Spans = list[tuple[int, int]]
KINDS = ("source", "cue", "content")


@dataclass
class Item:
    """One attribution, gold or predicted."""
    content: Spans
    source: Spans = field(default_factory=list)
    cue: Spans = field(default_factory=list)
    name: str = ""


@dataclass
class Article:
    name: str
    text: str
    items: list[Item]


class GoldError(ValueError):
    """A gold file that cannot be read; the message names the file (and line)."""


def parse_spans(spec: str) -> Spans:
    return [(int(a), int(b)) for a, b in (part.split() for part in spec.split(";"))]


def read_ann(path: Path) -> list[Item]:
    spans: dict[str, Spans] = {}
    events = []
    for number, line in enumerate(read_text(path).splitlines(), 1):
        fields = line.split("\t")
        if len(fields) < 2:
            continue
        if line.startswith("T"):
            _, _, spec = fields[1].partition(" ")
            try:
                spans[fields[0]] = parse_spans(spec)
            except ValueError:
                raise GoldError(f"{path}:{number}: not a BRAT text-bound annotation: {line[:80]!r}") from None
        elif line.startswith("E"):
            events.append(fields[1].split())
    items = []
    for args in events:  # after all spans: an event may name a span defined below it
        roles: dict[str, Spans] = {}
        for arg in args:
            role, _, tid = arg.partition(":")
            roles.setdefault(role.rstrip("0123456789"), []).extend(spans.get(tid, []))
        if roles.get("Content"):
            items.append(Item(roles["Content"], roles.get("Source", []), roles.get("Cue", [])))
    return items


def load_gold(folder: Path) -> list[Article]:
    anns = sorted((folder / "attributions").glob("*.ann"))
    articles = []
    for text_path in sorted((folder / "text").glob("*.txt")):
        name = text_path.stem
        ann = next((a for a in anns if a.stem == name or a.stem.rsplit("_", 1)[0] == name), None)
        articles.append(Article(name, read_text(text_path), read_ann(ann) if ann else []))
    return articles


def read_text(path: Path) -> str:
    try:
        return path.read_text(encoding="utf-8")
    except UnicodeDecodeError as error:
        raise GoldError(f"{path}: not UTF-8 text ({error.reason} at byte {error.start})") from None


def predicted_items(statements: list[dict]) -> list[Item]:
    """Items from statements in the `kg extract` JSON format."""
    items = []
    for st in statements:
        speaker = st.get("speaker") or {}
        mention = speaker.get("mention") or {}
        cue = st.get("cue") or {}
        items.append(Item(
            content=[tuple(s) for s in (st.get("content") or {}).get("spans", [])],
            source=[(mention["start"], mention["end"])] if "start" in mention else [],
            cue=[(cue["start"], cue["end"])] if "start" in cue else [],
            name=speaker.get("name") or mention.get("text") or ""))
    return items


def alnum(text: str, spans: Spans) -> set[int]:
    return {i for s, e in spans for i in range(max(s, 0), min(e, len(text))) if text[i].isalnum()}


def visible(text: str, spans: Spans) -> set[int]:
    return {i for s, e in spans for i in range(max(s, 0), min(e, len(text))) if not text[i].isspace()}


def is_direct(text: str, spans: Spans) -> bool:
    if not spans:
        return False
    start, end = min(spans)
    return text[start:end].lstrip()[:1] in QUOTE_CHARS


class Tally:
    """True positives, predictions and gold items for one figure."""
    def __init__(self) -> None:
        self.tp = self.predicted = self.gold = 0

    def figures(self) -> dict:
        p = self.tp / self.predicted if self.predicted else 0.0
        r = self.tp / self.gold if self.gold else 0.0
        f = 2 * p * r / (p + r) if p + r else 0.0
        return {"precision": round(p, 4), "recall": round(r, 4), "f1": round(f, 4),
                "tp": self.tp, "predicted": self.predicted, "gold": self.gold}


def match(text: str, gold: list[Item], pred: list[Item], threshold: float) -> list[tuple[float, int, int]]:
    gsets = [alnum(text, g.content) for g in gold]
    psets = [alnum(text, p.content) for p in pred]
    pairs = sorted(((len(gs & ps) / len(gs | ps), i, j) for i, gs in enumerate(gsets)
                    for j, ps in enumerate(psets) if gs & ps), reverse=True)
    used_g, used_p, matches = set(), set(), []
    for sim, i, j in pairs:
        if sim >= threshold and i not in used_g and j not in used_p:
            used_g.add(i)
            used_p.add(j)
            matches.append((sim, i, j))
    return matches


def source_right(text: str, gold: Item, pred: Item) -> bool:
    if not gold.source:
        return True
    if alnum(text, gold.source) & alnum(text, pred.source):
        return True
    gold_words = {w.lower() for s, e in gold.source for w in WORD.findall(text[s:e])}
    return bool(gold_words & {w.lower() for w in WORD.findall(pred.name)})


def score(gold: list[Article], predictions: dict[str, list[Item]], threshold: float = 0.5) -> dict:
    tallies = {key: Tally() for key in ("content", "joint", "full", "exact", "direct")}
    spans = {kind: Tally() for kind in KINDS}
    matched = joint = 0
    for article in gold:
        text, gitems, pitems = article.text, article.items, predictions.get(article.name, [])
        for key in ("content", "joint", "full", "exact"):
            tallies[key].predicted += len(pitems)
            tallies[key].gold += len(gitems)
        gdirect = {i for i, g in enumerate(gitems) if is_direct(text, g.content)}
        pdirect = {j for j, p in enumerate(pitems) if is_direct(text, p.content)}
        tallies["direct"].predicted += len(pdirect)
        tallies["direct"].gold += len(gdirect)
        for sim, i, j in match(text, gitems, pitems, threshold):
            g, p = gitems[i], pitems[j]
            matched += 1
            tallies["content"].tp += 1
            tallies["exact"].tp += sim == 1.0
            if source_right(text, g, p):
                joint += 1
                tallies["joint"].tp += 1
                tallies["direct"].tp += i in gdirect and j in pdirect
                if not g.cue or visible(text, g.cue) & visible(text, p.cue):
                    tallies["full"].tp += 1
        for kind in KINDS:
            positions = visible if kind == "cue" else alnum
            gs = Counter(frozenset(positions(text, getattr(g, kind))) for g in gitems)
            ps = Counter(frozenset(positions(text, getattr(p, kind))) for p in pitems)
            gs.pop(frozenset(), None)
            ps.pop(frozenset(), None)
            spans[kind].tp += sum((gs & ps).values())
            spans[kind].predicted += sum(ps.values())
            spans[kind].gold += sum(gs.values())
    result = {key: t.figures() for key, t in tallies.items()}
    result |= {f"{kind}_span_exact": t.figures() for kind, t in spans.items()}
    result["speaker_accuracy"] = round(joint / matched, 4) if matched else 0.0
    result["articles"] = len(gold)
    result["threshold"] = threshold
    return result


def report(result: dict) -> list[str]:
    """The scorer's printed lines."""
    lines = []
    for key in ("content", "joint", "full", "exact", "direct",
                "source_span_exact", "cue_span_exact", "content_span_exact"):
        m = result[key]
        lines.append(f"{key:18s} P={m['precision']:.3f} R={m['recall']:.3f} F1={m['f1']:.3f} "
                     f"(tp={m['tp']} predicted={m['predicted']} gold={m['gold']})")
    lines.append(f"speaker accuracy on matched contents: {result['speaker_accuracy']:.3f}")
    lines.append(f"joint_f1={result['joint']['f1']:.4f}")
    return lines


def evaluate(extractor, gold: list[Article], threshold: float = 0.5,
             on_done: Callable[[dict], None] = lambda obj: None) -> dict:
    """Run the extractor over the gold articles' texts and score its statements."""
    from ..model import Article as Text

    predictions = {}
    texts = (Text(id=a.name, text=a.text, file=a.name) for a in gold)
    for extraction in extractor.extract_many(texts):
        obj = extraction.to_json()
        predictions[extraction.article.id] = predicted_items(obj["statements"])
        on_done(obj)
    return score(gold, predictions, threshold)
