"""The results table: one row per scenario and database, then the floor and the ceiling."""

from bench.scale.export import Export
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
    RARE,
    SQLITE,
)
from bench.scale.targets import checks, met_text, requests_ratio, target_text
from bench.scale.wrk import WRK_CONNECTIONS, WrkResult

HEADER = (
    "scenario",
    "API req/s",
    "p50 ms",
    "p99 ms",
    "Datasette req/s",
    "Datasette p99 ms",
    "API/Datasette",
    "API/floor",
    "API/ceiling",
    "target",
    "met?",
    "notes",
)
NOTES = {
    DETAIL: "Datasette: one provisions row; the API: a document and its provisions tree",
    RARE: "the API: /v1/search, every kind of record; Datasette: provisions only",
    EVERY: "the API: /v1/search, every kind of record; Datasette: provisions only",
}


def rate(result: WrkResult | None) -> str:
    if not result:
        return "—"
    value = result.requests_per_second
    return f"{value:,.1f}" if value < 10 else f"{value:,.0f}"


def ms(value: float) -> str:
    return f"{value:,.1f}" if value < 100 else f"{value:,.0f}"


def ratio_cell(value: float | None) -> str:
    return "—" if value is None else f"{value:.2f}"


def table_rows(run: Run) -> list[list[str]]:
    """Every row of the table, cells as text."""
    rows = []
    for database_name, scenarios in run.scenarios.items():
        suffix = "" if database_name == SQLITE else f" [{database_name}]"
        ceiling = run.results.get((CEILING, CONDITIONAL))
        for scenario in scenarios:
            api = run.results[database_name, scenario.key]
            other = run.results.get((DATASETTE, scenario.key))
            notes = [NOTES.get(scenario.key, "")]
            if api.requests < WRK_CONNECTIONS:
                notes.append(f"only {api.requests} answers in {run.arguments.duration} s")
            rows.append(
                [
                    f"{scenario.label}{suffix}",
                    rate(api),
                    ms(api.p50_ms),
                    ms(api.p99_ms),
                    rate(other),
                    ms(other.p99_ms) if other else "—",
                    ratio_cell(requests_ratio(api, other)),
                    ratio_cell(requests_ratio(api, run.results.get((FLOOR, scenario.key)))),
                    ratio_cell(requests_ratio(api, ceiling)),
                    target_text(scenario.key),
                    met_text(checks(run, database_name, scenario.key), api),
                    "; ".join(note for note in notes if note),
                ]
            )
        export = run.exports[database_name]
        rows.append(
            [
                f"export NDJSON{suffix}",
                *["—"] * 8,
                target_text(EXPORT),
                met_text(checks(run, database_name, EXPORT), None),
                export_note(export),
            ]
        )
    if run.postgresql_skipped:
        rows.append(["PostgreSQL: skipped", *["—"] * 10, run.postgresql_skipped])
    references = [
        ("floor: first page (Flask + sqlite3)", run.results.get((FLOOR, FIRST))),
        ("floor: modality=directs", run.results.get((FLOOR, "filter:modality"))),
        ("floor: deep page", run.results.get((FLOOR, DEEP))),
        ("ceiling: constant response", run.results.get((CEILING, CONDITIONAL))),
    ]
    for name, result in references:
        if result:
            rows.append([name, rate(result), ms(result.p50_ms), ms(result.p99_ms), *["—"] * 8])
    return rows


def export_note(export: Export) -> str:
    """Whether every row came, and how fast, in how much memory."""
    if export.complete:
        counted = (
            f"all {export.rows:,} rows, each line JSON"
            if export.rows == export.expected_rows
            else f"**{export.rows:,} lines for {export.expected_rows:,} provisions**"
        )
    else:
        counted = f"cut after {export.seconds:.0f} s at {export.rows:,} rows (not all checked)"
    return (
        f"{counted}; {export.seconds:.1f} s, first byte {export.first_byte_seconds:.2f} s; "
        f"worker RSS {export.baseline_mb:.0f} MB before"
    )


def markdown_table(rows: list[list[str]]) -> str:
    lines = ["| " + " | ".join(HEADER) + " |", "|" + "---|" * len(HEADER)]
    lines += ["| " + " | ".join(cell.replace("|", "\\|") for cell in row) + " |" for row in rows]
    return "\n".join(lines)
