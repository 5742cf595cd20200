"""Neighbourhoods and connections: ego networks and "how is X connected to Y"."""
from __future__ import annotations

import networkx as nx


class ActorNotFound(LookupError):
    """No actor, or more than one, answers to the name; the message lists the candidates."""


class NoPath(LookupError):
    pass


def find_actor(graph: nx.Graph, query: str) -> str:
    """The node whose id is `query`, or whose name is it (case-insensitive), or the one whose name
    contains it."""
    if query in graph:
        return query
    wanted = query.casefold()
    for match in (lambda name: name == wanted, lambda name: wanted in name):
        found = sorted(n for n, name in graph.nodes(data="name", default="") if match(name.casefold()))
        if len(found) == 1:
            return found[0]
        if found:
            listed = ", ".join(f"{graph.nodes[n]['name']} ({n})" for n in found[:10])
            raise ActorNotFound(f"{query!r} names {len(found)} actors: {listed}")
    raise ActorNotFound(f"no actor {query!r} in this network")


def ego(graph: nx.Graph, actor: str, hops: int = 1) -> nx.Graph:
    """The actor and everyone within `hops` links of them, in either direction."""
    view = graph.to_undirected(as_view=True) if graph.is_directed() else graph
    return graph.subgraph(nx.single_source_shortest_path_length(view, actor, cutoff=hops)).copy()


def connection(graph: nx.Graph, source: str, target: str) -> list[dict]:
    """A shortest chain of links from source to target, each step with the statements and roles
    behind it, in whichever direction they go."""
    view = graph.to_undirected(as_view=True) if graph.is_directed() else graph
    try:
        nodes = nx.shortest_path(view, source, target)
    except nx.NetworkXNoPath:
        raise NoPath(f"{graph.nodes[source]['name']} and {graph.nodes[target]['name']} are not connected "
                     f"in this network") from None
    return [step(graph, u, v) for u, v in zip(nodes, nodes[1:])]


def step(graph: nx.Graph, u: str, v: str) -> dict:
    links = []
    for a, b in ((u, v), (v, u)) if graph.is_directed() else ((u, v),):
        if graph.has_edge(a, b):
            data = graph.edges[a, b]
            links.append({"source": a, "target": b, "weight": data["weight"], "statements": data["statements"],
                          "roles": data["roles"], "articles": data["articles"]})
    return {"source": u, "target": v, "source_name": graph.nodes[u]["name"], "target_name": graph.nodes[v]["name"],
            "links": links}
