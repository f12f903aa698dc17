"""Scale benchmark: the API at about a million provisions against Datasette, a floor and a ceiling.

A synthetic corpus (`synthetic_dataset(documents, seed=1)`) is built once and loaded into a
temporary SQLite file (and, with --postgresql, into a fresh schema there, dropped at the end).
On 127.0.0.1 only, these are served and measured with `wrk -t2 -c16 --latency`:
- the API under gunicorn (gunicorn.conf.py, 2 workers, no rate limit, no access log);
- Datasette on the same SQLite file, from its own virtualenv in the run's temporary folder;
- the floor, bench/floor_app.py (Flask + raw sqlite3, one query), first page only;
- the ceiling, bench/ceiling_app.py (a constant answer), first page only.
Then the NDJSON export is streamed to the end (at most --export-seconds): rows/s, first byte,
peak RSS. Prints one Markdown table (the targets are in docs/scale-benchmarks.md).
Exits non-zero only when setup fails.

    python bench/scale.py [--documents 55000] [--duration 15] [--postgresql URL]
"""

import argparse
import contextlib
import json
import os
import re
import shutil
import sqlite3
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.parse
import urllib.request
import uuid
from dataclasses import dataclass, field
from pathlib import Path

from export_memory import PeakSampler, child_pids, free_port, rss_kilobytes
from itsdangerous import URLSafeSerializer

from api import create_app, database
from api.pagination import CURSOR_SALT
from api.seeding import load_dataset
from api.synthetic import EVERY_PROVISION_WORD, synthetic_dataset

HOST = "127.0.0.1"  # the only address this script ever talks to
BENCH = Path(__file__).resolve().parent
REPO_ROOT = BENCH.parent
SEED = 1
SECRET_KEY = "scale-benchmark-key"  # the API signs cursors with it; the deep cursor too
STARTUP_SECONDS = 120
CHUNK_BYTES = 64 * 1024
WRK_THREADS, WRK_CONNECTIONS = 2, 16
WARMUP_SECONDS = 2  # an unrecorded wrk run before each measured one
IDLE_WAIT_SECONDS = 180
WRK_TIMEOUT = "30s"  # slow answers are measured, not dropped as timeouts (wrk's default: 2 s)
EVERY_ROW_SEARCH = f"search every-row word ({EVERY_PROVISION_WORD})"
DATASETTE_DB = "bench"  # the file is bench.db, so Datasette serves it as /bench
# Never through a proxy, whatever the environment says: only to the local servers.
LOCAL = urllib.request.build_opener(urllib.request.ProxyHandler({}))


@dataclass
class WrkResult:
    requests_per_second: float
    p50_ms: float
    p99_ms: float
    requests: int
    bad_statuses: int
    socket_errors: int


@dataclass
class Row:
    scenario: str
    api: WrkResult | None = None
    datasette: WrkResult | None = None
    floor: WrkResult | None = None
    ceiling: WrkResult | None = None
    note: str = ""


@dataclass
class Export:
    rows: int
    seconds: float
    first_byte_seconds: float
    baseline_mb: float
    peak_mb: float

    @property
    def rows_per_second(self) -> float:
        return self.rows / self.seconds if self.seconds else 0.0


@dataclass
class Corpus:
    folder: Path
    sqlite_file: Path
    provisions: int
    database_url: str
    postgresql_url: str | None = None
    dataset: object = None  # kept only until it is loaded into PostgreSQL too
    export_seconds: int = 30
    notes: list[str] = field(default_factory=list)


def main() -> int:
    arguments = parse_arguments()
    wrk = find_wrk()
    with tempfile.TemporaryDirectory(prefix="scale-bench-") as folder:
        folder = Path(folder)
        installer = start_datasette_install(folder)
        corpus = build_corpus(folder, arguments.documents)
        datasette = finish_datasette_install(installer, folder)
        corpus.export_seconds = arguments.export_seconds
        with contextlib.ExitStack() as stack:
            if arguments.postgresql:
                schema = f"scale_bench_{uuid.uuid4().hex[:8]}"
                stack.callback(drop_schema, arguments.postgresql, schema)
                corpus.postgresql_url = load_postgresql(arguments.postgresql, schema, corpus)
            corpus.dataset = None
            rows, export = run_benchmarks(stack, arguments, wrk, datasette, corpus)
        print_table(rows, export, corpus, arguments)
    return 0


