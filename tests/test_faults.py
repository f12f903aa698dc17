"""Faults: PostgreSQL stopping and coming back, a gunicorn worker killed, concurrent loads.

Every process these tests start is stopped by its fixture, even when the test fails; every
wait is bounded in time. The shared PostgreSQL server (DATABASE_URL) is never touched here:
the first test runs a throwaway cluster of its own.
"""

import copy
import http.client
import os
import pwd
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
import traceback
import urllib.error
import urllib.request
from collections import Counter
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import psycopg
import pytest
from flask import Flask
from sqlalchemy import Engine, event, func, select

from api.seeding import Dataset, load_dataset, loader, read_seeds
from api.storage import database
from api.storage.database import Base
from api.storage.models import Change
from tests.conftest import (
    PROJECT_ROOT,
    SEEDS,
    assert_problem,
    isolated_database,
    load_seeds,
    make_app,
    postgresql_url,
)

LOCALHOST = "127.0.0.1"


def free_port() -> int:
    """A TCP port on 127.0.0.1 that nothing listens on right now."""
    with socket.socket() as probe:
        probe.bind((LOCALHOST, 0))
        return probe.getsockname()[1]


def wait_until(condition: Callable[[], object], seconds: float, pause: float = 0.1) -> bool:
    """Poll `condition` until it is true or `seconds` have passed; return whether it was."""
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if condition():
            return True
        time.sleep(pause)
    return bool(condition())


def dispose_engine(app: Flask) -> None:
    with app.app_context():
        database.engine().dispose()


# -- 1. PostgreSQL stops and comes back ------------------------------------------------------


@dataclass
class Cluster:
    """A throwaway PostgreSQL cluster in a folder of its own, on its own port."""

    binaries: Path
    folder: Path
    port: int
    run_as: list[str]

    @property
    def data(self) -> Path:
        return self.folder / "data"

    def url(self, database_name: str) -> str:
        return f"postgresql+psycopg://postgres@{LOCALHOST}:{self.port}/{database_name}"

    def run(self, tool: str, *arguments: str, check: bool = True) -> subprocess.CompletedProcess:
        command = [*self.run_as, str(self.binaries / tool), *arguments]
        result = subprocess.run(command, capture_output=True, text=True, timeout=60)
        if check and result.returncode != 0:
            pytest.fail(f"{tool} failed:\n{result.stdout}\n{result.stderr}\n{self.log()}")
        return result

    def log(self) -> str:
        path = self.folder / "server.log"
        return path.read_text(errors="replace")[-3000:] if path.exists() else ""

    def initialise(self) -> None:
        self.run("initdb", "-D", str(self.data), "-A", "trust", "-U", "postgres", "--no-sync")

    def pg_ctl(self, action: str, *options: str, check: bool = True) -> None:
        self.run("pg_ctl", "-D", str(self.data), "-w", "-t", "30", *options, action, check=check)

    def start(self) -> None:
        server = f"-p {self.port} -k {self.folder} -c listen_addresses={LOCALHOST} -c fsync=off"
        self.pg_ctl("start", "-l", str(self.folder / "server.log"), "-o", server)

    def stop(self, *, check: bool = True) -> None:
        self.pg_ctl("stop", "-m", "immediate", check=check)

    def create_database(self, name: str) -> None:
        dsn = f"host={LOCALHOST} port={self.port} user=postgres dbname=postgres"
        with psycopg.connect(dsn, autocommit=True, connect_timeout=10) as connection:
            connection.execute(f'CREATE DATABASE "{name}"')

    def end_backends(self, application_name: str) -> int:
        """End the server processes of the connections named so; how many there were."""
        dsn = f"host={LOCALHOST} port={self.port} user=postgres dbname=postgres"
        with psycopg.connect(dsn, autocommit=True, connect_timeout=10) as connection:
            ended = connection.execute(
                "SELECT count(pg_terminate_backend(pid)) FROM pg_stat_activity "
                "WHERE application_name = %s",
                (application_name,),
            ).fetchone()
        return ended[0]

    def kill_leftover_postmaster(self) -> None:
        """Last resort if pg_ctl could not stop it: kill this cluster's postmaster only."""
        pid_file = self.data / "postmaster.pid"
        if not pid_file.exists():
            return
        pid = int(pid_file.read_text().split()[0])
        command_line = Path(f"/proc/{pid}/cmdline")
        if command_line.exists() and str(self.data).encode() in command_line.read_bytes():
            os.kill(pid, signal.SIGKILL)


