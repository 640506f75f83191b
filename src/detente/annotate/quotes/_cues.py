"""Cues of direct quotes: reporting verbs beside, above or near a quote, and lead-ins."""

from __future__ import annotations

from typing import TYPE_CHECKING

from detente.annotate.quotes._context import _before, _Context
from detente.annotate.quotes._marks import _Marked
from detente.annotate.quotes._parse import _has_complement, _is_according, _is_verb, _lemma, _tops
from detente.annotate.quotes._speakers import (
    REPORTING_VERBS,
    _noun_run,
    _speaker_like,
    _speaker_of,
    _subject,
)

if TYPE_CHECKING:
    from spacy.tokens import Span, Token

# Tuning constants: after changing one, run tests/test_quotes.py and score PolNeAR train/dev
# (detente.evaluation.quotes.evaluate_polnear(root, split="dev")); never tune on test.

#: How far (tokens) a reporting verb not linked to the quote may sit and still cue it when it
#: reports nothing else; 3 to 20 score the same on train/dev, 10 is the middle.
CUE_MAX_DISTANCE = 10
#: Verbs that cue a direct quote only when right beside it: "He continued, “…”", "“…,” the
#: letter read"; governing a clause they mean something else ("continued to fight").
ADJACENT_ONLY_VERBS = frozenset({"continue", "begin", "conclude", "open", "close", "read"})
#: Verbs that name or judge: a quote they govern is a label when short ("called him an
#: “autocrat”") and a partial quote of their subject when longer ("called it “a stab …”").
LABEL_VERBS = frozenset(
    {
        *("call", "describe", "dub", "label", "brand", "term", "characterize", "characterise"),
        *("refer", "nickname", "praise", "hail", "condemn", "criticize", "criticise", "accuse"),
        *("express", "welcome", "slam", "blast", "decry", "denounce", "thank", "congratulate"),
        *("threaten", "reject", "dismiss", "laud", "applaud", "question", "challenge", "mock"),
        *("attack", "defend", "tout", "pledge", "promise", "vow"),
    }
)

_NOT_CUES = frozenset({"be", "have", "do", "get", "make", "take", "become", "seem", "use"})


def _is_reporting(tok: Token) -> bool:
    """A reporting verb of the lexicon, "point out", or the "according" of "according to"."""
    if _is_according(tok):
        return True
    if not _is_verb(tok):
        return False
    lemma = _lemma(tok)
    if lemma == "point":  # "pointed out"
        return any(child.dep_ == "prt" and child.lower_ == "out" for child in tok.children)
    if lemma == "put":  # "as Vulture put it"
        return any(child.dep_ == "dobj" and child.lower_ == "it" for child in tok.children)
    return lemma in REPORTING_VERBS or tok.lower_ in REPORTING_VERBS


def _beside(ctx: _Context, tok: Token, quote: Span, subject: Token | None) -> bool:
    """Whether only punctuation and the verb's subject separate a verb from the quote
    ("“…,” he said", "“…,” said Lavrov", "Sanders retorted: “…”")."""
    lo, hi = (tok.i + 1, quote.start) if tok.i < quote.start else (quote.end, tok.i)
    if hi - lo > 12:
        return False
    own = range(subject.left_edge.i, subject.right_edge.i + 1) if subject is not None else ()
    return all(
        t.is_punct or t.is_space or ctx.inside[t.i] >= 0 or t.i in own for t in ctx.doc[lo:hi]
    )


