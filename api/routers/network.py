"""Actor networks as Cytoscape JSON, GEXF or GraphML, and the interactive page that draws them."""
from __future__ import annotations

from pathlib import Path
from typing import Annotated, Literal

from fastapi import APIRouter, Depends, HTTPException, Query, Request
from fastapi.responses import FileResponse, HTMLResponse, Response

from kg.network import FilterError, Filters, details, export
from kg.network.cache import Network

from .. import vendor
from ..deps import get_store

router = APIRouter(tags=["network"])
STATIC = Path(__file__).resolve().parent.parent / "static"
STATIC_FILES = {path.name: path for path in STATIC.iterdir() if path.is_file()}  # all /static/{name} serves
Kind = Literal["statements", "affiliations", "comentions", "combined"]
ActorType = Literal["Person", "Organization", "Place", "Agent"]
MAX_DRAWN_LINKS = 100_000  # Cytoscape JSON for the page; file exports have no limit


def network_filters(
    date_from: Annotated[str | None, Query(alias="from", description="Articles published on or after")] = None,
    date_to: Annotated[str | None, Query(alias="to", description="Articles published on or before")] = None,
    publisher: Annotated[str | None, Query(description="Part of the publisher's name")] = None,
    type: Annotated[list[ActorType], Query(description="Keep only actors of these types")] = [],
    min_weight: Annotated[float, Query(ge=0, description="Drop links with fewer statements or roles")] = 0,
) -> Filters:
    try:
        return Filters(date_from or None, date_to or None, publisher or None, tuple(type), min_weight)
    except FilterError as err:
        raise HTTPException(400, str(err)) from None


def load(request: Request, kind: str, filters: Filters) -> Network:
    """The network, from the cache while the store is unchanged; do not change what it holds."""
    return request.app.state.networks.get(kind, filters)


@router.get("/network", summary="An actor network with its metrics: Cytoscape JSON, GEXF or GraphML",
            responses={200: {"content": {m: {} for m in export.FORMATS.values()}}})
def get_network(request: Request, filters: Annotated[Filters, Depends(network_filters)],
                kind: Kind = "statements",
                format: Literal["cytoscape", "gexf", "graphml"] = "cytoscape") -> Response:
    """`statements`: speaker -> the actors they speak about, weighted by statements; `affiliations`:
    person -> organisation through roles; `comentions`: actors named in the same article;
    `combined`: statements and roles. Nodes carry in/out degree, PageRank, betweenness, community
    and core number; GEXF has each node and edge on the days of its articles (Gephi's timeline)."""
    network = load(request, kind, filters)
    links = network.graph.number_of_edges()
    if format == "cytoscape" and links > MAX_DRAWN_LINKS:
        raise HTTPException(413, f"{links} links are too many to draw: raise min_weight, narrow "
                                 f"the dates or the actor types, or download the network as GEXF")
    body = network.file(format)
    headers = {} if format == "cytoscape" else {"Content-Disposition": f'attachment; filename="kg-{kind}.{format}"'}
    return Response(body, media_type=export.FORMATS[format], headers=headers)


@router.get("/network/actors/{actor_id:path}", summary="An actor as the page shows it: roles, members, quotes")
def actor_card(actor_id: str, request: Request,
               limit: Annotated[int, Query(ge=1, le=1000, description="Statements by and about, newest first")] = 100) -> dict:
    """Roles and members with their evidence spans, and statements by and about the actor with their
    content spans, to highlight in `GET /network/articles/{id}`."""
    card = details.actor_card(get_store(request), request.app.state.queries.iris, actor_id, limit)
    if card is None:
        raise HTTPException(404, f"no actor {actor_id}")
    return card


@router.get("/network/articles/{article_id:path}", summary="An article's text and metadata")
def article_text(article_id: str, request: Request) -> dict:
    article = details.article_text(get_store(request), request.app.state.queries.iris, article_id)
    if article is None:
        raise HTTPException(404, f"no article {article_id}")
    return article


# --- the page ---------------------------------------------------------------------------------
@router.get("/", include_in_schema=False, response_model=None)
def page() -> FileResponse | HTMLResponse:
    if not vendor.installed("cytoscape"):
        return HTMLResponse(vendor.missing_page("The network page's graph library (Cytoscape.js)"))
    return FileResponse(STATIC / "index.html")


@router.get("/static/{name}", include_in_schema=False)
def static(name: str) -> FileResponse:
    if name not in STATIC_FILES:
        raise HTTPException(404, f"no file {name}")
    return FileResponse(STATIC_FILES[name])

