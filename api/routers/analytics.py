"""Network analytics: rankings, communities, ego networks, paths between actors, k-cores."""
from __future__ import annotations

from typing import Annotated, Literal

from fastapi import APIRouter, Depends, HTTPException, Query, Request
from pydantic import BaseModel, Field

from kg.network import Filters, export, metrics
from kg.network.paths import ActorNotFound, NoPath, connection, ego, find_actor

from .network import Kind, load, network_filters

router = APIRouter(prefix="/analytics", tags=["analytics"])
Metric = Literal["in_degree", "out_degree", "pagerank", "betweenness", "core"]


class ActorMetrics(BaseModel):
    id: str = Field(examples=["person/jake-sullivan"])
    name: str
    type: str
    in_degree: float = Field(description="Weighted: statements about the actor (statements network)")
    out_degree: float = Field(description="Weighted: statements the actor made about others")
    pagerank: float
    betweenness: float
    community: int
    core: int


class Ranking(BaseModel):
    network: str
    actors: int
    links: int
    betweenness_sample: int | None = Field(description="Source nodes betweenness was estimated from; null: exact")
    items: list[ActorMetrics]


class Member(BaseModel):
    id: str
    name: str
    type: str


class Community(BaseModel):
    id: int
    size: int
    members: list[Member] = Field(description="By PageRank, highest first")


class Link(BaseModel):
    source: str
    target: str
    weight: float
    statements: list[dict] = Field(description="id, cue, text, article, date of each statement")
    roles: list[dict] = Field(description="id, role, time, article, date of each role")
    articles: list[str]


class Step(BaseModel):
    source: str
    target: str
    source_name: str
    target_name: str
    links: list[Link] = Field(description="The links between the two, in whichever direction they go")


class Path(BaseModel):
    source: Member
    target: Member
    steps: list[Step]


class Core(BaseModel):
    k: int
    items: list[Member]


def member(graph, node: str) -> dict:
    return {"id": node, "name": graph.nodes[node]["name"], "type": graph.nodes[node]["type"]}


def actor(graph, query: str) -> str:
    try:
        return find_actor(graph, query)
    except ActorNotFound as err:
        raise HTTPException(404, str(err)) from None


Filtered = Annotated[Filters, Depends(network_filters)]


@router.get("/metrics", response_model=Ranking, summary="Actors ranked by a metric (most quoted, most talked about...)")
def ranking(request: Request, filters: Filtered, kind: Kind = "statements", metric: Metric = "pagerank",
            limit: Annotated[int, Query(ge=1, le=10_000)] = 50) -> dict:
    """`in_degree` on the statements network: the most talked about; `out_degree`: who talks most about
    others; `pagerank`, `betweenness` (hops; sampled above 1000 actors), `core` (core number)."""
    network = load(request, kind, filters)
    graph, table = network.graph, network.metrics()
    items = [{**member(graph, n), **table[n]} for n, _ in metrics.ranking(table, metric, limit)]
    return {"network": kind, "actors": len(graph), "links": graph.number_of_edges(),
            "betweenness_sample": metrics.sample_size(graph), "items": items}


@router.get("/communities", response_model=list[Community], summary="Louvain communities (fixed seed), largest first")
def communities(request: Request, filters: Filtered, kind: Kind = "statements",
                resolution: Annotated[float, Query(gt=0, description="Above 1: smaller communities")] = 1.0) -> list[dict]:
    network = load(request, kind, filters)
    graph, table = network.graph, network.metrics()
    return [{"id": i, "size": len(group),
             "members": [member(graph, n) for n in sorted(group, key=lambda n: -table[n]["pagerank"])]}
            for i, group in enumerate(network.communities(resolution))]


@router.get("/ego/{actor_id:path}", summary="An actor's ego network: everyone within k links (Cytoscape JSON)")
def ego_network(actor_id: str, request: Request, filters: Filtered, kind: Kind = "combined",
                hops: Annotated[int, Query(ge=1, le=5)] = 1) -> dict:
    graph = load(request, kind, filters).graph
    sub = ego(graph, actor(graph, actor_id), hops)
    return export.cytoscape(sub, metrics.compute(sub))


@router.get("/path", response_model=Path, summary="How is X connected to Y: a shortest chain of statements and roles")
def path(request: Request, filters: Filtered,
         source: Annotated[str, Query(description="Actor id or name", examples=["Oleksiy Reznikov"])],
         target: Annotated[str, Query(description="Actor id or name", examples=["Olaf Scholz"])],
         kind: Kind = "combined") -> dict:
    graph = load(request, kind, filters).graph
    a, b = actor(graph, source), actor(graph, target)
    try:
        steps = connection(graph, a, b)
    except NoPath as err:
        raise HTTPException(404, str(err)) from None
    return {"source": member(graph, a), "target": member(graph, b), "steps": steps}


@router.get("/kcore", response_model=Core, summary="The k-core: actors with at least k neighbours among themselves")
def kcore(request: Request, filters: Filtered, kind: Kind = "statements",
          k: Annotated[int | None, Query(ge=1, description="Default: the innermost core")] = None) -> dict:
    network = load(request, kind, filters)
    graph, table = network.graph, network.metrics()
    k, core = metrics.core_members({n: row["core"] for n, row in table.items()}, k)
    return {"k": k, "items": [member(graph, n) for n in sorted(core, key=lambda n: graph.nodes[n]["name"])]}
