"""The Python API: :func:`process` one document, or :func:`open` a database and query it.

Every command of the ``detente`` command line has a method here that does the same thing:
``detente ingest`` is :meth:`Database.ingest`, ``detente events`` is :meth:`Database.events`,
and so on. Query results are lists (of :class:`~detente.model.Article` objects or of the same
records the JSONL export writes) with a :meth:`~Records.to_pandas` method whose column types
are fixed by :data:`DTYPES` and documented in ``docs/python-api.md``.
"""

from __future__ import annotations

import datetime
import functools
import html
import logging
import os
import re
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any, TextIO, TypeAlias

from detente import _arguments
from detente._closing import Closing
from detente._records import DTYPES as DTYPES
from detente._records import ArticleList as ArticleList
from detente._records import DyadTimeline as DyadTimeline
from detente._records import Records as Records
from detente.errors import DetenteError
from detente.extract.dates import date_argument
from detente.model import Amount, Article, Event, Mention, Quote, RawDocument
from detente.query import export as _export

if TYPE_CHECKING:
    import pandas as pd  # type: ignore[import-untyped, unused-ignore]

    from detente.annotate.actors import ActorResolver
    from detente.ingest import IngestReport
    from detente.store.database import Store

    #: What :meth:`Database.ingest` takes: paths or URLs, records (dicts) or a pandas DataFrame.
    Inputs: TypeAlias = (
        str | os.PathLike[str] | Iterable[str | os.PathLike[str]] | Iterable[Mapping[str, Any]]
        | pd.DataFrame
    )  # fmt: skip

log = logging.getLogger(__name__)

#: Markup a document must start with (after whitespace) for :func:`process` to read it as HTML.
_HTML_START = re.compile(
    r"\A\s*(?:<\?xml[^>]*>\s*)?<(?:!doctype|html|head|body|article|main|section|div|p|meta|"
    r"title|h[1-6]|!--)\b",
    re.IGNORECASE,
)

# --- highlighting ------------------------------------------------------------------------------


@dataclass(slots=True)
class Highlight:
    """An evidence sentence with spans marked: ``str()`` uses «», ``html()`` uses ``<mark>``."""

    sentence: str
    spans: list[tuple[int, int, str]] = field(default_factory=list)  # offsets in sentence, label
    article_id: str | None = None
    start: int = 0  # offset of the sentence in the article's text

    def _parts(self) -> list[tuple[str, str | None]]:
        """The sentence cut into (text, label or None) pieces, spans in order, no overlaps."""
        parts: list[tuple[str, str | None]] = []
        at = 0
        for start, end, label in sorted(self.spans):
            if start < at or start >= end:
                continue  # overlapping or empty: keep the first
            parts += [(self.sentence[at:start], None), (self.sentence[start:end], label)]
            at = end
        parts.append((self.sentence[at:], None))
        return [(text, label) for text, label in parts if text]

    def __str__(self) -> str:
        """The sentence with each span in «guillemets»."""
        return "".join(text if label is None else f"«{text}»" for text, label in self._parts())

    def html(self) -> str:
        """The sentence HTML-escaped, each span in ``<mark title="label">``."""
        return "".join(
            html.escape(text)
            if label is None
            else f'<mark title="{html.escape(label)}">{html.escape(text)}</mark>'
            for text, label in self._parts()
        )

    def _repr_html_(self) -> str:
        """Rendering in Jupyter notebooks."""
        return f"<p>{self.html()}</p>"


Highlightable = Quote | Event | Amount | Mention | dict[str, Any]


def _sentence_of(article: Article, start: int, end: int) -> tuple[int, int]:
    """Offsets of the sentence(s) covering ``start:end`` (the whole text without sentences)."""
    first = [s for s, e in article.sentences if s <= start < e]
    last = [e for s, e in article.sentences if s < end <= e]
    return (first[0] if first else 0, last[0] if last else len(article.text))