def parse_arguments() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--documents", type=int, default=55_000, help="synthetic documents (55,000: ~1M provisions)"
    )
    parser.add_argument("--duration", type=int, default=15, help="seconds of wrk per scenario")
    parser.add_argument(
        "--export-seconds", type=int, default=600, help="stop the export after this long"
    )
    parser.add_argument("--postgresql", metavar="URL", help="also measure the API on PostgreSQL")
    return parser.parse_args()


def find_wrk() -> str:
    """wrk's path, installing it with apt-get if it is missing."""
    if not shutil.which("wrk"):
        print("wrk is missing: apt-get install -y wrk", file=sys.stderr)
        subprocess.run(["apt-get", "install", "-y", "wrk"], check=False)
    return shutil.which("wrk") or sys.exit("wrk is not installed and apt-get could not install it")


# Corpus


def build_corpus(folder: Path, documents: int) -> Corpus:
    """Build the synthetic dataset once and load it into a new SQLite file."""
    started = time.perf_counter()
    dataset = synthetic_dataset(documents=documents, seed=SEED)
    built = time.perf_counter() - started
    sqlite_file = folder / f"{DATASETTE_DB}.db"
    database_url = f"sqlite:///{sqlite_file}"
    provisions = load_into(database_url, dataset)
    loaded = time.perf_counter() - started - built
    checkpoint(sqlite_file)
    note = f"built {documents:,} documents in {built:.0f} s, loaded into SQLite in {loaded:.0f} s"
    print(f"{note}: {provisions:,} provisions", file=sys.stderr)
    return Corpus(folder, sqlite_file, provisions, database_url, dataset=dataset, notes=[note])


def load_into(database_url: str, dataset) -> int:
    """Create the schema at `database_url` and load `dataset`; the provisions loaded."""
    app = create_app({"DATABASE_URL": database_url})
    with app.app_context():
        database.upgrade_schema()
        counts = load_dataset(database.engine(), dataset)
        database.engine().dispose()
    return counts["provisions"]


def checkpoint(sqlite_file: Path) -> None:
    """Fold the WAL into the file and analyze it, so Datasette (immutable) sees every row."""
    with contextlib.closing(sqlite3.connect(sqlite_file)) as connection:
        connection.execute("ANALYZE")
        connection.execute("PRAGMA wal_checkpoint(TRUNCATE)")


def load_postgresql(server_url: str, schema: str, corpus: Corpus) -> str:
    """Create `schema`, load the same dataset into it; the URL that selects it."""
    from sqlalchemy import create_engine, text

    engine = create_engine(server_url)
    with engine.begin() as connection:
        connection.execute(text(f'CREATE SCHEMA "{schema}"'))
    engine.dispose()
    separator = "&" if "?" in server_url else "?"
    url = f"{server_url}{separator}options=-csearch_path%3D{schema}"
    started = time.perf_counter()
    load_into(url, corpus.dataset)
    corpus.notes.append(
        f"loaded into PostgreSQL schema {schema} in {time.perf_counter() - started:.0f} s"
    )
    return url


def drop_schema(server_url: str, schema: str) -> None:
    from sqlalchemy import create_engine, text

    engine = create_engine(server_url)
    with engine.begin() as connection:
        connection.execute(text(f'DROP SCHEMA "{schema}" CASCADE'))
    engine.dispose()


# Datasette, in its own virtualenv


def start_datasette_install(folder: Path) -> subprocess.Popen:
    """Create a virtualenv under `folder` and pip install datasette into it, in the background."""
    venv = folder / "datasette-venv"
    script = f"'{sys.executable}' -m venv '{venv}' && '{venv}/bin/pip' install -q datasette"
    log = (folder / "datasette-install.log").open("wb")
    return subprocess.Popen(["sh", "-c", script], stdout=log, stderr=subprocess.STDOUT)


