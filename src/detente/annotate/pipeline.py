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
from detente.annotate.quotes import find_quotes
from detente.annotate.speakers import UNRESOLVED as UNRESOLVED
from detente.annotate.speakers import resolve_speakers
from detente.coding import code_article
from detente.extract.language import not_annotated_reason
from detente.model import Article

if TYPE_CHECKING:
    from spacy.tokens import Doc

    from detente.annotate.actors import ActorResolver
    from detente.store.database import Store

log = logging.getLogger(__name__)

#: Articles parsed together by ``nlp.pipe``; larger batches gain little on one core.
BATCH_SIZE = 16


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
    article.quotes = resolve_speakers(
        find_quotes(doc), article.mentions, resolver=resolver, text=article.text, on=on, doc=doc
    )
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
