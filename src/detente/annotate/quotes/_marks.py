"""Quotation marks paired on the characters, paragraph by paragraph; paragraphs; word counts."""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass

_DOUBLE_OPEN = "“„«"
_DOUBLE_CLOSE = "”»"
_SINGLE_OPEN = "‘"
#: characters after which a straight mark opens a quote
_OPEN_BEFORE = "([{—–-/:;"
#: characters after which a straight mark closes a quote
_CLOSE_AFTER = ".,;:!?)]}—–-…"
#: The characters a quotation mark can start with: the scan jumps from one to the next.
_MARK_START = re.compile("[" + re.escape(_DOUBLE_OPEN + _DOUBLE_CLOSE + "\"'`" + "‘’") + "]")
#: elisions that start with an apostrophe, never a quote: 'em, 'til, '90s, 'n'
_ELISION = re.compile(r"(?:em|til|tis|twas|cause|n|\d0s|\d\d)\b", re.IGNORECASE)
_WORD = re.compile(r"\w+(?:[-'’]\w+)*")
_PARA_BREAK = re.compile(r"[ \t]*\n\s*")
_QUOTE_CHARS = " \t“”„«»\"'‘’`"


@dataclass(slots=True)
class _Marked:
    """A pair of marks found in the text: the region including marks, and the content."""

    open_at: int
    close_end: int
    start: int
    end: int
    closed: bool


def paragraphs(text: str) -> list[tuple[int, int]]:
    """Paragraph spans (start, end) split at line breaks, rejoining mid-sentence breaks."""
    spans: list[tuple[int, int]] = []
    pos = 0
    for match in _PARA_BREAK.finditer(text):
        if match.start() > pos:
            spans.append((pos, match.start()))
        pos = match.end()
    if pos < len(text) and text[pos:].strip():
        spans.append((pos, len(text.rstrip())))
    merged: list[tuple[int, int]] = []
    for start, end in spans:
        if merged:
            prev_start, prev_end = merged[-1]
            last, first = text[prev_end - 1], text[start]
            if last.isalpha() and first.islower() and not _is_open_double(text, start, end):
                merged[-1] = (prev_start, end)
                continue
        merged.append((start, end))
    return merged


def _is_open_double(text: str, pos: int, end: int) -> bool:
    """Whether a double opening mark (of any style) starts at ``pos``."""
    return text.startswith(("“", "„", "«", '"', "''", "``"), pos) and pos < end


def _double_at(text: str, pos: int) -> int:
    """Length of the double quotation mark at ``pos`` (0 when there is none)."""
    char = text[pos]
    if char in _DOUBLE_OPEN or char in _DOUBLE_CLOSE or char == '"':
        return 1
    if text.startswith(("''", "``"), pos):
        return 2
    return 0


def _direction(text: str, pos: int, length: int, start: int, end: int) -> str:
    """``open``, ``close`` or ``either`` for the double mark at ``pos``, by its neighbours."""
    before = text[pos - 1] if pos > start else " "
    after = text[pos + length] if pos + length < end else " "
    opens = (before.isspace() or before in _OPEN_BEFORE or _double_at(text, pos - 1) > 0) and (
        not after.isspace()
    )
    closes = not before.isspace() and (after.isspace() or after in _CLOSE_AFTER)
    char = text[pos]
    if char in _DOUBLE_OPEN or text.startswith("``", pos):
        return "close" if closes and not opens else "open"
    if char in _DOUBLE_CLOSE:
        return "open" if opens and not closes else "close"
    if opens and not closes:
        return "open"
    if closes and not opens:
        return "close"
    return "either"


def _single_role(text: str, pos: int, start: int, end: int) -> str:
    """``open``, ``close``, ``maybe-close`` or ``none`` for a single mark (’ ‘ ') at ``pos``."""
    char = text[pos]
    before = text[pos - 1] if pos > start else " "
    after = text[pos + 1] if pos + 1 < end else " "
    if char == _SINGLE_OPEN:
        return "open" if not after.isspace() else "none"
    word_before = before.isalnum() or before in ".,!?"
    if char == "'" and not word_before and after.isalnum():
        if _ELISION.match(text, pos + 1, end):
            return "none"
        return "open" if before.isspace() or before in _OPEN_BEFORE or pos == start else "none"
    if word_before and not after.isalnum():
        return "maybe-close"
    return "none"


def _pairs_in(text: str, start: int, end: int) -> Iterator[tuple[str, int, int]]:
    """Marks of one paragraph as (role, position, length), in order; role is open/close/either."""
    pos = start
    while pos < end:
        found = _MARK_START.search(text, pos, end)
        if found is None:
            return
        pos = found.start()
        length = _double_at(text, pos)
        if length:
            yield _direction(text, pos, length, start, end), pos, length
            pos += length
            continue
        if text[pos] in "‘’'":
            role = _single_role(text, pos, start, end)
            if role != "none":
                yield "s-" + role, pos, 1
        pos += 1


def quote_marks(text: str) -> list[tuple[int, int, bool]]:
    """Quoted contents as (start, end, closed), paired across the whole text."""
    return [(m.start, m.end, m.closed) for m in _pair_marks(text, paragraphs(text))]


def _pair_marks(text: str, paras: list[tuple[int, int]]) -> list[_Marked]:
    """Pair quotation marks paragraph by paragraph (see the package docstring)."""
    found: list[_Marked] = []
    pending: int | None = None  # position of the open double mark
    pending_len = 0
    for index, (start, end) in enumerate(paras):
        single: int | None = None
        skip_to = start
        if pending is not None:
            length = _double_at(text, start) if start < end else 0
            skip_to = start + length  # the continuation mark of a multi-paragraph quote
        for role, pos, length in _pairs_in(text, skip_to, end):
            if role.startswith("s-"):
                if pending is not None:
                    continue  # nested single quotes stay inside the double quote
                if role == "s-open" and single is None:
                    single = pos
                elif role == "s-maybe-close" and single is not None:
                    _emit(found, text, single, 1, pos, pos + 1, closed=True)
                    single = None
                continue
            if role == "open" and pending is not None:
                _emit(found, text, pending, pending_len, pos, pos, closed=False)
                pending = None
            if pending is None and role in ("open", "either"):
                pending, pending_len, single = pos, length, None
            elif pending is not None and role in ("close", "either"):
                _emit(found, text, pending, pending_len, pos, pos + length, closed=True)
                pending = None
        if pending is not None:
            following = paras[index + 1] if index + 1 < len(paras) else None
            if following is None or not _is_open_double(text, following[0], following[1]):
                _emit(found, text, pending, pending_len, end, end, closed=False)
                pending = None
    return found


def _emit(
    found: list[_Marked],
    text: str,
    open_at: int,
    open_len: int,
    close_at: int,
    close_end: int,
    *,
    closed: bool,
) -> None:
    """Record a quote whose content lies between the marks, trimmed of spaces and commas."""
    start, end = open_at + open_len, close_at
    while start < end and text[start].isspace():
        start += 1
    while end > start and (text[end - 1].isspace() or text[end - 1] == ","):
        end -= 1
    if start < end and any(ch.isalnum() for ch in text[start:end]):
        found.append(_Marked(open_at, close_end, start, end, closed))


def _word_count(text: str) -> int:
    """Number of words (letters or digits; hyphenated and elided words count once)."""
    return len(_WORD.findall(text))
