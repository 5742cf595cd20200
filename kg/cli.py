"""The kg command."""
from __future__ import annotations

import json
import sys
from enum import Enum
from pathlib import Path
from typing import Annotated, NoReturn, Optional

import typer
from rich.console import Console
from rich.markup import escape
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn
from rich.table import Table

from .config import Settings
from .stack import in_large_stack
from .store import EXPORT_FORMATS, PREFIX_MAP, DiskFull, ReadOnlyStore, Store, StoreError, syntax_message
from .store import open_store as open_configured_store

app = typer.Typer(help="Knowledge graphs of who said what about whom, from news articles.",
                  no_args_is_help=True, add_completion=False)
err = Console(stderr=True, soft_wrap=True)  # one line per message, never wrapped


def stop(message: str) -> NoReturn:
    """One line on stderr (Rich markup), then exit 2: the user's error, never a traceback."""
    err.print(message)
    raise typer.Exit(2)


PathsArg = Annotated[list[Path], typer.Argument(help="Files (.txt, .json, .jsonl) or folders of them.")]


class ExtractFormat(str, Enum):
    jsonl = "jsonl"
    json = "json"


class QueryFormat(str, Enum):
    table = "table"
    json = "json"
    csv = "csv"


def open_store(settings: Settings, read_only: bool = False, create: bool = True) -> Store:
    """The configured store (KG_STORE, else KG_DATA), or a clear error if it cannot be used."""
    try:
        store = open_configured_store(settings, read_only=read_only, create=create)
        store.query("ASK {}")  # a remote endpoint that is down fails here, not halfway
        return store
    except StoreError as error:
        err.print(f"[red]error:[/] {error}")
        raise typer.Exit(2) from None


@app.command()
def extract(paths: PathsArg,
            format: Annotated[ExtractFormat, typer.Option("--format", "-f")] = ExtractFormat.jsonl) -> None:
    """Print what each article says: statements, roles and entities, one JSON object per article."""
    from .extract import Extractor
    from .ingest import read_articles

    failures: list[str] = []
    extractor = Extractor(Settings.from_env().spacy_model)
    for extraction in extractor.extract_many(read_articles(paths, failures.append)):
        obj = extraction.to_json()
        print(json.dumps(obj, ensure_ascii=False, indent=2 if format == ExtractFormat.json else None), flush=True)
    for failure in failures:
        err.print(f"[red]skipped[/] {failure}")
    if failures:
        raise typer.Exit(1)


@app.command()
def ingest(paths: PathsArg,
           force: Annotated[bool, typer.Option(help="Re-extract articles already stored unchanged.")] = False,
           workers: Annotated[int, typer.Option(min=1, help="Extract in N worker processes.")] = 1,
           dask: Annotated[Optional[str], typer.Option(
               metavar="ADDRESS", help="Extract on a Dask cluster (tcp://scheduler:8786).")] = None,
           background: Annotated[Optional[Path], typer.Option(
               metavar="FILE.ttl", help="Load background role facts (Turtle, W3C ORG) first.")] = None) -> None:
    """Extract articles and store one named graph per article (re-ingesting replaces it).
    Articles whose content the store holds already are skipped, so an interrupted run resumes.
    Roles are resolved with the role facts the store holds (and --background loads)."""
    from .extract import Extractor
    from .ingest import InProcess, Report, ingest as run_ingest, read_articles
    from .parallel import DaskWorkers, Workers
    from .reader import find_files
    from .vocab import Iris

    if dask and workers > 1:
        err.print("[red]error:[/] --workers and --dask exclude each other (Dask workers are set on the cluster)")
        raise typer.Exit(2)
    settings = Settings.from_env()
    store = open_store(settings)
    report = Report()
    if background is not None:
        load_background(store, Iris(settings.base_iri), background)

    def failed(message: str) -> None:
        report.failed.append(message)
        err.print(f"[red]skipped[/] {message}")

    files = list(find_files(paths))
    with Progress(TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(), TimeElapsedColumn(),
                  console=err, transient=False) as progress:
        task = progress.add_task("loading the pipeline", total=None)
        try:
            if dask:
                runner = DaskWorkers(dask, settings.spacy_model)
            elif workers > 1:
                runner = Workers(workers, settings.spacy_model)
            else:
                runner = InProcess(Extractor(settings.spacy_model), store)
        except ImportError:
            err.print("[red]error:[/] --dask needs dask.distributed: pip install 'kg[dask]'")
            raise typer.Exit(2) from None
        except OSError as error:  # includes Dask's timeout reaching the scheduler
            err.print(f"[red]error:[/] cannot reach the Dask scheduler {dask}: {error}")
            raise typer.Exit(2) from None
        one_each = all(f.suffix.lower() not in (".json", ".jsonl") for f in files)  # a feed's size is unknown
        progress.update(task, description="ingesting articles", total=len(files) if one_each else None)

        def done(graph) -> None:
            progress.advance(task)
            if graph.error:
                err.print(f"[red]failed[/] {graph.file}: {graph.error}")

        try:
            run_ingest(read_articles(files, failed), store, runner, Iris(settings.base_iri), report,
                       force=force, on_done=done)
        except StoreError as error:
            err.print(f"[red]error:[/] {error}")
            raise typer.Exit(2) from None
        finally:
            runner.close()
    if report.stopped:  # the disk is full: say what is in the store and what is not
        err.print(f"[red]error:[/] {escape(report.stopped)}")
        err.print(f"stored: {escape(', '.join(report.stored)) or 'none'}")
        err.print(f"not stored: {escape(', '.join(report.not_stored)) or 'none'}")
        err.print(f"{report.summary()}; run kg ingest again once there is space: it stores the rest")
        raise typer.Exit(2)
    err.print(f"{report.summary()}; the store holds {len(store)} quads")
    if report.failed:
        raise typer.Exit(1)


