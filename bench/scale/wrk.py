"""wrk: finding it, running it against one URL once the server is idle, and reading its output."""

import contextlib
import re
import shutil
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path

from bench.scale.profiles import FlameRecorder
from bench.scale.run import Run, log
from bench.servers import Server, total_cpu_seconds

WRK_THREADS, WRK_CONNECTIONS = 2, 16
WARMUP_SECONDS = 2  # an unrecorded wrk run before each measured one
IDLE_WAIT_SECONDS = 180
WRK_TIMEOUT = "30s"  # slow answers are measured, not dropped as timeouts (wrk's default: 2 s)


@dataclass
class WrkResult:
    requests_per_second: float
    p50_ms: float
    p99_ms: float
    requests: int
    bad_statuses: int
    socket_errors: int


def find_wrk() -> str:
    """wrk's path, installing it with apt-get if it is missing."""
    if not shutil.which("wrk"):
        print("wrk is missing: apt-get install -y wrk", file=sys.stderr)
        subprocess.run(["apt-get", "install", "-y", "wrk"], check=False)
    return shutil.which("wrk") or sys.exit("wrk is not installed and apt-get could not install it")


def measure(
    run: Run,
    wrk: str,
    server: Server,
    path: str,
    headers: dict | None = None,
    flame: Path | None = None,
) -> "WrkResult":
    """Idle, an unrecorded warm-up (sampled by py-spy into `flame`), idle again, then wrk."""
    log(run, f"wrk {server.name} {path[:100]}")
    wait_until_idle(run, server)  # abandoned slow requests of the last scenario still run
    recorder = FlameRecorder(server, WARMUP_SECONDS, flame, run.notes) if flame else None
    with recorder or contextlib.nullcontext():
        run_wrk(wrk, server.url(path), WARMUP_SECONDS, headers)  # caches and pools filled
    wait_until_idle(run, server)  # and the warm-up's abandoned requests done
    return run_wrk(wrk, server.url(path), run.arguments.duration, headers)


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
