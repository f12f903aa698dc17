"""The whole NDJSON export of the provisions, read through: rows/s, first byte, peak memory."""

from dataclasses import dataclass

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


def resident_mb(run: Run, api: Server) -> list[float]:
    """Each worker's resident memory (VmRSS, MB) once the server is idle again."""
    wait_until_idle(run, api)
    return [rss_kilobytes(pid, "VmRSS") / 1024 for pid in api.worker_pids()]
