"""The report: the run's command, corpus, machine and versions above the results table,
printed and written between the results markers of docs/benchmarks.md."""

import contextlib
import importlib.metadata
import os
import platform
import re
import shlex
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

from bench.scale.corpus import redact
from bench.scale.run import (
    DEFAULT_DOCUMENTS,
    DEFAULT_DURATION,
    DEFAULT_EXPORT_SECONDS,
    DEFAULT_ROUNDS,
    SEED,
    Run,
)
from bench.scale.table import markdown_table, table_rows
from bench.scale.wrk import WARMUP_SECONDS, WRK_CONNECTIONS, WRK_THREADS, WRK_TIMEOUT
from bench.servers import REPO_ROOT

DOCS = REPO_ROOT / "docs" / "benchmarks.md"
START_MARKER = "<!-- bench:results:start -->"
END_MARKER = "<!-- bench:results:end -->"


def render_report(run: Run) -> str:
    """The results section of docs/benchmarks.md: run, command, machine, versions, table."""
    arguments = run.arguments
    minutes = (time.monotonic() - run.started) / 60
    command = ["python", "-m", "bench.scale", "--documents", str(arguments.documents)]
    command += ["--duration", str(arguments.duration), "--rounds", str(arguments.rounds)]
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
    if (
        arguments.documents != DEFAULT_DOCUMENTS
        or arguments.duration != DEFAULT_DURATION
        or arguments.rounds != DEFAULT_ROUNDS
    ):
        lines += [
            f"> A smaller run than `make bench`'s defaults ({DEFAULT_DOCUMENTS:,} documents, "
            f"{DEFAULT_DURATION} s per scenario and round, {DEFAULT_ROUNDS} rounds): not the "
            "reference figures.",
            "",
        ]
    lines += [
        f"- Command: `{environment}.venv/bin/{shlex.join(command)}`"
        + (" (what `make bench` runs)" if is_default(arguments) else ""),
        f"- Corpus: `synthetic_dataset(documents={arguments.documents:,}, seed={SEED})`, "
        f"{run.picks.provisions:,} provisions; {'; '.join(run.timings)}.",
        f"- Load: `wrk -t{WRK_THREADS} -c{WRK_CONNECTIONS} -d{arguments.duration}s --latency "
        f"--timeout {WRK_TIMEOUT}` per scenario, after a {WARMUP_SECONDS} s warm-up "
        f"and waits for the server to go idle; {arguments.rounds} rounds over every "
        "scenario of a system, minutes apart, the one with the most requests a second kept.",
        f"- Machine: {machine()}.",
        f"- Versions: {run.versions}.",
    ]
    lines += [f"- {note}" for note in run.notes]
    if run.postgresql_skipped:
        lines.append(f"- **PostgreSQL skipped**: {run.postgresql_skipped}.")
    lines += ["", markdown_table(table_rows(run)), ""]
    return "\n".join(lines)


def is_default(arguments) -> bool:
    """Whether this is `make bench`'s own run, the reference figures."""
    return (
        arguments.documents == DEFAULT_DOCUMENTS
        and arguments.duration == DEFAULT_DURATION
        and arguments.rounds == DEFAULT_ROUNDS
        and arguments.export_seconds == DEFAULT_EXPORT_SECONDS
        and not arguments.no_postgresql
    )


def machine() -> str:
    """CPUs, model, memory, kernel and the load average, from /proc."""
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
    """The versions of everything measured or measuring."""
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