def highlight(article: Article, item: Highlightable) -> Highlight:
    """The sentence that is the evidence of a quote, event, amount or mention, span marked."""
    spans: list[tuple[int, int, str]] = []
    if isinstance(item, dict):
        return _highlight_record(article, item)
    if isinstance(item, Quote):
        bounds = (item.sentence_start, item.sentence_end)
        spans.append((item.start, item.end, "quote"))
        if item.speaker is not None:
            spans.append((item.speaker.start, item.speaker.end, "speaker"))
    elif isinstance(item, Event):
        bounds = (item.sentence_start, item.sentence_end)
        spans.append((item.trigger_start, item.trigger_end, f"event {item.cameo}"))
        for mention, label in ((item.source, "source"), (item.target, "target")):
            if mention is not None:
                spans.append((mention.start, mention.end, f"{label} {mention.actor.code or ''}"))
    elif isinstance(item, Amount):
        bounds = (item.sentence_start, item.sentence_end)
        spans.append((item.start, item.end, f"amount {item.value:,.15g} {item.unit or ''}"))
    elif isinstance(item, Mention):
        bounds = _sentence_of(article, item.start, item.end)
        spans.append((item.start, item.end, f"actor {item.actor.code or item.actor.name}"))
    else:
        raise DetenteError(
            f"cannot highlight a {type(item).__name__}; give a Quote, Event, Amount, Mention "
            "or a record from db.quotes(), db.events() or db.amounts()"
        )
    if bounds[1] <= bounds[0]:  # annotations made without sentence offsets
        bounds = _sentence_of(article, min(s for s, _, _ in spans), max(e for _, e, _ in spans))
    start, end = bounds
    inside = [
        (s - start, e - start, label.strip()) for s, e, label in spans if start <= s < e <= end
    ]
    return Highlight(article.text[start:end], inside, article.id, start)


def _highlight_record(article: Article, record: dict[str, Any]) -> Highlight:
    """Highlight a quote, amount or event record (as the queries return them)."""
    if "article_ids" in record:  # an event: find its mention in this article
        for event in article.events:
            sentence = article.text[event.sentence_start : event.sentence_end]
            if sentence == record.get("sentence") and event.cameo == record.get("cameo"):
                return highlight(article, event)
        sentence = record.get("sentence") or ""
        trigger = record.get("trigger") or ""
        at = sentence.find(trigger) if trigger else -1
        spans = [(at, at + len(trigger), f"event {record.get('cameo')}")] if at >= 0 else []
        return Highlight(sentence, spans, article.id, max(article.text.find(sentence), 0))
    start, end = record.get("start"), record.get("end")
    if not isinstance(start, int) or not isinstance(end, int):
        raise DetenteError(
            f"cannot highlight the record {sorted(record)}: it has no start/end offsets; "
            "give a record from db.quotes(), db.events() or db.amounts()"
        )
    found: list[Quote | Amount] = [*article.quotes, *article.amounts]
    for item in found:
        if (item.start, item.end) == (start, end) and item.text == record.get("text"):
            return highlight(article, item)
    s_start, s_end = _sentence_of(article, start, end)
    return Highlight(
        article.text[s_start:s_end], [(start - s_start, end - s_start, "")], article.id, s_start
    )


# --- one document, no database -----------------------------------------------------------------


@functools.cache
def _resolver(dictionaries: tuple[str, ...]) -> ActorResolver:
    """One actor resolver per set of dictionaries, shared by calls to :func:`process`."""
    from detente.annotate.actors import ActorResolver

    return ActorResolver(dictionaries=dictionaries)


def looks_like_html(content: str) -> bool:
    """True if the document starts like an HTML page or fragment."""
    return _HTML_START.match(content) is not None


def process(
    text_or_html: str | bytes,
    *,
    url: str | None = None,
    published: str | datetime.date | None = None,
    outlet: str | None = None,
    dictionaries: Sequence[str | os.PathLike[str]] = (),
) -> Article:
    """Extract and annotate one document (HTML or plain text) without storing it."""
    from detente.acquire.files import sha256
    from detente.annotate.pipeline import annotate
    from detente.extract.document import extract_document

    if isinstance(text_or_html, bytes):
        data = text_or_html
        head = data[:2048].decode("utf-8", errors="replace")
    elif isinstance(text_or_html, str):
        data = text_or_html.encode("utf-8")
        head = text_or_html[:2048]
    else:
        raise DetenteError(
            f"process() takes the document as str or bytes, not {type(text_or_html).__name__}; "
            "to read a file, pass Path(name).read_text()"
        )
    doc = RawDocument(
        source=url or "<process>",
        content=text_or_html,
        kind="html" if looks_like_html(head) else "text",
        url=url,
        published=date_argument(published, "published"),
        outlet=outlet,
        content_hash=sha256(data),
    )
    article = extract_document(doc)
    return annotate(article, resolver=_resolver(tuple(os.fspath(d) for d in dictionaries)))


