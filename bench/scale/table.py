"""The results table: one row per scenario and database, then the floors and the ceiling."""

from bench.scale.export import Export
from bench.scale.inprocess import REQUESTS
from bench.scale.run import SQLITE, Run
from bench.scale.scenarios import (
    ACTOR_PAGE,
    CEILING,
    CONDITIONAL,
    DATASETTE,
    DEEP,
    DETAIL,
    DOCUMENTS_PAGE,
    EMBED,
    EVERY,
    EVERY_PAGE,
    EXPORT,
    FIRST,
    HOME_PAGE,
    JSON_ALTERNATES,
    LOAD,
    MEMORY,
    PAGE,
    PROVISION_EMBED,
    PROVISION_PAGE,
    RARE,
    RARE_PAGE,
    TIMELINE_PAGE,
    Scenario,
    floor_system,
)
from bench.scale.targets import (
    LOAD_PROVISIONS_PER_SECOND,
    checks,
    floor_page,
    met_text,
    requests_ratio,
    target_text,
)
from bench.scale.wrk import WRK_CONNECTIONS, WrkResult

HEADER = (
    "scenario",
    "API req/s",
    "p50 ms",
    "p99 ms",
    "in-process ms",
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
    PAGE: "text/html, the page of the detail's document",
    EMBED: "text/html, the card of the detail's document",
    PROVISION_PAGE: "text/html, the page of the first provision of the detail's document: "
    "its text, its place in the document (ancestors, neighbours, children), names and sources",
    PROVISION_EMBED: "text/html, the card of the same provision",
    DOCUMENTS_PAGE: "text/html, the first 20 documents with their facets' counts (type, "
    "status, jurisdiction, issuer, topic, year signed)",
    ACTOR_PAGE: "text/html, what the most common addressee is told to do (10 provisions per "
    "modality, each modality counted) and the 8 latest documents it issued",
    RARE_PAGE: "text/html, 20 ranked hits of every kind with snippets, and the hits per kind",
    EVERY_PAGE: "text/html, 20 ranked hits of every kind with snippets, and the hits per kind",
    TIMELINE_PAGE: "text/html, the 50 newest dated events, as a chart (SVG made on the server) "
    "and a list",
    HOME_PAGE: "text/html, the count of each kind of record and the 8 latest documents",
}
FLOOR_ROWS = {FIRST: "first page", "filter:modality": "modality=directs", DEEP: "deep page"}
WRK_CELLS = len(HEADER) - 4  # the figures between a row's name and its target


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
        rows += [scenario_row(run, database_name, scenario, suffix) for scenario in scenarios]
        summaries = [
            (f"export NDJSON{suffix}", EXPORT, export_note(run.exports[database_name])),
            (f"worker memory after the bench{suffix}", MEMORY, memory_note(run, database_name)),
            (f"corpus load into {database_name}", LOAD, load_note(run, database_name)),
        ]
        for label, key, note in summaries:
            found = checks(run, database_name, key)
            verdict = met_text(found, None)
            rows.append([label, *["—"] * WRK_CELLS, target_text(found), verdict, note])
    if run.postgresql_skipped:
        rows.append(["PostgreSQL: skipped", *["—"] * (WRK_CELLS + 2), run.postgresql_skipped])
    references = [*floor_references(run), ("ceiling: constant response", (CEILING, CONDITIONAL))]
    for name, key in references:
        result = run.results.get(key)
        if result:
            rows.append(
                [name, rate(result), ms(result.p50_ms), ms(result.p99_ms), *["—"] * WRK_CELLS]
            )
    return rows


def floor_references(run: Run) -> list[tuple[str, tuple]]:
    """Each database's floor rows, as (label, key of `run.results`)."""
    found = []
    for database_name in run.scenarios:
        suffix = "" if database_name == SQLITE else f" [{database_name}]"
        for key, label in FLOOR_ROWS.items():
            if key == FIRST and database_name == SQLITE:
                label += " (Flask + sqlite3)"  # the row's name in the earlier runs' tables
            found.append((f"floor: {label}{suffix}", (floor_system(database_name), key)))
    return found