def load_background(store, iris, path: Path) -> None:
    from .background import BackgroundError, background_graph, read_background

    try:
        graph = read_background(path, background_graph(iris, path))
        store.replace_graph(graph)
    except (BackgroundError, StoreError) as error:
        stop(f"[red]error:[/] {escape(str(error))}")
    err.print(f"loaded {path}: {len(graph)} triples of background facts")


@app.command()
def query(sparql: Annotated[str, typer.Argument(help="A SPARQL query, or @file.rq to read one.")],
          format: Annotated[QueryFormat, typer.Option("--format", "-f")] = QueryFormat.table) -> None:
    """Run a SPARQL query over the union of all article graphs."""
    try:
        text = Path(sparql[1:]).read_text(encoding="utf-8") if sparql.startswith("@") else sparql
    except (OSError, UnicodeDecodeError) as error:
        stop(f"[red]cannot read the query file {escape(sparql[1:])}:[/] {escape(getattr(error, 'strerror', None) or str(error))}")
    store = open_store(Settings.from_env(), read_only=True)
    in_large_stack(lambda: print_results(store, text, format))  # deep queries need a deep stack


def print_results(store: Store, text: str, format: QueryFormat) -> None:
    import pyoxigraph as ox

    from .search import SearchError, expand_matches

    try:
        results = store.query(expand_matches(text, store.search))
    except SearchError as error:
        stop(f"[red]invalid query:[/] {escape(str(error))}")
    except SyntaxError as error:
        stop(f"[red]invalid query:[/] {escape(syntax_message(text, error))}")
    except StoreError as error:
        stop(f"[red]error:[/] {escape(str(error))}")
    if isinstance(results, ox.QueryBoolean):
        print(json.dumps({"boolean": bool(results)}) if format == QueryFormat.json else str(bool(results)).lower())
    elif isinstance(results, ox.QueryTriples):
        sys.stdout.write(ox.serialize(results, format=ox.RdfFormat.TURTLE, prefixes=PREFIX_MAP).decode())
    elif format == QueryFormat.json:
        sys.stdout.write(results.serialize(format=ox.QueryResultsFormat.JSON).decode() + "\n")
    elif format == QueryFormat.csv:
        sys.stdout.write(results.serialize(format=ox.QueryResultsFormat.CSV).decode())
    else:
        names = [v.value for v in results.variables]
        table = Table(*names)
        for row in results:
            table.add_row(*("" if row[n] is None else row[n].value for n in names))
        Console(width=200).print(table)