# --- a database --------------------------------------------------------------------------------


#: Called after each input with (inputs done, inputs in all, the input just done).
Progress = Callable[[int, int, str], None]


def _text(value: object, name: str) -> str | None:
    """A text filter (actor, code, outlet...), or DetenteError naming it."""
    if value is None or isinstance(value, str):
        return value
    raise DetenteError(f"{name}={value!r} must be text (a str), not {type(value).__name__}")


def _number(value: object, name: str, low: float, high: float | None = None) -> float | None:
    """A number in range (None stays None), or DetenteError naming the argument."""
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, int | float) or value != value:
        raise DetenteError(f"{name}={value!r} must be a number, not {type(value).__name__}")
    if value < low or (high is not None and value > high):
        span = f"from {low:g} to {high:g}" if high is not None else f"{low:g} or more"
        raise DetenteError(f"{name}={value!r} is out of range: give a number {span}")
    return float(value)


def _workers(value: object) -> int:
    """A worker count (1 or more), or DetenteError."""
    if isinstance(value, bool) or not isinstance(value, int) or value < 1:
        raise DetenteError(f"workers={value!r} must be a whole number of 1 or more")
    return value


class Database(Closing):
    """A Detente database (one SQLite file): ingest documents, then query and export them."""

    def __init__(self, path: str | os.PathLike[str], *, readonly: bool = False) -> None:
        """Open (creating or upgrading unless ``readonly``) the database at ``path``."""
        from detente.store.database import Store

        self.path = Path(path)
        self._store: Store | None = Store(path, readonly=readonly)

    @property
    def store(self) -> Store:
        """The underlying :class:`~detente.store.Store` (raises once the database is closed)."""
        if self._store is None:
            raise DetenteError(f"{self.path} is closed; open it again with detente.open()")
        return self._store

    def __repr__(self) -> str:
        """``<Database detente.db: 14 articles>``."""
        if self._store is None:
            return f"<Database {self.path} (closed)>"
        return f"<Database {self.path}: {self.store.count_articles()} articles>"

    def close(self) -> None:
        """Close the database file (queries afterwards raise)."""
        if self._store is not None:
            self._store.close()
            self._store = None

    # --- writing ---

    def ingest(
        self,
        inputs: Inputs,
        *,
        date: str | datetime.date | None = None,
        date_from_filename: str | None = None,
        manifest: str | os.PathLike[str] | None = None,
        outlet: str | None = None,
        allow_private: bool = False,
        annotate: bool = True,
        dictionaries: Sequence[str | os.PathLike[str]] = (),
        workers: int = 1,
        progress: Progress | None = None,
        time_limit: float | None = None,
    ) -> IngestReport:
        """Read, clean, annotate and store documents (``detente ingest``); failures recorded.

        ``inputs`` are paths, folders, globs or URLs, or records (dicts with ``text`` or
        ``html`` and optional ``url``, ``title``, ``published``, ``outlet``, ``language``, as
        in a JSONL file) or a pandas DataFrame with those columns.
        """
        from detente.acquire.hints import input_hints
        from detente.ingest import ingest

        paths, records = _arguments.ingest_inputs(inputs)
        limit = _number(time_limit, "time_limit", 0)
        if progress is not None and not callable(progress):
            raise DetenteError(f"progress={progress!r} must be a function (done, total, source)")
        sources, hints, listed = input_hints(
            paths, date_from_filename=date_from_filename,
            manifest=os.fspath(manifest) if manifest is not None else None,
        )  # fmt: skip
        for failure in listed:
            self.store.record_failure(failure.source, failure.reason, line=failure.line)
        report = ingest(
            sources, store=self.store, default_date=date_argument(date, "date"),
            outlet=_text(outlet, "outlet"), allow_private=allow_private, annotate=annotate,
            dictionaries=[os.fspath(d) for d in dictionaries], workers=_workers(workers),
            on_progress=progress, time_limit=limit, hints=hints, records=records,
        )  # fmt: skip
        report.failures[:0] = listed
        return report

    def annotate(
        self, *, dictionaries: Sequence[str | os.PathLike[str]] = (), redo: bool = False
    ) -> int:
        """Annotate stored articles that lack annotations, or all with ``redo``; the count."""
        from detente.annotate.pipeline import annotate_stored

        return annotate_stored(
            self.store, dictionaries=[os.fspath(d) for d in dictionaries], redo=redo
        )

    def export(
        self,
        what: str = "articles",
        fmt: str = "jsonl",
        out: str | os.PathLike[str] | TextIO = "",
        **filters: Any,
    ) -> int:
        """Write the records of one kind to a file or text stream (``detente export``).

        Events take the keyword filters of :meth:`events` and ``include_one_sided``; see
        :func:`detente.query.export.export` for what each format keeps by default.
        """
        if not out:
            raise DetenteError("export needs somewhere to write: out='events.parquet' or a stream")
        filters = _event_filters(**filters)
        if not isinstance(out, str | os.PathLike):
            return _export.export(self.store, what=what, fmt=fmt, stream=out, **filters)
        target = Path(out)
        if not target.parent.is_dir():
            raise DetenteError(
                f"out={os.fspath(out)!r}: the folder {str(target.parent)!r} does not exist; "
                f"create it (mkdir -p {target.parent}) or write elsewhere"
            )
        try:
            return _export.export(self.store, what=what, fmt=fmt, out=os.fspath(out), **filters)
        except OSError as err:
            raise DetenteError(
                f"out={os.fspath(out)!r}: cannot write it ({err.strerror or err}); check the "
                "path and its permissions"
            ) from err

    # --- reading ---

    def article(self, article_id: str) -> Article:
        """One article with its annotations, by id or unique id prefix (``detente show``)."""
        found = self.store.get_article(_text(article_id, "article_id") or "")
        if found is None:
            raise DetenteError(f"no article with id {article_id!r}; list them with db.articles()")
        return found

    def articles(
        self,
        *,
        outlet: str | None = None,
        language: str | None = None,
        start: str | datetime.date | None = None,
        end: str | datetime.date | None = None,
        search: str | None = None,
        limit: int | None = None,
        offset: int = 0,
        since: str | datetime.date | None = None,
        until: str | datetime.date | None = None,
    ) -> ArticleList:
        """Articles published from ``start`` to ``end``, newest first (best match first with
        ``search``), without annotations. ``since``/``until`` are deprecated names."""
        first, last = _arguments.period_bounds(
            *_arguments.dates(start, end, since=since, until=until, caller="articles(): ")
        )
        return ArticleList(
            self.store.articles(
                outlet=_text(outlet, "outlet"), language=_text(language, "language"),
                since=first, until=last, search=_text(search, "search"), limit=limit,
                offset=offset,
            )
        )  # fmt: skip

    def events(
        self,
        *,
        actor: str | None = None,
        dyad: str | tuple[str, str] | None = None,
        plover: str | None = None,
        cameo: str | None = None,
        start: str | datetime.date | None = None,
        end: str | datetime.date | None = None,
        include_negated: bool = False,
        include_one_sided: bool = True,
        min_confidence: float | None = None,
        limit: int | None = None,
    ) -> Records:
        """Deduplicated events, oldest first; negated and hypothetical ones only if asked.

        ``dyad`` is ``"RUS,TUR"`` (as on the command line) or a pair; events of either
        direction count.
        """
        filters = _event_filters(
            actor=actor, dyad=dyad, cameo=cameo, plover=plover, start=start, end=end,
            min_confidence=min_confidence,
        )  # fmt: skip
        return Records(
            "events",
            self.store.events(
                **filters, include_negated=include_negated, include_one_sided=include_one_sided,
                limit=limit,
            ),
        )  # fmt: skip

    def quotes(
        self,
        *,
        speaker: str | None = None,
        actor: str | None = None,
        article_id: str | None = None,
        search: str | None = None,
        include_scare: bool = False,
        limit: int | None = None,
    ) -> Records:
        """Quotations with their speakers, newest article first (``detente quotes``)."""
        return Records(
            "quotes",
            self.store.quotes(
                speaker=_text(speaker, "speaker"), actor=_text(actor, "actor"),
                article_id=_text(article_id, "article_id"), search=_text(search, "search"),
                include_scare=include_scare, limit=limit,
            ),
        )  # fmt: skip

    def actors(
        self,
        *,
        country: str | None = None,
        role: str | None = None,
        code: str | None = None,
        limit: int | None = None,
    ) -> Records:
        """Actors with mention, article and quote counts, most mentioned first."""
        return Records(
            "actors",
            self.store.actors(
                country=_text(country, "country"),
                role=_text(role, "role"),
                code=_text(code, "code"),
                limit=limit,
            ),
        )

    def amounts(
        self, *, article_id: str | None = None, unit: str | None = None, limit: int | None = None
    ) -> Records:
        """Claimed numbers with unit and object, newest article first (``detente amounts``)."""
        return Records(
            "amounts",
            self.store.amounts(
                article_id=_text(article_id, "article_id"), unit=_text(unit, "unit"), limit=limit
            ),
        )

    def stories(self, *, min_articles: int = 2, limit: int | None = None) -> Records:
        """Stories (articles that report the same news), the most told first (``detente
        stories``); articles added since the last grouping are grouped first."""
        if not isinstance(min_articles, int) or min_articles < 1:
            raise DetenteError(f"min_articles={min_articles!r}: give a whole number of 1 or more")
        return Records("stories", self.store.stories(min_articles=min_articles, limit=limit))

    def story(self, story_id: str) -> dict[str, Any]:
        """One story with its articles and events; DetenteError when no story has that id."""
        found = self.store.story(_text(story_id, "story_id") or "")
        if found is None:
            raise DetenteError(f"no story with id {story_id!r}; list them with db.stories()")
        return found

    def failures(self, *, limit: int | None = None) -> Records:
        """Inputs that could not be ingested, and why, the most recent first."""
        return Records(
            "failures",
            [
                {
                    "at": f.at,
                    "source": f.source,
                    "line": f.line,
                    "stage": f.stage,
                    "reason": f.reason,
                }
                for f in self.store.failures(limit=limit)
            ],
        )

    def timeline(
        self,
        a: str,
        b: str,
        *,
        by: str = "month",
        start: str | datetime.date | None = None,
        end: str | datetime.date | None = None,
        include_negated: bool = False,
        min_confidence: float | None = None,
    ) -> DyadTimeline:
        """How A and B (ISO3 countries or actor codes) get along, period by period.

        Events below ``min_confidence`` (default: the likely level of the confidence model;
        0 keeps all) are left out and counted in ``left_out["unlikely"]``.
        """
        from detente.query.timeline import timeline

        first, last = _arguments.dates(start, end)
        if min_confidence is not None:
            min_confidence = _number(min_confidence, "min_confidence", 0, 1)
        line = timeline(
            self.store,
            _text(a, "a") or "",
            _text(b, "b") or "",
            by=by,
            start=first,
            end=last,
            include_negated=include_negated,
            min_confidence=min_confidence,
        )
        return DyadTimeline(line.dyad, line.by, line.periods, line.unplaced, line.left_out)

    def highlight(self, record: dict[str, Any]) -> Highlight:
        """The evidence of a quote, amount or event record, marked in its sentence."""
        ident = record.get("article_id") or next(iter(record.get("article_ids") or []), None)
        if not ident:
            raise DetenteError(
                "this record names no article; give one from db.quotes(), db.amounts() or "
                "db.events()"
            )
        return highlight(self.article(ident), record)


def _event_filters(**given: Any) -> dict[str, Any]:
    """The event filters checked and normalised: dates as YYYY-MM-DD, the dyad as a pair."""
    filters = dict(given)
    if "start" in filters or "end" in filters:
        filters["start"], filters["end"] = _arguments.dates(
            filters.get("start"), filters.get("end")
        )
    if "dyad" in filters:
        filters["dyad"] = _arguments.dyad(filters["dyad"])
    for name in ("actor", "cameo", "plover"):
        if name in filters:
            filters[name] = _text(filters[name], name)
    if "min_confidence" in filters:
        filters["min_confidence"] = _number(filters["min_confidence"], "min_confidence", 0, 1)
    return {k: v for k, v in filters.items() if v is not None or k in given}


def open(path: str | os.PathLike[str], *, readonly: bool = False) -> Database:
    """Open (or create) a Detente database: ``db = detente.open("detente.db")``."""
    return Database(path, readonly=readonly)
