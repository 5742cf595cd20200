"""The whole graph in a standard RDF format."""
from __future__ import annotations

from typing import Annotated, Literal

from fastapi import APIRouter, Depends
from fastapi.responses import Response

from kg.store import Store

from ..deps import get_store

router = APIRouter(tags=["export"])
MEDIA = {"turtle": "text/turtle", "trig": "application/trig", "nquads": "application/n-quads",
         "json-ld": "application/ld+json"}


@router.get("/export", summary="Export the graph (Turtle: union of articles; TriG, N-Quads: one graph per article)",
            response_class=Response, responses={200: {"content": {m: {} for m in MEDIA.values()}}})
def export(store: Annotated[Store, Depends(get_store)],
           format: Literal["turtle", "trig", "nquads", "json-ld"] = "turtle") -> Response:
    return Response(store.export(format), media_type=MEDIA[format])
