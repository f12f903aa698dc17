"""Load test: wrk sends a mix of list, detail, search and conditional requests to gunicorn.

A synthetic corpus of 2,000 documents (about 36,000 provisions) is loaded into a temporary
SQLite database, so that lists and search do real work; the seeds are not loaded, since loading
a dataset replaces all the data. gunicorn serves it on 127.0.0.1 (2 gthread workers, 8 threads
each) with the rate limit raised out of the way: rate limiting is tested elsewhere. Real ids, a
search word and ETags are fetched first; bench/load_mix.lua then cycles through the requests
and flags every status other than the expected one (200; 304 for a conditional request).
Exits 1 on any socket error or unexpected status.

    python -m bench.load [--duration 60] [--connections 64]
"""

import argparse
import json
import os
import re
import resource
import shlex
import shutil
import subprocess
import sys
import tempfile
import time
import urllib.parse
from collections import Counter, defaultdict
from dataclasses import dataclass
from pathlib import Path
from typing import NamedTuple

from api import create_app
from api.seeding import load_dataset
from api.storage import database
from bench.servers import REPO_ROOT, Server, cpu_seconds, gunicorn_command
from synthetic import synthetic_dataset

LUA_SCRIPT = Path(__file__).resolve().with_name("load_mix.lua")
DOCUMENTS = 2000
SEED = 1
RATE_LIMIT = "1000000 per minute"  # far above what 64 connections send in a minute
WORKERS, THREADS = 2, 8
WRK_THREADS = 2
SAMPLED_DOCUMENTS = 4
MIN_MATCHES = 100  # the search word must match this many provisions, so ranking has work
SHOWN_SETTINGS = (
    "config",
    "worker_class",
    "workers",
    "threads",
    "keepalive",
    "timeout",
    "preload_app",
    "logger_class",
)
ACCESS_LOG_FORMAT = '%(s)s %(D)s "%(r)s"'  # status, microseconds, request line


@dataclass
class PlannedRequest:
    kind: str
    path: str
    expected: int
    etag: str  # the ETag its answer carries
    if_none_match: str | None = None

    def line(self) -> str:
        fields = (self.kind, str(self.expected), self.path, self.if_none_match or "-", self.etag)
        return "\t".join(fields)


class AccessRecord(NamedTuple):
    status: int
    milliseconds: float
    target: str  # path and query
    line: str


def main() -> int:
    arguments = parse_arguments()
    wrk = shutil.which("wrk") or sys.exit("wrk is not installed: apt-get install wrk")
    with tempfile.TemporaryDirectory(prefix="load-") as folder:
        results = load_test(arguments, wrk, Path(folder))
    return 1 if failed(results) else 0


def parse_arguments() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--duration", type=int, default=60, help="seconds of load")
    parser.add_argument("--connections", type=int, default=64, help="open connections")
    parser.add_argument("--word", help="search for this word (default: one from a real record)")
    parser.add_argument("--timeout", type=int, help="wrk's --timeout in seconds (wrk's default: 2)")
    return parser.parse_args()


def load_test(arguments: argparse.Namespace, wrk: str, folder: Path) -> dict:
    """Load the corpus, serve it, run wrk against it; print and return the results."""
    database_url = f"sqlite:///{folder / 'load.sqlite3'}"
    print_corpus(load_corpus(database_url))
    with Gunicorn(database_url, folder) as server:
        plan = plan_requests(server, arguments.word)
        print_plan(plan)
        plan_file = folder / "plan.tsv"
        plan_file.write_text("".join(f"{entry.line()}\n" for entry in plan))
        command = wrk_command(wrk, server.url(""), arguments)
        print(f"Load average before the run: {Path('/proc/loadavg').read_text().strip()}")
        print(f"$ {shlex.join(command)}", flush=True)
        time.sleep(1)  # the workers log a request after answering it: let them log the plan's
        logged_before = server.access_log.stat().st_size
        workers = server.worker_pids()
        server_cpu_before, wrk_cpu_before = workers_cpu_seconds(workers), children_cpu()
        machine_before = machine_busy_seconds()
        output = run_wrk(command, plan_file, arguments.duration)
        server_cpu = [
            after - before
            for after, before in zip(workers_cpu_seconds(workers), server_cpu_before, strict=True)
        ]
        wrk_cpu = children_cpu() - wrk_cpu_before
        machine_cpu = machine_busy_seconds() - machine_before
    results = read_results(output)
    print_results(results)
    print_cpu(server_cpu, wrk_cpu, machine_cpu, results["seconds"])
    records = read_access_log(read_lines(server.access_log, logged_before))
    print_endpoints(plan, records)
    print_server_problems(server, records)
    return results


