"""Training on a BRAT attribution corpus (the PolNeAR layout): the cue verbs its annotators use,
and the attribution tagger.

Each token's gold label is B-/I- content, source or cue, or O; content wins where annotations
nest, so a tagged content is the outermost claim. The model is a linear-chain CRF (crfsuite)
over the features in kg.extract.features, which include the rules' own labels and clusters of
the pipeline's word vectors (saved beside the model).
"""
from __future__ import annotations

from collections import Counter
from collections.abc import Callable
from pathlib import Path

import pycrfsuite
from spacy.tokens import Doc

from .evaluate.attributions import Item, load_gold
from .extract import build_pipeline
from .extract.features import WordClusters, doc_features, mark_span
from .extract.lexicon import DATA, MINED_CUES, read_table
from .extract.quotes import find_quotes
from .extract.tagger import clusters_path
from .nlp import load_pipeline

# Strong L2: the lexical features are many and sparse. Over c2 = 0.01 ... 8 on PolNeAR dev, joint F1
# rose from 0.654 to 0.698 with recall flat above 4; 4 keeps the recall and the cue spans.
CRF_PARAMS = {"c1": 0.05, "c2": 4.0, "max_iterations": 150, "feature.possible_transitions": True}


def gold_labels(doc: Doc, items: list[Item]) -> list[str]:
    labels = ["O"] * len(doc)
    longest_first = sorted(items, key=lambda it: -sum(e - s for s, e in it.content))
    for kind in ("content", "source", "cue"):
        for item in longest_first:
            for start, end in getattr(item, kind):
                mark_span(labels, doc, start, end, kind)
    return labels


def train(spacy_model: str, corpus: Path, model: Path, progress: Callable[[int, int], None]) -> None:
    """Parse the corpus with the rules only, and train the tagger on every paragraph."""
    nlp = build_pipeline(spacy_model, attribution_model=None)
    clusters = WordClusters.build(nlp.vocab.vectors)
    articles = load_gold(corpus)
    trainer = pycrfsuite.Trainer(verbose=False)
    docs = nlp.pipe(((a.text, a) for a in articles), as_tuples=True, batch_size=16)
    for n, (doc, article) in enumerate(docs, 1):
        labels = gold_labels(doc, article.items)
        for indices, rows in doc_features(doc, doc._.kg_rule_statements, find_quotes(doc.text), clusters):
            trainer.append(rows, [labels[i] for i in indices])
        progress(n, len(articles))
    trainer.set_params(CRF_PARAMS)
    model.parent.mkdir(parents=True, exist_ok=True)
    trainer.train(str(model))
    clusters.save(clusters_path(model))


def mine_cues(spacy_model: str, corpus: Path, least: int, share: float,
              progress: Callable[[int, int], None]) -> list[tuple[str, int, int]]:
    """Verbs the annotators mark as (part of) a cue at least `least` times and in at least `share`
    of their uses, with both counts; the hand-written cues.tsv's own verbs are left out."""
    nlp = load_pipeline(spacy_model)
    written = {key for key, cls in read_table("cues.tsv") if cls != "phrase"}
    articles = load_gold(corpus)
    uses, cues = Counter(), Counter()
    with nlp.select_pipes(disable=[name for name in ("parser", "ner") if name in nlp.pipe_names]):
        docs = nlp.pipe(((a.text, a) for a in articles), as_tuples=True, batch_size=16)
        for n, (doc, article) in enumerate(docs, 1):
            in_cue = {t.i for item in article.items for start, end in item.cue
                      for t in doc.char_span(start, end, alignment_mode="expand") or []}
            for token in doc:
                if token.pos_ == "VERB":
                    uses[token.lemma_.lower()] += 1
                    cues[token.lemma_.lower()] += token.i in in_cue
            progress(n, len(articles))
    found = [(lemma, cues[lemma], uses[lemma]) for lemma in uses
             if lemma not in written and cues[lemma] >= least and cues[lemma] >= share * uses[lemma]]
    return sorted(found, key=lambda row: (-row[1], row[0]))


def write_cues(rows: list[tuple[str, int, int]], corpus: Path, out: Path = DATA / MINED_CUES) -> None:
    lines = [f"# Cue verbs mined from {corpus.name} by `kg train cues` (kg/training.py), used as speech cues.",
             "# lemma, uses inside an annotated cue, uses as a verb. Verbs of cues.tsv are not repeated here.",
             *(f"{lemma}\t{n_cue}\t{n_use}" for lemma, n_cue, n_use in rows)]
    out.write_text("\n".join(lines) + "\n", encoding="utf-8")
