"""`make bench`: the API at about a million provisions, against Datasette, a floor and a ceiling.

A synthetic corpus (`synthetic_dataset(documents, seed=1)`) is built once and loaded into a
temporary SQLite file and into a fresh schema of a PostgreSQL server (BENCH_POSTGRESQL_URL,
dropped at the end; skipped, and said so, when the server cannot be reached). On 127.0.0.1
only, these are served one at a time and measured with `wrk -t2 -c16 --latency`:
- the API under gunicorn (gunicorn.conf.py, 2 workers, no rate limit, no access log), on SQLite
  and on PostgreSQL: list pages (first, filtered, deep), a detail, every kind of HTML page and
  embed card, searches, a conditional GET, then the whole NDJSON export (rows/s, first byte,
  peak RSS; every line parsed, rows counted) and the workers' resident memory at the end;
- Datasette (latest from PyPI, in its own virtualenv in the run's temporary folder) on the same
  SQLite file, given an FTS5 index of the provisions so that `_search` works;
- the floor, bench/floor_app.py (Flask and one raw query: sqlite3, or psycopg on PostgreSQL),
  for each list page, on each database, the API's rows there held against it;
- the ceiling, bench/ceiling_app.py (a constant answer).
Then each API scenario again in this process, through the app's test client on the same
database: the median cost of a request, which moves less than wrk on a busy machine.
Prints a Markdown table with each target of the issue evaluated, and writes it with the machine,
versions and command between the results markers of docs/benchmarks.md; and writes a profile
of each scenario into docs/profiles/ (cProfile in-process; py-spy's stacks of the served
workers during the warm-up).
Exits non-zero only when setup fails.

    python -m bench.scale [--documents 100000] [--duration 10] [--export-seconds 300]
                          [--postgresql URL | --no-postgresql] [--no-docs]
"""

import argparse
import contextlib
import os
import sys
import tempfile
from pathlib import Path

from bench.scale.corpus import (
    Background,
    build_corpus,
    build_fts,
    checkpoint,
    measure_load_floors,
    prepare_postgresql,
)
from bench.scale.datasette import finish_datasette_install, start_datasette_install
from bench.scale.inprocess import measure_in_process
from bench.scale.picks import pick_values
from bench.scale.profiles import publish
from bench.scale.report import render_report, versions, write_docs
from bench.scale.run import (
    DEFAULT_DOCUMENTS,
    DEFAULT_DURATION,
    DEFAULT_EXPORT_SECONDS,
    DEFAULT_POSTGRESQL_URL,
    DEFAULT_ROUNDS,
    Run,
)
from bench.scale.scenarios import run_benchmarks
from bench.scale.wrk import find_wrk


def main() -> int:
    """Prepare the corpus and Datasette, measure every scenario, print and write the report."""
    run = Run(parse_arguments())
    wrk = find_wrk()
    with tempfile.TemporaryDirectory(prefix="bench-") as folder:
        run.folder = Path(folder)
        if not run.arguments.no_docs:
            run.profiles = run.folder / "profiles"
            run.profiles.mkdir()
        installer = start_datasette_install(run.folder)
        with contextlib.ExitStack() as stack:
            dataset = build_corpus(run)
            fts = Background(build_fts, run.sqlite_file)
            prepare_postgresql(run, stack, dataset)
            del dataset
            run.timings.append(f"FTS index for Datasette built in {fts.join():.0f} s")
            checkpoint(run.sqlite_file)
            measure_load_floors(run)
            run.datasette = finish_datasette_install(installer, run.folder)
            run.versions = versions(run, wrk)
            run.picks = pick_values(run.sqlite_file)
            run_benchmarks(run, wrk)
            measure_in_process(run)
            if run.profiles:
                publish(run.profiles)
    report = render_report(run)
    print(f"\n{report}")
    if not run.arguments.no_docs:
        write_docs(report)
    return 0


def parse_arguments() -> argparse.Namespace:
    parser = argparse.ArgumentParser(
        prog="python -m bench.scale", description=__doc__.splitlines()[0]
    )
    parser.add_argument(
        "--documents",
        type=int,
        default=DEFAULT_DOCUMENTS,
        help=f"synthetic documents (default {DEFAULT_DOCUMENTS:,}: about 1,000,000 provisions)",
    )
    parser.add_argument(
        "--duration", type=int, default=DEFAULT_DURATION, help="seconds of wrk per round"
    )
    parser.add_argument(
        "--rounds",
        type=int,
        default=DEFAULT_ROUNDS,
        help=f"rounds over every scenario, the best kept (default {DEFAULT_ROUNDS})",
    )
    parser.add_argument(
        "--export-seconds",
        type=int,
        default=DEFAULT_EXPORT_SECONDS,
        help="stop reading each export after this long (its rows are then not all checked)",
    )
    parser.add_argument(
        "--postgresql",
        metavar="URL",
        default=os.environ.get("BENCH_POSTGRESQL_URL", DEFAULT_POSTGRESQL_URL),
        help="PostgreSQL server to measure on (default: $BENCH_POSTGRESQL_URL, else "
        f"{DEFAULT_POSTGRESQL_URL}); a schema is created there and dropped",
    )
    parser.add_argument("--no-postgresql", action="store_true", help="measure SQLite only")
    parser.add_argument(
        "--no-docs",
        action="store_true",
        help="print the results only, leave docs/ (the results, docs/profiles/) alone",
    )
    return parser.parse_args()


if __name__ == "__main__":
    sys.exit(main())
