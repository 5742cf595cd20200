"""Actor networks on our own three-article feed: projections, filters, metrics, paths, exports,
the metrics graph, kg analyse / kg viz, and GET /network and /analytics on a real server.

The feed (tests/articles/network/feed.jsonl) states, in words any extractor should read the same way:
  net-1 2024-05-01 Harbour Gazette: Ortiz -> Becker, Becker -> Ortiz; Ortiz mayor of Port Avery,
        Becker leader of the Green League
  net-2 2024-05-03 Harbour Gazette: Delgado -> Ortiz twice; Delgado finance minister of no named body
  net-3 2024-06-10 Valley Courier: Becker -> Green League, Becker -> Delgado
The tests require those facts, and otherwise compare each network with what the store's statements,
roles and mentions imply, read here with SPARQL of our own, and each metric with networkx. Actors are
named by their labels; their ids come from the store (entity resolution decides them).
"""
import io
import json
import shutil
from collections import Counter
from pathlib import Path

import httpx
import networkx as nx
import pyoxigraph as ox
import pytest

from conftest import ARTICLES, api_server, run_kg
from kg.graph import article_ntriples
from kg.model import Article, Entity, Extraction, Role, Span
from kg.network import FilterError, Filters, export, metrics, paths, project
from kg.network.details import actor_card
from kg.store import Store
from kg.stores.oxigraph import OxigraphStore
from kg.vocab import Iris

FEED = ARTICLES / "network" / "feed.jsonl"
IRIS = Iris("https://kg.local/")
TOKEN = "network-token-0123456789"
ORTIZ, BECKER, DELGADO = "Helen Ortiz", "Tom Becker", "Rosa Delgado"
LEAGUE, PORT = "Green League", "Port Avery"
# What the feed states, as labels: speaker -> whom the statement is about.
STATED = {(ORTIZ, BECKER), (BECKER, ORTIZ), (DELGADO, ORTIZ), (BECKER, LEAGUE), (BECKER, DELGADO)}

# Our own reading of the store, independent of kg.network.
SAID = """SELECT DISTINCT ?q ?speaker ?target ?article WHERE { ?q a schema:Quotation ; schema:creator ?speaker ;
  schema:about ?target ; schema:isBasedOn ?article . FILTER (?speaker != ?target) }"""
HELD = """SELECT DISTINCT ?m ?person ?org ?role WHERE { ?m a org:Membership ; org:member ?person ;
  org:role/skos:prefLabel ?role ; org:organization ?org }"""
MENTIONED = "SELECT DISTINCT ?article ?actor WHERE { ?article a schema:NewsArticle ; schema:mentions ?actor }"
CLASSES = """SELECT DISTINCT ?a ?type WHERE { ?a a ?cls . VALUES ?cls { schema:Person schema:Organization }
  BIND (STRAFTER(STR(?cls), "schema.org/") AS ?type) }"""


def serve(data: Path):
    """The API on a real server over a read-only store; a context that yields its base URL."""
    return api_server(OxigraphStore(data, read_only=True))


@pytest.fixture(scope="module")
def network_data(tmp_path_factory) -> Path:
    data = tmp_path_factory.mktemp("network-data")
    run_kg("ingest", str(FEED), data=data)
    return data


@pytest.fixture(scope="module")
def store(network_data) -> Store:
    return OxigraphStore(network_data, read_only=True)


@pytest.fixture(scope="module")
def server(network_data):
    with serve(network_data) as url:
        yield url


@pytest.fixture(scope="module")
def names(store) -> dict[str, str]:
    """Each actor's label by IRI, as the store holds it."""
    return {r["a"]: r["name"] for r in store.select(
        "SELECT ?a (MIN(?label) AS ?name) WHERE { ?a skos:prefLabel ?label } GROUP BY ?a")}


@pytest.fixture(scope="module")
def actor(names) -> dict[str, str]:
    """Actor ids by label: actor[BECKER] is whatever id entity resolution gave Tom Becker."""
    return {name: iri.removeprefix(IRIS.base) for iri, name in names.items()}


def named(graph: nx.Graph) -> nx.Graph:
    """The graph with its actors' labels for node ids."""
    return nx.relabel_nodes(graph, dict(graph.nodes(data="name")))