def finish_datasette_install(installer: subprocess.Popen, folder: Path) -> Path:
    """Wait for the install; the datasette executable."""
    if installer.wait() != 0:
        log = (folder / "datasette-install.log").read_text(errors="replace")
        raise SystemExit(f"installing datasette failed:\n{log}")
    return folder / "datasette-venv" / "bin" / "datasette"


# Servers


class Server:
    """One server process on a free local port, stopped (with its children) on exit."""

    def __init__(self, name: str, command: list[str], environment: dict, folder: Path):
        self.name = name
        self.port = free_port()
        self.command = [part.replace("{port}", str(self.port)) for part in command]
        self.environment = {**os.environ, **environment}
        self.log = folder / f"{name}.log"
        self.process: subprocess.Popen | None = None

    def url(self, path: str) -> str:
        return f"http://{HOST}:{self.port}{path}"

    def __enter__(self) -> "Server":
        with self.log.open("wb") as log:
            self.process = subprocess.Popen(
                self.command, cwd=REPO_ROOT, env=self.environment, stdout=log, stderr=log
            )
        self.wait_until_ready()
        return self

    def __exit__(self, error_type, *_exc) -> None:
        """Stop the process we started (a gunicorn master stops its workers)."""
        if self.process is None or self.process.poll() is not None:
            return
        self.process.terminate()
        try:
            self.process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()

    def wait_until_ready(self) -> None:
        deadline = time.monotonic() + STARTUP_SECONDS
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                log = self.log.read_text(errors="replace")
                raise SystemExit(f"{self.name} exited:\n{log[-3000:]}")
            try:
                self.get("/")
                return
            except (urllib.error.URLError, ConnectionError):
                time.sleep(0.2)
        raise SystemExit(f"{self.name} did not answer in {STARTUP_SECONDS} s")

    def get(self, path: str, headers: dict | None = None) -> tuple[int, dict, bytes]:
        request = urllib.request.Request(self.url(path), headers=headers or {})
        try:
            with LOCAL.open(request, timeout=60) as response:
                return response.status, dict(response.headers), response.read()
        except urllib.error.HTTPError as error:  # an answer all the same: the server is up
            return error.code, dict(error.headers), error.read()

    def json(self, path: str) -> tuple[dict, dict]:
        """A JSON answer that must be a 200, and its headers."""
        status, headers, body = self.get(path)
        if status != 200:
            raise SystemExit(f"{self.name}: GET {path} answered {status}: {body[:300]!r}")
        return json.loads(body), headers

    def worker_pids(self) -> list[int]:
        return child_pids(self.process.pid)


def gunicorn(name: str, app: str, environment: dict, folder: Path, settings: Path) -> Server:
    """A gunicorn of the project's settings: 2 workers, no access log, on a free port."""
    command = [str(Path(sys.executable).with_name("gunicorn")), "-c", str(settings)]
    command += ["--bind", f"{HOST}:{{port}}", "--workers", "2", "--access-logfile", "/dev/null"]
    command += ["--pythonpath", str(BENCH), app]
    return Server(name, command, environment, folder)


def api_server(database_url: str, folder: Path, name: str = "api") -> Server:
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


def wait_until_idle(server: Server) -> None:
    """Wait (at most IDLE_WAIT_SECONDS) until the server's processes use under 5% of a CPU."""
    pids = [server.process.pid, *server.worker_pids()]
    deadline = time.monotonic() + IDLE_WAIT_SECONDS
    before = cpu_seconds(pids)
    while time.monotonic() < deadline:
        time.sleep(1)
        after = cpu_seconds(pids)
        if after - before < 0.05:
            return
        before = after
    print(f"{server.name} still busy after {IDLE_WAIT_SECONDS} s", file=sys.stderr)


