"""Annotation: a clean article in; sentences, actors, quotes, amounts and events out.

spaCy parses the text once; the actor resolver, the quote finder and the amount finder all
read that one parse. Every annotation points into ``Article.text`` by character offsets, and
the article records the model that made them (``Article.nlp``).

The model is English: an article the language identifier is sure is in another language (a
Turkish or Russian report) is left unannotated, ``nlp`` None, rather than given bogus actors,
amounts and speakerless quotes (``extract.language.not_annotated_reason`` says why).
"""

from __future__ import annotations

import itertools
import logging
import time
from collections.abc import Callable, Iterable, Iterator, Sequence
from datetime import date
from typing import TYPE_CHECKING

from detente.annotate.amounts import find_amounts
from detente.annotate.nlp import load_pipeline, model_version
from detente.annotate.quotes import QuoteSpan, find_quotes
from detente.coding import code_article
from detente.extract.language import not_annotated_reason
from detente.model import Actor, Article, Mention, Quote

if TYPE_CHECKING:
    from spacy.tokens import Doc

    from detente.annotate.actors import ActorResolver
    from detente.store.database import Store

log = logging.getLogger(__name__)

#: Articles parsed together by ``nlp.pipe``; larger batches gain little on one core.
BATCH_SIZE = 16
#: Kind of the actor given to a speaker the resolver cannot place (the text is kept).
UNRESOLVED = "unresolved"


def article_date(article: Article) -> date | None:
    """The publication date as a date (the day roles and titles are read for)."""
    if not article.published:
        return None
    try:
        return date.fromisoformat(article.published[:10])
    except ValueError:
        return None


def default_resolver() -> ActorResolver:
    """An actor resolver with the built-in dictionaries."""
    from detente.annotate.actors import ActorResolver

    return ActorResolver()


def annotate_doc(
    article: Article,
    doc: Doc,
    *,
    resolver: ActorResolver,
    timings: dict[str, float] | None = None,
) -> Article:
    """Fill an article's annotations from its spaCy parse (``timings`` adds seconds spent)."""
    started = time.perf_counter()
    on = article_date(article)
    article.sentences = [(s.start_char, s.end_char) for s in doc.sents]
    article.mentions = resolver.resolve(doc, on=on)
    article.quotes = [
        _quote(span, article.mentions, resolver=resolver, text=article.text, on=on)
        for span in find_quotes(doc)
    ]
    article.amounts = find_amounts(doc)
    coded = time.perf_counter()
    article.events = code_article(doc, article)
    article.nlp = model_version()
    if timings is not None:
        timings["annotate"] = timings.get("annotate", 0.0) + coded - started
        timings["code"] = timings.get("code", 0.0) + time.perf_counter() - coded
    return article


def clear_annotations(article: Article) -> Article:
    """Drop an article's annotations (and the model named for them); return it."""
    article.nlp = None
    article.sentences, article.mentions, article.quotes = [], [], []
    article.amounts, article.events = [], []
    return article


def annotate(article: Article, *, resolver: ActorResolver | None = None) -> Article:
    """Annotate one article in place and return it (unannotated in a language not read)."""
    reason = not_annotated_reason(article.text)
    if reason is not None:
        log.info("%s not annotated: %s", article.source, reason)
        return clear_annotations(article)
    doc = load_pipeline()(article.text)
    return annotate_doc(article, doc, resolver=resolver or default_resolver())


def annotate_many(
    articles: Iterable[Article],
    *,
    resolver: ActorResolver | None = None,
    batch_size: int = BATCH_SIZE,
) -> Iterator[Article]:
    """Annotate articles in batches (``nlp.pipe`` per batch), yielding each when done.

    An article in a language the model does not read is yielded unannotated, before the
    readable articles of its batch.
    """
    resolver = resolver or default_resolver()
    nlp = load_pipeline()
    stream = iter(articles)
    while chunk := list(itertools.islice(stream, batch_size)):  # itertools.batched: 3.12+
        readable = []
        for article in chunk:
            if not_annotated_reason(article.text) is None:
                readable.append((article.text, article))
            else:
                yield clear_annotations(article)
        for doc, article in nlp.pipe(readable, as_tuples=True, batch_size=batch_size):
            yield annotate_doc(article, doc, resolver=resolver)


def annotate_stored(
    store: Store,
    *,
    dictionaries: Sequence[str] = (),
    redo: bool = False,
    on_progress: Callable[[int, int, str], None] | None = None,
    on_skip: Callable[[str, str], None] | None = None,
) -> int:
    """Annotate stored articles that lack annotations (all of them with ``redo``); the count.

    Articles in a language the model does not read are left out (``on_skip`` gets their id
    and the reason); with ``redo``, annotations an older version gave them are removed.
    """
    from detente.annotate.actors import ActorResolver

    ids = [a.id for a in store.articles()] if redo else store.unannotated()
    pending = (article for i in ids if (article := store.get_article(i)) is not None)
    done = 0
    resolver = ActorResolver(dictionaries=dictionaries)
    for seen, article in enumerate(annotate_many(pending, resolver=resolver), start=1):
        if article.nlp is None:  # not annotated: a language the model does not read
            if redo:
                store.set_annotations(article)  # drops what an older version found
            if on_skip is not None:
                on_skip(article.id, not_annotated_reason(article.text) or "")
        else:
            store.set_annotations(article)
            done += 1
        if on_progress is not None:
            on_progress(seen, len(ids), article.id)
    return done


def _quote(
    span: QuoteSpan,
    mentions: list[Mention],
    *,
    resolver: ActorResolver,
    text: str,
    on: date | None,
) -> Quote:
    """A quote with its speaker span linked to the actor mention it names."""
    speaker = None
    if span.speaker_start is not None and span.speaker_end is not None:
        speaker = _speaker(span.speaker_start, span.speaker_end, mentions)
        if speaker is None:
            words = text[span.speaker_start : span.speaker_end]
            actor = resolver.lookup(words, on=on)
            if actor is None or actor.code is None:
                named = _named_before(words, span.speaker_start, mentions)
                actor = named or actor or Actor(words, None, kind=UNRESOLVED)
            speaker = Mention(span.speaker_start, span.speaker_end, words, actor, "lookup")
    return span.to_quote(speaker)


#: Courtesy titles dropped before a speaker's surname is looked up ("Mr. Rubin said").
COURTESY = frozenset({"mr", "mr.", "mrs", "mrs.", "ms", "ms.", "dr", "dr.", "miss"})
#: Pronouns that stand for the person last named when no mention covers them.
PERSON_PRONOUNS = frozenset({"he", "she", "him", "her"})


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


def _speaker(start: int, end: int, mentions: list[Mention]) -> Mention | None:
    """The mention inside the speaker span: a person first, then the one nearest its end."""
    inside = [m for m in mentions if m.start < end and m.end > start]
    if not inside:
        return None
    people = [m for m in inside if m.actor.kind == "person"]
    # "Russian President Vladimir Putin": the person, not the country of his title
    return max(people or inside, key=lambda m: (m.end, m.end - m.start))
