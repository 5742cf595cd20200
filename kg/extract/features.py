"""Token features for the attribution tagger, shared by training and extraction.

A sequence is one paragraph. Each token gets string features from its word, its place in the
dependency tree (the nearest cue-lexicon and verb ancestors, and the relation that leads to them),
quotation marks around it, and the labels the rules gave it (the tagger learns where to trust them).
"""
from __future__ import annotations

import numpy as np
from scipy.cluster.vq import kmeans2
from spacy.tokens import Doc, Token
from spacy.vectors import Vectors

from ..model import Statement
from .lexicon import lexicon
from .quotes import find_quotes

LAYERS = ("source", "cue", "content")
QUOTE_MARKS = set("\"“”«»„")
MAX_ANCESTORS = 8


def paragraphs(doc: Doc) -> list[list[Token]]:
    """The non-space tokens of each line of the text."""
    paras: list[list[Token]] = [[]]
    for token in doc:
        if "\n" in token.text:
            if paras[-1]:
                paras.append([])
        elif not token.is_space:
            paras[-1].append(token)
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


def quote_state(doc: Doc) -> list[str]:
    """Per token: Q (inside a quotation), or O."""
    state = ["O"] * len(doc)
    for start, end in find_quotes(doc.text):
        span = doc.char_span(start, end, alignment_mode="expand")
        for token in span or []:
            state[token.i] = "Q"
    return state


def ancestry(token: Token, cues: dict[str, str]) -> list[str]:
    """Features from the path up the tree: the first cue-lexicon ancestor and the first verb."""
    feats: list[str] = []
    child, node, found_cue, found_verb = token, token.head, False, False
    for depth in range(MAX_ANCESTORS):
        if node.i == child.i:
            break
        lemma = node.lemma_.lower()
        if not found_cue and lemma in cues:
            feats += [f"ca={cues[lemma]}|{child.dep_}", f"cal={lemma}|{child.dep_}", f"cad={min(depth, 3)}"]
            found_cue = True
        if not found_verb and node.pos_ == "VERB":
            feats += [f"va={lemma}|{child.dep_}", f"vd={child.dep_}"]
            found_verb = True
        if found_cue and found_verb:
            break
        child, node = node, node.head
    if not found_cue:
        feats.append("ca=none")
    return feats


def token_features(token: Token, cues: dict[str, str], cluster: int) -> list[str]:
    lemma = token.lemma_.lower()
    head = token.head
    feats = [
        "bias", f"w={token.lower_}", f"l={lemma}", f"p={token.tag_}", f"d={token.dep_}",
        f"s={token.shape_[:4]}", f"hl={head.lemma_.lower()}", f"hd={head.dep_}", f"hp={head.pos_}",
        f"dh={token.dep_}|{head.lemma_.lower()}", f"e={token.ent_type_ or '-'}", f"c={cluster}",
        f"path={token.dep_}>{head.dep_}>{head.head.dep_}",
    ]
    if lemma in cues:
        feats.append(f"cue={cues[lemma]}")
    if token.text in QUOTE_MARKS or token.text in ("'", "‘", "’"):
        feats.append("qmark")
    if token.is_sent_start:
        feats.append("sent_start")
    if token.i + 1 < len(token.doc) and token.doc[token.i + 1].is_sent_start:
        feats.append("sent_end")
    feats += [f"ch={c.dep_}" for c in token.children if c.dep_ in ("ccomp", "nsubj", "dobj", "xcomp", "agent", "mark", "dative")]
    feats += ancestry(token, cues)
    return feats


def cue_sides(para: list[Token], cues: dict[str, str]) -> list[str]:
    """Per token: where the sentence's cue-lexicon verbs are (left, right, both or none)."""
    sides = []
    for token in para:
        sentence = token.sent
        left = any(t.lemma_.lower() in cues for t in sentence[: token.i - sentence.start])
        right = any(t.lemma_.lower() in cues for t in sentence[token.i - sentence.start + 1:])
        sides.append("LR"[0] * left + "LR"[1] * right or "-")
    return sides


def doc_features(doc: Doc, statements: list[Statement], clusters: WordClusters | None = None) -> list[tuple[list[Token], list[list[str]]]]:
    """Feature sequences, one per paragraph, each with its tokens."""
    cues = lexicon().cue_verbs
    rules = rule_labels(doc, statements)
    quotes = quote_state(doc)
    cluster_of = clusters.of if clusters else (lambda token: -1)
    base: list[list[str]] = [[]] * len(doc)
    sequences = []
    for para in paragraphs(doc):
        for token, side in zip(para, cue_sides(para, cues)):
            base[token.i] = token_features(token, cues, cluster_of(token)) + [f"q={quotes[token.i]}", f"side={side}"] + [
                f"r{layer[:3]}={rules[layer][token.i]}" for layer in LAYERS]
        rows = []
        for k, token in enumerate(para):
            feats = list(base[token.i])
            for offset in (-3, -2, -1, 1, 2, 3):
                j = k + offset
                if 0 <= j < len(para):
                    other = para[j]
                    feats += [f"{offset}w={other.lower_}", f"{offset}d={other.dep_}", f"{offset}p={other.tag_}",
                              f"{offset}q={quotes[other.i]}"]
                    feats += [f"{offset}r{layer[:3]}={rules[layer][other.i]}" for layer in LAYERS]
                else:
                    feats.append(f"{offset}edge")
            rows.append(feats)
        sequences.append((para, rows))
    return sequences


class WordClusters:
    """Clusters of the pipeline's word vectors, so that words unseen in training behave like
    their neighbours. Rows of the vector table map to cluster numbers."""
    def __init__(self, row_clusters: np.ndarray):
        self.row_clusters = row_clusters

    @classmethod
    def build(cls, vectors: Vectors, k: int = 256, seed: int = 0) -> "WordClusters":
        data = np.asarray(vectors.data, dtype=np.float32)
        norms = np.linalg.norm(data, axis=1, keepdims=True)
        _, labels = kmeans2(data / np.maximum(norms, 1e-6), k, seed=seed, minit="++", iter=10)
        return cls(labels.astype(np.int16))

    def of(self, token: Token) -> int:
        row = token.vocab.vectors.key2row.get(token.lower, -1)
        return int(self.row_clusters[row]) if 0 <= row < len(self.row_clusters) else -1
