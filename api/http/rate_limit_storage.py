"""Rate-limit storages that need no server: shared by one server's workers, or in-process.

`sqlite://` (the default) counts in a SQLite file that the workers gunicorn forks all open,
so a limit holds across them. `locked-memory://` counts in one process only: limits 5.8's
MemoryStorage restarts its expiry timer without a lock, so two threads of one gthread worker
can start the same timer and one request fails with "threads can only be started once"
(limits issue #26; the fix is not released yet); this one takes a lock there. Redis
(`redis://`) needs neither.
"""

import contextlib
import os
import shutil
import sqlite3
import tempfile
import threading
import time
import weakref

from limits.storage import MemoryStorage, Storage


class LockedMemoryStorage(MemoryStorage):
    STORAGE_SCHEME = ["locked-memory"]

    def __init__(self, uri: str | None = None, wrap_exceptions: bool = False, **options):
        self._expiry_lock = threading.Lock()
        super().__init__(uri, wrap_exceptions=wrap_exceptions, **options)

    def _MemoryStorage__schedule_expiry(self) -> None:
        with self._expiry_lock:
            if not self.timer.is_alive():
                self.timer = threading.Timer(0.01, self._MemoryStorage__expire_events)
                self.timer.start()


class SharedSQLiteStorage(Storage):
    """Fixed-window counters (Flask-Limiter's default strategy) in a SQLite file."""

    # `sqlite://` makes a new file, in a temporary folder removed when its maker exits, as the
    # app is made: gunicorn makes the app before forking its workers (preload_app), so one
    # server's workers count together and other servers apart. `sqlite:///path/file.sqlite3`
    # names the file instead, for the servers of one host to share.

    STORAGE_SCHEME = ["sqlite"]
    # Expired windows are swept from the file at most this often, by each process.
    SWEEP_SECONDS = 60

    def __init__(self, uri: str | None = None, wrap_exceptions: bool = False, **options):
        super().__init__(uri, wrap_exceptions=wrap_exceptions, **options)
        path = (uri or "").removeprefix("sqlite://")
        if not path:
            folder = tempfile.mkdtemp(prefix="provisions-rate-limits-")
            path = os.path.join(folder, "counters.sqlite3")
            # Forked workers inherit the finalizer: only the maker removes the folder.
            weakref.finalize(self, _remove_folder, folder, os.getpid())
        self.path = path
        self._local = threading.local()
        self._swept_at = 0.0
        # Made and closed here: a connection must not cross a fork, so each process (and each
        # of its threads) opens its own.
        with contextlib.closing(self._connect()) as connection:
            connection.execute("PRAGMA journal_mode=WAL")
            connection.execute(CREATE_COUNTERS)

    @property
    def base_exceptions(self) -> type[Exception]:
        return sqlite3.Error

    def _connect(self) -> sqlite3.Connection:
        connection = sqlite3.connect(self.path, timeout=10, isolation_level=None)
        # Counters need not survive a crash of the machine: no waiting on the disk.
        connection.execute("PRAGMA synchronous=OFF")
        return connection

    def _connection(self) -> sqlite3.Connection:
        local = self._local
        if getattr(local, "pid", None) != os.getpid():
            local.connection, local.pid = self._connect(), os.getpid()
        return local.connection

    def incr(self, key: str, expiry: int, amount: int = 1) -> int:
        now = time.time()
        if now - self._swept_at > self.SWEEP_SECONDS:
            self._swept_at = now
            self._connection().execute("DELETE FROM counters WHERE expires_at <= ?", (now,))
        parameters = {"key": key, "amount": amount, "now": now, "expires_at": now + expiry}
        (count,) = self._connection().execute(INCREMENT, parameters).fetchone()
        return count

    def get(self, key: str) -> int:
        row = self._live(key)
        return row[0] if row else 0

    def get_expiry(self, key: str) -> float:
        row = self._live(key)
        return row[1] if row else time.time()

    def _live(self, key: str) -> tuple[int, float] | None:
        statement = "SELECT count, expires_at FROM counters WHERE key = ? AND expires_at > ?"
        return self._connection().execute(statement, (key, time.time())).fetchone()

    def check(self) -> bool:
        try:
            self._connection().execute("SELECT 1").fetchone()
        except sqlite3.Error:
            return False
        return True

    def reset(self) -> int | None:
        return self._connection().execute("DELETE FROM counters").rowcount

    def clear(self, key: str) -> None:
        self._connection().execute("DELETE FROM counters WHERE key = ?", (key,))


CREATE_COUNTERS = """
CREATE TABLE IF NOT EXISTS counters (
    key TEXT PRIMARY KEY,
    count INTEGER NOT NULL,
    expires_at REAL NOT NULL
) WITHOUT ROWID
"""
# One statement, so one atomic step however many processes count: a window that has expired
# starts again from this hit, with a new expiry.
INCREMENT = """
INSERT INTO counters (key, count, expires_at) VALUES (:key, :amount, :expires_at)
ON CONFLICT (key) DO UPDATE SET
    count = CASE WHEN expires_at > :now THEN count + excluded.count ELSE excluded.count END,
    expires_at = CASE WHEN expires_at > :now THEN expires_at ELSE excluded.expires_at END
RETURNING count
"""


def _remove_folder(folder: str, maker: int) -> None:
    if os.getpid() == maker:
        shutil.rmtree(folder, ignore_errors=True)