def print_corpus(counts: dict[str, int]) -> None:
    print(
        f"Corpus: synthetic_dataset(documents={DOCUMENTS}, seed={SEED}): "
        f"{counts['documents']:,} documents, {counts['provisions']:,} provisions, "
        f"{counts['statements']:,} statements (not the seeds)."
    )


def load_corpus(database_url: str) -> dict[str, int]:
    app = create_app({"DATABASE_URL": database_url})
    with app.app_context():
        database.upgrade_schema()
        counts = load_dataset(database.engine(), synthetic_dataset(documents=DOCUMENTS, seed=SEED))
        database.engine().dispose()
    return counts


class Gunicorn(Server):
    """The API under gunicorn (WORKERS gthread workers, THREADS threads), its access log kept."""

    def __init__(self, database_url: str, folder: Path):
        self.access_log = folder / "access.log"
        command = gunicorn_command(
            "api:create_app()",
            *("--workers", str(WORKERS), "--worker-class", "gthread", "--threads", str(THREADS)),
            *("--graceful-timeout", "5", "--access-logfile", str(self.access_log)),
            *("--access-logformat", ACCESS_LOG_FORMAT),
        )
        environment = {
            "DATABASE_URL": database_url,
            "EXPORT_FOLDER": str(folder / "exports"),
            "RATELIMIT_DEFAULT": RATE_LIMIT,
        }
        super().__init__(
            "gunicorn", command, environment, folder, ready_path="/v1/provisions?limit=1"
        )

    def __enter__(self) -> "Gunicorn":
        print(f"$ RATELIMIT_DEFAULT='{RATE_LIMIT}' (raised: rate limits are tested elsewhere)")
        print(f"$ {shlex.join(self.command)}", flush=True)
        print(f"  settings in effect: {self.settings()}")
        super().__enter__()
        return self

    def settings(self) -> str:
        """The settings that shape the numbers, as gunicorn resolves them (with its config file)."""
        printed = subprocess.run(
            [*self.command[:-1], "--print-config", self.command[-1]],
            env=self.environment,
            cwd=REPO_ROOT,
            capture_output=True,
            text=True,
            check=True,
        ).stdout
        values = {}
        for line in printed.splitlines():
            name, _, value = line.partition(" = ")
            values[name.strip()] = value.strip()
        return ", ".join(f"{name}={values.get(name)}" for name in SHOWN_SETTINGS)


def workers_cpu_seconds(pids: list[int]) -> list[float]:
    """User plus system CPU time used so far by each process, from /proc/<pid>/stat."""
    return [cpu_seconds(pid) for pid in pids]


def machine_busy_seconds() -> float:
    """CPU time every process on the machine has used since boot: /proc/stat less idle, iowait."""
    fields = [int(value) for value in Path("/proc/stat").read_text().split("\n", 1)[0].split()[1:]]
    return (sum(fields[:8]) - fields[3] - fields[4]) / os.sysconf("SC_CLK_TCK")


def children_cpu() -> float:
    """CPU time used by this script's finished children (here: wrk)."""
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def fetch(server: Gunicorn, path: str) -> tuple[dict, str]:
    """A JSON answer that must be a 200, and its ETag."""
    status, headers, body = server.get(path)
    if status != 200 or not headers.get("ETag"):
        raise SystemExit(f"GET {path} answered {status}, ETag {headers.get('ETag')}: {body[:300]}")
    return json.loads(body), headers["ETag"]


def sample_ids(server: Gunicorn) -> tuple[list[str], list[str]]:
    """A few document ids spread over the list, and the first provision of each."""
    documents = fetch(server, "/v1/documents?limit=100")[0]["data"]
    step = len(documents) // SAMPLED_DOCUMENTS
    document_ids = [document["id"] for document in documents[::step][:SAMPLED_DOCUMENTS]]
    provision_ids = []
    for document_id in document_ids:
        provisions = fetch(server, f"/v1/documents/{document_id}/provisions?limit=1")[0]["data"]
        provision_ids += [provision["id"] for provision in provisions]
    if len(document_ids) < SAMPLED_DOCUMENTS or not provision_ids:
        raise SystemExit(f"too few records to sample: {document_ids}, {provision_ids}")
    return document_ids, provision_ids


