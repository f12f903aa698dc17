"""What one run knows: its options, the values picked from the corpus, timings and results."""

import argparse
import datetime
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path

DEFAULT_DOCUMENTS = 100_000  # about 1,000,000 provisions
DEFAULT_DURATION = 6  # seconds of wrk per scenario and round
DEFAULT_ROUNDS = 2
DEFAULT_EXPORT_SECONDS = 300
DEFAULT_POSTGRESQL_URL = "postgresql+psycopg://postgres@127.0.0.1:5432/test"
SEED = 1
SQLITE, POSTGRESQL = "SQLite", "PostgreSQL"  # the databases the API is measured on


@dataclass
class Picks:
    """Values taken from the loaded file, so that every filter and page has rows to show."""

    provisions: int
    deep_keys: tuple  # (document_id, position, id) of row N/2 in the API's order
    deep_id: str  # id of row N/2 in id order (Datasette's)
    detail_document: str
    detail_provision: str  # the first id of all (Datasette's detail)
    first_provision: str  # the first provision of the detail's document (its HTML page)
    common_addressee: str  # the most common addressee (its filter and its HTML page)
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
    postgresql_schema: str | None = None  # that schema's name
    postgresql_version: str = "(skipped)"
    postgresql_skipped: str | None = None
    datasette: Path | None = None
    picks: Picks | None = None
    rare_word: str | None = None
    versions: str = ""
    scenarios: dict = field(default_factory=dict)  # database -> [Scenario]
    results: dict = field(default_factory=dict)  # (system, key) -> WrkResult
    exports: dict = field(default_factory=dict)  # database -> Export
    expected_ids: dict = field(default_factory=dict)  # (database, list key) -> page ids
    in_process: dict = field(default_factory=dict)  # (database, key) -> InProcess
    rendered_in_process: dict = field(default_factory=dict)  # the same, HTML pages rendered
    worker_rss_mb: dict = field(default_factory=dict)  # database -> each worker's VmRSS at the end
    loads: dict = field(default_factory=dict)  # database -> (provisions, seconds)
    load_floors: dict = field(default_factory=dict)  # database -> seconds (see load_floor)
    profiles: Path | None = None  # where profiles are written during the run (None: not at all)
    notes: list = field(default_factory=list)
    timings: list = field(default_factory=list)


def log(run: Run, message: str) -> None:
    """A progress line on standard error, with the minutes and seconds since the start."""
    elapsed = time.monotonic() - run.started
    print(f"[{elapsed // 60:02.0f}:{elapsed % 60:02.0f}] {message}", file=sys.stderr, flush=True)


def database_urls(run: Run) -> dict:
    """The databases the API is measured on, by name: SQLite, then PostgreSQL if loaded."""
    urls = {SQLITE: f"sqlite:///{run.sqlite_file}"}
    if run.postgresql_url:
        urls[POSTGRESQL] = run.postgresql_url
    return urls
