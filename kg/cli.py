"""The kg command."""
from __future__ import annotations

import json
import sys
from enum import Enum
from pathlib import Path
from typing import Annotated, Optional

import typer
from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn
from rich.table import Table

from .config import Settings
from .store import EXPORT_FORMATS, PREFIX_MAP, Store, StoreError
from .store import open_store as open_configured_store

app = typer.Typer(help="Knowledge graphs of who said what about whom, from news articles.",
                  no_args_is_help=True, add_completion=False)
err = Console(stderr=True, soft_wrap=True)  # one line per message, never wrapped
PathsArg = Annotated[list[Path], typer.Argument(help="Files (.txt, .json, .jsonl) or folders of them.")]


class ExtractFormat(str, Enum):
    jsonl = "jsonl"
    json = "json"


class QueryFormat(str, Enum):
    table = "table"
    json = "json"
    csv = "csv"


def open_store(settings: Settings, read_only: bool = False) -> Store:
    """The configured store (KG_STORE, else KG_DATA), or a clear error if it cannot be used."""
    try:
        store = open_configured_store(settings, read_only=read_only)
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
               metavar="ADDRESS", help="Extract on a Dask cluster (tcp://scheduler:8786).")] = None) -> None:
    """Extract articles and store one named graph per article (re-ingesting replaces it).
    Articles whose content the store holds already are skipped, so an interrupted run resumes."""
    from .extract import Extractor
    from .ingest import Report, ingest as run_ingest, read_articles
    from .parallel import DaskWorkers, Workers
    from .reader import find_files
    from .vocab import Iris

    if dask and workers > 1:
        err.print("[red]error:[/] --workers and --dask exclude each other (Dask workers are set on the cluster)")
        raise typer.Exit(2)
    settings = Settings.from_env()
    store = open_store(settings)
    report = Report()

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
                runner = Extractor(settings.spacy_model)
        except ImportError:
            err.print("[red]error:[/] --dask needs dask.distributed: pip install 'kg[dask]'")
            raise typer.Exit(2) from None
        except OSError as error:  # includes Dask's timeout reaching the scheduler
            err.print(f"[red]error:[/] cannot reach the Dask scheduler {dask}: {error}")
            raise typer.Exit(2) from None
        progress.update(task, description="ingesting articles", total=None)

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
            if not isinstance(runner, Extractor):
                runner.close()
    err.print(f"{report.summary()}; the store holds {len(store)} quads")
    if report.failed:
        raise typer.Exit(1)


@app.command()
def query(sparql: Annotated[str, typer.Argument(help="A SPARQL query, or @file.rq to read one.")],
          format: Annotated[QueryFormat, typer.Option("--format", "-f")] = QueryFormat.table) -> None:
    """Run a SPARQL query over the union of all article graphs."""
    import pyoxigraph as ox

    text = Path(sparql[1:]).read_text(encoding="utf-8") if sparql.startswith("@") else sparql
    store = open_store(Settings.from_env(), read_only=True)
    try:
        results = store.query(text)
    except SyntaxError as error:
        err.print(f"[red]invalid query:[/] {error}")
        raise typer.Exit(2) from None
    except StoreError as error:
        err.print(f"[red]error:[/] {error}")
        raise typer.Exit(2) from None
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
def delete(article_id: Annotated[str, typer.Argument(help="The article's id (its file name without .txt).")]) -> None:
    """Remove one article and everything only it contributed."""
    from .vocab import Iris

    settings = Settings.from_env()
    if not open_store(settings).delete_graph(str(Iris(settings.base_iri).article(article_id))):
        err.print(f"[red]no article[/] {article_id} in the store")
        raise typer.Exit(1)
    print(f"deleted {article_id}")


eval_app = typer.Typer(help="Measure extraction quality against hand-annotated gold.", no_args_is_help=True)
app.add_typer(eval_app, name="eval")
train_app = typer.Typer(help="Train the statistical parts of the extractor.", no_args_is_help=True)
app.add_typer(train_app, name="train")


def progress_bar(description: str) -> Progress:
    return Progress(TextColumn(description), BarColumn(), MofNCompleteColumn(), TimeElapsedColumn(), console=err)


@eval_app.command("attributions")
def eval_attributions(
        gold: Annotated[Path, typer.Argument(help="A folder with text/*.txt and attributions/*.ann (BRAT).")],
        threshold: Annotated[float, typer.Option(help="Least content similarity for a match.")] = 0.5,
        rules_only: Annotated[bool, typer.Option(help="Score the rules without the trained tagger.")] = False,
        predictions: Annotated[Optional[Path], typer.Option(help="Also write the predictions (JSONL).")] = None,
        as_json: Annotated[bool, typer.Option("--json", help="Print every figure as JSON.")] = False) -> None:
    """Extract statements from a BRAT attribution corpus and score them against its gold."""
    from .evaluate.attributions import evaluate, load_gold, report
    from .extract import MODEL, Extractor

    if not (gold / "text").is_dir() or not (gold / "attributions").is_dir():
        err.print(f"[red]error:[/] {gold} needs text/ and attributions/ folders")
        raise typer.Exit(2)
    articles = load_gold(gold)
    out = predictions.open("w", encoding="utf-8") if predictions else None
    with progress_bar("extracting") as progress:
        task = progress.add_task("", total=len(articles))
        extractor = Extractor(Settings.from_env().spacy_model, attribution_model=None if rules_only else MODEL)

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
        out: Annotated[Path, typer.Option(help="Where to write the model.")] = Path("kg/models/attributions.crfsuite")) -> None:
    """Train the attribution tagger (a CRF over the rules' output and the parse)."""
    from .training import train

    with progress_bar("{task.description}") as progress:
        task = progress.add_task("", total=None)
        train(Settings.from_env().spacy_model, corpus, out,
              lambda n, total: progress.update(task, completed=n, total=total, description=(
                  "training the CRF (a few minutes)" if n == total else "reading the corpus")))
    err.print(f"wrote {out} ({out.stat().st_size / 1e6:.1f} MB)")


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


@app.command()
def serve(host: str = "127.0.0.1", port: int = 8000) -> None:
    """Serve the SPARQL endpoint, the REST API and the docs at /docs."""
    import uvicorn

    from api.app import create_app

    uvicorn.run(create_app(open_store(Settings.from_env())), host=host, port=port)


if __name__ == "__main__":
    app()
