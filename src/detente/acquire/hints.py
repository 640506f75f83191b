"""What the user says about files besides their content: dates in file names, a manifest.

``detente ingest --date-from-filename`` reads each file's publication date from its name;
``detente ingest --manifest FILE`` reads a CSV or JSONL table of ``path, date, outlet, url``
for a folder of files. Both give :func:`~detente.acquire.files.read_source` the *hints* of a
source. They win over what a page's markup or text says (the user knows the file), and a
JSON or Parquet record's own field wins over them (the record knows itself). A hint that is
not a date is a failure naming the file (and the manifest row), and the batch goes on.

A filename pattern is one of:

- ``auto`` (the default): the first ``YYYY-MM-DD``, ``YYYY_MM_DD``, ``YYYY.MM.DD`` or
  ``YYYYMMDD`` in the name, digits not run on (``report-20160105.html``);
- a strftime-like pattern with ``%Y``, ``%m``, ``%d``, ``%b`` (Jan) or ``%B`` (January), every
  other character taken literally: ``reuters_%d%m%Y`` reads ``reuters_05012016.txt``;
- a regular expression with named groups ``year``, ``month`` and ``day`` (or one group
  ``date`` holding any spelling ``read_date`` takes):
  ``(?P<day>\\d\\d)-(?P<month>\\d\\d)-(?P<year>\\d{4})``.

The pattern is searched in the file name, or in the whole path when it contains a ``/``
(``%Y/%m/%d/`` for ``2016/01/05/story.html``).
"""

from __future__ import annotations

import csv
import io
import json
import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

from detente.acquire.files import AcquireFailure, is_url
from detente.errors import InputError
from detente.extract.dates import read_date

#: Hints of one source: published (YYYY-MM-DD), published_source, outlet, url.
Hints = dict[str, str | None]
HintsFn = Callable[[str], Hints | AcquireFailure]

AUTO = "auto"
_AUTO = re.compile(
    r"(?<!\d)(?P<year>(?:19|20)\d\d)(?P<sep>[-_.]?)(?P<month>[01]\d)(?P=sep)(?P<day>[0-3]\d)(?!\d)"
)
_STRFTIME = {
    "%Y": r"(?P<year>\d{4})",
    "%m": r"(?P<month>\d{1,2})",
    "%d": r"(?P<day>\d{1,2})",
    "%b": r"(?P<mon>[A-Za-z]{3})",
    "%B": r"(?P<mon>[A-Za-z]{3,9})",
    "%%": "%",
}
_PATTERN_HELP = (
    "give 'auto', a strftime-like pattern such as %Y-%m-%d, or a regular expression with "
    "(?P<year>...)(?P<month>...)(?P<day>...) or (?P<date>...)"
)
#: Columns a manifest may have; ``path`` is required, the others are optional.
MANIFEST_COLUMNS = ("path", "date", "outlet", "url")


@dataclass(frozen=True, slots=True)
class FilenameDate:
    """A compiled ``--date-from-filename`` pattern: the date a source's name gives, if any."""

    pattern: str
    regex: re.Pattern[str]
    whole_path: bool

    @classmethod
    def compile(cls, pattern: str | None = AUTO) -> FilenameDate:
        """The pattern compiled, or InputError saying which forms are accepted."""
        text = (pattern or AUTO).strip()
        if text == AUTO:
            return cls(text, _AUTO, whole_path=False)
        if "(?P<" in text:
            try:
                regex = re.compile(text)
            except re.error as err:
                raise InputError(
                    f"--date-from-filename {text!r}: not a valid regex ({err})"
                ) from err
            names = set(regex.groupindex)
            if "date" not in names and not {"year", "month", "day"} <= names:
                raise InputError(
                    f"--date-from-filename {text!r} names the groups {sorted(names)}; "
                    + _PATTERN_HELP
                )
        elif "%" in text:
            try:
                regex = re.compile(_from_strftime(text))
            except re.error as err:  # a directive given twice
                raise InputError(f"--date-from-filename {text!r}: {err}; {_PATTERN_HELP}") from err
        elif Path(text).exists():
            raise InputError(
                f"--date-from-filename takes a pattern, and {text!r} is a file or folder: "
                f"write --date-from-filename auto {text}"
            )
        else:
            raise InputError(f"--date-from-filename {text!r} is not a pattern; {_PATTERN_HELP}")
        return cls(text, regex, whole_path="/" in text)

    def hints(self, source: str) -> Hints | AcquireFailure:
        """The date hint of one source: {} when its name has no date, a failure when invalid."""
        if is_url(source) or source.startswith(("-", "<")):
            return {}
        subject = Path(source).as_posix() if self.whole_path else Path(source).name
        match = self.regex.search(subject)
        if match is None:
            return {}
        found = match.groupdict()
        value: object = found.get("date") or _spelled(found)
        try:
            day = read_date(value)
        except ValueError as err:
            return AcquireFailure(
                source, f"the date in the file name ({self.pattern}) is wrong: {err}"
            )
        if day is None:
            return {}
        return {"published": day.isoformat(), "published_source": "filename"}


