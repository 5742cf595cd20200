"""Who said what about whom."""
from __future__ import annotations

from typing import Annotated, Literal

import pyoxigraph as ox
from fastapi import APIRouter, Depends, HTTPException, Query, Request
from fastapi.responses import Response

from kg.queries import Queries
from kg.search import SearchError

from ..deps import checked_date, get_queries
from ..formats import preferred
from ..models import StatementPage

router = APIRouter(tags=["statements"])


@router.get("/statements", response_model=StatementPage, summary="Statements: who said what about whom",
            responses={200: {"content": {"application/ld+json": {}},
                             "description": "JSON, or with Accept: application/ld+json the page's statements "
                                            "as RDF (JSON-LD): their triples, actor names and evidence"}})
def list_statements(
    request: Request,
    queries: Annotated[Queries, Depends(get_queries)],
    speaker: Annotated[str | None, Query(description="The speaker's name, or the beginnings of its words",
                                         examples=["Peskov"])] = None,
    about: Annotated[str | None, Query(description="The name (or its words' beginnings) of an actor the statement is about",
                                       examples=["Zelensky"])] = None,
    text: Annotated[str | None, Query(description='Words in the statement, all of them, any case and accents; '
                                      '"quoted words" as a phrase. Ranked by relevance; each content span lists '
                                      'the words it matched', examples=["summit", '"red line"'])] = None,
    kind: Literal["direct", "indirect", "mixed"] | None = None,
    date_from: Annotated[str | None, Query(alias="from", description="Earliest date, YYYY-MM-DD",
                                           examples=["2023-09-01"])] = None,
    date_to: Annotated[str | None, Query(alias="to", description="Latest date, YYYY-MM-DD")] = None,
    limit: Annotated[int, Query(ge=1, le=500)] = 50,
    offset: Annotated[int, Query(ge=0, le=1_000_000_000)] = 0,
):
    try:
        total, items = queries.statements(limit=limit, offset=offset, speaker=speaker, about=about, text=text,
                                          kind=kind, date_from=checked_date("from", date_from),
                                          date_to=checked_date("to", date_to))
    except SearchError as err:
        raise HTTPException(400, str(err)) from None
    if preferred(request.headers.get("accept", ""), "application/json", "application/ld+json") == "application/ld+json":
        triples = queries.statements_rdf([queries.iris.base + item["id"] for item in items])
        return Response(ox.serialize(triples, format=ox.RdfFormat.JSON_LD), media_type="application/ld+json")
    return {"total": total, "offset": offset, "limit": limit, "items": items}
