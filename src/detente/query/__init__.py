"""Reading the store back out: dyad timelines and their charts, flat exports (JSONL, CSV,
Parquet) and other systems' layouts (GDELT 2.0, PLOVER).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from detente._lazy import lazy_exports

if TYPE_CHECKING:
    from detente.query.chart import plot
    from detente.query.export import flatten, write_csv
    from detente.query.formats import GDELT_COLUMNS
    from detente.query.timeline import PERIODS, Timeline, period_of, timeline_from_records

_EXPORTS = {
    "GDELT_COLUMNS": "detente.query.formats",
    "PERIODS": "detente.query.timeline",
    "Timeline": "detente.query.timeline",
    "flatten": "detente.query.export",
    "period_of": "detente.query.timeline",
    "plot": "detente.query.chart",
    "timeline_from_records": "detente.query.timeline",
    "write_csv": "detente.query.export",
}
__all__ = [
    "GDELT_COLUMNS",
    "PERIODS",
    "Timeline",
    "flatten",
    "period_of",
    "plot",
    "timeline_from_records",
    "write_csv",
]
__getattr__, __dir__ = lazy_exports(__name__, _EXPORTS)
