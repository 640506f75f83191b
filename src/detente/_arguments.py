"""The checks the Python API and the command line share for what a user passes in.

Dates are read by :func:`detente.extract.dates.read_date` (``2016-01-05``, ``2016/01/05``,
``Jan 5, 2016``, a ``date``), a dyad is ``"RUS,TUR"`` or a pair, and what cannot be read is a
:class:`~detente.errors.DetenteError` naming the argument, never a silently empty result.
"""

from __future__ import annotations

import calendar
import itertools
import os
import re
import warnings
from collections.abc import Iterable, Iterator, Mapping, Sequence
from typing import Any

from detente.errors import DetenteError
from detente.extract.dates import date_argument

#: A year or a month given as a filter: the whole period (``end="2016"`` keeps all of 2016).
_PERIOD = re.compile(r"\d{4}(?:-(?:0[1-9]|1[0-2]))?")


def _bound(value: object, name: str, *, periods: bool) -> str | None:
    """A filter date as YYYY-MM-DD, or as YYYY / YYYY-MM when periods are allowed."""
    if periods and isinstance(value, str) and _PERIOD.fullmatch(value.strip()):
        return value.strip()
    return date_argument(value, name)


def period_bounds(first: str | None, last: str | None) -> tuple[str | None, str | None]:
    """A start and an end that may be periods (``2016``, ``2016-08``) as the days they span."""
    if first is not None and len(first) < 10:
        first = first + "-01" * ((10 - len(first)) // 3)
    if last is not None and len(last) == 4:
        last += "-12-31"
    elif last is not None and len(last) == 7:
        year, month = (int(p) for p in last.split("-"))
        last = f"{last}-{calendar.monthrange(year, month)[1]:02d}"
    return first, last


def dates(
    start: object = None,
    end: object = None,
    *,
    since: object = None,
    until: object = None,
    caller: str = "",
) -> tuple[str | None, str | None]:
    """``start`` and ``end`` as YYYY-MM-DD (or a year ``2016`` or month ``2016-08``, the whole
    period); ``since``/``until`` are deprecated spellings of them."""
    for old, new, old_value, new_value in (
        ("since", "start", since, start),
        ("until", "end", until, end),
    ):
        if old_value is None:
            continue
        if new_value is not None:
            raise DetenteError(f"{caller}give {new}= or its old name {old}=, not both")
        warnings.warn(
            f"{caller}{old}= is deprecated; use {new}= (the name events() and timeline() use)",
            DeprecationWarning,
            stacklevel=3,
        )
    first = _bound(start if since is None else since, "start", periods=True)
    last = _bound(end if until is None else until, "end", periods=True)
    low, high = period_bounds(first, last)
    if low is not None and high is not None and low > high:
        raise DetenteError(f"start={first} is after end={last}; swap them")
    return first, last


def dyad(value: object, name: str = "dyad") -> tuple[str, str] | None:
    """A dyad from ``"RUS,TUR"``, ``("RUS", "TUR")`` or ``["RUS", "TUR"]``; None for none."""
    if value is None or value == "":
        return None
    if isinstance(value, str):
        parts: list[object] = [p.strip() for p in value.split(",") if p.strip()]
    elif isinstance(value, list | tuple):
        parts = list(value)
    else:
        parts = []
    if len(parts) != 2 or not all(isinstance(p, str) and p.strip() for p in parts):
        raise DetenteError(
            f"{name}={value!r}: give two actors or countries, as 'RUS,TUR' or ('RUS', 'TUR')"
        )
    first, second = (str(p).strip() for p in parts)
    return (first, second)


def ingest_inputs(given: object) -> tuple[list[str], Iterable[Mapping[str, Any]]]:
    """Paths/URLs, or records (dicts or a pandas DataFrame), from what ``ingest`` was given."""
    if isinstance(given, str | os.PathLike):
        return [os.fspath(given)], ()
    if _is_frame(given):
        return [], _FrameRows(given)
    if isinstance(given, Mapping):
        raise DetenteError(
            "ingest() takes a list of records, not one dict: db.ingest([record]) "
            "(each with a 'text' or 'html' key)"
        )
    if not isinstance(given, Iterable):
        raise DetenteError(
            f"ingest() takes paths, URLs, records (dicts) or a DataFrame, not "
            f"{type(given).__name__}"
        )
    if isinstance(given, Sequence):  # a list is checked whole, before anything is stored
        given = list(_only(iter(given), str | os.PathLike | Mapping, "inputs"))
        kinds = {isinstance(item, Mapping) for item in given}
        if len(kinds) > 1:
            raise DetenteError(
                "ingest() got paths and records (dicts) in one list; give one kind per call"
            )
    items = iter(given)
    first = next(items, None)
    if first is None:
        return [], ()
    rest = itertools.chain([first], items)
    if isinstance(first, Mapping):
        return [], _only(rest, Mapping, "records (dicts)")
    if isinstance(first, str | os.PathLike):
        return [os.fspath(p) for p in _only(rest, str | os.PathLike, "paths or URLs")], ()
    raise DetenteError(
        f"ingest() got a {type(first).__name__} in its list; give paths or URLs, "
        "records (dicts with a 'text' or 'html' key) or a pandas DataFrame"
    )


def _only(items: Iterator[Any], kind: Any, what: str) -> Iterator[Any]:
    """The items, or DetenteError at the first that is not of ``kind`` (lists are not mixed)."""
    for number, item in enumerate(items, start=1):
        if not isinstance(item, kind):
            raise DetenteError(
                f"ingest() item {number} is a {type(item).__name__} in a list of {what}; "
                "give one kind of input per call"
            )
        yield item


def _is_frame(value: object) -> bool:
    """Whether a value is a pandas DataFrame (without importing pandas)."""
    return type(value).__name__ == "DataFrame" and hasattr(value, "to_dict")


class _FrameRows:
    """A DataFrame's rows as dicts, missing values (NaN, NaT, NA) as None; sized for progress."""

    def __init__(self, frame: Any) -> None:
        self.frame = frame

    def __len__(self) -> int:
        return len(self.frame)

    def __iter__(self) -> Iterator[dict[str, Any]]:
        import pandas  # type: ignore[import-untyped, unused-ignore]

        columns = [str(c) for c in self.frame.columns]
        for row in self.frame.itertuples(index=False, name=None):
            yield {
                column: None if _missing(pandas, value) else value
                for column, value in zip(columns, row, strict=True)
            }


def _missing(pandas: Any, value: object) -> bool:
    """Whether a cell is pandas' missing value (lists and arrays are not)."""
    try:
        return bool(pandas.isna(value))
    except (TypeError, ValueError):
        return False