def cpu_seconds(pids: list[int]) -> float:
    """User plus system CPU time the processes have used, from /proc/<pid>/stat."""
    total = 0.0
    for pid in pids:
        with contextlib.suppress(OSError):
            fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
            total += (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")
    return total


# Scenarios


def run_benchmarks(stack, arguments, wrk: str, datasette: Path, corpus: Corpus):
    """Serve everything, one server at a time, and measure each scenario; (rows, export)."""
    folder, duration = corpus.folder, arguments.duration

    def measure(server: Server, path: str, headers: dict | None = None) -> WrkResult:
        print(f"wrk {server.name} {path}", file=sys.stderr, flush=True)
        wait_until_idle(server)  # abandoned slow requests of the last scenario still run
        run_wrk(wrk, server.url(path), WARMUP_SECONDS, headers)  # caches and pools filled
        wait_until_idle(server)  # and the warm-up's abandoned requests done
        return run_wrk(wrk, server.url(path), duration, headers)

    with floor_server(corpus.sqlite_file, folder) as floor:
        floor_result = measure(floor, "/provisions")
    with ceiling_server(folder) as ceiling:
        ceiling_result = measure(ceiling, "/")
    with datasette_server(datasette, corpus.sqlite_file, folder) as server:
        datasette_paths = datasette_scenarios(server, corpus, datasette)
        datasette_results = {name: measure(server, path) for name, path in datasette_paths.items()}
    rows, export = api_rows(corpus.database_url, "", corpus, measure)
    if corpus.postgresql_url:
        postgresql_rows, _ = api_rows(corpus.postgresql_url, " [PostgreSQL]", corpus, measure)
        rows += postgresql_rows
    for row in rows:
        base = row.scenario.removesuffix(" [PostgreSQL]")
        row.datasette = datasette_results.get(base)
        if base == "first page":
            row.floor, row.ceiling = floor_result, ceiling_result
        if base == "conditional first page (304)":
            row.ceiling = ceiling_result
    return rows, export


def api_rows(database_url: str, suffix: str, corpus: Corpus, measure) -> tuple[list[Row], Export]:
    """Serve the API on `database_url`; one Row per scenario, and the export figures."""
    with api_server(database_url, corpus.folder, name=f"api{suffix.strip(' []').lower()}") as api:
        paths, headers, notes = api_scenarios(api, corpus)
        rows = [
            Row(
                f"{name}{suffix}",
                api=measure(api, path, headers.get(name)),
                note=notes.get(name, ""),
            )
            for name, path in paths.items()
        ]
        export = measure_export(api, corpus)
    return rows, export


def api_scenarios(api: Server, corpus: Corpus) -> tuple[dict, dict, dict]:
    """The API paths to measure, the headers of the conditional one, and notes."""
    first_page = "/v1/provisions?limit=20"
    _, first_headers = api.json(first_page)
    document_id = first_document(corpus.sqlite_file)
    rare = rare_word(api, corpus.sqlite_file)
    notes = {} if rare else {EVERY_ROW_SEARCH: "no rare word found: rare search skipped"}
    paths = {
        "first page": first_page,
        "filtered page (modality=directs)": "/v1/provisions?modality=directs&limit=20",
        "deep page (row ~N/2)": deep_cursor_path(api, corpus.sqlite_file),
        "detail (document + provisions)": f"/v1/documents/{document_id}?include=provisions",
        "conditional first page (304)": first_page,
        **({f"search rare word ({rare})": f"/v1/search?q={rare}"} if rare else {}),
        EVERY_ROW_SEARCH: f"/v1/search?q={EVERY_PROVISION_WORD}",
    }
    headers = {"conditional first page (304)": {"If-None-Match": first_headers["ETag"]}}
    status, _, _ = api.get(first_page, headers["conditional first page (304)"])
    notes["conditional first page (304)"] = f"pre-check answered {status}"
    return paths, headers, notes


def first_document(sqlite_file: Path) -> str:
    """The document of the first provision in document order."""
    return query_one(sqlite_file, "SELECT min(document_id) FROM provisions")[0]


def query_one(sqlite_file: Path, sql: str, parameters: tuple = ()) -> tuple:
    uri = f"file:{sqlite_file}?mode=ro"
    with contextlib.closing(sqlite3.connect(uri, uri=True)) as connection:
        return connection.execute(sql, parameters).fetchone()


def half_offset(corpus_or_file) -> int:
    return query_one(corpus_or_file, "SELECT count(*) FROM provisions")[0] // 2


def deep_cursor_path(api: Server, sqlite_file: Path) -> str:
    """A next-page URL starting after row N/2 (document order), signed like the API's own.

    Walking 500,000 rows 100 at a time takes too long; so the real cursor of the first page is
    decoded and its sort keys replaced by those of row N/2, keeping its filter fingerprint.
    """
    body, _ = api.json("/v1/provisions?limit=20")
    next_link = body["links"]["next"]
    cursor = urllib.parse.parse_qs(urllib.parse.urlsplit(next_link).query)["cursor"][0]
    serializer = URLSafeSerializer(SECRET_KEY, salt=CURSOR_SALT)
    payload = serializer.loads(cursor)
    keys = query_one(
        sqlite_file,
        "SELECT document_id, position, id FROM provisions "
        "ORDER BY document_id, position, id LIMIT 1 OFFSET ?",
        (half_offset(sqlite_file),),
    )
    if len(payload["k"]) != len(keys):
        raise SystemExit(f"unexpected cursor payload {payload}: sort keys changed?")
    payload["k"] = list(keys)
    path = f"/v1/provisions?limit=20&cursor={serializer.dumps(payload)}"
    page, _ = api.json(path)
    if not page["data"] or page["data"][0]["document"] < keys[0]:
        raise SystemExit(f"the deep cursor did not land after {keys}: {page['data'][:1]}")
    return path


def rare_word(api: Server, sqlite_file: Path) -> str | None:
    """The rarest plain word of the search index's vocabulary that /v1/search finds, if any."""
    uri = f"file:{sqlite_file}?mode=ro"
    with contextlib.closing(sqlite3.connect(uri, uri=True)) as connection:
        connection.execute(
            "CREATE VIRTUAL TABLE temp.vocabulary USING fts5vocab(main, search_index, row)"
        )
        candidates = connection.execute(
            "SELECT term FROM temp.vocabulary WHERE length(term) >= 5 "
            "AND term NOT GLOB '*[^a-z]*' ORDER BY doc LIMIT 50"
        ).fetchall()
    for (term,) in candidates:
        body, _ = api.json(f"/v1/search?q={term}&limit=1")
        if body["data"]:
            return term
    return None


def datasette_scenarios(server: Server, corpus: Corpus, datasette: Path) -> dict:
    """Datasette's equivalents, by the API scenario they are compared with."""
    table = f"/{DATASETTE_DB}/provisions"
    server.json(f"{table}.json?_size=1")
    deep_id = query_one(
        corpus.sqlite_file,
        "SELECT id FROM provisions ORDER BY id LIMIT 1 OFFSET ?",
        (half_offset(corpus.sqlite_file),),
    )[0]
    token = tilde_encode(datasette, deep_id)
    detail_id = query_one(corpus.sqlite_file, "SELECT min(id) FROM provisions")[0]
    paths = {
        "first page": f"{table}.json?_size=20",
        "filtered page (modality=directs)": f"{table}.json?modality=directs&_size=20",
        "deep page (row ~N/2)": f"{table}.json?_size=20&_next={token}",
        "detail (document + provisions)": f"{table}/{tilde_encode(datasette, detail_id)}.json",
    }
    for path in paths.values():
        body, _ = server.json(path)
        if not body.get("rows"):
            raise SystemExit(f"datasette: GET {path} gave no rows: {str(body)[:300]}")
    return paths


def tilde_encode(datasette: Path, value: str) -> str:
    """Datasette's own encoding of a primary key in a URL, from its virtualenv."""
    python = datasette.with_name("python")
    code = "import sys; from datasette.utils import tilde_encode; print(tilde_encode(sys.argv[1]))"
    return subprocess.run(
        [str(python), "-c", code, value], capture_output=True, text=True, check=True
    ).stdout.strip()


# Export


def measure_export(api: Server, corpus: Corpus) -> Export:
    """Stream the provisions export (at most --export-seconds): rows/s, first byte, peak RSS."""
    wait_until_idle(api)
    workers = api.worker_pids()
    baseline = max(rss_kilobytes(pid, "VmRSS") for pid in workers)
    rows, first_byte = 0, None
    with PeakSampler(workers) as sampler:
        started = time.perf_counter()
        with LOCAL.open(api.url("/v1/export/provisions.ndjson"), timeout=900) as response:
            while chunk := response.read(CHUNK_BYTES):
                first_byte = first_byte or time.perf_counter() - started
                rows += chunk.count(b"\n")
                if time.perf_counter() - started > corpus.export_seconds:
                    break
        seconds = time.perf_counter() - started
    peak = max(sampler.peak, *(rss_kilobytes(pid, "VmHWM") for pid in workers))
    return Export(rows, seconds, first_byte or 0.0, baseline / 1024, peak / 1024)


# Report


def ratio(numerator: WrkResult | None, denominator: WrkResult | None) -> str:
    if not numerator or not denominator or not denominator.requests_per_second:
        return "—"
    return f"{numerator.requests_per_second / denominator.requests_per_second:.2f}"


def print_table(rows: list[Row], export: Export, corpus: Corpus, arguments) -> None:
    """The results as a Markdown table, then the export and the notes."""
    print(
        f"\n{corpus.provisions:,} provisions; wrk -t{WRK_THREADS} -c{WRK_CONNECTIONS} "
        f"-d{arguments.duration}s --latency; {'; '.join(corpus.notes)}\n"
    )
    header = (
        "scenario",
        "API req/s",
        "p50 ms",
        "p99 ms",
        "Datasette req/s",
        "Datasette p99 ms",
        "API/Datasette",
        "API/floor",
        "API/ceiling",
        "notes",
    )
    print("| " + " | ".join(header) + " |")
    print("|" + "---|" * len(header))
    for row in rows:
        print("| " + " | ".join(row_cells(row)) + " |")
    for name, result in (("floor (Flask + sqlite3)", rows[0].floor), ("ceiling", rows[0].ceiling)):
        if result:
            cells = [
                name,
                f"{result.requests_per_second:,.0f}",
                f"{result.p50_ms:.1f}",
                f"{result.p99_ms:.1f}",
                *["—"] * 5,
                "",
            ]
            print("| " + " | ".join(cells) + " |")
    print(
        f"\nExport /v1/export/provisions.ndjson: {export.rows:,} rows in {export.seconds:.1f} s = "
        f"{export.rows_per_second:,.0f} rows/s, first byte after "
        f"{export.first_byte_seconds:.1f} s; worker RSS {export.baseline_mb:.0f} MB before, "
        f"peak {export.peak_mb:.0f} MB"
    )


def row_cells(row: Row) -> list[str]:
    api, other = row.api, row.datasette
    notes = [row.note] if row.note else []
    for name, result in (("API", api), ("Datasette", other)):
        if result and (result.bad_statuses or result.socket_errors):
            notes.append(
                f"{name}: {result.bad_statuses} non-2xx/3xx, {result.socket_errors} socket errors"
            )
    return [
        row.scenario,
        f"{api.requests_per_second:,.0f}",
        f"{api.p50_ms:.1f}",
        f"{api.p99_ms:.1f}",
        f"{other.requests_per_second:,.0f}" if other else "—",
        f"{other.p99_ms:.1f}" if other else "—",
        ratio(api, other),
        ratio(api, row.floor),
        ratio(api, row.ceiling),
        "; ".join(notes),
    ]


if __name__ == "__main__":
    sys.exit(main())
