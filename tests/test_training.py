"""Training the attribution tagger and scoring it, on a tiny BRAT corpus we wrote (tests/articles/brat)."""
import subprocess

from conftest import ARTICLES, KG

CORPUS = ARTICLES / "brat"


def test_train_then_evaluate_a_tagger(tmp_path):
    model = tmp_path / "tagger.crfsuite"
    subprocess.run([str(KG), "train", "attributions", str(CORPUS), "--out", str(model)],
                   capture_output=True, text=True, check=True)
    assert model.stat().st_size > 0 and (tmp_path / "tagger-clusters.npy").exists()
    report = subprocess.run([str(KG), "eval", "attributions", str(CORPUS), "--model", str(model)],
                            capture_output=True, text=True, check=True).stdout
    joint = report.splitlines()[1]
    assert joint.startswith("joint") and int(joint.split("tp=")[1].split()[0]) >= 6, report


def test_training_needs_a_brat_corpus(tmp_path):
    result = subprocess.run([str(KG), "train", "attributions", str(tmp_path)], capture_output=True, text=True)
    assert result.returncode == 2 and "text/ and attributions/" in result.stderr


def test_mine_the_cue_verbs_of_a_corpus(tmp_path):
    table = tmp_path / "cues.tsv"
    subprocess.run([str(KG), "train", "cues", str(CORPUS), "--least", "2", "--share", "0.5", "--out", str(table)],
                   capture_output=True, text=True, check=True)
    rows = [line.split("\t") for line in table.read_text(encoding="utf-8").splitlines() if not line.startswith("#")]
    assert rows == [["praise", "2", "2"]]  # "said" and "warned" are in cues.tsv already


def test_an_empty_corpus_is_refused_and_nothing_is_written(tmp_path):
    (tmp_path / "text").mkdir()
    (tmp_path / "attributions").mkdir()
    for command in (["train", "cues"], ["train", "attributions"], ["eval", "attributions"]):
        out = ["--out", str(tmp_path / "out")] if command[0] == "train" else []
        result = subprocess.run([str(KG), *command, str(tmp_path), *out], capture_output=True, text=True)
        assert result.returncode == 2 and "has no articles" in result.stderr
    assert not (tmp_path / "out").exists()
