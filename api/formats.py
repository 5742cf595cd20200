"""The media types the SPARQL endpoint answers in, and content negotiation over them."""
from __future__ import annotations

import re

import pyoxigraph as ox

RESULT_TYPES = {
    "application/sparql-results+json": ox.QueryResultsFormat.JSON,
    "application/json": ox.QueryResultsFormat.JSON,
    "application/sparql-results+xml": ox.QueryResultsFormat.XML,
    "application/xml": ox.QueryResultsFormat.XML,
    "text/csv": ox.QueryResultsFormat.CSV,
    "text/tab-separated-values": ox.QueryResultsFormat.TSV,
}
GRAPH_TYPES = {
    "text/turtle": ox.RdfFormat.TURTLE,
    "application/n-triples": ox.RdfFormat.N_TRIPLES,
    "application/ld+json": ox.RdfFormat.JSON_LD,
    "application/rdf+xml": ox.RdfFormat.RDF_XML,
}


def negotiate(accept: str, offered: dict) -> tuple[str, object] | None:
    """The offered media type the Accept header prefers most (highest q, then the client's order)."""
    ranges = []
    for i, part in enumerate((accept or "*/*").split(",")):
        media, *params = [p.strip() for p in part.split(";")]
        q = next((float(p[2:]) for p in params if re.fullmatch(r"q=[01](\.[0-9]{0,3})?", p)), 1.0)
        if q > 0:
            ranges.append((-q, i, media.lower()))
    for _, _, media in sorted(ranges):
        if media in ("*/*", "", "application/*", "text/*"):
            first = next((k for k in offered if media in ("*/*", "") or k.startswith(media[:-1])), None)
            if first:
                return first, offered[first]
        elif media in offered:
            return media, offered[media]
    return None


def preferred(accept: str, *media_types: str) -> str | None:
    chosen = negotiate(accept, dict.fromkeys(media_types))
    return chosen[0] if chosen else None
