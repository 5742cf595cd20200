"""Articles with their text, and the offsets of what was found in them; ingest and delete with a token."""
from __future__ import annotations

import asyncio
import json
import threading
from pathlib import Path
from typing import Annotated

from fastapi import APIRouter, Depends, HTTPException, Query, Request
from fastapi.concurrency import run_in_threadpool
from fastapi.responses import JSONResponse, Response

from kg.ingest import InProcess, Report, ingest
from kg.model import Article
from kg.queries import Queries
from kg.reader import TOO_DEEP, FieldError, ReadError, content_id, from_record, from_text, quoted

from ..deps import check_token, get_queries
from ..models import ArticleDetail, ArticleOut, IngestOut

router = APIRouter(tags=["articles"])
EXAMPLE_ARTICLE = {"id": "council-vote", "title": "Council approves the budget", "date": "2024-03-05",
                   "text": '"We kept every promise," Mayor Ana Lopez said on Tuesday.'}


@router.get("/articles", response_model=list[ArticleOut], summary="Ingested articles, newest first")
def list_articles(queries: Annotated[Queries, Depends(get_queries)],
                  limit: Annotated[int, Query(ge=1, le=500)] = 50,
                  offset: Annotated[int, Query(ge=0, le=1_000_000_000)] = 0) -> list[dict]:
    return queries.articles(limit=limit, offset=offset)


@router.get("/articles/{article_id:path}", response_model=ArticleDetail,
            summary="One article: its text, statements and roles with offsets for highlighting")
def get_article(article_id: str, queries: Annotated[Queries, Depends(get_queries)]) -> dict:
    article = queries.article(article_id)
    if article is None:
        raise HTTPException(404, f"no article {article_id}")
    return article


@router.post("/articles", response_model=IngestOut, status_code=201, dependencies=[Depends(check_token)],
             summary="Ingest articles (bearer token): a JSON object or list of them, or plain text",
             responses={200: {"model": IngestOut, "description": "Every article was stored already, unchanged"},
                        400: {"description": "Input that is not an article, or an id twice; nothing was stored"},
                        413: {"description": "More articles than KG_MAX_BATCH (or a body over KG_MAX_BODY); "
                              "nothing was stored"},
                        422: {"description": "A field of the wrong kind (a list for a title, a date that "
                              "is no date), named; nothing was stored"},
                        503: {"description": "The server is shutting down: the articles stored and those "
                              "not stored, named"},
                        507: {"description": "The disk is full: the articles stored and those not stored, "
                              "named"}},
             openapi_extra={"requestBody": {"required": True, "content": {
                 "application/json": {"schema": {"type": "object"}, "example": EXAMPLE_ARTICLE},
                 "text/plain": {"schema": {"type": "string"}, "example": EXAMPLE_ARTICLE["text"]}}}})
async def post_articles(request: Request,
                        id: Annotated[str | None, Query(description="The id of a plain-text article "
                                                        "(default: from its content's hash)")] = None,
                        force: Annotated[bool, Query(description="Re-extract an article stored unchanged")] = False):
    articles = parse_articles(await request.body(), request.headers.get("content-type", ""), id,
                              request.app.state.settings.max_batch)
    gone = threading.Event()  # the client closed the connection: stop at the next article
    watch = asyncio.create_task(watch_disconnect(request, gone))
    try:
        report = await run_in_threadpool(store_articles, request.app, articles, force, gone)
    finally:
        watch.cancel()
    if report.stopped:
        status = 503 if report.stopped in (SHUTTING_DOWN, CLIENT_GONE) else 507
        raise HTTPException(status, f"{report.stopped}; stored: {names(report.stored)}; "
                                    f"not stored: {names(report.not_stored)}")
    if report.failed:
        raise HTTPException(422, "; ".join(report.failed))
    body = {"ingested": report.ingested, "unchanged": report.unchanged, "articles": [a.id for a in articles]}
    return JSONResponse(body, status_code=201 if report.ingested else 200)


@router.delete("/articles/{article_id:path}", status_code=204, dependencies=[Depends(check_token)],
               summary="Delete an article's graph (bearer token)", responses={404: {"description": "No such article"}})
