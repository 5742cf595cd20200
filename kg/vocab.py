"""Namespaces and the IRIs kg mints. Entity IRIs depend only on type and canonical name, so the
same actor is one node across articles."""
from __future__ import annotations

import re
import unicodedata
from urllib.parse import unquote

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


PLAIN_ID = re.compile(r"[A-Za-z0-9._~-]+")
# RFC 3987's ucschar: the characters beyond ASCII that an IRI path may hold as they are. A fixed
# list, so an id's IRI does not change with the Unicode version of the Python that mints it.
UCSCHAR = [(0xA0, 0xD7FF), (0xF900, 0xFDCF), (0xFDF0, 0xFFEF)] + [
    (plane << 16, (plane << 16) + 0xFFFD) for plane in range(1, 15)]
# ...but spaces, invisible marks and the byte order mark are escaped all the same, to be seen.
UNSEEN = [(0xA0, 0xA0), (0x1680, 0x1680), (0x2000, 0x200F), (0x2028, 0x202F), (0x205F, 0x206F),
          (0x3000, 0x3000), (0xFEFF, 0xFEFF)]


def _kept(char: str) -> bool:
    code = ord(char)
    return (code >= 0xA0 and any(low <= code <= high for low, high in UCSCHAR)
            and not any(low <= code <= high for low, high in UNSEEN))


def id_segment(article_id: str) -> str:
    """An article id as one IRI path segment, one to one and reversibly (segment_id): ASCII letters,
    digits and - . _ ~, and the characters beyond ASCII an IRI allows (spaces and invisible marks
    aside), stay as they are; every other character ('/', '%', spaces, '?', '#', controls...)
    becomes the %XX escapes of its UTF-8 bytes, as do the dots of the ids '.' and '..'. So
    `000_0f18a4f966cbcf2d` and `日本語` are themselves and `a/b` is `a%2Fb`. An empty id, or one
    with a lone surrogate (no UTF-8 form), raises ValueError."""
    if article_id in (".", ".."):
        return article_id.replace(".", "%2E")
    if PLAIN_ID.fullmatch(article_id):
        return article_id
    if not article_id:
        raise ValueError("an article id must not be empty")
    try:
        return "".join(c if PLAIN_ID.fullmatch(c) or _kept(c) else
                       "".join(f"%{b:02X}" for b in c.encode("utf-8")) for c in article_id)
    except UnicodeEncodeError:
        raise ValueError("an article id must be valid Unicode (it holds a lone surrogate)") from None


def segment_id(segment: str) -> str:
    """The article id of an IRI path segment made by id_segment (the inverse)."""
    if "%" not in segment:
        return segment
    try:
        return unquote(segment, errors="strict")
    except UnicodeDecodeError:  # not one of ours: an IRI written by hand
        return segment


class Iris:
    """Mints the IRIs under one base."""

    def __init__(self, base: str):
        self.base = base if base.endswith("/") else base + "/"

    def article(self, article_id: str) -> URIRef:
        return URIRef(f"{self.base}article/{id_segment(article_id)}")

    def entity(self, name: str, entity_type: str | None, article_id: str = "") -> URIRef:
        """Named actors are one node everywhere; an unnamed source ("a senior official") is
        one node per article. A person's IRI comes from the name's key (kg/names.py), so
        "Joe Biden" and "Joseph R. Biden, Jr." are person/joseph-biden in every article."""
        if entity_type is None:
            return URIRef(f"{self.base}source/{id_segment(article_id)}/{slug(name)}")
        key = person_id(name) if entity_type == "PERSON" else name
        return URIRef(f"{self.base}{ENTITY_PATHS[entity_type]}/{slug(key)}")

    def role(self, role: str) -> URIRef:
        return URIRef(f"{self.base}role/{slug(role)}")

    def statement(self, article_id: str, n: int) -> URIRef:
        return URIRef(f"{self.base}statement/{id_segment(article_id)}/{n}")

    def membership(self, article_id: str, n: int) -> URIRef:
        return URIRef(f"{self.base}membership/{id_segment(article_id)}/{n}")

    def article_id(self, iri: str) -> str:
        return segment_id(iri.removeprefix(f"{self.base}article/"))
