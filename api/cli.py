"""The `provisions` command: database, seeds and the OpenAPI document."""

import sys
import time
from pathlib import Path

import click
import yaml
from flask import Flask
from sqlalchemy import select

from api import database
from api.app import create_app
from api.models import DatasetState
from api.seeding import SeedError, load_dataset, read_seeds
from api.synthetic import synthetic_dataset

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
    """Replace the database's records with the seed files', all or nothing."""
    dataset = _read_or_exit(folder)
    with app.app_context():
        database.upgrade_schema()
        if if_empty and database.session().scalar(select(DatasetState)) is not None:
            click.echo("The database holds data already; nothing loaded.")
            return
        counts = load_dataset(database.engine(), dataset)
    loaded = ", ".join(f"{counts[table]} {table}" for table in RECORD_TABLES)
    click.echo(f"Loaded {folder}: {loaded}.")


def _read_or_exit(folder: Path):
    try:
        return read_seeds(folder)
    except SeedError as error:
        for problem in error.problems:
            click.echo(str(problem), err=True)
        click.echo(f"{len(error.problems)} problem(s); nothing was loaded.", err=True)
        sys.exit(1)


@main.command("synth")
@click.option("--documents", type=click.IntRange(min=1), default=1000, show_default=True)
@click.option("--seed", type=int, default=1, show_default=True)
@click.option("--database-url", help="Load into this database instead of DATABASE_URL's.")
@click.pass_obj
def synth(app: Flask, documents: int, seed: int, database_url: str | None) -> None:
    """Replace the database's records with a synthetic corpus (the same for the same seed)."""
    if database_url:
        app = create_app({"DATABASE_URL": database_url})
    with app.app_context():
        database.upgrade_schema()
        started = time.perf_counter()
        dataset = synthetic_dataset(documents, seed)
        built = time.perf_counter()
        counts = load_dataset(database.engine(), dataset)
        loaded = time.perf_counter()
    listed = ", ".join(f"{counts[table]} {table}" for table in RECORD_TABLES)
    click.echo(f"Loaded a synthetic corpus (seed {seed}): {listed}.")
    rate = counts["provisions"] / (loaded - built)
    click.echo(
        f"Built in {built - started:.2f} s, loaded in {loaded - built:.2f} s: "
        f"{rate:,.0f} provisions/second."
    )


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
