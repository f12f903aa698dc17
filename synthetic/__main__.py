"""`python -m synthetic load`: replace a database's records with a synthetic corpus."""

import time

import click

from api import create_app
from api.cli import RECORD_TABLES
from api.seeding import load_dataset
from api.storage import database
from synthetic.dataset import synthetic_dataset


@click.group()
def main() -> None:
    """The synthetic corpus, for benchmarks and scale work (run from the repository's root)."""


@main.command("load")
@click.option("--documents", type=click.IntRange(min=1), default=1000, show_default=True)
@click.option("--seed", type=int, default=1, show_default=True)
@click.option("--database-url", help="Load into this database instead of DATABASE_URL's.")
def load(documents: int, seed: int, database_url: str | None) -> None:
    """Replace the database's records with a synthetic corpus (the same for the same seed)."""
    app = create_app({"DATABASE_URL": database_url}) if database_url else create_app()
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


if __name__ == "__main__":
    main()
