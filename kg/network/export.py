"""Networks as files for Gephi (GEXF, with a timeline from publication dates), yEd and igraph
(GraphML) and Cytoscape (Cytoscape JSON)."""
from __future__ import annotations

import io
import json

import networkx as nx

from .projection import cues

FORMATS = {"gexf": "application/gexf+xml", "graphml": "application/graphml+xml", "cytoscape": "application/json"}


def flat(graph: nx.Graph, table: dict[str, dict] | None = None, spells: bool = False) -> nx.Graph:
    """A copy with only the scalar attributes the file formats hold: names, types, metrics, weights,
    cues and roles as text, counts of statements. With `spells`, each node and edge exists on the
    days of the articles behind it (Gephi's timeline)."""
    out = graph.__class__()
    out.graph.update(kind=graph.graph.get("kind", ""))
    for node, data in graph.nodes(data=True):
        attrs = {"label": data["name"], "name": data["name"], "type": data["type"], **(table or {}).get(node, {})}
        if spells and data["dates"]:
            attrs["spells"] = [(d, d) for d in data["dates"]]
        out.add_node(node, **attrs)
    for u, v, data in graph.edges(data=True):
        attrs = {"weight": data["weight"], "statements": len(data["statements"]), "cues": "; ".join(cues(data)),
                 "roles": "; ".join(sorted({r["role"] for r in data["roles"]})), "articles": len(data["articles"])}
        if spells and data["dates"]:
            attrs["spells"] = [(d, d) for d in data["dates"]]
        out.add_edge(u, v, **attrs)
    return out


def cytoscape(graph: nx.Graph, table: dict[str, dict] | None = None) -> dict:
    """Cytoscape JSON ({"elements": {"nodes", "edges"}}), read by Cytoscape and Cytoscape.js."""
    data = nx.cytoscape_data(flat(graph, table))
    for i, edge in enumerate(data["elements"]["edges"]):
        edge["data"]["id"] = f"e{i}"
    return data


def write(graph: nx.Graph, fmt: str, table: dict[str, dict] | None = None) -> bytes:
    if fmt == "cytoscape":
        return json.dumps(cytoscape(graph, table), ensure_ascii=False).encode()
    buffer = io.BytesIO()
    if fmt == "gexf":
        nx.write_gexf(flat(graph, table, spells=True), buffer)
    elif fmt == "graphml":
        nx.write_graphml(flat(graph, table), buffer)
    else:
        raise ValueError(f"unknown format {fmt!r}; choose from {', '.join(FORMATS)}")
    return buffer.getvalue()
