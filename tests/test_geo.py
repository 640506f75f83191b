"""Place geocoding: gazetteer lookups and toponyms found in sentences written for these tests."""

from __future__ import annotations

import time

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from detente.annotate.geo import Gazetteer, distance_km, gazetteer, name_key
from detente.annotate.nlp import load_pipeline


@pytest.fixture(scope="module")
def geo() -> Gazetteer:
    """The shared gazetteer."""
    return gazetteer()


@pytest.mark.parametrize(
    ("name", "country", "feature"),
    [
        ("Tehran", "IRN", "capital"),
        ("Ankara", "TUR", "capital"),
        ("Astana", "KAZ", "capital"),
        ("Kyiv", "UKR", "capital"),
        ("Moscow", "RUS", "capital"),
        ("Sochi", "RUS", "city"),
        ("Istanbul", "TUR", "city"),
        ("Russia", "RUS", "country"),
        ("Türkiye", "TUR", "country"),
        ("Turkey", "TUR", "country"),
        ("Britain", "GBR", "country"),
        ("Crimea", "UKR", "region"),
        ("Donbass", "UKR", "region"),
        ("Nagorno-Karabakh", "AZE", "region"),
        ("Gaza", "PSE", "city"),
        ("West Bank", "PSE", "region"),
        ("the Bosphorus", "TUR", "strait"),
        ("Black Sea", None, "sea"),
        ("Europe", None, "continent"),
        ("Louisiana", "USA", "state"),
    ],
)
def test_lookup_known_places(geo: Gazetteer, name: str, country: str | None, feature: str) -> None:
    place = geo.lookup(name)
    assert place is not None, name
    assert (place.country, place.feature) == (country, feature)
    assert place.latitude is not None and place.longitude is not None


@pytest.mark.parametrize(
    ("variant", "canonical"),
    [
        ("Kiev", "Kyiv"),
        ("KYIV", "Kyiv"),
        ("St Petersburg", "Saint Petersburg"),
        ("St. Petersburg", "Saint Petersburg"),
        ("saint petersburg", "Saint Petersburg"),
        ("Odessa", "Odesa"),
        ("İstanbul", "Istanbul"),
        ("Zurich", "Zürich"),
        ("Sao Paulo", "São Paulo"),
        ("Bogota", "Bogotá"),
        ("Nur-Sultan", "Astana"),
    ],
)
def test_variants_and_diacritics(geo: Gazetteer, variant: str, canonical: str) -> None:
    place = geo.lookup(variant)
    assert place is not None and place.name == canonical


def test_country_hint_disambiguates(geo: Gazetteer) -> None:
    russia = geo.lookup("St Petersburg")
    florida = geo.lookup("St Petersburg", country="USA")
    assert russia is not None and russia.country == "RUS"
    assert florida is not None and florida.country == "USA"
    assert distance_km(27.77, -82.68, florida.latitude or 0, florida.longitude or 0) < 20
    paris = geo.lookup("Paris")
    assert paris is not None and paris.country == "FRA"
    georgia = geo.lookup("Georgia")
    assert georgia is not None and georgia.feature == "country"
    state = geo.lookup("Georgia", country="usa")
    assert state is not None and (state.country, state.feature) == ("USA", "state")
    # a hint with no namesake in that country is only a hint
    tehran = geo.lookup("Tehran", country="FRA")
    assert tehran is not None and tehran.country == "IRN"


def test_capitals_and_primary_names_win(geo: Gazetteer) -> None:
    washington = geo.lookup("Washington")
    assert washington is not None and washington.feature == "capital"
    new_york = geo.lookup("New York")
    assert new_york is not None and new_york.feature == "city"  # the city, not the state
    tehran = geo.lookup("Tehran")  # a small town lists "Tehran" as an alternate name
    assert tehran is not None and tehran.latitude is not None and tehran.latitude > 35.5


@pytest.mark.parametrize(
    "text", ["Russian", "Turkish", "Iranians", "", "   ", "the", "xqzptl", "President"]
)
def test_non_places(geo: Gazetteer, text: str) -> None:
    assert geo.lookup(text) is None


