"""Metrics back into the knowledge graph: one named graph per network, so SPARQL can sort by them.

    SELECT DISTINCT ?name ?rank WHERE { GRAPH <https://kg.local/metrics/statements> { ?a kg:pageRank ?rank }
                               ?a skos:prefLabel ?name } ORDER BY DESC(?rank)
"""
from __future__ import annotations

from datetime import datetime, timezone

from rdflib import Graph, Literal, URIRef

from ..store import Store
from ..vocab import KG, PREFIXES, PROV, RDF, XSD, Iris

PROPERTIES = {"in_degree": KG.inDegree, "out_degree": KG.outDegree, "pagerank": KG.pageRank,
              "betweenness": KG.betweenness, "community": KG.community, "core": KG.coreNumber}


def metrics_graph_iri(iris: Iris, kind: str) -> URIRef:
    return URIRef(f"{iris.base}metrics/{kind}")


def metrics_graph(iris: Iris, kind: str, table: dict[str, dict]) -> Graph:
    name = metrics_graph_iri(iris, kind)
    graph = Graph(identifier=name)
    for prefix, namespace in PREFIXES.items():
        graph.bind(prefix, namespace)
    graph.add((name, RDF.type, KG.NetworkAnalysis))
    graph.add((name, KG.network, Literal(kind)))
    graph.add((name, PROV.generatedAtTime, Literal(datetime.now(timezone.utc).isoformat(timespec="seconds"),
                                                   datatype=XSD.dateTime)))
    for actor, row in table.items():
        node = URIRef(iris.base + actor)
        for metric, value in row.items():
            datatype = XSD.double if isinstance(value, float) else XSD.integer
            graph.add((node, PROPERTIES[metric], Literal(value, datatype=datatype)))
    return graph


def write_metrics(store: Store, iris: Iris, kind: str, table: dict[str, dict]) -> URIRef:
    """Replace the network's metrics graph with these metrics; returns the graph's IRI."""
    graph = metrics_graph(iris, kind, table)
    store.replace_graph(graph)
    store.flush()
    return graph.identifier
