"""`make bench`, second part: import the Federal Register corpus, time it, write the table.

The whole corpus (corpus/federal-register) is imported into a new SQLite file and into a
fresh schema of a PostgreSQL server (BENCH_POSTGRESQL_URL; skipped, and said so, when the
server cannot be reached), after the seeds, as `make run` does; then imported again, which
must change nothing. Writes its table between the import markers of docs/benchmarks.md.

    python -m bench.federal_register_import [--postgresql URL | --no-postgresql] [--no-docs]
"""

import argparse
import datetime
import os
import sys
import tempfile
import time
import uuid
from dataclasses import dataclass
from pathlib import Path

from sqlalchemy import create_engine, text

from api import create_app
from api.importing.service import import_federal_register, reload
from api.seeding import read_seeds
from api.storage import database
from bench.servers import REPO_ROOT

CORPUS = REPO_ROOT / "corpus" / "federal-register"
DOCS = REPO_ROOT / "docs" / "benchmarks.md"
START_MARKER = "<!-- bench:import:start -->"
END_MARKER = "<!-- bench:import:end -->"
DEFAULT_POSTGRESQL_URL = "postgresql+psycopg://postgres@127.0.0.1:5432/test"
TARGETS = {"sqlite": 30.0, "postgresql": 60.0}  # seconds for the whole corpus
ORDERS_PER_SECOND = 100  # on each database, too


@dataclass
class Run:
    database: str
    documents: int
    provisions: int
    relations: int
    first: float
    again: float
    again_wrote: bool


def main() -> int:
    arguments = parse_arguments()
    runs = []
    with tempfile.TemporaryDirectory() as folder:
        runs.append(measure("sqlite", f"sqlite:///{Path(folder) / 'bench.sqlite3'}", {}))
    if not arguments.no_postgresql:
        run = measure_postgresql(arguments.postgresql)
        if run is not None:
            runs.append(run)
    report = table(runs)
    print(report)
    if not arguments.no_docs:
        write_docs(report)
    return 0


def parse_arguments() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--postgresql",
        default=os.environ.get("BENCH_POSTGRESQL_URL", DEFAULT_POSTGRESQL_URL),
        help="PostgreSQL server to measure on (default: $BENCH_POSTGRESQL_URL, else local)",
    )
    parser.add_argument("--no-postgresql", action="store_true", help="measure SQLite only")
    parser.add_argument("--no-docs", action="store_true", help="do not write docs/benchmarks.md")
    return parser.parse_args()


def measure(name: str, url: str, options: dict) -> Run:
    """Seeds, then the corpus imported twice; the times of the two imports."""
    app = create_app({"DATABASE_URL": url, "DATABASE_ENGINE_OPTIONS": options})
    with app.app_context():
        database.upgrade_schema()
        engine = database.engine()
        with database.write_transaction(engine) as connection:
            reload(
                connection,
                datetime.datetime.now(datetime.UTC),
                seeds=read_seeds(REPO_ROOT / "seeds"),
            )
        started = time.perf_counter()
        first = import_federal_register(engine, [CORPUS])
        middle = time.perf_counter()
        again = import_federal_register(engine, [CORPUS])
        ended = time.perf_counter()
        engine.dispose()
    return Run(
        name,
        first.documents,
        first.provisions,
        first.relations,
        middle - started,
        ended - middle,
        again.wrote,
    )


def measure_postgresql(url: str) -> Run | None:
    schema = f"bench_import_{uuid.uuid4().hex[:8]}"
    try:
        admin = create_engine(url)
        with admin.begin() as connection:
            connection.execute(text(f'CREATE SCHEMA "{schema}"'))
    except Exception as error:
        print(f"PostgreSQL skipped: {error.__class__.__name__}", file=sys.stderr)
        return None
    try:
        options = {"connect_args": {"options": f"-csearch_path={schema}"}}
        return measure("postgresql", url, options)
    finally:
        with admin.begin() as connection:
            connection.execute(text(f'DROP SCHEMA "{schema}" CASCADE'))
        admin.dispose()


def table(runs: list[Run]) -> str:
    when = datetime.datetime.now(datetime.UTC).strftime("%Y-%m-%d %H:%M UTC")
    lines = [
        f"Run {when}, {os.cpu_count()} cores: the corpus of `corpus/federal-register` imported "
        "after the seeds, then again.",
        "",
        "| database | documents | provisions | relations | import | orders/s | targets | "
        "again (unchanged) |",
        "|---|---|---|---|---|---|---|---|",
    ]
    for run in runs:
        lines.append(
            f"| {run.database} | {run.documents} | {run.provisions} | {run.relations} | "
            f"{run.first:.1f} s | {run.documents / run.first:.0f} | {targets_text(run)} | "
            f"{run.again:.1f} s{'' if not run.again_wrote else ' (WROTE: not idempotent)'} |"
        )
    return "\n".join(lines)


def targets_text(run: Run) -> str:
    """Both targets of one database's import, each met or missed."""
    seconds = TARGETS[run.database]
    rate = run.documents / run.first
    in_time = "met" if run.first <= seconds else f"missed by {run.first - seconds:.1f} s"
    fast = "met" if rate >= ORDERS_PER_SECOND else f"missed ({ORDERS_PER_SECOND / rate:.2f}x short)"
    return f"< {seconds:.0f} s: {in_time}; ≥ {ORDERS_PER_SECOND} orders/s: {fast}"


def write_docs(report: str) -> None:
    content = DOCS.read_text()
    start, end = content.find(START_MARKER), content.find(END_MARKER)
    if start < 0 or end < start:
        content += f"\n## Importing the Federal Register corpus\n\n{START_MARKER}\n{END_MARKER}\n"
        start, end = content.find(START_MARKER), content.find(END_MARKER)
    content = f"{content[: start + len(START_MARKER)]}\n{report}\n{content[end:]}"
    DOCS.write_text(content)
    print(f"Import results written to docs/{DOCS.name}", file=sys.stderr)


if __name__ == "__main__":
    sys.exit(main())
