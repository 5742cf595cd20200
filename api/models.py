"""Typed response models of the REST API."""
from __future__ import annotations

from pydantic import BaseModel, Field


class Ref(BaseModel):
    id: str = Field(description="Actor id: use it with GET /actors/{id}", examples=["person/jake-sullivan"])
    name: str = Field(examples=["Jake Sullivan"])


class Offsets(BaseModel):
    start: int
    end: int
    text: str


class StatementOut(BaseModel):
    id: str
    speaker: Ref | None
    cue: str = Field(examples=["said"])
    kind: str = Field(examples=["direct"])
    text: str
    about: list[Ref] = []
    reporter: Ref | None = None
    article: str = Field(description="Article id", examples=["000_0f18a4f966cbcf2d"])
    date: str | None = None
    speaker_span: Offsets | None = None
    cue_span: Offsets | None = None
    content_spans: list[Offsets] = []


class Page(BaseModel):
    total: int
    offset: int
    limit: int


class StatementPage(Page):
    items: list[StatementOut]


class ActorOut(BaseModel):
    id: str
    name: str
    type: str = Field(examples=["Person"])
    statements: int = Field(0, description="How many statements this actor made")


class RoleOut(BaseModel):
    person: Ref
    role: str
    organisation: Ref | None
    time: str
    article: str
    date: str | None = None
    evidence: Offsets


class ActorDetail(ActorOut):
    labels: list[str] = []
    roles: list[RoleOut] = []
    members: list[RoleOut] = Field([], description="People holding roles in this organisation")
    same_as: list[Ref] = Field([], description="Other nodes that are this person: a bare surname whose only full-named "
                                               "person in the store is this one (their roles are listed too)")
    possibly_same_as: list[Ref] = Field([], description="Nodes that may be this person: a surname several "
                                                        "people share")
    said: list[StatementOut] = []
    said_about: list[StatementOut] = []


class ArticleOut(BaseModel):
    id: str
    headline: str | None
    date: str | None
    url: str | None = None
    statements: int = 0


class ArticleDetail(ArticleOut):
    text: str
    statements_found: list[StatementOut] = []
    roles: list[RoleOut] = []
