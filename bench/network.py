"""Seconds per network metric on a synthetic actor network (default 100k actors, 1M links).

The network is a directed random graph with a heavy-tailed weight per link (most pairs are linked by
one statement, a few by many), built with numpy and networkx; then each metric of kg.network runs on
it once, timed. Betweenness is estimated from a sample of source nodes, as kg does on large networks.

    python bench/network.py [--actors 100000] [--links 1000000] [--sample 20]
"""
from __future__ import annotations

import argparse
import time

import networkx as nx
import numpy as np

from kg.network import metrics, paths

SEED = 7


def synthetic(actors: int, links: int) -> nx.DiGraph:
    rng = np.random.default_rng(SEED)
    graph = nx.DiGraph()
    graph.add_nodes_from((f"person/actor-{i}", {"name": f"Actor {i}", "type": "Person", "dates": []})
                         for i in range(actors))
    empty = ()
    while graph.number_of_edges() < links:
        n = links - graph.number_of_edges()
        # speakers drawn with a Zipf-like skew, targets uniformly: a few actors speak a lot
        sources = np.minimum(rng.zipf(1.3, n) - 1, actors - 1)
        sources = rng.permutation(actors)[sources]
        targets = rng.integers(0, actors, n)
        weights = rng.geometric(0.6, n)
        graph.add_edges_from((f"person/actor-{u}", f"person/actor-{v}",
                              {"weight": int(w), "statements": empty, "roles": empty, "articles": empty})
                             for u, v, w in zip(sources, targets, weights) if u != v)
    return graph


def timed(label: str, run) -> object:
    start = time.perf_counter()
    result = run()
    print(f"{label:44s} {time.perf_counter() - start:8.2f} s", flush=True)
    return result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--actors", type=int, default=100_000)
    parser.add_argument("--links", type=int, default=1_000_000)
    parser.add_argument("--sample", type=int, default=20, help="source nodes for betweenness")
    args = parser.parse_args()

    graph = timed("build the synthetic network", lambda: synthetic(args.actors, args.links))
    print(f"network: {graph.number_of_nodes()} actors, {graph.number_of_edges()} links, "
          f"total weight {graph.size(weight='weight')}")
    timed("weighted in-degree", lambda: metrics.in_degree(graph))
    timed("weighted out-degree", lambda: metrics.out_degree(graph))
    timed("PageRank", lambda: metrics.pagerank(graph))
    timed(f"betweenness (estimated from {args.sample} sources)", lambda: metrics.betweenness(graph, args.sample))
    groups = timed("Louvain communities (seed 42)", lambda: metrics.communities(graph))
    print(f"  {len(groups)} communities, the largest {len(groups[0])} actors")
    cores = timed("core numbers", lambda: metrics.cores(graph))
    core = timed("innermost k-core", lambda: metrics.k_core(graph))
    print(f"  the {max(cores.values())}-core has {len(core)} actors")
    hub = max(graph, key=graph.out_degree)
    ego = timed("ego network, 1 hop, of the busiest speaker", lambda: paths.ego(graph, hub, 1))
    print(f"  {len(ego)} actors, {ego.number_of_edges()} links")
    ego = timed("ego network, 2 hops, of actor 1", lambda: paths.ego(graph, "person/actor-1", 2))
    print(f"  {len(ego)} actors, {ego.number_of_edges()} links")
    steps = timed("shortest path between two actors", lambda: paths.connection(graph, "person/actor-1", "person/actor-2"))
    print(f"  {len(steps)} steps")


if __name__ == "__main__":
    main()