@app.command()
def export(format: Annotated[str, typer.Option("--format", "-f", help=", ".join(EXPORT_FORMATS))] = "turtle",
           output: Annotated[Optional[Path], typer.Option("--output", "-o")] = None) -> None:
    """Write the whole graph as Turtle, TriG, N-Quads or JSON-LD (stdout or -o FILE)."""
    if format not in EXPORT_FORMATS:
        err.print(f"[red]unknown format[/] {format}; choose one of {', '.join(EXPORT_FORMATS)}")
        raise typer.Exit(2)
    data = open_store(Settings.from_env(), read_only=True).export(format)
    if output is None:
        sys.stdout.buffer.write(data)
    else:
        output.write_bytes(data)
        err.print(f"wrote {len(data)} bytes to {output}")


@app.command()
def validate() -> None:
    """Check the stored graph against the SHACL shapes in ontology/shapes.ttl."""
    from .validate import validate as run_validate

    conforms, text = run_validate(open_store(Settings.from_env(), read_only=True))
    if conforms:
        print("conforms: the graph passes every SHACL shape")
    else:
        print(text)
        raise typer.Exit(1)


@app.command()
def stats() -> None:
    """Count articles, statements, roles and actors in the store."""
    for key, value in open_store(Settings.from_env(), read_only=True).stats().items():
        print(f"{key:14s} {value}")


@app.command()
def search(words: Annotated[str, typer.Argument(help='Words the statements hold, all of them; "quoted words" '
                                                    'as a phrase. With --actors: a name, or its beginning.')],
           speaker: Annotated[Optional[str], typer.Option(help="Only statements by an actor of this name")] = None,
           about: Annotated[Optional[str], typer.Option(help="Only statements about an actor of this name")] = None,
           date_from: Annotated[Optional[str], typer.Option("--from", help="Earliest date, YYYY-MM-DD")] = None,
           date_to: Annotated[Optional[str], typer.Option("--to", help="Latest date, YYYY-MM-DD")] = None,
           actors: Annotated[bool, typer.Option("--actors", help="Find actors by name instead")] = False,
           limit: Annotated[int, typer.Option(min=1, max=10_000)] = 20,
           format: Annotated[ExtractFormat, typer.Option("--format", "-f", help="json: one object per line")] = None,
           ) -> None:
    """Find statements by their words, best matches first, the matched words in bold (or actors by name)."""
    from .queries import Queries
    from .search import SearchError
    from .vocab import Iris

    settings = Settings.from_env()
    store = open_store(settings, read_only=True)
    if store.search is None:
        err.print("[yellow]note:[/] no up-to-date search index beside this store (kg reindex builds one); "
                  "scanning every statement instead")
    queries = Queries(store, Iris(settings.base_iri))
    try:
        if actors:
            found = queries.actors(name=words, limit=limit)
            total = len(found)
        else:
            total, found = queries.statements(limit=limit, text=words, speaker=speaker, about=about,
                                              date_from=date_from, date_to=date_to)
    except SearchError as error:
        stop(f"[red]error:[/] {escape(str(error))}")
    if format is not None:
        for item in found:
            print(json.dumps(item, ensure_ascii=False))
    elif actors:
        table = Table("actor", "type", "statements", "id")
        for a in found:
            table.add_row(escape(a["name"]), a["type"], str(a["statements"]), a["id"])
        Console(width=200).print(table)
    else:
        table = Table("date", "speaker", "statement", "article", title=f"{total} statements match")
        for item in found:
            table.add_row(item["date"] or "", escape(item["speaker"]["name"]) if item["speaker"] else "",
                          marked_text(item), item["article"])
        Console(width=200).print(table)


def marked_text(statement: dict) -> str:
    """The statement's text in Rich markup, its matched words in bold."""
    from .search import matches_in_text

    text, out, last = statement["text"], [], 0
    for start, end in matches_in_text(statement["content_spans"]):
        out += [escape(text[last:start]), "[bold]", escape(text[start:end]), "[/bold]"]
        last = end
    return "".join(out + [escape(text[last:])])


