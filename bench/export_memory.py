"""Does `GET /v1/export/provisions.ndjson` stream in bounded memory? Measure it under gunicorn.

For each size, a synthetic corpus is loaded into a temporary SQLite database, gunicorn serves
it on 127.0.0.1 (one gthread worker), and the export is read in chunks: every line must be
JSON and there must be one per provision. The worker's resident memory is sampled throughout.
Bounded memory shows as peak - baseline staying about the same with ten times the rows.

    python bench/export_memory.py [--provisions 100000] [--small-provisions 10000]
"""

import argparse
import http.client
import json
import os
import socket
import subprocess
import sys
import tempfile
import threading
import time
import urllib.error
import urllib.request
from dataclasses import dataclass
from pathlib import Path

from gunicorn.config import KNOWN_SETTINGS

from api import create_app, database
from api.seeding import load_dataset
from api.synthetic import synthetic_dataset

HOST = "127.0.0.1"  # the only address this script ever talks to
EXPORT_PATH = "/v1/export/provisions.ndjson"
READY_PATH = "/v1/provisions?limit=1"  # also warms the worker up before the baseline
CHUNK_BYTES = 64 * 1024
SAMPLE_SECONDS = 0.01
STARTUP_SECONDS = 60
SEED = 1
# Never through a proxy, whatever the environment says: only to the local server.
LOCAL = urllib.request.build_opener(urllib.request.ProxyHandler({}))


@dataclass
class Measurement:
    provisions: int
    rows: int
    megabytes: float
    seconds: float
    baseline_mb: float
    peak_mb: float

    @property
    def rows_per_second(self) -> float:
        return self.rows / self.seconds if self.seconds else 0.0


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--provisions", type=int, default=100_000, help="about this many rows")
    parser.add_argument(
        "--small-provisions", type=int, default=10_000, help="a second, smaller run (0: none)"
    )
    arguments = parser.parse_args()
    sizes = [size for size in (arguments.small_provisions, arguments.provisions) if size > 0]
    measurements = []
    for size in sizes:
        with tempfile.TemporaryDirectory(prefix="export-bench-") as folder:
            measurements.append(measure(size, Path(folder)))
    print_table(measurements)
    return 0


def measure(target_provisions: int, folder: Path) -> Measurement:
    """Load about `target_provisions` provisions, serve them, export them; return the numbers."""
    database_url = f"sqlite:///{folder / 'bench.sqlite3'}"
    provisions = load_corpus(database_url, documents_for(target_provisions))
    print(f"Loaded {provisions} provisions; starting gunicorn…", file=sys.stderr)
    with Gunicorn(database_url, folder) as server:
        server.get(READY_PATH)
        workers = server.worker_pids()
        baseline = max(rss_kilobytes(pid, "VmRSS") for pid in workers)
        sampler = PeakSampler(workers)
        with sampler:
            started = time.perf_counter()
            rows, size, version = stream_ndjson(server.url(EXPORT_PATH))
            seconds = time.perf_counter() - started
        peak = max(sampler.peak, *(rss_kilobytes(pid, "VmHWM") for pid in workers))
    if rows != provisions:
        raise SystemExit(f"export gave {rows} lines for {provisions} provisions")
    print(f"Exported {rows} lines of JSON, dataset version {version[:12]}…", file=sys.stderr)
    return Measurement(provisions, rows, size / 1e6, seconds, baseline / 1024, peak / 1024)


def documents_for(provisions: int) -> int:
    """How many synthetic documents hold about this many provisions (from a sample corpus)."""
    sample = synthetic_dataset(documents=2000, seed=SEED)
    per_document = sample.count("provisions") / sample.count("documents")
    return max(1, round(provisions / per_document))


def load_corpus(database_url: str, documents: int) -> int:
    app = create_app({"DATABASE_URL": database_url})
    with app.app_context():
        database.upgrade_schema()
        counts = load_dataset(database.engine(), synthetic_dataset(documents=documents, seed=SEED))
        database.engine().dispose()
    return counts["provisions"]


