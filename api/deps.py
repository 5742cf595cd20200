"""Shared dependencies of the routers."""
from __future__ import annotations

from fastapi import Request

from kg.queries import Queries
from kg.store import Store


def get_store(request: Request) -> Store:
    return request.app.state.store


def get_queries(request: Request) -> Queries:
    return request.app.state.queries
