"""The network page in a real browser: Debian's chromium driven by Playwright (never a browser that
Playwright downloads). CI installs chromium in .ci/run; without it these tests fail, they do not skip."""
from pathlib import Path

import pytest
from playwright.sync_api import Page, expect, sync_playwright

from test_network import network_data, serve  # noqa: F401  (network_data is a fixture)

CHROMIUM = Path("/usr/bin/chromium")
FLAGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
         "--disable-background-networking", "--disable-component-update", "--disable-sync"]
SULLIVAN = "person/jake-sullivan"


@pytest.fixture(scope="module")
def browser():
    if not CHROMIUM.exists():
        pytest.fail("chromium is not installed: apt-get install -y chromium (.ci/run does this)")
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=FLAGS)
        yield browser
        browser.close()


@pytest.fixture
def page(browser):
    page = browser.new_page(viewport={"width": 1400, "height": 900})
    errors: list[str] = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    yield page
    page.close()
    assert not errors, f"JavaScript errors: {errors}"


def open_network(page: Page, url: str) -> None:
    page.goto(url + "/")
    page.wait_for_selector("body[data-ready=true]")


def click_node(page: Page, node_id: str) -> None:
    """A real mouse click where Cytoscape drew the node."""
    x, y = page.evaluate("""id => {
        const node = cy.getElementById(id), box = cy.container().getBoundingClientRect();
        cy.center(node);
        const at = node.renderedPosition();
        return [box.left + at.x, box.top + at.y];
    }""", node_id)
    page.mouse.click(x, y)


def test_seed_network_renders_and_sullivan_shows_his_quotes(page, seed_store, tmp_path):
    with serve(seed_store) as url:
        open_network(page, url)
        expect(page.locator("#status")).to_have_text("14 actors, 31 links")
        drawn = page.evaluate("""() => ({nodes: cy.nodes().length, arrows: cy.edges('.directed').length,
                                        sized: cy.nodes().filter(n => n.width() > 12).length,
                                        placed: cy.nodes().filter(n => n.position('x') !== 0).length})""")
        assert drawn == {"nodes": 14, "arrows": 31, "sized": 14, "placed": 14}
        # Ukraine is the most talked about, so the largest node
        assert page.evaluate("() => cy.nodes().max(n => n.width()).ele.id()") == "place/ukraine"

        click_node(page, SULLIVAN)
        expect(page.locator("#panel h2")).to_have_text("Jake Sullivan")
        quotes = page.locator("#quotes li")
        expect(quotes).to_have_count(4)
        expect(page.locator("#quotes")).to_contain_text("We would provide additional defensive materiel")
        expect(page.locator("#roles")).to_contain_text("national security adviser at United States")
        page.screenshot(path=tmp_path / "sullivan.png")

        page.locator("#quotes li", has_text="We would provide").locator("a.article-link").click()
        expect(page.locator("#panel h2")).to_have_text("Biden wants to boost Ukrainian defence in case of Russian invasion")
        expect(page.locator("#panel mark")).to_have_text(
            '"We would provide additional defensive materiel to the Ukrainians above and beyond that which '
            'we are already providing,"')
        page.screenshot(path=tmp_path / "article.png")
        page.go_back()
        expect(page.locator("#quotes li")).to_have_count(4)
    assert (tmp_path / "sullivan.png").stat().st_size > 30_000
    assert (tmp_path / "article.png").stat().st_size > 30_000


def test_search_filters_and_colours(page, network_data):  # noqa: F811
    with serve(network_data) as url:
        open_network(page, url)
        expect(page.locator("#status")).to_have_text("4 actors, 5 links")
        page.fill("#search", "delgado")
        page.press("#search", "Enter")
        expect(page.locator("#panel h2")).to_have_text("Rosa Delgado")
        expect(page.locator("#said-about")).to_contain_text("Tom Becker")
        assert page.evaluate("() => cy.$(':selected').id()") == "person/rosa-delgado"

        page.fill("input[name=min_weight]", "2")
        page.click("button[type=submit]")
        expect(page.locator("#status")).to_have_text("2 actors, 1 links")

        page.fill("input[name=min_weight]", "0")
        page.fill("input[name=from]", "2024-06-01")
        page.select_option("select[name=kind]", "combined")
        page.click("button[type=submit]")
        expect(page.locator("#status")).to_have_text("3 actors, 2 links")

        page.select_option("select[name=colour]", "type")
        colours = page.evaluate("() => Object.fromEntries(cy.nodes().map(n => [n.data('type'), n.data('colour')]))")
        assert colours == {"Person": "#4e79a7", "Organization": "#f28e2b"}
        expect(page.locator("#legend")).to_contain_text("Organization")

        page.fill("#search", "nobody")
        page.press("#search", "Enter")
        expect(page.locator("#status")).to_contain_text("no actor named")