def _from_strftime(pattern: str) -> str:
    """A regex for a strftime-like pattern; InputError for a directive it does not know."""
    parts: list[str] = []
    at = 0
    for match in re.finditer(r"%.", pattern):
        parts.append(re.escape(pattern[at : match.start()]))
        directive = match.group()
        if directive not in _STRFTIME:
            raise InputError(
                f"--date-from-filename {pattern!r}: {directive} is not supported; use "
                + ", ".join(d for d in _STRFTIME if d != "%%")
            )
        parts.append(_STRFTIME[directive])
        at = match.end()
    parts.append(re.escape(pattern[at:]))
    regex = "".join(parts)
    has = {name: f"(?P<{name}>" in regex for name in ("year", "month", "mon", "day")}
    if not (has["year"] and has["day"] and (has["month"] or has["mon"])):
        raise InputError(
            f"--date-from-filename {pattern!r} needs a year (%Y), a month (%m, %b or %B) and "
            "a day (%d)"
        )
    return regex


def _spelled(found: dict[str, str | None]) -> str:
    """Year, month and day groups as one date string (``2016-01-05`` or ``5 Jan 2016``)."""
    if found.get("mon"):
        return f"{found.get('day')} {found['mon']} {found.get('year')}"
    return f"{found.get('year')}-{found.get('month')}-{found.get('day')}"


@dataclass(slots=True)
class Manifest:
    """A manifest read: the paths it lists, their hints, and the rows that were wrong."""

    path: str
    entries: dict[str, Hints] = field(default_factory=dict)  # resolved path -> hints
    sources: list[str] = field(default_factory=list)
    failures: list[AcquireFailure] = field(default_factory=list)

    def hints(self, source: str) -> Hints:
        """The hints the manifest gives one source ({} for a source it does not list)."""
        if is_url(source) or source.startswith(("-", "<")):
            return {}
        return self.entries.get(str(Path(source).resolve()), {})


def read_manifest(path: str | Path) -> Manifest:
    """Read a CSV (header row) or JSONL manifest; paths are relative to its folder."""
    file = Path(path)
    try:
        data = file.read_text(encoding="utf-8-sig")
    except OSError as err:
        raise InputError(f"--manifest {file}: cannot read it ({err.strerror or err})") from err
    except UnicodeDecodeError as err:
        raise InputError(f"--manifest {file}: not UTF-8 text; save it as UTF-8") from err
    manifest = Manifest(str(file))
    jsonl = file.suffix.lower() in (".jsonl", ".ndjson") or data.lstrip().startswith("{")
    rows = _jsonl_rows(file, data, manifest) if jsonl else _csv_rows(file, data)
    for number, row in rows:
        _add_row(manifest, file, number, row)
    if not manifest.sources and not manifest.failures:
        raise InputError(f"--manifest {file}: lists no files; give one row per file with a path")
    return manifest


