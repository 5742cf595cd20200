"""Crash safety and concurrency on the embedded store: `kg ingest` killed with SIGKILL half way leaves
a store that opens and validates, and a re-run completes the rest without duplicates; queries are
answered while an ingest runs; a second ingest is refused with a clear message."""
import os
import signal
import subprocess
import time

from conftest import KG, ROOT, run_kg
from kg.store import StoreError
from kg.stores.oxigraph import OxigraphStore
from test_hostile_input import synthetic_article

FILES = 48


def article_graphs(data) -> int:
    store = OxigraphStore(data, read_only=True)
    return sum(1 for _ in store.ox.named_graphs())


def stored_so_far(data) -> int:
    """Article graphs the running ingest has written; 0 while it is still creating the store
    (opening it then fails with a clear StoreError)."""
    try:
        return article_graphs(data)
    except StoreError:
        return 0


def test_kill_9_during_ingest_then_rerun(tmp_path):
    inputs = tmp_path / "in"
    inputs.mkdir()
    for i in range(FILES):
        (inputs / f"a{i:02d}.txt").write_text(synthetic_article(i, 400), encoding="utf-8")
    data = tmp_path / "data"
    env = {**os.environ, "KG_DATA": str(data)}
    ingest = subprocess.Popen([str(KG), "ingest", str(inputs)], env=env, cwd=ROOT,
                              stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
    try:
        deadline = time.monotonic() + 60
        while stored_so_far(data) < 2:
            assert ingest.poll() is None and time.monotonic() < deadline, "the ingest ended before the kill"
            time.sleep(0.05)
        ingest.send_signal(signal.SIGSTOP)  # frozen half way, holding the store: it cannot finish before the kill

        # While it writes: queries are answered, and a second writer is refused clearly.
        count = "SELECT (COUNT(DISTINCT ?g) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } }"
        assert int(run_kg("query", count, "-f", "csv", data=data).stdout.split()[1]) >= 2
        second = run_kg("ingest", str(inputs), data=data, check=False)
        assert second.returncode == 2
        assert "cannot open the store" in second.stderr and "another kg process" in second.stderr
        assert ingest.poll() is None
    finally:
        ingest.send_signal(signal.SIGKILL)
        ingest.wait()
    assert ingest.returncode == -signal.SIGKILL

    stored = article_graphs(data)
    assert 2 <= stored < FILES, stored
    assert "conforms" in run_kg("validate", data=data).stdout
    rerun = run_kg("ingest", str(inputs), data=data).stderr
    assert f"{FILES - stored} ingested, {stored} unchanged" in rerun

    clean = tmp_path / "clean"  # the same files in one uninterrupted run: the same quads, no duplicates
    run_kg("ingest", str(inputs), data=clean)
    # Roles resolved with other articles' facts depend on which articles a run had stored or read
    # together by then (README, "Background knowledge: the store"); all else is the same quads.
    assert stated_quads(data) == stated_quads(clean)
    assert len(stated_quads(data)) == len(set(stated_quads(data)))


def stated_quads(data) -> list[str]:
    """The store's quads, less the memberships resolved with other articles' facts (and their evidence)."""
    lines = run_kg("export", "-f", "nquads", data=data).stdout.splitlines()
    inferred = {line.split(" ", 1)[0][1:-1] for line in lines if " <https://kg.local/ns#inferredFrom> " in line}
    subject = lambda line: line.split(" ", 1)[0][1:-1]  # noqa: E731
    return sorted(line for line in lines
                  if not any(subject(line) == m or subject(line).startswith(m + "/") for m in inferred))