def search_word(server: Gunicorn, provision_id: str) -> str:
    """The word of a real provision's action matching fewest provisions, at least MIN_MATCHES."""
    action = fetch(server, f"/v1/provisions/{provision_id}")[0]["action"]
    counts = {word: provisions_matching(server, word) for word in re.findall(r"[a-z]{4,}", action)}
    enough = {word: count for word, count in counts.items() if count >= MIN_MATCHES}
    if not enough:
        raise SystemExit(f"no word of {action!r} matches {MIN_MATCHES} provisions: {counts}")
    return min(enough, key=enough.get)


def provisions_matching(server: Gunicorn, word: str) -> int:
    """How many provisions a search finds (every provision has a verification to count by)."""
    query = urllib.parse.urlencode({"q": word, "facets": "verification", "limit": 1})
    facets = fetch(server, f"/v1/provisions?{query}")[0]["facets"]["verification"]
    return sum(value["count"] for value in facets)


def plan_requests(server: Gunicorn, word: str | None) -> list[PlannedRequest]:
    """The mix, each with its ETag; the conditional URLs are not among the plain ones."""
    document_ids, provision_ids = sample_ids(server)
    word = word or search_word(server, provision_ids[0])
    print(f"Search word {word!r} matches {provisions_matching(server, word):,} provisions.")
    word = urllib.parse.quote(word)
    paths = {
        "list": [
            "/v1/provisions?limit=20",
            "/v1/documents?type=executive_order",
            "/v1/provisions?modality=directs&limit=50",
        ],
        "detail": [f"/v1/documents/{id_}?include=provisions" for id_ in document_ids[:-1]]
        + [f"/v1/provisions/{id_}" for id_ in provision_ids],
        "search": [f"/v1/search?q={word}", f"/v1/provisions?q={word}"],
    }
    plan = [
        PlannedRequest(kind, path, 200, fetch(server, path)[1])
        for kind, kind_paths in paths.items()
        for path in kind_paths
    ]
    for path in ("/v1/documents?limit=20", f"/v1/documents/{document_ids[-1]}"):
        etag = fetch(server, path)[1]
        plan.append(PlannedRequest("conditional", path, 304, etag, if_none_match=etag))
    etags = Counter(entry.etag for entry in plan)
    if max(etags.values()) > 1:
        raise SystemExit(f"planned requests share an ETag, so answers cannot be told apart: {plan}")
    return plan


def print_plan(plan: list[PlannedRequest]) -> None:
    print(f"Request mix, {len(plan)} requests a cycle (each connection takes the next):")
    for entry in plan:
        condition = f"  If-None-Match: {entry.if_none_match}" if entry.if_none_match else ""
        print(f"  {entry.kind:<12} expects {entry.expected}  GET {entry.path}{condition}")


def wrk_command(wrk: str, url: str, arguments: argparse.Namespace) -> list[str]:
    return [
        wrk,
        f"-t{WRK_THREADS}",
        f"-c{arguments.connections}",
        f"-d{arguments.duration}s",
        *([f"--timeout={arguments.timeout}s"] if arguments.timeout else []),
        "--latency",
        "-s",
        str(LUA_SCRIPT),
        url,
    ]


def run_wrk(command: list[str], plan_file: Path, duration: int) -> str:
    """Run wrk, echoing its output; the output."""
    environment = {**os.environ, "LOAD_PLAN": str(plan_file)}
    completed = subprocess.run(
        command, env=environment, capture_output=True, text=True, timeout=duration + 120
    )
    print(completed.stdout, completed.stderr, sep="", flush=True)
    if completed.returncode != 0:
        raise SystemExit(f"wrk exited with {completed.returncode}")
    return completed.stdout


def read_results(output: str) -> dict:
    """The `load <name> <value>` lines printed by load_mix.lua's done()."""
    results = {"sent": {}, "status": {}, "samples": []}
    for line in output.splitlines():
        if not line.startswith("load "):
            continue
        _, name, rest = line.split(" ", 2)
        if name == "sample":
            results["samples"].append(rest)
        elif name in ("sent", "status"):
            key, value = rest.rsplit(" ", 1)
            results[name][key] = int(value)
        else:
            results[name] = float(rest)
    if "unexpected" not in results:
        raise SystemExit("wrk printed no results: did load_mix.lua's done() run?")
    return results


def print_cpu(server_cpu: list[float], wrk_cpu: float, machine_cpu: float, seconds: float) -> None:
    """Where the machine's CPU time went in the run: a busy `others` means a shared machine."""
    available = (os.cpu_count() or 1) * seconds
    each = " + ".join(f"{worker:.1f}" for worker in server_cpu)
    others = machine_cpu - sum(server_cpu) - wrk_cpu
    print(
        f"CPU in the run, of {available:.0f} s ({os.cpu_count()} CPUs x {seconds:.0f} s): "
        f"gunicorn workers {sum(server_cpu):.1f} s ({each}), wrk {wrk_cpu:.1f} s, "
        f"other processes {max(others, 0):.1f} s, idle {max(available - machine_cpu, 0):.1f} s"
    )


