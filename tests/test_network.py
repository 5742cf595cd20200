"""Actor networks on our own three-article feed: projections, filters, metrics, paths, exports,
the metrics graph, kg analyse / kg viz, and GET /network and /analytics on a real server.

The feed (tests/articles/network/feed.jsonl), as the extractor reads it:
  net-1 2024-05-01 Harbour Gazette: Ortiz -> Becker, Becker -> Ortiz; Ortiz mayor of Port Avery,
        Becker leader of the Green League
  net-2 2024-05-03 Harbour Gazette: Delgado -> Ortiz twice
  net-3 2024-06-10 Valley Courier: Becker -> Green League, Becker -> Delgado
"""
import contextlib
import io
import shutil
import socket
import threading
import time
from pathlib import Path

import httpx
import networkx as nx
import pytest
import uvicorn

from api.app import create_app
from conftest import ARTICLES, run_kg
from kg.network import FilterError, Filters, export, metrics, paths, project
from kg.store import Store
from kg.vocab import Iris

FEED = ARTICLES / "network" / "feed.jsonl"
IRIS = Iris("https://kg.local/")
ORTIZ, BECKER, DELGADO = "person/helen-ortiz", "person/tom-becker", "person/rosa-delgado"
LEAGUE, PORT = "org/green-league", "org/port-avery"


