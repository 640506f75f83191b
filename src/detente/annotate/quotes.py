"""Quotations: direct quotes in marks, scare quotes and reported speech, with cue and speaker.

:func:`find_quotes` reads one parsed spaCy ``Doc`` (no second parse) and returns
:class:`QuoteSpan` records whose offsets point into ``doc.text``. It finds *speaker spans*
("Putin", "he", "the Kremlin"); resolving them to actors is the actor module's job.

1. **Marks** are paired on the characters, paragraph by paragraph: curly (“ ” ‘ ’), straight
   (" '), doubled (``''`` as NYT archives write “ ”), « » and „. A straight mark opens or
   closes by its neighbours (space before and a letter after: opens), else by alternation.
   ’ and ' are apostrophes unless a single quote is open and no letter follows (don't,
   Erdoğan's, Workers' stay words); single quotes inside double ones are nested, not reported.
   A quote still open at a paragraph's end runs on when the next paragraph opens with a mark
   (the convention for quotes over several paragraphs); otherwise it closes at the paragraph
   end (``closed=False``). A paragraph broken mid-sentence (next line lower case) is one.
2. **Direct quotes.** Candidate cues are verbs outside the marks in the quote's sentence, a
   short "he said." fragment right after it, or a lead-in ending in ":" or "," right before.
   Best first: a reporting verb beside the quote ("“…,” he said", "said Lavrov", "he said:
   “…”"); one governing it in the parse ("said that … “…”", "called it “…”"); a parenthetical
   one; a near one that reports nothing else; any verb beside the quote with a person as
   subject ("“…,” she shot back"). The speaker is the cue's subject (through "saying"/
   "adding" participles, coordination, "who" and "in saying"), the object of "according
   to", or, when the parse has none, the name next to the cue ("“…,” Flynn, an aide, said").
   Without a cue: "Clinton: “…”" headlines and ":" lead-ins give the speaker; a partial quote
   takes the subject of the verb above it when that is a name, a person pronoun or a title;
   a quote opening its sentence inherits the speaker of the paragraph's previous quote
   ("“A,” he said. “B.”"), or of the previous paragraph when that ends with a quote and this
   one is only a quote. Nothing else: the speaker stays None.
3. **Reported speech.** A reporting verb outside quotes with a complement clause ("said
   Türkiye will …", "warned that …", "told reporters that …"), an object ("announced his
   candidacy"), "called for …", a parenthetical ("…, he said, …") or "according to X" gives
   an ``indirect`` quote whose content is that clause; skipped when direct quotes already
   make up half of it (then the direct quote carries the attribution).

**Scare quotes.** A quote of at most :data:`SCARE_MAX_WORDS` words is a label, not a
statement (``kind="scare"``), unless it fills its clause next to a cue ("“Never,” he said";
"he replied: “Not yet”"): so "who he called his “dear friend”", "a “special” relationship"
and "praised the “great significance” of" are scare quotes whatever verb governs them. So
are capitalized titles inside a sentence or without a cue ("Fox and Friends", "War On
Drugs"). A scare quote keeps a cue and speaker only when a verb governs it in the parse.
"""

from __future__ import annotations

import bisect
import logging
import re
from collections.abc import Iterator
from dataclasses import dataclass
from typing import TYPE_CHECKING

from detente.annotate.nlp import doc_text
from detente.model import Mention, Quote

if TYPE_CHECKING:
    from spacy.tokens import Doc, Span, Token

__all__ = [
    "LABEL_VERBS",
    "REPORTING_VERBS",
    "QuoteSpan",
    "find_quotes",
    "paragraphs",
    "quote_marks",
]

LOGGER = logging.getLogger(__name__)

# Tuning constants: after changing one, run tests/test_quotes.py and score PolNeAR train/dev
# (detente.evaluation.quotes.evaluate_polnear(root, split="dev")); never tune on test.

