"""Event dedup: merge the mentions of one real-world event, across articles and within one.

The coder turns every sentence into events; the same meeting told by five articles (or twice in
one) is five mentions of one event. :class:`EventIndex` folds mentions into :class:`EventCluster`
records incrementally, one article at a time, and counts mentions, articles and sources like
GDELT's NumMentions/NumArticles/NumSources, but per event rather than per report.

Two mentions are the same event (:func:`compatible`) when all of these hold:

- **Actors.** Each side is the same actor: same country (or IGO code, or folded name when
  neither is known), compatible roles (equal, or one unknown: "Turkey" is compatible with
  "the Turkish government"), and, when both sides are named persons, the same person
  (Erdoğan's meeting is not Çavuşoğlu's). Between two actors of one country (a domestic
  event: USAOPP → USAGOV) the country tells nothing of who acted, so each side must be the
  same named actor: Trump meeting Ryan is not Clinton campaigning in St. Louis, nor is Peter
  King's endorsement of Rubio Norm Coleman's (docs/audits/dedup-2026-12-07b.md: all 19
  wrong merges of 30 joined American actors). A missing side (the coder found no target in "the
  navy captured 23 pirates") matches nothing: a one-sided event stays a mention of its
  article on its own, never merged (codebook: one-sided events stay out of event dedup;
  issue 14: "biologists called on the administration" and "… called on the administration"
  with no caller are not known to be one call; in docs/audits/dedup-2026-12-07.md 21 of 30
  merged events had a side missing, and 18 of those 21 merged different happenings, within
  one article as well as across). Both sides known is not enough alone: at least one actor
  must be known on both sides of the comparison:
  "Erdoğan met …" and "… met Putin" share nothing, and an event with no actor at all merges
  with nothing. A role
  that only the article's context gives a country ("the firm", "villagers" in a US story) is
  a class of actors, not one: it must agree, but it is not that shared actor.
  Direction counts, except for symmetric events (``symmetric`` set on either mention) and
  meetings and calls (:data:`MUTUAL_CODES`), where A–B equals B–A; a visit told from the
  host's side ("B hosted A", 043) is first turned into the visitor's ("A visited B", 042),
  and A's visit to B is not B's to A.
  Within one sentence, two persons, bodies or groups with different names are two actors
  even where a country or role would let them agree: the coder codes a compound side ("the
  DNC and the DCCC", "Facebook, Google and Twitter") as one event per pair (codebook), so
  the pairs stay apart (the later draw of docs/audits/dedup-2026-12-07b.md merged them).
- **Codes.** The same 3-digit CAMEO code; or one is the root's unspecified code (``040``,
  ``190``, a bare root ``04``) or the 3-digit parent of the other's 4-digit code; or both are
  in one family of :data:`CODE_FAMILIES`; and a statement (:data:`STATEMENT_ROOTS`) is told
  with the same verb, stemmed ("accused" = "accuses"). Sharing a root alone is not enough: on
  one visit, "praised" (051) and "signed an agreement" (057) are two events, and an intent to
  meet (036) is a statement, not the meeting it announces.
- **Dates.** Each date is a span of days (a day, a month or a year). Two dates from the text
  match when one span contains the other (same day; "August 2022" holds 5 August 2022; two
  different days never match). A publication-date fallback stands for "around the story's
  date": it matches a text date whose span comes within :data:`PUBLICATION_WINDOW_DAYS` of
  the publication day, and another fallback at most that many days away. A mention with no
  date merges with nothing: the coder gives every act of the news its article's publication
  day when its clause has no time (``date_source: publication``), so no date means backstory
  it could not date ("his 2010 visit" beside this week's visit: the second dedup audit found
  such visits merged), or an article with no date at all.
- **Place.** The same place, or either unknown; a country-level place contains the places of
  that country ("in Russia" matches "in Sochi").
- **Flags.** ``negated``, ``hypothetical`` and ``modality`` are equal: a denial, a plan or a
  threat is not the happening, and the stored event takes its first mention's flags.

Compatibility is not transitive (a month holds two different days; ``040`` is compatible with
``041`` and ``042``, which are not compatible with each other), so a mention joins a cluster
only when it is compatible with every distinct profile already in it (complete link); of the
clusters that accept it, the oldest wins. That makes the result depend on the order articles
are added, and nothing else: the store replays its rows in insertion order, so rebuilding gives
the same clusters and ids (:meth:`EventIndex.from_rows`).

Blocking keeps this linear in practice: clusters are filed under (unordered actor pair, CAMEO
root, period) where the period is the date itself (a day, a month or a year), or ``?`` and the
article for undated mentions (one-sided mentions are filed nowhere: they merge with nothing);
a mention looks only at the blocks of the days, months and years
its date span (widened by the publication window) touches. Days rather than months keep the
blocks of busy dyads small (a month of USA–CHN statements holds hundreds of events; a day a
handful) at the price of up to ~400 dictionary look-ups for a year-precision mention.
"""

