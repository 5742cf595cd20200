"""`kg eval graph` against the shared who-about-whom scorer: the same figures on the same
predictions, on three PolNeAR dev articles and on a tiny gold of our own with hand-made
predictions (splits, merges, unnamed speakers, nicknames, acronyms, aliases, ids across articles)."""
import json
import subprocess
import sys

import pytest

from conftest import KG, SHARED

SCORER = SHARED / "eval" / "score_graph.py"
DEV_GOLD = SHARED / "data" / "graph-gold" / "dev.jsonl"
DEV_TEXTS = SHARED / "data" / "polnear" / "dev" / "text"
OOD = SHARED / "data" / "ood-dev"
SUBSET = ("breitbart_2016-09-15_pat-caddell-democrat-voters-worr", "huff-post_2016-09-22_trump-the-dealmaker-could-addres",
          "politico_2016-09-25_poll-clinton-and-trump-in-dead-h")


def kg(*args: str, check: bool = True) -> subprocess.CompletedProcess:
    result = subprocess.run([str(KG), "eval", "graph", *map(str, args)], capture_output=True, text=True)
    if check:
        assert result.returncode == 0, result.stderr
    return result


def shared_scorer(gold, predictions, texts) -> tuple[dict, str]:
    """The shared scorer's figures (--json) and its report."""
    if not SCORER.exists():
        pytest.skip(f"{SCORER} not found (set KG_SHARED)")
    run = [sys.executable, str(SCORER), str(gold), str(predictions), "--texts", str(texts)]
    as_json = subprocess.run(run + ["--json"], capture_output=True, text=True, check=True).stdout
    report = subprocess.run(run, capture_output=True, text=True, check=True).stdout
    figures, last = as_json.rstrip("\n").rsplit("\n", 1)  # its JSON, then "who_about_whom_f1=..."
    assert last.startswith("who_about_whom_f1=")
    return json.loads(figures), report


# --- a gold of our own ----------------------------------------------------------------------
TEXTS = {
    "a1": ("Ann Roe, who runs Quill Partners, said the Federal Bureau of Investigation had been slow. "
           "William Okafor disagreed, saying Roe was wrong about Quill and its plans. Officials said the "
           "deal would close. \"We will win,\" the company said. Republicans said Mr. Okafor misled voters. "
           "Roe praised Quill Partners for its patience."),
    "a2": "Bill Okafor said the merger was dead. Ann Roe's brother, Dan Roe, said nothing new.",
    "a3": "Cy Vale said Dee Moss would run again.",
}


def span(stem: str, words: str, cut: int = 0) -> list[int]:
    """[start, end] of `words` in the article, `cut` characters short at the end."""
    start = TEXTS[stem].index(words)
    return [start, start + len(words) - cut]


def gold_lines() -> list[dict]:
    return [
        {"file": "a1", "actors": [
            {"name": "Ann Roe", "type": "person"}, {"name": "William Okafor", "type": "person"},
            {"name": "Quill Partners", "type": "organisation"},
            {"name": "Federal Bureau of Investigation", "type": "organisation"},
            {"name": "Republican Party", "type": "organisation"}],
         "statements": [
            {"id": "E1", "content": [span("a1", "the Federal Bureau of Investigation had been slow")],
             "speaker": "Ann Roe", "speaker_type": "person", "about": ["Federal Bureau of Investigation"]},
            {"id": "E2", "content": [span("a1", "Roe was wrong about Quill and its plans")],
             "speaker": "William Okafor", "speaker_type": "person", "about": ["Ann Roe", "Quill Partners"]},
            {"id": "E3", "content": [span("a1", "the deal would close")],
             "speaker": None, "speaker_type": "unnamed", "about": []},
            {"id": "E4", "content": [span("a1", '"We will win,"')],
             "speaker": "Quill Partners", "speaker_type": "organisation", "about": []},
            {"id": "E5", "content": [span("a1", "Mr. Okafor misled voters")],
             "speaker": "Republican Party", "speaker_type": "group", "about": ["William Okafor"]}]},
        {"file": "a2.txt", "actors": [
            {"name": "Bill Okafor", "type": "person"}, {"name": "Ann Roe", "type": "person"},
            {"name": "Dan Roe", "type": "person"}],
         "statements": [
            {"id": "E1", "content": [span("a2", "the merger was dead")],
             "speaker": "Bill Okafor", "speaker_type": "person", "about": []}]},
        {"file": "a3", "actors": [{"name": "Cy Vale", "type": "person"}, {"name": "Dee Moss", "type": "person"}],
         "statements": [
            {"id": "E1", "content": [span("a3", "Dee Moss would run again")],
             "speaker": "Cy Vale", "speaker_type": "person", "about": ["Dee Moss"]}]},
    ]


