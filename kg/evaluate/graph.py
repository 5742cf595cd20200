"""Who said what about whom, scored at the level of actors rather than spans.

The rules are those documented for the shared graph scorer (eval/score_graph.py and
data/graph-gold/GUIDELINES.md); `kg eval graph` prints the same figures, and a test checks that
they agree. Gold lines are {"file", "actors": [{"name", "type"}], "statements": [{"content":
[[start, end], ...], "speaker": NAME | null, "speaker_type", "about": [NAME, ...]}]}; predictions
are `kg extract` objects (only their top-level statements count). Only gold articles are scored;
one without a prediction is empty.

Statements pair one to one, the most similar pairs first, by the Jaccard similarity of the
alphanumeric character positions their contents cover (at least `threshold`). A predicted name
names a gold actor when
- for a person: the surnames (last words, honorifics and Jr./Sr./II... aside) and the suffixes are
  equal, and where the gold gives a first name the prediction gives one too, equal to it, its
  initial or one of its nicknames;
- for anything else: the names are equal once case, punctuation, a leading "the", a possessive 's
  and a few aliases are folded ("GOP" = "Republican Party"), or one is the other's acronym, or one's
  words (stop words out) are all among the other's.
Of several gold actors, one whose folded name equals the prediction's is preferred.
"""
from __future__ import annotations

import json
import re
from collections import defaultdict
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

TITLES = frozenset(
    "mr mrs ms miss dr sir dame rev gen sen senator rep gov governor president pres vice secretary judge "
    "justice lt col sgt prof professor mayor chairman speaker former first lady candidate nominee the".split())
NAME_SUFFIXES = frozenset("jr sr ii iii iv".split())
# Each line: one first name and the short forms that stand for it. A form on two lines belongs to
# the later one ("ted" is Rafael's, not Edward's), as the shared scorer reads its table.
NICKNAME_LINES = """\
william bill billy will
robert bob bobby rob
joseph joe
james jim jimmy
michael mike
richard rick dick
thomas tom tommy
charles charlie chuck
elizabeth liz beth
edward ed ted teddy
rafael ted
christopher chris
timothy tim
anthony tony
benjamin ben
daniel dan danny
donald don
jeffrey jeff
kenneth ken
lawrence larry
nicholas nick
patrick pat
peter pete
ronald ron
samuel sam
stephen steve steven
andrew andy
alexander alex
bernard bernie
frederick fred
gerald jerry
harold harry
jonathan jon
kimberly kim
margaret peggy maggie
matthew matt
mitchell mitch
newton newt
rodham hillary
susan sue
victoria vicky
zachary zach
gregory greg
douglas doug
randall randy
jacob jake
john jack"""
NICKNAME_GROUP = {form: n for n, line in enumerate(NICKNAME_LINES.splitlines()) for form in line.split()}
# Folded organisation and place names that stand for another.
SAME_AS = {
    "us": "united states", "u s": "united states", "usa": "united states", "america": "united states",
    "united states of america": "united states",
    "uk": "united kingdom", "britain": "united kingdom", "great britain": "united kingdom",
    "gop": "republican party", "republicans": "republican party", "republican": "republican party",
    "democrats": "democratic party", "democrat": "democratic party", "democratic": "democratic party",
    "dnc": "democratic national committee", "rnc": "republican national committee",
    "eu": "european union", "un": "united nations", "u n": "united nations",
    "russian federation": "russia",
}
MINOR_WORDS = frozenset("the of and for s inc co corp llc".split())


class GoldError(ValueError):
    """A gold file that cannot be read or is not in the who-about-whom format."""


# --- names ---------------------------------------------------------------------------------
def tokens(name: str) -> list[str]:
    """Lower-case words, a possessive 's and all punctuation gone."""
    name = name.lower().replace("’", "'").replace("'s ", " ")
    if name.endswith("'s"):
        name = name[:-2]
    return re.sub(r"[^\w\s]", " ", name).split()


def person_parts(name: str) -> tuple[str, str, str]:
    """(surname, first name or "", suffix or "") of a person's name, titles left out."""
    parts = [w for w in tokens(name) if w not in TITLES]
    suffix = ""
    while len(parts) > 1 and parts[-1] in NAME_SUFFIXES:
        suffix = parts.pop()
    if not parts:
        return "", "", ""
    return parts[-1], (parts[0] if len(parts) > 1 else ""), suffix


def first_names_agree(pred: str, gold: str) -> bool:
    if pred == gold:
        return True
    if min(len(pred), len(gold)) == 1:
        return pred[0] == gold[0]
    return pred in NICKNAME_GROUP and NICKNAME_GROUP[pred] == NICKNAME_GROUP.get(gold)


