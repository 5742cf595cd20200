"""Token features for the attribution tagger, shared by training and extraction.

A sequence is one paragraph. Each token gets string features from its word, its place in the
dependency tree (the nearest cue-lexicon and verb ancestors, and the relation that leads to them),
quotation marks around it, and the labels the rules gave it (the tagger learns where to trust them).
"""
from __future__ import annotations

from pathlib import Path

import numpy as np
from spacy.attrs import DEP, HEAD, LEMMA, LOWER, POS, SENT_START, TAG
from spacy.tokens import Doc
from spacy.vectors import Vectors

from ..model import Statement
from .lexicon import lexicon
from .text import strings_of

LAYERS = ("source", "cue", "content")
QUOTE_MARKS = set("\"“”«»„")
MAX_ANCESTORS = 8
CHILD_DEPS = {"ccomp", "nsubj", "dobj", "xcomp", "agent", "mark", "dative"}
NEAR, FAR = (-1, 1), (-2, 2)  # neighbours that tell all they share, and those that tell their word
EDGE = ("edge",)  # what a position beyond the paragraph tells
RULE_FEATURES = {(a, b, c): [f"rsou={a}", f"rcue={b}", f"rcon={c}"]
                 for a in "BIO" for b in "BIO" for c in "BIO"}  # the rules' labels per layer


def paragraphs(lower: list[str]) -> list[list[int]]:
    """The indices of the non-space tokens of each line of the text."""
    paras: list[list[int]] = [[]]
    for i, text in enumerate(lower):
        if "\n" in text:
            if paras[-1]:
                paras.append([])
        elif not text.isspace():
            paras[-1].append(i)
    return [p for p in paras if p]


def rule_labels(doc: Doc, statements: list[Statement]) -> dict[str, list[str]]:
    """BIO labels per token for each layer, from the rules' statements."""
    labels = {layer: ["O"] * len(doc) for layer in LAYERS}
    for statement in statements:
        spans = {"cue": [statement.cue], "content": statement.content,
                 "source": [statement.mention] if statement.mention else []}
        for layer, layer_spans in spans.items():
            for span in layer_spans:
                mark_span(labels[layer], doc, span.start, span.end)
    return labels


def mark_span(labels: list[str], doc: Doc, start: int, end: int, kind: str = "") -> None:
    """Label the tokens of a character span B, I, I, ... (B-kind, I-kind, ... with a kind),
    unless one of them is labelled already."""
    tokens = doc.char_span(start, end, alignment_mode="expand")
    if tokens is None:
        return
    inside = [t.i for t in tokens if not t.is_space]
    if not inside or any(labels[i] != "O" for i in inside):
        return
    suffix = f"-{kind}" if kind else ""
    labels[inside[0]] = "B" + suffix
    for i in inside[1:]:
        labels[i] = "I" + suffix


def quote_state(doc: Doc, quotes: list[tuple[int, int]]) -> list[str]:
    """Per token: Q (inside a quotation), or O."""
    state = ["O"] * len(doc)
    for start, end in quotes:
        span = doc.char_span(start, end, alignment_mode="expand")
        for token in span or []:
            state[token.i] = "Q"
    return state


class Columns:
    """The token attributes the features read, taken from the Doc once (a Token is built
    afresh at every access, which would dominate the tagger's time)."""
    def __init__(self, doc: Doc, clusters: WordClusters | None):
        table = doc.to_array([LOWER, LEMMA, TAG, POS, DEP])
        names = [strings_of(doc, column) for column in table.T]
        self.lower, lemma, self.tag, self.pos, self.dep = names
        self.lemma = [x.lower() for x in lemma]
        self.cluster = clusters.of_keys(table[:, 0]) if clusters else [-1] * len(doc)
        offsets = doc.to_array([HEAD]).astype(np.int64).tolist()  # relative, stored unsigned
        self.head = [i + offset for i, offset in enumerate(offsets)]
        self.sent_start = (doc.to_array([SENT_START]) == 1).tolist()
        # each token's children by the relations that tell what kind of clause it heads
        self.children: list[list[str]] = [[] for _ in offsets]
        for i, head in enumerate(self.head):
            if head != i and self.dep[i] in CHILD_DEPS:
                self.children[head].append(f"ch={self.dep[i]}")


