"""The `provisions` command: database, seeds and the OpenAPI document."""

import datetime
import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

import click
import yaml
from flask import Flask
from sqlalchemy import select

from api.app import create_app
from api.importing.fetch import FetchError, fetch_executive_orders
from api.importing.files import files_under
from api.importing.service import ImportFailed, ImportReport, import_federal_register, reload
from api.seeding import SeedError, read_seeds
from api.storage import database
from api.storage.models import DatasetState

RECORD_TABLES = (
    "documents",
    "provisions",
    "status_changes",
    "statements",
    "relations",
    "actors",
    "jurisdictions",
    "sources",
)


@click.group()
@click.pass_context
def main(context: click.Context) -> None:
    """Serve government policy documents and their provisions."""
    context.obj = create_app()


@main.group()
def db() -> None:
    """The database."""


@db.command("upgrade")
@click.argument("revision", default="head")
@click.pass_obj
def db_upgrade(app: Flask, revision: str) -> None:
    """Apply the migrations up to REVISION (the latest by default)."""
    with app.app_context():
        database.upgrade_schema(revision)
        with database.engine().connect() as connection:
            current = database.schema_revision(connection)
    click.echo(f"Database at migration {current}.")


@main.group()
def seed() -> None:
    """The seed files."""


@seed.command("check")
@click.argument("folder", type=click.Path(path_type=Path), default="seeds")
def seed_check(folder: Path) -> None:
    """Validate every seed file; list each problem with its file and record."""
    dataset = _read_or_exit(folder)
    counts = ", ".join(f"{dataset.count(table)} {table}" for table in RECORD_TABLES)
    click.echo(f"{folder}: valid ({counts}).")


@seed.command("load")
@click.argument("folder", type=click.Path(path_type=Path), default="seeds")
@click.option("--if-empty", is_flag=True, help="Load only into a database never loaded.")
@click.pass_obj
def seed_load(app: Flask, folder: Path, if_empty: bool) -> None:
    """Replace the seed records with the seed files', all or nothing (imports are kept)."""
    dataset = _read_or_exit(folder)
    with app.app_context():
        database.upgrade_schema()
        if if_empty and database.session().scalar(select(DatasetState)) is not None:
            click.echo("The database holds data already; nothing loaded.")
            return
        with database.write_transaction(database.engine()) as connection:
            now = datetime.datetime.now(datetime.UTC)
            imported = reload(connection, now, seeds=dataset)
    loaded = ", ".join(f"{dataset.count(table)} {table}" for table in RECORD_TABLES)
    kept = ", ".join(f"{count} {table}" for table, count in imported.items())
    click.echo(f"Loaded {folder}: {loaded}; imported records kept: {kept}.")


def _read_or_exit(folder: Path):
    try:
        return read_seeds(folder)
    except SeedError as error:
        for problem in error.problems:
            click.echo(str(problem), err=True)
        click.echo(f"{len(error.problems)} problem(s); nothing was loaded.", err=True)
        sys.exit(1)


@main.group()
def openapi() -> None:
    """The OpenAPI document."""


class _SpecDumper(yaml.SafeDumper):
    """Plain YAML for people to read: no anchors, multi-line text as literal blocks."""

    def ignore_aliases(self, data) -> bool:
        return True

    def represent_str(self, data: str):
        style = "|" if "\n" in data else None
        return self.represent_scalar("tag:yaml.org,2002:str", data, style=style)


_SpecDumper.add_representer(str, _SpecDumper.represent_str)


def spec_as_yaml(app: Flask) -> str:
    """The OpenAPI document the code generates, as committed in openapi.yaml."""
    with app.app_context():
        spec = app.extensions["flask-smorest"]["apis"][""]["ext_obj"].spec.to_dict()
    spec = {"openapi": spec.pop("openapi"), **spec}
    return yaml.dump(spec, Dumper=_SpecDumper, sort_keys=False, allow_unicode=True, width=100)