def statement(stem: str, content: list[int], speaker, about=()) -> dict:
    return {"speaker": speaker if speaker is None or isinstance(speaker, dict) else {"name": speaker},
            "content": {"spans": [content]}, "about": [{"name": a} for a in about]}


def entity(name: str, kind: str, id_: str | None = None, *mentions: str) -> dict:
    return {"name": name, "type": kind, "id": id_, "mentions": [{"text": m} for m in (name, *mentions)]}


def prediction_lines() -> list[dict]:
    return [
        {"file": "a1.txt", "statements": [
            # a bare surname does not name a person whose first name the gold gives; FBI is its acronym
            statement("a1", span("a1", "the Federal Bureau of Investigation had been slow"), "Roe", ["FBI"]),
            # a nickname names William; "Quill" is among Quill Partners' words; Zed Corp is no one
            statement("a1", span("a1", "Roe was wrong about Quill and its plans", cut=10), "Bill Okafor",
                      ["Ann Roe", "Quill", "Zed Corp"]),
            # an unnamed source left unnamed, with an about the gold does not have
            statement("a1", span("a1", "the deal would close"), {"name": "Officials", "type": None}, ["Ann Roe"]),
            statement("a1", span("a1", '"We will win,"'), "Quill Partners Inc."),
            # GOP is the Republican Party; a bare "Okafor" does not name William Okafor
            statement("a1", span("a1", "Mr. Okafor misled voters"), "GOP", ["Okafor"]),
            statement("a1", span("a1", "Quill Partners for its patience"), "Ann Roe", ["Quill Partners"]),  # not in the gold
        ], "entities": [
            entity("Ann Roe", "PERSON", "person/ann-roe", "Roe", "William Okafor"),  # merges two people
            entity("William Okafor", "PERSON", "person/william-okafor"),
            entity("Bill Okafor", "PERSON", "person/william-okafor"),  # a split within the article
            entity("Quill Partners", "ORG", "org/quill-partners"), entity("Quill", "ORG", "org/quill"),
            entity("FBI", "ORG", "org/fbi"), entity("Zed Corp", "ORG", "org/zed-corp"),
            entity("Republicans", "NORP", "group/republicans")]},
        {"file": "a2.txt", "statements": [statement("a2", span("a2", "the merger was dead"), "Okafor")],
         "entities": [
            entity("Bill Okafor", "PERSON", "person/william-okafor-2"),  # another id than in a1: split
            entity("Ann Roe", "PERSON", "person/ann-roe"),
            entity("Dan Roe", "PERSON", "person/ann-roe")]},  # Ann's id for Dan: an id merging two people
        {"file": "not-in-the-gold.txt", "statements": [statement("a1", [0, 10], "Ann Roe", ["Quill"])]},
        # a3 has no prediction: it counts as empty
    ]


@pytest.fixture(scope="module")
def tiny(tmp_path_factory):
    folder = tmp_path_factory.mktemp("graph-gold")
    (folder / "text").mkdir()
    for stem, text in TEXTS.items():
        (folder / "text" / f"{stem}.txt").write_text(text, encoding="utf-8")
    (folder / "gold.jsonl").write_text("".join(json.dumps(g) + "\n" for g in gold_lines()), encoding="utf-8")
    (folder / "predictions.jsonl").write_text("".join(json.dumps(p) + "\n" for p in prediction_lines()),
                                              encoding="utf-8")
    return folder


