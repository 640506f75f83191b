"""Dyad timelines: how two actors get along, period by period, in both directions.

Each period counts the dyad's events by quad class (verbal and material cooperation and
conflict), averages their Goldstein scores, and names the main events. Negated and
hypothetical events stay out unless asked for. An event dated more coarsely than the period
(a year-only date in a monthly timeline) cannot be placed and is counted as ``unplaced``; the
events left out are counted in ``Timeline.left_out`` (negated, hypothetical, and one-sided: one
of A or B with the other side unknown), so a chart can say what it does not show.
:func:`filled` gives the periods without gaps (empty periods at zero) for the time axis of
:func:`detente.query.chart.plot`.
"""

from __future__ import annotations

from dataclasses import dataclass, field
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
#: Kinds of events a timeline leaves out and counts (besides the ``unplaced`` ones).
LEFT_OUT = ("negated", "hypothetical", "one_sided", "unlikely")


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
    #: events left out by kind: ``negated``, ``hypothetical``, ``one_sided``
    left_out: dict[str, int] = field(default_factory=lambda: dict.fromkeys(LEFT_OUT, 0))

    @property
    def total(self) -> int:
        """Events placed in the timeline's periods."""
        return sum(p.total for p in self.periods)

    def to_dict(self) -> dict[str, Any]:
        """``{"dyad": [A, B], "by": ..., "periods": [...], "unplaced": n, "left_out": {...}}``."""
        return {
            "dyad": list(self.dyad),
            "by": self.by,
            "periods": [p.to_dict() for p in self.periods],
            "unplaced": self.unplaced,
            "left_out": dict(self.left_out),
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
    min_confidence: float = 0.0,
) -> Timeline:
    """A timeline from event records (``Store.events``), period by period; events below
    ``min_confidence`` are counted as left out (``unlikely``)."""
    if by not in PERIODS:
        raise DetenteError(f"cannot group by {by!r}; choose one of: {', '.join(PERIODS)}")
    periods: dict[str, Period] = {}
    unplaced = 0
    left_out = dict.fromkeys(LEFT_OUT, 0)
    for record in records:
        if record["confidence"] < min_confidence:
            left_out["unlikely"] += 1
            continue
        if (record["negated"] or record["hypothetical"]) and not include_negated:
            left_out["negated" if record["negated"] else "hypothetical"] += 1
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
    return Timeline((a.upper(), b.upper()), by, ordered, unplaced, left_out)


def period_range(first: str, last: str, by: str) -> list[str]:
    """Every period label from ``first`` to ``last`` (both included), in order."""
    if by not in PERIODS:
        raise DetenteError(f"cannot group by {by!r}; choose one of: {', '.join(PERIODS)}")
    steps = {"year": 1, "quarter": 4, "month": 12}[by]

    def index(label: str) -> int:
        year = int(label[:4])
        if by == "year":
            return year
        part = int(label[6:]) if by == "quarter" else int(label[5:7])
        return year * steps + part - 1

    def label(i: int) -> str:
        if by == "year":
            return str(i)
        year, part = divmod(i, steps)
        return f"{year}-Q{part + 1}" if by == "quarter" else f"{year}-{part + 1:02d}"

    return [label(i) for i in range(index(first), index(last) + 1)]


def filled(line: Timeline) -> list[Period]:
    """The timeline's periods from its first to its last, empty ones present at zero."""
    if not line.periods:
        return []
    known = {p.period: p for p in line.periods}
    labels = period_range(line.periods[0].period, line.periods[-1].period, line.by)
    return [known.get(label) or Period(label) for label in labels]


def _one_sided(store: Store, line: Timeline, start: str | None, end: str | None,
               include_negated: bool) -> int:  # fmt: skip
    """Events of A or B whose other side is unknown (a dyad timeline cannot place them)."""
    seen: set[str] = set()
    for actor in line.dyad:
        for record in store.events(actor=actor, start=start, end=end,
                                   include_negated=include_negated):  # fmt: skip
            if record["source"] is None or record["target"] is None:
                seen.add(record["id"])
    return len(seen)


def timeline(
    store: Store,
    a: str,
    b: str,
    *,
    by: str = "month",
    start: str | None = None,
    end: str | None = None,
    include_negated: bool = False,
    min_confidence: float | None = None,
) -> Timeline:
    """The timeline of the dyad A–B (countries as ISO3, or actor codes like RUSGOV).

    Events below ``min_confidence`` (default: the confidence model's likely level,
    :func:`detente.coding.confidence.likely_level`) are left out and counted as ``unlikely``.
    """
    if by not in PERIODS:
        raise DetenteError(f"cannot group by {by!r}; choose one of: {', '.join(PERIODS)}")
    # negated and hypothetical events are read to be counted as left out
    records = store.events(dyad=(a, b), start=start, end=end, include_negated=True)
    if min_confidence is None:
        from detente.coding.confidence import likely_level

        min_confidence = likely_level()
    line = timeline_from_records(
        records, a, b, by=by, include_negated=include_negated, min_confidence=min_confidence
    )
    line.left_out["one_sided"] = _one_sided(store, line, start, end, include_negated)
    return line