def test_name_key() -> None:
    assert name_key("St. Petersburg") == name_key("Saint Petersburg") == "saint petersburg"
    assert name_key("the  Nagorno-Karabakh") == "nagorno karabakh"
    assert name_key("Erdoğan’s") == "erdogans"


def test_distance() -> None:
    assert distance_km(0, 0, 0, 0) == 0
    assert distance_km(41.01, 28.95, 39.92, 32.85) == pytest.approx(350, abs=10)  # Istanbul-Ankara
    assert distance_km(0, 179.5, 0, -179.5) == pytest.approx(111.2, abs=1)


def test_loading_is_fast_once_cached() -> None:
    Gazetteer()  # builds the cache if needed
    started = time.perf_counter()
    Gazetteer()
    assert time.perf_counter() - started < 2.0  # ~0.2 s on an idle machine
    assert gazetteer() is gazetteer()


def test_country_at(geo: Gazetteer) -> None:
    assert geo.country_at(41.0, 29.0) == "TUR"
    assert geo.country_at(55.75, 37.6) == "RUS"


SENTENCES = (
    "Erdoğan flew to Sochi on 5 August 2022 to meet Putin, a month after the Tehran summit. "
    "The grain deal signed in Istanbul reopened Black Sea ports in Ukraine. "
    "In 2016 the two leaders met in St Petersburg, and in July 2024 they talked in Astana. "
    "Russian officials said Turkish ships may pass the Bosphorus."
)


@pytest.fixture(scope="module")
def found(geo: Gazetteer) -> list[tuple[int, int, str, str | None]]:
    """The places found in :data:`SENTENCES`: offsets, text and country."""
    doc = load_pipeline()(SENTENCES)
    return [(s, e, SENTENCES[s:e], loc.country) for s, e, loc in geo.find_places(doc)]


def test_find_places(found: list[tuple[int, int, str, str | None]]) -> None:
    texts = {text: country for _, _, text, country in found}
    for name, country in [
        ("Sochi", "RUS"),
        ("Tehran", "IRN"),
        ("Istanbul", "TUR"),
        ("Ukraine", "UKR"),
        ("St Petersburg", "RUS"),
        ("Astana", "KAZ"),
        ("Bosphorus", "TUR"),
    ]:
        assert texts.get(name) == country, (name, found)
    assert "Black Sea" in texts
    # demonyms and people are not places
    assert not {"Russian", "Turkish", "Erdoğan", "Putin"} & set(texts)


def test_offsets_are_consistent(found: list[tuple[int, int, str, str | None]]) -> None:
    starts = [s for s, _, _, _ in found]
    assert starts == sorted(starts)
    for start, end, text, _ in found:
        assert 0 <= start < end <= len(SENTENCES)
        assert SENTENCES[start:end] == text == text.strip()
    pairs = [(s, e) for s, e, _, _ in found]
    assert len(pairs) == len(set(pairs))


def test_find_places_in_a_span_uses_document_offsets(geo: Gazetteer) -> None:
    doc = load_pipeline()(SENTENCES)
    sentence = list(doc.sents)[2]
    places = geo.find_places(sentence)
    assert places, sentence.text
    for start, end, _ in places:
        assert sentence.start_char <= start < end <= sentence.end_char
    assert {SENTENCES[s:e] for s, e, _ in places} >= {"St Petersburg", "Astana"}


def test_comma_context_picks_the_state(geo: Gazetteer) -> None:
    text = "A fire destroyed a home in Alexandria, Louisiana, on Friday."
    places = {text[s:e]: loc for s, e, loc in geo.find_places(load_pipeline()(text))}
    assert places["Alexandria"].country == "USA"
    assert places["Louisiana"].feature == "state"


@settings(max_examples=200, deadline=None)
@given(name=st.text(max_size=40), country=st.one_of(st.none(), st.text(max_size=4)))
def test_lookup_never_raises(name: str, country: str | None) -> None:
    place = gazetteer().lookup(name, country=country)
    assert place is None or place.name