def is_person(pred: str, gold: str) -> bool:
    surname, first, suffix = person_parts(pred)
    gold_surname, gold_first, gold_suffix = person_parts(gold)
    if not surname or (surname, suffix) != (gold_surname, gold_suffix):
        return False
    return not gold_first or (bool(first) and first_names_agree(first, gold_first))


def folded(name: str) -> str:
    text = " ".join(tokens(name))
    if text.startswith("the "):
        text = text[4:]
    return SAME_AS.get(text, text)


def initials(folded_name: str) -> str:
    return "".join(w[0] for w in folded_name.split() if w not in MINOR_WORDS)


def is_body(pred: str, gold: str) -> bool:
    """Organisations and places."""
    p, g = folded(pred), folded(gold)
    if not (p and g):
        return False
    if p == g or p.replace(" ", "") == initials(g) or g.replace(" ", "") == initials(p):
        return True
    p_words, g_words = set(p.split()) - MINOR_WORDS, set(g.split()) - MINOR_WORDS
    return bool(p_words and g_words) and (p_words <= g_words or g_words <= p_words)


def label(value) -> str | None:
    """The name of a predicted actor ({"name": ...}, or a bare string)."""
    if isinstance(value, dict):
        value = value.get("name") or value.get("label") or value.get("text")
    return str(value) if value else None


def person_identity(name: str) -> tuple:
    """What says two gold names across articles are one person: surname, first name up to
    nicknames, suffix."""
    surname, first, suffix = person_parts(name)
    return surname, NICKNAME_GROUP.get(first, first), suffix


class Actors:
    """The named actors of one gold article."""

    def __init__(self, actors: list[dict]):
        self.kind = {a["name"]: a["type"] for a in actors}

    def names(self, pred: str, gold: str) -> bool:
        if self.kind.get(gold, "organisation") == "person":
            return is_person(pred, gold)
        return is_body(pred, gold)

    def find(self, pred: str | None, among: Iterable[str]) -> str | None:
        """The gold actor of `among` that a predicted name names, an exactly equal name first."""
        if not pred:
            return None
        among = list(among)
        key = folded(pred)
        for gold in [g for g in among if folded(g) == key] + among:
            if self.names(pred, gold):
                return gold
        return None


# --- statements ----------------------------------------------------------------------------
def covered(text: str, spans) -> set[int]:
    """The positions of letters and digits within the spans."""
    return {i for start, end in spans for i in range(max(0, start), min(len(text), end)) if text[i].isalnum()}


def pair_statements(text: str, gold: list[dict], pred: list[dict], threshold: float) -> list[tuple[int, int]]:
    """(gold index, prediction index) pairs, one to one, most similar first (ties: later indices
    first), each at least `threshold` similar."""
    gold_chars = [covered(text, g["content"]) for g in gold]
    pred_chars = [covered(text, (p.get("content") or {}).get("spans") or []) for p in pred]
    scored = []
    for i, g in enumerate(gold_chars):
        for j, p in enumerate(pred_chars):
            shared = len(g & p)
            if shared:
                scored.append((shared / len(g | p), i, j))
    scored.sort(reverse=True)
    taken_gold, taken_pred, pairs = set(), set(), []
    for similarity, i, j in scored:
        if similarity >= threshold and i not in taken_gold and j not in taken_pred:
            taken_gold.add(i)
            taken_pred.add(j)
            pairs.append((i, j))
    return pairs


# --- figures -------------------------------------------------------------------------------
def prf(tp: int, predicted: int, gold: int) -> dict:
    precision = tp / predicted if predicted else 0.0
    recall = tp / gold if gold else 0.0
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    return {"precision": round(precision, 4), "recall": round(recall, 4), "f1": round(f1, 4),
            "tp": tp, "predicted": predicted, "gold": gold}


def share(part: int, whole: int) -> float:
    return round(part / whole, 4) if whole else 0.0


