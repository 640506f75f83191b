"""Time expressions resolved against the publication date (annotate.timexpr), on our sentences."""

from __future__ import annotations

from datetime import date
from typing import TYPE_CHECKING

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from detente.annotate.timexpr import TimeMention, find_times, resolve

if TYPE_CHECKING:
    from spacy.language import Language

MONDAY = date(2024, 3, 11)  # a Monday story
FRIDAY = date(2025, 5, 16)


@pytest.fixture(scope="module")
def nlp() -> Language:
    """The English pipeline, loaded once."""
    from detente.annotate.nlp import load_pipeline

    return load_pipeline()


@pytest.mark.parametrize(
    ("expression", "published", "expected"),
    [
        # weekdays: the most recent on or before publication
        ("on Sunday", MONDAY, ("2024-03-10", "day")),
        ("Tuesday", MONDAY, ("2024-03-05", "day")),
        ("Monday", MONDAY, ("2024-03-11", "day")),
        ("last Monday", MONDAY, ("2024-03-04", "day")),
        ("next Friday", FRIDAY, ("2025-05-23", "day")),
        ("Thursday evening", FRIDAY, ("2025-05-15", "day")),
        ("late Friday", FRIDAY, ("2025-05-16", "day")),
        ("Wed.", FRIDAY, ("2025-05-14", "day")),
        # deictic days
        ("yesterday", MONDAY, ("2024-03-10", "day")),
        ("today", MONDAY, ("2024-03-11", "day")),
        ("last night", MONDAY, ("2024-03-10", "day")),
        ("the day before yesterday", MONDAY, ("2024-03-09", "day")),
        # months
        ("last November", date(2024, 1, 15), ("2023-11", "month")),
        ("last November", date(2024, 12, 2), ("2024-11", "month")),
        ("in mid-July", date(2024, 3, 20), ("2023-07", "month")),
        ("in mid-July", date(2024, 8, 20), ("2024-07", "month")),
        ("late June", date(2024, 6, 3), ("2024-06", "month")),
        ("early March", date(2024, 2, 3), ("2023-03", "month")),
        ("in July", date(2024, 7, 1), ("2024-07", "month")),
        ("July 2016", MONDAY, ("2016-07", "month")),
        # explicit days
        ("on July 15", date(2024, 8, 1), ("2024-07-15", "day")),
        ("on July 15", date(2024, 3, 1), ("2023-07-15", "day")),
        ("15 July", date(2024, 8, 1), ("2024-07-15", "day")),
        ("a runoff on May 28", date(2023, 5, 19), ("2023-05-28", "day")),  # within the grace
        ("January 5", date(2024, 12, 20), ("2025-01-05", "day")),
        ("July 15, 2016", MONDAY, ("2016-07-15", "day")),
        ("Oct. 7, 2023", MONDAY, ("2023-10-07", "day")),
        ("Sunday, Oct. 7, 2023", MONDAY, ("2023-10-07", "day")),
        ("2019-08-01", MONDAY, ("2019-08-01", "day")),
        ("13/05/2025", FRIDAY, ("2025-05-13", "day")),
        ("05/13/2025", FRIDAY, ("2025-05-13", "day")),
        ("the 15th", FRIDAY, ("2025-05-15", "day")),
        ("the 20th", FRIDAY, ("2025-04-20", "day")),
        # years
        ("in 2017", MONDAY, ("2017", "year")),
        ("earlier this year", MONDAY, ("2024", "year")),
        ("this year", MONDAY, ("2024", "year")),
        ("last year", MONDAY, ("2023", "year")),
        ("late last year", MONDAY, ("2023", "year")),
        ("Q2 2023", MONDAY, ("2023", "year")),
        # spans
        ("last week", MONDAY, ("2024-03", "month")),
        ("last week", date(2024, 3, 4), ("2024", "year")),  # Feb 26 - Mar 3: two months
        ("last week", date(2025, 1, 8), (None, None)),  # Dec 30 - Jan 5: two years
        ("last month", MONDAY, ("2024-02", "month")),
        ("earlier this month", MONDAY, ("2024-03", "month")),
        ("over the weekend", FRIDAY, ("2025-05", "month")),
        ("next week", MONDAY, ("2024-03", "month")),
        ("next month", MONDAY, ("2024-04", "month")),
        # offsets
        ("two days ago", MONDAY, ("2024-03-09", "day")),
        ("three weeks ago", MONDAY, ("2024-02-19", "day")),
        ("a year ago", MONDAY, ("2023", "year")),
        ("two months ago", MONDAY, ("2024-01", "month")),
        ("a week before March 10", FRIDAY, ("2025-03-03", "day")),
        # ranges: the start
        ("from 2014 to 2016", MONDAY, ("2014", "year")),
        ("March to April 2022", MONDAY, ("2022-03", "month")),
        ("December to February 2022", MONDAY, ("2021-12", "month")),
        ("May 15-20, 2023", MONDAY, ("2023-05-15", "day")),
        ("12-14 May", FRIDAY, ("2025-05-12", "day")),
        ("from Monday to Wednesday", FRIDAY, ("2025-05-12", "day")),
    ],
)
def test_resolve(expression: str, published: date, expected: tuple[str | None, str | None]) -> None:
    assert resolve(expression, published) == expected


