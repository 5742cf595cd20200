"""The text of a Doc, read once: Doc.text joins every token afresh at each access."""
from __future__ import annotations

from spacy.tokens import Doc

Doc.set_extension("kg_text", default=None, force=True)


def text_of(doc: Doc) -> str:
    if doc._.kg_text is None:
        doc._.kg_text = doc.text
    return doc._.kg_text
