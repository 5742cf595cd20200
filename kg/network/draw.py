"""A static picture of a network for reports: matplotlib, a seeded spring layout, the most central
actors only when the network is large."""
from __future__ import annotations

from pathlib import Path

import networkx as nx

from .metrics import SEED

TYPE_COLOURS = {"Person": "#4e79a7", "Organization": "#f28e2b", "Place": "#59a14f", "Agent": "#9c9c9c"}
PALETTE = ["#4e79a7", "#f28e2b", "#e15759", "#76b7b2", "#59a14f", "#edc948", "#b07aa1", "#ff9da7",
           "#9c755f", "#bab0ac"]


def draw_png(graph: nx.Graph, table: dict[str, dict], path: Path, colour: str = "community",
             max_nodes: int = 300, labels: int = 25, title: str = "") -> int:
    """Draw the `max_nodes` actors of highest PageRank; returns how many were drawn."""
    import matplotlib
    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    ranked = sorted(graph, key=lambda n: -table[n]["pagerank"])
    shown = graph.subgraph(ranked[:max_nodes])
    top = max((table[n]["pagerank"] for n in shown), default=1) or 1
    sizes = [60 + 1400 * table[n]["pagerank"] / top for n in shown]
    if colour == "type":
        colours = [TYPE_COLOURS[shown.nodes[n]["type"]] for n in shown]
    else:
        colours = [PALETTE[table[n]["community"] % len(PALETTE)] for n in shown]
    layout = nx.spring_layout(shown, seed=SEED, weight=None)
    fig, ax = plt.subplots(figsize=(12, 9), dpi=120)
    widths = [0.4 + min(w, 8) * 0.4 for _, _, w in shown.edges(data="weight")]
    nx.draw_networkx_edges(shown, layout, ax=ax, width=widths, alpha=0.35, edge_color="#555",
                           arrows=shown.is_directed(), arrowsize=8, node_size=sizes)
    nx.draw_networkx_nodes(shown, layout, ax=ax, node_size=sizes, node_color=colours, linewidths=0.5,
                           edgecolors="white")
    named = {n: shown.nodes[n]["name"] for n in ranked[:labels] if n in shown}
    nx.draw_networkx_labels(shown, layout, labels=named, ax=ax, font_size=8)
    ax.set_title(title, fontsize=11)
    ax.axis("off")
    fig.tight_layout()
    fig.savefig(path, format="png")
    plt.close(fig)
    return len(shown)