def _csv_rows(file: Path, data: str) -> Iterator[tuple[int, dict[str, object]]]:
    """CSV rows numbered as lines of the file (the header is line 1)."""
    reader = csv.DictReader(io.StringIO(data))
    columns = [c.strip().lower() for c in reader.fieldnames or []]
    if "path" not in columns:
        raise InputError(
            f"--manifest {file}: the header row {reader.fieldnames or []} has no 'path' column; "
            f"use the columns {', '.join(MANIFEST_COLUMNS)}"
        )
    for row in reader:
        cleaned = {
            str(k).strip().lower(): (v.strip() if isinstance(v, str) else v)
            for k, v in row.items()
            if k is not None
        }
        yield reader.line_num, cleaned


def _jsonl_rows(
    file: Path, data: str, manifest: Manifest
) -> Iterator[tuple[int, dict[str, object]]]:
    """JSONL rows by line number; a line that is not an object is a failure."""
    for number, line in enumerate(data.splitlines(), start=1):
        if not line.strip():
            continue
        try:
            row = json.loads(line)
        except json.JSONDecodeError as err:
            manifest.failures.append(
                AcquireFailure(str(file), f"not a JSON object ({err})", number)
            )
            continue
        if not isinstance(row, dict):
            manifest.failures.append(
                AcquireFailure(
                    str(file), f"expected a JSON object, got {type(row).__name__}", number
                )
            )
            continue
        yield number, {str(k).lower(): v for k, v in row.items()}


def _add_row(manifest: Manifest, file: Path, number: int, row: dict[str, object]) -> None:
    """One manifest row: its path and hints, or a failure naming the row and the field."""
    where = str(file)
    given = row.get("path")
    if not isinstance(given, str) or not given.strip():
        manifest.failures.append(
            AcquireFailure(where, "field 'path' is empty; name a file", number)
        )
        return
    target = Path(given.strip())
    if not target.is_absolute():
        target = file.parent / target
    if not target.is_file():
        manifest.failures.append(
            AcquireFailure(
                where, f"field 'path': no such file {str(target)!r}; check the path", number
            )
        )
        return
    hints: Hints = {}
    try:
        day = read_date(row.get("date") or None)
    except ValueError as err:
        manifest.failures.append(AcquireFailure(where, f"field 'date': {err}", number))
        return
    if day is not None:
        hints.update(published=day.isoformat(), published_source="manifest")
    for name in ("outlet", "url"):
        value = row.get(name)
        if value not in (None, "") and not isinstance(value, str):
            manifest.failures.append(
                AcquireFailure(
                    where, f"field {name!r} must be text, got {type(value).__name__}", number
                )
            )
            return
        if value:
            hints[name] = str(value)
    key = str(target.resolve())
    if key not in manifest.entries:
        manifest.sources.append(str(target))
    manifest.entries[key] = hints


def combine(*sources: HintsFn | None) -> HintsFn | None:
    """One hints function from several; an earlier one's values win, a failure stops."""
    given = [s for s in sources if s is not None]
    if not given:
        return None

    def hints(source: str) -> Hints | AcquireFailure:
        merged: Hints = {}
        for fn in reversed(given):
            found = fn(source)
            if isinstance(found, AcquireFailure):
                return found
            if found.get("published"):  # a date and its source travel together
                merged.pop("published_source", None)
            merged.update(found)
        return merged

    return hints


def input_hints(
    inputs: list[str],
    *,
    date_from_filename: str | None = None,
    manifest: str | Path | None = None,
) -> tuple[list[str], HintsFn | None, list[AcquireFailure]]:
    """The inputs (a manifest's files added), their hints, and the manifest's bad rows."""
    read = read_manifest(manifest) if manifest is not None else None
    pattern = FilenameDate.compile(date_from_filename) if date_from_filename else None
    sources = [*inputs, *(read.sources if read is not None else [])]
    hints = combine(
        read.hints if read is not None else None, pattern.hints if pattern is not None else None
    )
    return sources, hints, read.failures if read is not None else []
