"""Where a load's time goes: `load_dataset` under cProfile, into a new SQLite file and a new
PostgreSQL schema, each written to docs/profiles/<database>-load.txt.

`make bench` times the load of a million provisions (its `corpus load` rows); this profiles the
same synthetic corpus at a tenth of that size, so that it runs in about a minute. The database's
own work shows as the driver's calls (`executemany`, `execute`, `commit`, psycopg's `wait`).

    python -m bench.load_profile [--documents 10000] [--postgresql URL | --no-postgresql]
                                 [--no-docs]

`make bench` runs it last, after `bench.scale` has replaced docs/profiles/ with its own files.
"""

import argparse
import os
import tempfile
import time
import uuid
from pathlib import Path

from sqlalchemy import create_engine, text

from api import create_app
from api.seeding import load_dataset
from api.storage import database
from bench.scale.corpus import drop_schema
from bench.scale.profiles import DOCS_PROFILES, profile_call
from bench.scale.run import DEFAULT_POSTGRESQL_URL, SEED
from synthetic import synthetic_dataset


def main() -> None:
    arguments = parse_arguments()
    dataset = synthetic_dataset(documents=arguments.documents, seed=SEED)
    with tempfile.TemporaryDirectory(prefix="load-profile-") as folder:
        url = f"sqlite:///{Path(folder) / 'load.db'}"
        profile_load("sqlite", url, {}, dataset, arguments.no_docs)
    if not arguments.no_postgresql:
        schema = f"bench_{uuid.uuid4().hex[:8]}"
        engine = create_engine(arguments.postgresql)
        with engine.begin() as connection:
            connection.execute(text(f'CREATE SCHEMA "{schema}"'))
        engine.dispose()
        try:
            options = {"connect_args": {"options": f"-csearch_path={schema}"}}
            profile_load("postgresql", arguments.postgresql, options, dataset, arguments.no_docs)
        finally:
            drop_schema(arguments.postgresql, schema)


def profile_load(name: str, url: str, engine_options: dict, dataset, print_only: bool) -> None:
    """The dataset loaded into the new database at `url` under cProfile; its profile written
    (or printed)."""
    settings = {"DATABASE_URL": url, "DATABASE_ENGINE_OPTIONS": engine_options}
    app = create_app({**settings, "STATEMENT_TIMEOUT_MS": 0})
    with app.app_context():
        database.upgrade_schema()
        started = time.perf_counter()
        profile = profile_call(
            f"# load_dataset of {dataset.count('provisions'):,} provisions into a new {name} "
            "database, under cProfile (python -m bench.load_profile)",
            lambda: load_dataset(database.engine(), dataset),
        )
        seconds = time.perf_counter() - started
        database.engine().dispose()
    if print_only:
        print(profile)
        return
    target = DOCS_PROFILES / f"{name}-load.txt"
    target.write_text(profile)
    print(f"{name}: {seconds:.1f} s under cProfile; {target.relative_to(DOCS_PROFILES.parent)}")


def parse_arguments() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--documents", type=int, default=10_000, help="about 10 provisions each")
    parser.add_argument(
        "--postgresql",
        metavar="URL",
        default=os.environ.get("BENCH_POSTGRESQL_URL", DEFAULT_POSTGRESQL_URL),
        help="PostgreSQL server (a schema is created there and dropped)",
    )
    parser.add_argument("--no-postgresql", action="store_true", help="profile SQLite only")
    parser.add_argument("--no-docs", action="store_true", help="print the profiles, write none")
    return parser.parse_args()


if __name__ == "__main__":
    main()