def postgresql_binaries() -> Path | None:
    """The folder holding initdb and pg_ctl, if PostgreSQL's server tools are installed."""
    found = shutil.which("initdb")
    candidates = [Path(found).resolve().parent] if found else []
    candidates += sorted(Path("/usr/lib/postgresql").glob("*/bin"), reverse=True)
    for folder in candidates:
        if (folder / "initdb").exists() and (folder / "pg_ctl").exists():
            return folder
    return None


def postgres_user_prefix(folder: Path) -> list[str]:
    """PostgreSQL refuses to run as root: as root, run its tools as the `postgres` user."""
    if os.geteuid() != 0:
        return []
    try:
        user = pwd.getpwnam("postgres")
    except KeyError:
        pytest.skip("running as root and there is no `postgres` user to run PostgreSQL as")
    if shutil.which("runuser") is None:
        pytest.skip("running as root and `runuser` is missing to run PostgreSQL as postgres")
    os.chown(folder, user.pw_uid, user.pw_gid)
    return ["runuser", "-u", "postgres", "--"]


@pytest.fixture
def cluster() -> Iterator[Cluster]:
    """A running throwaway cluster with a database `db`; stopped and deleted afterwards."""
    binaries = postgresql_binaries()
    if binaries is None:
        pytest.skip("PostgreSQL server tools (initdb, pg_ctl) are not installed")
    folder = Path(tempfile.mkdtemp(prefix="provisions-faults-pg-", dir="/tmp"))
    started = None
    try:
        folder.chmod(0o755)
        started = Cluster(binaries, folder, free_port(), postgres_user_prefix(folder))
        started.initialise()
        started.start()
        started.create_database("db")
        yield started
    finally:
        if started is not None and started.data.exists():
            started.stop(check=False)
            started.kill_leftover_postmaster()
        shutil.rmtree(folder, ignore_errors=True)


@pytest.fixture
def cluster_app(cluster, tmp_path) -> Iterator[Flask]:
    """The app on the throwaway cluster, seeded; its connections closed afterwards."""
    app = make_app({"DATABASE_URL": cluster.url("db"), "EXPORT_FOLDER": str(tmp_path / "exports")})
    try:
        load_seeds(app)
        yield app
    finally:
        dispose_engine(app)


def get_within(client, path: str, seconds: float = 10):
    """GET `path`, failing the test if no response comes within `seconds`."""
    outcome = {}

    def get() -> None:
        try:
            outcome["response"] = client.get(path)
        except BaseException as error:
            outcome["error"] = error

    thread = threading.Thread(target=get, daemon=True)
    thread.start()
    thread.join(timeout=seconds)
    assert not thread.is_alive(), f"GET {path} did not answer within {seconds} s"
    if "error" in outcome:
        raise outcome["error"]
    return outcome["response"]


def get_until_ok(client, path: str, seconds: float):
    """GET `path` until it answers 200 or `seconds` have passed; return the last response."""
    deadline = time.monotonic() + seconds
    response = get_within(client, path)
    while response.status_code != 200 and time.monotonic() < deadline:
        time.sleep(0.5)
        response = get_within(client, path)
    return response


# Slow (~2 s): creates, starts, stops and restarts a PostgreSQL cluster.
def test_postgresql_going_away_is_503_and_coming_back_is_served_again(cluster, cluster_app):
    client = cluster_app.test_client()
    assert get_within(client, "/v1/documents").status_code == 200
    assert get_within(client, "/readyz").status_code == 200

    cluster.stop()
    retry_after = str(cluster_app.config["RETRY_AFTER_SECONDS"])
    # Twice each: first with pooled connections now dead, then with none left to reuse.
    for path in ("/v1/documents", "/readyz", "/v1/documents", "/readyz"):
        response = get_within(client, path, seconds=10)
        assert_problem(response, 503)
        assert response.headers["Retry-After"] == retry_after

    cluster.start()
    response = get_until_ok(client, "/v1/documents", seconds=10)
    assert response.status_code == 200, response.get_data(as_text=True)
    assert response.get_json()["data"]
    assert get_within(client, "/readyz").status_code == 200


