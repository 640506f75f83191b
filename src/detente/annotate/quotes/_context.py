"""Per-document indexes (sentence units, paragraphs, quote regions) and a quote's frame."""

from __future__ import annotations

import bisect
from typing import TYPE_CHECKING

from detente.annotate.nlp import doc_text
from detente.annotate.quotes._marks import _Marked, paragraphs

if TYPE_CHECKING:
    from spacy.tokens import Doc, Token

# Tuning constants: after changing one, run tests/test_quotes.py and score PolNeAR train/dev
# (detente.evaluation.quotes.evaluate_polnear(root, split="dev")); never tune on test.

#: Longest "he said." fragment (tokens) that spaCy split off after a quote and that may hold
#: its cue; 8 beat 4 and matched 14 on dev ("said Foreign Minister Sergei Lavrov.").
FRAGMENT_MAX_TOKENS = 8


class _Context:
    """Per-document indexes: sentence units, paragraphs and which quote holds each token."""

    def __init__(self, doc: Doc, marked: list[_Marked]) -> None:
        self.doc = doc
        self.text = doc_text(doc)
        self.paras = paragraphs(self.text)
        self.para_starts = [p[0] for p in self.paras]
        self.marked = marked
        token_starts = [tok.idx for tok in doc]
        # units: spaCy sentences cut at paragraph breaks, as (start, end, tok_start, tok_end)
        self.units: list[tuple[int, int, int, int]] = []
        for sent in doc.sents:
            index = self.para_index(sent.start_char)
            while index < len(self.paras):
                p_start, p_end = self.paras[index]
                lo, hi = max(sent.start_char, p_start), min(sent.end_char, p_end)
                if lo < hi:
                    first = bisect.bisect_right(token_starts, lo) - 1
                    last = bisect.bisect_left(token_starts, hi)
                    self.units.append((lo, hi, max(first, 0), last))
                if p_end >= sent.end_char:
                    break
                index += 1
        self.unit_starts = [u[0] for u in self.units]
        # inside[i]: index of the quote region (marks included) holding token i, else -1
        self.inside = [-1] * len(doc)
        for number, mark in enumerate(marked):
            span = doc.char_span(mark.open_at, mark.close_end, alignment_mode="expand")
            if span is not None:
                for i in range(span.start, span.end):
                    self.inside[i] = number

    def unit_index(self, char: int) -> int:
        """Index of the sentence unit holding a character offset."""
        return max(bisect.bisect_right(self.unit_starts, char) - 1, 0)

    def para_index(self, char: int) -> int:
        """Index of the paragraph holding a character offset."""
        return max(bisect.bisect_right(self.para_starts, char) - 1, 0)

    def span(self, start: int, end: int) -> tuple[int, int]:
        """Character offsets of tokens [start, end)."""
        last = self.doc[end - 1]
        return self.doc[start].idx, last.idx + len(last)

    def sentence_bounds(self, start: int, end: int) -> tuple[int, int]:
        """Character bounds of the sentence units covering [start, end)."""
        if not self.units:
            return start, end
        return self.units[self.unit_index(start)][0], self.units[self.unit_index(end - 1)][1]

    def outside(self, unit: int) -> list[Token]:
        """Tokens of a sentence unit that lie outside every quotation."""
        _, _, first, last = self.units[unit]
        return [self.doc[i] for i in range(first, last) if self.inside[i] < 0]


def _before(ctx: _Context, mark: _Marked) -> str:
    """Text of the quote's sentence unit before its opening mark (spaCy may put the mark
    at the end of the previous sentence: then this is empty)."""
    unit_start = ctx.units[ctx.unit_index(mark.start)][0]
    return ctx.text[unit_start : mark.open_at] if mark.open_at > unit_start else ""


def _frame(ctx: _Context, mark: _Marked) -> list[Token]:
    """Tokens outside all quotes around a quote that may carry its cue."""
    first = ctx.unit_index(mark.start)
    last = ctx.unit_index(mark.close_end - 1)
    if last + 1 < len(ctx.units):  # a short "he said." that spaCy split off after the mark
        start, _, tok_start, tok_end = ctx.units[last + 1]
        near = not ctx.text[mark.close_end : start].strip()
        same_paragraph = ctx.para_index(start) == ctx.para_index(mark.close_end - 1)
        if near and same_paragraph and tok_end - tok_start <= FRAGMENT_MAX_TOKENS:
            last += 1
    if first > 0 and not _before(ctx, mark).strip():  # a lead-in ending in ":" or ","
        start, end, _, _ = ctx.units[first - 1]
        lead_in = ctx.text[start : min(end, mark.open_at)].rstrip()
        if lead_in.endswith((":", ",")):
            first -= 1
    return [tok for unit in range(first, last + 1) for tok in ctx.outside(unit)]
