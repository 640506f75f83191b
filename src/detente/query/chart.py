"""The chart of a dyad timeline: events by quad class over a time axis, and the mean Goldstein.

The axis is one of time: every period from the first event to the last is drawn, the empty
ones at zero, so 2017 does not sit next to 2022. The largest peaks are labelled with their
main event, and the caption gives N and what the chart leaves out (negated, hypothetical,
one-sided and coarsely dated events). SVG text stays text (``svg.fonttype: none``), so a chart
can be edited and its labels searched.
"""

from __future__ import annotations

import math
from pathlib import Path
from typing import Any

from detente.errors import DetenteError
from detente.query.timeline import QUADS, Period, Timeline, filled

#: Peaks labelled with their main event; more crowd a chart of a few dozen periods.
PEAKS_LABELLED = 3
#: Room above the tallest bar for the peak labels, as a share of its height.
HEADROOM = 0.45
#: Tick labels on the time axis at most; a longer axis labels every n-th period.
MAX_TICKS = 16
#: Characters of a peak label before it is cut (keeps labels from running into each other).
LABEL_CHARS = 38
COLORS = {
    "verbal_cooperation": "#7fb3d5",
    "material_cooperation": "#1f618d",
    "verbal_conflict": "#f5b041",
    "material_conflict": "#b03a2e",
}
SUFFIXES = (".png", ".svg", ".pdf")


def peak_label(period: Period) -> str:
    """A peak's label: the period, its event count and its main event (source→target trigger)."""
    head = f"{period.period}: {period.total} event{'s' if period.total != 1 else ''}"
    if not period.main:
        return head
    event = period.main[0]
    source = (event.get("source") or {}).get("code") or "?"
    target = (event.get("target") or {}).get("code") or "?"
    what = event.get("trigger") or event.get("cameo") or ""
    main = f"{source}→{target} {what}".strip()
    if len(main) > LABEL_CHARS:
        main = main[: LABEL_CHARS - 1] + "…"
    return f"{head}\n{main}"


def peaks(periods: list[Period], n: int = PEAKS_LABELLED) -> list[int]:
    """Indexes of the ``n`` periods with the most events (earliest first among ties)."""
    ranked = sorted((i for i, p in enumerate(periods) if p.total), key=lambda i: -periods[i].total)
    return ranked[:n]


def caption(line: Timeline) -> str:
    """N, and what the chart leaves out, in one or two lines."""
    n = line.total
    parts = [f"N = {n} event{'s' if n != 1 else ''} between {line.dyad[0]} and {line.dyad[1]}"]
    out = line.left_out
    left = [
        f"{out.get('negated', 0)} negated",
        f"{out.get('hypothetical', 0)} hypothetical",
        f"{line.unplaced} dated more coarsely than a {line.by}",
        f"{out.get('unlikely', 0)} unlikely",
        f"{out.get('one_sided', 0)} one-sided (an event of {line.dyad[0]} or {line.dyad[1]} "
        "with the other side unknown)",
    ]
    return f"{parts[0]}. Left out: " + ", ".join(left[:4]) + ";\n" + left[4] + "."


def ticks(periods: list[Period], by: str) -> tuple[list[int], list[str]]:
    """Tick positions and labels: every period, or every n-th one on a long axis."""
    labels = [p.period for p in periods]
    if len(labels) <= MAX_TICKS:
        return list(range(len(labels))), labels
    if by != "year":  # long monthly or quarterly axes: one tick per year, at its first period
        firsts = [i for i, label in enumerate(labels) if label[5:] in ("01", "Q1")]
        step = math.ceil(len(firsts) / MAX_TICKS)
        chosen = firsts[::step]
        return chosen, [labels[i][:4] for i in chosen]
    step = math.ceil(len(labels) / MAX_TICKS)
    chosen = list(range(0, len(labels), step))
    return chosen, [labels[i] for i in chosen]