Link = tuple[int, int, int]  # an ancestor, the child below it on the way up, the steps in between


def nearest_above(head: list[int], passes: list[bool]) -> list[Link | None]:
    """For each token, its nearest ancestor that passes; each path is walked once."""
    found: list[Link | None] = [None] * len(head)
    done = [False] * len(head)
    for i in range(len(head)):
        path, node = [], i
        while not done[node]:
            path.append(node)
            up = head[node]
            if up == node or passes[up]:
                break
            node = up
        for node in reversed(path):
            up = head[node]
            if up == node:
                found[node] = None
            elif passes[up]:
                found[node] = (up, node, 0)
            elif found[up] is not None:
                ancestor, child, steps = found[up]
                found[node] = (ancestor, child, steps + 1)
            done[node] = True
    return found


def ancestry(c: Columns, cue: Link | None, verb: Link | None, cues: dict[str, str]) -> list[str]:
    """Features from the path up the tree: the first cue-lexicon ancestor and the first verb."""
    feats: list[str] = []
    if cue is not None and cue[2] < MAX_ANCESTORS:
        node, child, steps = cue
        lemma, dep = c.lemma[node], c.dep[child]
        feats += [f"cal={lemma}|{dep}", f"cad={min(steps, 3)}"]
    else:
        feats.append("ca=none")
    if verb is not None and verb[2] < MAX_ANCESTORS:
        node, child, _ = verb
        feats.append(f"va={c.lemma[node]}|{c.dep[child]}")
    return feats


def word_features(c: Columns, i: int, cues: dict[str, str]) -> list[str]:
    """Features of the word alone, the same wherever it stands (cached per word)."""
    lower, lemma = c.lower[i], c.lemma[i]
    feats = [f"w={lower}", f"l={lemma}", f"p={c.tag[i]}", f"c={c.cluster[i]}"]
    if lemma in cues:
        feats.append(f"cue={cues[lemma]}")
    if lower in QUOTE_MARKS or lower in ("'", "‘", "’"):
        feats.append("qmark")
    return feats


def tree_features(c: Columns, i: int, cue: Link | None, verb: Link | None, cues: dict[str, str]) -> list[str]:
    """Features of the token's place in the tree and its sentence."""
    head = c.head[i]
    feats = [
        "bias", f"hl={c.lemma[head]}", f"dh={c.dep[i]}|{c.lemma[head]}",
        f"path={c.dep[i]}>{c.dep[head]}>{c.dep[c.head[head]]}",
    ]
    if c.sent_start[i]:
        feats.append("sent_start")
    if i + 1 < len(c.sent_start) and c.sent_start[i + 1]:
        feats.append("sent_end")
    feats += c.children[i]
    feats += ancestry(c, cue, verb, cues)
    return feats


def cue_sides(c: Columns, cues: dict[str, str]) -> list[str]:
    """Per token: where its sentence's cue-lexicon words are (L, R, LR or -)."""
    sides = ["-"] * len(c.lemma)
    start = 0
    for end in range(1, len(c.lemma) + 1):
        if end == len(c.lemma) or c.sent_start[end]:
            is_cue = [c.lemma[i] in cues for i in range(start, end)]
            total, seen = sum(is_cue), 0
            for k, cue in enumerate(is_cue):
                left, right = seen > 0, total - seen - cue > 0
                sides[start + k] = "L" * left + "R" * right or "-"
                seen += cue
            start = end
    return sides


