"""The text of a Doc and its words, read once: Doc.text joins every token afresh at each access,
and a Token is built afresh at every doc[i]."""
from __future__ import annotations

import numpy as np
from spacy.attrs import LOWER
from spacy.tokens import Doc

Doc.set_extension("kg_text", default=None, force=True)


def text_of(doc: Doc) -> str:
    if doc._.kg_text is None:
        doc._.kg_text = doc.text
    return doc._.kg_text


def strings_of(doc: Doc, keys: np.ndarray) -> list[str]:
    """The strings of a column of hash keys (from Doc.to_array), each distinct key looked up once."""
    distinct, inverse = np.unique(keys, return_inverse=True)
    strings = [doc.vocab.strings[int(key)] if key else "" for key in distinct]
    return [strings[k] for k in inverse.tolist()]


def lower_words(doc: Doc) -> list[str]:
    return strings_of(doc, doc.to_array(LOWER))
