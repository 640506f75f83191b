"""Event coding: who did what to whom, when and where, from each sentence's dependency parse.

:func:`code_article` reads an annotated article (its spaCy parse, actor mentions and quotes)
and returns :class:`~detente.model.Event` records, each naming the coder that made it
(:data:`CODER`, ``"rules.v1"``). Per sentence the coder finds predicates in the parse (a verb with
its particles, objects and complements, or an event noun such as "talks between …"), codes them with
a lexicon of ours (``data/lexicon/predicates.csv``: lemma and conditions → CAMEO; PLOVER, Goldstein
and quad class from :mod:`detente.coding.ontology`), and takes the source from the subject (the
agent of a passive), the target from the object or a counterpart preposition, each actor from the
article's mentions. Compound actors give one event per pair; meetings and agreements between the
actors of one compound are symmetric.

Frames follow the codebook: "threatened to X" is a threat (13x) and X is not coded as done;
"vowed/plans/agreed to X" is an intent (03x), "urged/called on … to X" a demand (10x), "asked" an
appeal (02x), "refused to X" a rejection (12x); "denied that X" and "failed to X" code X negated;
"could", "may", "if …" make an event hypothetical; a future-tense act is coded as its announcement
(03x for cooperation, 13x for force, ``modality="future"``). Reported events ("the Kremlin said
Turkey had apologized") are coded as the reported act with ``reported_by``. Dates come from the time
expression of the event's own clause or of the phrase that governs it (``detente.annotate.timexpr``;
which one, in :mod:`detente.coding._dating`); backstory (pluperfect, "since", "after …", relative
clauses about earlier acts) gets only the year or month the text proves, else no date; the
publication date is the fallback for the news of the day; places from the predicate's "in"/"at"
phrase (``detente.annotate.geo``). Without those modules the coder falls back to the publication
date and no geocoded location.
"""

from __future__ import annotations

import logging
from bisect import bisect_left
from collections.abc import Sequence
from datetime import date
from typing import TYPE_CHECKING

from detente.annotate.nlp import doc_text
from detente.coding._coder import CODER, SentenceCoder
from detente.coding._dating import quote_time
from detente.coding._lexicon import Entry, Lexicon
from detente.coding._quoted import quoted_statements
from detente.coding._sentence import code_clause, last_pair, segments, subject_of
from detente.coding.confidence import default_model
from detente.model import Article, Event, Mention, Quote

if TYPE_CHECKING:
    from spacy.tokens import Doc, Span

__all__ = ["CODER", "Entry", "Lexicon", "SentenceCoder", "code_article", "code_sentence"]

LOGGER = logging.getLogger(__name__)

_DEFAULT: dict[bool, SentenceCoder] = {}


def _coder(lexicon: Lexicon | None, statements: bool) -> SentenceCoder:
    if lexicon is not None:
        return SentenceCoder(lexicon, statements=statements)
    if statements not in _DEFAULT:
        _DEFAULT[statements] = SentenceCoder(statements=statements)
    return _DEFAULT[statements]


def _published(value: str | date | None) -> date | None:
    if value is None or isinstance(value, date):
        return value
    try:
        return date.fromisoformat(value[:10])
    except ValueError:
        LOGGER.debug("unreadable publication date %r: events get no fallback date", value)
        return None


def code_sentence(
    sent: Span,
    *,
    mentions: Sequence[Mention],
    published: str | date | None = None,
    quotes: Sequence[Quote] = (),
    lexicon: Lexicon | None = None,
    require_dyad: bool = False,
    statements: bool = False,
) -> list[Event]:
    """The events of one parsed sentence, its actors read from ``mentions``.

    ``require_dyad`` drops one-sided events; ``statements`` also codes each reporting verb as a
    CAMEO 010 statement by its subject ("X said …"), as GDELT and human CAMEO coders do.
    """
    inside = [m for m in mentions if m.start < sent.end_char and m.end > sent.start_char]
    near = [q for q in quotes if q.start < sent.end_char and q.end > sent.start_char]
    return code_clause(
        _coder(lexicon, statements),
        sent,
        mentions=inside,
        published=_published(published),
        quotes=near,
        require_dyad=require_dyad,
    )


def code_article(
    doc: Doc,
    article: Article,
    *,
    lexicon: Lexicon | None = None,
    require_dyad: bool = False,
    statements: bool = False,
    scored: bool = True,
) -> list[Event]:
    """Every event of an annotated article (``doc`` is the parse of ``article.text``).

    ``scored`` replaces the rule coder's confidence by the learned one
    (:mod:`detente.coding.confidence`: the chance a strict coder signs the event), when the
    package ships its model.
    """
    if doc_text(doc) != article.text:
        raise ValueError(
            f"the parse is of another text ({len(doc_text(doc))} chars, the article has "
            f"{len(article.text)}): pass the Doc that annotate() parsed from article.text"
        )
    published = _published(article.published)
    coder = _coder(lexicon, statements)
    events: list[Event] = []
    mentions = sorted(article.mentions, key=lambda m: m.start)
    starts = [m.start for m in mentions]
    longest = max((m.end - m.start for m in mentions), default=0)
    previous: list[Mention] = []
    pair: list[Mention] = []
    sents = [s for whole in doc.sents for s in segments(whole)]
    for sent in sents:
        # only mentions starting within ``longest`` before the sentence can reach into it
        near_mentions = mentions[
            bisect_left(starts, sent.start_char - longest) : bisect_left(starts, sent.end_char)
        ]
        inside = [m for m in near_mentions if m.end > sent.start_char]
        if not inside:
            previous, pair = [], []
            continue
        near = [q for q in article.quotes if q.start < sent.end_char and q.end > sent.start_char]
        events.extend(
            code_clause(
                coder,
                sent,
                mentions=inside,
                published=published,
                quotes=near,
                require_dyad=require_dyad,
                previous=previous,
                pair=pair,
            )
        )
        previous = subject_of(sent, inside) or previous
        pair = last_pair(sent, inside)
    # "'You should resign,' Warren told Stumpf": statements the quotes carry
    events.extend(
        quoted_statements(
            article.quotes,
            mentions,
            events,
            article.text,
            published,
            CODER,
            when=lambda at, speaker: quote_time(sents, at, speaker, mentions, published),
        )
    )
    model = default_model() if scored else None
    if model is not None:
        model.score(events, article.text)
    return events
