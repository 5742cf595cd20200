"""Shared dependencies of the routers."""
from __future__ import annotations

import hmac

from fastapi import HTTPException, Request

from kg.network.projection import valid_date
from kg.queries import Queries
from kg.store import Store

from .engine import Engine


def get_store(request: Request) -> Store:
    return request.app.state.store


def get_queries(request: Request) -> Queries:
    return request.app.state.queries


def get_engine(request: Request) -> Engine:
    return request.app.state.engine


def check_token(request: Request) -> None:
    """Writes need `Authorization: Bearer <KG_API_TOKEN>`; without KG_API_TOKEN the API is read-only."""
    token = request.app.state.settings.api_token
    if token is None:
        raise HTTPException(403, "this server is read-only: start it with KG_API_TOKEN set to allow writes")
    scheme, _, given = request.headers.get("authorization", "").partition(" ")
    if scheme.lower() != "bearer" or not hmac.compare_digest(given.strip().encode(), token.encode()):
        raise HTTPException(401, "writes need the header Authorization: Bearer <KG_API_TOKEN>",
                            headers={"WWW-Authenticate": "Bearer"})


def checked_date(name: str, value: str | None) -> str | None:
    """A from/to parameter as given, if it is a date (YYYY-MM-DD, the network filters' rule); else a
    400 that names it."""
    if value and not valid_date(value):
        raise HTTPException(400, f"{name} must be a date, YYYY-MM-DD: {value!r}")
    return value or None
