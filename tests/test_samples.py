"""The five real scraped articles of ../shared/samples: boilerplate gone, metadata found."""

from __future__ import annotations

from pathlib import Path

import pytest

from detente.extract.text import clean_text

# Boilerplate that must not survive, per sample file (short distinctive fragments).
BOILERPLATE = {
    "000": ["Related article", "Original url", "themoscowtimes.com", "kremlin.ru", "By AFP"],
    "001": ["PREV ", "NEXT ", "Boris Johnson", "prostitution", "To subscribe", "newsletter"],
    "002": ["Sitelerimizde", "çerez", "reklam"],
    "003": ["Security-Cleared", "JOIN NOW", "mailing list", "One Billion Americans", "Yglesias"],
    "004": [],
}
# Body text that must survive.
BODY = {
    "000": ["congratulated Turkish leader", "Akkuyu nuclear power plant"],
    "001": ["special relationship with President Putin", "kingmakers"],
    "002": ["affirmed his intention to make the trip", "nearly 38,000 Palestinians"],
    "003": ["Last November, the Turkish military shot down", "held a telephone conversation"],
    "004": ["no drones had been delivered", "Rosatom is also building"],
}


def _sample(shared: Path, prefix: str) -> str:
    (path,) = sorted((shared / "samples").glob(f"{prefix}_*.txt"))
    return path.read_text(encoding="utf-8")


@pytest.mark.parametrize("prefix", sorted(BOILERPLATE))
def test_boilerplate_is_removed_and_body_kept(shared_dir: Path, prefix: str) -> None:
    result = clean_text(_sample(shared_dir, prefix))
    for fragment in BOILERPLATE[prefix]:
        assert fragment not in result.text, fragment
    for fragment in BODY[prefix]:
        assert fragment in result.text, fragment
    assert result.language == "en"
    assert result.removed or prefix == "004"


def test_turkish_cookie_banner_is_dropped_whole(shared_dir: Path) -> None:
    result = clean_text(_sample(shared_dir, "002"))
    assert "kullan" not in result.text and "tarayıcı" not in result.text
    assert sum("çerez" in line for line in result.removed) >= 2


@pytest.mark.parametrize(("prefix", "date"), [("000", "2023-05-29"), ("003", "2016-08-09")])
def test_datelines_are_found(shared_dir: Path, prefix: str, date: str) -> None:
    result = clean_text(_sample(shared_dir, prefix))
    assert result.published == date
    assert result.published_source == "dateline"


@pytest.mark.parametrize("prefix", ["001", "002", "004"])
def test_no_date_is_invented(shared_dir: Path, prefix: str) -> None:
    assert clean_text(_sample(shared_dir, prefix)).published is None


def test_broken_paragraph_is_rejoined(shared_dir: Path) -> None:
    result = clean_text(_sample(shared_dir, "000"))
    assert "developed strong ties over the years." in result.text
    assert not any(p.startswith("the years") for p in result.text.split("\n\n"))


def test_titles_outlet_and_original_url(shared_dir: Path) -> None:
    first = clean_text(_sample(shared_dir, "000"))
    assert first.title is not None and first.title.startswith("Putin Calls Erdogan Re-election")
    assert first.url is not None and first.url.startswith(
        "https://www.themoscowtimes.com/2023/05/29/"
    )
    third = clean_text(_sample(shared_dir, "003"))
    assert third.title == "We all want to restart dialogue, Putin tells Erdogan"
    assert third.outlet == "Iran Press TV"


def test_repeated_headline_and_lede_are_dropped(shared_dir: Path) -> None:
    result = clean_text(_sample(shared_dir, "004"))
    assert result.title is not None and result.title.startswith("Erdogan meets Putin")
    assert result.title not in result.text
    assert result.text.count("Within just a few weeks") == 1
