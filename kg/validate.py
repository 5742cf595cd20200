"""SHACL validation of the stored graph against ontology/shapes.ttl."""
from __future__ import annotations

import logging
from pathlib import Path

import pyshacl
from rdflib import Graph

from .store import Store

ONTOLOGY = Path(__file__).resolve().parent.parent / "ontology"


def shapes() -> Graph:
    return Graph().parse(ONTOLOGY / "shapes.ttl", format="turtle")


def validate(store: Store, graph: str | None = None) -> tuple[bool, str]:
    """(conforms, report text) for one article graph or for the union of all of them."""
    term_log = logging.getLogger("rdflib.term")  # logs a traceback for each ill-typed literal,
    level = term_log.level                         # which the shapes report in words instead
    term_log.setLevel(logging.CRITICAL)
    try:
        data = Graph().parse(data=store.export("ntriples", graph=graph), format="nt")
        conforms, _, text = pyshacl.validate(data, shacl_graph=shapes(), inference="none")
    finally:
        term_log.setLevel(level)
    return bool(conforms), text