@dataclass
class Tally:
    n: dict = field(default_factory=lambda: defaultdict(int))
    ids_of_person: dict = field(default_factory=lambda: defaultdict(set))  # gold person -> predicted ids
    people_of_id: dict = field(default_factory=lambda: defaultdict(set))  # predicted id -> gold people

    def article(self, gold: dict, pred: dict, text: str, threshold: float) -> None:
        n, actors = self.n, Actors(gold.get("actors", []))
        everyone = list(actors.kind)
        gold_statements, pred_statements = gold.get("statements", []), pred.get("statements", [])
        pairs = pair_statements(text, gold_statements, pred_statements, threshold)
        n["gold_statements"] += len(gold_statements)
        n["pred_statements"] += len(pred_statements)
        n["matched"] += len(pairs)
        gold_of = {j: i for i, j in pairs}

        gold_links = set()
        for g in gold_statements:
            if g.get("speaker"):
                n["gold_pairs"] += len(g.get("about", []))
                gold_links.update((g["speaker"], a) for a in g.get("about", []))
        pred_links = set()
        for j, p in enumerate(pred_statements):
            speaker = label(p.get("speaker"))
            about = [name for name in map(label, p.get("about") or []) if name]
            speaker_gold = actors.find(speaker, everyone)
            if speaker:
                n["pred_pairs"] += len(about)
                pred_links.update((speaker_gold or f"?{speaker}", actors.find(a, everyone) or f"?{a}")
                                  for a in about)
            if j not in gold_of:
                continue
            g = gold_statements[gold_of[j]]
            named = g.get("speaker")
            if named:
                n["speaker_named"] += 1
                n["speaker_named_ok"] += speaker_gold == named
            else:
                n["speaker_unnamed"] += 1
                n["speaker_unnamed_ok"] += speaker_gold is None
            targets = list(dict.fromkeys(g.get("about", [])))
            hits = {actors.find(a, targets) for a in about} - {None}
            n["about_tp"] += len(hits)
            n["about_pred"] += len(about)
            n["about_gold"] += len(targets)
            if named and speaker_gold == named:
                n["pairs_tp"] += len(hits)
        n["links_tp"] += len(gold_links & pred_links)
        n["links_pred"] += len(pred_links)
        n["links_gold"] += len(gold_links)
        self.entities(actors, pred.get("entities", []))

    def entities(self, actors: Actors, entities: list[dict]) -> None:
        n = self.n
        for kind, types in (("person", {"PERSON"}), ("organisation", {"ORG", "NORP_ORG"})):
            golds = [name for name, k in actors.kind.items() if k == kind]
            ours = [e for e in entities if e.get("type") in types]
            found = defaultdict(int)  # gold actor -> entities naming it
            for e in ours:
                name = actors.find(label(e), golds)
                forms = [label(e)] + [m.get("text") for m in e.get("mentions", [])]
                if kind == "person":  # a bare surname says nothing about which of a family it is
                    forms = [f for f in forms if f and person_parts(f)[1]]
                named_here = {actors.find(f, golds) for f in forms if f} - {None}
                if len(named_here) > 1:
                    n[f"{kind}_merges"] += 1
                if name is None:
                    continue
                n[f"{kind}_pred_ok"] += 1
                found[name] += 1
                if kind == "person" and e.get("id"):
                    person = person_identity(name)
                    self.ids_of_person[person].add(e["id"])
                    self.people_of_id[e["id"]].add(person)
            n[f"{kind}_pred"] += len(ours)
            n[f"{kind}_gold"] += len(golds)
            n[f"{kind}_gold_found"] += len(found)
            n[f"{kind}_splits"] += sum(1 for count in found.values() if count > 1)

    def figures(self, articles: int) -> dict:
        n = self.n
        out = {
            "articles": articles,
            "statements": {"gold": n["gold_statements"], "predicted": n["pred_statements"], "matched": n["matched"]},
            "speaker_accuracy_named": share(n["speaker_named_ok"], n["speaker_named"]),
            "speaker_named": n["speaker_named"],
            "unnamed_kept_unnamed": share(n["speaker_unnamed_ok"], n["speaker_unnamed"]),
            "speaker_unnamed": n["speaker_unnamed"],
            "about_on_matched": prf(n["about_tp"], n["about_pred"], n["about_gold"]),
            "who_about_whom": prf(n["pairs_tp"], n["pred_pairs"], n["gold_pairs"]),
            "links": prf(n["links_tp"], n["links_pred"], n["links_gold"]),
        }
        for kind in ("person", "organisation"):
            out[f"{kind}s"] = {
                "precision": share(n[f"{kind}_pred_ok"], n[f"{kind}_pred"]),
                "recall": share(n[f"{kind}_gold_found"], n[f"{kind}_gold"]),
                "predicted": n[f"{kind}_pred"], "gold": n[f"{kind}_gold"],
                "splits": n[f"{kind}_splits"], "merges": n[f"{kind}_merges"]}
        if self.people_of_id:
            out["cross_article"] = {
                "gold_people_with_ids": len(self.ids_of_person),
                "split_people": sum(1 for ids in self.ids_of_person.values() if len(ids) > 1),
                "merged_ids": sum(1 for people in self.people_of_id.values() if len(people) > 1)}
        return out