def edges(graph) -> dict[tuple[str, str], int]:
    return {(u, v): w for u, v, w in named(graph).edges(data="weight")}


def statement_links(store: Store, names: dict[str, str], filters: Filters = Filters()) -> dict[tuple[str, str], int]:
    """Speaker -> target links with their number of statements, from the store's statements and the
    feed's dates and publishers, filtered here by our own reading of each filter."""
    feed = {a["id"]: a for a in map(json.loads, FEED.read_text().splitlines())}
    types: dict[str, set[str]] = {}
    for row in store.select(CLASSES):
        types.setdefault(row["a"], set()).add(row["type"])

    def keep(row: dict) -> bool:
        article = feed[IRIS.article_id(row["article"])]
        return ((not filters.date_from or article["date"] >= filters.date_from)
                and (not filters.date_to or article["date"] <= filters.date_to)
                and (not filters.publisher or filters.publisher.lower() in article["source"].lower())
                and (not filters.types or all(types.get(row[k], set()) & set(filters.types)
                                              for k in ("speaker", "target"))))

    counts = Counter((names[r["speaker"]], names[r["target"]]) for r in store.select(SAID) if keep(r))
    return {link: n for link, n in counts.items() if n >= filters.min_weight}


# --- projections and filters ----------------------------------------------------------------
def test_statement_network_links_speakers_to_whom_they_speak_about(store, names):
    graph = named(project(store, IRIS, "statements"))
    assert edges(graph) == statement_links(store, names)
    assert STATED <= set(graph.edges)
    assert graph.edges[DELGADO, ORTIZ]["weight"] >= 2  # she speaks of Ortiz twice
    link = graph.edges[DELGADO, ORTIZ]
    assert {s["cue"] for s in link["statements"]} == {"said"} and len(link["statements"]) == link["weight"]
    texts = " | ".join(s["text"] for s in link["statements"])
    assert "Helen Ortiz will get the money" in texts and "Helen Ortiz had her full support" in texts
    assert link["articles"] == ["net-2"] and link["dates"] == ["2024-05-03"]
    assert graph.nodes[BECKER]["type"] == "Person" and graph.nodes[LEAGUE]["type"] == "Organization"
    assert graph.nodes[BECKER]["dates"] == ["2024-05-01", "2024-06-10"]


def test_affiliation_comention_and_combined_networks(store, names):
    roles = named(project(store, IRIS, "affiliations"))
    held = Counter((names[r["person"]], names[r["org"]]) for r in store.select(HELD))
    assert edges(roles) == dict(held) and {(ORTIZ, PORT), (BECKER, LEAGUE)} <= set(held)
    assert roles.edges[ORTIZ, PORT]["roles"][0]["role"] == "mayor"
    assert DELGADO in roles and roles.degree(DELGADO) == 0  # a finance minister of no named body

    together = named(project(store, IRIS, "comentions"))
    by_article: dict[str, set[str]] = {}
    for row in store.select(MENTIONED):
        by_article.setdefault(IRIS.article_id(row["article"]), set()).add(names[row["actor"]])
    cliques = Counter(frozenset(pair) for actors in by_article.values() for pair in nx.complete_graph(actors).edges)
    assert not together.is_directed()
    assert {frozenset(e): w for e, w in edges(together).items()} == dict(cliques)
    assert together.edges[BECKER, LEAGUE]["weight"] == 2  # net-1 and net-3
    assert together.edges[BECKER, LEAGUE]["articles"] == ["net-1", "net-3"]

    combined = named(project(store, IRIS, "combined"))
    statements = named(project(store, IRIS, "statements"))
    assert set(combined.edges) == set(statements.edges) | set(roles.edges)
    league = combined.edges[BECKER, LEAGUE]
    assert league["weight"] == len(league["statements"]) + len(league["roles"]) == 3  # "its leader Tom Becker" in net-3 too
    assert league["roles"][0]["role"] == "leader" and league["articles"] == ["net-1", "net-3"]


# Role IRIs are slugs, so these articles spell one role two ways: (article, publisher, person, role, organisation).
SPELLED = [("vp-1", "Harbour Gazette", BECKER, "Vice-President", LEAGUE),
           ("vp-2", "Valley Courier", BECKER, "vice president", LEAGUE),
           ("vp-3", "Valley Courier", BECKER, "vice president", LEAGUE),
           ("vp-3", "Valley Courier", DELGADO, "Vice-President", "Harbour Union")]