#: Quotes of this many words or fewer are scare quotes unless they fill their clause next to
#: a cue: the codebook's "one or two words".
SCARE_MAX_WORDS = 2
#: Longest capitalized quote read as a title ("Make America Great Again"); 6 beat 0, 4, 8.
TITLE_MAX_WORDS = 6
#: Longest "he said." fragment (tokens) that spaCy split off after a quote and that may hold
#: its cue; 8 beat 4 and matched 14 on dev ("said Foreign Minister Sergei Lavrov.").
FRAGMENT_MAX_TOKENS = 8
#: How far (tokens) a reporting verb not linked to the quote may sit and still cue it when it
#: reports nothing else; 3 to 20 score the same on train/dev, 10 is the middle.
CUE_MAX_DISTANCE = 10
#: Whether a paragraph made only of a cue-less quote inherits the speaker of the previous
#: paragraph when that ends with a quote; on train +0.5 points of speaker accuracy, right
#: three times in four.
INHERIT_ACROSS = True
#: Fewest words in the content of reported speech ("he said so" is not reported).
INDIRECT_MIN_WORDS = 3

#: Verbs that report speech (lemmas): cues of direct quotes and of reported speech.
REPORTING_VERBS = frozenset(
    {
        *("say", "tell", "add", "state", "ask", "write", "tweet", "post", "insist", "warn"),
        *("argue", "note", "stress", "declare", "announce", "claim", "explain", "reply", "urge"),
        *("respond", "answer", "acknowledge", "admit", "assert", "comment", "remark", "recall"),
        *("observe", "suggest", "emphasize", "emphasise", "reiterate", "confirm", "deny", "report"),
        *("predict", "promise", "vow", "pledge", "complain", "concede", "contend", "maintain"),
        *("mention", "quip", "joke", "shout", "exclaim", "testify", "charge", "boast", "caution"),
        *("counter", "underline", "underscore", "affirm", "allege", "disclose", "reveal", "inform"),
        *("assure", "retort", "conclude", "demand", "proclaim", "recount", "repeat", "speculate"),
        *("indicate", "lament", "hint", "propose", "recommend", "imply", "brag", "whisper", "told"),
        *("said", "says"),
    }
)
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
#: Common nouns that can head a speaker when the verb is not a reporting verb.
TITLE_NOUNS = frozenset(
    {
        *("president", "minister", "secretary", "spokesman", "spokeswoman", "spokesperson"),
        *("official", "officials", "leader", "leaders", "chairman", "chairwoman", "chair", "head"),
        *("director", "ambassador", "senator", "governor", "mayor", "candidate", "adviser"),
        *("advisor", "aide", "ministry", "government", "kremlin", "office", "party", "campaign"),
        *("prosecutor", "judge", "general", "commander", "chief", "statement"),
    }
)
#: Platforms that extend a cue as written: "wrote on Twitter", "said on X".
PLATFORMS = frozenset({"twitter", "x", "facebook", "telegram", "instagram", "social", "truth"})

# marks -----------------------------------------------------------------------------------

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
_TITLE_SMALL = frozenset({"a", "an", "the", "and", "or", "of", "on", "in", "to", "for", "at"})


@dataclass(slots=True)
class QuoteSpan:
    """One quotation: content, cue and speaker spans as character offsets into ``doc.text``."""

    start: int  # offsets of the quoted content (inside the marks for direct quotes)
    end: int
    text: str
    direct: bool
    kind: str  # "statement" | "scare" | "indirect"
    cue: str | None = None  # the reporting verb or phrase as written
    cue_start: int | None = None
    cue_end: int | None = None
    speaker_start: int | None = None  # the speaker's noun phrase as written ("he", "Putin")
    speaker_end: int | None = None
    addressee: str | None = None  # who it was said to: "CNN" in "told CNN"
    sentence_start: int = 0  # the sentence(s) holding the quote
    sentence_end: int = 0
    inherited: bool = False  # speaker taken from an earlier quote, not found beside this one
    closed: bool = True  # False when the closing mark was missing (direct quotes only)

    def speaker_text(self, text: str) -> str | None:
        """The speaker span as written in ``text`` (the document's text), or None."""
        if self.speaker_start is None or self.speaker_end is None:
            return None
        return text[self.speaker_start : self.speaker_end]

    def to_quote(self, speaker: Mention | None = None) -> Quote:
        """The :class:`~detente.model.Quote` record, given the resolved speaker mention."""
        return Quote(
            start=self.start,
            end=self.end,
            text=self.text,
            direct=self.direct,
            kind=self.kind,
            speaker=speaker,
            cue=self.cue,
            addressee=self.addressee,
            sentence_start=self.sentence_start,
            sentence_end=self.sentence_end,
        )


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
    """Pair quotation marks paragraph by paragraph (see the module docstring)."""
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


