"""The timeline as an SVG chart made on the server: one lane per kind of event, one dot per
day with events (larger for more), on a date axis. The list below it says the same in words."""

import datetime
import math
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass

from markupsafe import Markup

WIDTH = 800
LEFT, RIGHT, TOP, LANE, AXIS = 150, 24, 12, 34, 34
TICKS = 5
MONTHS = "Jan Feb Mar Apr May Jun Jul Aug Sep Oct Nov Dec".split()
# Dots and lines against white: 3:1 at least (WCAG non-text contrast); text is near black.
INK, GRID = "#1b1f24", "#8a94a3"


@dataclass(frozen=True)
class Lane:
    key: str
    label: str
    color: str


def timeline_svg(events: Sequence[tuple[datetime.date, str]], lanes: Sequence[Lane]) -> Markup:
    """The chart of `events` (date, lane key); an empty Markup when none has a date."""
    dated = [(day, lane) for day, lane in events if day is not None]
    if not dated:
        return Markup("")
    first, last = min(day for day, _ in dated), max(day for day, _ in dated)
    if first == last:  # one day: give the axis some width around it
        first, last = first - datetime.timedelta(days=15), last + datetime.timedelta(days=15)
    height = TOP + LANE * len(lanes) + AXIS
    span = (last - first).days

    def x(day: datetime.date) -> float:
        return round(LEFT + (day - first).days / span * (WIDTH - LEFT - RIGHT), 1)

    parts = [
        Markup(
            '<svg xmlns="http://www.w3.org/2000/svg" class="chart" viewBox="0 0 {w} {h}" '
            'width="{w}" height="{h}" role="img" aria-labelledby="chart-title chart-desc" '
            'font-family="system-ui, sans-serif" font-size="13">'
        ).format(w=WIDTH, h=height),
        Markup('<title id="chart-title">Events from {} to {}</title>').format(
            _long(min(d for d, _ in dated)), _long(max(d for d, _ in dated))
        ),
        Markup('<desc id="chart-desc">{}</desc>').format(_description(dated, lanes)),
    ]
    for number, lane in enumerate(lanes):
        middle = TOP + LANE * number + LANE / 2
        parts.append(
            Markup(
                '<line x1="{}" x2="{}" y1="{}" y2="{}" stroke="{}" stroke-width="1" '
                'stroke-dasharray="2 4"/>'
                '<text x="{}" y="{}" fill="{}" text-anchor="end" dominant-baseline="middle">'
                "{}</text>"
            ).format(LEFT, WIDTH - RIGHT, middle, middle, GRID, LEFT - 10, middle, INK, lane.label)
        )
    counts = Counter(dated)
    rows = {lane.key: number for number, lane in enumerate(lanes)}
    colors = {lane.key: lane.color for lane in lanes}
    for (day, key), count in sorted(counts.items()):
        if key not in rows:
            continue
        radius = round(4 + min(6, 2 * math.log2(count)), 1)
        label = f"{_long(day)}: {count} event{'s' if count > 1 else ''}"
        parts.append(
            Markup(
                '<circle cx="{}" cy="{}" r="{}" fill="{}" fill-opacity="0.85" stroke="{}" '
                'stroke-width="1"><title>{}</title></circle>'
            ).format(x(day), TOP + LANE * rows[key] + LANE / 2, radius, colors[key], INK, label)
        )
    axis = TOP + LANE * len(lanes) + 4
    parts.append(
        Markup('<line x1="{}" x2="{}" y1="{}" y2="{}" stroke="{}" stroke-width="1"/>').format(
            LEFT, WIDTH - RIGHT, axis, axis, INK
        )
    )
    for tick, tick_label in _ticks(first, last):
        parts.append(
            Markup(
                '<line x1="{x}" x2="{x}" y1="{a}" y2="{b}" stroke="{ink}" stroke-width="1"/>'
                '<text x="{x}" y="{t}" fill="{ink}" text-anchor="middle">{label}</text>'
            ).format(x=x(tick), a=axis, b=axis + 5, t=axis + 20, ink=INK, label=tick_label)
        )
    parts.append(Markup("</svg>"))
    return Markup("").join(parts)


def _ticks(first: datetime.date, last: datetime.date) -> list[tuple[datetime.date, str]]:
    """Round dates on the axis, with their labels: years, months or days, as the span asks."""
    span = (last - first).days
    if span > 3 * 366:
        step = max(1, math.ceil((last.year - first.year + 1) / TICKS))
        years = range(first.year + 1, last.year + 1)
        return [(datetime.date(year, 1, 1), str(year)) for year in years if year % step == 0]
    if span > 90:
        months = (last.year - first.year) * 12 + last.month - first.month
        step = max(1, math.ceil(months / TICKS))
        ticks, month = [], first.year * 12 + first.month  # the month after the first day's
        while month <= last.year * 12 + last.month - 1:
            day = datetime.date(month // 12, month % 12 + 1, 1)
            if (month - first.year * 12 - first.month) % step == 0:
                ticks.append((day, f"{MONTHS[day.month - 1]} {day.year}"))
            month += 1
        return ticks
    step = max(1, math.ceil(span / TICKS))
    days = (first + datetime.timedelta(days=offset) for offset in range(step, span + 1, step))
    return [(day, f"{day.day} {MONTHS[day.month - 1]}") for day in days]


def _long(day: datetime.date) -> str:
    return f"{day.day} {MONTHS[day.month - 1]} {day.year}"


def _description(dated: list, lanes: Sequence[Lane]) -> str:
    per_lane = Counter(key for _, key in dated)
    counted = [f"{per_lane[lane.key]} {lane.label.lower()}" for lane in lanes if per_lane[lane.key]]
    return "Events by kind: " + ", ".join(counted) + ". The list below gives each one."
