"""Quote speakers as actors: each quote's speaker span linked to the person or body it names.

The quote finder gives speaker *spans* ("Putin", "he", "the article"); the actor resolver
gives the document's mentions. :func:`resolve_speakers` joins them, in text order, so a
speaker the mentions do not settle can lean on the quotes before it:

- a mention inside the span names the speaker, a person first ("Russian President Vladimir
  Putin": Putin, not Russia), but not a possessor ("Trump's running mate" is not Trump);
- "“…,” it said" continues the latest speaker that is a body, not a person ("the Times
  wrote … it added");
- a document speaks for its author ("the article read", "the report says"): the name the
  text gave the same kind of document before ("a Times article") or gives it here;
- a definite description of a person that the tables do not know ("the radioman",
  "Trump's running mate") is the latest person who is a sentence's subject just before (as
  a pronoun would be), other than its possessor;
- else a bare surname or pronoun the resolver missed is the latest person named so, and
  what is still unknown keeps its words with kind ``unresolved``.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from typing import TYPE_CHECKING

from detente.annotate.quotes import QuoteSpan
from detente.model import Actor, Mention, Quote

if TYPE_CHECKING:
    from spacy.tokens import Doc, Token

    from detente.annotate.actors import ActorResolver

__all__ = ["UNRESOLVED", "resolve_speakers"]

# Tuning constants: after changing one, re-run tests/test_speakers.py and `detente eval
# quotes` (the person-level score on our news gold; PolNeAR's figures do not read actors).

#: Kind of the actor given to a speaker the resolver cannot place (the text is kept).
UNRESOLVED = "unresolved"
#: Quotes back that "it" may reach for the body that spoke (only the last one).
SPEAKERS_BACK = 1
#: Sentences back a description may reach for its person (2, as pronouns do in the actors).
SENTENCES_BACK = 2
#: Paragraphs back a document noun may reach for the name given to it ("a Times article").
DOCUMENT_PARAGRAPHS = 3
#: Nouns for writings that speak for their authors ("the article read", "the suit claims").
DOCUMENT_NOUNS = frozenset(
    {
        *("article", "story", "report", "editorial", "column", "piece", "op-ed", "review"),
        *("lawsuit", "suit", "complaint", "filing", "memo", "letter", "study", "book"),
    }
)
#: Heads of a definite description that stand for a person named before ("the radioman",
#: "the billionaire", "Trump's running mate"); not words for someone new to the text ("the
#: official", "a source", "his wife"), nor bodies. A word ending in "man" or "woman" is one
#: too ("the congressman"). Chosen on PolNeAR train articles, where an open list ("the
#: contrast", "the polls", "the task force") was wrong four times in five.
PERSON_NOUNS = frozenset(
    {
        *("senator", "congressman", "congresswoman", "lawmaker", "legislator", "governor"),
        *("mayor", "candidate", "nominee", "front-runner", "frontrunner", "hopeful", "contender"),
        *("incumbent", "challenger", "rival", "opponent", "successor", "predecessor", "vp"),
        *("mate", "billionaire", "millionaire", "mogul", "tycoon", "magnate", "developer"),
        *("entrepreneur", "executive", "host", "anchor", "commentator", "pundit", "columnist"),
        *("strategist", "pollster", "delegate", "activist", "veteran", "president", "premier"),
        *("chancellor", "prince", "princess", "king", "queen", "monarch", "emir", "sheikh"),
        *("neurosurgeon", "surgeon", "doctor", "physician", "general", "admiral", "commander"),
        *("author", "lawyer", "attorney", "judge", "prosecutor", "leader", "speaker"),
        *("ambassador", "envoy", "diplomat", "economist", "investor", "financier", "dictator"),
        *("strongman", "autocrat", "populist", "socialist", "democrat", "republican", "texan"),
        *("actor", "actress", "celebrity", "comedian", "preacher", "pastor", "evangelist"),
    }
)
#: Words that make a description someone other than the person just named.
_SOMEONE_ELSE = frozenset({"other", "another", "new", "second", "third", "fellow"})
#: Heads ending in "man"/"woman" that are not people on their own.
_NOT_PEOPLE = frozenset(
    {
        *("german", "roman", "ottoman", "human", "woman", "man", "layman", "gunman"),
        *("spokesman", "spokeswoman", "policeman", "policewoman", "cameraman", "doorman"),
    }
)
#: Courtesy titles dropped before a speaker's surname is looked up ("Mr. Rubin said").
COURTESY = frozenset({"mr", "mr.", "mrs", "mrs.", "ms", "ms.", "dr", "dr.", "miss"})
#: Pronouns that stand for the person last named when no mention covers them.
PERSON_PRONOUNS = frozenset({"he", "she", "him", "her"})
_POSSESSIVE = ("'s", "’s", "'", "’")


@dataclass(slots=True)
class _Said:
    """A quote already resolved: where its speaker span was, and who it is."""

    start: int
    actor: Actor


def resolve_speakers(
    spans: Sequence[QuoteSpan],
    mentions: list[Mention],
    *,
    resolver: ActorResolver,
    text: str,
    on: date | None,
    doc: Doc | None = None,
) -> list[Quote]:
    """The quotes of ``spans`` with their speakers linked to actors (``doc``: its parse)."""
    said: list[_Said] = []
    quotes = []
    for span in spans:
        speaker = _resolve(
            span, mentions, said, resolver=resolver, text=text, on=on, doc=doc, spans=spans
        )
        if speaker is not None and speaker.actor.kind != UNRESOLVED:
            said.append(_Said(speaker.start, speaker.actor))
        quotes.append(span.to_quote(speaker))
    return quotes


def _resolve(
    span: QuoteSpan,
    mentions: list[Mention],
    said: list[_Said],
    *,
    resolver: ActorResolver,
    text: str,
    on: date | None,
    doc: Doc | None,
    spans: Sequence[QuoteSpan],
) -> Mention | None:
    """The speaker mention of one quote, or None when it has no speaker span."""
    start, end = span.speaker_start, span.speaker_end
    if start is None or end is None:
        return None
    words = text[start:end]
    found = _speaker(start, end, mentions, text)
    if found is not None:
        return found
    before = [s for s in said if s.start < start][-SPEAKERS_BACK:]
    actor = _continued(words, before) if span.direct else None
    if actor is None and doc is not None:
        actor = _author(doc, start, end, mentions, resolver=resolver, on=on)
        if actor is None:
            actor = _described(doc, start, end, mentions, spans)
    if actor is None:
        actor = resolver.lookup(words, on=on)
        if actor is None or actor.code is None:
            named = _named_before(words, start, mentions)
            actor = named or actor or Actor(words, None, kind=UNRESOLVED)
    return Mention(start, end, words, actor, "lookup")


def _speaker(start: int, end: int, mentions: list[Mention], text: str) -> Mention | None:
    """The mention inside the speaker span: a person first, then the one nearest its end.

    A person whose name ends in a possessive before a word for another person ("Trump's
    running mate") is not the speaker: None, when nothing else in the span names one.
    """
    inside = [m for m in mentions if m.start < end and m.end > start]
    words = text[start:end].split()
    # "Clinton's campaign", "Putin's spokesman": the possessor's side still speaks
    described = bool(words) and _person_word(words[-1].lower())
    people = [
        m
        for m in inside
        if m.actor.kind == "person" and not (described and _possessor(m, end, text))
    ]
    others = [m for m in inside if m.actor.kind != "person"]
    if not people and any(m.actor.kind == "person" for m in inside):
        return None  # only a possessor: a description of someone of theirs
    # "Russian President Vladimir Putin": the person, not the country of his title
    chosen = people or others
    return max(chosen, key=lambda m: (m.end, m.end - m.start)) if chosen else None


def _possessor(mention: Mention, end: int, text: str) -> bool:
    """Whether a mention is a possessive with more of the speaker span after it."""
    after = text[mention.end : end]
    if mention.text.endswith(_POSSESSIVE):
        return bool(after.strip())
    return after.startswith(_POSSESSIVE) and bool(after[2:].strip())


def _continued(words: str, before: list[_Said]) -> Actor | None:
    """ "“…,” it added" after a body spoke: that body (only for direct quotes: "It accused
    the agency …" opens a new sentence whose "it" may be anything)."""
    if words.casefold().split() != ["it"] or not before:
        return None
    latest = before[-1].actor
    return latest if latest.kind != "person" and latest.code is not None else None


def _described(
    doc: Doc, start: int, end: int, mentions: list[Mention], spans: Sequence[QuoteSpan]
) -> Actor | None:
    """ "the radioman", "Trump's potential VP": a definite description of a person the tables
    do not know stands for the latest person who is a sentence's subject, outside quotes, in
    this sentence or the :data:`SENTENCES_BACK` before it (its possessor excepted)."""
    span = doc.char_span(start, end, alignment_mode="expand")
    if span is None or not 2 <= len(span) <= 5:
        return None
    head = span.root
    if not _person_noun(head):
        return None
    definite = span[0].lower_ == "the" or any(t.dep_ == "poss" for t in head.children)
    if not definite or any(t.lower_ in _SOMEONE_ELSE for t in span):
        return None  # "the other candidate", "a new adviser": not the person just named
    owners = {m.actor.name for m in mentions if start <= m.start < end}
    quoted = [(q.start, q.end) for q in spans if q.direct]
    sents = list(doc.sents)
    here = next(i for i, s in enumerate(sents) if s.start <= head.i < s.end)
    # sentences of the narrative: those inside a quotation are the speaker's, not the text's
    told = [
        sent
        for sent in sents[: here + 1]
        if not any(a <= sent.start_char and sent.end_char <= b + 2 for a, b in quoted)
    ]
    for back, sent in enumerate(reversed(told[-SENTENCES_BACK - 1 :])):
        subjects = [
            m
            for m in mentions
            if sent.start_char <= m.start < min(sent.end_char, start)
            and m.actor.kind == "person"
            and m.actor.name not in owners
            and not any(a <= m.start < b for a, b in quoted)
            and _is_subject(doc, m)
        ]
        main = [m for m in subjects if _is_subject(doc, m, sent.root)]
        if main or subjects:
            return (main or subjects)[-1 if back == 0 else 0].actor
    return None


def _person_noun(token: Token) -> bool:
    """Whether a description's head names one person ("senator", "radioman", not "polls")."""
    return token.tag_ in ("NN", "NNP") and _person_word(token.lower_)


def _person_word(word: str) -> bool:
    """Whether a lower-case noun is one of :data:`PERSON_NOUNS` or a "-man" word for one."""
    if word in PERSON_NOUNS:
        return True
    return word.endswith(("man", "woman")) and word not in _NOT_PEOPLE


def _is_subject(doc: Doc, mention: Mention, verb: Token | None = None) -> bool:
    """Whether a mention is a subject, or its possessor ("Alwaleed's tweet linked"), of any
    verb or of ``verb`` (the sentence's root: its main clause)."""
    span = doc.char_span(mention.start, mention.end, alignment_mode="expand")
    if span is None:
        return False
    for token in span:
        if token.dep_ == "poss" and token.head.dep_ in ("nsubj", "nsubjpass"):
            token = token.head
        if token.dep_ in ("nsubj", "nsubjpass") and (verb is None or token.head.i == verb.i):
            return True
    return False


def _author(
    doc: Doc,
    start: int,
    end: int,
    mentions: list[Mention],
    *,
    resolver: ActorResolver,
    on: date | None,
) -> Actor | None:
    """Who a document speaker ("the article", "a Times story") speaks for: the name on it
    here or, for "the article", on the latest document of that kind the text named."""
    span = doc.char_span(start, end, alignment_mode="expand")
    if span is None or not len(span):
        return None
    head = span.root
    if head.lemma_.lower() not in DOCUMENT_NOUNS:
        return None
    owner = _owner(head, mentions, resolver=resolver, on=on)
    if owner is not None or not any(t.lower_ == "the" for t in span):
        return owner
    paragraphs = 0
    for i in range(head.i - 1, -1, -1):
        token = doc[i]
        if token.is_space and "\n" in token.text:
            paragraphs += 1
            if paragraphs > DOCUMENT_PARAGRAPHS:
                break
        if token.lemma_.lower() == head.lemma_.lower():
            owner = _owner(token, mentions, resolver=resolver, on=on)
            if owner is not None:
                return owner
    return None


def _owner(
    noun: Token, mentions: list[Mention], *, resolver: ActorResolver, on: date | None
) -> Actor | None:
    """The body or person a document noun is credited to: "a Times article", "Smith's suit"."""
    for child in noun.lefts:
        if child.dep_ not in ("compound", "poss") or child.pos_ != "PROPN":
            continue
        first, last = child.left_edge, child
        lo, hi = first.idx, last.idx + len(last.text)
        here = [m for m in mentions if m.start < hi and m.end > lo and m.actor.code]
        if here:
            return here[-1].actor
        name = noun.doc.text[lo:hi]
        # "The New York Times" or "the Times" named before: the body the text calls so
        same = [m for m in mentions if m.actor.code and _called(m, name)]
        if same:
            return same[-1].actor
        actor = resolver.lookup(name, on=on)
        if actor is not None and actor.code is not None:
            return actor
    return None


def _called(mention: Mention, name: str) -> bool:
    """Whether a body's mention is written, or its name ends, as ``name`` ("Times")."""
    from detente.annotate.actors import fold

    if mention.actor.kind == "person":
        return False
    key = fold(name)
    written = fold(mention.text).removeprefix("the ")
    return key in (written, " ".join(fold(mention.actor.name).split()[-len(key.split()) :]))


def _named_before(words: str, start: int, mentions: list[Mention]) -> Actor | None:
    """The person a bare surname or pronoun speaker refers to: the latest one named before it.

    "Mr. Pruzan said" after "Robert Pruzan, a banker, …": the person whose name ends with the
    surname; "he said" with no mention of its own: the nearest person named before.
    """
    from detente.annotate.actors import fold

    parts = [p for p in fold(words).replace(",", " ").split() if p not in COURTESY]
    if not parts:
        return None
    before = [m for m in mentions if m.end <= start and m.actor.kind == "person"]
    if len(parts) == 1 and parts[0] in PERSON_PRONOUNS:
        return before[-1].actor if before else None
    surname = parts[-1]
    for mention in reversed(before):
        name = fold(mention.actor.name).split()
        if name and name[-1] == surname:
            return mention.actor
    return None