@pytest.mark.parametrize(
    "expression",
    [
        "the 1990s",
        "over the years",
        "last Ramadan",
        "Christmas Day",
        "recently",
        "soon",
        "in recent months",
        "last summer",
        "spring 2019",
        "a few days ago",
        "two days later",
        "the day before",
        "that day",
        "the 2024 election",
        "for three days",
        "120 days",
        "2 p.m.",
        "according to police",
        "",
    ],
)
def test_unresolvable_stays_none(expression: str) -> None:
    assert resolve(expression, MONDAY) == (None, None)


def test_future_flag_and_future_words() -> None:
    assert resolve("on Sunday", MONDAY, future=True) == ("2024-03-17", "day")
    assert resolve("in July", date(2024, 3, 1), future=True) == ("2024-07", "month")
    assert resolve("in February", date(2024, 3, 1), future=True) == ("2025-02", "month")
    assert resolve("Putin will visit Ankara on Sunday", MONDAY) == ("2024-03-17", "day")
    assert resolve("Putin is to visit Ankara on Sunday", MONDAY) == ("2024-03-17", "day")
    assert resolve("Putin is due to visit Ankara on Sunday", MONDAY) == ("2024-03-17", "day")
    assert resolve("Putin visited Ankara on Sunday", MONDAY) == ("2024-03-10", "day")
    # explicit "last" wins over the tense
    assert resolve("last Friday", MONDAY, future=True) == ("2024-03-08", "day")


def test_times_of_day_and_durations_are_not_dates() -> None:
    text = "The shelling lasted for three days, stopped at 2 p.m. and resumed 120 days on."
    assert find_times(text, MONDAY) == []
    assert find_times("2000 people gathered", MONDAY) == []
    assert find_times("You may go.", MONDAY) == []


def test_find_times_in_a_string_offsets_are_consistent() -> None:
    text = "Russia bought the S-400 in 2017, and Putin met Erdogan on Sunday in Sochi."
    mentions = find_times(text, MONDAY)
    assert [(m.text, m.date, m.precision) for m in mentions] == [
        ("2017", "2017", "year"),
        ("Sunday", "2024-03-10", "day"),
    ]
    for m in mentions:
        assert text[m.start : m.end] == m.text
        assert m.anchor_token is None


def test_find_times_on_a_span_anchors_and_offsets(nlp: Language) -> None:
    doc = nlp("Officials said it rained. Putin met Erdogan in Sochi on Sunday, the Kremlin said.")
    sentence = list(doc.sents)[1]
    (mention,) = find_times(sentence, MONDAY)
    assert isinstance(mention, TimeMention)
    assert doc.text[mention.start : mention.end] == mention.text == "Sunday"
    assert mention.start > sentence.start_char
    assert (mention.date, mention.precision) == ("2024-03-10", "day")
    assert mention.anchor_token is not None
    assert doc[mention.anchor_token].lemma_ == "meet"


def test_span_future_is_per_clause(nlp: Language) -> None:
    doc = nlp("Erdogan, who met Putin on Sunday, will visit Moscow on Friday.")
    dates = {m.text: m.date for m in find_times(doc[:], MONDAY)}
    assert dates == {"Sunday": "2024-03-10", "Friday": "2024-03-15"}
    doc = nlp("Putin is due to travel to Ankara in July.")
    assert [m.date for m in find_times(doc[:], date(2024, 3, 1))] == ["2024-07"]


def test_unresolvable_mentions_are_listed() -> None:
    mentions = find_times("Over the years the two sides met, again last Ramadan.", MONDAY)
    assert [(m.text, m.date) for m in mentions] == [
        ("Over the years", None),
        ("last Ramadan", None),
    ]


@settings(max_examples=300, deadline=None)
@given(st.text(max_size=200), st.dates(), st.booleans())
def test_never_raises_on_arbitrary_text(text: str, published: date, future: bool) -> None:
    for m in find_times(text, published, future=future):
        assert 0 <= m.start <= m.end <= len(text)
        assert text[m.start : m.end] == m.text
        assert (m.date is None) == (m.precision is None)
    resolve(text, published, future=future)


# fmt: off
_WORDS = st.sampled_from(
    [
        "on", "in", "last", "next", "this", "the", "mid-", "early", "late", "ago", "days",
        "weeks", "years", "2017", "15", "July", "May", "Sunday", "Tues.", "Oct.", "7,", "2023",
        "-", "to", "from", "12/31/9999", "0000-00-00", "yesterday", "week", "weekend", "9999",
        "999999", "a", "two", "before", "after", "1990s",
    ]
)
# fmt: on


@settings(max_examples=300, deadline=None)
@given(st.lists(_WORDS, max_size=12).map(" ".join), st.dates(), st.booleans())
def test_never_raises_on_date_like_words(text: str, published: date, future: bool) -> None:
    for m in find_times(text, published, future=future):
        assert text[m.start : m.end] == m.text
    resolve(text, published, future=future)


def test_anchor_stops_at_a_preposition_that_is_the_root() -> None:
    """A misparse can make the preposition the sentence root; the walk up must end there."""
    from spacy.tokens import Doc
    from spacy.vocab import Vocab

    from detente.annotate.timexpr import _anchor

    doc = Doc(
        Vocab(),
        words=["Over", "the", "weekend"],
        heads=[0, 2, 0],
        deps=["ROOT", "det", "pobj"],
        pos=["ADP", "DET", "NOUN"],
    )
    anchor = _anchor(doc[:], doc[1].idx, len(doc.text))
    assert anchor is not None and anchor.i == 0
