"""Articles with their text, and the offsets of what was found in them."""
from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, HTTPException, Query

from kg.queries import Queries

from ..deps import get_queries
from ..models import ArticleDetail, ArticleOut

router = APIRouter(tags=["articles"])


@router.get("/articles", response_model=list[ArticleOut], summary="Ingested articles, newest first")
def list_articles(queries: Annotated[Queries, Depends(get_queries)],
                  limit: Annotated[int, Query(ge=1, le=500)] = 50,
                  offset: Annotated[int, Query(ge=0)] = 0) -> list[dict]:
    return queries.articles(limit=limit, offset=offset)


@router.get("/articles/{article_id}", response_model=ArticleDetail,
            summary="One article: its text, statements and roles with offsets for highlighting")
def get_article(article_id: str, queries: Annotated[Queries, Depends(get_queries)]) -> dict:
    article = queries.article(article_id)
    if article is None:
        raise HTTPException(404, f"no article {article_id}")
    return article
