"""Third-party JavaScript from the npm registry (pinned by package.json and its lock file, installed
into node_modules/ by `make install`), served under /vendor/{package}/: no page loads anything from
another host, so every page works offline."""
from __future__ import annotations

from pathlib import Path

from fastapi import FastAPI
from fastapi.openapi.docs import get_swagger_ui_html
from fastapi.responses import HTMLResponse
from fastapi.staticfiles import StaticFiles

NODE_MODULES = Path(__file__).resolve().parent.parent / "node_modules"
PACKAGES = {"yasgui": NODE_MODULES / "@zazuko" / "yasgui" / "build",
            "cytoscape": NODE_MODULES / "cytoscape" / "dist",
            "swagger-ui": NODE_MODULES / "swagger-ui-dist"}
MISSING = Path(__file__).resolve().parent / "static" / "vendor-missing.html"


def installed(package: str) -> bool:
    return PACKAGES[package].is_dir()


def missing_page(what: str) -> str:
    """What a page says in place of itself when `make install` has not fetched its JavaScript."""
    return MISSING.read_text(encoding="utf-8").replace("__WHAT__", what)


def mount(app: FastAPI) -> None:
    """The packages' files, and the API docs (Swagger UI) on them; FastAPI's own /docs and /redoc
    load their scripts from a CDN, so the app is built with both turned off."""
    for name, folder in PACKAGES.items():
        app.mount(f"/vendor/{name}", StaticFiles(directory=folder, check_dir=False), name=f"vendor-{name}")

    @app.get("/docs", include_in_schema=False)
    def docs() -> HTMLResponse:
        if not installed("swagger-ui"):
            return HTMLResponse(missing_page("The API docs (Swagger UI)"))
        return get_swagger_ui_html(openapi_url=app.openapi_url, title=f"{app.title} API",
                                   swagger_js_url="/vendor/swagger-ui/swagger-ui-bundle.js",
                                   swagger_css_url="/vendor/swagger-ui/swagger-ui.css",
                                   swagger_favicon_url="/vendor/swagger-ui/favicon-32x32.png")
