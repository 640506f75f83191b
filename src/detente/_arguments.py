"""The checks the Python API and the command line share for what a user passes in.

Dates are read by :func:`detente.extract.dates.read_date` (``2016-01-05``, ``2016/01/05``,
``Jan 5, 2016``, a ``date``), a dyad is ``"RUS,TUR"`` or a pair, and what cannot be read is a
:class:`~detente.errors.DetenteError` naming the argument, never a silently empty result.
"""

from __future__ import annotations

import itertools
import os
import warnings
from collections.abc import Iterable, Iterator, Mapping, Sequence
from typing import Any

from detente.errors import DetenteError
from detente.extract.dates import date_argument


def dates(
    start: object = None,
    end: object = None,
    *,
    since: object = None,
    until: object = None,
    caller: str = "",
) -> tuple[str | None, str | None]:
    """``start`` and ``end`` as YYYY-MM-DD; ``since``/``until`` are deprecated spellings."""
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
    first = date_argument(start if since is None else since, "start")
    last = date_argument(end if until is None else until, "end")
    if first is not None and last is not None and first > last:
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