# Slow (~2 s): a cluster of its own, whose server processes it ends.
def test_a_pooled_connection_whose_server_process_ended(cluster, cluster_app):
    """Checked before use once idle DATABASE_PING_AFTER_IDLE_SECONDS (0: always), it is
    replaced unseen; trusted when used more recently, its request gets a 503, and the pool's
    other connections, which went with the server, are replaced before the next request."""
    for idle_seconds, first_status in ((0, 200), (3600, 503)):
        name = f"provisions-faults-{idle_seconds}"
        app = make_app(
            {
                "DATABASE_URL": cluster.url("db"),
                "DATABASE_PING_AFTER_IDLE_SECONDS": idle_seconds,
                "DATABASE_ENGINE_OPTIONS": {"connect_args": {"application_name": name}},
            }
        )
        client = app.test_client()
        try:
            assert get_within(client, "/v1/documents").status_code == 200
            pool_connections(app, 3)
            assert cluster.end_backends(name) == 3
            response = get_within(client, "/v1/documents")
            assert response.status_code == first_status, response.get_data(as_text=True)
            if first_status != 200:
                assert_problem(response, 503)
            # The other dead connections went with the first: the next request is served.
            assert get_within(client, "/v1/documents").status_code == 200
        finally:
            dispose_engine(app)


def pool_connections(app: Flask, count: int) -> None:
    """Leave `count` connections in the app's pool, each just used."""
    with app.app_context():
        connections = [database.engine().connect() for _ in range(count)]
    for connection in connections:
        connection.exec_driver_sql("SELECT 1")
        connection.close()


# -- 2. A gunicorn worker killed mid-run -----------------------------------------------------

GUNICORN_WORKERS = 2
GUNICORN_THREADS = 4
CLIENT_THREADS = 4
REQUESTS_PER_CLIENT = 300
LOAD_PATHS = ("/v1/provisions?limit=5", "/v1/documents")


@dataclass
class Server:
    """A gunicorn master this test started, and where it answers."""

    process: subprocess.Popen
    base_url: str
    log: Path

    def log_tail(self) -> str:
        return self.log.read_text(errors="replace")[-3000:] if self.log.exists() else ""


def gunicorn_command(port: int) -> list[str]:
    gunicorn = str(Path(sys.executable).with_name("gunicorn"))
    command = [
        gunicorn,
        f"--bind={LOCALHOST}:{port}",
        f"--workers={GUNICORN_WORKERS}",
        "--worker-class=gthread",
        f"--threads={GUNICORN_THREADS}",
    ]
    help_text = subprocess.run([gunicorn, "--help"], capture_output=True, text=True, timeout=30)
    if "--no-control-socket" in help_text.stdout:
        command.append("--no-control-socket")
    return [*command, "api:create_app()"]


def stop_gunicorn(process: subprocess.Popen) -> None:
    """SIGTERM the master (it stops its workers); SIGKILL its process group if it hangs."""
    if process.poll() is None:
        process.send_signal(signal.SIGTERM)
    try:
        process.wait(timeout=20)
    except subprocess.TimeoutExpired:
        # Still unreaped, so its pid (the group we started it in) cannot have been reused.
        os.killpg(process.pid, signal.SIGKILL)
        process.wait(timeout=10)


@pytest.fixture
def seeded_sqlite_url(tmp_path) -> str:
    """A SQLite file holding the seed data, with no connection left open on it."""
    with isolated_database(tmp_path, sqlite=True) as settings:
        app = make_app(settings)
        load_seeds(app)
        dispose_engine(app)
        return settings["DATABASE_URL"]


