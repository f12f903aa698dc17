"""`make bench`: the API at about a million provisions, against Datasette, a floor and a ceiling.

A synthetic corpus (`synthetic_dataset(documents, seed=1)`) is built once and loaded into a
temporary SQLite file and into a fresh schema of a PostgreSQL server (BENCH_POSTGRESQL_URL,
dropped at the end; skipped, and said so, when the server cannot be reached). On 127.0.0.1
only, these are served one at a time and measured with `wrk -t2 -c16 --latency`:
- the API under gunicorn (gunicorn.conf.py, 2 workers, no rate limit, no access log), on SQLite
  and on PostgreSQL: list pages (first, filtered, deep), a detail, searches, a conditional GET,
  then the whole NDJSON export (rows/s, first byte, peak RSS; every line parsed, rows counted);
- Datasette (latest from PyPI, in its own virtualenv in the run's temporary folder) on the same
  SQLite file, given an FTS5 index of the provisions so that `_search` works;
- the floor, bench/floor_app.py (Flask + raw sqlite3, one query), for each list page;
- the ceiling, bench/ceiling_app.py (a constant answer).
Prints a Markdown table with each target of the issue evaluated, and writes it with the machine,
versions and command between the results markers of docs/benchmarks.md.
Exits non-zero only when setup fails.

    python bench/scale.py [--documents 100000] [--duration 10] [--export-seconds 300]
                          [--postgresql URL | --no-postgresql] [--no-docs]
"""

import argparse
import contextlib
import datetime
import importlib.metadata
import os
import platform
import re
import shlex
import shutil
import sqlite3
import subprocess
import sys
import tempfile
import threading
import time
import urllib.parse
import uuid
from dataclasses import dataclass, field
from pathlib import Path

from export_memory import read_export
from itsdangerous import URLSafeSerializer
from servers import (
    BENCH,
    HOST,
    REPO_ROOT,
    PeakSampler,
    Server,
    gunicorn_command,
    reset_peak_rss,
    rss_kilobytes,
    total_cpu_seconds,
)
from sqlalchemy import create_engine, text

from api import create_app
from api.queries.pagination import CURSOR_SALT
from api.seeding import load_dataset
from api.storage import database
from api.synthetic import EVERY_PROVISION_WORD, synthetic_dataset

DEFAULT_DOCUMENTS = 100_000  # about 1,000,000 provisions
DEFAULT_DURATION = 10
DEFAULT_EXPORT_SECONDS = 300
DEFAULT_POSTGRESQL_URL = "postgresql+psycopg://postgres@127.0.0.1:5432/test"
DOCS = REPO_ROOT / "docs" / "benchmarks.md"
START_MARKER = "<!-- bench:results:start -->"
END_MARKER = "<!-- bench:results:end -->"
SEED = 1
SECRET_KEY = "scale-benchmark-key"  # the API signs cursors with it; the deep cursor too
WRK_THREADS, WRK_CONNECTIONS = 2, 16
WARMUP_SECONDS = 2  # an unrecorded wrk run before each measured one
IDLE_WAIT_SECONDS = 180
WRK_TIMEOUT = "30s"  # slow answers are measured, not dropped as timeouts (wrk's default: 2 s)
DATASETTE_DB = "bench"  # the file is bench.db, so Datasette serves it as /bench
FTS_TABLE = "provisions_fts"  # Datasette finds it by its content="provisions"
EXPORT_PATH = "/v1/export/provisions.ndjson"
SQLITE, POSTGRESQL, DATASETTE, FLOOR, CEILING = (
    "SQLite",
    "PostgreSQL",
    "Datasette",
    "floor",
    "ceiling",
)
FIRST, DEEP, DETAIL, CONDITIONAL, EXPORT = "first", "deep", "detail", "conditional", "export"
RARE, EVERY = "search:rare", "search:every"
LIST_KEYS = (FIRST, "filter:modality", DEEP)  # the list pages the floor serves too
# Targets of the issue.
DATASETTE_FACTOR = 5.0  # first page, detail, deep page: ≥ 5x Datasette's requests/s
FILTER_FACTOR = 0.7  # every filter: ≥ 0.7x the unfiltered first page
FLOOR_FACTOR = 0.4  # each list page: ≥ 0.4x the Flask + sqlite3 floor for the same rows
CEILING_FACTOR = 0.7  # conditional GET: ≥ 0.7x the constant-response ceiling
SEARCH_P99_MS = 250.0
EXPORT_ROWS_PER_SECOND = 50_000
EXPORT_PEAK_MB = 250.0
NOTES = {
    DETAIL: "Datasette: one provisions row; the API: a document and its provisions tree",
    RARE: "the API: /v1/search, every kind of record; Datasette: provisions only",
    EVERY: "the API: /v1/search, every kind of record; Datasette: provisions only",
}


@dataclass
class WrkResult:
    requests_per_second: float
    p50_ms: float
    p99_ms: float
    requests: int
    bad_statuses: int
    socket_errors: int


@dataclass
class Scenario:
    key: str
    label: str
    path: str
    headers: dict | None = None


@dataclass
class Export:
    rows: int
    expected_rows: int
    complete: bool
    seconds: float
    first_byte_seconds: float
    baseline_mb: float
    peak_mb: float

    @property
    def rows_per_second(self) -> float:
        return self.rows / self.seconds if self.seconds else 0.0


@dataclass
class Picks:
    """Values taken from the loaded file, so that every filter and page has rows to show."""

    provisions: int
    deep_keys: tuple  # (document_id, position, id) of row N/2 in the API's order
    deep_id: str  # id of row N/2 in id order (Datasette's)
    detail_document: str
    detail_provision: str
    filters: dict  # scenario key -> query string
    rare_candidates: list  # (term, provisions with it), rarest first