@app.command()
def reindex() -> None:
    """Rebuild the search index of statements and names from the store (kg serve and kg ingest keep it
    in step; this repairs one that was deleted or damaged)."""
    from .search import remove_index
    from .stores.oxigraph import SEARCH_FILE

    settings = Settings.from_env()
    if settings.store:
        stop("a remote store (KG_STORE) has no search index beside kg: other writers may change it behind kg's "
             "back, so searches there scan with SPARQL")
    remove_index(settings.data_dir / SEARCH_FILE)
    store = open_store(settings, create=False)  # builds the index afresh, with its progress on stderr
    counts = store.search.counts()
    print(f"indexed {counts['statements']} statements and {counts['names']} names of {counts['articles']} articles")


@app.command()
def delete(article_id: Annotated[str, typer.Argument(help="The article's id (its file name without .txt).")]) -> None:
    """Remove one article and everything only it contributed."""
    from .vocab import Iris

    settings = Settings.from_env()
    if not open_store(settings, create=False).delete_graph(str(Iris(settings.base_iri).article(article_id))):
        err.print(f"[red]no article[/] {article_id} in the store")
        raise typer.Exit(1)
    print(f"deleted {article_id}")


eval_app = typer.Typer(help="Measure extraction quality against hand-annotated gold.", no_args_is_help=True)
app.add_typer(eval_app, name="eval")
train_app = typer.Typer(help="Train the statistical parts of the extractor.", no_args_is_help=True)
app.add_typer(train_app, name="train")


def require_brat(folder: Path) -> None:
    """A BRAT attribution corpus, or exit 2: an empty one would train an empty model over kg's own."""
    if not (folder / "text").is_dir() or not (folder / "attributions").is_dir():
        err.print(f"[red]error:[/] {folder} needs text/ and attributions/ folders")
        raise typer.Exit(2)
    if not any((folder / "text").glob("*.txt")) or not any((folder / "attributions").glob("*.ann")):
        err.print(f"[red]error:[/] {folder} has no articles: text/*.txt and attributions/*.ann are empty")
        raise typer.Exit(2)


def progress_bar(description: str) -> Progress:
    return Progress(TextColumn(description), BarColumn(), MofNCompleteColumn(), TimeElapsedColumn(), console=err)


@eval_app.command("attributions")
def eval_attributions(
        gold: Annotated[Path, typer.Argument(help="A folder with text/*.txt and attributions/*.ann (BRAT).")],
        threshold: Annotated[float, typer.Option(help="Least content similarity for a match.")] = 0.5,
        rules_only: Annotated[bool, typer.Option(help="Score the rules without the trained tagger.")] = False,
        model: Annotated[Optional[Path], typer.Option(help="A tagger model other than kg's own.")] = None,
        predictions: Annotated[Optional[Path], typer.Option(help="Also write the predictions (JSONL).")] = None,
        as_json: Annotated[bool, typer.Option("--json", help="Print every figure as JSON.")] = False) -> None:
    """Extract statements from a BRAT attribution corpus and score them against its gold."""
    from .evaluate.attributions import GoldError, evaluate, load_gold, report
    from .extract import MODEL, Extractor

    require_brat(gold)
    if model is not None and not model.is_file():
        err.print(f"[red]error:[/] no model at {model}")
        raise typer.Exit(2)
    try:
        articles = load_gold(gold)
    except GoldError as error:
        err.print(f"[red]error:[/] {error}")
        raise typer.Exit(2) from None
    out = predictions.open("w", encoding="utf-8") if predictions else None
    with progress_bar("extracting") as progress:
        task = progress.add_task("", total=len(articles))
        extractor = Extractor(Settings.from_env().spacy_model, attribution_model=None if rules_only else model or MODEL)

        def done(obj: dict) -> None:
            progress.advance(task)
            if out:
                out.write(json.dumps(obj, ensure_ascii=False) + "\n")

        result = evaluate(extractor, articles, threshold, done)
    if out:
        out.close()
    print(json.dumps(result, indent=2) if as_json else "\n".join(report(result)))


@train_app.command("attributions")
def train_attributions(
        corpus: Annotated[Path, typer.Argument(help="A BRAT attribution corpus (text/, attributions/).")],
        out: Annotated[Optional[Path], typer.Option(help="Where to write the model (default: kg's own).")] = None) -> None:
    """Train the attribution tagger (a CRF over the rules' output and the parse)."""
    from .evaluate.attributions import GoldError
    from .extract import MODEL
    from .training import train

    require_brat(corpus)
    out = out or MODEL
    with progress_bar("{task.description}") as progress:
        task = progress.add_task("", total=None)
        try:
            train(Settings.from_env().spacy_model, corpus, out,
                  lambda n, total: progress.update(task, completed=n, total=total, description=(
                      "training the CRF (a few minutes)" if n == total else "reading the corpus")))
        except GoldError as error:
            err.print(f"[red]error:[/] {error}")
            raise typer.Exit(2) from None
    err.print(f"wrote {out} ({out.stat().st_size / 1e6:.1f} MB)")


