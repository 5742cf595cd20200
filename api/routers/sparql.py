"""SPARQL 1.1 Protocol: queries by GET, POST form and POST application/sparql-query; updates by POST
with a bearer token. The default graph is the union of all article graphs unless default-graph-uri
says otherwise. A browser asking for /sparql gets the YASGUI query editor."""
from __future__ import annotations

import json
from functools import cache
from pathlib import Path
from typing import Annotated

from fastapi import APIRouter, Depends, HTTPException, Query, Request
from fastapi.concurrency import run_in_threadpool
from fastapi.responses import HTMLResponse, Response

from .. import vendor
from ..deps import check_token, get_engine
from ..engine import Engine
from ..formats import preferred

router = APIRouter(tags=["sparql"])
HERE = Path(__file__).resolve().parent.parent
GraphUris = Annotated[list[str], Query(alias="default-graph-uri", description="Graphs to use as the default graph")]
NamedUris = Annotated[list[str], Query(alias="named-graph-uri", description="Graphs GRAPH clauses may use")]
RESULTS = {200: {"description": "SELECT and ASK: SPARQL JSON, XML, CSV or TSV; CONSTRUCT and DESCRIBE: Turtle, "
                                "N-Triples, JSON-LD or RDF/XML, as the Accept header asks",
                 "content": {m: {} for m in ("application/sparql-results+json", "text/turtle", "text/html")}},
           400: {"description": "A malformed query, or one that would fetch a URL (SERVICE, LOAD)"},
           406: {"description": "No result format the Accept header allows"},
           422: {"description": "More rows than KG_ROW_CAP"},
           503: {"description": "The query ran past KG_QUERY_TIMEOUT, or the server is busy"}}


@cache
def editor_page() -> str:
    if not vendor.installed("yasgui"):
        return vendor.missing_page("The query editor (YASGUI)")
    examples = [{"name": path.read_text(encoding="utf-8").splitlines()[0].lstrip("# "),
                 "query": path.read_text(encoding="utf-8").split("\n", 1)[1].lstrip()}
                for path in sorted((HERE / "examples").glob("*.rq"))]
    page = (HERE / "static" / "sparql.html").read_text(encoding="utf-8")
    return page.replace("__EXAMPLES__", json.dumps(examples).replace("<", "\\u003c"))


async def answer(engine: Engine, request: Request, query: str, default_graph: list[str],
                 named_graph: list[str]) -> Response:
    if not query.strip():
        raise HTTPException(400, "missing the query parameter")
    media, body = await run_in_threadpool(engine.query, query, request.headers.get("accept", ""),
                                          default_graph or None, named_graph or None)
    return Response(body, media_type=media if media.endswith("json") else media + "; charset=utf-8")


async def update(engine: Engine, request: Request, sparql: str) -> Response:
    check_token(request)
    if not sparql.strip():
        raise HTTPException(400, "missing the update parameter")
    await engine.update(sparql)
    return Response(status_code=204)


@router.get("/sparql", summary="SPARQL query (GET); a browser without a query gets the query editor",
            response_class=Response, responses=RESULTS)
async def sparql_get(request: Request, engine: Annotated[Engine, Depends(get_engine)], query: str = "",
                     default_graph_uri: GraphUris = [], named_graph_uri: NamedUris = []) -> Response:
    if "update" in request.query_params:
        raise HTTPException(405, "updates travel by POST only", headers={"Allow": "POST"})
    if len(request.query_params.getlist("query")) > 1:
        raise HTTPException(400, "one query per request: the query parameter was given more than once")
    if not query and preferred(request.headers.get("accept", ""), "text/html", "application/json") == "text/html":
        return HTMLResponse(editor_page())
    return await answer(engine, request, query, default_graph_uri, named_graph_uri)


@router.post("/sparql", summary="SPARQL query (form or application/sparql-query) or update (bearer token)",
             response_class=Response, responses=RESULTS, openapi_extra={"requestBody": {"content": {
                 "application/sparql-query": {"schema": {"type": "string"}},
                 "application/sparql-update": {"schema": {"type": "string"}},
                 "application/x-www-form-urlencoded": {"schema": {"type": "object", "properties": {
                     "query": {"type": "string"}, "update": {"type": "string"}}}}}}})
async def sparql_post(request: Request, engine: Annotated[Engine, Depends(get_engine)],
                      default_graph_uri: GraphUris = [], named_graph_uri: NamedUris = []) -> Response:
    content_type = request.headers.get("content-type", "").split(";")[0].strip().lower()
    if content_type == "application/sparql-query":
        return await answer(engine, request, await text_body(request), default_graph_uri, named_graph_uri)
    if content_type == "application/sparql-update":
        return await update(engine, request, await text_body(request))
    if content_type == "application/x-www-form-urlencoded":
        form = await request.form()
        if len(form.getlist("query")) + len(form.getlist("update")) > 1:
            raise HTTPException(400, "one query or one update per request")
        if "update" in form:
            return await update(engine, request, str(form["update"]))
        return await answer(engine, request, str(form.get("query", "")),
                            default_graph_uri + [str(v) for v in form.getlist("default-graph-uri")],
                            named_graph_uri + [str(v) for v in form.getlist("named-graph-uri")])
    raise HTTPException(415, "send application/sparql-query, application/sparql-update or "
                             "application/x-www-form-urlencoded")


async def text_body(request: Request) -> str:
    try:
        return (await request.body()).decode("utf-8")
    except UnicodeDecodeError:
        raise HTTPException(400, "the request body is not UTF-8") from None