def spelled_store(path: Path) -> Store:
    """SPELLED as the graphs ingest would write, each role stated as "<organisation> <role> <person>"."""
    store = OxigraphStore(path)
    for article in dict.fromkeys(a for a, *_ in SPELLED):
        text, entities, roles = "", {}, []
        for _, publisher, person, role, org in (s for s in SPELLED if s[0] == article):
            start, said = len(text), f"{org} {role} {person}"
            text += f"{said} spoke on Monday.\n\n"
            evidence = Span(start, start + len(said), said)
            entities.setdefault((person, "PERSON"), []).append(Span(evidence.end - len(person), evidence.end, person))
            entities.setdefault((org, "ORG"), []).append(Span(start, start + len(org), org))
            roles.append(Role(person, role, org, "ORG", "current", evidence))
        meta = Article(id=article, text=text, file=f"{article}.txt", date="2024-07-01", source=publisher)
        x = Extraction(meta, [Entity(n, t, spans) for (n, t), spans in entities.items()], [], roles)
        store.replace_ntriples(str(IRIS.article(article)), article_ntriples(x, IRIS))
    return store


def test_a_role_is_named_as_its_own_article_names_it(tmp_path):
    store = spelled_store(tmp_path / "data")
    roles = named(project(store, IRIS, "affiliations"))
    assert edges(roles) == {(BECKER, LEAGUE): 3, (DELGADO, "Harbour Union"): 1}  # one link per membership
    held = [("vp-1", "Vice-President"), ("vp-2", "vice president"), ("vp-3", "Vice-President")]  # vp-3 spells it both ways
    assert [(r["article"], r["role"]) for r in roles.edges[BECKER, LEAGUE]["roles"]] == held
    card = actor_card(store, IRIS, IRIS.entity(BECKER, "PERSON").removeprefix(IRIS.base))
    [vice_president] = card["roles"]  # one entry for the role, however many articles and spellings
    assert vice_president["role"] == "Vice-President" and vice_president["articles"] == 3
    assert vice_president["article"] == "vp-3" and vice_president["first"] == vice_president["last"] == "2024-07-01"
    gazette = named(project(store, IRIS, "affiliations", Filters(publisher="gazette")))
    assert [(r["article"], r["role"]) for _, _, rs in gazette.edges(data="roles") for r in rs] == [("vp-1", "Vice-President")]


@pytest.mark.parametrize("filters, kept, dropped", [
    (Filters(publisher="gazette"), {(ORTIZ, BECKER), (BECKER, ORTIZ), (DELGADO, ORTIZ)},
     {(BECKER, LEAGUE), (BECKER, DELGADO)}),
    (Filters(date_from="2024-05-02"), {(DELGADO, ORTIZ), (BECKER, LEAGUE), (BECKER, DELGADO)},
     {(ORTIZ, BECKER), (BECKER, ORTIZ)}),
    (Filters(date_to="2024-05-01"), {(ORTIZ, BECKER), (BECKER, ORTIZ)},
     {(DELGADO, ORTIZ), (BECKER, LEAGUE), (BECKER, DELGADO)}),
    (Filters(types=("Person",)), {(ORTIZ, BECKER), (BECKER, ORTIZ), (DELGADO, ORTIZ), (BECKER, DELGADO)},
     {(BECKER, LEAGUE)}),
    (Filters(min_weight=2), {(DELGADO, ORTIZ)}, {(ORTIZ, BECKER), (BECKER, LEAGUE)}),
])
def test_filters(store, names, filters, kept, dropped):
    found = edges(project(store, IRIS, "statements", filters))
    assert found == statement_links(store, names, filters)
    assert kept <= set(found) and not dropped & set(found)
    assert set(found) < set(edges(project(store, IRIS, "statements")))


def test_bad_filters_are_refused_clearly():
    with pytest.raises(FilterError, match="date from must be a date YYYY-MM-DD"):
        Filters(date_from="2024-02-30")
    with pytest.raises(FilterError, match="unknown actor type Robot"):
        Filters(types=("Robot",))


