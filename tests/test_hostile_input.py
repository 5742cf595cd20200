"""Hostile input through `kg ingest`: every bad file gets one clear line naming it (and its line), the
batch goes on, the summary counts what happened, the exit code says something failed, and what the
store already held is still there."""
import json
import random

from conftest import ARTICLES, run_kg

PEOPLE = ["Helen Ortiz", "Tom Becker", "Rosa Delgado", "Ivan Petrov", "Amara Okafor", "Lena Fischer"]
ROLES = ["Mayor", "Finance Minister", "spokesperson", "chairman"]
ORGS = ["the Green League", "the harbour authority", "the city council", "the Port Avery Union"]
CUES = ["said", "warned", "argued", "told reporters", "insisted"]


def synthetic_article(seed: int, words: int) -> str:
    """A made-up news article of about `words` words: quotes, reported speech, roles."""
    rng = random.Random(seed)
    lines = [f"Harbour dispute, part {seed}", ""]
    count = 0
    while count < words:
        who, org, cue = rng.choice(PEOPLE), rng.choice(ORGS), rng.choice(CUES)
        sentence = rng.choice([
            f'"The plan for {org} will cost more than promised," {who} {cue}.',
            f"{who}, the {rng.choice(ROLES)} of {org}, {cue} that the vote in week {rng.randint(1, 52)} was unfair.",
            f"According to {who}, {org} had not seen the figures before the meeting.",
            f"The {rng.choice(ROLES)} {who} {cue} on Tuesday that talks with {org} would resume.",
        ])
        lines.append(sentence)
        count += len(sentence.split())
    return "\n\n".join(lines) + "\n"


def triples_of(data, graph: str) -> int:
    q = f"SELECT (COUNT(*) AS ?n) WHERE {{ GRAPH <https://kg.local/article/{graph}> {{ ?s ?p ?o }} }}"
    return int(run_kg("query", q, "-f", "csv", data=data).stdout.split()[1])


def test_a_hostile_batch_goes_on_and_loses_nothing(tmp_path):
    data = tmp_path / "data"
    run_kg("ingest", str(ARTICLES / "council.txt"), data=data)
    council = triples_of(data, "council")
    assert council > 50

    inputs = tmp_path / "in"
    inputs.mkdir()
    (inputs / "empty.txt").write_bytes(b"")
    (inputs / "image.txt").write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(range(256)) * 4)
    with open(inputs / "huge.txt", "w", encoding="utf-8") as f:  # 50 MB of words, no article
        f.write("Mayor Helen Ortiz said that the harbour would open. " * 1_000_000)
    (inputs / "latin1.txt").write_bytes("Café owners protest\n\nRené Dupont said that the café would close.\n"
                                        .encode("latin-1"))
    (inputs / "cp1252.txt").write_bytes("Union responds\n\n\u201cWe will strike,\u201d said Zoë Adams \u2013 "
                                        "the union\u2019s leader.\n".encode("cp1252"))
    (inputs / "broken.json").write_text('{"text": "Ann Lee said it rained."', encoding="utf-8")
    (inputs / "feed.jsonl").write_text(json.dumps({"id": "good-line", "text": "Ann Lee said that it rained."})
                                       + "\n{oops\n" + json.dumps({"title": "no body"}) + "\n", encoding="utf-8")
    (inputs / "page.html").write_text(
        "<!doctype html><html><head><title>Port deal</title><script>var said = 'Nobody said this';</script>"
        "</head><body><h1>Port deal signed</h1><p>Mayor Helen Ortiz said that the harbour would open &amp; "
        "grow.</p></body></html>", encoding="utf-8")
    (inputs / "nosentences.txt").write_text("### 404 ###\n\n---\n12 34 56 78\n\u00a0\u2003\u2603\n", encoding="utf-8")
    (inputs / "long.txt").write_text(synthetic_article(1, 20_000), encoding="utf-8")

    result = run_kg("ingest", str(inputs), data=data, check=False)
    assert result.returncode == 1
    lines = [line for line in result.stderr.splitlines() if line.startswith("skipped")]
    for expected in ("empty.txt: empty file", "image.txt: binary file", "huge.txt: 52000000 characters is over",
                     "broken.json: malformed JSON", "feed.jsonl:2: malformed JSON", "feed.jsonl:3: no text"):
        assert sum(expected in line for line in lines) == 1, (expected, result.stderr)
    assert len(lines) == 6
    assert "6 ingested, 0 unchanged (same content already in the store), 6 failed" in result.stderr

    assert triples_of(data, "council") == council  # what the store held is untouched
    assert "articles       7" in run_kg("stats", data=data).stdout
    titles = run_kg("query", "SELECT ?t WHERE { ?a <https://schema.org/headline> ?t }", "-f", "csv", data=data).stdout
    for title in ("Café owners protest", "Union responds", "Port deal", "Harbour dispute, part 1"):
        assert title in titles
    said = run_kg("query", "SELECT ?t WHERE { ?q a <https://schema.org/Quotation> ; <https://schema.org/text> ?t }",
                  "-f", "csv", data=data).stdout
    assert "We will strike," in said and "Nobody said this" not in said
    assert "conforms" in run_kg("validate", data=data).stdout

    again = run_kg("ingest", str(inputs), data=data, check=False)  # nothing new: all unchanged or refused
    assert "0 ingested, 6 unchanged (same content already in the store), 6 failed" in again.stderr
