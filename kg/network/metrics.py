"""Centralities, communities and cores of an actor network.

Weighted degrees and PageRank use the edge weights (how many statements or roles); betweenness
counts hops, so a tie of ten statements is as short as a tie of one. Communities are Louvain's,
with a fixed seed so the same graph always gets the same communities.
"""
from __future__ import annotations

import networkx as nx

from .projection import undirected

SEED = 42
# Exact betweenness costs a search from every node: nodes x edges steps. Past this budget it is
# estimated from a sample of source nodes (at least MIN_SAMPLE), which keeps it to seconds.
BETWEENNESS_BUDGET = 2_000_000
MIN_SAMPLE = 50
METRICS = ("in_degree", "out_degree", "pagerank", "betweenness", "community", "core")


def in_degree(graph: nx.Graph) -> dict[str, float]:
    """Directed: how much the actor is talked about (statements) or employs (roles)."""
    degree = graph.in_degree if graph.is_directed() else graph.degree
    return dict(degree(weight="weight"))


def out_degree(graph: nx.Graph) -> dict[str, float]:
    """Directed: how much the actor talks about others."""
    degree = graph.out_degree if graph.is_directed() else graph.degree
    return dict(degree(weight="weight"))


def pagerank(graph: nx.Graph) -> dict[str, float]:
    if graph.number_of_edges() == 0:
        return {n: 1 / max(len(graph), 1) for n in graph}
    return nx.pagerank(graph, weight="weight")


def betweenness(graph: nx.Graph, sample: int | None = None) -> dict[str, float]:
    """Exact within the budget; beyond, or when `sample` is given, estimated from that many source
    nodes chosen with the fixed seed."""
    k = sample_size(graph, sample)
    return nx.betweenness_centrality(graph, k=k, seed=SEED if k else None)


def sample_size(graph: nx.Graph, sample: int | None = None) -> int | None:
    """How many source nodes betweenness is estimated from; None when it is exact."""
    if sample is None:
        sample = max(MIN_SAMPLE, BETWEENNESS_BUDGET // max(graph.number_of_edges(), 1))
    return sample if sample < len(graph) else None


def communities(graph: nx.Graph, resolution: float = 1.0) -> list[set[str]]:
    """Louvain communities of the undirected graph, the largest first."""
    found = nx.community.louvain_communities(undirected(graph), weight="weight", resolution=resolution, seed=SEED)
    return sorted(found, key=lambda c: (-len(c), min(c)))


def membership(groups: list[set[str]]) -> dict[str, int]:
    return {node: i for i, group in enumerate(groups) for node in group}


def cores(graph: nx.Graph) -> dict[str, int]:
    """Each actor's core number: the largest k such that it is in the k-core.

    Batagelj and Zaversnik's bucket algorithm, as nx.core_number, but without removing each
    processed node from its neighbours' lists, which made that quadratic in the degree of hubs
    (minutes on a network where one actor speaks about 100,000 others). A processed neighbour
    never qualifies again: its core is final and no larger than any unprocessed node's."""
    simple = undirected(graph)
    core = {v: simple.degree(v) - (2 if simple.has_edge(v, v) else 0) for v in simple}
    nodes = sorted(core, key=core.get)
    bins = [0]  # bins[d]: the position in `nodes` where degree d starts
    for i, v in enumerate(nodes):
        bins.extend([i] * (core[v] + 1 - len(bins)))
    position = {v: i for i, v in enumerate(nodes)}
    for v in nodes:
        for u in simple.adj[v]:
            if core[u] > core[v]:
                # move u to the front of its bucket, then shrink the bucket by one
                start, at = bins[core[u]], position[u]
                w = nodes[start]
                nodes[start], nodes[at] = u, w
                position[u], position[w] = start, at
                bins[core[u]] += 1
                core[u] -= 1
    return core


def k_core(graph: nx.Graph, k: int | None = None) -> nx.Graph:
    """The subgraph in which every actor has at least k neighbours (the innermost core if k is None)."""
    return graph.subgraph(core_members(cores(graph), k)[1]).copy()


def core_members(numbers: dict[str, int], k: int | None = None) -> tuple[int, list[str]]:
    """k (the innermost core's if None) and the actors of the k-core, from the core numbers."""
    if k is None:
        k = max(numbers.values(), default=0)
    return k, [n for n, c in numbers.items() if c >= k]


def compute(graph: nx.Graph, sample: int | None = None) -> dict[str, dict[str, float]]:
    """Every metric for every actor: {actor: {metric: value}}."""
    columns = {"in_degree": in_degree(graph), "out_degree": out_degree(graph), "pagerank": pagerank(graph),
               "betweenness": betweenness(graph, sample), "community": membership(communities(graph)),
               "core": cores(graph)}
    return {node: {metric: column[node] for metric, column in columns.items()} for node in graph}


def ranking(table: dict[str, dict[str, float]], metric: str, limit: int = 10) -> list[tuple[str, float]]:
    if metric not in METRICS:
        raise ValueError(f"unknown metric {metric!r}; choose from {', '.join(METRICS)}")
    return sorted(((n, row[metric]) for n, row in table.items()), key=lambda x: (-x[1], x[0]))[:limit]