def scenario_row(run: Run, database_name: str, scenario: Scenario, suffix: str) -> list[str]:
    """One API scenario on one database: wrk's figures, in-process cost, ratios, targets."""
    api = run.results[database_name, scenario.key]
    other = run.results.get((DATASETTE, scenario.key))
    floor = run.results.get((floor_system(database_name), scenario.key))
    in_process = run.in_process.get((database_name, scenario.key))
    notes = [
        NOTES.get(scenario.key, ""),
        alternate_note(run, database_name, scenario.key),
        sqlite_floor_note(run, database_name, scenario.key),
    ]
    if api.requests < WRK_CONNECTIONS:
        notes.append(f"only {api.requests} answers in {run.arguments.duration} s")
    if in_process and in_process.requests < REQUESTS:
        notes.append(f"in-process: median of {in_process.requests} requests")
    rendered = run.rendered_in_process.get((database_name, scenario.key))
    if rendered:
        notes.append(f"rendered each time: {rendered.median_ms:.2f} ms in-process")
    found = checks(run, database_name, scenario.key)
    return [
        f"{scenario.label}{suffix}",
        rate(api),
        ms(api.p50_ms),
        ms(api.p99_ms),
        f"{in_process.median_ms:.2f}" if in_process else "—",
        rate(other),
        ms(other.p99_ms) if other else "—",
        ratio_cell(requests_ratio(api, other)),
        ratio_cell(requests_ratio(api, floor)),
        ratio_cell(requests_ratio(api, run.results.get((CEILING, CONDITIONAL)))),
        target_text(found),
        met_text(found, api),
        "; ".join(note for note in notes if note),
    ]


def alternate_note(run: Run, database_name: str, key: str) -> str:
    """An HTML page against its JSON alternate, when that is measured too."""
    alternate = JSON_ALTERNATES.get(key)
    if alternate is None:
        return ""
    ratio = requests_ratio(
        run.results.get((database_name, key)), run.results.get((database_name, alternate))
    )
    if ratio is None:
        return ""
    path = next(s.path for s in run.scenarios[database_name] if s.key == alternate)
    return f"{ratio:.2f}x its JSON alternate `{path}`"


def sqlite_floor_note(run: Run, database_name: str, key: str) -> str:
    """On another database, the API against the SQLite floor too: its targets use its own."""
    page = floor_page(key)
    if database_name == SQLITE or page is None:
        return ""
    api = run.results[database_name, key]
    ratio = requests_ratio(api, run.results.get((floor_system(SQLITE), page)))
    if ratio is None:
        return ""
    floor = "SQLite floor" if page == key else "SQLite floor's first page"
    return f"{ratio:.2f}x the {floor}"


def memory_note(run: Run, database_name: str) -> str:
    """Each worker's VmRSS once the scenarios and the export are done."""
    sizes = ", ".join(f"{mb:,.0f}" for mb in run.worker_rss_mb.get(database_name, []))
    return f"VmRSS of each API worker, idle after every scenario and the export: {sizes} MB"


def load_note(run: Run, database_name: str) -> str:
    """How many provisions the load took, in how long; and the database's own share of it."""
    provisions, seconds = run.loads[database_name]
    note = f"`load_dataset` of {provisions:,} provisions in {seconds:.0f} s (see Corpus)"
    floor = run.load_floors.get(database_name)
    if floor:
        target = LOAD_PROVISIONS_PER_SECOND[database_name]
        note += (
            f"; {database_name} alone writes the same rows the same way in {floor:.0f} s "
            f"(load floor: {provisions / floor:,.0f} provisions/s, "
            f"{provisions / floor / target:.2f}x the target)"
        )
    return note


def export_note(export: Export) -> str:
    """Whether every row came, and how fast, in how much memory."""
    if export.error:
        return f"**failed**: {export.error[:300]}"
    if export.complete:
        counted = (
            f"all {export.rows:,} rows, each line JSON"
            if export.rows == export.expected_rows
            else f"**{export.rows:,} lines for {export.expected_rows:,} provisions**"
        )
    else:
        counted = f"cut after {export.seconds:.0f} s at {export.rows:,} rows (not all checked)"
    best = f"the faster of {export.reads} reads: " if export.reads > 1 else ""
    return (
        f"{best}{counted}; {export.seconds:.1f} s, first byte {export.first_byte_seconds:.2f} s; "
        f"worker RSS {export.baseline_mb:.0f} MB before"
    )


def markdown_table(rows: list[list[str]]) -> str:
    lines = ["| " + " | ".join(HEADER) + " |", "|" + "---|" * len(HEADER)]
    lines += ["| " + " | ".join(cell.replace("|", "\\|") for cell in row) + " |" for row in rows]
    return "\n".join(lines)
