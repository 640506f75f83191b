"""Publication dates from datelines and URLs; never from a bare year."""

from __future__ import annotations

from datetime import date

import pytest
from hypothesis import given
from hypothesis import strategies as st

from detente.extract import dates


@pytest.mark.parametrize(
    ("line", "expected"),
    [
        ("May 29, 2023", date(2023, 5, 29)),
        ("Tue Aug 9, 2016 12:51PM", date(2016, 8, 9)),
        ("24 November 2015 14:05 GMT", date(2015, 11, 24)),
        ("Published: 5 August 2022", date(2022, 8, 5)),
        ("Updated Monday, July 3, 2024 at 10:15 a.m.", date(2024, 7, 3)),
        ("2024-07-03", date(2024, 7, 3)),
        ("2024-07-03T09:30:00+03:00", date(2024, 7, 3)),
        ("03.07.2024", date(2024, 7, 3)),
        ("9th of August, 2016", date(2016, 8, 9)),
        ("Sept. 30, 2015", date(2015, 9, 30)),
    ],
)
def test_dateline(line: str, expected: date) -> None:
    assert dates.parse_dateline(line) == expected


@pytest.mark.parametrize(
    "line",
    [
        "Copyright 2023",
        "© 2021 The Bosphorus Ledger",
        "2017",
        "In 2017, Ankara bought the S-400 system from Russia.",
        "May 2023",
        "February 30, 2023",
        "Putin met Erdogan on May 29, 2023 in Ankara and they discussed many things at length",
        "",
    ],
)
def test_not_a_dateline(line: str) -> None:
    assert dates.parse_dateline(line) is None


@pytest.mark.parametrize(
    ("url", "expected"),
    [
        ("https://example.org/2023/05/29/putin-erdogan-a81312", date(2023, 5, 29)),
        ("https://example.org/news/2016-08-09/meeting.html", date(2016, 8, 9)),
        ("https://example.org/world/20220805-sochi-talks", date(2022, 8, 5)),
        ("https://example.org/world/putin-erdogan", None),
        ("https://example.org/2023/13/45/x", None),
        (None, None),
    ],
)
def test_date_from_url(url: str | None, expected: date | None) -> None:
    assert dates.date_from_url(url) == expected


def test_find_date_anywhere() -> None:
    assert dates.find_date("The call took place on 26 June 2016, officials said.") == date(
        2016, 6, 26
    )
    assert dates.find_date("no dates here, only the year 2016") is None


@given(st.text(max_size=300))
def test_date_parsers_never_raise(text: str) -> None:
    for found in (
        dates.parse_dateline(text),
        dates.find_date(text),
        dates.date_from_url(text),
        dates.parse_iso_date(text),
    ):
        assert found is None or dates.MIN_YEAR <= found.year <= dates.MAX_YEAR