@pytest.fixture
def gunicorn_server(seeded_sqlite_url, tmp_path) -> Iterator[Server]:
    """gunicorn serving the seeded file on a port of its own; stopped afterwards."""
    port = free_port()
    environment = {
        **os.environ,
        "DATABASE_URL": seeded_sqlite_url,
        "RATELIMIT_ENABLED": "false",
        "EXPORT_FOLDER": str(tmp_path / "exports"),
    }
    log = tmp_path / "gunicorn.log"
    with log.open("w") as log_file:
        process = subprocess.Popen(
            gunicorn_command(port),
            cwd=PROJECT_ROOT,
            env=environment,
            stdout=log_file,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
    server = Server(process, f"http://{LOCALHOST}:{port}", log)
    try:
        answering = wait_until(lambda: fetch(server.base_url + "/readyz") == 200, seconds=30)
        assert answering, f"gunicorn did not answer:\n{server.log_tail()}"
        assert wait_until(lambda: len(workers_of(process.pid)) == GUNICORN_WORKERS, seconds=10)
        yield server
    finally:
        stop_gunicorn(process)


def fetch(url: str) -> int | str:
    """The HTTP status of GET `url`, or the name of the error if no response came."""
    try:
        with urllib.request.urlopen(url, timeout=10) as response:
            response.read()
            return response.status
    except urllib.error.HTTPError as error:
        return error.code
    except (OSError, http.client.HTTPException) as error:
        return type(error).__name__


def workers_of(master: int) -> set[int]:
    """The pids of the master's child processes (its workers), from /proc."""
    children_files = list(Path(f"/proc/{master}/task").glob("*/children"))
    if children_files:
        return {int(pid) for path in children_files for pid in read_proc(path).split()}
    return {pid for pid in proc_pids() if parent_of(pid) == master}


def read_proc(path: Path) -> str:
    try:
        return path.read_text()
    except OSError:  # the process or thread ended meanwhile
        return ""


def proc_pids() -> list[int]:
    return [int(entry.name) for entry in Path("/proc").iterdir() if entry.name.isdigit()]


def parent_of(pid: int) -> int | None:
    stat = read_proc(Path(f"/proc/{pid}/stat"))
    return int(stat.rpartition(")")[2].split()[1]) if stat else None


def run_load(base_url: str, outcomes: list) -> list[threading.Thread]:
    """Start the client threads; each appends the outcome of each of its requests."""

    def client(offset: int) -> None:
        for number in range(REQUESTS_PER_CLIENT):
            path = LOAD_PATHS[(number + offset) % len(LOAD_PATHS)]
            outcomes.append(fetch(base_url + path))

    threads = [
        threading.Thread(target=client, args=(i,), daemon=True) for i in range(CLIENT_THREADS)
    ]
    for thread in threads:
        thread.start()
    return threads


def join_all(threads: list[threading.Thread], seconds: float) -> None:
    deadline = time.monotonic() + seconds
    for thread in threads:
        thread.join(timeout=max(0.0, deadline - time.monotonic()))
    assert not any(thread.is_alive() for thread in threads), "client threads did not finish"


# Slow (~10 s): starts gunicorn and sends it 1,250 requests.
def test_a_killed_gunicorn_worker_is_replaced_and_costs_only_its_requests(gunicorn_server):
    master = gunicorn_server.process.pid
    outcomes: list[int | str] = []
    threads = run_load(gunicorn_server.base_url, outcomes)
    try:
        assert wait_until(lambda: len(outcomes) >= 100, seconds=30), gunicorn_server.log_tail()
        before = workers_of(master)
        victim = min(before)
        os.kill(victim, signal.SIGKILL)
        answered_at_kill = len(outcomes)
    finally:
        join_all(threads, seconds=90)

    total = CLIENT_THREADS * REQUESTS_PER_CLIENT
    assert answered_at_kill < total, "the load had finished before the worker was killed"
    assert len(before) == GUNICORN_WORKERS

    def replaced_in_full() -> bool:
        workers = workers_of(master)
        return len(workers) == GUNICORN_WORKERS and bool(workers - before)

    replaced = wait_until(replaced_in_full, seconds=10)
    assert replaced, f"no replacement worker:\n{gunicorn_server.log_tail()}"
    assert victim not in workers_of(master)
    assert gunicorn_server.process.poll() is None, "the gunicorn master died"

    failures = Counter(outcome for outcome in outcomes if outcome != 200)
    assert len(outcomes) == total
    assert failures.total() <= GUNICORN_THREADS, failures
    assert all(isinstance(outcome, str) for outcome in failures), failures
    fresh = [fetch(gunicorn_server.base_url + LOAD_PATHS[i % 2]) for i in range(50)]
    assert fresh == [200] * 50


# -- 3. Eight concurrent writers ------------------------------------------------------------

WRITERS = 8
LOADS_PER_WRITER = 3
READERS = 2
MAX_READS_PER_READER = 2000


@pytest.fixture(scope="module")
def seeds() -> Dataset:
    """The seed files, read once (0.6 s); each load gets a deep copy, as it stamps rows."""
    return read_seeds(SEEDS)


@contextmanager
def app_on_new_database(folder: Path, *, sqlite: bool) -> Iterator[Flask]:
    """An app on a database of its own, its connections closed afterwards."""
    with isolated_database(folder, sqlite=sqlite) as settings:
        app = make_app(settings)
        try:
            yield app
        finally:
            dispose_engine(app)


@pytest.fixture
def sqlite_app(tmp_path) -> Iterator[Flask]:
    """An app on a new SQLite file, whatever DATABASE_URL says."""
    with app_on_new_database(tmp_path, sqlite=True) as app:
        yield app


@pytest.fixture(params=["sqlite", "postgresql"])
def loading_app(request, tmp_path) -> Iterator[Flask]:
    """An app on a new SQLite file, or on a new schema of DATABASE_URL's PostgreSQL."""
    if request.param == "postgresql" and postgresql_url() is None:
        pytest.skip("DATABASE_URL does not name a PostgreSQL server")
    with app_on_new_database(tmp_path, sqlite=request.param == "sqlite") as app:
        yield app


def engine_of(app: Flask) -> Engine:
    with app.app_context():
        return database.engine()


def run_together(tasks: list[Callable[[], None]], seconds: float) -> list[str]:
    """Run the tasks in threads released at once; return the tracebacks of any that raised."""
    start = threading.Barrier(len(tasks), timeout=10)
    errors: list[str] = []

    def run(task: Callable[[], None]) -> None:
        try:
            start.wait()
            task()
        except BaseException:
            errors.append(traceback.format_exc())

    threads = [threading.Thread(target=run, args=(task,), daemon=True) for task in tasks]
    for thread in threads:
        thread.start()
    join_all(threads, seconds)
    return errors


def row_counts(engine: Engine, tables) -> dict[str, int]:
    with engine.connect() as connection:
        return {
            name: connection.scalar(select(func.count()).select_from(Base.metadata.tables[name]))
            for name in tables
        }


def change_log(engine: Engine) -> Counter:
    """How many times the change log names each (collection, record id, action)."""
    with engine.connect() as connection:
        rows = connection.execute(select(Change.collection, Change.record_id, Change.action))
        return Counter(tuple(row) for row in rows)


def records_of(dataset: Dataset) -> set[tuple[str, str]]:
    return {
        (table, row["id"]) for table in loader.OWNED_ROWS for row in dataset.rows.get(table, [])
    }


# Slow (~3 s, ~7 s on PostgreSQL): 24 loads of the seed data, with reads meanwhile.
def test_eight_concurrent_loads_neither_fail_nor_duplicate(loading_app, seeds):
    engine = engine_of(loading_app)
    writers_done = threading.Event()
    statuses: list[int] = []

    def write() -> None:
        for _ in range(LOADS_PER_WRITER):
            load_dataset(engine, copy.deepcopy(seeds))

    def read() -> None:
        client = loading_app.test_client()
        for _ in range(MAX_READS_PER_READER):
            if writers_done.is_set():
                return
            statuses.append(client.get("/v1/provisions?limit=5").status_code)

    def writers() -> None:
        try:
            assert run_together([write] * WRITERS, seconds=60) == []
        finally:
            writers_done.set()

    errors = run_together([writers] + [read] * READERS, seconds=90)
    assert errors == [], "\n".join(errors)
    assert statuses and set(statuses) == {200}, Counter(statuses)

    assert row_counts(engine, ["provisions"]) == {"provisions": seeds.count("provisions")}
    assert row_counts(engine, seeds.rows) == {name: seeds.count(name) for name in seeds.rows}
    expected = {(table, record, "created"): 1 for table, record in records_of(seeds)}
    assert change_log(engine) == expected


def hold_first_delete_until_both_read(engine: Engine) -> None:
    """Make each load wait, at its first DELETE, until the other load has done its reads."""
    both_read = threading.Barrier(2, timeout=10)
    held = threading.local()

    @event.listens_for(engine, "before_cursor_execute")
    def wait_for_the_other(_connection, _cursor, statement, *_arguments):
        if statement.lstrip().upper().startswith("DELETE") and not getattr(held, "done", False):
            held.done = True
            both_read.wait()


# Control: without BEGIN IMMEDIATE, two loads read the same (empty) database before either
# writes, so both log every record as created. It is not "database is locked": the sqlite3
# driver sends BEGIN only before the first write, so the reads run outside any transaction
# and the second writer merely waits (busy_timeout) for the first to commit.
def test_control_deferred_transactions_let_two_loads_log_every_record_twice(
    sqlite_app, seeds, monkeypatch
):
    engine = engine_of(sqlite_app)
    monkeypatch.setattr(loader, "write_transaction", lambda engine: engine.begin())
    hold_first_delete_until_both_read(engine)

    def write() -> None:
        load_dataset(engine, copy.deepcopy(seeds))

    assert run_together([write, write], seconds=30) == []
    expected = {(table, record, "created"): 2 for table, record in records_of(seeds)}
    assert change_log(engine) == expected
