"""Query results: lists of records or articles with ``to_pandas()`` and ``to_arrow()``.

Column names and types are fixed by :data:`DTYPES` (documented in ``docs/data-dictionary.md``),
the same for an empty result as for a full one.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING, Any, Literal

from detente.errors import DetenteError
from detente.model import Article
from detente.query import export as _export
from detente.query.timeline import Timeline

if TYPE_CHECKING:
    import pandas as pd  # type: ignore[import-untyped, unused-ignore]
    import pyarrow as pa  # type: ignore[import-untyped, unused-ignore]

RecordKind = Literal["articles", "quotes", "actors", "amounts", "events", "failures", "stories"]

_PANDAS_MISSING = "to_pandas() needs pandas: pip install 'detente[pandas]'"
_ARROW_MISSING = "to_arrow() needs pyarrow: pip install 'detente[parquet]'"

_STR, _INT, _FLOAT, _BOOL, _LIST = "string", "int64", "float64", "bool", "object"


def _flat_dtypes(columns: Sequence[str], types: dict[str, str]) -> dict[str, str]:
    """Column -> dtype for the flattened export columns; unnamed columns are strings."""
    return {column: types.get(column, _STR) for column in _export.flat_columns(columns)}


#: Column types of :meth:`Records.to_pandas` for each kind of record. Strings (dates too: they
#: may be partial, ``2016`` or ``2016-08``) are pandas' nullable ``string`` dtype; lists stay
#: Python lists in ``object`` columns; nested objects are flattened to ``source_code`` etc.
DTYPES: dict[str, dict[str, str]] = {
    # articles hold no nested objects: their ``source`` is the input's path or URL, kept whole
    "articles": {
        column: {"word_count": _INT, "schema_version": _INT, "removed": _LIST}.get(column, _STR)
        for column in _export.ARTICLE_COLUMNS
    },
    "quotes": _flat_dtypes(_export.QUOTE_COLUMNS, {"direct": _BOOL, "start": _INT, "end": _INT}),
    "actors": _flat_dtypes(
        _export.ACTOR_COLUMNS, {"mentions": _INT, "articles": _INT, "quotes": _INT}
    ),
    "amounts": _flat_dtypes(
        _export.AMOUNT_COLUMNS,
        {"value": _FLOAT, "approximate": _BOOL, "start": _INT, "end": _INT},
    ),
    "events": _flat_dtypes(
        _export.EVENT_COLUMNS,
        {
            "article_ids": _LIST,
            "quad_class": _INT,
            "goldstein": _FLOAT,
            "negated": _BOOL,
            "hypothetical": _BOOL,
            "symmetric": _BOOL,
            "location_latitude": _FLOAT,
            "location_longitude": _FLOAT,
            "location_geonames_id": "Int64",
            "confidence": _FLOAT,
            "num_mentions": _INT,
            "num_articles": _INT,
            "num_sources": _INT,
        },
    ),
    "failures": {"at": _STR, "source": _STR, "line": "Int64", "stage": _STR, "reason": _STR},
    "stories": {
        "id": _STR,
        "title": _STR,
        "num_articles": _INT,
        "num_outlets": _INT,
        "first_published": _STR,
        "last_published": _STR,
        "outlets": _LIST,
        "article_ids": _LIST,
    },
    "timeline": {
        "period": _STR,
        "verbal_cooperation": _INT,
        "material_cooperation": _INT,
        "verbal_conflict": _INT,
        "material_conflict": _INT,
        "total": _INT,
        "goldstein_mean": _FLOAT,
        "main_events": _STR,
    },
}


#: The Arrow type of each pandas dtype in DTYPES; ``object`` columns hold lists of strings.
_ARROW_TYPES = {
    _STR: "string", _INT: "int64", "Int64": "int64", _FLOAT: "float64", _BOOL: "bool",
    _LIST: "list<string>",
}  # fmt: skip


def _pandas() -> Any:
    """The pandas module, or DetenteError saying how to install it."""
    try:
        import pandas
    except ImportError as err:
        raise DetenteError(_PANDAS_MISSING) from err
    return pandas


def _frame(rows: Sequence[dict[str, Any]], kind: str) -> pd.DataFrame:
    """A DataFrame of flat rows with the documented columns and dtypes of ``kind``."""
    pd = _pandas()
    dtypes = DTYPES[kind]
    frame = pd.DataFrame(list(rows), columns=list(dtypes))
    return frame.astype(dtypes)


def _arrow(rows: Sequence[dict[str, Any]], kind: str) -> pa.Table:
    """A pyarrow Table of flat rows with the documented columns of ``kind`` (nulls kept)."""
    try:
        import pyarrow
    except ImportError as err:
        raise DetenteError(_ARROW_MISSING) from err
    fields = []
    for column, dtype in DTYPES[kind].items():
        name = _ARROW_TYPES[dtype]
        arrow_type = pyarrow.list_(pyarrow.string()) if name == "list<string>" else name
        fields.append(pyarrow.field(column, arrow_type))
    schema = pyarrow.schema(fields)
    columns = [f.name for f in fields]
    return pyarrow.Table.from_pylist([{c: row.get(c) for c in columns} for row in rows], schema)


class Records(list[dict[str, Any]]):
    """Query results as records (dicts, as in the JSONL export) with :meth:`to_pandas`."""

    def __init__(self, kind: RecordKind, records: Sequence[dict[str, Any]] = ()) -> None:
        """Wrap ``records`` of one kind: quotes, actors, amounts, events or failures."""
        super().__init__(records)
        self.kind = kind

    def to_pandas(self) -> pd.DataFrame:
        """A DataFrame: nested objects flattened (``source_code``), types as in ``DTYPES``."""
        return _frame([_export.flatten(r) for r in self], self.kind)

    def to_arrow(self) -> pa.Table:
        """A pyarrow Table with the columns of :meth:`to_pandas` (lists as list<string>)."""
        return _arrow([_export.flatten(r) for r in self], self.kind)


class ArticleList(list[Article]):
    """Articles with :meth:`to_pandas` (one row per article, the export's columns)."""

    def to_pandas(self) -> pd.DataFrame:
        """A DataFrame with the columns of the article export; types as in ``DTYPES``."""
        return _frame(list(_export.article_rows(self)), "articles")

    def to_arrow(self) -> pa.Table:
        """A pyarrow Table with the columns of :meth:`to_pandas`."""
        return _arrow(list(_export.article_rows(self)), "articles")


class DyadTimeline(Timeline):
    """A dyad timeline (:class:`detente.query.timeline.Timeline`) with :meth:`to_pandas`."""

    __slots__ = ()

    def to_pandas(self) -> pd.DataFrame:
        """One row per period; ``goldstein_mean`` is NaN for periods without events."""
        return _frame(self.rows(), "timeline")

    def to_arrow(self) -> pa.Table:
        """One row per period, as :meth:`to_pandas`."""
        return _arrow(self.rows(), "timeline")
