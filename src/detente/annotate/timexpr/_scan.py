"""Scanning a text: every rule's matches, overlaps resolved, offsets and ranges joined."""

from __future__ import annotations

from dataclasses import replace
from datetime import date

from detente.annotate.timexpr._model import _Ctx, _Hit
from detente.annotate.timexpr._patterns import _RANGE_GAP, _RANGE_OPEN
from detente.annotate.timexpr._rules import _RULES, _shift

#: Longest text scanned per call: a sentence is far shorter; this bounds work on junk input.
MAX_TEXT = 5_000


def _candidates(ctx: _Ctx) -> list[_Hit]:
    """Every rule's matches, overlaps resolved: the longest wins, then the earlier rule."""
    found: list[tuple[int, int, _Hit]] = []
    for order, (pattern, handler) in enumerate(_RULES):
        for match in pattern.finditer(ctx.text):
            try:
                hit = handler(match, ctx)
            except (ValueError, OverflowError, KeyError):
                hit = None  # an impossible date ("February 30"), a year out of range
            if hit is not None and hit.end > hit.start:
                found.append((hit.start - hit.end, order, hit))
    found.sort(key=lambda item: (item[0], item[1], item[2].start))
    taken: list[_Hit] = []
    for _, _, hit in found:
        if all(hit.end <= other.start or hit.start >= other.end for other in taken):
            taken.append(hit)
    return sorted(taken, key=lambda hit: hit.start)


def _combine(hits: list[_Hit], ctx: _Ctx) -> list[_Hit]:
    """Join "a week before" to the date it precedes and a range's ends into one hit."""
    out: list[_Hit] = []
    for hit in hits:
        prev = out[-1] if out else None
        if prev is None:
            out.append(hit)
            continue
        gap = ctx.text[prev.end : hit.start]
        if prev.kind == "offset" and prev.offset and not gap.strip() and hit.day and hit.precision:
            n, unit, sign = prev.offset
            try:
                d, precision = _shift(hit.day, hit.precision, n, unit, sign)
            except (ValueError, OverflowError):
                d, precision = None, None
            out[-1] = replace(prev, end=hit.end, day=d, precision=precision, kind="other")
            continue
        joined = _RANGE_GAP.fullmatch(gap) or (not gap.strip() and False)
        is_and = gap.strip().lower() == "and"
        opened = _RANGE_OPEN.search(ctx.text[: prev.start]) is not None
        if joined and (opened or not is_and) and prev.day is not None and hit.day is not None:
            start = prev
            if not prev.year_explicit and hit.year_explicit and prev.kind in {"md", "month"}:
                year = hit.day.year - (1 if prev.day.month > hit.day.month else 0)
                try:
                    start = replace(prev, day=prev.day.replace(year=year))
                except ValueError:
                    start = prev
            out[-1] = replace(start, end=hit.end)
            continue
        out.append(hit)
    return out


def _scan(text: str, published: date, future: bool) -> list[_Hit]:
    """The hits of ``text`` with ``future`` applied to every one."""
    ctx = _Ctx(published, future, text[:MAX_TEXT])
    return _combine(_candidates(ctx), ctx)