@train_app.command("cues")
def train_cues(
        corpus: Annotated[Path, typer.Argument(help="A BRAT attribution corpus (text/, attributions/).")],
        least: Annotated[int, typer.Option(help="Least number of annotated uses.")] = 8,
        share: Annotated[float, typer.Option(help="Least share of the verb's uses that are annotated cues.")] = 0.4,
        out: Annotated[Optional[Path], typer.Option(help="Where to write the table (default: kg's own).")] = None) -> None:
    """Mine the cue verbs a corpus's annotators use into kg/data/cues-mined.tsv (the rules and the
    tagger's features read it; retrain the tagger after changing it)."""
    from .evaluate.attributions import GoldError
    from .extract.lexicon import DATA, MINED_CUES
    from .training import mine_cues, write_cues

    require_brat(corpus)
    out = out or DATA / MINED_CUES
    with progress_bar("reading the corpus") as progress:
        task = progress.add_task("", total=None)
        try:
            rows = mine_cues(Settings.from_env().spacy_model, corpus, least, share,
                             lambda n, total: progress.update(task, completed=n, total=total))
        except GoldError as error:
            err.print(f"[red]error:[/] {error}")
            raise typer.Exit(2) from None
    write_cues(rows, corpus, out)
    err.print(f"wrote {out}: {len(rows)} cue verbs")


@eval_app.command("roles")
def eval_roles(gold: Annotated[Path, typer.Argument(help="Gold JSON Lines: one {file, facts} per article.")],
               texts: Annotated[Path, typer.Option("--texts", help="Folder with the articles' FILE.txt.")],
               as_json: Annotated[bool, typer.Option("--json", help="Print the figures as JSON.")] = False) -> None:
    """Extract roles from the gold articles and print pair/triple P/R/F1 and time accuracy."""
    from .evaluate.roles import read_gold, score
    from .extract import Extractor
    from .reader import ReadError, read_path

    try:
        facts = read_gold(gold)
    except (OSError, ValueError) as error:
        err.print(f"[red]error:[/] {error}")
        raise typer.Exit(2) from None
    missing = [name for name in facts if not (texts / f"{name}.txt").is_file()]
    if missing:
        err.print(f"[red]error:[/] no text for {len(missing)} gold article(s) in {texts}: {', '.join(missing[:5])}")
        raise typer.Exit(2)
    try:
        articles = [a for name in facts for a in read_path(texts / f"{name}.txt")]
    except ReadError as error:
        err.print(f"[red]error:[/] {error}")
        raise typer.Exit(2) from None
    extractor = Extractor(Settings.from_env().spacy_model)
    predictions = {Path(x.article.file).stem: [r.to_json() for r in x.roles] for x in extractor.extract_many(articles)}
    result = score(facts, predictions)
    print(json.dumps(result.to_json(), indent=2) if as_json else result.report())