def _cue_rank(ctx: _Context, tok: Token, quote: Span, above: set[int], dist: int) -> int | None:
    """How strongly a token cues the quote (0 strongest), or None when it does not."""
    verb = _is_verb(tok)
    lemma = _lemma(tok)
    reporting = _is_reporting(tok)
    subject = _speaker_of(ctx, tok) if verb else None
    person = subject is not None and _speaker_like(subject)
    if reporting and verb and _beside(ctx, tok, quote, subject):
        return 0  # “…,” he said / said Lavrov / he said: “…”
    if tok.i in above and (reporting or (verb and lemma in LABEL_VERBS)):
        # the quote hangs under the cue: "said that … “…”", "called it “…”"; a cue whose
        # subject is a name or a person beats one whose subject is "it" or a thing
        return 1 if person or subject is None else 2
    if reporting and not _has_complement(tok, ctx.inside):
        if any(quote.start <= anc.i < quote.end for anc in tok.ancestors) or tok.head.i in above:
            return 2  # a parenthetical "he said" hung under or beside the quote
        if dist <= CUE_MAX_DISTANCE:
            return 3  # near, unlinked: trusted only when it reports nothing else
    speaking = person or lemma in ADJACENT_ONLY_VERBS
    if verb and speaking and lemma not in _NOT_CUES and dist <= 4:
        return 3 if _beside(ctx, tok, quote, subject) else None  # "“…,” he shot back"
    return None


def _choose_cue(ctx: _Context, frame: list[Token], quote: Span) -> tuple[Token | None, int]:
    """The cue of a direct quote and its rank (see :func:`_cue_rank`; 9 when none)."""
    tops = _tops(quote)
    above = {anc.i for top in tops for anc in top.ancestors} | {top.i for top in tops}
    best: tuple[int, int, Token | None] = (9, 0, None)
    for tok in frame:
        dist = tok.i - quote.end + 1 if tok.i >= quote.end else quote.start - tok.i
        if not (_is_verb(tok) or _is_according(tok)):
            continue
        rank = _cue_rank(ctx, tok, quote, above, dist)
        if rank is not None and (rank, dist) < best[:2]:
            best = (rank, dist, tok)
    return best[2], best[0]


def _lead_in(ctx: _Context, mark: _Marked) -> tuple[int, int] | None:
    """Token range of a lead-in ending in ":" before the quote, in its sentence or the one
    before ("Sanders shot back: “…”"), or None."""
    unit = ctx.unit_index(mark.start)
    before = _before(ctx, mark).rstrip()
    if before:
        if not before.endswith(":"):
            return None
        first = ctx.units[unit][2]
        last = first
        while last < len(ctx.doc) and ctx.doc[last].idx < mark.open_at:
            last += 1
        return first, last
    if unit > 0:
        start, end, first, last = ctx.units[unit - 1]
        if ctx.text[start : min(end, mark.open_at)].rstrip().endswith(":"):
            return first, last
    return None


def _fallback(ctx: _Context, mark: _Marked, quote: Span) -> tuple[Token | None, Token | None]:
    """Cue and speaker when no reporting verb is found: a lead-in ending in ":" ("Sanders
    shot back: “…”", "Clinton: “…”"), or the verb above a partial quote when its subject is
    a name, a person pronoun or a title ("Biden condemned it “in the strongest terms”")."""
    lead = _lead_in(ctx, mark)
    if lead is not None:
        first, last = lead
        for tok in ctx.doc[first:last]:
            heads_lead_in = tok.dep_ == "ROOT" or not first <= tok.head.i < last
            if _is_verb(tok) and heads_lead_in and ctx.inside[tok.i] < 0:
                subject = _speaker_of(ctx, tok)
                if subject is not None and _speaker_like(subject):
                    return tok, subject
        end = last - 1
        while end > first and ctx.doc[end].text != ":":
            end -= 1
        if ctx.doc[end].text != ":":
            return None, None
        if ctx.doc[end - 1].text == ")":  # "Rep. Trey Gowdy (R-S.C.): “…”"
            while end > first and ctx.doc[end].text != "(":
                end -= 1
        return None, _noun_run(ctx, end - 1, -1)  # "Clinton: “…”"
    if _before(ctx, mark).strip():
        for top in _tops(quote):
            for anc in top.ancestors:
                if ctx.inside[anc.i] >= 0 or not _is_verb(anc):
                    continue
                subject = _subject(anc)
                if _lemma(anc) in _NOT_CUES or subject is None or not _speaker_like(subject):
                    return None, None
                return anc, subject
    return None, None