@dataclass
class Run:
    arguments: argparse.Namespace
    started: float = field(default_factory=time.monotonic)
    started_at: datetime.datetime = field(
        default_factory=lambda: datetime.datetime.now(datetime.UTC)
    )
    folder: Path | None = None
    sqlite_file: Path | None = None
    postgresql_url: str | None = None  # with the benchmark's schema selected
    postgresql_version: str = "(skipped)"
    postgresql_skipped: str | None = None
    datasette: Path | None = None
    picks: Picks | None = None
    rare_word: str | None = None
    versions: str = ""
    scenarios: dict = field(default_factory=dict)  # database -> [Scenario]
    results: dict = field(default_factory=dict)  # (system, key) -> WrkResult
    exports: dict = field(default_factory=dict)  # database -> Export
    expected_ids: dict = field(default_factory=dict)  # list key -> ids of the API's page
    notes: list = field(default_factory=list)
    timings: list = field(default_factory=list)


def main() -> int:
    run = Run(parse_arguments())
    wrk = find_wrk()
    with tempfile.TemporaryDirectory(prefix="bench-") as folder:
        run.folder = Path(folder)
        installer = start_datasette_install(run.folder)
        with contextlib.ExitStack() as stack:
            dataset = build_corpus(run)
            fts = Background(build_fts, run.sqlite_file)
            prepare_postgresql(run, stack, dataset)
            del dataset
            run.timings.append(f"FTS index for Datasette built in {fts.join():.0f} s")
            checkpoint(run.sqlite_file)
            run.datasette = finish_datasette_install(installer, run.folder)
            run.versions = versions(run, wrk)
            run.picks = pick_values(run.sqlite_file)
            run_benchmarks(run, wrk)
    report = render_report(run, wrk)
    print(f"\n{report}")
    if not run.arguments.no_docs:
        write_docs(report)
    return 0


def parse_arguments() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--documents",
        type=int,
        default=DEFAULT_DOCUMENTS,
        help=f"synthetic documents (default {DEFAULT_DOCUMENTS:,}: about 1,000,000 provisions)",
    )
    parser.add_argument(
        "--duration", type=int, default=DEFAULT_DURATION, help="seconds of wrk per scenario"
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
        "--no-docs", action="store_true", help="print the results only, leave docs/ alone"
    )
    return parser.parse_args()


def log(run: Run, message: str) -> None:
    elapsed = time.monotonic() - run.started
    print(f"[{elapsed // 60:02.0f}:{elapsed % 60:02.0f}] {message}", file=sys.stderr, flush=True)


def find_wrk() -> str:
    """wrk's path, installing it with apt-get if it is missing."""
    if not shutil.which("wrk"):
        print("wrk is missing: apt-get install -y wrk", file=sys.stderr)
        subprocess.run(["apt-get", "install", "-y", "wrk"], check=False)
    return shutil.which("wrk") or sys.exit("wrk is not installed and apt-get could not install it")


class Background:
    """A function running in a thread (SQLite releases the GIL while it works)."""

    def __init__(self, function, *arguments):
        self.error: BaseException | None = None
        self.seconds = 0.0
        self.thread = threading.Thread(target=self.run, args=(function, *arguments), daemon=True)
        self.thread.start()

    def run(self, function, *arguments) -> None:
        started = time.perf_counter()
        try:
            function(*arguments)
        except BaseException as error:
            self.error = error
        self.seconds = time.perf_counter() - started

    def join(self) -> float:
        self.thread.join()
        if self.error:
            raise self.error
        return self.seconds


# Corpus


def build_corpus(run: Run):
    """Build the synthetic dataset once and load it into a new SQLite file; the dataset."""
    documents = run.arguments.documents
    log(run, f"building synthetic_dataset(documents={documents:,}, seed={SEED})")
    started = time.perf_counter()
    dataset = synthetic_dataset(documents=documents, seed=SEED)
    built = time.perf_counter() - started
    run.sqlite_file = run.folder / f"{DATASETTE_DB}.db"
    log(run, f"built in {built:.0f} s; loading into SQLite")
    provisions = load_into(f"sqlite:///{run.sqlite_file}", dataset)
    loaded = time.perf_counter() - started - built
    run.timings.append(f"built {documents:,} documents in {built:.0f} s")
    run.timings.append(f"loaded {provisions:,} provisions into SQLite in {loaded:.0f} s")
    log(run, f"loaded {provisions:,} provisions into SQLite in {loaded:.0f} s")
    return dataset


def load_into(database_url: str, dataset) -> int:
    """Create the schema at `database_url` and load `dataset`; the provisions loaded.

    No statement timeout: a million rows take longer than the served API's 10 s, and on
    PostgreSQL the load waits for the loaders' advisory lock if a test suite holds it.
    """
    app = create_app({"DATABASE_URL": database_url, "STATEMENT_TIMEOUT_MS": 0})
    with app.app_context():
        database.upgrade_schema()
        counts = load_dataset(database.engine(), dataset)
        database.engine().dispose()
    return counts["provisions"]


def build_fts(sqlite_file: Path) -> None:
    """An external-content FTS5 index of the provisions, the kind Datasette's `_search` uses."""
    with contextlib.closing(sqlite3.connect(sqlite_file)) as connection:
        columns = 'action, summary, text, content="provisions"'
        connection.execute(f"CREATE VIRTUAL TABLE {FTS_TABLE} USING fts5({columns})")
        connection.execute(f"INSERT INTO {FTS_TABLE}({FTS_TABLE}) VALUES('rebuild')")
        connection.commit()


