"""The query editor and the API docs in a real browser (the `page` fixture in conftest: Debian's
chromium, failing on any page error, console error or request to another host)."""
import pytest
from playwright.sync_api import expect

from conftest import api_server, screenshot
from kg.stores.oxigraph import OxigraphStore


@pytest.fixture(scope="module")
def server(seed_store):
    with api_server(OxigraphStore(seed_store, read_only=True)) as url:
        yield url


def test_query_editor_runs_the_first_example(page, server):
    page.goto(server + "/sparql")
    expect(page.locator(".yasqe .CodeMirror")).to_contain_text("SELECT")
    page.click(".yasqe_queryButton")
    rows = page.locator(".yasr tbody tr")
    expect(rows.first).to_be_visible()
    assert rows.count() >= 10
    expect(page.locator(".yasr")).to_contain_text("Jake Sullivan")
    assert screenshot(page, "sparql").stat().st_size > 30_000


def test_query_editor_shows_the_servers_message_for_a_malformed_query(page, server, expected_console):
    expected_console.append("status of 400")
    page.goto(server + "/sparql")
    expect(page.locator(".yasqe .CodeMirror")).to_contain_text("SELECT")
    page.evaluate("() => yasgui.getTab().getYasqe().setValue('SELECT * WHERE { ?s ?p }')")
    page.click(".yasqe_queryButton")
    expect(page.locator(".yasr")).to_contain_text("malformed query: error at 1:")


def test_api_docs_render_their_operations(page, server):
    page.goto(server + "/docs")
    operations = page.locator(".opblock")
    expect(operations.first).to_be_visible()
    assert operations.count() >= 15
    expect(page.locator(".opblock-summary-path", has_text="/statements").first).to_be_visible()
    page.locator(".opblock-summary", has_text="/sparql").first.click()
    expect(page.locator(".opblock-body").first).to_be_visible()
    assert screenshot(page, "docs").stat().st_size > 30_000