# parse helpers ---------------------------------------------------------------------------

_LEFT_DEPS = frozenset({"det", "amod", "compound", "poss", "nmod", "nummod", "quantmod", "predet"})
_CLIMB_DEPS = frozenset({"conj", "advcl", "xcomp"})
_RELATIVE = frozenset({"who", "which", "that"})
_SPEAKER_PRONOUNS = frozenset({"he", "she", "they"})
_NOT_CUES = frozenset({"be", "have", "do", "get", "make", "take", "become", "seem", "use"})
_ADDRESSEE_OBJECT = frozenset(
    {"tell", "told", "ask", "warn", "urge", "assure", "inform", "brief", "remind", "caution"}
)


def _lemma(token: Token) -> str:
    """Lower-case lemma, falling back to the lower-case form."""
    return (token.lemma_ or token.lower_).lower()


def _is_verb(token: Token) -> bool:
    """Whether spaCy tagged the token as a verb (any VB* tag)."""
    return token.tag_.startswith("VB")


def _is_according(token: Token) -> bool:
    """The "according" of "according to X"."""
    doc = token.doc
    return (
        token.lower_ == "according" and token.i + 1 < len(doc) and doc[token.i + 1].lower_ == "to"
    )


def _is_break(token: Token) -> bool:
    """A whitespace token holding a line break (spaCy sentences may run over paragraphs)."""
    return token.is_space and "\n" in token.text


def _np_bounds(head: Token) -> tuple[int, int]:
    """Token range [start, end) of the noun phrase headed by ``head``, without clauses."""
    doc = head.doc
    left = right = head.i
    for child in reversed(list(head.lefts)):
        if child.dep_ not in _LEFT_DEPS:
            break
        left = child.left_edge.i
    for child in head.rights:
        if child.i != right + 1 and child.left_edge.i != right + 1:
            break
        if child.dep_ in ("compound", "flat", "nummod", "case"):
            right = child.right_edge.i
        elif (
            child.dep_ == "prep"
            and child.lower_ in ("of", "for", "to", "at")
            and (head.tag_ in ("NN", "NNS"))
        ):
            right = child.right_edge.i
            break
        else:
            break
    for i in range(head.i - 1, left - 1, -1):
        if _is_break(doc[i]):
            left = i + 1
            break
    for i in range(head.i + 1, right + 1):
        if _is_break(doc[i]):
            right = i - 1
            break
    while right > left and (doc[right].is_punct or doc[right].is_space):
        right -= 1
    while left < right and (doc[left].is_punct or doc[left].is_space):
        left += 1
    return left, right + 1


def _passive_participle(verb: Token) -> bool:
    """A participle clause without a subject: "Asked about it, …" (not "after he had warned")."""
    return (
        verb.tag_ == "VBN"
        and verb.dep_ in ("advcl", "acl")
        and not any(child.dep_ in ("nsubj", "aux") for child in verb.children)
    )


