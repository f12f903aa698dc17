"""The issue's targets: which apply to each scenario, and whether a result meets them."""

from dataclasses import dataclass

from bench.scale.run import Run
from bench.scale.scenarios import (
    CEILING,
    CONDITIONAL,
    DATASETTE,
    DEEP,
    DETAIL,
    EVERY,
    EXPORT,
    FIRST,
    FLOOR,
    LIST_KEYS,
    RARE,
)
from bench.scale.wrk import WrkResult

DATASETTE_FACTOR = 5.0  # first page, detail, deep page: ≥ 5x Datasette's requests/s
FILTER_FACTOR = 0.7  # every filter: ≥ 0.7x the unfiltered first page
FLOOR_FACTOR = 0.4  # each list page: ≥ 0.4x the Flask + sqlite3 floor for the same rows
CEILING_FACTOR = 0.7  # conditional GET: ≥ 0.7x the constant-response ceiling
SEARCH_P99_MS = 250.0
EXPORT_ROWS_PER_SECOND = 50_000
EXPORT_PEAK_MB = 250.0


@dataclass
class Check:
    """One target: `value` must be ≥ `bound` (at_least) or < `bound`."""

    name: str  # what the value is, e.g. "x Datasette"
    value: float | None
    bound: float
    at_least: bool = True

    @property
    def met(self) -> bool:
        if self.value is None:
            return False
        return self.value >= self.bound if self.at_least else self.value < self.bound

    def describe(self) -> str:
        if self.value is None:
            return f"no {self.name.removeprefix('x ')} figure"
        shown = {
            "p99 ms": f"p99 {self.value:,.0f} ms",
            "rows/s": f"{self.value:,.0f} rows/s",
            "peak MB": f"peak {self.value:,.0f} MB",
        }.get(self.name, f"{self.value:.2f}{self.name}")
        if self.met:
            return shown
        if self.at_least and not self.value:
            return f"{shown} (none at all)"
        factor = self.bound / self.value if self.at_least else self.value / self.bound
        digits = 2 if factor < 10 else 1
        return f"{shown} ({factor:.{digits}f}x {'short' if self.at_least else 'over'})"


def requests_ratio(numerator: WrkResult | None, denominator: WrkResult | None) -> float | None:
    """How many times the first's requests/s the second's are; None without both."""
    if not numerator or not denominator or not denominator.requests_per_second:
        return None
    return numerator.requests_per_second / denominator.requests_per_second


def checks(run: Run, database_name: str, key: str) -> list[Check]:
    """The issue's targets for one scenario on one database."""
    api = run.results.get((database_name, key))
    if key == EXPORT:
        export = run.exports[database_name]
        return [
            Check("rows/s", export.rows_per_second, EXPORT_ROWS_PER_SECOND),
            Check("peak MB", export.peak_mb, EXPORT_PEAK_MB, at_least=False),
        ]
    found = []
    if key in (FIRST, DEEP, DETAIL):
        ratio = requests_ratio(api, run.results.get((DATASETTE, key)))
        found.append(Check("x Datasette", ratio, DATASETTE_FACTOR))
    if key.startswith("filter:"):
        ratio = requests_ratio(api, run.results.get((database_name, FIRST)))
        found.append(Check("x first page", ratio, FILTER_FACTOR))
    if key in LIST_KEYS:
        found.append(
            Check("x floor", requests_ratio(api, run.results.get((FLOOR, key))), FLOOR_FACTOR)
        )
    if key in (RARE, EVERY):
        p99 = api.p99_ms if api.requests else None
        found.append(Check("p99 ms", p99, SEARCH_P99_MS, at_least=False))
    if key == CONDITIONAL:
        ratio = requests_ratio(api, run.results.get((CEILING, CONDITIONAL)))
        found.append(Check("x ceiling", ratio, CEILING_FACTOR))
    return found


def target_text(key: str) -> str:
    """The targets of one scenario, as the table states them."""
    if key == EXPORT:
        return f"≥ {EXPORT_ROWS_PER_SECOND:,} rows/s, peak < {EXPORT_PEAK_MB:.0f} MB"
    parts = []
    if key in (FIRST, DEEP, DETAIL):
        parts.append(f"≥ {DATASETTE_FACTOR:g}x Datasette")
    if key.startswith("filter:"):
        parts.append(f"≥ {FILTER_FACTOR:g}x first page")
    if key in LIST_KEYS:
        parts.append(f"≥ {FLOOR_FACTOR:g}x floor")
    if key in (RARE, EVERY):
        parts.append(f"p99 < {SEARCH_P99_MS:.0f} ms")
    if key == CONDITIONAL:
        parts.append(f"≥ {CEILING_FACTOR:g}x ceiling")
    return ", ".join(parts)


def met_text(found: list[Check], result: WrkResult | None) -> str:
    """`yes` or `**no**`, then each check's figure and any errors wrk saw."""
    problems = []
    if result and (result.bad_statuses or result.socket_errors):
        problems.append(f"{result.bad_statuses} non-2xx/3xx, {result.socket_errors} socket errors")
    verdict = "yes" if found and all(c.met for c in found) and not problems else "**no**"
    return f"{verdict}: " + "; ".join([*(c.describe() for c in found), *problems])
