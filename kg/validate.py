"""SHACL validation of the stored graph against ontology/shapes.ttl."""
from __future__ import annotations

from pathlib import Path

import pyshacl
from rdflib import Graph

from .store import Store

ONTOLOGY = Path(__file__).resolve().parent.parent / "ontology"


def shapes() -> Graph:
    return Graph().parse(ONTOLOGY / "shapes.ttl", format="turtle")


def validate(store: Store, graph: str | None = None) -> tuple[bool, str]:
    """(conforms, report text) for one article graph or for the union of all of them."""
    data = Graph().parse(data=store.export("ntriples", graph=graph), format="nt")
    conforms, _, text = pyshacl.validate(data, shacl_graph=shapes(), inference="none")
    return bool(conforms), text
