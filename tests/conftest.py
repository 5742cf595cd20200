from __future__ import annotations

import json
import os
import socket
import subprocess
import sys
import threading
import time
from contextlib import contextmanager
from dataclasses import replace
from pathlib import Path
from urllib.parse import urlsplit

import pytest

ROOT = Path(__file__).resolve().parent.parent
SEED = ROOT / "seeds" / "000_0f18a4f966cbcf2d.txt"
ARTICLES = Path(__file__).resolve().parent / "articles"
SHARED = Path(os.environ.get("KG_SHARED", ROOT.parent / "shared"))
KG = Path(sys.executable).parent / "kg"


@pytest.fixture(scope="session")
def extractor():
    from kg.extract import Extractor
    return Extractor()


@pytest.fixture(scope="session")
def seed_gold() -> dict:
    path = SHARED / "data" / "seed-gold" / "seed-gold.json"
    if not path.exists():
        pytest.skip(f"{path} not found (set KG_SHARED)")
    return json.loads(path.read_text(encoding="utf-8"))


def run_kg(*args: str, data: Path, check: bool = True, env: dict | None = None) -> subprocess.CompletedProcess:
    env = {**os.environ, "KG_DATA": str(data), **(env or {})}
    result = subprocess.run([str(KG), *args], capture_output=True, text=True, env=env, cwd=ROOT)
    if check and result.returncode != 0:
        raise AssertionError(f"kg {' '.join(args)} failed ({result.returncode}):\n{result.stderr}")
    return result


@pytest.fixture(scope="session")
def seed_store(tmp_path_factory) -> Path:
    """A data folder with the seed article ingested through the CLI."""
    data = tmp_path_factory.mktemp("seed-data")
    run_kg("ingest", str(SEED), data=data)
    return data


@contextmanager
def api_server(store, **settings):
    """The API on a real uvicorn server on a free loopback port; yields its base URL."""
    with api_server_app(store, **settings) as (url, app, server):
        yield url


@contextmanager
def api_server_app(store, extractor=None, **settings):
    """api_server, yielding (base URL, the app, the uvicorn server: api.app.Server, whose
    handle_exit is what SIGTERM calls). `extractor`: the app's spaCy pipeline, loaded already."""
    import uvicorn

    from api.app import Server, create_app
    from kg.config import Settings

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    app = create_app(store, replace(Settings.from_env(), **settings))
    if extractor is not None:
        app.state.extractor = extractor
    server = Server(app, uvicorn.Config(app, host="127.0.0.1", port=port, log_level="warning"))
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    for _ in range(200):
        if server.started:
            break
        time.sleep(0.05)
    try:
        yield f"http://127.0.0.1:{port}", app, server
    finally:
        server.should_exit = True
        thread.join(5)


@pytest.fixture(scope="session")
def virtuoso(tmp_path_factory):
    """A real Virtuoso on free local ports for the session (tests/virtuoso.py)."""
    from virtuoso import Virtuoso
    with Virtuoso(tmp_path_factory.mktemp("virtuoso")) as server:
        yield server


def warm_workers(url: str, slots: int = 4) -> None:
    """Wait until `slots` SPARQL queries at once are answered at once: every query worker is up."""
    import httpx

    statuses = []

    def ask():
        statuses.append(httpx.get(f"{url}/sparql", params={"query": "ASK { ?s ?p ?o }"}, timeout=60).status_code)

    for _ in range(100):
        start = time.monotonic()
        statuses.clear()
        threads = [threading.Thread(target=ask) for _ in range(slots)]
        [t.start() for t in threads]
        [t.join() for t in threads]
        if time.monotonic() - start < 0.3 and statuses == [200] * slots:
            return
    raise AssertionError("the SPARQL query workers did not all start")


def slow_request_alongside(send, others, wait: float = 0.3):
    """Send a slow request from a thread; while it runs, every call in `others` must return
    within a second. Returns the slow request's response and how long it took."""
    answer = {}

    def slow():
        start = time.monotonic()
        answer["response"] = send()
        answer["seconds"] = time.monotonic() - start

    thread = threading.Thread(target=slow)
    thread.start()
    time.sleep(wait)
    for _ in range(3):
        start = time.monotonic()
        for other in others:
            other()
        assert time.monotonic() - start < 1.0
    thread.join()
    return answer["response"], answer["seconds"]


def walk(statements: list[dict]):
    """Every statement of `kg extract` JSON, those reported inside another's claim too."""
    for statement in statements:
        yield statement
        yield from walk(statement.get("reports", []))


# --- pages in a real browser: Debian's chromium through Playwright, never a downloaded browser ----
CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_FLAGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                  "--disable-background-networking", "--disable-component-update", "--disable-sync"]
LOCAL_SCHEMES = {"data", "blob", "about"}


@pytest.fixture(scope="session")
def browser():
    from playwright.sync_api import sync_playwright
    if not CHROMIUM.exists():
        pytest.fail("chromium is not installed: make test installs it (apt-get install chromium) when it can")
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_FLAGS)
        yield browser
        browser.close()


SCREENSHOTS = ROOT / "tmp" / "screenshots"  # `make screenshots` copies them for the README


@pytest.fixture
def expected_console() -> list[str]:
    """Console errors a test expects, by their text: Chrome logs every HTTP error a page fetches,
    such as the 400 a malformed query rightly gets."""
    return []


@pytest.fixture
def page(browser, expected_console):
    """A browser tab that fails its test on any page error, console error or request to another
    host than the loopback server (such requests are also refused, as they would be offline)."""
    page = browser.new_page(viewport={"width": 1400, "height": 900})
    problems: list[str] = []

    def console(message):
        if message.type == "error" and not any(text in message.text for text in expected_console):
            problems.append(f"console: {message.text}")

    page.on("pageerror", lambda error: problems.append(f"page error: {error}"))
    page.on("console", console)

    def only_local(route):
        url = urlsplit(route.request.url)
        if url.scheme in LOCAL_SCHEMES or url.hostname in ("127.0.0.1", "localhost"):
            return route.continue_()
        problems.append(f"request to another host: {route.request.url}")
        return route.abort()

    page.route("**/*", only_local)
    yield page
    page.close()
    assert not problems, "\n".join(problems)


def screenshot(page, name: str) -> Path:
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    path = SCREENSHOTS / f"{name}.png"
    page.screenshot(path=path)
    return path
