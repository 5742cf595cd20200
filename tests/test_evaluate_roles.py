"""kg eval roles: our scoring module gives the shared scorer's figures."""
import json
import subprocess
import sys

import pytest

from kg.evaluate.roles import read_gold, score
from conftest import KG, ROOT, SHARED

SCORER = SHARED / "eval" / "score_roles.py"
SEED_GOLD = SHARED / "data" / "seed-gold" / "roles.jsonl"


def shared_scorer(gold, predictions) -> dict:
    if not SCORER.exists() or not gold.exists():
        pytest.skip(f"{SCORER} or {gold} not found (set KG_SHARED)")
    out = subprocess.run([sys.executable, str(SCORER), str(gold), str(predictions), "--json"],
                         capture_output=True, text=True, check=True).stdout
    return json.loads(out[: out.rindex("}") + 1])


def variants(gold_facts: list[dict]) -> list[dict]:
    """Predictions that hit the scorer's rules from every side: initials, nicknames, demonyms,
    other heads, wrong organisations and times, misses and extras."""
    preds = []
    for n, fact in enumerate(gold_facts):
        first, *rest = fact["person"].split()
        person = [fact["person"], f"{first[0]}. {' '.join(rest)}", rest[-1], f"Xavier {rest[-1]}"][n % 4]
        org = [fact["org"], "the " + (fact["org"] or ""), "Nowhere Institute", None][n % 3]
        role = [fact["role"], fact["role"].split()[-1], "deputy " + fact["role"], "head of protocol"][n % 4]
        time = fact["time"] if n % 5 else "former"
        if n % 6 != 5:
            preds.append({"person": {"name": person}, "role": role,
                          "organisation": None if org is None else {"name": org}, "time": time})
    preds.append({"person": "Mario Rossi", "role": "mayor", "org": "Rome", "time": "current"})
    return preds


def test_our_figures_equal_the_shared_scorer_on_the_seed_gold(tmp_path):
    if not SEED_GOLD.exists():
        pytest.skip(f"{SEED_GOLD} not found")
    gold = read_gold(SEED_GOLD)
    [(name, facts)] = gold.items()
    predictions = tmp_path / "pred.jsonl"
    predictions.write_text(json.dumps({"file": name, "roles": variants(facts)}) + "\n", encoding="utf-8")
    ours = score(gold, {name: variants(facts)}).to_json()
    theirs = shared_scorer(SEED_GOLD, predictions)
    assert ours == theirs
    assert 0 < ours["triple"]["tp"] < ours["pair"]["tp"] < len(facts)  # the variants do test something


def test_kg_eval_roles_prints_the_scorer_figures_for_our_extraction(tmp_path):
    if not SEED_GOLD.exists():
        pytest.skip(f"{SEED_GOLD} not found")
    ours = subprocess.run([str(KG), "eval", "roles", str(SEED_GOLD), "--texts", str(ROOT / "seeds"), "--json"],
                          capture_output=True, text=True, check=True).stdout
    predictions = tmp_path / "seed.jsonl"
    predictions.write_text(subprocess.run([str(KG), "extract", str(ROOT / "seeds")], capture_output=True,
                                          text=True, check=True).stdout, encoding="utf-8")
    figures = json.loads(ours)
    assert figures == shared_scorer(SEED_GOLD, predictions)
    assert figures["triple"]["tp"] == 11 and figures["time_accuracy"] == 1.0


def test_kg_eval_roles_reports_missing_texts_and_bad_gold(tmp_path):
    gold = tmp_path / "gold.jsonl"
    gold.write_text('{"file": "no-such-article", "facts": []}\n', encoding="utf-8")
    result = subprocess.run([str(KG), "eval", "roles", str(gold), "--texts", str(tmp_path)], capture_output=True, text=True)
    assert result.returncode == 2 and "no-such-article" in result.stderr
    gold.write_text("not json\n", encoding="utf-8")
    result = subprocess.run([str(KG), "eval", "roles", str(gold), "--texts", str(tmp_path)], capture_output=True, text=True)
    assert result.returncode == 2 and "gold.jsonl:1" in result.stderr
