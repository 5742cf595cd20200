"""The network page in a real browser (the `page` fixture in conftest: Debian's chromium through
Playwright, failing on any page error, console error or request to another host)."""
from pathlib import Path

import httpx
import pytest
from playwright.sync_api import Page, expect

from bench.synthetic import fill
from conftest import screenshot
from kg.stores.oxigraph import OxigraphStore

from test_network import IRIS, network_data, serve  # noqa: F401  (network_data is a fixture)

SULLIVAN = "person/jake-sullivan"


def open_network(page: Page, url: str) -> None:
    page.goto(url + "/")
    page.wait_for_selector("body[data-ready=true]")


def network(url: str, **params) -> dict:
    """What the page draws: GET /network with the form's parameters."""
    return httpx.get(f"{url}/network", params=params).json()["elements"]


def status(elements: dict) -> str:
    return f"{len(elements['nodes'])} actors, {len(elements['edges'])} links"


def click_node(page: Page, node_id: str) -> None:
    """A real mouse click where Cytoscape drew the node."""
    x, y = page.evaluate("""id => {
        const node = cy.getElementById(id), box = cy.container().getBoundingClientRect();
        cy.center(node);
        const at = node.renderedPosition();
        return [box.left + at.x, box.top + at.y];
    }""", node_id)
    page.mouse.click(x, y)


def test_seed_network_renders_and_sullivan_shows_his_quotes(page, seed_store):
    with serve(seed_store) as url:
        open_network(page, url)
        elements = network(url)
        expect(page.locator("#status")).to_have_text(status(elements))
        drawn = page.evaluate("""() => ({nodes: cy.nodes().length, arrows: cy.edges('.directed').length,
                                        sized: cy.nodes().filter(n => n.width() > 12).length,
                                        placed: cy.nodes().filter(n => n.position('x') !== 0).length})""")
        actors, links = len(elements["nodes"]), len(elements["edges"])
        assert drawn == {"nodes": actors, "arrows": links, "sized": actors, "placed": actors} and links > 20
        # nodes are sized by PageRank; Ukraine, the most talked about, is the largest
        highest = max(elements["nodes"], key=lambda n: n["data"]["pagerank"])["data"]["id"]
        assert page.evaluate("() => cy.nodes().max(n => n.width()).ele.id()") == highest == "place/ukraine"

        card = httpx.get(f"{url}/network/actors/{SULLIVAN}").json()
        click_node(page, SULLIVAN)
        expect(page.locator("#panel h2")).to_have_text("Jake Sullivan")
        quotes = page.locator("#quotes li")
        expect(quotes).to_have_count(len(card["said"]))
        expect(page.locator("#quotes")).to_contain_text("We would provide additional defensive materiel")
        expect(page.locator("#roles")).to_contain_text("national security adviser at United States")
        assert screenshot(page, "actor").stat().st_size > 30_000

        page.locator("#quotes li", has_text="We would provide").locator("a.article-link").click()
        expect(page.locator("#panel h2")).to_have_text("Biden wants to boost Ukrainian defence in case of Russian invasion")
        expect(page.locator("#panel mark")).to_have_text(
            '"We would provide additional defensive materiel to the Ukrainians above and beyond that which '
            'we are already providing,"')
        assert screenshot(page, "article").stat().st_size > 30_000
        page.go_back()
        expect(page.locator("#quotes li")).to_have_count(len(card["said"]))