@contextlib.contextmanager
def serve(data: Path):
    """The API on a real server over a read-only store; yields its base URL."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    server = uvicorn.Server(uvicorn.Config(create_app(Store(data, read_only=True)), host="127.0.0.1", port=port,
                                           log_level="warning"))
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    while not server.started:
        time.sleep(0.05)
    try:
        yield f"http://127.0.0.1:{port}"
    finally:
        server.should_exit = True
        thread.join(10)


@pytest.fixture(scope="module")
def network_data(tmp_path_factory) -> Path:
    data = tmp_path_factory.mktemp("network-data")
    run_kg("ingest", str(FEED), data=data)
    return data


@pytest.fixture(scope="module")
def store(network_data) -> Store:
    return Store(network_data, read_only=True)


@pytest.fixture(scope="module")
def server(network_data):
    with serve(network_data) as url:
        yield url


def edges(graph) -> dict[tuple[str, str], int]:
    return {(u, v): w for u, v, w in graph.edges(data="weight")}


# --- projections and filters ----------------------------------------------------------------
def test_statement_network_links_speakers_to_whom_they_speak_about(store):
    graph = project(store, IRIS, "statements")
    assert edges(graph) == {(ORTIZ, BECKER): 1, (BECKER, ORTIZ): 1, (DELGADO, ORTIZ): 2,
                            (BECKER, LEAGUE): 1, (BECKER, DELGADO): 1}
    link = graph.edges[DELGADO, ORTIZ]
    assert [s["cue"] for s in link["statements"]] == ["said", "said"]
    assert {s["text"] for s in link["statements"]} == {'"Helen Ortiz will get the money,"',
                                                       "that Helen Ortiz had her full support"}
    assert link["articles"] == ["net-2"] and link["dates"] == ["2024-05-03"]
    assert graph.nodes[BECKER] == {"name": "Tom Becker", "type": "Person", "dates": ["2024-05-01", "2024-06-10"]}


def test_affiliation_comention_and_combined_networks(store):
    roles = project(store, IRIS, "affiliations")
    assert edges(roles) == {(ORTIZ, PORT): 1, (BECKER, LEAGUE): 1}
    assert roles.edges[ORTIZ, PORT]["roles"][0]["role"] == "mayor"
    assert DELGADO in roles and roles.degree(DELGADO) == 0  # a finance minister of no named body

    together = project(store, IRIS, "comentions")
    assert not together.is_directed()
    assert together.edges[BECKER, LEAGUE]["weight"] == 2  # net-1 and net-3
    assert together.edges[BECKER, LEAGUE]["articles"] == ["net-1", "net-3"]
    assert together.number_of_edges() == 6 + 1 + 2  # the three articles' cliques, Becker-League once

    combined = project(store, IRIS, "combined")
    league = combined.edges[BECKER, LEAGUE]
    assert league["weight"] == 2 and len(league["statements"]) == 1 and league["roles"][0]["role"] == "leader"


@pytest.mark.parametrize("filters, expected", [
    (Filters(publisher="gazette"), {(ORTIZ, BECKER), (BECKER, ORTIZ), (DELGADO, ORTIZ)}),
    (Filters(date_from="2024-05-02"), {(DELGADO, ORTIZ), (BECKER, LEAGUE), (BECKER, DELGADO)}),
    (Filters(date_to="2024-05-01"), {(ORTIZ, BECKER), (BECKER, ORTIZ)}),
    (Filters(types=("Person",)), {(ORTIZ, BECKER), (BECKER, ORTIZ), (DELGADO, ORTIZ), (BECKER, DELGADO)}),
    (Filters(min_weight=2), {(DELGADO, ORTIZ)}),
])
def test_filters(store, filters, expected):
    assert set(edges(project(store, IRIS, "statements", filters))) == expected


def test_bad_filters_are_refused_clearly():
    with pytest.raises(FilterError, match="date from must be a date YYYY-MM-DD"):
        Filters(date_from="2024-02-30")
    with pytest.raises(FilterError, match="unknown actor type Robot"):
        Filters(types=("Robot",))


# --- metrics and paths ----------------------------------------------------------------------
def test_metrics_rank_the_most_talked_about_and_the_most_talkative(store):
    graph = project(store, IRIS, "statements")
    table = metrics.compute(graph)
    assert metrics.ranking(table, "in_degree", 1) == [(ORTIZ, 3)]
    assert metrics.ranking(table, "out_degree", 1) == [(BECKER, 3)]
    assert {n for n, _ in metrics.ranking(table, "pagerank", 2)} == {ORTIZ, BECKER}
    assert {n for n, c in metrics.cores(graph).items() if c == 2} == {ORTIZ, BECKER, DELGADO}
    assert set(metrics.k_core(graph)) == {ORTIZ, BECKER, DELGADO}
    assert table[BECKER]["betweenness"] > 0 and table[LEAGUE]["betweenness"] == 0
    assert metrics.communities(graph) == metrics.communities(graph)  # the fixed seed


def test_core_numbers_match_networkx_on_random_graphs():
    for seed in range(3):
        graph = nx.gnm_random_graph(200, 900, seed=seed, directed=True)
        nx.set_edge_attributes(graph, 1, "weight")
        simple = nx.Graph(graph.to_undirected())
        assert metrics.cores(graph) == nx.core_number(simple)


def test_betweenness_is_sampled_on_large_networks():
    small, large = nx.path_graph(10), nx.gnm_random_graph(3000, 30_000, seed=1)
    assert metrics.sample_size(small) is None
    assert metrics.sample_size(large) == metrics.BETWEENNESS_BUDGET // 30_000


def test_path_and_ego_network(store):
    graph = project(store, IRIS, "combined")
    steps = paths.connection(graph, paths.find_actor(graph, "helen ortiz"), paths.find_actor(graph, "green league"))
    assert [(s["source"], s["target"]) for s in steps] == [(ORTIZ, BECKER), (BECKER, LEAGUE)]
    assert {(link["source"], link["target"]) for link in steps[0]["links"]} == {(ORTIZ, BECKER), (BECKER, ORTIZ)}
    assert steps[1]["links"][0]["roles"][0]["role"] == "leader"
    assert set(paths.ego(graph, LEAGUE, 1)) == {LEAGUE, BECKER}
    assert set(paths.ego(graph, LEAGUE, 2)) == {LEAGUE, BECKER, ORTIZ, DELGADO}
    with pytest.raises(paths.ActorNotFound, match=r"'e' names 5 actors: Green League \(org/green-league\)"):
        paths.find_actor(graph, "e")
    with pytest.raises(paths.NoPath):
        paths.connection(project(store, IRIS, "affiliations"), ORTIZ, BECKER)


# --- exports --------------------------------------------------------------------------------
def test_gexf_has_a_timeline_and_the_metrics(store):
    graph = project(store, IRIS, "statements")
    data = export.write(graph, "gexf", metrics.compute(graph))
    assert b'mode="dynamic"' in data and b'timeformat="date"' in data
    back = nx.read_gexf(io.BytesIO(data))
    assert back.nodes[BECKER]["spells"] == [("2024-05-01", "2024-05-01"), ("2024-06-10", "2024-06-10")]
    assert back.nodes[ORTIZ]["in_degree"] == 3 and back.nodes[ORTIZ]["label"] == "Helen Ortiz"
    assert back.edges[DELGADO, ORTIZ]["weight"] == 2 and back.edges[DELGADO, ORTIZ]["cues"] == "said"


def test_graphml_and_cytoscape_json(store):
    graph = project(store, IRIS, "combined")
    back = nx.read_graphml(io.BytesIO(export.write(graph, "graphml", metrics.compute(graph))))
    assert back.edges[BECKER, LEAGUE]["roles"] == "leader" and back.edges[BECKER, LEAGUE]["statements"] == 1
    data = export.cytoscape(graph, metrics.compute(graph))
    ids = {n["data"]["id"] for n in data["elements"]["nodes"]}
    assert ORTIZ in ids and data["directed"] is True
    assert all({"source", "target", "weight", "id"} <= set(e["data"]) for e in data["elements"]["edges"])


# --- the CLI --------------------------------------------------------------------------------
def test_kg_analyse_commands(network_data, tmp_path):
    out = run_kg("analyse", "top", "-m", "in_degree", "-l", "2", data=network_data).stdout
    assert "4 actors, 5 links, by in_degree" in out and out.index("Helen Ortiz") < out.index("Green League")
    out = run_kg("analyse", "path", "Ortiz", "Green League", data=network_data).stdout
    assert "Tom Becker -> Green League\n  role: leader (current) [net-1]" in out
    assert '"Tom Becker has never read the plan,"' in out
    assert "2-core: 3 actors: Helen Ortiz, Rosa Delgado, Tom Becker" in run_kg("analyse", "kcore", data=network_data).stdout
    assert "Tom Becker -> Green League\t2\tsaid; leader" in run_kg(
        "analyse", "ego", "person/tom-becker", data=network_data).stdout
    run_kg("analyse", "export", "-f", "gexf", "-o", str(tmp_path / "n.gexf"), "--publisher", "Valley",
           data=network_data)
    assert set(nx.read_gexf(tmp_path / "n.gexf").edges) == {(BECKER, LEAGUE), (BECKER, DELGADO)}


def test_kg_analyse_errors_are_clear(network_data):
    result = run_kg("analyse", "top", "--from", "May 2024", data=network_data, check=False)
    assert result.returncode == 2 and "date from must be a date YYYY-MM-DD" in result.stderr
    result = run_kg("analyse", "path", "Nobody", "Ortiz", data=network_data, check=False)
    assert result.returncode == 1 and "no actor 'Nobody'" in result.stderr
    result = run_kg("analyse", "top", "--network", "friends", data=network_data, check=False)
    assert result.returncode == 2 and "unknown network 'friends'" in result.stderr


def test_metrics_graph_sorts_in_sparql(network_data, tmp_path):
    data = tmp_path / "data"
    shutil.copytree(network_data, data)
    assert "wrote the metrics of 4 actors to <https://kg.local/metrics/statements>" in run_kg(
        "analyse", "write", data=data).stdout
    out = run_kg("query", "-f", "csv", """PREFIX kg: <https://kg.local/ns#>
        PREFIX skos: <http://www.w3.org/2004/02/skos/core#>
        SELECT DISTINCT ?name ?in WHERE { GRAPH <https://kg.local/metrics/statements> { ?a kg:inDegree ?in }
        ?a skos:prefLabel ?name } ORDER BY DESC(?in) ?name LIMIT 2""", data=data).stdout
    assert out.splitlines()[1:] == ["Helen Ortiz,3", "Green League,1"]
    run_kg("analyse", "write", data=data)  # again: replaced, not added to
    out = run_kg("query", "-f", "csv", "SELECT (COUNT(*) AS ?n) WHERE { GRAPH <https://kg.local/metrics/statements> "
                 "{ ?a <https://kg.local/ns#pageRank> ?r } }", data=data).stdout
    assert out.splitlines()[1] == "4"
    assert "conforms" in run_kg("validate", data=data).stdout


def test_kg_viz_writes_a_png(network_data, tmp_path):
    png = tmp_path / "network.png"
    result = run_kg("viz", "--png", str(png), "--colour", "type", data=network_data)
    assert "drew 4 of 4 actors" in result.stderr
    assert png.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n" and png.stat().st_size > 20_000


# --- the HTTP API ---------------------------------------------------------------------------
def test_get_network_as_cytoscape_gexf_and_graphml(server):
    data = httpx.get(f"{server}/network", params={"kind": "statements", "min_weight": 2}).json()
    assert {n["data"]["id"] for n in data["elements"]["nodes"]} == {DELGADO, ORTIZ}
    assert data["elements"]["edges"][0]["data"]["weight"] == 2
    r = httpx.get(f"{server}/network", params={"format": "gexf", "from": "2024-06-01"})
    assert r.headers["content-type"] == "application/gexf+xml" and "kg-statements.gexf" in r.headers["content-disposition"]
    assert set(nx.read_gexf(io.BytesIO(r.content)).edges) == {(BECKER, LEAGUE), (BECKER, DELGADO)}
    r = httpx.get(f"{server}/network", params={"format": "graphml", "kind": "affiliations", "type": ["Person", "Organization"]})
    assert set(nx.read_graphml(io.BytesIO(r.content)).edges) == {(ORTIZ, PORT), (BECKER, LEAGUE)}


def test_get_network_refuses_bad_filters(server):
    r = httpx.get(f"{server}/network", params={"from": "2024-02-30"})
    assert r.status_code == 400 and "YYYY-MM-DD" in r.json()["detail"]
    assert httpx.get(f"{server}/network", params={"kind": "friends"}).status_code == 422
    assert httpx.get(f"{server}/network", params={"min_weight": -1}).status_code == 422


def test_analytics_endpoints(server):
    ranking = httpx.get(f"{server}/analytics/metrics", params={"metric": "out_degree", "limit": 2}).json()
    assert ranking["actors"] == 4 and ranking["betweenness_sample"] is None
    assert [(a["name"], a["out_degree"]) for a in ranking["items"]] == [("Tom Becker", 3), ("Rosa Delgado", 2)]
    communities = httpx.get(f"{server}/analytics/communities").json()
    assert sum(c["size"] for c in communities) == 4
    path = httpx.get(f"{server}/analytics/path", params={"source": "Rosa Delgado", "target": "Port Avery"}).json()
    assert [s["target_name"] for s in path["steps"]] == ["Helen Ortiz", "Port Avery"]
    assert path["steps"][1]["links"][0]["roles"][0]["role"] == "mayor"
    assert httpx.get(f"{server}/analytics/path", params={"source": "Nobody", "target": "Ortiz"}).status_code == 404
    ego = httpx.get(f"{server}/analytics/ego/{LEAGUE}", params={"hops": 1}).json()
    assert {n["data"]["id"] for n in ego["elements"]["nodes"]} == {LEAGUE, BECKER}
    core = httpx.get(f"{server}/analytics/kcore").json()
    assert core["k"] == 2 and [a["name"] for a in core["items"]] == ["Helen Ortiz", "Rosa Delgado", "Tom Becker"]


def test_actor_card_and_article_text(server):
    card = httpx.get(f"{server}/network/actors/{BECKER}").json()
    assert card["name"] == "Tom Becker" and card["statements"] == 3
    assert [(r["role"], r["article"], r["other"]) for r in card["roles"]] == [
        ("leader", "net-1", {"id": LEAGUE, "name": "Green League"}), ("leader", "net-3", None)]
    assert [s["speaker"]["name"] for s in card["said_about"]] == ["Helen Ortiz"]
    article = httpx.get(f"{server}/network/articles/{card['said'][0]['article']}").json()
    span = card["said"][0]["content_spans"][0]
    assert article["text"][span["start"]:span["end"]] == card["said"][0]["text"]
    assert httpx.get(f"{server}/network/actors/person/nobody").status_code == 404
    assert httpx.get(f"{server}/network/actors/person/x%3E%20%7D").status_code == 404
