"""SPARQL 1.1 Protocol (query operation): GET, POST form and POST application/sparql-query.
The default graph is the union of all article graphs unless default-graph-uri says otherwise."""
from __future__ import annotations

import re
from typing import Annotated

import pyoxigraph as ox
from fastapi import APIRouter, Depends, HTTPException, Query, Request
from fastapi.responses import Response

from kg.store import Store

from ..deps import get_store

router = APIRouter(tags=["sparql"])
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
# Keywords that would make the server fetch a URL; refused before the query runs.
REMOTE = re.compile(r"\b(SERVICE|LOAD)\b", re.IGNORECASE)
MAX_QUERY = 100_000


def negotiate(accept: str, offered: dict) -> tuple[str, object] | None:
    """The first offered media type the Accept header allows, in the client's order of preference."""
    ranges = []
    for i, part in enumerate(accept.split(",")):
        media, *params = [p.strip() for p in part.split(";")]
        q = next((float(p[2:]) for p in params if p.startswith("q=") and re.fullmatch(r"q=[0-9.]+", p)), 1.0)
        ranges.append((-q, i, media.lower()))
    for _, _, media in sorted(ranges):
        if media in ("*/*", "", "application/*", "text/*"):
            first = next(k for k in offered if media in ("*/*", "") or k.startswith(media[:-1]))
            return first, offered[first]
        if media in offered:
            return media, offered[media]
    return None


def run(store: Store, query: str, accept: str, default_graph: list[str], named_graph: list[str]) -> Response:
    if not query.strip():
        raise HTTPException(400, "missing the query parameter")
    if len(query) > MAX_QUERY:
        raise HTTPException(413, f"query longer than {MAX_QUERY} characters")
    if REMOTE.search(re.sub(r'"[^"]*"|\'[^\']*\'|#[^\n]*', "", query)):
        raise HTTPException(400, "SERVICE and LOAD are not allowed: this endpoint never fetches URLs")
    try:
        results = store.query(query, default_graph=default_graph or None, named_graphs=named_graph or None)
    except SyntaxError as err:
        raise HTTPException(400, f"malformed query: {err}") from None
    graph = isinstance(results, ox.QueryTriples)
    chosen = negotiate(accept or "*/*", GRAPH_TYPES if graph else RESULT_TYPES)
    if chosen is None:
        kinds = ", ".join(GRAPH_TYPES if graph else RESULT_TYPES)
        raise HTTPException(406, f"cannot answer this query as {accept}; available: {kinds}")
    media, fmt = chosen
    body = ox.serialize(results, format=fmt) if graph else results.serialize(format=fmt)
    charset = "" if media.endswith("json") else "; charset=utf-8"
    return Response(body, media_type=media + charset)


@router.get("/sparql", summary="SPARQL query (GET)")
def sparql_get(request: Request, store: Annotated[Store, Depends(get_store)],
               query: str = "",
               default_graph_uri: Annotated[list[str], Query(alias="default-graph-uri")] = [],
               named_graph_uri: Annotated[list[str], Query(alias="named-graph-uri")] = []) -> Response:
    return run(store, query, request.headers.get("accept", ""), default_graph_uri, named_graph_uri)


@router.post("/sparql", summary="SPARQL query (POST form or application/sparql-query)")
async def sparql_post(request: Request, store: Annotated[Store, Depends(get_store)],
                      default_graph_uri: Annotated[list[str], Query(alias="default-graph-uri")] = [],
                      named_graph_uri: Annotated[list[str], Query(alias="named-graph-uri")] = []) -> Response:
    content_type = request.headers.get("content-type", "").split(";")[0].strip().lower()
    body = await request.body()
    if len(body) > MAX_QUERY * 4:
        raise HTTPException(413, "request body too large")
    if content_type == "application/sparql-query":
        query = body.decode("utf-8", errors="replace")
    elif content_type == "application/x-www-form-urlencoded":
        form = await request.form()
        query = str(form.get("query", ""))
        default_graph_uri = default_graph_uri + [str(v) for v in form.getlist("default-graph-uri")]
        named_graph_uri = named_graph_uri + [str(v) for v in form.getlist("named-graph-uri")]
    else:
        raise HTTPException(415, "send application/sparql-query or application/x-www-form-urlencoded")
    return run(store, query, request.headers.get("accept", ""), default_graph_uri, named_graph_uri)
