"""The store through the kg command: ingest, re-ingest, query, export, validate, delete."""
import json
import shutil

from rdflib import Dataset, Graph, Namespace

from conftest import ARTICLES, SEED, run_kg

SCHEMA = Namespace("https://schema.org/")
ORG = Namespace("http://www.w3.org/ns/org#")
SKOS = Namespace("http://www.w3.org/2004/02/skos/core#")


def quads(data) -> int:
    out = run_kg("stats", data=data).stdout
    return int(out.split("quads")[1].split()[0])


def test_reingest_leaves_the_triple_count_unchanged(tmp_path):
    run_kg("ingest", str(SEED), data=tmp_path)
    before = quads(tmp_path)
    assert "0 ingested, 1 unchanged" in run_kg("ingest", str(SEED), data=tmp_path).stderr
    assert "1 ingested" in run_kg("ingest", "--force", str(SEED), data=tmp_path).stderr
    assert quads(tmp_path) == before > 1000


def test_seed_graph_passes_shacl(seed_store):
    assert "conforms" in run_kg("validate", data=seed_store).stdout


def test_turtle_export_parses_and_holds_the_seed_facts(seed_store, seed_gold, tmp_path):
    out = tmp_path / "kg.ttl"
    run_kg("export", "--format", "turtle", "-o", str(out), data=seed_store)
    g = Graph().parse(out, format="turtle")
    names = {str(o) for o in g.objects(None, SKOS.prefLabel)}
    for fact in seed_gold["roles"]:
        assert fact["person"] in names and fact["role"] in names
    quotes = {str(o) for q in g.subjects(None, SCHEMA.Quotation) for o in g.objects(q, SCHEMA.text)}
    assert any(t.startswith('"These include the inviolability of borders') for t in quotes)
    memberships = list(g.subjects(predicate=None, object=ORG.Membership))
    assert len(memberships) == len(seed_gold["roles"])


def test_trig_export_keeps_one_graph_per_article(seed_store, tmp_path):
    out = tmp_path / "kg.trig"
    run_kg("export", "-f", "trig", "-o", str(out), data=seed_store)
    ds = Dataset().parse(out, format="trig")
    graphs = {str(g.identifier) for g in ds.graphs() if len(g)}
    assert "https://kg.local/article/000_0f18a4f966cbcf2d" in graphs


def test_query_json_finds_who_said_what(seed_store):
    q = ("PREFIX schema: <https://schema.org/> PREFIX skos: <http://www.w3.org/2004/02/skos/core#> "
         "SELECT DISTINCT ?text WHERE { ?q schema:creator/skos:prefLabel 'Olaf Scholz' ; schema:text ?text }")
    rows = json.loads(run_kg("query", q, "--format", "json", data=seed_store).stdout)["results"]["bindings"]
    assert any("inviolability of borders" in r["text"]["value"] for r in rows)


def test_query_from_file_and_csv(seed_store, tmp_path):
    path = tmp_path / "count.rq"
    path.write_text("SELECT (COUNT(*) AS ?n) WHERE { ?s a <http://www.w3.org/ns/org#Membership> }")
    assert run_kg("query", f"@{path}", "-f", "csv", data=seed_store).stdout.split() == ["n", "11"]


def test_bad_query_is_a_clear_error(seed_store):
    result = run_kg("query", "SELECT WHERE {", data=seed_store, check=False)
    assert result.returncode == 2 and "invalid query" in result.stderr


def test_batch_goes_on_past_bad_files_and_delete_removes_only_that_article(tmp_path):
    inputs = tmp_path / "in"
    inputs.mkdir()
    shutil.copy(ARTICLES / "council.txt", inputs)
    shutil.copy(ARTICLES / "feed.jsonl", inputs)
    (inputs / "empty.txt").write_text("")
    (inputs / "bad.json").write_text("{nope")
    data = tmp_path / "data"
    result = run_kg("ingest", str(inputs), data=data, check=False)
    assert result.returncode == 1
    assert "empty.txt: empty file" in result.stderr and "bad.json: malformed JSON" in result.stderr
    assert "3 ingested" in result.stderr and "2 failed" in result.stderr
    stats = run_kg("stats", data=data).stdout
    assert "articles       3" in stats
    assert run_kg("delete", "council", data=data).stdout.strip() == "deleted council"
    assert "articles       2" in run_kg("stats", data=data).stdout
    q = "SELECT ?n WHERE { ?p <http://www.w3.org/2004/02/skos/core#prefLabel> ?n FILTER(?n = 'Helen Ortiz') }"
    assert "Helen Ortiz" not in run_kg("query", q, data=data).stdout
    assert run_kg("delete", "council", data=data, check=False).returncode == 1


def test_same_person_is_one_node_across_articles(tmp_path):
    (tmp_path / "a.txt").write_text("Talks\n\nMayor Helen Ortiz said that the harbour would open.")
    (tmp_path / "b.txt").write_text("Vote\n\nHelen Ortiz warned that taxes would rise.")
    data = tmp_path / "data"
    run_kg("ingest", str(tmp_path / "a.txt"), str(tmp_path / "b.txt"), data=data)
    q = ("PREFIX schema: <https://schema.org/> SELECT (COUNT(DISTINCT ?p) AS ?people) (COUNT(DISTINCT ?q) AS ?n) "
         "WHERE { ?q schema:creator ?p }")
    assert run_kg("query", q, "-f", "csv", data=data).stdout.split() == ["people,n", "1,2"]


def test_delete_without_a_store_says_so_and_creates_none(tmp_path):
    data = tmp_path / "data"
    result = run_kg("delete", "council", data=data, check=False)
    assert result.returncode == 2 and "run kg ingest first" in result.stderr
    assert not data.exists()


def test_query_errors_are_one_line_in_our_words(tmp_path, seed_store):
    missing = run_kg("query", "@" + str(tmp_path / "missing.rq"), data=tmp_path / "store", check=False)
    assert missing.returncode == 2 and "cannot read the query file" in missing.stderr
    assert "Traceback" not in missing.stderr
    prefix = run_kg("query", "SELECT * WHERE { ?s foo:bar ?o }", data=seed_store, check=False)
    assert prefix.returncode == 2 and "undeclared prefix foo:" in prefix.stderr and "u{" not in prefix.stderr


def test_ingest_progress_counts_against_the_number_of_files(tmp_path):
    folder = tmp_path / "in"
    folder.mkdir()
    for name in ("a", "b"):
        (folder / f"{name}.txt").write_text(f"Port row {name}\n\nMayor Ann Lee said the port would reopen.\n")
    result = run_kg("ingest", str(folder), data=tmp_path / "store", env={"COLUMNS": "120"})
    assert "2/2" in result.stderr and "/?" not in result.stderr


def test_query_errors_are_one_readable_line_and_deep_queries_run(seed_store):
    broken = run_kg("query", "SELECT ?x WHERE {", data=seed_store, check=False)
    assert broken.returncode == 2 and "expected one of" in broken.stderr
    assert "'0'..='9'" not in broken.stderr and "Traceback" not in broken.stderr
    deep = "SELECT (COUNT(*) AS ?n) WHERE { " + "{ " * 3000 + "?s ?p ?o " + "} " * 3000 + "}"
    answer = run_kg("query", deep, "-f", "csv", data=seed_store, check=False)
    assert answer.returncode == 0 and int(answer.stdout.split()[1]) > 1000  # once, a segfault
