"""Statement, scare quote or reported speech; inherited speakers; :func:`find_quotes`."""

from __future__ import annotations

import logging
from typing import TYPE_CHECKING

from detente.annotate.nlp import doc_text
from detente.annotate.quotes._context import _before, _Context, _frame
from detente.annotate.quotes._cues import _choose_cue, _fallback
from detente.annotate.quotes._marks import (
    _QUOTE_CHARS,
    _WORD,
    _Marked,
    _pair_marks,
    _word_count,
    paragraphs,
)
from detente.annotate.quotes._parse import _has_complement, _is_according, _is_verb, _lemma
from detente.annotate.quotes._span import QuoteSpan
from detente.annotate.quotes._speakers import (
    _ADDRESSEE_OBJECT,
    REPORTING_VERBS,
    _colon_speaker,
    _fill,
    _speaker_of,
)

if TYPE_CHECKING:
    from spacy.tokens import Doc, Token

LOGGER = logging.getLogger("detente.annotate.quotes")  # the package's name, as before the split


# Tuning constants: after changing one, run tests/test_quotes.py and score PolNeAR train/dev
# (detente.evaluation.quotes.evaluate_polnear(root, split="dev")); never tune on test.

#: Quotes of this many words or fewer are scare quotes unless they fill their clause next to
#: a cue: the codebook's "one or two words".
SCARE_MAX_WORDS = 2
#: Longest capitalized quote read as a title ("Make America Great Again"); 6 beat 0, 4, 8.
TITLE_MAX_WORDS = 6
#: Whether a paragraph made only of a cue-less quote inherits the speaker of the previous
#: paragraph when that ends with a quote; on train +0.5 points of speaker accuracy, right
#: three times in four.
INHERIT_ACROSS = True
#: Fewest words in the content of reported speech ("he said so" is not reported).
INDIRECT_MIN_WORDS = 3
#: Reporting verbs whose object is what was said when they have no clause ("announced his
#: candidacy", "stressed the importance of …"); not "maintained ties", "posted a photo".
OBJECT_VERBS = frozenset(
    {
        *("announce", "deny", "confirm", "reveal", "disclose", "promise", "pledge", "vow"),
        *("demand", "propose", "recommend", "acknowledge", "admit", "predict", "reiterate"),
        *("stress", "emphasize", "emphasise", "underline", "underscore", "affirm", "mention"),
        *("say", "write", "tweet", "explain", "declare", "proclaim", "recount", "allege"),
        *("note", "report", "claim", "suggest"),
    }
)
_TITLE_SMALL = frozenset({"a", "an", "the", "and", "or", "of", "on", "in", "to", "for", "at"})


def _title(text: str) -> bool:
    """Whether a short quote reads as a title or name ("Fox and Friends", "War On Drugs")."""
    words = _WORD.findall(text)
    if not 2 <= len(words) <= TITLE_MAX_WORDS:
        return False
    return all(w[0].isupper() or w.lower() in _TITLE_SMALL for w in words)


def _standalone(ctx: _Context, mark: _Marked, cue: Token | None) -> bool:
    """Whether a short quote fills its clause next to a cue, rather than labelling a thing."""
    if cue is None:
        return False
    unit_end = ctx.units[ctx.unit_index(mark.close_end - 1)][1]
    before = _before(ctx, mark).strip()
    after = ctx.text[mark.close_end : unit_end].strip()
    if not before and cue.idx >= mark.close_end:
        return True  # “Never,” he said.
    return before.endswith((":", ",")) and not after.strip(".!?”\"'")


def _direct_quotes(ctx: _Context) -> tuple[list[QuoteSpan], list[QuoteSpan]]:
    """Direct and scare quotes with cue and speaker, and the statements that may inherit one."""
    out: list[QuoteSpan] = []
    orphans: list[QuoteSpan] = []
    for mark in ctx.marked:
        s_start, s_end = ctx.sentence_bounds(mark.start, mark.end)
        q = QuoteSpan(
            start=mark.start,
            end=mark.end,
            text=ctx.text[mark.start : mark.end],
            direct=True,
            kind="statement",
            sentence_start=s_start,
            sentence_end=s_end,
            closed=mark.closed,
        )
        out.append(q)
        quote = ctx.doc.char_span(mark.start, mark.end, alignment_mode="expand")
        if quote is None or not len(quote) or not ctx.units:
            continue
        cue, rank = _choose_cue(ctx, _frame(ctx, mark), quote)
        short = _word_count(q.text) <= SCARE_MAX_WORDS
        titled = _title(q.text) and (cue is None or bool(_before(ctx, mark).strip()))
        if (short and not _standalone(ctx, mark, cue)) or titled:
            q.kind = "scare"
            if cue is not None and rank <= 2:
                _fill(ctx, q, cue, _speaker_of(ctx, cue))
            continue
        speaker = _speaker_of(ctx, cue) if cue is not None else None
        if rank >= 3:
            headline = _colon_speaker(ctx, ctx.unit_index(mark.start))
            if headline is not None:
                cue, speaker = None, headline
        if cue is None and speaker is None:
            cue, speaker = _fallback(ctx, mark, quote)
        _fill(ctx, q, cue, speaker)
        if speaker is None and cue is None and not _before(ctx, mark).strip():
            orphans.append(q)
    return out, orphans


