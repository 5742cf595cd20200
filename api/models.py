"""Typed response models of the REST API."""
from __future__ import annotations

from pydantic import BaseModel, Field


class Ref(BaseModel):
    id: str = Field(description="Actor id: use it with GET /actors/{id}", examples=["person/jake-sullivan"])
    name: str = Field(examples=["Jake Sullivan"])


class Offsets(BaseModel):
    """A span of the article text: text == article.text[start:end]."""
    start: int = Field(examples=[4122])
    end: int = Field(examples=[4153])
    text: str = Field(examples=["Kremlin spokesman Dmitry Peskov"])


class ContentSpan(Offsets):
    matches: list[Offsets] | None = Field(None, description="With a text search: the words of this span that "
                                                            "matched, in the article's offsets")


class StatementOut(BaseModel):
    id: str = Field(examples=["statement/000_0f18a4f966cbcf2d/23"])
    speaker: Ref | None = Field(description="Who said it; null for an unattributed statement")
    cue: str = Field(examples=["stressed"])
    kind: str = Field(description="direct (a quotation), indirect or mixed", examples=["mixed"])
    text: str = Field(examples=['No "breakthroughs" were expected from the summit'])
    about: list[Ref] = Field([], description="The actors the statement is about")
    reporter: Ref | None = Field(None, description="Who relayed it (\"..., according to X\")")
    article: str = Field(description="Article id", examples=["000_0f18a4f966cbcf2d"])
    date: str | None = Field(None, examples=["2023-09-25"])
    speaker_span: Offsets | None = None
    cue_span: Offsets | None = None
    content_spans: list[ContentSpan] = []


class Page(BaseModel):
    total: int
    offset: int
    limit: int


class StatementPage(Page):
    items: list[StatementOut]


class ActorOut(BaseModel):
    id: str = Field(examples=["person/jake-sullivan"])
    name: str = Field(examples=["Jake Sullivan"])
    type: str = Field(examples=["Person"])
    statements: int = Field(0, description="How many statements this actor made")


class RoleOut(BaseModel):
    person: Ref
    role: str = Field(examples=["national security adviser"])
    organisation: Ref | None
    time: str = Field(description="current, former or future", examples=["current"])
    article: str = Field(examples=["000_0f18a4f966cbcf2d"])
    date: str | None = Field(None, examples=["2023-09-25"])
    evidence: Offsets


class Counterpart(BaseModel):
    actor: Ref
    about_them: int = Field(description="Statements this actor made about them")
    by_them: int = Field(description="Statements they made about this actor")


class ActorDetail(ActorOut):
    labels: list[str] = []
    roles: list[RoleOut] = []
    members: list[RoleOut] = Field([], description="People holding roles in this organisation")
    same_as: list[Ref] = Field([], description="Other nodes that are this person: a bare surname whose only full-named "
                                               "person in the store is this one (their roles are listed too)")
    possibly_same_as: list[Ref] = Field([], description="Nodes that may be this person: a surname several "
                                                        "people share")
    said: list[StatementOut] = Field([], description="Statements by this actor (the first 200)")
    said_about: list[StatementOut] = Field([], description="Statements about this actor (the first 200)")
    counterparts: list[Counterpart] = Field([], description="The actors it talks about, or is talked about "
                                                            "by, most")


class ArticleOut(BaseModel):
    id: str = Field(examples=["000_0f18a4f966cbcf2d"])
    headline: str | None = Field(examples=["Biden wants to boost Ukrainian defence in case of Russian invasion"])
    date: str | None = Field(examples=["2023-09-25"])
    url: str | None = None
    statements: int = 0


class ArticleDetail(ArticleOut):
    text: str = Field(description="The article text; every offset indexes it")
    statements_found: list[StatementOut] = []
    roles: list[RoleOut] = []


class IngestOut(BaseModel):
    ingested: int = Field(description="Articles extracted and stored", examples=[1])
    unchanged: int = Field(description="Articles already stored with the same text", examples=[0])
    articles: list[str] = Field(description="The ids, for GET /articles/{id}", examples=[["council-vote"]])
