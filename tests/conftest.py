from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

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


@pytest.fixture(scope="session")
def virtuoso(tmp_path_factory):
    """A real Virtuoso on free local ports for the session (tests/virtuoso.py)."""
    from virtuoso import Virtuoso
    with Virtuoso(tmp_path_factory.mktemp("virtuoso")) as server:
        yield server
