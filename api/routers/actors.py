"""People, organisations and places."""
from __future__ import annotations

from typing import Annotated, Literal

from fastapi import APIRouter, Depends, HTTPException, Query

from kg.queries import Queries

from ..deps import get_queries
from ..models import ActorDetail, ActorOut

router = APIRouter(tags=["actors"])


@router.get("/actors", response_model=list[ActorOut], summary="Search actors: best matches, then the most quoted first")
def list_actors(queries: Annotated[Queries, Depends(get_queries)],
                name: Annotated[str | None, Query(description="A name, or the beginnings of its words, any case "
                                                              "and accents; near spellings too (zelenskyy: Zelensky)")] = None,
                type: Literal["Person", "Organization", "Place"] | None = None,
                limit: Annotated[int, Query(ge=1, le=500)] = 50,
                offset: Annotated[int, Query(ge=0, le=1_000_000_000)] = 0) -> list[dict]:
    return queries.actors(name=name, type=type, limit=limit, offset=offset)


@router.get("/actors/{actor_id:path}", response_model=ActorDetail,
            summary="One actor: roles with evidence, members, statements by and about")
def get_actor(actor_id: str, queries: Annotated[Queries, Depends(get_queries)]) -> dict:
    actor = queries.actor(actor_id)
    if actor is None:
        raise HTTPException(404, f"no actor {actor_id}")
    return actor