def score(gold: dict[str, dict], predictions: dict[str, dict], texts: Path, threshold: float = 0.5) -> dict:
    """The figures for gold and predicted articles, both keyed by file stem; texts/STEM.txt is
    the text the offsets index."""
    tally = Tally()
    for stem, article in gold.items():
        text = (texts / f"{stem}.txt").read_text(encoding="utf-8")
        tally.article(article, predictions.get(stem, {}), text, threshold)
    return tally.figures(len(gold))


def report(result: dict) -> list[str]:
    """The figures as the shared scorer prints them."""
    s = result["statements"]
    lines = [f"statements: gold {s['gold']}, predicted {s['predicted']}, matched {s['matched']}",
             f"speaker named right on matched      {result['speaker_accuracy_named']:.3f} "
             f"(of {result['speaker_named']})",
             f"unnamed source left unnamed          {result['unnamed_kept_unnamed']:.3f} "
             f"(of {result['speaker_unnamed']})"]
    for key in ("about_on_matched", "who_about_whom", "links"):
        m = result[key]
        lines.append(f"{key:20s} P={m['precision']:.3f} R={m['recall']:.3f} F1={m['f1']:.3f} "
                     f"(tp={m['tp']} predicted={m['predicted']} gold={m['gold']})")
    for key in ("persons", "organisations"):
        m = result[key]
        lines.append(f"{key:20s} P={m['precision']:.3f} R={m['recall']:.3f} (predicted={m['predicted']} "
                     f"gold={m['gold']}) splits={m['splits']} merges={m['merges']}")
    if "cross_article" in result:
        x = result["cross_article"]
        lines.append(f"across articles: {x['split_people']} of {x['gold_people_with_ids']} people split over "
                     f"several ids, {x['merged_ids']} ids merging several people")
    lines.append(f"who_about_whom_f1={result['who_about_whom']['f1']:.4f}")
    return lines


# --- reading -------------------------------------------------------------------------------
def is_spans(value) -> bool:
    return isinstance(value, list) and all(
        isinstance(s, list) and len(s) == 2 and all(isinstance(x, int) for x in s) for s in value)


def check_gold(obj) -> str | None:
    """What is wrong with one gold line, or None."""
    if not isinstance(obj, dict):
        return "not a JSON object"
    if not isinstance(obj.get("file"), str) or not obj["file"]:
        return 'no "file"'
    actors = obj.get("actors", [])
    if not isinstance(actors, list) or not all(
            isinstance(a, dict) and isinstance(a.get("name"), str) and isinstance(a.get("type"), str) for a in actors):
        return '"actors" is not a list of {"name", "type"}'
    statements = obj.get("statements", [])
    if not isinstance(statements, list):
        return '"statements" is not a list'
    for n, st in enumerate(statements):
        where = f"statement {st.get('id', n + 1) if isinstance(st, dict) else n + 1}"
        if not isinstance(st, dict) or not is_spans(st.get("content")):
            return f'{where}: "content" is not a list of [start, end]'
        if st.get("speaker") is not None and not isinstance(st["speaker"], str):
            return f'{where}: "speaker" is neither a name nor null'
        about = st.get("about", [])
        if not isinstance(about, list) or not all(isinstance(a, str) for a in about):
            return f'{where}: "about" is not a list of names'
    return None


def json_lines(path: Path, what: str, bad_line: str) -> Iterator[tuple[int, object]]:
    """(line number, value) of each non-blank line of a JSON Lines file; GoldError naming the file
    (and line) of one that cannot be read."""
    try:
        lines = path.read_text(encoding="utf-8").splitlines()
    except (OSError, UnicodeDecodeError) as error:
        raise GoldError(f"cannot read the {what} {path}: {error}") from None
    for n, line in enumerate(lines, 1):
        if not line.strip():
            continue
        try:
            obj = json.loads(line)
        except json.JSONDecodeError as error:
            raise GoldError(f"{path}:{n}: {bad_line} ({error})") from None
        yield n, obj


def read_gold(path: Path) -> dict[str, dict]:
    """Gold articles by file stem; GoldError naming the file and line of anything malformed."""
    gold = {}
    for n, obj in json_lines(path, "gold file", "not JSON"):
        problem = check_gold(obj)
        if problem:
            raise GoldError(f"{path}:{n}: not a who-about-whom gold line: {problem}")
        gold[Path(obj["file"]).stem] = obj
    if not gold:
        raise GoldError(f"{path} holds no gold articles")
    return gold


def read_predictions(path: Path) -> dict[str, dict]:
    """`kg extract --format jsonl` output by file stem."""
    found = {}
    for n, obj in json_lines(path, "predictions", "not a kg extract line"):
        try:
            found[Path(obj["file"]).stem] = obj
        except (KeyError, TypeError) as error:
            raise GoldError(f"{path}:{n}: not a kg extract line ({error})") from None
    return found