@eval_app.command("graph")
def eval_graph(
        gold: Annotated[Path, typer.Argument(help="Who-about-whom gold JSON Lines (graph-gold/GUIDELINES.md).")],
        texts: Annotated[Path, typer.Option("--texts", help="Folder with the articles' FILE.txt.")],
        threshold: Annotated[float, typer.Option(help="Least content similarity for a match.")] = 0.5,
        predictions: Annotated[Optional[Path], typer.Option(help="Also write the predictions (JSONL).")] = None,
        extracted: Annotated[Optional[Path], typer.Option(
            help="Score this `kg extract --format jsonl` output instead of extracting.")] = None,
        as_json: Annotated[bool, typer.Option("--json", help="Print every figure as JSON.")] = False) -> None:
    """Extract the gold articles and score who said what about whom as actors: speakers, about,
    who-about-whom pairs and links, and the people and organisations found."""
    from .evaluate.graph import GoldError, read_gold, read_predictions, report, score
    from .reader import ReadError, read_path

    try:
        articles = read_gold(gold)
        given = read_predictions(extracted) if extracted else None
    except GoldError as error:
        err.print(f"[red]error:[/] {escape(str(error))}")  # the message may quote "[start, end]"
        raise typer.Exit(2) from None
    missing = [name for name in articles if not (texts / f"{name}.txt").is_file()]
    if missing:
        err.print(f"[red]error:[/] no text for {len(missing)} gold article(s) in {texts}: {', '.join(missing[:5])}")
        raise typer.Exit(2)
    if given is None:
        from .extract import Extractor

        try:
            inputs = [a for name in articles for a in read_path(texts / f"{name}.txt")]
        except ReadError as error:
            err.print(f"[red]error:[/] {error}")
            raise typer.Exit(2) from None
        given = {}
        out = predictions.open("w", encoding="utf-8") if predictions else None
        with progress_bar("extracting") as progress:
            task = progress.add_task("", total=len(inputs))
            for extraction in Extractor(Settings.from_env().spacy_model).extract_many(inputs):
                obj = extraction.to_json()
                given[Path(obj["file"]).stem] = obj
                if out:
                    out.write(json.dumps(obj, ensure_ascii=False) + "\n")
                progress.advance(task)
        if out:
            out.close()
    result = score(articles, given, texts, threshold)
    print(json.dumps(result, indent=2) if as_json else "\n".join(report(result)))


@app.command()
def serve(host: str = "127.0.0.1", port: int = 8000) -> None:
    """Serve the SPARQL endpoint, the REST API and the docs at /docs."""
    import uvicorn

    from api.app import create_app

    from api.app import Server

    settings = Settings.from_env()
    try:
        store = open_configured_store(settings)
    except (ReadOnlyStore, DiskFull) as error:  # a folder we cannot write: serve it read-only, if we may
        if settings.api_token:
            err.print(f"[red]error:[/] {escape(str(error))}; KG_API_TOKEN is set, so the server would take "
                      "writes it cannot store: unset it to serve the store read-only")
            raise typer.Exit(2) from None
        err.print(f"note: {escape(str(error))}; serving it read-only, as it is now (no KG_API_TOKEN: no writes)")
        store = open_store(settings, read_only=True)
    except StoreError as error:
        err.print(f"[red]error:[/] {escape(str(error))}")
        raise typer.Exit(2) from None
    app = create_app(store, settings)
    Server(app, uvicorn.Config(app, host=host, port=port)).run()

# --- networks: kg analyse ..., kg viz ------------------------------------------------------
analyse = typer.Typer(help="Actor networks: centralities, communities, paths, exports.", no_args_is_help=True)
app.add_typer(analyse, name="analyse")
NetworkOpt = Annotated[str, typer.Option("--network", "-n", help="statements, affiliations, comentions or combined")]
FromOpt = Annotated[Optional[str], typer.Option("--from", help="Articles published on or after YYYY-MM-DD")]
ToOpt = Annotated[Optional[str], typer.Option("--to", help="Articles published on or before YYYY-MM-DD")]
PublisherOpt = Annotated[Optional[str], typer.Option("--publisher", help="Part of the publisher's name")]
TypeOpt = Annotated[Optional[list[str]], typer.Option("--type", "-t", help="Keep actors of this type (repeatable)")]
WeightOpt = Annotated[float, typer.Option("--min-weight", help="Drop links weaker than this")]


def load_network(network: str, date_from: str | None, date_to: str | None, publisher: str | None,
                 types: list[str] | None, min_weight: float = 0, store: Store | None = None):
    """The projected network of `store` (default: the configured store, read-only), or a clear error
    and exit 2."""
    from .network import FilterError, Filters, project
    from .vocab import Iris

    settings = Settings.from_env()
    store = open_store(settings, read_only=True) if store is None else store
    try:
        filters = Filters(date_from, date_to, publisher, tuple(types or ()), min_weight)
        return project(store, Iris(settings.base_iri), network, filters)
    except FilterError as error:
        err.print(f"[red]error:[/] {error}")
        raise typer.Exit(2) from None