def socket_errors(results: dict) -> int:
    return sum(int(results[f"errors_{name}"]) for name in ("connect", "read", "write", "timeout"))


def failed(results: dict) -> bool:
    return socket_errors(results) > 0 or results["unexpected"] > 0


def print_results(results: dict) -> None:
    rows = [
        ("requests", f"{results['requests']:,.0f} in {results['seconds']:.1f} s"),
        ("requests/s", f"{results['requests_per_second']:,.1f}"),
        ("latency p50", f"{results['latency_p50_ms']:.1f} ms"),
        ("latency p90", f"{results['latency_p90_ms']:.1f} ms"),
        ("latency p99", f"{results['latency_p99_ms']:.1f} ms"),
        ("latency max", f"{results['latency_max_ms']:.1f} ms"),
        ("socket errors", socket_error_text(results)),
        ("non-2xx/3xx", f"{results['errors_status']:.0f}"),
        ("unexpected statuses", f"{results['unexpected']:.0f}"),
    ]
    rows += [(f"answers {key}", f"{value:,}") for key, value in results["status"].items()]
    rows += [(f"sent {key}", f"{value:,}") for key, value in results["sent"].items()]
    print("Results (wrk, measured at the client):")
    for name, value in rows:
        print(f"  {name:<24} {value}")
    for sample in results["samples"]:
        print(f"  unexpected: {sample}")
    print("FAILED" if failed(results) else "OK: no socket errors, every status as expected")


def socket_error_text(results: dict) -> str:
    names = ("connect", "read", "write", "timeout")
    return ", ".join(f"{name} {results[f'errors_{name}']:.0f}" for name in names)


def read_lines(path: Path, offset: int) -> list[str]:
    with path.open("rb") as file:
        file.seek(offset)
        return file.read().decode(errors="replace").splitlines()


def print_endpoints(plan: list[PlannedRequest], records: list[AccessRecord]) -> None:
    """Time spent in the worker per planned request during the run, from the access log."""
    timings, statuses = defaultdict(list), defaultdict(Counter)
    for record in records:
        timings[record.target].append(record.milliseconds)
        statuses[record.target][record.status] += 1
    print("Per request, in the worker (gunicorn access log; excludes time queued for a thread):")
    print(f"  {'requests':>8} {'p50 ms':>8} {'p90 ms':>8} {'p99 ms':>8} {'max ms':>8}  request")
    for entry in plan:
        times = sorted(timings.get(entry.path, []))
        if not times:
            continue
        figures = [percentile(times, p) for p in (50, 90, 99)] + [times[-1]]
        numbers = " ".join(f"{value:8.1f}" for value in figures)
        status = ", ".join(f"{code}: {n}" for code, n in sorted(statuses[entry.path].items()))
        print(f"  {len(times):>8} {numbers}  {entry.kind} {entry.path} ({status})")


def read_access_log(lines: list[str]) -> list[AccessRecord]:
    """The requests logged, from the project's JSON access log or else ACCESS_LOG_FORMAT."""
    records = []
    pattern = re.compile(r'^(\d+) (\d+) "GET (\S+) HTTP/[\d.]+"$')
    for line in lines:
        if line.startswith("{"):
            entry = json.loads(line)
            target = entry["path"] + (f"?{entry['query']}" if entry["query"] else "")
            records.append(AccessRecord(entry["status"], entry["duration_ms"], target, line))
        elif match := pattern.match(line):
            status, microseconds, target = match.groups()
            records.append(AccessRecord(int(status), int(microseconds) / 1000, target, line))
    return records


def percentile(sorted_values: list[float], p: float) -> float:
    index = min(len(sorted_values) - 1, round(p / 100 * (len(sorted_values) - 1)))
    return sorted_values[index]


def print_server_problems(server: Gunicorn, records: list[AccessRecord]) -> None:
    """Any status other than 200 or 304 the server logged in the run, and its log if so."""
    problems = [record.line for record in records if record.status not in (200, 304)]
    if not problems:
        return
    print(f"The server logged {len(problems)} other answers; the first 20:")
    print("\n".join(f"  {line}" for line in problems[:20]))
    print(f"gunicorn's log:\n{server.log.read_text(errors='replace')[-5000:]}")


if __name__ == "__main__":
    sys.exit(main())