from __future__ import annotations

import hashlib
import logging
from array import array
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from datetime import date, timedelta

from detente.annotate.actors import fold
from detente.dedup._index import (
    BlockIndex,
    EventKey,
    _bases,
    _home,
    _home_period,
    _pair,
    _Place,
    _Profile,
    _Side,
)
from detente.model import Event, Location, Mention

__all__ = [
    "CODE_FAMILIES",
    "MUTUAL_CODES",
    "PUBLICATION_WINDOW_DAYS",
    "EventCluster",
    "EventIndex",
    "EventKey",
    "StoredMention",
    "cluster_id",
    "compatible",
    "event_key",
]

log = logging.getLogger(__name__)

#: Days a publication-date fallback may be from the real date. News without a time expression
#: reports what happened today or yesterday; 2 also covers a story filed after midnight or
#: published the morning after. Widening it merges distinct same-dyad events on nearby days.
#: On ECB+ when chosen (full set), 0 days gave pairwise P .93 / R .19, 1: .80/.23, 2: .82/.23,
#: 3: .77/.24, 7: .77/.24 (re-run ``pytest -m eval tests/test_eval_coref.py`` after a change).
PUBLICATION_WINDOW_DAYS = 2

#: CAMEO 3-digit codes that the ontology splits but that one report may code one way and
#: another report the other way for the same happening. Chosen from the CAMEO manual's
#: definitions: an in-person meeting is 040 (consult), 042/043 (visit/host), 044 (meet at a
#: third location) or 046 (negotiate) depending on the wording ("met", "visited", "held
#: talks"); 041 (a phone call) and 045 (mediation, a third party) are other events. Criticism
#: and accusation of the same party on the same day are one statement told two ways; the
#: conventional, small-arms, artillery and aerial attacks of 19 are one attack described with
#: different weapons.
CODE_FAMILIES: dict[str, frozenset[str]] = {
    "meeting": frozenset({"040", "042", "043", "044", "046"}),
    "criticism": frozenset({"110", "111", "112"}),
    "armed attack": frozenset({"190", "193", "194", "195"}),
}

#: Codes of encounters that involve both sides alike: the order in which the coder named the
#: actors says nothing, so A–B and B–A are one event even when ``symmetric`` is not set. Not a
#: visit (042; a hosting, 043, is first turned into the visit): the visitor goes to the host,
#: and Netanyahu's visit to the White House is not Obama's trip to Jerusalem (merged before
#: docs/audits/dedup-2026-12-07c.md). A visit still merges with a meeting told either way
#: round, whose code is mutual.
MUTUAL_CODES = frozenset({"040", "041", "044", "046"})

_FAMILY_OF = {code: name for name, codes in CODE_FAMILIES.items() for code in codes}

#: Roles of bodies that are no state's: two of them with different names are two actors even
#: in one country (Germany's deals with Facebook and with Google are two deals).
NON_STATE_ROLES = frozenset({"BUS", "MED", "CVL", "EDU", "HLH", "REL", "NGO"})

#: Roots of statements (comments, appeals, intents, praise, demands, criticism, rejections,
#: threats, protests): two statements of one speaker to one target on one day are one only when
#: told with the same verb. A speaker says many things in a day; the second dedup audit found
#: "accuses Obama of leading from behind" merged with "slammed the president for not using the
#: term", and a speech merged with "has begun to attack Trump". Acts (meetings, aid, force)
#: are told with many verbs ("met", "held talks"; "shot down", "downed") and keep the codes'
#: families alone.
STATEMENT_ROOTS = frozenset({"01", "02", "03", "05", "10", "11", "12", "13", "14"})


