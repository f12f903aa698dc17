"""Does `GET /v1/export/provisions.ndjson` stream in bounded memory? Measure it under gunicorn.

For each size, a synthetic corpus is loaded into a temporary SQLite database, gunicorn serves
it on 127.0.0.1 (one gthread worker), and the export is read in chunks: every line must be
JSON and there must be one per provision. The worker's resident memory is sampled throughout.
Bounded memory shows as peak - baseline staying about the same with ten times the rows.
`make bench` (bench/scale/) measures the same export at about a million provisions, with
`read_export` below; this script is the quick check at two small sizes.

    python -m bench.export_memory [--provisions 100000] [--small-provisions 10000]
"""

import argparse
import http.client
import json
import sys
import tempfile
import time
import urllib.error
from dataclasses import dataclass
from pathlib import Path

from api import create_app
from api.seeding import load_dataset
from api.storage import database
from bench.servers import (
    LOCAL,
    SAMPLE_SECONDS,
    PeakSampler,
    Server,
    gunicorn_command,
    rss_kilobytes,
)
from synthetic import synthetic_dataset

EXPORT_PATH = "/v1/export/provisions.ndjson"
READY_PATH = "/v1/provisions?limit=1"  # also warms the worker up before the baseline
CHUNK_BYTES = 64 * 1024
SEED = 1


@dataclass
class ExportRead:
    """What reading an NDJSON export gave: every line was parsed as JSON."""

    lines: int
    size: int  # bytes
    version: str  # X-Dataset-Version
    first_byte_seconds: float
    seconds: float
    complete: bool  # read to the end (not cut at the time limit)


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
    command = gunicorn_command(
        "api:create_app()",
        *("--workers", "1", "--worker-class", "gthread", "--threads", "2"),
        *("--graceful-timeout", "5"),
    )
    environment = {"DATABASE_URL": database_url, "EXPORT_FOLDER": str(folder / "exports")}
    with Server("gunicorn", command, environment, folder, ready_path=READY_PATH) as server:
        server.get(READY_PATH)
        workers = server.worker_pids()
        baseline = max(rss_kilobytes(pid, "VmRSS") for pid in workers)
        with PeakSampler(workers) as sampler:
            export = read_export(server.url(EXPORT_PATH))
        peak = max(sampler.peak, *(rss_kilobytes(pid, "VmHWM") for pid in workers))
    if export.lines != provisions:
        raise SystemExit(f"export gave {export.lines} lines for {provisions} provisions")
    print(f"Exported {export.lines} lines of JSON, version {export.version[:12]}…", file=sys.stderr)
    return Measurement(
        provisions,
        export.lines,
        export.size / 1e6,
        export.seconds,
        baseline / 1024,
        peak / 1024,
    )


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


def read_export(url: str, time_limit: float | None = None) -> ExportRead:
    """Read an NDJSON export in chunks, parsing every line as JSON; stop after `time_limit` s."""
    started = time.perf_counter()
    try:
        response = LOCAL.open(url, timeout=300)
    except urllib.error.HTTPError as error:
        raise SystemExit(f"GET {url} answered {error.code}: is the endpoint there?") from None
    lines = size = 0
    pending = b""
    first_byte = None
    complete = True
    with response:
        version = response.headers.get("X-Dataset-Version")
        if not version:
            raise SystemExit(f"GET {url}: no X-Dataset-Version header")
        try:
            while chunk := response.read(CHUNK_BYTES):
                first_byte = first_byte or time.perf_counter() - started
                size += len(chunk)
                *complete_lines, pending = (pending + chunk).split(b"\n")
                for line in complete_lines:
                    json.loads(line)
                    lines += 1
                if time_limit and time.perf_counter() - started > time_limit:
                    complete = False
                    break
        except http.client.HTTPException as error:
            raise SystemExit(
                f"GET {url}: the stream broke off after {lines} lines ({size} bytes): {error!r}"
            ) from None
    seconds = time.perf_counter() - started
    if complete and pending.strip():
        json.loads(pending)
        lines += 1
    return ExportRead(lines, size, version, first_byte or seconds, seconds, complete)


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
