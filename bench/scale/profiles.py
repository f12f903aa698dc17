"""Profiles per scenario for docs/profiles/: cProfile in-process, py-spy on a served worker."""

import cProfile
import io
import pstats
import shutil
import subprocess
import sys
import sysconfig
import time
from collections import Counter
from collections.abc import Callable
from pathlib import Path

from bench.servers import REPO_ROOT, Server

DOCS_PROFILES = REPO_ROOT / "docs" / "profiles"
PROFILE_REQUESTS = 200
PROFILE_SECONDS = 30
TOP_FUNCTIONS = 25
FLAME_SUFFIX = ".collapsed"
PY_SPY = Path(sys.executable).with_name("py-spy")  # the dev extra installs it
PY_SPY_RATE = 250  # samples per second
PY_SPY_GRACE_SECONDS = 30  # past its duration, before it is stopped


def profile_text(title: str, send: Callable[[], None]) -> str:
    """`send` under cProfile (PROFILE_REQUESTS times, fewer past PROFILE_SECONDS): the top
    functions by cumulative and by own time."""
    profiler = cProfile.Profile()
    requests = 0
    deadline = time.perf_counter() + PROFILE_SECONDS
    profiler.enable()
    while requests < PROFILE_REQUESTS and (not requests or time.perf_counter() < deadline):
        send()
        requests += 1
    profiler.disable()
    return report(profiler, title, f"{requests} requests")


def profile_call(title: str, call: Callable[[], object]) -> str:
    """One call under cProfile: the top functions by cumulative and by own time."""
    profiler = cProfile.Profile()
    profiler.runcall(call)
    return report(profiler, title, "one call")


def report(profiler: cProfile.Profile, title: str, what: str) -> str:
    """A profile as text: `title`, then the top functions by cumulative and by own time."""
    stream = io.StringIO()
    stats = pstats.Stats(profiler, stream=stream)
    for order in ("cumulative", "tottime"):
        stream.write(f"\n## Top {TOP_FUNCTIONS} by {order} ({what})\n")
        stats.sort_stats(order).print_stats(TOP_FUNCTIONS)
    lines = short_paths(stream.getvalue()).splitlines()
    return "\n".join([title, *(line.rstrip() for line in lines)]) + "\n"


def short_paths(text: str) -> str:
    """Paths in the repository, the environment and the standard library, made relative."""
    paths = sysconfig.get_paths()
    prefixes = {str(REPO_ROOT), *(paths[name] for name in ("purelib", "platlib", "stdlib"))}
    for prefix in sorted(prefixes, key=len, reverse=True):
        text = text.replace(f"{prefix}/", "")
    return text


class FlameRecorder:
    """py-spy sampling a server's workers (the threads holding the GIL) for `seconds` from the
    start of the `with` block, without pausing them; their stacks collapsed into `target`."""

    def __init__(self, server: Server, seconds: float, target: Path, notes: list):
        self.server, self.seconds, self.target, self.notes = server, seconds, target, notes
        self.raw = target.with_suffix(".raw")
        self.process: subprocess.Popen | None = None

    def __enter__(self) -> "FlameRecorder":
        if not PY_SPY.exists():
            self.note("py-spy is not installed (the dev extra has it): no stack files")
            return self
        command = [str(PY_SPY), "record", "--pid", str(self.server.process.pid)]
        command += ["--subprocesses", "--nonblocking", "--gil", "--nolineno"]
        command += ["--rate", str(PY_SPY_RATE), "--duration", str(self.seconds)]
        command += ["--format", "raw", "--output", str(self.raw)]
        self.process = subprocess.Popen(
            command, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True
        )
        return self

    def __exit__(self, *_exc) -> None:
        if self.process is None:
            return
        try:
            _, errors = self.process.communicate(timeout=self.seconds + PY_SPY_GRACE_SECONDS)
        except subprocess.TimeoutExpired:
            self.process.terminate()
            _, errors = self.process.communicate()
        if self.raw.exists():
            self.target.write_text(collapse(self.raw.read_text()))
            self.raw.unlink()
        else:
            last = (errors or "").strip().splitlines()[-1:] or ["no output"]
            self.note(f"py-spy recorded nothing ({last[0][:200]}): no stack files")

    def note(self, text: str) -> None:
        if text not in self.notes:
            self.notes.append(text)


def collapse(raw: str) -> str:
    """py-spy's raw stacks without their process, thread and thread-pool frames, merged,
    heaviest first."""
    counts = Counter()
    for line in short_paths(raw).splitlines():
        stack, _, count = line.rpartition(" ")
        if not stack or not count.isdigit():
            continue
        frames = [f for f in stack.split(";") if not f.startswith(("process ", "thread ("))]
        handler = [f.startswith("ThreadWorker.handle ") for f in frames]
        frames = frames[handler.index(True) :] if any(handler) else frames  # no thread pool
        counts[";".join(frames)] += int(count)
    return "".join(f"{stack} {count}\n" for stack, count in counts.most_common())


def publish(folder: Path) -> None:
    """Replace the profiles in docs/profiles/ with those of this run."""
    DOCS_PROFILES.mkdir(exist_ok=True)
    for old in DOCS_PROFILES.iterdir():
        if old.suffix in (".txt", FLAME_SUFFIX):
            old.unlink()
    for new in sorted(folder.iterdir()):
        shutil.copy(new, DOCS_PROFILES / new.name)
