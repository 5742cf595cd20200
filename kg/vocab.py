"""Namespaces and the IRIs kg mints. Entity IRIs depend only on type and canonical name, so the
same actor is one node across articles."""
from __future__ import annotations

import re
import unicodedata

from rdflib import Namespace, URIRef

from .names import person_id
from rdflib.namespace import OWL, PROV, RDF, RDFS, SKOS, XSD  # noqa: F401  (re-exported)

KG = Namespace("https://kg.local/ns#")
SCHEMA = Namespace("https://schema.org/")
ORG = Namespace("http://www.w3.org/ns/org#")
OA = Namespace("http://www.w3.org/ns/oa#")

PREFIXES = {"kg": KG, "schema": SCHEMA, "org": ORG, "oa": OA, "prov": PROV, "skos": SKOS,
            "rdf": RDF, "rdfs": RDFS, "xsd": XSD}
ENTITY_PATHS = {"PERSON": "person", "ORG": "org", "GPE": "place", "NORP": "group"}
ENTITY_CLASSES = {"PERSON": SCHEMA.Person, "ORG": SCHEMA.Organization, "GPE": SCHEMA.Place,
                  "NORP": SCHEMA.Organization, None: PROV.Agent}
KINDS = {"direct": KG.Direct, "indirect": KG.Indirect, "mixed": KG.Mixed}
TIMES = {"current": KG.Current, "former": KG.Former, "future": KG.Future}


def slug(name: str) -> str:
    ascii_name = unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode()
    return re.sub(r"[^a-z0-9]+", "-", ascii_name.lower()).strip("-") or "unnamed"


class Iris:
    """Mints the IRIs under one base."""

    def __init__(self, base: str):
        self.base = base if base.endswith("/") else base + "/"

    def article(self, article_id: str) -> URIRef:
        return URIRef(f"{self.base}article/{article_id}")

    def entity(self, name: str, entity_type: str | None, article_id: str = "") -> URIRef:
        """Named actors are one node everywhere; an unnamed source ("a senior official") is
        one node per article. A person's IRI comes from the name's key (kg/names.py), so
        "Joe Biden" and "Joseph R. Biden, Jr." are person/joseph-biden in every article."""
        if entity_type is None:
            return URIRef(f"{self.base}source/{article_id}/{slug(name)}")
        key = person_id(name) if entity_type == "PERSON" else name
        return URIRef(f"{self.base}{ENTITY_PATHS[entity_type]}/{slug(key)}")

    def role(self, role: str) -> URIRef:
        return URIRef(f"{self.base}role/{slug(role)}")

    def statement(self, article_id: str, n: int) -> URIRef:
        return URIRef(f"{self.base}statement/{article_id}/{n}")

    def membership(self, article_id: str, n: int) -> URIRef:
        return URIRef(f"{self.base}membership/{article_id}/{n}")

    def article_id(self, iri: str) -> str:
        return iri.removeprefix(f"{self.base}article/")