def pick_actor(graph, query: str) -> str:
    from .network.paths import ActorNotFound, find_actor

    try:
        return find_actor(graph, query)
    except ActorNotFound as error:
        err.print(f"[red]error:[/] {error}")
        raise typer.Exit(1) from None


def metrics_table(graph, rows, title: str) -> Table:
    table = Table("actor", "type", "in", "out", "pagerank", "betweenness", "community", "core", title=title)
    for node, m in rows:
        table.add_row(graph.nodes[node]["name"], graph.nodes[node]["type"], f"{m['in_degree']:g}",
                      f"{m['out_degree']:g}", f"{m['pagerank']:.4f}", f"{m['betweenness']:.4f}",
                      str(m["community"]), str(m["core"]))
    return table


@analyse.command("top")
def analyse_top(network: NetworkOpt = "statements",
                metric: Annotated[str, typer.Option("--metric", "-m", help="in_degree (most talked about), "
                                                    "out_degree, pagerank, betweenness, core")] = "pagerank",
                limit: Annotated[int, typer.Option("--limit", "-l")] = 15,
                date_from: FromOpt = None, date_to: ToOpt = None, publisher: PublisherOpt = None,
                types: TypeOpt = None, min_weight: WeightOpt = 0) -> None:
    """The actors ranked by a metric, with all their metrics."""
    from .network import metrics

    if metric not in metrics.METRICS:
        err.print(f"[red]unknown metric[/] {metric}; choose one of {', '.join(metrics.METRICS)}")
        raise typer.Exit(2)
    graph = load_network(network, date_from, date_to, publisher, types, min_weight)
    table = metrics.compute(graph)
    rows = [(n, table[n]) for n, _ in metrics.ranking(table, metric, limit)]
    k = metrics.sample_size(graph)
    note = f", betweenness sampled from {k} nodes" if k else ""
    Console(width=200).print(metrics_table(graph, rows, f"{network} network: {len(graph)} actors, "
                                           f"{graph.number_of_edges()} links, by {metric}{note}"))


@analyse.command("communities")
def analyse_communities(network: NetworkOpt = "statements", date_from: FromOpt = None, date_to: ToOpt = None,
                        publisher: PublisherOpt = None, types: TypeOpt = None, min_weight: WeightOpt = 0) -> None:
    """Louvain communities (fixed seed), largest first, members by PageRank."""
    from .network import metrics

    graph = load_network(network, date_from, date_to, publisher, types, min_weight)
    rank = metrics.pagerank(graph)
    for i, group in enumerate(metrics.communities(graph)):
        members = sorted(group, key=lambda n: -rank[n])
        print(f"{i}\t{len(group)}\t" + ", ".join(graph.nodes[n]["name"] for n in members))


@analyse.command("ego")
def analyse_ego(actor: Annotated[str, typer.Argument(help="An actor id or name")],
                hops: Annotated[int, typer.Option("--hops", "-k", min=1)] = 1,
                network: NetworkOpt = "combined", date_from: FromOpt = None, date_to: ToOpt = None,
                publisher: PublisherOpt = None, types: TypeOpt = None, min_weight: WeightOpt = 0) -> None:
    """The actors within k links of one actor, and the links between them."""
    from .network.paths import ego
    from .network.projection import cues

    graph = load_network(network, date_from, date_to, publisher, types, min_weight)
    sub = ego(graph, pick_actor(graph, actor), hops)
    print(f"{sub.number_of_nodes()} actors, {sub.number_of_edges()} links within {hops} of {actor}")
    for u, v, data in sorted(sub.edges(data=True), key=lambda e: -e[2]["weight"]):
        what = "; ".join(filter(None, [", ".join(cues(data)), ", ".join(sorted({r["role"] for r in data["roles"]}))]))
        print(f"{sub.nodes[u]['name']} -> {sub.nodes[v]['name']}\t{data['weight']}\t{what}")