# --- metrics and paths ----------------------------------------------------------------------
def test_metrics_agree_with_networkx_and_rank_the_most_talked_about_and_the_most_talkative(store):
    graph = named(project(store, IRIS, "statements"))
    table = metrics.compute(graph)
    pagerank, betweenness = nx.pagerank(graph, weight="weight"), nx.betweenness_centrality(graph)
    for node in graph:
        assert table[node]["in_degree"] == graph.in_degree(node, weight="weight")
        assert table[node]["out_degree"] == graph.out_degree(node, weight="weight")
        assert table[node]["pagerank"] == pytest.approx(pagerank[node])
        assert table[node]["betweenness"] == pytest.approx(betweenness[node])
    # three statements are about Ortiz and three are Becker's: more than any other actor's
    assert metrics.ranking(table, "in_degree", 1) == [(ORTIZ, 3)]
    assert metrics.ranking(table, "out_degree", 1) == [(BECKER, 3)]
    assert metrics.ranking(table, "pagerank", 1)[0][0] == max(pagerank, key=pagerank.get)
    cores = metrics.cores(graph)
    assert cores == nx.core_number(nx.Graph(graph.to_undirected()))
    assert {ORTIZ, BECKER, DELGADO} <= {n for n, c in cores.items() if c >= 2}  # the triangle they speak in
    assert set(metrics.k_core(graph)) == {n for n, c in cores.items() if c == max(cores.values())}
    assert table[BECKER]["betweenness"] > 0 and table[LEAGUE]["betweenness"] == 0
    groups = metrics.communities(graph)
    assert groups == metrics.communities(graph) and set().union(*groups) == set(graph)  # the fixed seed


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


def test_path_and_ego_network(store, actor):
    graph = project(store, IRIS, "combined")
    name = dict(graph.nodes(data="name"))
    steps = paths.connection(graph, paths.find_actor(graph, "helen ortiz"), paths.find_actor(graph, "green league"))
    assert [(name[s["source"]], name[s["target"]]) for s in steps] == [(ORTIZ, BECKER), (BECKER, LEAGUE)]
    assert {(name[k["source"]], name[k["target"]]) for k in steps[0]["links"]} == {(ORTIZ, BECKER), (BECKER, ORTIZ)}
    assert steps[1]["links"][0]["roles"][0]["role"] == "leader"
    league = actor[LEAGUE]
    simple = graph.to_undirected(as_view=True)
    assert set(paths.ego(graph, league, 1)) == {league, *simple[league]} >= {league, actor[BECKER]}
    two = set(nx.single_source_shortest_path_length(simple, league, cutoff=2))
    assert set(paths.ego(graph, league, 2)) == two >= {actor[n] for n in (LEAGUE, BECKER, ORTIZ, DELGADO)}
    assert set(paths.ego(graph, league, 2).edges) == set(graph.subgraph(two).edges)
    named_e = sorted(n for n in name.values() if "e" in n.lower())
    with pytest.raises(paths.ActorNotFound, match=rf"'e' names {len(named_e)} actors: {named_e[0]} \("):
        paths.find_actor(graph, "e")
    with pytest.raises(paths.NoPath):
        paths.connection(project(store, IRIS, "affiliations"), actor[ORTIZ], actor[BECKER])


# --- exports --------------------------------------------------------------------------------
def test_gexf_has_a_timeline_and_the_metrics(store, actor):
    graph = project(store, IRIS, "statements")
    table = metrics.compute(graph)
    data = export.write(graph, "gexf", table)
    assert b'mode="dynamic"' in data and b'timeformat="date"' in data
    back = nx.read_gexf(io.BytesIO(data))
    assert set(back.edges) == set(graph.edges) and set(back) == set(graph)
    becker, ortiz, delgado = actor[BECKER], actor[ORTIZ], actor[DELGADO]
    assert back.nodes[becker]["spells"] == [("2024-05-01", "2024-05-01"), ("2024-06-10", "2024-06-10")]
    assert back.nodes[ortiz]["in_degree"] == table[ortiz]["in_degree"] and back.nodes[ortiz]["label"] == ORTIZ
    assert back.edges[delgado, ortiz]["weight"] == graph.edges[delgado, ortiz]["weight"] >= 2
    assert back.edges[delgado, ortiz]["cues"] == "said"


