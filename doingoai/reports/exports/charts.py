"""Charts of a report as PNG images (matplotlib, Agg backend: no display needed).

- ``quarters``: per-quarter bars of a few key indicators, Q1 to the end of the period;
- ``languages``: the per-language split of the portal items published in the period (the
  whole province), or of the media products made (a unit's report).

Uses ``matplotlib.figure.Figure`` directly, not pyplot, so it is safe in a threaded server.
"""

from __future__ import annotations

import io

from django.utils.translation import gettext as _
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure
from matplotlib.ticker import FuncFormatter, MaxNLocator

from ..formatting import format_number, format_percent
from ..indicators import ReportFigures

COLOURS = ["#a50e0e", "#1f5f99", "#d9822b", "#2e7d32", "#6a3d9a", "#7f7f7f"]
FONT = {"family": "DejaVu Sans", "size": 9}
DPI = 150


def _png(figure: Figure) -> bytes:
    FigureCanvasAgg(figure)
    out = io.BytesIO()
    figure.savefig(out, format="png", dpi=DPI, bbox_inches="tight")
    return out.getvalue()


def _vietnamese_ticks(axis) -> None:
    axis.set_major_locator(MaxNLocator(integer=True))
    axis.set_major_formatter(FuncFormatter(lambda value, _pos: format_number(value)))


def quarter_bars(figures: ReportFigures) -> bytes:
    series = figures.quarterly.series
    quarters = figures.quarterly.quarters
    figure = Figure(figsize=(6.4, 3.6))
    ax = figure.add_subplot()
    count = max(len(series), 1)
    width = 0.8 / count
    for index, (label, values) in enumerate(series.items()):
        positions = [q + (index - (count - 1) / 2) * width for q in range(len(quarters))]
        bars = ax.bar(positions, values, width, label=label, color=COLOURS[index % len(COLOURS)])
        ax.bar_label(bars, labels=[format_number(v) for v in values], fontsize=7, padding=1)
    ax.set_xticks(range(len(quarters)), quarters, **FONT)
    _vietnamese_ticks(ax.yaxis)
    ax.set_title(_("Key indicators per quarter, %(year)s") % {"year": figures.period.year}, **FONT)
    ax.legend(
        prop={**FONT, "size": 7.5},
        loc="upper center",
        bbox_to_anchor=(0.5, -0.1),
        ncol=2,
        frameon=False,
    )
    ax.spines[["top", "right"]].set_visible(False)
    ax.margins(y=0.2)
    return _png(figure)


def language_split(figures: ReportFigures) -> bytes:
    code = "items_by_language" if figures.includes_portal else "media_by_language"
    breakdown = figures.breakdown(code)
    rows = [row for row in (breakdown.rows if breakdown else []) if row.value]
    total = sum(row.value for row in rows)
    figure = Figure(figsize=(6.4, 2.8))
    ax = figure.add_subplot()
    labels = [row.label for row in rows] or [_("No figures")]
    values = [row.value for row in rows] or [0]
    bars = ax.barh(labels, values, color=COLOURS[: len(values)] or COLOURS[:1])
    ax.bar_label(
        bars,
        labels=[
            f"{format_number(v)} ({format_percent(v * 100 / total if total else None)})"
            for v in values
        ],
        fontsize=7,
        padding=2,
    )
    ax.invert_yaxis()
    _vietnamese_ticks(ax.xaxis)
    ax.tick_params(labelsize=8)
    ax.set_title(f"{breakdown.title if breakdown else ''} – {figures.period.label}", **FONT)
    ax.spines[["top", "right"]].set_visible(False)
    ax.margins(x=0.25)
    return _png(figure)


def report_charts(figures: ReportFigures) -> dict[str, bytes]:
    return {"quarters": quarter_bars(figures), "languages": language_split(figures)}