def delete_article(article_id: str, request: Request) -> Response:
    app = request.app
    with app.state.write_lock:
        try:
            deleted = app.state.store.delete_graph(str(app.state.queries.iris.article(article_id)))
        except ValueError:  # the id makes no IRI, so it was never an article's
            deleted = False
    if not deleted:
        raise HTTPException(404, f"no article {article_id}")
    app.state.store.flush()
    return Response(status_code=204)


def parse_articles(body: bytes, content_type: str, text_id: str | None, max_batch: int = 1000) -> list[Article]:
    """The request's articles, or a 400 (not an article, an id twice) or 422 (a field of the wrong
    kind) that says what is wrong; nothing is stored until all parse. An article without an id
    gets the id of its text (kg.reader.content_id), so sending it again changes nothing."""
    media = content_type.split(";")[0].strip().lower()
    try:
        text = body.decode("utf-8")
    except UnicodeDecodeError:
        raise HTTPException(400, "the request body is not UTF-8") from None
    try:
        if media == "application/json":
            data = json.loads(text)
            records = data if isinstance(data, list) else [data]
            if not records:
                raise HTTPException(400, "no articles in the request: send an object or a non-empty list")
            if len(records) > max_batch:
                raise HTTPException(413, f"{len(records)} articles in one request is more than {max_batch} "
                                         "(KG_MAX_BATCH); send them in smaller batches. Nothing was stored")
            return unique([from_record(obj, Path("request.json"), None, where=f"article {i}")
                           for i, obj in enumerate(records)])
        if media == "text/plain":
            return [from_text(text, Path("request.txt"), text_id or content_id(text))]
    except json.JSONDecodeError as err:
        raise HTTPException(400, f"malformed JSON: {err}") from None
    except RecursionError:
        raise HTTPException(400, TOO_DEEP) from None
    except FieldError as err:
        raise HTTPException(422, str(err)) from None
    except ReadError as err:
        raise HTTPException(400, str(err)) from None
    raise HTTPException(415, "send application/json (an article object or a list) or text/plain")


def unique(articles: list[Article]) -> list[Article]:
    """The articles, or a 400 naming an id that two of them have: one would replace the other."""
    first: dict[str, int] = {}
    for i, article in enumerate(articles):
        if article.id in first:
            raise HTTPException(400, f"article {i}: the id {quoted(article.id)} is article {first[article.id]}'s "
                                     "too; one would replace the other, so nothing was stored")
        first[article.id] = i
    return articles


SHUTTING_DOWN = "the server is shutting down, so the batch stopped at an article boundary"
CLIENT_GONE = "the client closed the connection, so the batch stopped at an article boundary"
API_CHUNK = 4  # articles extracted at a time: the batch can stop (or a delete get in) between chunks


async def watch_disconnect(request: Request, gone: threading.Event) -> None:
    """Set `gone` when the client disconnects (the body is read: the next message is the disconnect)."""
    while True:
        message = await request.receive()
        if message["type"] == "http.disconnect":
            gone.set()
            return


def names(ids: list[str]) -> str:
    return ", ".join(quoted(i) for i in ids) or "none"


def store_articles(app, articles: list[Article], force: bool, gone: threading.Event | None = None) -> Report:
    """Extract and store, through the API's own store; the spaCy pipeline loads on the first call.
    One batch at a time is extracted; each article is written under the write lock on its own, so
    deletes and updates get in between, and the batch stops at the next article when the server
    shuts down or the client leaves."""
    def stop() -> str | None:
        if app.state.stopping.is_set():
            return SHUTTING_DOWN
        if gone is not None and gone.is_set():
            return CLIENT_GONE
        return None

    with app.state.extract_lock:
        if getattr(app.state, "extractor", None) is None:
            from kg.extract import Extractor
            app.state.extractor = Extractor(app.state.settings.spacy_model)
        return ingest(articles, app.state.store, InProcess(app.state.extractor, app.state.store), app.state.queries.iris, Report(),
                      force=force, stop=stop, write_lock=app.state.write_lock, chunk=API_CHUNK)