def test_graphml_and_cytoscape_json(store, actor):
    graph = project(store, IRIS, "combined")
    back = nx.read_graphml(io.BytesIO(export.write(graph, "graphml", metrics.compute(graph))))
    assert set(back.edges) == set(graph.edges)
    league = back.edges[actor[BECKER], actor[LEAGUE]]
    assert league["roles"] == "leader"
    assert league["statements"] == len(graph.edges[actor[BECKER], actor[LEAGUE]]["statements"]) == 1
    data = export.cytoscape(graph, metrics.compute(graph))
    assert {n["data"]["id"] for n in data["elements"]["nodes"]} == set(graph) and data["directed"] is True
    assert len(data["elements"]["edges"]) == graph.number_of_edges()
    assert all({"source", "target", "weight", "id"} <= set(e["data"]) for e in data["elements"]["edges"])


# --- the CLI --------------------------------------------------------------------------------
def test_kg_analyse_commands(network_data, store, actor, tmp_path):
    graph = named(project(store, IRIS, "statements"))
    out = run_kg("analyse", "top", "-m", "in_degree", "-l", "2", data=network_data).stdout
    assert f"{len(graph)} actors, {graph.number_of_edges()} links, by in_degree" in out
    top = [n for n, _ in metrics.ranking(metrics.compute(graph), "in_degree", 2)]
    assert top[0] == ORTIZ and out.index(top[0]) < out.index(top[1])
    out = run_kg("analyse", "path", "Ortiz", "Green League", data=network_data).stdout
    assert "Tom Becker -> Green League\n  role: leader (current) [net-1]" in out
    assert '"Tom Becker has never read the plan,"' in out
    cores = metrics.cores(graph)
    k = max(cores.values())
    core = sorted(n for n, c in cores.items() if c == k)
    assert f"{k}-core: {len(core)} actors: {', '.join(core)}" in run_kg("analyse", "kcore", data=network_data).stdout
    league = named(project(store, IRIS, "combined")).edges[BECKER, LEAGUE]
    assert f"Tom Becker -> Green League\t{league['weight']}\tsaid; leader" in run_kg(
        "analyse", "ego", actor[BECKER], data=network_data).stdout
    run_kg("analyse", "export", "-f", "gexf", "-o", str(tmp_path / "n.gexf"), "--publisher", "Valley",
           data=network_data)
    valley = project(store, IRIS, "statements", Filters(publisher="Valley"))
    assert set(nx.read_gexf(tmp_path / "n.gexf").edges) == set(valley.edges) >= {
        (actor[BECKER], actor[LEAGUE]), (actor[BECKER], actor[DELGADO])}


def test_kg_analyse_errors_are_clear(network_data, tmp_path):
    result = run_kg("analyse", "top", "--from", "May 2024", data=network_data, check=False)
    assert result.returncode == 2 and "date from must be a date YYYY-MM-DD" in result.stderr
    result = run_kg("analyse", "path", "Nobody", "Ortiz", data=network_data, check=False)
    assert result.returncode == 1 and "no actor 'Nobody'" in result.stderr
    result = run_kg("analyse", "top", "--network", "friends", data=network_data, check=False)
    assert result.returncode == 2 and "unknown network 'friends'" in result.stderr
    result = run_kg("analyse", "write", data=tmp_path / "empty", check=False)  # writes no store of its own
    assert result.returncode == 2 and "run kg ingest first" in result.stderr and not (tmp_path / "empty").exists()


