"""Token features for the attribution tagger, shared by training and extraction.

A sequence is one paragraph. Each token gets string features from its word, its place in the
dependency tree (the nearest cue-lexicon and verb ancestors, and the relation that leads to them),
quotation marks around it, and the labels the rules gave it (the tagger learns where to trust them).
"""
from __future__ import annotations

from pathlib import Path

import numpy as np
from spacy.attrs import DEP, ENT_TYPE, HEAD, LEMMA, LOWER, POS, SENT_START, SHAPE, TAG
from spacy.tokens import Doc
from spacy.vectors import Vectors

from ..model import Statement
from .lexicon import lexicon

LAYERS = ("source", "cue", "content")
QUOTE_MARKS = set("\"“”«»„")
MAX_ANCESTORS = 8
CHILD_DEPS = {"ccomp", "nsubj", "dobj", "xcomp", "agent", "mark", "dative"}


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
        strings = doc.vocab.strings
        table = doc.to_array([LOWER, LEMMA, TAG, POS, DEP, SHAPE, ENT_TYPE, SENT_START]).tolist()
        offsets = doc.to_array([HEAD]).astype(np.int64).tolist()  # relative, stored unsigned
        names: dict[int, str] = {0: ""}

        def name(key: int) -> str:
            if key not in names:
                names[key] = strings[key]
            return names[key]

        self.lower = [name(row[0]) for row in table]
        self.lemma = [name(row[1]).lower() for row in table]
        self.tag = [name(row[2]) for row in table]
        self.pos = [name(row[3]) for row in table]
        self.dep = [name(row[4]) for row in table]
        self.shape = [name(row[5])[:4] for row in table]
        self.ent = [name(row[6]) or "-" for row in table]
        self.head = [i + offset for i, offset in enumerate(offsets)]
        self.sent_start = [row[7] == 1 for row in table]
        self.cluster = [clusters.of_key(row[0]) if clusters else -1 for row in table]
        self.children: list[list[int]] = [[] for _ in table]
        for i, head in enumerate(self.head):
            if head != i:
                self.children[head].append(i)


def ancestry(c: Columns, i: int, cues: dict[str, str]) -> list[str]:
    """Features from the path up the tree: the first cue-lexicon ancestor and the first verb."""
    feats: list[str] = []
    child, node, found_cue, found_verb = i, c.head[i], False, False
    for depth in range(MAX_ANCESTORS):
        if node == child:
            break
        lemma = c.lemma[node]
        if not found_cue and lemma in cues:
            feats += [f"ca={cues[lemma]}|{c.dep[child]}", f"cal={lemma}|{c.dep[child]}", f"cad={min(depth, 3)}"]
            found_cue = True
        if not found_verb and c.pos[node] == "VERB":
            feats += [f"va={lemma}|{c.dep[child]}", f"vd={c.dep[child]}"]
            found_verb = True
        if found_cue and found_verb:
            break
        child, node = node, c.head[node]
    if not found_cue:
        feats.append("ca=none")
    return feats


def token_features(c: Columns, i: int, cues: dict[str, str]) -> list[str]:
    lemma, head = c.lemma[i], c.head[i]
    feats = [
        "bias", f"w={c.lower[i]}", f"l={lemma}", f"p={c.tag[i]}", f"d={c.dep[i]}",
        f"s={c.shape[i]}", f"hl={c.lemma[head]}", f"hd={c.dep[head]}", f"hp={c.pos[head]}",
        f"dh={c.dep[i]}|{c.lemma[head]}", f"e={c.ent[i]}", f"c={c.cluster[i]}",
        f"path={c.dep[i]}>{c.dep[head]}>{c.dep[c.head[head]]}",
    ]
    if lemma in cues:
        feats.append(f"cue={cues[lemma]}")
    if c.lower[i] in QUOTE_MARKS or c.lower[i] in ("'", "‘", "’"):
        feats.append("qmark")
    if c.sent_start[i]:
        feats.append("sent_start")
    if i + 1 < len(c.sent_start) and c.sent_start[i + 1]:
        feats.append("sent_end")
    feats += [f"ch={c.dep[k]}" for k in c.children[i] if c.dep[k] in CHILD_DEPS]
    feats += ancestry(c, i, cues)
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
    quotes = quote_state(doc, quotes)
    sides = cue_sides(c, cues)
    labels = [[f"r{layer[:3]}={rules[layer][i]}" for layer in LAYERS] for i in range(len(doc))]
    # What a token tells its neighbours: its word, its relation and quotation state, the rules' labels.
    shared = [(f"w={c.lower[i]}", f"d={c.dep[i]}|{quotes[i]}", "r=" + "".join(rules[layer][i] for layer in LAYERS))
              for i in range(len(doc))]
    sequences = []
    for indices in paragraphs(c.lower):
        rows = []
        for k, i in enumerate(indices):
            feats = token_features(c, i, cues) + [f"q={quotes[i]}", f"side={sides[i]}"] + labels[i]
            for offset in (-2, -1, 1, 2):
                if 0 <= k + offset < len(indices):
                    feats += [f"{offset}{f}" for f in shared[indices[k + offset]]]
                else:
                    feats.append(f"{offset}edge")
            rows.append(feats)
        sequences.append((indices, rows))
    return sequences


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

    def of_key(self, key: int) -> int:
        row = self.key2row.get(key, -1)
        return int(self.row_clusters[row]) if 0 <= row < len(self.row_clusters) else -1
