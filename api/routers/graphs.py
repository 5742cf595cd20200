"""SPARQL 1.1 Graph Store Protocol, read side: one article's graph, the union, or the whole dataset."""
from __future__ import annotations

from typing import Annotated

import pyoxigraph as ox
from fastapi import APIRouter, Depends, HTTPException, Query, Request
from fastapi.responses import Response

from kg.store import Store

from ..deps import get_store
from ..formats import negotiate

router = APIRouter(tags=["graph store"])
GRAPH_FORMATS = {"text/turtle": "turtle", "application/n-triples": "ntriples", "application/ld+json": "json-ld",
                 "application/rdf+xml": "rdf-xml"}
DATASET_FORMATS = {"application/trig": "trig", "application/n-quads": "nquads"}


@router.get("/graphs", summary="An article's graph (?graph=IRI), the union (?default) or the whole dataset",
            response_class=Response, responses={
                200: {"description": "A graph as Turtle, N-Triples, JSON-LD or RDF/XML; the dataset (no parameter) "
                                     "as TriG or N-Quads, one named graph per article",
                      "content": {m: {} for m in (*GRAPH_FORMATS, *DATASET_FORMATS)}},
                404: {"description": "No such graph"}, 406: {"description": "No format the Accept header allows"}})
def get_graph(request: Request, store: Annotated[Store, Depends(get_store)],
              graph: Annotated[str | None, Query(description="An article graph IRI",
                                                 examples=["https://kg.local/article/000_0f18a4f966cbcf2d"])] = None,
              default: Annotated[str | None, Query(description="Present: the default graph, the union of all "
                                                               "article graphs")] = None) -> Response:
    accept = request.headers.get("accept", "")
    offered = DATASET_FORMATS if graph is None and default is None else GRAPH_FORMATS
    chosen = negotiate(accept, offered)
    if chosen is None:
        raise HTTPException(406, f"cannot send this as {accept}; available: {', '.join(offered)}")
    media, fmt = chosen
    if graph is not None:
        try:
            known = store.ox.contains_named_graph(ox.NamedNode(graph))
        except ValueError:
            raise HTTPException(400, f"not an IRI: {graph}") from None
        if not known:
            raise HTTPException(404, f"no graph {graph}")
    body = store.export(fmt, graph=graph)
    return Response(body, media_type=media if media.endswith("json") else media + "; charset=utf-8")