def test_the_figures_of_a_tiny_gold_worked_out_by_hand(tiny):
    r = json.loads(kg(tiny / "gold.jsonl", "--texts", tiny / "text", "--extracted", tiny / "predictions.jsonl",
                      "--json").stdout)
    assert r["articles"] == 3 and r["statements"] == {"gold": 7, "predicted": 7, "matched": 6}
    assert (r["speaker_named"], r["speaker_accuracy_named"]) == (5, 0.6)  # William, Quill, GOP; not Roe, Okafor
    assert (r["speaker_unnamed"], r["unnamed_kept_unnamed"]) == (1, 1.0)
    assert {k: r["about_on_matched"][k] for k in ("tp", "predicted", "gold")} == {"tp": 3, "predicted": 6, "gold": 4}
    assert {k: r["who_about_whom"][k] for k in ("tp", "predicted", "gold", "f1")} == {
        "tp": 2, "predicted": 7, "gold": 5, "f1": 0.3333}
    assert {k: r["links"][k] for k in ("tp", "predicted", "gold")} == {"tp": 2, "predicted": 7, "gold": 5}
    assert r["persons"] == {"precision": 1.0, "recall": 0.7143, "predicted": 6, "gold": 7, "splits": 1, "merges": 1}
    assert r["organisations"] == {"precision": 0.75, "recall": 0.6667, "predicted": 4, "gold": 3,
                                  "splits": 1, "merges": 0}
    assert r["cross_article"] == {"gold_people_with_ids": 3, "split_people": 1, "merged_ids": 1}


def test_the_tiny_gold_scores_as_the_shared_scorer_scores_it(tiny):
    theirs, report = shared_scorer(tiny / "gold.jsonl", tiny / "predictions.jsonl", tiny / "text")
    args = (tiny / "gold.jsonl", "--texts", tiny / "text", "--extracted", tiny / "predictions.jsonl")
    assert json.loads(kg(*args, "--json").stdout) == theirs
    assert kg(*args).stdout == report


def test_dev_articles_score_as_the_shared_scorer_scores_them(tmp_path):
    if not DEV_GOLD.exists():
        pytest.skip(f"{DEV_GOLD} not found (set KG_SHARED)")
    lines = [line for line in DEV_GOLD.read_text(encoding="utf-8").splitlines()
             if line.strip() and json.loads(line)["file"] in SUBSET]
    assert len(lines) == len(SUBSET)
    gold, predictions = tmp_path / "gold.jsonl", tmp_path / "predictions.jsonl"
    gold.write_text("\n".join(lines) + "\n", encoding="utf-8")
    ours = json.loads(kg(gold, "--texts", DEV_TEXTS, "--json", "--predictions", predictions).stdout)
    theirs, report = shared_scorer(gold, predictions, DEV_TEXTS)
    assert ours == theirs
    assert ours["statements"]["matched"] > 0 and ours["speaker_named"] > 0
    assert kg(gold, "--texts", DEV_TEXTS, "--extracted", predictions).stdout == report
    written = [json.loads(line) for line in predictions.read_text(encoding="utf-8").splitlines()]
    assert all(e["id"] for p in written for e in p["entities"])  # the ids the scorer follows across articles


def test_the_ood_gold_reads_and_scores(tmp_path):
    from kg.evaluate.graph import read_gold, score

    if not (OOD / "graph.jsonl").exists():
        pytest.skip(f"{OOD} not found (set KG_SHARED)")
    gold = read_gold(OOD / "graph.jsonl")
    assert len(gold) == 18 and all((OOD / "text" / f"{stem}.txt").is_file() for stem in gold)
    empty = score(gold, {}, OOD / "text")  # no predictions: nothing found, nothing crashes
    assert empty["statements"]["gold"] > 0 and empty["who_about_whom"]["f1"] == 0.0


@pytest.mark.parametrize("content, message", [
    (None, "cannot read the gold file"),
    ("", "holds no gold articles"),
    ('{"file": "a1", "statements": []}\nnot json\n', "gold.jsonl:2: not JSON"),
    ('{"statements": []}\n', 'gold.jsonl:1: not a who-about-whom gold line: no "file"'),
    ('{"file": "a1", "statements": [{"id": "E1", "content": [1, 2]}]}\n',
     'statement E1: "content" is not a list of [start, end]'),
    ('{"file": "a1", "statements": [{"content": [[1, 2]], "about": "Ann Roe"}]}\n', '"about" is not a list'),
])
def test_a_missing_or_malformed_gold_file_is_named(tmp_path, content, message):
    gold = tmp_path / "gold.jsonl"
    if content is not None:
        gold.write_text(content, encoding="utf-8")
    result = kg(gold, "--texts", tmp_path, check=False)
    assert result.returncode == 2 and message in result.stderr.replace("\n", " ")
    assert "Traceback" not in result.stderr


def test_a_gold_article_without_its_text_is_named(tiny, tmp_path):
    result = kg(tiny / "gold.jsonl", "--texts", tmp_path, check=False)
    assert result.returncode == 2 and "no text for 3 gold article(s)" in result.stderr