@analyse.command("path")
def analyse_path(source: Annotated[str, typer.Argument(help="An actor id or name")],
                 target: Annotated[str, typer.Argument(help="An actor id or name")],
                 network: NetworkOpt = "combined", date_from: FromOpt = None, date_to: ToOpt = None,
                 publisher: PublisherOpt = None, types: TypeOpt = None) -> None:
    """How two actors are connected: a shortest chain, with the statements and roles along it."""
    from .network.paths import NoPath, connection

    graph = load_network(network, date_from, date_to, publisher, types)
    try:
        steps = connection(graph, pick_actor(graph, source), pick_actor(graph, target))
    except NoPath as error:
        err.print(str(error))
        raise typer.Exit(1) from None
    for step in steps:
        for link in step["links"]:
            print(f"{graph.nodes[link['source']]['name']} -> {graph.nodes[link['target']]['name']}")
            for role in link["roles"]:
                print(f"  role: {role['role']} ({role['time']}) [{role['article']}]")
            for st in link["statements"]:
                print(f"  {st['cue']}: {st['text']} [{st['article']}]")


@analyse.command("kcore")
def analyse_kcore(k: Annotated[Optional[int], typer.Option("--k", help="Default: the innermost core")] = None,
                  network: NetworkOpt = "statements", date_from: FromOpt = None, date_to: ToOpt = None,
                  publisher: PublisherOpt = None, types: TypeOpt = None, min_weight: WeightOpt = 0) -> None:
    """The k-core: the actors with at least k neighbours among themselves."""
    from .network.metrics import core_members, cores

    graph = load_network(network, date_from, date_to, publisher, types, min_weight)
    k, core = core_members(cores(graph), k)
    print(f"{k}-core: {len(core)} actors: " + ", ".join(sorted(graph.nodes[n]["name"] for n in core)))


@analyse.command("export")
def analyse_export(output: Annotated[Path, typer.Option("--output", "-o")],
                   format: Annotated[str, typer.Option("--format", "-f", help="gexf, graphml or cytoscape")] = "gexf",
                   network: NetworkOpt = "statements", date_from: FromOpt = None, date_to: ToOpt = None,
                   publisher: PublisherOpt = None, types: TypeOpt = None, min_weight: WeightOpt = 0) -> None:
    """Write the network with its metrics for Gephi (GEXF, with a timeline), GraphML or Cytoscape."""
    from .network import export, metrics

    if format not in export.FORMATS:
        err.print(f"[red]unknown format[/] {format}; choose one of {', '.join(export.FORMATS)}")
        raise typer.Exit(2)
    graph = load_network(network, date_from, date_to, publisher, types, min_weight)
    data = export.write(graph, format, metrics.compute(graph))
    output.write_bytes(data)
    err.print(f"wrote {network} network ({len(graph)} actors, {graph.number_of_edges()} links) to {output}")


@analyse.command("write")
def analyse_write(network: NetworkOpt = "statements") -> None:
    """Store the network's metrics in the named graph <base/metrics/NETWORK>, for SPARQL."""
    from .network import metrics
    from .network.rdf import write_metrics
    from .vocab import Iris

    settings = Settings.from_env()
    store = open_store(settings, create=False)
    graph = load_network(network, None, None, None, None, store=store)
    name = write_metrics(store, Iris(settings.base_iri), network, metrics.compute(graph))
    print(f"wrote the metrics of {len(graph)} actors to <{name}>")


@app.command()
def viz(png: Annotated[Path, typer.Option("--png", help="The PNG file to write")],
        network: NetworkOpt = "statements",
        colour: Annotated[str, typer.Option("--colour", help="community or type")] = "community",
        max_nodes: Annotated[int, typer.Option("--max-nodes", help="Draw only the most central actors")] = 300,
        date_from: FromOpt = None, date_to: ToOpt = None, publisher: PublisherOpt = None,
        types: TypeOpt = None, min_weight: WeightOpt = 0) -> None:
    """Draw the network as a PNG: size by PageRank, colour by community or type."""
    from .network import metrics
    from .network.draw import draw_png

    graph = load_network(network, date_from, date_to, publisher, types, min_weight)
    if len(graph) == 0:
        err.print("[red]error:[/] the network is empty (check the filters, or run kg ingest)")
        raise typer.Exit(1)
    rank, community = metrics.pagerank(graph), metrics.membership(metrics.communities(graph))
    table = {n: {"pagerank": rank[n], "community": community[n]} for n in graph}  # all the drawing reads
    drawn = draw_png(graph, table, png, colour=colour, max_nodes=max_nodes,
                     title=f"{network} network")
    err.print(f"drew {drawn} of {len(graph)} actors to {png}")


if __name__ == "__main__":
    app()