def _subject(cue: Token) -> Token | None:
    """The speaker head of a cue: its subject, climbing participles and coordination."""
    if _is_according(cue):
        return next((c for c in cue.doc[cue.i + 1].children if c.dep_ == "pobj"), None)
    if _passive_participle(cue):
        return None  # "Asked whether …, Biden replied": the subject was asked, not speaking
    verb = cue
    for _ in range(4):
        if any(child.dep_ == "nsubjpass" for child in verb.children):
            return None  # "was quoted as saying": no speaker in this clause
        subjects = [child for child in verb.children if child.dep_ == "nsubj"]
        if subjects:
            subject = min(subjects, key=lambda child: abs(child.i - verb.i))
            if subject.lower_ in _RELATIVE and verb.dep_ == "relcl":
                return verb.head  # "Erdogan, who said …"
            return subject
        if verb.dep_ == "acl" and verb.head.dep_ in ("dobj", "pobj") and verb.tag_ == "VBG":
            verb = verb.head.head  # "issued a statement calling …": the issuer speaks
            if not _is_verb(verb):
                break
            continue
        if verb.dep_ == "pcomp" and verb.tag_ == "VBG" and _is_verb(verb.head.head):
            # "erred in saying", "rallied supporters by warning" (the subject speaks), but
            # "criticized Biden for calling him …" (the object does: no speaker here)
            main = verb.head.head
            if verb.head.lower_ in ("for", "of") and any(c.dep_ == "dobj" for c in main.children):
                return None
            verb = main
            continue
        if verb.dep_ not in _CLIMB_DEPS or verb.head.i == verb.i:
            break
        participle = verb.dep_ == "advcl" and verb.tag_ == "VBG"
        verb = verb.head
        if participle and verb.dep_ == "ccomp" and _lemma(verb.head) in REPORTING_VERBS:
            verb = verb.head  # "he said X, adding Y": spaCy may hang "adding" under X
    return None


def _speaker_like(token: Token) -> bool:
    """Whether a token can head a speaker when the verb is not a reporting verb."""
    if token.lower_ in _SPEAKER_PRONOUNS or token.lower_ in TITLE_NOUNS:
        return True
    if token.ent_type_ in ("PERSON", "ORG", "GPE", "NORP") or token.pos_ == "PROPN":
        return True
    return token.pos_ == "NOUN" and token.text[:1].isupper()  # a name the tagger missed


def _addressee(cue: Token, inside: list[int]) -> Token | None:
    """Who a cue's words went to: "told CNN", "said to reporters", "interview with CNN"."""
    if _is_according(cue):
        return None
    lemma = _lemma(cue)
    nouns = ("PROPN", "NOUN", "PRON")
    for child in cue.children:
        if inside[child.i] >= 0:
            continue
        told = lemma in _ADDRESSEE_OBJECT
        if told and child.dep_ in ("dobj", "dative", "iobj") and child.pos_ in nouns:
            return child
        if not told and child.dep_ in ("prep", "dative") and child.lower_ in ("to", "with"):
            pobj = next((g for g in child.children if g.dep_ == "pobj"), None)
            if pobj is not None and pobj.pos_ in nouns:
                return pobj
        if child.dep_ == "prep" and child.lower_ == "in":
            for noun in child.children:
                if noun.dep_ == "pobj" and noun.lower_ == "interview":
                    for prep in noun.children:
                        if prep.dep_ == "prep" and prep.lower_ == "with":
                            return next((g for g in prep.children if g.dep_ == "pobj"), None)
    return None


def _cue_bounds(cue: Token) -> tuple[int, int]:
    """Token range [start, end) of the cue as written: "said", "pointed out", "wrote on X"."""
    doc = cue.doc
    if _is_according(cue):
        return cue.i, cue.i + 2
    end = cue.i + 1
    if end < len(doc) and doc[end].dep_ == "prt" and doc[end].head.i == cue.i:
        end += 1
    if (
        end + 1 < len(doc)
        and doc[end].lower_ == "on"
        and doc[end].head.i == cue.i
        and doc[end + 1].lower_ in PLATFORMS
    ):
        end += 2
        if end < len(doc) and doc[end].lower_ == "media" and doc[end - 1].lower_ == "social":
            end += 1
    return cue.i, end


def _has_complement(cue: Token, inside: list[int]) -> bool:
    """Whether a verb has a complement clause of its own outside quotation marks."""
    return any(c.dep_ == "ccomp" and inside[c.i] < 0 for c in cue.children)


def _word_count(text: str) -> int:
    """Number of words (letters or digits; hyphenated and elided words count once)."""
    return len(_WORD.findall(text))