def checkpoint(sqlite_file: Path) -> None:
    """Fold the WAL into the file and analyze it, so Datasette (immutable) sees every row."""
    with contextlib.closing(sqlite3.connect(sqlite_file)) as connection:
        connection.execute("ANALYZE")
        connection.execute("PRAGMA wal_checkpoint(TRUNCATE)")


def prepare_postgresql(run: Run, stack: contextlib.ExitStack, dataset) -> None:
    """Load the dataset into a new schema of the PostgreSQL server, or say why not."""
    if run.arguments.no_postgresql:
        run.postgresql_skipped = "--no-postgresql"
        return
    server_url = run.arguments.postgresql
    schema = f"bench_{uuid.uuid4().hex[:8]}"
    try:
        engine = create_engine(server_url, connect_args={"connect_timeout": 5})
        with engine.begin() as connection:
            run.postgresql_version = connection.execute(text("SHOW server_version")).scalar()
            connection.execute(text(f'CREATE SCHEMA "{schema}"'))
        engine.dispose()
    except Exception as error:  # unreachable, refused, not PostgreSQL: measure SQLite only
        run.postgresql_skipped = f"{redact(server_url)} could not be used: {first_line(error)}"
        log(run, f"PostgreSQL skipped: {run.postgresql_skipped}")
        return
    stack.callback(drop_schema, server_url, schema)
    separator = "&" if "?" in server_url else "?"
    url = f"{server_url}{separator}options=-csearch_path%3D{schema}"
    log(run, f"loading into PostgreSQL {run.postgresql_version}, schema {schema}")
    started = time.perf_counter()
    try:
        load_into(url, dataset)
    except Exception as error:
        run.postgresql_skipped = f"loading failed: {first_line(error)}"
        log(run, f"PostgreSQL skipped: {run.postgresql_skipped}")
        return
    seconds = time.perf_counter() - started
    run.timings.append(f"loaded into PostgreSQL in {seconds:.0f} s")
    log(run, f"loaded into PostgreSQL in {seconds:.0f} s")
    started = time.perf_counter()
    vacuum(url)
    seconds = time.perf_counter() - started
    run.timings.append(f"VACUUM on PostgreSQL in {seconds:.0f} s (see vacuum)")
    log(run, f"VACUUM on PostgreSQL in {seconds:.0f} s")
    run.postgresql_url = url


def vacuum(url: str) -> None:
    """VACUUM the loaded schema, as autovacuum would some minutes after a load: its pages
    become all-visible, so that filtered pages are read from their indexes alone, and its
    work does not run during the scenarios, slowing whichever is measured then."""
    engine = create_engine(url, isolation_level="AUTOCOMMIT")
    try:
        with engine.connect() as connection:
            tables = connection.execute(
                text("SELECT tablename FROM pg_tables WHERE schemaname = current_schema()")
            ).scalars()
            names = ", ".join(f'"{table}"' for table in tables)
            connection.execute(text(f"VACUUM {names}"))  # a bare VACUUM: every schema's
    finally:
        engine.dispose()


def drop_schema(server_url: str, schema: str) -> None:
    """Drop the benchmark's schema; say so, rather than lose the results, if that fails."""
    from sqlalchemy import create_engine, text

    engine = create_engine(server_url, connect_args={"connect_timeout": 5})
    try:
        with engine.begin() as connection:
            connection.execute(text(f'DROP SCHEMA "{schema}" CASCADE'))
    except Exception as error:
        print(f"could not drop schema {schema}: {first_line(error)}", file=sys.stderr)
    finally:
        engine.dispose()


def redact(url: str) -> str:
    from sqlalchemy.engine import make_url

    return make_url(url).render_as_string(hide_password=True)


def first_line(error: BaseException) -> str:
    lines = str(error).strip().splitlines() or [""]
    return f"{type(error).__name__}: {lines[0][:200]}"


def query_one(sqlite_file: Path, sql: str, parameters: tuple = ()) -> tuple:
    uri = f"file:{sqlite_file}?mode=ro"
    with contextlib.closing(sqlite3.connect(uri, uri=True)) as connection:
        return connection.execute(sql, parameters).fetchone()