def _continues(ctx: _Context, last: QuoteSpan, q: QuoteSpan) -> bool:
    """Whether ``q`` is a paragraph made only of a quote, right after a paragraph that ends
    with the direct quote ``last`` ("“…,” he said. ¶ “More …”")."""
    index = ctx.para_index(q.start)
    if not last.direct or ctx.para_index(last.end - 1) != index - 1:
        return False
    prev_end = ctx.paras[index - 1][1]
    start, end = ctx.paras[index]
    return (
        q.direct
        and not ctx.text[last.sentence_end : prev_end].strip()
        and not ctx.text[start : q.start].strip(_QUOTE_CHARS)
        and not ctx.text[q.end : end].strip(_QUOTE_CHARS + ".,!?")
    )


def _inherit(quotes: list[QuoteSpan], orphans: list[QuoteSpan], ctx: _Context) -> None:
    """Give a cue-less quote opening its sentence the speaker of the paragraph's last quote."""
    waiting = {id(q) for q in orphans}
    last: QuoteSpan | None = None
    for q in quotes:
        moved_on = last is not None and ctx.para_index(last.start) != ctx.para_index(q.start)
        if moved_on and not (INHERIT_ACROSS and last is not None and _continues(ctx, last, q)):
            last = None
        if id(q) in waiting and last is not None:
            q.speaker_start, q.speaker_end = last.speaker_start, last.speaker_end
            q.addressee, q.inherited = last.addressee, True
        if q.kind != "scare" and q.speaker_start is not None and not _aside(last, q):
            last = q


def _aside(last: QuoteSpan | None, q: QuoteSpan) -> bool:
    """Whether ``q`` is reported speech inside the sentence of the direct quote ``last``
    ("“…,” Trump said, after news outlets declared him the victor. “…”"): the sentence
    belongs to the direct quote's speaker, whom a following quote continues."""
    return (
        last is not None
        and last.direct
        and not q.direct
        and last.sentence_start <= q.sentence_start < last.sentence_end
    )


def _call_for(cue: Token) -> Token | None:
    """The "for" or "on" of "called for …" / "called on X to …", or None."""
    if _lemma(cue) != "call":
        return None
    return next(
        (c for c in cue.children if c.dep_ in ("prep", "prt") and c.lower_ in ("for", "on")),
        None,
    )


def _content_range(ctx: _Context, cue: Token) -> tuple[int, int] | None:
    """Token range of a cue's reported content: its complement clause, or the rest of the
    sentence around "according to X"."""
    doc = ctx.doc
    sent = cue.sent
    if _is_according(cue):
        phrase_end = doc[cue.i + 1].right_edge.i + 1
        ahead, behind = (sent.start, cue.i), (phrase_end, sent.end)
        return max(ahead, behind, key=lambda r: r[1] - r[0])
    for child in cue.children:
        if child.dep_ == "ccomp" and ctx.inside[child.i] < 0:
            between = doc[child.right_edge.i + 1 : cue.i]
            if child.i < cue.i and any(t.text in (";", ":") for t in between):
                continue  # "Both ejected; the staff said …": a clause of its own
            return child.left_edge.i, child.right_edge.i + 1
        if child.dep_ == "xcomp" and _lemma(cue) in _ADDRESSEE_OBJECT | {"call"}:
            objects = [c for c in cue.children if c.dep_ == "dobj" and cue.i < c.i < child.i]
            return (objects[0] if objects else child).left_edge.i, child.right_edge.i + 1
    call_for = _call_for(cue)
    if call_for is not None:  # "called for a ban", "called on Washington to reverse it"
        return call_for.i + 1, call_for.right_edge.i + 1
    for child in cue.children:
        if ctx.inside[child.i] >= 0 or child.i < cue.i:
            continue
        if child.dep_ == "dobj" and _lemma(cue) in OBJECT_VERBS:
            return child.left_edge.i, child.right_edge.i + 1  # "announced his candidacy"
        if child.dep_ == "prep" and child.lower_ == "about":
            return child.left_edge.i + 1, child.right_edge.i + 1  # "asked about X"
    if cue.dep_ == "parataxis" and not _has_complement(cue, ctx.inside):
        # "Moscow will lift them, he said." / "In particular, he said, the foundation had …":
        # the reported clause is the head; a parenthetical cue stays inside the span
        head = cue.head
        left, right = cue.left_edge.i, cue.right_edge.i
        before = left if doc[left].is_punct else left - 1
        after = right if doc[right].is_punct else right + 1
        tail = [t for t in doc[after : sent.end] if not (t.is_space or t.is_punct)]
        if (
            before > sent.start
            and doc[before].text == ","
            and (not tail or (after < len(doc) and doc[after].text == ","))
        ):
            return max(head.left_edge.i, sent.start), min(head.right_edge.i + 1, sent.end)
    return None


