"""Training the attribution tagger on a BRAT attribution corpus (the PolNeAR layout).

Each token's gold label is B-/I- content, source or cue, or O; content wins where annotations
nest, so a tagged content is the outermost claim. The model is a linear-chain CRF (crfsuite)
over the features in kg.extract.features, which include the rules' own labels and clusters of
the pipeline's word vectors (saved beside the model).
"""
from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pycrfsuite
from spacy.tokens import Doc

from .evaluate.attributions import Item, load_gold
from .extract import build_pipeline
from .extract.features import WordClusters, doc_features, mark_span
from .extract.quotes import find_quotes
from .extract.tagger import clusters_path

CRF_PARAMS = {"c1": 0.05, "c2": 0.01, "max_iterations": 150, "feature.possible_transitions": True}


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
