"""Servers for the benchmarks: start one on a free 127.0.0.1 port, wait for it, stop it.

Shared by bench/scale/ (`make bench`), bench/export_memory.py and bench/load.py (`make load`).
A `Server` runs one command (a gunicorn master, or Datasette) in the repository's root, with
its output in a log file of the run's folder; leaving the `with` block terminates the process
it started (a gunicorn master stops its own workers), and kills it if it lingers.
"""

import contextlib
import json
import os
import socket
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.request
from pathlib import Path

from gunicorn.config import KNOWN_SETTINGS

HOST = "127.0.0.1"  # the only address the benchmarks ever talk to
BENCH = Path(__file__).resolve().parent
REPO_ROOT = BENCH.parent
STARTUP_SECONDS = 120
STOP_SECONDS = 20
SAMPLE_SECONDS = 0.01
# Never through a proxy, whatever the environment says: only to the local servers.
LOCAL = urllib.request.build_opener(urllib.request.ProxyHandler({}))


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind((HOST, 0))
        return probe.getsockname()[1]


def no_control_socket() -> list[str]:
    """Recent gunicorns open a control socket at one path per user: leave it to other servers."""
    flags = {flag for setting in KNOWN_SETTINGS for flag in setting.cli or ()}
    return ["--no-control-socket"] if "--no-control-socket" in flags else []


def gunicorn_command(app: str, *options: str, config: Path | None = None) -> list[str]:
    """This environment's gunicorn serving `app` on HOST:{port} (filled in by `Server`).

    Without `config`, gunicorn reads the repository's gunicorn.conf.py (servers run there).
    """
    command = [str(Path(sys.executable).with_name("gunicorn"))]
    if config:
        command += ["--config", str(config)]
    command += ["--bind", f"{HOST}:{{port}}", *options, *no_control_socket()]
    return [*command, "--pythonpath", str(BENCH), app]


class Server:
    """One server process on a free local port, stopped (with its children) on exit.

    `{port}` in the command is replaced by the port; the server is ready when `ready_path`
    gets any HTTP answer.
    """

    def __init__(
        self,
        name: str,
        command: list[str],
        environment: dict,
        folder: Path,
        *,
        ready_path: str = "/",
    ):
        self.name = name
        self.port = free_port()
        self.command = [part.replace("{port}", str(self.port)) for part in command]
        self.environment = {**os.environ, **environment}
        self.log = folder / f"{name}.log"
        self.ready_path = ready_path
        self.process: subprocess.Popen | None = None

    def url(self, path: str) -> str:
        return f"http://{HOST}:{self.port}{path}"

    def __enter__(self) -> "Server":
        with self.log.open("wb") as log:
            self.process = subprocess.Popen(
                self.command,
                cwd=REPO_ROOT,
                env=self.environment,
                stdout=log,
                stderr=subprocess.STDOUT,
            )
        try:
            self.wait_until_ready()
        except BaseException:
            self.stop()
            raise
        return self

    def __exit__(self, error_type, *_exc) -> None:
        self.stop()
        if error_type is not None and error_type is not KeyboardInterrupt:
            log = self.log.read_text(errors="replace")
            print(f"{self.name}'s log (end):\n{log[-3000:]}", file=sys.stderr)

    def stop(self) -> None:
        """Stop the process we started (a gunicorn master stops its workers); kill if it lingers."""
        if self.process is None or self.process.poll() is not None:
            return
        self.process.terminate()
        try:
            self.process.wait(timeout=STOP_SECONDS)
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
                self.get(self.ready_path)
                return
            except (urllib.error.URLError, ConnectionError):
                time.sleep(0.1)
        raise SystemExit(f"{self.name} did not answer in {STARTUP_SECONDS} s")

    def get(self, path: str, headers: dict | None = None) -> tuple[int, dict, bytes]:
        """GET a path: (status, headers, body), error statuses included."""
        request = urllib.request.Request(self.url(path), headers=headers or {})
        try:
            with LOCAL.open(request, timeout=120) as response:
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

    def pids(self) -> list[int]:
        """The process started and its children (a gunicorn master and its workers)."""
        return [self.process.pid, *self.worker_pids()]


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


def cpu_seconds(pid: int) -> float:
    """User plus system CPU time one process has used so far, from /proc/<pid>/stat."""
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def total_cpu_seconds(pids: list[int]) -> float:
    """CPU time of the processes still running, summed."""
    total = 0.0
    for pid in pids:
        with contextlib.suppress(OSError):
            total += cpu_seconds(pid)
    return total


def rss_kilobytes(pid: int, field: str) -> int:
    """A memory line of /proc/<pid>/status (VmRSS: now, VmHWM: peak so far), in kB."""
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith(f"{field}:"):
                return int(line.split()[1])
    except OSError:
        pass
    return 0


def reset_peak_rss(pids: list[int]) -> bool:
    """Reset the processes' VmHWM to their current RSS (Linux 4.0+); whether all were reset."""
    try:
        for pid in pids:
            Path(f"/proc/{pid}/clear_refs").write_text("5")
    except OSError:
        return False
    return True


class PeakSampler:
    """Samples the processes' resident memory in a thread while the `with` block runs."""

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