def _trim(ctx: _Context, start: int, end: int, para: tuple[int, int]) -> tuple[int, int] | None:
    """A token range cut to one paragraph, without a leading "that" or edge punctuation."""
    doc = ctx.doc
    while start < end and doc[start].idx < para[0]:
        start += 1
    while end > start and doc[end - 1].idx >= para[1]:
        end -= 1
    while start < end and (doc[start].is_punct or doc[start].is_space or doc[start].dep_ == "mark"):
        start += 1
    while end > start and (doc[end - 1].is_punct or doc[end - 1].is_space):
        end -= 1
    return (start, end) if start < end else None


def _indirect_quotes(ctx: _Context, direct: list[QuoteSpan]) -> list[QuoteSpan]:
    """Reported speech: a reporting verb's complement clause, and "according to X"."""
    statements = [q for q in direct if q.kind == "statement"]
    covered = [(q.start, q.end) for q in statements]
    used = {q.cue_start for q in statements}
    out: list[QuoteSpan] = []
    for tok in ctx.doc:
        if ctx.inside[tok.i] >= 0 or tok.idx in used:
            continue
        if not _is_according(tok) and not (
            _is_verb(tok) and (_lemma(tok) in REPORTING_VERBS or _call_for(tok) is not None)
        ):
            continue
        speaker = _speaker_of(ctx, tok)
        if speaker is None:
            continue
        found = _content_range(ctx, tok)
        if found is None:
            continue
        bounds = _trim(ctx, *found, ctx.paras[ctx.para_index(tok.idx)])
        if bounds is None:
            continue
        start, end = ctx.span(*bounds)
        for mark in ctx.marked:  # take in whole any quotation the clause cuts through
            if mark.open_at < end and start < mark.close_end:
                start, end = min(start, mark.open_at), max(end, mark.close_end)
        if _word_count(ctx.text[start:end]) < INDIRECT_MIN_WORDS:
            continue
        inside_quotes = sum(max(0, min(end, e) - max(start, s)) for s, e in covered)
        if inside_quotes * 2 >= end - start:
            continue  # mostly a direct quote already: "told Erdogan that it was “…”"
        s_start, s_end = ctx.sentence_bounds(min(start, tok.idx), max(end, tok.idx + 1))
        q = QuoteSpan(
            start=start,
            end=end,
            text=ctx.text[start:end],
            direct=False,
            kind="indirect",
            sentence_start=s_start,
            sentence_end=s_end,
        )
        _fill(ctx, q, tok, speaker)
        out.append(q)
    return out


def _echoes(quotes: list[QuoteSpan], ctx: _Context) -> None:
    """Give a heading that is only a quote the speaker of a quote that repeats it word for
    word (‘Not ready for Sweden’ … “We are not ready for Sweden now …,” he added)."""
    said = [q for q in quotes if q.kind == "statement" and q.speaker_start is not None]
    for q in quotes:
        if q.kind != "statement" or q.speaker_start is not None:
            continue
        start, end = ctx.paras[ctx.para_index(q.start)]
        around = ctx.text[start : q.start] + ctx.text[q.end : end]
        if around.strip(_QUOTE_CHARS):
            continue  # not a heading: the paragraph holds more than the quote
        words = " ".join(_WORD.findall(q.text.casefold()))
        for other in said:
            if other is not q and words in " ".join(_WORD.findall(other.text.casefold())):
                q.speaker_start, q.speaker_end = other.speaker_start, other.speaker_end
                q.inherited = True
                break


def find_quotes(doc: Doc) -> list[QuoteSpan]:
    """Direct quotes, scare quotes and reported speech in a parsed document, in text order."""
    text = doc_text(doc)
    if not text.strip():
        return []
    ctx = _Context(doc, _pair_marks(text, paragraphs(text)))
    direct, orphans = _direct_quotes(ctx)
    quotes = sorted(direct + _indirect_quotes(ctx, direct), key=lambda q: (q.start, q.end))
    _inherit(quotes, orphans, ctx)
    _echoes(quotes, ctx)
    LOGGER.debug("%d quotes (%d in marks) in %d characters", len(quotes), len(direct), len(text))
    return quotes
