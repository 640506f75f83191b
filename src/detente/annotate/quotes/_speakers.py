"""Speaker attribution: a cue's subject, the name beside it, "Cruz:" headlines, addressees."""

from __future__ import annotations

from typing import TYPE_CHECKING

from detente.annotate.quotes._context import _Context
from detente.annotate.quotes._parse import (
    _cue_bounds,
    _is_according,
    _is_verb,
    _lemma,
    _np_bounds,
    _passive_participle,
)
from detente.annotate.quotes._span import QuoteSpan

if TYPE_CHECKING:
    from spacy.tokens import Token

# Tuning constants: after changing one, run tests/test_quotes.py and score PolNeAR train/dev
# (detente.evaluation.quotes.evaluate_polnear(root, split="dev")); never tune on test.

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

_CLIMB_DEPS = frozenset({"conj", "advcl", "xcomp"})
_RELATIVE = frozenset({"who", "which", "that"})
_SPEAKER_PRONOUNS = frozenset({"he", "she", "they"})
_ADDRESSEE_OBJECT = frozenset(
    {"tell", "told", "ask", "warn", "urge", "assure", "inform", "brief", "remind", "caution"}
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
        # "Pence said it takes time but added, “…”": spaCy may coordinate the second reporting
        # verb with the reported clause instead of with the verb that reports it
        reported_too = verb.dep_ == "conj" and _lemma(verb) in REPORTING_VERBS
        verb = verb.head
        if (participle or (reported_too and _lemma(verb) not in REPORTING_VERBS)) and (
            verb.dep_ == "ccomp" and _lemma(verb.head) in REPORTING_VERBS
        ):
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
