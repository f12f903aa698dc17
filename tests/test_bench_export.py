"""`make bench` keeps the fastest of its export reads, as its wrk rounds keep their best."""

from bench.scale.export import Export, best_export
from bench.scale.table import export_note


def read(seconds: float, peak_mb: float, complete: bool = True, error: str | None = None):
    return Export(1000, 1000, complete, seconds, 0.01, 100.0, peak_mb, error)


def test_the_fastest_read_is_kept_with_the_highest_peak_of_all():
    best = best_export([read(14.9, 113.0), read(11.4, 98.0)])
    assert (best.seconds, best.peak_mb, best.reads) == (11.4, 113.0, 2)
    assert export_note(best).startswith("the faster of 2 reads: all 1,000 rows")


def test_a_read_that_failed_or_was_cut_short_is_the_one_reported():
    failed = read(0.0, 0.0, complete=False, error="HTTP 500")
    assert best_export([read(11.4, 98.0), failed]).error == "HTTP 500"
    cut = read(300.0, 120.0, complete=False)
    assert best_export([cut, read(11.4, 98.0)]).seconds == 300.0


def test_one_read_is_reported_as_before():
    assert not export_note(best_export([read(11.4, 98.0)])).startswith("the faster")
