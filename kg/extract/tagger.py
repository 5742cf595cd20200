"""The attribution tagger: a CRF labels source, cue and content spans, then each content is
linked to its cue and each cue to its source.

Linking prefers the rules' own statement where the rules found the same content (their
speaker resolution is reliable), then the tree: the cue that governs the content, or the cue
the content governs ("..., he said"), then the nearest cue in the sentence. A content with no cue
in reach continues the previous statement (a floating quotation).
"""
from __future__ import annotations

import gc
from contextlib import contextmanager
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path

import pycrfsuite
from spacy.tokens import Doc, Token
from spacy.vectors import Vectors

from ..model import Statement
from .features import WordClusters, doc_features

MODEL = Path(__file__).resolve().parent.parent / "models" / "attributions.crfsuite"


def clusters_path(model: Path) -> Path:
    return model.with_name(model.stem + "-clusters.npy")


@dataclass
class Segment:
    """A run of tokens the tagger gave one kind; positions are worked out once."""
    kind: str  # source | cue | content
    tokens: list[Token]
    para: int  # the paragraph's number
    start: int = field(init=False)
    end: int = field(init=False)
    indices: set[int] = field(init=False)

    def __post_init__(self) -> None:
        self.start = self.tokens[0].idx
        self.end = self.tokens[-1].idx + len(self.tokens[-1])
        self.indices = {t.i for t in self.tokens}

    @cached_property
    def root(self) -> Token:
        """The first token whose head lies outside the segment (asked for contents and cues only)."""
        return next((t for t in self.tokens if t.head.i not in self.indices or t.head.i == t.i), self.tokens[0])


@contextmanager
def collector_paused():
    """Pause the cyclic garbage collector: the features are hundreds of thousands of small lists
    without cycles, and the collections they would set off cost a fifth of the tagger's time."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


class AttributionTagger:
    def __init__(self, path: Path, vectors: Vectors):
        self.crf = pycrfsuite.Tagger()
        self.crf.open(str(path))
        self.clusters = WordClusters.load(clusters_path(path), vectors)

    def segments(self, doc: Doc, rule_statements: list[Statement], quotes: list[tuple[int, int]]) -> list[Segment]:
        with collector_paused():
            tagged = [(indices, self.crf.tag(rows))
                      for indices, rows in doc_features(doc, rule_statements, quotes, self.clusters)]
        runs: list[tuple[str, list[int], int]] = []
        for para, (indices, labels) in enumerate(tagged):
            previous = "O"
            for i, label in zip(indices, labels):
                if label != "O":
                    tag, kind = label.split("-", 1)
                    if tag == "I" and previous.endswith(kind):
                        runs[-1][1].append(i)
                    else:
                        runs.append((kind, [i], para))
                previous = label
        return [Segment(kind, [doc[i] for i in run], para) for kind, run, para in runs]