@dataclass(slots=True)
class EventCluster:
    """One real-world event: its mentions, where they were told, and its best-known date.

    A snapshot: :class:`EventIndex` builds it when asked and does not update it afterwards.
    """

    id: str  # stable: derived from its first mention
    events: list[tuple[str, int]] = field(default_factory=list)  # (article id, index)
    articles: set[str] = field(default_factory=set)
    sources: set[str] = field(default_factory=set)  # outlets; an article without one counts alone
    date: str | None = None  # the finest date told by any mention (text dates before fallbacks)
    date_precision: str | None = None
    first_published: str | None = None  # earliest publication date among its articles

    @property
    def num_mentions(self) -> int:
        """Mentions merged into this event."""
        return len(self.events)

    @property
    def num_articles(self) -> int:
        """Distinct articles that tell it."""
        return len(self.articles)

    @property
    def num_sources(self) -> int:
        """Distinct outlets that tell it (an article without an outlet is its own source)."""
        return len(self.sources)


#: A stored event mention: (article id, outlet, published, event[, stored cluster id]).
StoredMention = (
    tuple[str, str | None, str | None, Event] | tuple[str, str | None, str | None, Event, str]
)


def _side(mention: Mention | None) -> _Side | None:
    if mention is None:
        return None
    actor = mention.actor
    if actor.code is None and actor.country is None and actor.kind != "person":
        return None  # a role with no country ("officials"): nobody in particular, like no side
    base = actor.country or actor.code or f"name:{fold(actor.name)}"
    # a person, or a named body that is no state's (a firm, a newspaper, a group): one actor
    named = actor.kind == "person" or (
        actor.kind == "organization" and actor.role in NON_STATE_ROLES and mention.via != "context"
    )
    person = fold(actor.name) if named and actor.name else None
    # "the firm", "villagers" given the article's country: some American businesses, no one
    anchor = person is not None or mention.via != "context"
    # a capital standing for its government ("visited Moscow, where he met Putin") is the
    # country's government, not one named body that a person of it would differ from
    specific = actor.kind not in ("country", "place") and mention.via not in ("metonym", "place")
    name = fold(actor.name) if actor.name else None
    return _Side(base, actor.role, person, anchor, name, specific)


def _place(location: Location | None) -> _Place | None:
    if location is None:
        return None
    country_level = location.feature == "country"
    return _Place(fold(location.name), location.country, country_level)


