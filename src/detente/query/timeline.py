"""Dyad timelines: how two actors get along, period by period, in both directions.

Each period counts the dyad's events by quad class (verbal and material cooperation and
conflict), averages their Goldstein scores, and names the main events. Negated and
hypothetical events stay out unless asked for. An event dated more coarsely than the period
(a year-only date in a monthly timeline) cannot be placed and is counted as ``unplaced``.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from detente.errors import DetenteError
from detente.store.database import Store

QUADS = {
    1: "verbal_cooperation",
    2: "material_cooperation",
    3: "verbal_conflict",
    4: "material_conflict",
}
PERIODS = ("month", "quarter", "year")
#: Events listed as the main ones of a period.
MAIN_EVENTS = 3


@dataclass(slots=True)
class Period:
    """One period of a dyad timeline."""

    period: str  # "2016", "2016-Q3" or "2016-08"
    counts: dict[str, int] = field(default_factory=lambda: dict.fromkeys(QUADS.values(), 0))
    goldstein_sum: float = 0.0
    events: list[str] = field(default_factory=list)
    main: list[dict[str, Any]] = field(default_factory=list)

    @property
    def total(self) -> int:
        """Events in the period."""
        return len(self.events)

    @property
    def goldstein_mean(self) -> float | None:
        """Mean Goldstein score of the period's events (None without events)."""
        return round(self.goldstein_sum / self.total, 2) if self.total else None

    def to_dict(self) -> dict[str, Any]:
        """The period as in ``detente timeline --format json``."""
        return {
            "period": self.period,
            **self.counts,
            "goldstein_mean": self.goldstein_mean,
            "events": list(self.events),
            "main_events": list(self.main),
        }


@dataclass(slots=True)
class Timeline:
    """A dyad's events, period by period."""

    dyad: tuple[str, str]
    by: str
    periods: list[Period]
    unplaced: int = 0  # events dated too coarsely for the period size

    def to_dict(self) -> dict[str, Any]:
        """``{"dyad": [A, B], "by": ..., "periods": [...], "unplaced": n}``."""
        return {
            "dyad": list(self.dyad),
            "by": self.by,
            "periods": [p.to_dict() for p in self.periods],
            "unplaced": self.unplaced,
        }

    def rows(self) -> list[dict[str, Any]]:
        """One flat row per period (for tables and CSV)."""
        rows = []
        for p in self.periods:
            row: dict[str, Any] = {"period": p.period, **p.counts, "total": p.total}
            row["goldstein_mean"] = p.goldstein_mean
            row["main_events"] = "; ".join(_label(e) for e in p.main)
            rows.append(row)
        return rows


def _label(event: dict[str, Any]) -> str:
    source = (event.get("source") or {}).get("code") or "?"
    target = (event.get("target") or {}).get("code") or "?"
    return f"{event.get('date')} {source}→{target} {event.get('cameo')} {event.get('trigger')}"


def period_of(day: str | None, precision: str | None, by: str) -> str | None:
    """The period label of a date, or None when the date is too coarse for it."""
    if not day:
        return None
    if by == "year":
        return day[:4]
    if precision == "year" or len(day) < 7:
        return None
    if by == "quarter":
        return f"{day[:4]}-Q{(int(day[5:7]) - 1) // 3 + 1}"
    return day[:7]


def timeline_from_records(
    records: list[dict[str, Any]],
    a: str,
    b: str,
    *,
    by: str = "month",
    include_negated: bool = False,
) -> Timeline:
    """A timeline from event records (``Store.events``), period by period."""
    if by not in PERIODS:
        raise DetenteError(f"cannot group by {by!r}; choose one of: {', '.join(PERIODS)}")
    periods: dict[str, Period] = {}
    unplaced = 0
    for record in records:
        if (record["negated"] or record["hypothetical"]) and not include_negated:
            continue
        label = period_of(record["date"], record["date_precision"], by)
        if label is None:
            unplaced += 1
            continue
        period = periods.setdefault(label, Period(label))
        period.counts[QUADS.get(record["quad_class"], "verbal_cooperation")] += 1
        period.goldstein_sum += record["goldstein"]
        period.events.append(record["id"])
        period.main.append(
            {
                "id": record["id"], "date": record["date"], "cameo": record["cameo"],
                "plover": record["plover"], "goldstein": record["goldstein"],
                "source": record["source"], "target": record["target"],
                "trigger": record.get("trigger"), "sentence": record["sentence"],
                "num_mentions": record["num_mentions"],
            }
        )  # fmt: skip
    for period in periods.values():
        period.main.sort(key=lambda e: (-e["num_mentions"], -abs(e["goldstein"]), e["date"]))
        del period.main[MAIN_EVENTS:]
    ordered = [periods[k] for k in sorted(periods)]
    return Timeline((a.upper(), b.upper()), by, ordered, unplaced)


def timeline(
    store: Store,
    a: str,
    b: str,
    *,
    by: str = "month",
    start: str | None = None,
    end: str | None = None,
    include_negated: bool = False,
) -> Timeline:
    """The timeline of the dyad A–B (countries as ISO3, or actor codes like RUSGOV)."""
    if by not in PERIODS:
        raise DetenteError(f"cannot group by {by!r}; choose one of: {', '.join(PERIODS)}")
    records = store.events(dyad=(a, b), start=start, end=end, include_negated=include_negated)
    return timeline_from_records(records, a, b, by=by, include_negated=include_negated)


def plot(line: Timeline, path: str | Path) -> Path:
    """Draw the timeline as a chart (PNG or SVG, by the file's suffix); needs matplotlib."""
    try:
        import matplotlib

        matplotlib.use("Agg")
        import matplotlib.pyplot as plt
    except ImportError as err:
        raise DetenteError("plotting needs matplotlib: pip install 'detente[plot]'") from err
    path = Path(path)
    if path.suffix.lower() not in (".png", ".svg", ".pdf"):
        raise DetenteError(f"{path}: give a .png, .svg or .pdf file to plot into")
    labels = [p.period for p in line.periods]
    fig, (top, bottom) = plt.subplots(
        2, 1, figsize=(max(6.0, 0.5 * len(labels) + 3), 6), sharex=True,
        gridspec_kw={"height_ratios": [3, 2]},
    )  # fmt: skip
    colors = {
        "verbal_cooperation": "#7fb3d5", "material_cooperation": "#1f618d",
        "verbal_conflict": "#f5b041", "material_conflict": "#b03a2e",
    }  # fmt: skip
    bottoms = [0] * len(labels)
    for quad, color in colors.items():
        values = [p.counts[quad] for p in line.periods]
        top.bar(labels, values, bottom=bottoms, color=color, label=quad.replace("_", " "))
        bottoms = [b + v for b, v in zip(bottoms, values, strict=True)]
    top.set_ylabel("events")
    top.legend(fontsize="small", loc="upper left")
    top.set_title(f"{line.dyad[0]}–{line.dyad[1]}: cooperation and conflict by {line.by}")
    means = [p.goldstein_mean or 0.0 for p in line.periods]
    bottom.bar(labels, means, color=["#1f618d" if m >= 0 else "#b03a2e" for m in means])
    bottom.axhline(0, color="black", linewidth=0.8)
    bottom.set_ylim(-10, 10)
    bottom.set_ylabel("mean Goldstein")
    bottom.tick_params(axis="x", labelrotation=60)
    fig.tight_layout()
    fig.savefig(path)
    plt.close(fig)
    return path