# the finder ------------------------------------------------------------------------------


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


def _tops(quote: Span) -> list[Token]:
    """Tokens of the quote whose syntactic head lies outside it."""
    return [tok for tok in quote if not quote.start <= tok.head.i < quote.end]


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


def _colon_speaker(ctx: _Context, unit: int) -> Token | None:
    """The speaker of a headline-style sentence "Cruz: Trump Would …, ‘I Fear …’"."""
    _, _, first, last = ctx.units[unit]
    for i in range(first, min(last, first + 8)):
        if ctx.doc[i].text == ":":
            run = _noun_run(ctx, i - 1, -1)
            if run is not None and all(
                t.pos_ in ("PROPN", "NOUN", "DET", "ADJ") or t.is_punct for t in ctx.doc[first:i]
            ):
                return run
            return None
    return None


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


def _surface_subject(ctx: _Context, cue: Token) -> Token | None:
    """The speaker by word order when the parse gives none: "“…,” Flynn, an aide, said",
    "“…,” said Mulgrew", "Said Ellis: “…”"."""
    doc = ctx.doc
    i = cue.i + 1
    while i < len(doc) and doc[i].ent_type_ in ("DATE", "TIME") and ctx.inside[i] < 0:
        i += 1
    run = _noun_run(ctx, i, 1)
    if run is not None and _lemma(cue) not in _ADDRESSEE_OBJECT:
        return run  # inverted: said Mulgrew
    i = cue.i - 1
    while i >= 0 and doc[i].pos_ in ("ADV", "AUX", "PART") and ctx.inside[i] < 0:
        i -= 1
    if i >= 0 and doc[i].text == ",":  # skip an apposition set off by commas
        j = i - 1
        while j >= 0 and doc[j].text != "," and ctx.inside[j] < 0 and i - j < 16:
            j -= 1
        if j >= 0 and doc[j].text == ",":
            i = j - 1
    return _noun_run(ctx, i, -1)


def _noun_run(ctx: _Context, i: int, step: int) -> Token | None:
    """The head (last noun) of a run of name-like tokens starting at ``i`` going ``step``."""
    doc = ctx.doc
    run: list[Token] = []
    while 0 <= i < len(doc) and ctx.inside[i] < 0:
        tok = doc[i]
        if tok.pos_ in ("PROPN", "NOUN", "PRON") or (run and tok.pos_ in ("DET", "ADJ")):
            run.append(tok)
            i += step
            continue
        break
    nouns = [t for t in run if t.pos_ in ("PROPN", "NOUN", "PRON")]
    if not nouns:
        return None
    head = max(nouns, key=lambda t: t.i)
    return head if _speaker_like(head) else None


def _speaker_of(ctx: _Context, cue: Token) -> Token | None:
    """The speaker head of a cue: by the parse, else by word order around the cue."""
    subject = _subject(cue)
    ok = subject is not None and ctx.inside[subject.i] < 0
    if ok and subject is not None and ctx.para_index(subject.idx) == ctx.para_index(cue.idx):
        return subject
    if _is_according(cue) or _passive_participle(cue):
        return None
    if any(child.dep_ == "nsubjpass" for child in cue.children):
        return None
    return _surface_subject(ctx, cue)


def _fill(ctx: _Context, q: QuoteSpan, cue: Token | None, speaker: Token | None) -> None:
    """Set the cue, speaker and addressee fields of ``q`` from tokens."""
    if cue is not None:
        q.cue_start, q.cue_end = ctx.span(*_cue_bounds(cue))
        q.cue = ctx.text[q.cue_start : q.cue_end]
        addressee = _addressee(cue, ctx.inside)
        if addressee is not None:
            a_start, a_end = ctx.span(*_np_bounds(addressee))
            q.addressee = ctx.text[a_start:a_end]
    if speaker is not None:
        q.speaker_start, q.speaker_end = ctx.span(*_np_bounds(speaker))


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
        if q.kind != "scare" and q.speaker_start is not None:
            last = q


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