def test_search_filters_and_colours(page, network_data):  # noqa: F811
    with serve(network_data) as url:
        open_network(page, url)
        expect(page.locator("#status")).to_have_text(status(network(url)))
        page.fill("#search", "delgado")
        page.press("#search", "Enter")
        expect(page.locator("#panel h2")).to_have_text("Rosa Delgado")
        expect(page.locator("#said-about")).to_contain_text("Tom Becker")
        assert page.evaluate("() => cy.$(':selected').data('name')") == "Rosa Delgado"
        for typed in ("DELGÁDO", "delgaddo"):  # accents and case aside, and a near spelling (the search index)
            page.evaluate("() => { location.hash = ''; document.getElementById('panel').replaceChildren(); }")
            page.fill("#search", typed)
            page.press("#search", "Enter")
            expect(page.locator("#status")).not_to_contain_text("no actor named")
            expect(page.locator("#panel h2")).to_have_text("Rosa Delgado")

        page.fill("input[name=min_weight]", "2")
        page.click("button[type=submit]")
        heavy = network(url, min_weight=2)
        expect(page.locator("#status")).to_have_text(status(heavy))
        assert len(heavy["edges"]) < len(network(url)["edges"])

        page.fill("input[name=min_weight]", "0")
        page.fill("input[name=from]", "2024-06-01")
        page.select_option("select[name=kind]", "combined")
        page.click("button[type=submit]")
        june = network(url, kind="combined", **{"from": "2024-06-01"})
        expect(page.locator("#status")).to_have_text(status(june))
        drawn = page.evaluate("() => cy.nodes().map(n => n.id()).sort()")
        assert drawn == sorted(n["data"]["id"] for n in june["nodes"])

        page.select_option("select[name=colour]", "type")
        colours = page.evaluate("() => Object.fromEntries(cy.nodes().map(n => [n.data('type'), n.data('colour')]))")
        palette = {"Person": "#4e79a7", "Organization": "#f28e2b"}  # Becker and the Green League in June
        assert colours == {n["data"]["type"]: palette[n["data"]["type"]] for n in june["nodes"]} == palette
        expect(page.locator("#legend")).to_contain_text("Organization")

        page.fill("#search", "nobody")
        page.press("#search", "Enter")
        expect(page.locator("#status")).to_contain_text("no actor named")


@pytest.fixture(scope="module")
def thousand_actors(tmp_path_factory) -> Path:
    """About a thousand made-up actors in 200 synthetic articles (bench/synthetic.py)."""
    data = tmp_path_factory.mktemp("thousand-actors")
    store = OxigraphStore(data)
    fill(store, IRIS, 110_000, people=900)
    del store  # closed, for the server to open read-only
    return data


LABELS = """n => cy.nodes().sort((a, b) => b.data('pagerank') - a.data('pagerank')).slice(0, n).map(node => {
    const box = node.renderedBoundingBox({includeNodes: false, includeEdges: false, includeOverlays: false});
    return {id: node.id(), central: node.hasClass('central'), box,
            px: parseFloat(node.style('font-size')) * cy.zoom()};
})"""


def test_a_thousand_actors_the_most_central_are_labelled_and_clickable(page, thousand_actors):
    with serve(thousand_actors) as url:
        open_network(page, url)
        elements = network(url)
        assert len(elements["nodes"]) >= 900
        expect(page.locator("#status")).to_have_text(status(elements))
        width, height = page.evaluate("() => [cy.width(), cy.height()]")
        labels = page.evaluate(LABELS, 10)
        for label in labels:  # shown, readable, on screen
            box = label["box"]
            assert label["central"] and label["px"] >= 12, label
            assert 0 <= box["x1"] < box["x2"] <= width and 0 <= box["y1"] < box["y2"] <= height, label
        for i, a in enumerate(labels):  # and none covers another
            for b in labels[:i]:
                a_box, b_box = a["box"], b["box"]
                assert not (a_box["x1"] < b_box["x2"] and b_box["x1"] < a_box["x2"]
                            and a_box["y1"] < b_box["y2"] and b_box["y1"] < a_box["y2"]), (a, b)
        screenshot(page, "network")

        page.evaluate("() => cy.zoom({level: cy.zoom() * 4, renderedPosition: {x: cy.width() / 2, y: cy.height() / 2}})")
        page.wait_for_function("() => cy.nodes('.central').every(n => parseFloat(n.style('font-size')) * cy.zoom() > 12)")

        top = labels[0]["id"]
        card = httpx.get(f"{url}/network/actors/{top}").json()
        click_node(page, top)
        expect(page.locator("#panel h2")).to_have_text(card["name"])
        quote = card["said"][0] if card["said"] else card["said_about"][0]
        section = "#quotes" if card["said"] else "#said-about"
        page.locator(f"{section} li").first.locator("a.article-link").click()
        expect(page.locator("#panel mark").first).to_have_text(quote["text"])
        page.locator("#panel").evaluate("panel => panel.scrollTo(0, panel.scrollHeight)")
        head, panel = (page.locator(s).bounding_box() for s in ("#panel .article-head", "#panel"))
        assert panel["y"] - 1 <= head["y"] <= panel["y"] + 10  # the headline and back link stay in view
        expect(page.locator("#panel a.back")).to_be_visible()