def pick_values(sqlite_file: Path) -> Picks:
    """The values the scenarios use, from the loaded file: common ones, so pages are full."""

    def most_common(column: str, table: str) -> str:
        return query_one(
            sqlite_file,
            f"SELECT {column} FROM {table} WHERE {column} IS NOT NULL "
            f"GROUP BY {column} ORDER BY count(*) DESC, {column} LIMIT 1",
        )[0]

    def rarest_filling_a_page(column: str, table: str) -> str:
        return query_one(
            sqlite_file,
            f"SELECT {column} FROM {table} GROUP BY {column} HAVING count(*) >= 20 "
            f"ORDER BY count(*), {column} LIMIT 1",
        )[0]

    provisions = query_one(sqlite_file, "SELECT count(*) FROM provisions")[0]
    deep_keys = query_one(
        sqlite_file,
        "SELECT document_id, position, id FROM provisions "
        "ORDER BY document_id, position, id LIMIT 1 OFFSET ?",
        (provisions // 2,),
    )
    deep_id = query_one(
        sqlite_file, "SELECT id FROM provisions ORDER BY id LIMIT 1 OFFSET ?", (provisions // 2,)
    )[0]
    filters = {
        "filter:modality": {"modality": "directs"},
        "filter:binding": {"binding": "false"},
        "filter:topic": {"topic": most_common("topic", "provision_topics")},
        "filter:addressee": {"addressee": most_common("actor_id", "provision_addressees")},
        "filter:addressee (rare)": {
            "addressee": rarest_filling_a_page("actor_id", "provision_addressees")
        },
        "filter:topic (rare)": {"topic": rarest_filling_a_page("topic", "provision_topics")},
        "filter:actor": {"actor": most_common("actor_id", "provisions")},
        "filter:document": {"document": most_common("document_id", "provisions")},
    }
    uri = f"file:{sqlite_file}?mode=ro"
    with contextlib.closing(sqlite3.connect(uri, uri=True)) as connection:
        connection.execute(
            f"CREATE VIRTUAL TABLE temp.vocabulary USING fts5vocab(main, {FTS_TABLE}, row)"
        )
        rare = connection.execute(
            "SELECT term, doc FROM temp.vocabulary WHERE length(term) >= 5 "
            "AND term NOT GLOB '*[^a-z]*' ORDER BY doc, term LIMIT 50"
        ).fetchall()
    return Picks(
        provisions=provisions,
        deep_keys=deep_keys,
        deep_id=deep_id,
        detail_document=query_one(sqlite_file, "SELECT min(document_id) FROM provisions")[0],
        detail_provision=query_one(sqlite_file, "SELECT min(id) FROM provisions")[0],
        filters={key: urllib.parse.urlencode(value) for key, value in filters.items()},
        rare_candidates=rare,
    )


# Datasette, in its own virtualenv


def start_datasette_install(folder: Path) -> subprocess.Popen:
    """Create a virtualenv under `folder` and pip install datasette into it, in the background."""
    venv = folder / "datasette-venv"
    script = f"'{sys.executable}' -m venv '{venv}' && '{venv}/bin/pip' install -q datasette"
    log_file = (folder / "datasette-install.log").open("wb")
    return subprocess.Popen(["sh", "-c", script], stdout=log_file, stderr=subprocess.STDOUT)


def finish_datasette_install(installer: subprocess.Popen, folder: Path) -> Path:
    """Wait for the install; the datasette executable."""
    if installer.wait() != 0:
        log_text = (folder / "datasette-install.log").read_text(errors="replace")
        raise SystemExit(f"installing datasette failed:\n{log_text}")
    return folder / "datasette-venv" / "bin" / "datasette"


# Servers


def gunicorn(name: str, app: str, environment: dict, folder: Path, settings: Path) -> Server:
    """A gunicorn of the project's settings: 2 workers, no access log, on a free port."""
    command = gunicorn_command(
        app, "--workers", "2", "--access-logfile", "/dev/null", config=settings
    )
    return Server(name, command, environment, folder)


def api_server(database_url: str, folder: Path, name: str) -> Server:
    environment = {
        "DATABASE_URL": database_url,
        "RATELIMIT_ENABLED": "false",
        "SECRET_KEY": SECRET_KEY,
        "EXPORT_FOLDER": str(folder / "exports"),
    }
    return gunicorn(name, "api:create_app()", environment, folder, REPO_ROOT / "gunicorn.conf.py")


def floor_server(sqlite_file: Path, folder: Path) -> Server:
    environment = {"FLOOR_DATABASE": str(sqlite_file)}
    return gunicorn("floor", "floor_app:app", environment, folder, BENCH / "plain_gunicorn.conf.py")


def ceiling_server(folder: Path) -> Server:
    return gunicorn("ceiling", "ceiling_app:app", {}, folder, BENCH / "plain_gunicorn.conf.py")


def datasette_server(datasette: Path, sqlite_file: Path, folder: Path) -> Server:
    command = [str(datasette), "serve", "--immutable", str(sqlite_file), "-p", "{port}"]
    command += ["-h", HOST, "--setting", "sql_time_limit_ms", "10000"]
    command += ["--setting", "default_page_size", "20"]
    # Facet suggestions cost Datasette ~80 ms a table page: off, so it is the stronger baseline.
    command += ["--setting", "suggest_facets", "off"]
    return Server("datasette", command, {}, folder)


# wrk


def run_wrk(wrk: str, url: str, duration: int, headers: dict | None = None) -> WrkResult:
    """`wrk -t2 -c16 -d<duration>s --latency` against one URL; its figures."""
    command = [wrk, f"-t{WRK_THREADS}", f"-c{WRK_CONNECTIONS}", f"-d{duration}s", "--latency"]
    command += ["--timeout", WRK_TIMEOUT]
    for name, value in (headers or {}).items():
        command += ["-H", f"{name}: {value}"]
    completed = subprocess.run(
        [*command, url], capture_output=True, text=True, timeout=duration + 120
    )
    if completed.returncode != 0:
        raise SystemExit(f"wrk failed on {url}: {completed.stderr}")
    return parse_wrk(completed.stdout)


def parse_wrk(output: str) -> WrkResult:
    """Requests/s, p50 and p99 latency (ms), requests, non-2xx/3xx answers, socket errors."""
    percentiles = dict(re.findall(r"^\s+(50|99)(?:\.000)?%\s+(\S+)\s*$", output, re.MULTILINE))
    errors = re.search(
        r"Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)", output
    )
    bad = re.search(r"Non-2xx or 3xx responses: (\d+)", output)
    return WrkResult(
        requests_per_second=float(re.search(r"Requests/sec:\s+([\d.]+)", output).group(1)),
        p50_ms=milliseconds(percentiles.get("50", "0ms")),
        p99_ms=milliseconds(percentiles.get("99", "0ms")),
        requests=int(re.search(r"(\d+) requests in", output).group(1)),
        bad_statuses=int(bad.group(1)) if bad else 0,
        socket_errors=sum(int(n) for n in errors.groups()) if errors else 0,
    )


def milliseconds(text: str) -> float:
    """wrk's `1.23ms`, `456.00us`, `1.20s` or `2.00m` in milliseconds."""
    number, unit = re.fullmatch(r"([\d.]+)(us|ms|s|m)", text).groups()
    return float(number) * {"us": 0.001, "ms": 1.0, "s": 1000.0, "m": 60_000.0}[unit]


def wait_until_idle(run: Run, server: Server) -> None:
    """Wait (at most IDLE_WAIT_SECONDS) until the server's processes use under 5% of a CPU."""
    pids = server.pids()
    deadline = time.monotonic() + IDLE_WAIT_SECONDS
    before = total_cpu_seconds(pids)
    while time.monotonic() < deadline:
        time.sleep(1)
        after = total_cpu_seconds(pids)
        if after - before < 0.05:
            return
        before = after
    log(run, f"{server.name} still busy after {IDLE_WAIT_SECONDS} s")


def measure(run: Run, wrk: str, server: Server, path: str, headers: dict | None = None):
    """Idle, an unrecorded warm-up, idle again, then the measured wrk run."""
    log(run, f"wrk {server.name} {path[:100]}")
    wait_until_idle(run, server)  # abandoned slow requests of the last scenario still run
    run_wrk(wrk, server.url(path), WARMUP_SECONDS, headers)  # caches and pools filled
    wait_until_idle(run, server)  # and the warm-up's abandoned requests done
    return run_wrk(wrk, server.url(path), run.arguments.duration, headers)


# Scenarios


def run_benchmarks(run: Run, wrk: str) -> None:
    """Serve each system in turn, check its answers and measure every scenario on it."""
    databases = [(SQLITE, f"sqlite:///{run.sqlite_file}")]
    if run.postgresql_url:
        databases.append((POSTGRESQL, run.postgresql_url))
    for name, url in databases:
        with api_server(url, run.folder, name=f"api-{name.lower()}") as api:
            scenarios = api_scenarios(run, api, name)
            run.scenarios[name] = scenarios
            for scenario in scenarios:
                run.results[name, scenario.key] = measure(
                    run, wrk, api, scenario.path, scenario.headers
                )
            log(run, f"export on {name}")
            run.exports[name] = measure_export(run, api)
    with floor_server(run.sqlite_file, run.folder) as floor:
        for key, path in floor_paths(run, floor).items():
            run.results[FLOOR, key] = measure(run, wrk, floor, path)
    with ceiling_server(run.folder) as ceiling:
        run.results[CEILING, CONDITIONAL] = measure(run, wrk, ceiling, "/")
    with datasette_server(run.datasette, run.sqlite_file, run.folder) as datasette:
        for key, path in datasette_paths(run, datasette).items():
            run.results[DATASETTE, key] = measure(run, wrk, datasette, path)


def api_scenarios(run: Run, api: Server, database_name: str) -> list[Scenario]:
    """The API's scenarios on one database, each checked to answer as expected."""
    picks = run.picks
    first_page = "/v1/provisions?limit=20"
    scenarios = [Scenario(FIRST, "first page", first_page)]
    for key, query in picks.filters.items():
        scenarios.append(Scenario(key, f"filter {query}", f"/v1/provisions?{query}&limit=20"))
    scenarios += [
        Scenario(DEEP, "deep page (after row N/2)", deep_cursor_path(api, picks)),
        Scenario(
            DETAIL,
            "detail (document + provisions)",
            f"/v1/documents/{picks.detail_document}?include=provisions",
        ),
    ]
    if database_name == SQLITE:
        choose_rare_word(run, api)
    if run.rare_word:
        rare = run.rare_word
        scenarios.append(Scenario(RARE, f"search rare word ({rare})", f"/v1/search?q={rare}"))
    scenarios.append(
        Scenario(
            EVERY,
            f"search every-row word ({EVERY_PROVISION_WORD})",
            f"/v1/search?q={EVERY_PROVISION_WORD}",
        )
    )
    for scenario in scenarios:
        body, _ = api.json(scenario.path)
        if not body.get("provisions" if scenario.key == DETAIL else "data"):
            raise SystemExit(f"{api.name}: GET {scenario.path} gave no data: {str(body)[:300]}")
        if database_name == SQLITE and scenario.key in LIST_KEYS:
            run.expected_ids[scenario.key] = [item["id"] for item in body["data"]]
    _, headers = api.json(first_page)
    conditional = {"If-None-Match": headers.get("ETag", "")}
    status, _, _ = api.get(first_page, conditional)
    if status != 304:
        raise SystemExit(f"{api.name}: a conditional GET of {first_page} answered {status}")
    scenarios.append(Scenario(CONDITIONAL, "conditional first page (304)", first_page, conditional))
    return scenarios


def deep_cursor_path(api: Server, picks: Picks) -> str:
    """A next-page URL starting after row N/2 (document order), signed like the API's own.

    Walking 500,000 rows 100 at a time takes too long; so the real cursor of the first page is
    decoded and its sort keys replaced by those of row N/2, keeping its filter fingerprint.
    """
    body, _ = api.json("/v1/provisions?limit=20")
    next_link = body["links"]["next"]
    cursor = urllib.parse.parse_qs(urllib.parse.urlsplit(next_link).query)["cursor"][0]
    serializer = URLSafeSerializer(SECRET_KEY, salt=CURSOR_SALT)
    payload = serializer.loads(cursor)
    if len(payload["k"]) != len(picks.deep_keys):
        raise SystemExit(f"unexpected cursor payload {payload}: sort keys changed?")
    payload["k"] = list(picks.deep_keys)
    path = f"/v1/provisions?limit=20&cursor={serializer.dumps(payload)}"
    page, _ = api.json(path)
    if not page["data"] or page["data"][0]["document"] < picks.deep_keys[0]:
        raise SystemExit(f"the deep cursor did not land after {picks.deep_keys}: {page['data']}")
    return path


def choose_rare_word(run: Run, api: Server) -> None:
    """The rarest plain word of the provisions' FTS vocabulary that /v1/search finds."""
    for term, rows in run.picks.rare_candidates:
        body, _ = api.json(f"/v1/search?q={term}&limit=1")
        if body["data"]:
            run.rare_word = term
            plural = "" if rows == 1 else "s"
            run.notes.append(f"Rare word: `{term}`, in {rows:,} provision{plural}.")
            return
    run.notes.append("None of the 50 rarest words is found by /v1/search: rare search skipped.")


def floor_paths(run: Run, floor: Server) -> dict:
    """The floor's pages, by the API scenario they are compared with, checked to be its rows."""
    document, position, id_ = run.picks.deep_keys
    after = {"after_document": document, "after_position": position, "after_id": id_}
    paths = {
        FIRST: "/provisions",
        "filter:modality": "/provisions?modality=directs",
        DEEP: f"/provisions?{urllib.parse.urlencode(after)}",
    }
    for key, path in paths.items():
        body, _ = floor.json(path)
        ids = [row["id"] for row in body["data"]]
        if ids != run.expected_ids.get(key):
            run.notes.append(f"the floor's {key} page differs from the API's: {ids[:3]}…")
    return paths


def datasette_paths(run: Run, server: Server) -> dict:
    """Datasette's equivalents, by the API scenario they are compared with."""
    picks = run.picks
    table = f"/{DATASETTE_DB}/provisions"
    paths = {
        FIRST: f"{table}.json?_size=20",
        "filter:modality": f"{table}.json?modality=directs&_size=20",
        DEEP: f"{table}.json?_size=20&_next={tilde_encode(run.datasette, picks.deep_id)}",
        DETAIL: f"{table}/{tilde_encode(run.datasette, picks.detail_provision)}.json",
        EVERY: f"{table}.json?_search={EVERY_PROVISION_WORD}&_size=20",
    }
    if run.rare_word:
        paths[RARE] = f"{table}.json?_search={run.rare_word}&_size=20"
    for path in paths.values():
        body, _ = server.json(path)
        if not body.get("rows"):
            raise SystemExit(
                f"datasette: GET {path} gave no rows (is {FTS_TABLE} detected?): {str(body)[:300]}"
            )
    return paths


def tilde_encode(datasette: Path, value: str) -> str:
    """Datasette's own encoding of a primary key in a URL, from its virtualenv."""
    python = datasette.with_name("python")
    code = "import sys; from datasette.utils import tilde_encode; print(tilde_encode(sys.argv[1]))"
    return subprocess.run(
        [str(python), "-c", code, value], capture_output=True, text=True, check=True
    ).stdout.strip()


# Export


def measure_export(run: Run, api: Server) -> Export:
    """Read the whole provisions export (at most --export-seconds): rows/s, first byte, peak RSS.

    Every line is parsed as JSON; the workers' peak RSS is reset first (so it is the export's
    own, not an earlier scenario's) and sampled every 10 ms.
    """
    wait_until_idle(run, api)
    workers = api.worker_pids()
    baseline = max(rss_kilobytes(pid, "VmRSS") for pid in workers)
    reset = reset_peak_rss(workers)
    with PeakSampler(workers) as sampler:
        read = read_export(api.url(EXPORT_PATH), run.arguments.export_seconds)
    peak = sampler.peak
    if reset:
        peak = max(peak, *(rss_kilobytes(pid, "VmHWM") for pid in workers))
    return Export(
        rows=read.lines,
        expected_rows=run.picks.provisions,
        complete=read.complete,
        seconds=read.seconds,
        first_byte_seconds=read.first_byte_seconds,
        baseline_mb=baseline / 1024,
        peak_mb=peak / 1024,
    )


# Targets


@dataclass
class Check:
    """One target: `value` must be ≥ `bound` (at_least) or < `bound`."""

    name: str  # what the value is, e.g. "x Datasette"
    value: float | None
    bound: float
    at_least: bool = True

    @property
    def met(self) -> bool:
        if self.value is None:
            return False
        return self.value >= self.bound if self.at_least else self.value < self.bound

    def describe(self) -> str:
        if self.value is None:
            return f"no {self.name.removeprefix('x ')} figure"
        shown = {
            "p99 ms": f"p99 {self.value:,.0f} ms",
            "rows/s": f"{self.value:,.0f} rows/s",
            "peak MB": f"peak {self.value:,.0f} MB",
        }.get(self.name, f"{self.value:.2f}{self.name}")
        if self.met:
            return shown
        if self.at_least and not self.value:
            return f"{shown} (none at all)"
        factor = self.bound / self.value if self.at_least else self.value / self.bound
        digits = 2 if factor < 10 else 1
        return f"{shown} ({factor:.{digits}f}x {'short' if self.at_least else 'over'})"


def requests_ratio(numerator: WrkResult | None, denominator: WrkResult | None) -> float | None:
    if not numerator or not denominator or not denominator.requests_per_second:
        return None
    return numerator.requests_per_second / denominator.requests_per_second


def checks(run: Run, database_name: str, key: str) -> list[Check]:
    """The issue's targets for one scenario on one database."""
    api = run.results.get((database_name, key))
    if key == EXPORT:
        export = run.exports[database_name]
        return [
            Check("rows/s", export.rows_per_second, EXPORT_ROWS_PER_SECOND),
            Check("peak MB", export.peak_mb, EXPORT_PEAK_MB, at_least=False),
        ]
    found = []
    if key in (FIRST, DEEP, DETAIL):
        ratio = requests_ratio(api, run.results.get((DATASETTE, key)))
        found.append(Check("x Datasette", ratio, DATASETTE_FACTOR))
    if key.startswith("filter:"):
        ratio = requests_ratio(api, run.results.get((database_name, FIRST)))
        found.append(Check("x first page", ratio, FILTER_FACTOR))
    if key in LIST_KEYS:
        found.append(
            Check("x floor", requests_ratio(api, run.results.get((FLOOR, key))), FLOOR_FACTOR)
        )
    if key in (RARE, EVERY):
        p99 = api.p99_ms if api.requests else None
        found.append(Check("p99 ms", p99, SEARCH_P99_MS, at_least=False))
    if key == CONDITIONAL:
        ratio = requests_ratio(api, run.results.get((CEILING, CONDITIONAL)))
        found.append(Check("x ceiling", ratio, CEILING_FACTOR))
    return found


def target_text(key: str) -> str:
    if key == EXPORT:
        return f"≥ {EXPORT_ROWS_PER_SECOND:,} rows/s, peak < {EXPORT_PEAK_MB:.0f} MB"
    parts = []
    if key in (FIRST, DEEP, DETAIL):
        parts.append(f"≥ {DATASETTE_FACTOR:g}x Datasette")
    if key.startswith("filter:"):
        parts.append(f"≥ {FILTER_FACTOR:g}x first page")
    if key in LIST_KEYS:
        parts.append(f"≥ {FLOOR_FACTOR:g}x floor")
    if key in (RARE, EVERY):
        parts.append(f"p99 < {SEARCH_P99_MS:.0f} ms")
    if key == CONDITIONAL:
        parts.append(f"≥ {CEILING_FACTOR:g}x ceiling")
    return ", ".join(parts)


def met_text(found: list[Check], result: WrkResult | None) -> str:
    problems = []
    if result and (result.bad_statuses or result.socket_errors):
        problems.append(f"{result.bad_statuses} non-2xx/3xx, {result.socket_errors} socket errors")
    verdict = "yes" if found and all(c.met for c in found) and not problems else "**no**"
    return f"{verdict}: " + "; ".join([*(c.describe() for c in found), *problems])


# Report


def rate(result: WrkResult | None) -> str:
    if not result:
        return "—"
    value = result.requests_per_second
    return f"{value:,.1f}" if value < 10 else f"{value:,.0f}"


def ms(value: float) -> str:
    return f"{value:,.1f}" if value < 100 else f"{value:,.0f}"


def ratio_cell(value: float | None) -> str:
    return "—" if value is None else f"{value:.2f}"


HEADER = (
    "scenario",
    "API req/s",
    "p50 ms",
    "p99 ms",
    "Datasette req/s",
    "Datasette p99 ms",
    "API/Datasette",
    "API/floor",
    "API/ceiling",
    "target",
    "met?",
    "notes",
)


def table_rows(run: Run) -> list[list[str]]:
    rows = []
    for database_name, scenarios in run.scenarios.items():
        suffix = "" if database_name == SQLITE else f" [{database_name}]"
        ceiling = run.results.get((CEILING, CONDITIONAL))
        for scenario in scenarios:
            api = run.results[database_name, scenario.key]
            other = run.results.get((DATASETTE, scenario.key))
            notes = [NOTES.get(scenario.key, "")]
            if api.requests < WRK_CONNECTIONS:
                notes.append(f"only {api.requests} answers in {run.arguments.duration} s")
            rows.append(
                [
                    f"{scenario.label}{suffix}",
                    rate(api),
                    ms(api.p50_ms),
                    ms(api.p99_ms),
                    rate(other),
                    ms(other.p99_ms) if other else "—",
                    ratio_cell(requests_ratio(api, other)),
                    ratio_cell(requests_ratio(api, run.results.get((FLOOR, scenario.key)))),
                    ratio_cell(requests_ratio(api, ceiling)),
                    target_text(scenario.key),
                    met_text(checks(run, database_name, scenario.key), api),
                    "; ".join(note for note in notes if note),
                ]
            )
        export = run.exports[database_name]
        rows.append(
            [
                f"export NDJSON{suffix}",
                *["—"] * 8,
                target_text(EXPORT),
                met_text(checks(run, database_name, EXPORT), None),
                export_note(export),
            ]
        )
    if run.postgresql_skipped:
        rows.append(["PostgreSQL: skipped", *["—"] * 10, run.postgresql_skipped])
    references = [
        ("floor: first page (Flask + sqlite3)", run.results.get((FLOOR, FIRST))),
        ("floor: modality=directs", run.results.get((FLOOR, "filter:modality"))),
        ("floor: deep page", run.results.get((FLOOR, DEEP))),
        ("ceiling: constant response", run.results.get((CEILING, CONDITIONAL))),
    ]
    for name, result in references:
        if result:
            rows.append([name, rate(result), ms(result.p50_ms), ms(result.p99_ms), *["—"] * 8])
    return rows


def export_note(export: Export) -> str:
    if export.complete:
        counted = (
            f"all {export.rows:,} rows, each line JSON"
            if export.rows == export.expected_rows
            else f"**{export.rows:,} lines for {export.expected_rows:,} provisions**"
        )
    else:
        counted = f"cut after {export.seconds:.0f} s at {export.rows:,} rows (not all checked)"
    return (
        f"{counted}; {export.seconds:.1f} s, first byte {export.first_byte_seconds:.2f} s; "
        f"worker RSS {export.baseline_mb:.0f} MB before"
    )


def markdown_table(rows: list[list[str]]) -> str:
    lines = ["| " + " | ".join(HEADER) + " |", "|" + "---|" * len(HEADER)]
    lines += ["| " + " | ".join(cell.replace("|", "\\|") for cell in row) + " |" for row in rows]
    return "\n".join(lines)


def render_report(run: Run, wrk: str) -> str:
    """The results section of docs/benchmarks.md: run, command, machine, versions, table."""
    arguments = run.arguments
    minutes = (time.monotonic() - run.started) / 60
    command = ["python", "bench/scale.py", "--documents", str(arguments.documents)]
    command += ["--duration", str(arguments.duration)]
    command += ["--export-seconds", str(arguments.export_seconds)]
    if arguments.no_postgresql:
        command.append("--no-postgresql")
    environment = (
        ""
        if arguments.no_postgresql
        else f"BENCH_POSTGRESQL_URL={shlex.quote(redact(arguments.postgresql))} "
    )
    lines = [
        f"### Run of {run.started_at:%Y-%m-%d %H:%M} UTC ({minutes:.0f} minutes)",
        "",
    ]
    if arguments.documents != DEFAULT_DOCUMENTS or arguments.duration != DEFAULT_DURATION:
        lines += [
            f"> A smaller run than `make bench`'s defaults ({DEFAULT_DOCUMENTS:,} documents, "
            f"{DEFAULT_DURATION} s per scenario): not the reference figures.",
            "",
        ]
    lines += [
        f"- Command: `{environment}.venv/bin/{shlex.join(command)}`"
        + (" (what `make bench` runs)" if is_default(arguments) else ""),
        f"- Corpus: `synthetic_dataset(documents={arguments.documents:,}, seed={SEED})`, "
        f"{run.picks.provisions:,} provisions; {'; '.join(run.timings)}.",
        f"- Load: `wrk -t{WRK_THREADS} -c{WRK_CONNECTIONS} -d{arguments.duration}s --latency "
        f"--timeout {WRK_TIMEOUT}` per scenario, after a {WARMUP_SECONDS} s warm-up "
        "and waits for the server to go idle.",
        f"- Machine: {machine()}.",
        f"- Versions: {run.versions}.",
    ]
    lines += [f"- {note}" for note in run.notes]
    if run.postgresql_skipped:
        lines.append(f"- **PostgreSQL skipped**: {run.postgresql_skipped}.")
    lines += ["", markdown_table(table_rows(run)), ""]
    return "\n".join(lines)


def is_default(arguments) -> bool:
    return (
        arguments.documents == DEFAULT_DOCUMENTS
        and arguments.duration == DEFAULT_DURATION
        and arguments.export_seconds == DEFAULT_EXPORT_SECONDS
        and not arguments.no_postgresql
    )


def machine() -> str:
    cpuinfo = Path("/proc/cpuinfo").read_text(errors="replace")
    model = re.search(r"^model name\s*:\s*(.+)$", cpuinfo, re.MULTILINE)
    meminfo = Path("/proc/meminfo").read_text()
    memory = int(re.search(r"^MemTotal:\s+(\d+) kB", meminfo, re.MULTILINE).group(1))
    return (
        f"{len(os.sched_getaffinity(0))} CPUs (nproc), {model.group(1).strip() if model else '?'}, "
        f"{memory / 1024**2:.1f} GiB RAM, {platform.system()} {platform.release()}, "
        f"load average at the end {Path('/proc/loadavg').read_text().split()[0]}"
    )


def versions(run: Run, wrk: str) -> str:
    packages = ("gunicorn", "Flask", "Werkzeug", "SQLAlchemy", "marshmallow", "flask-smorest")
    packages += ("psycopg",)
    found = [f"Python {platform.python_version()}", f"SQLite {sqlite3.sqlite_version}"]
    found.append(f"PostgreSQL {run.postgresql_version.split()[0]}")
    for package in packages:
        with contextlib.suppress(importlib.metadata.PackageNotFoundError):
            found.append(f"{package} {importlib.metadata.version(package)}")
    datasette = subprocess.run(
        [str(run.datasette), "--version"], capture_output=True, text=True, check=False
    ).stdout
    found.append(f"Datasette {datasette.strip().rsplit(' ', 1)[-1]}")
    wrk_version = subprocess.run([wrk, "-v"], capture_output=True, text=True, check=False)
    first = (wrk_version.stdout + wrk_version.stderr).strip().splitlines()[0]
    found.append(first.split(" Copyright")[0].strip())
    return ", ".join(found)


def write_docs(report: str) -> None:
    """Replace what is between the results markers of docs/benchmarks.md with the report."""
    text = DOCS.read_text()
    start, end = text.find(START_MARKER), text.find(END_MARKER)
    if start < 0 or end < start:
        print(f"{DOCS.name}: no {START_MARKER} … {END_MARKER}: not written", file=sys.stderr)
        return
    text = f"{text[: start + len(START_MARKER)]}\n{report}\n{text[end:]}"
    DOCS.write_text(text)
    print(f"Results written to docs/{DOCS.name}", file=sys.stderr)


if __name__ == "__main__":
    sys.exit(main())
