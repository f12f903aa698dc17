"""The whole NDJSON export of the provisions, read through: rows/s, first byte, peak memory."""

from collections.abc import Iterable
from dataclasses import dataclass, replace

from bench.export_memory import read_export
from bench.scale.run import Run, log
from bench.scale.wrk import wait_until_idle
from bench.servers import PeakSampler, Server, reset_peak_rss, rss_kilobytes

EXPORT_PATH = "/v1/export/provisions.ndjson"


@dataclass
class Export:
    rows: int
    expected_rows: int
    complete: bool
    seconds: float
    first_byte_seconds: float
    baseline_mb: float
    peak_mb: float
    error: str | None = None  # the export failed: why (the run goes on, the row says so)
    reads: int = 1  # reads of the whole export this one was chosen from (`best_export`)

    @property
    def rows_per_second(self) -> float:
        return self.rows / self.seconds if self.seconds else 0.0


def measure_export(run: Run, api: Server) -> Export:
    """Read the whole provisions export (at most --export-seconds): rows/s, first byte, peak RSS.

    Every line is parsed as JSON; the workers' peak RSS is reset first (so it is the export's
    own, not an earlier scenario's) and sampled every 10 ms.
    """
    wait_until_idle(run, api)
    workers = api.worker_pids()
    baseline = max(rss_kilobytes(pid, "VmRSS") for pid in workers)
    reset = reset_peak_rss(workers)
    with PeakSampler(workers) as sampler:
        try:
            read = read_export(api.url(EXPORT_PATH), run.arguments.export_seconds)
        except SystemExit as error:  # an error status or a broken stream: said in its row
            log(run, f"export failed: {error}")
            return Export(
                0, run.picks.provisions, False, 0.0, 0.0, baseline / 1024, 0.0, str(error)
            )
    peak = sampler.peak
    if reset:
        peak = max(peak, *(rss_kilobytes(pid, "VmHWM") for pid in workers))
    return Export(
        rows=read.lines,
        expected_rows=run.picks.provisions,
        complete=read.complete,
        seconds=read.seconds,
        first_byte_seconds=read.first_byte_seconds,
        baseline_mb=baseline / 1024,
        peak_mb=peak / 1024,
    )


def best_export(exports: Iterable[Export]) -> Export:
    """The fastest of the reads, as the wrk rounds keep their best, with the highest peak of
    them all (memory is a ceiling every read must keep under); a read that failed or was cut
    short instead, if any did: that is what the row must say."""
    exports = list(exports)
    for export in exports:
        if export.error or not export.complete:
            return replace(export, reads=len(exports))
    fastest = max(exports, key=lambda export: export.rows_per_second)
    peak = max(export.peak_mb for export in exports)
    return replace(fastest, peak_mb=peak, reads=len(exports))


def resident_mb(run: Run, api: Server) -> list[float]:
    """Each worker's resident memory (VmRSS, MB) once the server is idle again."""
    wait_until_idle(run, api)
    return [rss_kilobytes(pid, "VmRSS") / 1024 for pid in api.worker_pids()]
