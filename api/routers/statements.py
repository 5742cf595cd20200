"""Who said what about whom."""
from __future__ import annotations

from typing import Annotated, Literal

from fastapi import APIRouter, Depends, Query

from kg.queries import Queries

from ..deps import get_queries
from ..models import StatementPage

router = APIRouter(tags=["statements"])


@router.get("/statements", response_model=StatementPage, summary="Statements: who said what about whom")
def list_statements(
    queries: Annotated[Queries, Depends(get_queries)],
    speaker: Annotated[str | None, Query(description="Part of the speaker's name", examples=["Sullivan"])] = None,
    about: Annotated[str | None, Query(description="Part of the name of an actor the statement is about")] = None,
    text: Annotated[str | None, Query(description="Words in the statement")] = None,
    kind: Literal["direct", "indirect", "mixed"] | None = None,
    date_from: Annotated[str | None, Query(alias="from", description="Earliest date, YYYY-MM-DD")] = None,
    date_to: Annotated[str | None, Query(alias="to", description="Latest date, YYYY-MM-DD")] = None,
    limit: Annotated[int, Query(ge=1, le=500)] = 50,
    offset: Annotated[int, Query(ge=0)] = 0,
) -> dict:
    total, items = queries.statements(limit=limit, offset=offset, speaker=speaker, about=about, text=text,
                                      kind=kind, **{"from": date_from, "to": date_to})
    return {"total": total, "offset": offset, "limit": limit, "items": items}
