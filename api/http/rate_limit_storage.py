"""In-process rate-limit counters that threaded workers can share safely.

limits 5.8's MemoryStorage restarts its expiry timer without a lock, so two threads of one
gthread worker can start the same timer and one request fails with "threads can only be
started once" (limits issue #26; the fix is not released yet). This storage takes a lock
there. It is registered as `locked-memory://`, the default; Redis needs none of this.
"""

import threading

from limits.storage import MemoryStorage


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
