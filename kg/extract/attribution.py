"""kg_statements: who said what about whom.

The rules (kg.extract.statements) find statements from the tree and quotation marks; where a
trained tagger model exists, it redraws the spans with the rules' output among its features and
the linker turns its spans into statements. Without a model the rules' statements stand. Either
way, a statement reported inside another's claim gets that claim's speaker as its reporter.
"""
from __future__ import annotations

from pathlib import Path

from spacy.language import Language
from spacy.tokens import Doc

from ..model import add_reporters
from .linking import Linker
from .statements import StatementFinder
from .tagger import MODEL, AttributionTagger

Doc.set_extension("kg_statements", default=None, force=True)
Doc.set_extension("kg_rule_statements", default=None, force=True)


@Language.factory("kg_statements", default_config={"model": str(MODEL)})
def create_statements(nlp: Language, name: str, model: str) -> "Statements":
    path = Path(model) if model else None
    return Statements(AttributionTagger(path, nlp.vocab.vectors) if path and path.exists() else None)


class Statements:
    def __init__(self, tagger: AttributionTagger | None):
        self.tagger = tagger

    def __call__(self, doc: Doc) -> Doc:
        finder = StatementFinder(doc)
        rules = finder.run()
        doc._.kg_rule_statements = rules
        if self.tagger is None:
            statements = rules
        else:
            statements = Linker(finder, self.tagger.segments(doc, rules, finder.quotes), rules).run()
        add_reporters(statements)
        doc._.kg_statements = sorted(statements, key=lambda s: s.content[0].start)
        return doc