def _span(value: str | None) -> tuple[date, date] | None:
    """First and last day of ``YYYY``, ``YYYY-MM`` or ``YYYY-MM-DD``; None when unparsable."""
    if not value:
        return None
    parts = value.strip().split("-")
    try:
        numbers = [int(part) for part in parts]
        if len(numbers) == 1:
            return date(numbers[0], 1, 1), date(numbers[0], 12, 31)
        if len(numbers) == 2:
            first = date(numbers[0], numbers[1], 1)
            following = date(first.year + first.month // 12, first.month % 12 + 1, 1)
            return first, following - timedelta(days=1)
        if len(numbers) == 3:
            day = date(numbers[0], numbers[1], numbers[2])
            return day, day
    except ValueError:
        pass
    log.debug("unparsable event date %r: treated as undated", value)
    return None


def _profile(event: Event, published: str | None = None, article: int | None = None) -> _Profile:
    """Normalize an event; an undated one takes ``published`` as a publication fallback.

    ``article`` numbers the article it was told in, so that its sentence can be told apart.
    """
    source, target = _side(event.source), _side(event.target)
    code = event.cameo.strip()
    if code[:3] == "043":  # "B hosted A" is "A visited B"
        source, target, code = target, source, "042" + code[3:]
    span = _span(event.date)
    fallback = event.date_source == "publication"
    if fallback and span is not None and span[0] != span[1]:
        fallback = False  # a coarse fallback already spans more than the window
    mutual = event.symmetric or code[:3] in MUTUAL_CODES
    flags = (event.negated, event.hypothetical, event.modality)
    scope = None  # undated: the coder gave no date (backstory it cannot date), nothing to match
    place = _place(event.location)
    said = _stem(event.trigger) if code[:2] in STATEMENT_ROOTS else None
    clause = None if article is None else (article << 32) + event.sentence_start
    return _Profile(source, target, code, mutual, span, scope, fallback, place, flags, said, clause)


def _stem(trigger: str) -> str | None:
    """The trigger's first word, crudely stemmed: "accuses", "accused" and "accusing" agree."""
    words = trigger.lower().split()
    if not words:
        return None
    word = words[0].strip(".,;:'\"“”’")
    for suffix in ("ing", "ed", "es", "s", "e"):
        if len(word) > len(suffix) + 2 and word.endswith(suffix):
            return word[: -len(suffix)]
    return word


def _sides_match(a: _Side | None, b: _Side | None) -> bool:
    if a is None or b is None:  # a side the text does not give matches only another such
        return a is None and b is None
    if a.base != b.base:
        return False
    if a.role and b.role and a.role != b.role:
        return False
    return not (a.person and b.person and a.person != b.person)


def _generic(code: str) -> bool:
    """The root's unspecified code: a bare root (``04``) or its ``X0`` code (``040``)."""
    return len(code) == 2 or (len(code) == 3 and code[2] == "0")


def _codes_match(a: str, b: str) -> bool:
    if a == b:
        return True
    if a[:2] != b[:2]:
        return False
    if _generic(a) or _generic(b):
        return True
    a3, b3 = a[:3], b[:3]
    if a3 == b3:  # a 4-digit code and its parent; two different 4-digit siblings are not one
        return len(a) == 3 or len(b) == 3
    return a3 in _FAMILY_OF and _FAMILY_OF.get(a3) == _FAMILY_OF.get(b3)


def _dates_match(a: _Profile, b: _Profile) -> bool:
    if a.span is None or b.span is None:
        return False  # undated: nothing places it (module doc, Dates)
    window = timedelta(days=PUBLICATION_WINDOW_DAYS)
    if a.fallback and b.fallback:
        return abs(a.span[0] - b.span[0]) <= window
    if a.fallback or b.fallback:
        pub, text = (a.span[0], b.span) if a.fallback else (b.span[0], a.span)
        return text[0] - window <= pub <= text[1] + window
    (a0, a1), (b0, b1) = a.span, b.span
    return (a0 <= b0 and b1 <= a1) or (b0 <= a0 and a1 <= b1)


def _places_match(a: _Place | None, b: _Place | None) -> bool:
    if a is None or b is None or a.name == b.name:
        return True
    if a.country and b.country and a.country != b.country:
        return False
    return (a.country_level or b.country_level) and a.country is not None and b.country is not None


def _dyads_match(
    source: _Side | None,
    target: _Side | None,
    other_source: _Side | None,
    other_target: _Side | None,
    *,
    one_clause: bool = False,
) -> bool:
    """Sides agree one by one, and at least one actor is known on both (not just unknowns).

    Between two actors of one country, the country says nothing of who they are: each side
    must be the same named actor (the same person, party, body or firm), not just a
    compatible role. Within one sentence (``one_clause``) two persons, bodies or groups with
    different names are two actors whatever their countries: the coder split a compound
    side (hackers broke into the DNC and into the DCCC) into one event per pair (codebook).
    """
    pairs = ((source, other_source), (target, other_target))
    if not all(_sides_match(x, y) for x, y in pairs):
        return False
    if one_clause and any(
        x is not None and y is not None and x.specific and y.specific and x.name != y.name
        for x, y in pairs
    ):
        return False
    if (_domestic(source, target) or _domestic(other_source, other_target)) and not all(
        x is not None and y is not None and x.name == y.name for x, y in pairs
    ):
        return False
    return any(x is not None and y is not None and x.anchor and y.anchor for x, y in pairs)


def _domestic(source: _Side | None, target: _Side | None) -> bool:
    return source is not None and target is not None and source.base == target.base


def _profiles_match(a: _Profile, b: _Profile) -> bool:
    if a.flags != b.flags or not _codes_match(a.code, b.code):
        return False
    if a.said and b.said and a.said != b.said:
        return False  # "accuses Obama of leading from behind", "slammed the president for …"
    if None in (a.source, a.target, b.source, b.target):
        return False  # one-sided: a mention of its article on its own (codebook: out of dedup)
    one = a.clause is not None and a.clause == b.clause
    if not _dyads_match(a.source, a.target, b.source, b.target, one_clause=one) and not (
        (a.mutual or b.mutual)
        and _dyads_match(a.source, a.target, b.target, b.source, one_clause=one)
    ):
        return False
    return _dates_match(a, b) and _places_match(a.place, b.place)


def compatible(a: Event, b: Event, *, same_article: bool = False) -> bool:
    """True when two coded events can be the same real-world event (rules in the module doc).

    Undated and one-sided events never are. ``same_article`` says both are mentions of one
    article, so that two coded from one sentence (equal ``sentence_start``) are told apart by
    their named actors.
    """
    article = 0 if same_article else None
    return _profiles_match(_profile(a, article=article), _profile(b, article=article))


def _months(first: date, last: date) -> Iterator[str]:
    year, month = first.year, first.month
    while (year, month) <= (last.year, last.month):
        yield f"{year:04d}-{month:02d}"
        year, month = (year + 1, 1) if month == 12 else (year, month + 1)


def _probes(profile: _Profile) -> list[EventKey]:
    """Every block that can hold a cluster compatible with ``profile``."""
    bases, root = _bases(profile), profile.code[:2]
    if len(bases) < 2:  # one-sided: merges with nothing
        return []
    pairs = [_pair(bases)]
    if profile.span is None:
        periods = [_home_period(profile)]
    else:  # every day, month and year the span widened by the publication window touches
        window = timedelta(days=PUBLICATION_WINDOW_DAYS)
        first, last = profile.span[0] - window, profile.span[1] + window
        days = [(first + timedelta(days=n)).isoformat() for n in range((last - first).days + 1)]
        months = list(_months(first, last))
        periods = [*days, *months, *sorted({month[:4] for month in months})]
    return [EventKey(pair, root, period) for pair in pairs for period in periods]


def event_key(event: Event, published: str | None = None) -> EventKey:
    """The block ``event`` is filed under (an undated event takes ``published`` as its date)."""
    return _home(_profile(event, published))


_PRECISION_RANK = {"day": 0, "month": 1, "year": 2}


def _precision(span: tuple[date, date]) -> str:
    if span[0] == span[1]:
        return "day"
    return "month" if span[0].month == span[1].month else "year"


def _date_text(span: tuple[date, date]) -> str:
    precision = _precision(span)
    if precision == "day":
        return span[0].isoformat()
    return span[0].isoformat()[:7] if precision == "month" else f"{span[0].year:04d}"


def cluster_id(article_id: str, index: int) -> str:
    """Stable id of the event first told as event ``index`` of article ``article_id``."""
    return hashlib.sha256(f"{article_id}:{index}".encode()).hexdigest()[:16]


def _cluster_date(profiles: Iterable[_Profile]) -> tuple[str | None, str | None]:
    """The finest date told by any profile (text dates before fallbacks) and its precision."""
    best: tuple[int, str, str] | None = None
    for profile in profiles:
        if profile.span is None:
            continue
        precision = _precision(profile.span)
        rank = _PRECISION_RANK[precision] + (3 if profile.fallback else 0)
        text = _date_text(profile.span)
        if best is None or (rank, text) < best[:2]:
            best = (rank, text, precision)
    return (None, None) if best is None else (best[1], best[2])


class EventIndex(BlockIndex):
    """Incremental event dedup: add one article's events at a time, get their cluster ids.

    Compact, since the store keeps one for every event it holds (issue 6): a cluster is a
    number with its id and its distinct profiles (whose sides, places, spans and strings are
    shared through one table, as the same actors and days recur); a block key is one int made of
    the numbers of its names, hashed to 64 bits, and the blocks are two sorted numpy arrays
    (keys, cluster numbers) fed by a small dict of recent entries (a hash collision only adds
    candidates, which are checked like any other, so it never changes a result); each
    mention is four bytes (its cluster's number, article by article). :class:`EventCluster`
    records (mentions, articles, sources, first publication) are built from these on demand.
    About 0.4 KB an event (0.3 past 100,000 events) where Python objects per cluster and
    mention took 2.7 KB (``tests/test_eventdedup.py::test_index_memory_per_event_is_bounded``).
    """

    def __init__(self) -> None:
        super().__init__()
        self._ids: list[str] = []  # cluster id by number, oldest first
        self._numbers: dict[str, int] = {}  # cluster id -> number
        # article id -> (first mention in _mentions, number of events, outlet, published)
        self._articles: dict[str, tuple[int, int, str | None, str | None]] = {}
        self._mentions = array("I")  # cluster number of every mention, article by article

    @classmethod
    def from_rows(cls, rows: Iterable[StoredMention]) -> EventIndex:
        """Rebuild from stored mentions, in the order they were added.

        A row is (article id, outlet, published, event), optionally followed by the id of the
        cluster the store filed it under: a cluster then keeps the stored id of its first row,
        even when the article that first told it has since been removed or re-coded. Rows may
        be a stream: each event is reduced to its compact profile as it is read.
        """
        index = cls()
        articles: dict[str, tuple[str | None, str | None, list[_Profile], list[str | None]]] = {}
        numbers: dict[str, int] = {}  # article id -> its number, as add() numbers them
        for row in rows:
            article_id, outlet, published, event = row[:4]
            entry = articles.get(article_id)
            if entry is None:
                entry = articles[article_id] = (outlet, published, [], [])
                numbers[article_id] = len(numbers)
            profile = _profile(event, entry[1], numbers[article_id])
            entry[2].append(index._compact(profile))
            entry[3].append(row[4] if len(row) > 4 else None)
        for article_id, (outlet, published, profiles, stored) in articles.items():
            index._add(article_id, outlet, published, profiles, stored)
        return index

    def add(
        self,
        article_id: str,
        outlet: str | None,
        published: str | None,
        events: Sequence[Event],
        *,
        stored_ids: Sequence[str | None] = (),
    ) -> list[str]:
        """Merge one article's events; return, for each, the id of the cluster it joined.

        ``stored_ids`` (when rebuilding) gives the id to use for a cluster an event starts.
        """
        number = len(self._articles)
        profiles = [self._compact(_profile(event, published, number)) for event in events]
        return self._add(article_id, outlet, published, profiles, stored_ids)

    def _add(
        self,
        article_id: str,
        outlet: str | None,
        published: str | None,
        profiles: Sequence[_Profile],
        stored_ids: Sequence[str | None],
    ) -> list[str]:
        if article_id in self._articles:
            raise ValueError(
                f"article {article_id} is already in the event index; rebuild the index"
                " (EventIndex.from_rows) after changing an article's events"
            )
        self._articles[article_id] = (
            len(self._mentions),
            len(profiles),
            self._shared(outlet),
            self._shared(published),
        )
        ids = []
        for position, profile in enumerate(profiles):
            number = self._find(profile)
            if number is None:
                stored = stored_ids[position] if position < len(stored_ids) else None
                ident = stored if stored and stored not in self._numbers else None
                ident = ident or cluster_id(article_id, position)
                while ident in self._numbers:  # taken by a stored id of a removed first mention
                    ident = cluster_id(ident, position)
                number = len(self._ids)
                self._ids.append(ident)
                self._numbers[ident] = number
                self._profiles.append(())
            self._join(number, profile)
            self._mentions.append(number)
            ids.append(self._ids[number])
        return ids

    def _find(self, profile: _Profile) -> int | None:
        """The oldest cluster whose every profile is compatible with ``profile``, if any."""
        seen: set[int] = set()
        best: int | None = None
        for number in self._candidates(profile):
            if number in seen:
                continue
            seen.add(number)
            if best is not None and number > best:
                continue
            if all(_profiles_match(profile, other) for other in self._distinct(number)):
                best = number
        return best

    def _candidates(self, profile: _Profile) -> list[int]:
        """The clusters filed under the blocks ``profile`` probes (a cluster may come twice)."""
        return self._filed(_probes(profile))

    def _build(self, only: int | None = None) -> list[EventCluster]:
        """The clusters (or just cluster number ``only``) with their mentions, oldest first."""
        numbers = range(len(self._ids)) if only is None else range(only, only + 1)
        clusters = {number: EventCluster(self._ids[number]) for number in numbers}
        for article_id, (start, count, outlet, published) in self._articles.items():
            for position in range(count):
                cluster = clusters.get(self._mentions[start + position])
                if cluster is None:
                    continue
                cluster.events.append((article_id, position))
                cluster.articles.add(article_id)
                cluster.sources.add(f"outlet:{outlet}" if outlet else f"article:{article_id}")
                if published and (
                    cluster.first_published is None or published < cluster.first_published
                ):
                    cluster.first_published = published
        for number, cluster in clusters.items():
            cluster.date, cluster.date_precision = _cluster_date(self._distinct(number))
        return list(clusters.values())

    def cluster(self, ident: str) -> EventCluster:
        """The cluster with id ``ident`` (KeyError when unknown), built from the mentions."""
        return self._build(self._numbers[ident])[0]

    def cluster_of(self, article_id: str, index: int) -> str | None:
        """Id of the cluster holding event ``index`` of ``article_id``, None when not indexed."""
        entry = self._articles.get(article_id)
        if entry is None or not 0 <= index < entry[1]:
            return None
        return self._ids[self._mentions[entry[0] + index]]

    def clusters(self) -> list[EventCluster]:
        """Every cluster, oldest first, built from the mentions (one pass over them)."""
        return self._build()

    def __len__(self) -> int:
        """Number of clusters (distinct events)."""
        return len(self._ids)