def test_metrics_graph_sorts_in_sparql(network_data, store, tmp_path):
    graph = named(project(store, IRIS, "statements"))
    data = tmp_path / "data"
    shutil.copytree(network_data, data)
    assert f"wrote the metrics of {len(graph)} actors to <https://kg.local/metrics/statements>" in run_kg(
        "analyse", "write", data=data).stdout
    out = run_kg("query", "-f", "csv", """PREFIX kg: <https://kg.local/ns#>
        PREFIX skos: <http://www.w3.org/2004/02/skos/core#>
        SELECT DISTINCT ?name ?in WHERE { GRAPH <https://kg.local/metrics/statements> { ?a kg:inDegree ?in }
        ?a skos:prefLabel ?name } ORDER BY DESC(?in) ?name LIMIT 2""", data=data).stdout
    top = metrics.ranking(metrics.compute(graph), "in_degree", 2)
    assert out.splitlines()[1:] == [f"{name},{value:g}" for name, value in top] and top[0] == (ORTIZ, 3)
    run_kg("analyse", "write", data=data)  # again: replaced, not added to
    out = run_kg("query", "-f", "csv", "SELECT (COUNT(*) AS ?n) WHERE { GRAPH <https://kg.local/metrics/statements> "
                 "{ ?a <https://kg.local/ns#pageRank> ?r } }", data=data).stdout
    assert out.splitlines()[1] == str(len(graph))
    assert "conforms" in run_kg("validate", data=data).stdout


def test_kg_viz_writes_a_png(network_data, store, tmp_path):
    png = tmp_path / "network.png"
    result = run_kg("viz", "--png", str(png), "--colour", "type", data=network_data)
    actors = len(project(store, IRIS, "statements"))
    assert f"drew {actors} of {actors} actors" in result.stderr
    assert png.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n" and png.stat().st_size > 20_000


# --- the HTTP API ---------------------------------------------------------------------------
def test_get_network_as_cytoscape_gexf_and_graphml(server, store, actor):
    data = httpx.get(f"{server}/network", params={"kind": "statements", "min_weight": 2}).json()
    heavy = project(store, IRIS, "statements", Filters(min_weight=2))
    assert {n["data"]["id"] for n in data["elements"]["nodes"]} == set(heavy) >= {actor[DELGADO], actor[ORTIZ]}
    assert {(e["data"]["source"], e["data"]["target"], e["data"]["weight"]) for e in data["elements"]["edges"]} == set(
        heavy.edges(data="weight"))
    r = httpx.get(f"{server}/network", params={"format": "gexf", "from": "2024-06-01"})
    assert r.headers["content-type"] == "application/gexf+xml" and "kg-statements.gexf" in r.headers["content-disposition"]
    june = project(store, IRIS, "statements", Filters(date_from="2024-06-01"))
    assert set(nx.read_gexf(io.BytesIO(r.content)).edges) == set(june.edges) >= {
        (actor[BECKER], actor[LEAGUE]), (actor[BECKER], actor[DELGADO])}
    r = httpx.get(f"{server}/network", params={"format": "graphml", "kind": "affiliations", "type": ["Person", "Organization"]})
    roles = project(store, IRIS, "affiliations", Filters(types=("Person", "Organization")))
    assert set(nx.read_graphml(io.BytesIO(r.content)).edges) == set(roles.edges) >= {
        (actor[ORTIZ], actor[PORT]), (actor[BECKER], actor[LEAGUE])}


def test_get_network_is_the_same_until_a_write_changes_it(network_data, tmp_path):
    """Served from a cache while the store is unchanged; a POST, DELETE or SPARQL Update shows at once."""
    store = OxigraphStore(tmp_path / "store")
    store.load(OxigraphStore(network_data, read_only=True).export("nquads"), format=ox.RdfFormat.N_QUADS)
    auth = {"Authorization": f"Bearer {TOKEN}"}
    with api_server(store, api_token=TOKEN) as url:
        def links(**params) -> set[tuple[str, str]]:
            data = httpx.get(f"{url}/network", params=params).json()["elements"]
            names = {n["data"]["id"]: n["data"]["name"] for n in data["nodes"]}
            return {(names[e["data"]["source"]], names[e["data"]["target"]]) for e in data["edges"]}

        first = httpx.get(f"{url}/network", params={"kind": "combined"})
        assert httpx.get(f"{url}/network", params={"kind": "combined"}).content == first.content
        ranking = httpx.get(f"{url}/analytics/metrics").json()
        assert httpx.get(f"{url}/analytics/metrics").json() == ranking
        assert {(BECKER, LEAGUE), (BECKER, DELGADO)} <= links()

        assert httpx.delete(f"{url}/articles/net-3", headers=auth).status_code == 204
        assert not {(BECKER, LEAGUE), (BECKER, DELGADO)} & links()
        assert httpx.get(f"{url}/analytics/metrics").json() != ranking
        net3 = json.loads(FEED.read_text().splitlines()[2])
        assert httpx.post(f"{url}/articles", json=net3, headers=auth, timeout=120).status_code == 201
        assert httpx.get(f"{url}/network", params={"kind": "combined"}).content == first.content
        assert httpx.get(f"{url}/analytics/metrics").json() == ranking

        drop = f"DROP GRAPH <{IRIS.article('net-2')}>"
        assert httpx.post(f"{url}/sparql", data={"update": drop}, headers=auth).status_code == 204
        assert (DELGADO, ORTIZ) not in links() and (BECKER, DELGADO) in links()