def doc_features(doc: Doc, statements: list[Statement], quotes: list[tuple[int, int]],
                 clusters: WordClusters | None = None) -> list[tuple[list[int], list[list[str]]]]:
    """Feature sequences, one per paragraph, each with its token indices."""
    cues = lexicon().cue_verbs
    c = Columns(doc, clusters)
    rules = rule_labels(doc, statements)
    quoted = quote_state(doc, quotes)
    sides = cue_sides(c, cues)
    cue_above = nearest_above(c.head, [lemma in cues for lemma in c.lemma])
    verb_above = nearest_above(c.head, [pos == "VERB" for pos in c.pos])
    words: dict[tuple, list[str]] = {}
    own, shared = [], []
    for i, labels in enumerate(zip(*(rules[layer] for layer in LAYERS))):
        key = (c.lower[i], c.lemma[i], c.tag[i])
        if key not in words:
            words[key] = word_features(c, i, cues)
        own.append(words[key] + tree_features(c, i, cue_above[i], verb_above[i], cues)
                   + [f"q={quoted[i]}", f"side={sides[i]}"] + RULE_FEATURES[labels])
        # What a token tells its neighbours: its word, its relation and quotation state, the rules' labels.
        shared.append((f"w={c.lower[i]}", f"d={c.dep[i]}|{quoted[i]}", "r=" + "".join(labels)))
    told = {offset: Prefixed(str(offset)) for offset in NEAR + FAR}
    sequences = []
    for indices in paragraphs(c.lower):
        padded = [EDGE, EDGE] + [shared[i] for i in indices] + [EDGE, EDGE]
        rows = [own[i] + [told[offset][f] for offset in NEAR for f in padded[k + offset]]
                + [told[offset][padded[k + offset][0]] for offset in FAR]
                for k, i in enumerate(indices, start=2)]
        sequences.append((indices, rows))
    return sequences


class Prefixed(dict):
    """The strings prefix + feature, each made once: neighbours repeat the same few features."""
    def __init__(self, prefix: str):
        super().__init__()
        self.prefix = prefix

    def __missing__(self, feature: str) -> str:
        self[feature] = value = self.prefix + feature
        return value


class WordClusters:
    """Clusters of the pipeline's word vectors, so that words unseen in training behave like
    their neighbours. Rows of the vector table map to cluster numbers."""
    def __init__(self, row_clusters: np.ndarray, vectors: Vectors):
        self.array = row_clusters
        self.row_clusters = row_clusters.tolist()
        self.key2row = vectors.key2row

    @classmethod
    def load(cls, path: Path, vectors: Vectors) -> "WordClusters":
        return cls(np.load(path), vectors)

    def save(self, path: Path) -> None:
        np.save(path, self.array)

    @classmethod
    def build(cls, vectors: Vectors, k: int = 256, iterations: int = 20, seed: int = 0) -> "WordClusters":
        """Spherical k-means over the vector table (a few seconds), with a fixed seed."""
        data = np.array(vectors.data, dtype=np.float32)  # a copy: normalised below
        data /= np.maximum(np.linalg.norm(data, axis=1, keepdims=True), 1e-6)
        centres = data[np.random.default_rng(seed).choice(len(data), k, replace=False)]
        for _ in range(iterations):
            labels = np.argmax(data @ centres.T, axis=1)
            sums = np.zeros_like(centres)
            np.add.at(sums, labels, data)
            norms = np.linalg.norm(sums, axis=1, keepdims=True)
            centres = np.where(norms > 0, sums / np.maximum(norms, 1e-6), centres)
        return cls(np.argmax(data @ centres.T, axis=1).astype(np.int16), vectors)

    def of_keys(self, keys: np.ndarray) -> list[int]:
        """The cluster of each word (by its hash key); -1 for a word without a vector."""
        distinct, inverse = np.unique(keys, return_inverse=True)
        clusters = []
        for key in distinct.tolist():
            row = self.key2row.get(key, -1)
            clusters.append(self.row_clusters[row] if 0 <= row < len(self.row_clusters) else -1)
        return [clusters[k] for k in inverse.tolist()]