class Gunicorn:
    """One gunicorn master (and its worker) on a free local port, stopped on exit."""

    def __init__(self, database_url: str, folder: Path):
        self.port = free_port()
        self.log = folder / "gunicorn.log"
        self.environment = {
            **os.environ,
            "DATABASE_URL": database_url,
            "EXPORT_FOLDER": str(folder / "exports"),
        }
        self.process: subprocess.Popen | None = None

    def url(self, path: str) -> str:
        return f"http://{HOST}:{self.port}{path}"

    def __enter__(self) -> "Gunicorn":
        gunicorn = Path(sys.executable).with_name("gunicorn")
        command = [str(gunicorn), "--bind", f"{HOST}:{self.port}", "--workers", "1"]
        command += ["--worker-class", "gthread", "--threads", "2", "--graceful-timeout", "5"]
        command += [*no_control_socket(), "api:create_app()"]
        with self.log.open("wb") as log:
            self.process = subprocess.Popen(
                command, env=self.environment, stdout=log, stderr=subprocess.STDOUT
            )
        self.wait_until_ready()
        return self

    def __exit__(self, error_type, *_exc) -> None:
        """Stop the master we started (it stops its workers); kill it if it lingers."""
        if self.process is None:
            return
        self.process.terminate()
        try:
            self.process.wait(timeout=15)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()
        if error_type is not None:
            print(f"gunicorn's log:\n{self.log.read_text(errors='replace')}", file=sys.stderr)

    def wait_until_ready(self) -> None:
        deadline = time.monotonic() + STARTUP_SECONDS
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise SystemExit(f"gunicorn exited:\n{self.log.read_text(errors='replace')}")
            try:
                self.get("/")
                if self.worker_pids():
                    return
            except (urllib.error.URLError, ConnectionError):
                time.sleep(0.1)
        raise SystemExit(f"gunicorn did not answer in {STARTUP_SECONDS} s")

    def get(self, path: str) -> bytes:
        try:
            with LOCAL.open(self.url(path), timeout=30) as response:
                return response.read()
        except urllib.error.HTTPError as error:  # an answer all the same: the server is up
            return error.read()

    def worker_pids(self) -> list[int]:
        return child_pids(self.process.pid)


def no_control_socket() -> list[str]:
    """Recent gunicorns open a control socket at one path per user: leave it to other servers."""
    flags = {flag for setting in KNOWN_SETTINGS for flag in setting.cli or ()}
    return ["--no-control-socket"] if "--no-control-socket" in flags else []


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind((HOST, 0))
        return probe.getsockname()[1]


def child_pids(parent: int) -> list[int]:
    """The processes whose parent is `parent`, from /proc (task children, else every stat)."""
    children = set()
    for task in Path(f"/proc/{parent}/task").glob("*"):
        try:
            children.update(int(pid) for pid in (task / "children").read_text().split())
        except OSError:
            continue
    if children:
        return sorted(children)
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        if int(fields[1]) == parent:  # after the command name: state, then ppid
            children.add(int(stat.parent.name))
    return sorted(children)


def rss_kilobytes(pid: int, field: str) -> int:
    """A memory line of /proc/<pid>/status (VmRSS: now, VmHWM: peak so far), in kB."""
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith(f"{field}:"):
                return int(line.split()[1])
    except OSError:
        pass
    return 0


class PeakSampler:
    """Samples the workers' resident memory in a thread while the `with` block runs."""

    def __init__(self, pids: list[int]):
        self.pids = pids
        self.peak = 0
        self.stopped = threading.Event()
        self.thread = threading.Thread(target=self.run, daemon=True)

    def run(self) -> None:
        while not self.stopped.is_set():
            self.peak = max(self.peak, *(rss_kilobytes(pid, "VmRSS") for pid in self.pids))
            self.stopped.wait(SAMPLE_SECONDS)

    def __enter__(self) -> "PeakSampler":
        self.thread.start()
        return self

    def __exit__(self, *_exc) -> None:
        self.stopped.set()
        self.thread.join()


def stream_ndjson(url: str) -> tuple[int, int, str]:
    """Read the export in chunks, checking each line is JSON: (lines, bytes, dataset version)."""
    try:
        response = LOCAL.open(url, timeout=300)
    except urllib.error.HTTPError as error:
        raise SystemExit(f"GET {url} answered {error.code}: is the endpoint there?") from None
    lines = size = 0
    pending = b""
    with response:
        version = response.headers.get("X-Dataset-Version")
        if not version:
            raise SystemExit(f"GET {url}: no X-Dataset-Version header")
        try:
            while chunk := response.read(CHUNK_BYTES):
                size += len(chunk)
                *complete, pending = (pending + chunk).split(b"\n")
                for line in complete:
                    json.loads(line)
                    lines += 1
        except http.client.HTTPException as error:
            raise SystemExit(
                f"GET {url}: the stream broke off after {lines} lines ({size} bytes): {error!r}"
            ) from None
    if pending.strip():
        json.loads(pending)
        lines += 1
    return lines, size, version


def print_table(measurements: list[Measurement]) -> None:
    header = ("rows", "MB", "seconds", "rows/s", "baseline MB", "peak MB", "peak-baseline MB")
    print(" ".join(f"{title:>16}" for title in header))
    for m in measurements:
        values = (
            f"{m.rows}",
            f"{m.megabytes:.1f}",
            f"{m.seconds:.2f}",
            f"{m.rows_per_second:,.0f}",
            f"{m.baseline_mb:.1f}",
            f"{m.peak_mb:.1f}",
            f"{m.peak_mb - m.baseline_mb:.1f}",
        )
        print(" ".join(f"{value:>16}" for value in values))
    print(
        f"Worker RSS from /proc/<pid>/status (peak: VmHWM and VmRSS sampled every "
        f"{SAMPLE_SECONDS * 1000:.0f} ms); gunicorn gthread, 1 worker, 2 threads, SQLite."
    )


if __name__ == "__main__":
    sys.exit(main())