def test_get_network_refuses_bad_filters(server):
    for bad in ("2024-02-30", "notadate"):
        r = httpx.get(f"{server}/network", params={"from": bad})
        assert r.status_code == 400 and "YYYY-MM-DD" in r.json()["detail"]
    assert httpx.get(f"{server}/network", params={"kind": "friends"}).status_code == 422
    assert httpx.get(f"{server}/network", params={"min_weight": -1}).status_code == 422


def test_analytics_endpoints(server, store, actor):
    graph = named(project(store, IRIS, "statements"))
    table = metrics.compute(graph)
    ranking = httpx.get(f"{server}/analytics/metrics", params={"metric": "out_degree", "limit": 2}).json()
    assert ranking["actors"] == len(graph) and ranking["betweenness_sample"] is None
    assert [(a["name"], a["out_degree"]) for a in ranking["items"]] == metrics.ranking(table, "out_degree", 2)
    assert ranking["items"][0]["name"] == BECKER
    communities = httpx.get(f"{server}/analytics/communities").json()
    assert sum(c["size"] for c in communities) == len(graph)
    path = httpx.get(f"{server}/analytics/path", params={"source": "Rosa Delgado", "target": "Port Avery"}).json()
    assert [s["target_name"] for s in path["steps"]] == [ORTIZ, PORT]
    assert path["steps"][1]["links"][0]["roles"][0]["role"] == "mayor"
    assert httpx.get(f"{server}/analytics/path", params={"source": "Nobody", "target": "Ortiz"}).status_code == 404
    league = actor[LEAGUE]
    combined = project(store, IRIS, "combined").to_undirected(as_view=True)
    ego = httpx.get(f"{server}/analytics/ego/{league}", params={"hops": 1}).json()
    assert {n["data"]["id"] for n in ego["elements"]["nodes"]} == {league, *combined[league]} >= {league, actor[BECKER]}
    core = httpx.get(f"{server}/analytics/kcore").json()
    cores = metrics.cores(graph)
    assert core["k"] == max(cores.values()) >= 2
    assert [a["name"] for a in core["items"]] == sorted(n for n, c in cores.items() if c == core["k"])


def test_actor_card_and_article_text(server, store, actor):
    becker = actor[BECKER]
    card = httpx.get(f"{server}/network/actors/{becker}").json()
    assert card["name"] == BECKER and card["type"] == "Person"
    said = store.select("SELECT DISTINCT ?q WHERE { #PARAMS ?q a schema:Quotation ; schema:creator ?a "
                        "FILTER (STR(?a) = ?who) }", who=IRIS.base + becker)
    assert card["statements"] == len(card["said"]) == len(said) >= 3  # three statements in the feed
    assert ("leader", 2, "net-3", {"id": actor[LEAGUE], "name": LEAGUE}) in [  # in net-1 and net-3, linked to the latest
        (r["role"], r["articles"], r["article"], r["other"]) for r in card["roles"]]
    assert [s["speaker"]["name"] for s in card["said_about"]] == [ORTIZ]
    minister = httpx.get(f"{server}/network/actors/{actor[DELGADO]}").json()
    assert [(r["role"], r["article"], r["other"]) for r in minister["roles"]] == [("finance minister", "net-2", None)]
    article = httpx.get(f"{server}/network/articles/{card['said'][0]['article']}").json()
    span = card["said"][0]["content_spans"][0]
    assert article["text"][span["start"]:span["end"]] == card["said"][0]["text"]
    assert httpx.get(f"{server}/network/actors/person/nobody").status_code == 404
    assert httpx.get(f"{server}/network/actors/person/x%3E%20%7D").status_code == 404