def plot(line: Timeline, path: str | Path, *, dpi: int = 150) -> Path:
    """Draw the timeline as a chart (PNG, SVG or PDF, by the file's suffix); needs matplotlib."""
    path = Path(path)
    if path.suffix.lower() not in SUFFIXES:
        raise DetenteError(f"{path}: give a .png, .svg or .pdf file to plot into")
    if isinstance(dpi, bool) or not isinstance(dpi, int) or not 30 <= dpi <= 1200:
        raise DetenteError(f"dpi {dpi!r}: give a whole number from 30 to 1200 (150 by default)")
    if not line.periods:
        raise DetenteError(
            f"no dated events between {line.dyad[0]} and {line.dyad[1]} to plot; list what is "
            f"stored with: detente events --actor {line.dyad[0]}"
        )
    try:
        import matplotlib

        matplotlib.use("Agg")
        import matplotlib.pyplot as plt
    except ImportError as err:
        raise DetenteError("plotting needs matplotlib: pip install 'detente[plot]'") from err
    with matplotlib.rc_context({"svg.fonttype": "none", "font.size": 9}):
        fig = _draw(plt, line, filled(line))
        try:
            fig.savefig(path, dpi=dpi)
        except OSError as err:
            raise DetenteError(f"cannot write the chart to {path}: {err.strerror}") from err
        finally:
            plt.close(fig)
    return path


def _draw(plt: Any, line: Timeline, periods: list[Period]) -> Any:
    """The figure: stacked counts on top, mean Goldstein below, on one time axis."""
    x = list(range(len(periods)))
    fig, (top, bottom) = plt.subplots(
        2, 1, figsize=(min(16.0, max(7.5, 0.22 * len(x) + 5)), 6.4), sharex=True,
        gridspec_kw={"height_ratios": [3, 1.4]}, layout="constrained",
    )  # fmt: skip
    width = 0.8 if len(x) < 60 else 0.95
    stacked = [0] * len(x)
    for quad in QUADS.values():
        values = [p.counts[quad] for p in periods]
        top.bar(x, values, width, bottom=stacked, color=COLORS[quad], label=quad.replace("_", " "))
        stacked = [s + v for s, v in zip(stacked, values, strict=True)]
    tallest = max(stacked) or 1
    top.set_ylim(0, tallest * (1 + HEADROOM) + 0.5)
    top.set_ylabel("events")
    top.yaxis.get_major_locator().set_params(integer=True)
    top.legend(loc="upper left", bbox_to_anchor=(1.01, 1.0), frameon=False)
    top.set_title(f"{line.dyad[0]}–{line.dyad[1]}: cooperation and conflict by {line.by}")
    for rank, i in enumerate(sorted(peaks(periods))):
        # alternate heights so neighbouring peaks' labels do not overlap
        lift = 0.06 + 0.16 * (rank % 2)
        align = "left" if i < len(x) * 0.15 else "right" if i > len(x) * 0.85 else "center"
        top.annotate(
            peak_label(periods[i]), xy=(i, stacked[i]),
            xytext=(i, stacked[i] + tallest * lift + 0.2), ha=align, va="bottom", fontsize=7.5,
            arrowprops={"arrowstyle": "-", "color": "#555555", "linewidth": 0.6},
        )  # fmt: skip
    means = [p.goldstein_mean for p in periods]
    shown = [m if m is not None else math.nan for m in means]
    colors = ["#1f618d" if (m or 0) >= 0 else "#b03a2e" for m in means]
    bottom.bar(x, shown, width, color=colors)
    bottom.axhline(0, color="black", linewidth=0.8)
    bottom.set_ylim(-10, 10)
    bottom.set_ylabel("mean Goldstein")
    positions, labels = ticks(periods, line.by)
    crowded = len(labels) > 8 and max(map(len, labels)) > 4
    bottom.set_xticks(positions, labels, rotation=60 if crowded else 0)
    bottom.set_xlim(-0.7, len(x) - 0.3)
    fig.text(0.01, 0.0, caption(line), fontsize=7.5, color="#333333", va="bottom")
    fig.get_layout_engine().set(rect=(0, 0.07, 1, 0.93))
    return fig