@openapi.command("write")
@click.argument("path", type=click.Path(path_type=Path), default="openapi.yaml")
@click.pass_obj
def openapi_write(app: Flask, path: Path) -> None:
    """Write the OpenAPI document generated from the schemas."""
    path.write_text(spec_as_yaml(app), encoding="utf-8")
    click.echo(f"Wrote {path}.")


@main.group("import")
def import_group() -> None:
    """Import official documents from their publishers' files."""


@import_group.command("federal-register")
@click.argument("paths", nargs=-1, type=click.Path(exists=True, path_type=Path))
@click.option("--keep-going", is_flag=True, help="Import the good files; list the bad ones.")
@click.option("--fetch", is_flag=True, help="Download executive orders from the FR API first.")
@click.option(
    "--since", type=click.DateTime(["%Y-%m-%d"]), help="With --fetch: signed on or after."
)
@click.option(
    "--until", type=click.DateTime(["%Y-%m-%d"]), help="With --fetch: signed on or before."
)
@click.option("--number", "numbers", multiple=True, help="With --fetch: this EO number (repeat).")
@click.option(
    "--cache",
    type=click.Path(file_okay=False, path_type=Path),
    help="With --fetch: keep the downloads here (default: a folder under instance/).",
)
@click.pass_obj
def import_federal_register_command(
    app: Flask, paths, keep_going, fetch, since, until, numbers, cache
) -> None:
    """Import Federal Register files (FR API JSON, full-text XML, raw text) from PATHS.

    Files of one document are merged; each order's provisions are extracted from its
    official text. All or nothing unless --keep-going. Importing the same files again
    changes nothing.
    """
    paths = list(paths)
    if fetch:
        paths.append(_fetch(app, cache, since, until, numbers))
    if not paths:
        raise click.UsageError("Name files or folders to import, or use --fetch.")
    with app.app_context():
        database.upgrade_schema()
        try:
            with _progress(paths) as progress:
                report = import_federal_register(
                    database.engine(), paths, keep_going=keep_going, progress=progress
                )
        except ImportFailed as error:
            for file, problem in error.problems:
                click.echo(f"{file}: {problem}", err=True)
            click.echo(
                f"{len(error.problems)} file(s) could not be imported; nothing was written.",
                err=True,
            )
            sys.exit(1)
    _echo_report(report)


def _fetch(app: Flask, cache: Path | None, since, until, numbers) -> Path:
    cache = cache or Path(app.instance_path) / "federal-register"
    base_url = app.config["FEDERAL_REGISTER_API_URL"]
    try:
        result = fetch_executive_orders(
            base_url=base_url,
            cache=cache,
            since=since.date() if since else None,
            until=until.date() if until else None,
            numbers=numbers,
            requests_per_second=app.config["FEDERAL_REGISTER_REQUESTS_PER_SECOND"],
            progress=lambda message: click.echo(message, err=True),
        )
    except FetchError as error:
        click.echo(f"Fetch failed: {error}", err=True)
        sys.exit(1)
    click.echo(
        f"Fetched {result.downloaded} document(s), {result.cached} already in {cache} "
        f"({result.requests} requests)."
    )
    return cache


@contextmanager
def _progress(paths: list[Path]) -> Iterator[Callable[[Path], None] | None]:
    """A progress bar over the files when standard output is a terminal; none otherwise."""
    if not sys.stdout.isatty():
        yield None
        return
    total = sum(1 for _ in files_under(paths))
    with click.progressbar(length=total, label="Reading files") as bar:
        yield lambda _path: bar.update(1)


def _echo_report(report: ImportReport) -> None:
    click.echo(
        f"Read {report.files} file(s): {len(report.new)} document(s) new, "
        f"{len(report.changed)} changed, {len(report.unchanged)} unchanged."
    )
    click.echo(
        f"Imported documents in the data: {report.documents}, with {report.provisions} "
        f"provisions and {report.relations} relations."
    )
    for heading, files in (("Left out", report.ignored), ("Skipped", report.skipped)):
        if files:
            click.echo(f"{heading} {len(files)} file(s):")
            for file, why in files:
                click.echo(f"  {file}: {why}")
