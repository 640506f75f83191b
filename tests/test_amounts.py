"""Amounts: numbers with their unit or currency, scale, object and approximation; non-amounts."""

from __future__ import annotations

import re
from pathlib import Path
from typing import TYPE_CHECKING

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from detente.annotate.amounts import find_amounts
from detente.annotate.nlp import load_pipeline
from detente.model import Amount

if TYPE_CHECKING:
    from spacy.language import Language


@pytest.fixture(scope="module")
def nlp() -> Language:
    """The English pipeline, loaded once."""
    return load_pipeline()


def _amounts(nlp: Language, text: str) -> list[Amount]:
    """Every amount of ``text``, after checking that offsets point at the text."""
    doc = nlp(text)
    found = find_amounts(doc)
    for a in found:
        assert doc.text[a.start : a.end] == a.text
        assert a.sentence_start <= a.start < a.end <= a.sentence_end <= len(text)
    return found


def _one(nlp: Language, text: str, written: str) -> Amount:
    """The amount written exactly as ``written`` in ``text``."""
    found = _amounts(nlp, text)
    matches = [a for a in found if a.text == written]
    assert matches, f"{written!r} not found in {[a.text for a in found]}"
    return matches[0]


# --- currencies and scales ------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "written", "value", "unit"),
    [
        ("Bilateral commerce hit $48 billion last year.", "$48 billion", 48e9, "USD"),
        ("Brussels set aside €2.5 billion for the programme.", "€2.5 billion", 2.5e9, "EUR"),
        (
            "The ministry signed deals worth 7.3 billion US dollars.",
            "7.3 billion US dollars",
            7.3e9,
            "USD",
        ),
        ("The club paid £4m for the striker.", "£4m", 4e6, "GBP"),
        ("Analysts expect 3.4bn in new lending.", "3.4bn", 3.4e9, None),
        ("The budget deficit reached RUB 8 trillion.", "RUB 8 trillion", 8e12, "RUB"),
        ("The Kremlin spent 6 trillion roubles on defence.", "6 trillion roubles", 6e12, "RUB"),
        (
            "The fund lent 150 million Turkish lira to farmers.",
            "150 million Turkish lira",
            150e6,
            "TRY",
        ),
        ("Ankara raised 900 million lira in bonds.", "900 million lira", 900e6, "TRY"),
        ("Beijing offered 20 billion yuan in credit.", "20 billion yuan", 20e9, "CNY"),
        ("Kyiv paid 3 billion hryvnias in pensions.", "3 billion hryvnias", 3e9, "UAH"),
        ("Tokyo pledged 500 billion yen in aid.", "500 billion yen", 500e9, "JPY"),
        ("Tehran printed 90 trillion rials last year.", "90 trillion rials", 90e12, "IRR"),
        (
            "Ottawa gave 40 million Canadian dollars to the agency.",
            "40 million Canadian dollars",
            40e6,
            "CAD",
        ),
        ("Ottawa gave C$12 million to the agency.", "C$12 million", 12e6, "CAD"),
        ("The firm raised US$800 million in the offering.", "US$800 million", 800e6, "USD"),
        ("Reconstruction could cost 1.92 billion by spring.", "1.92 billion", 1.92e9, None),
        ("The charity collected 250 thousand dollars.", "250 thousand dollars", 250e3, "USD"),
        ("The ministry hired 5k contractors.", "5k", 5e3, None),
    ],
)
def test_currencies_and_scales(
    nlp: Language, text: str, written: str, value: float, unit: str | None
) -> None:
    a = _one(nlp, text, written)
    assert a.value == pytest.approx(value)
    assert a.unit == unit
    assert a.approximate is False


def test_scaled_values_are_exact_not_float_noise(nlp: Language) -> None:
    assert _one(nlp, "Exports were 5.1 billion euros.", "5.1 billion euros").value == 5100000000.0


# --- qualifiers -----------------------------------------------------------------------------


@pytest.mark.parametrize(
    "qualifier",
    [
        "more than", "over", "nearly", "almost", "about", "around", "roughly", "some",
        "up to", "at least", "fewer than", "an estimated", "approximately", "close to",
    ],
)  # fmt: skip
def test_qualifiers_make_an_amount_approximate(nlp: Language, qualifier: str) -> None:
    a = _one(nlp, f"Police detained {qualifier} 450 protesters.", f"{qualifier} 450")
    assert a.value == 450
    assert a.approximate is True
    assert a.object == "protesters"


def test_qualifier_before_a_currency_symbol(nlp: Language) -> None:
    a = _one(nlp, "The pipeline deal is worth about $9 billion.", "about $9 billion")
    assert (a.value, a.unit, a.approximate) == (9e9, "USD", True)
    assert a.object == "pipeline deal"


def test_unqualified_amount_is_exact(nlp: Language) -> None:
    a = _one(nlp, "Chad now shelters the 6 million displaced Sudanese.", "6 million")
    assert (a.value, a.approximate, a.object) == (6e6, False, "displaced Sudanese")


# --- objects --------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "written", "value", "obj"),
    [
        (
            "Shelling killed nearly 1,200 villagers in the valley.",
            "nearly 1,200",
            1200,
            "villagers",
        ),
        ("Germany hosts 2 million Ukrainian refugees.", "2 million", 2e6, "Ukrainian refugees"),
        (
            "The UN hopes for the return of some one million migrants.",
            "some one million",
            1e6,
            "migrants",
        ),
        (
            "Militants fired more than 80 rockets and mortars overnight.",
            "more than 80",
            80,
            "rockets and mortars",
        ),
        ("Officials said 140 of the hostages were freed.", "140", 140, "hostages"),
        ("The electorate reached 61 million voters.", "61 million", 61e6, "voters"),
    ],
)
def test_counts_take_the_counted_noun(
    nlp: Language, text: str, written: str, value: float, obj: str
) -> None:
    a = _one(nlp, text, written)
    assert a.value == value
    assert a.unit is None
    assert a.object == obj


@pytest.mark.parametrize(
    ("text", "written", "fragment"),
    [
        ("The volume of Indian-Iranian trade reaches $9 billion a year.", "$9 billion", "trade"),
        (
            "Ministers set an ambitious trade volume target of $30 billion.",
            "$30 billion",
            "trade volume",
        ),
        ("Last year gas payments totalled $4 billion.", "$4 billion", "gas payments"),
        (
            "The country bought grain worth 2.2 billion US dollars abroad.",
            "2.2 billion US dollars",
            "grain",
        ),
        (
            "Both sides agreed on lifting bilateral trade to $25 billion.",
            "$25 billion",
            "bilateral trade",
        ),
        (
            "The cost of the bridge was estimated at €700 million.",
            "€700 million",
            "cost of the bridge",
        ),
        ("The lender approved a $3 billion loan to Egypt.", "$3 billion", "loan"),
    ],
)
def test_money_takes_what_it_measures(
    nlp: Language, text: str, written: str, fragment: str
) -> None:
    a = _one(nlp, text, written)
    assert a.unit in ("USD", "EUR")
    assert a.object is not None and fragment in a.object, a.object


@pytest.mark.parametrize(
    ("text", "written"),
    [
        ("The donors pledged $2 billion on Friday.", "$2 billion"),
        ("The campaign raised $4 million in March.", "$4 million"),  # the raiser is no object
        ("The committee took in $3.5 million last month.", "$3.5 million"),
    ],
)
def test_money_without_a_clear_object_has_none(nlp: Language, text: str, written: str) -> None:
    assert _one(nlp, text, written).object is None


@pytest.mark.parametrize(
    ("text", "written", "value", "unit", "obj"),
    [
        (
            "The group bought $300,000 worth of television ads.",
            "$300,000",
            3e5,
            "USD",
            "television ads",
        ),
        ("The bank granted a 2.5-billion-dollar loan.", "2.5-billion-dollar", 2.5e9, "USD", "loan"),
        ("They dug a 40-km tunnel.", "40-km", 40, "km", "tunnel"),
        ("Polls show a 48% and 45% approval rating.", "45%", 45, "percent", "approval rating"),
    ],
)
def test_objects_leave_out_other_figures_and_worth(
    nlp: Language, text: str, written: str, value: float, unit: str, obj: str
) -> None:
    a = _one(nlp, text, written)
    assert a.value == pytest.approx(value)
    assert (a.unit, a.object) == (unit, obj)


def test_minus_makes_a_negative_value(nlp: Language) -> None:
    assert _one(nlp, "His net rating is minus 17.", "minus 17").value == -17


# --- percent and units ----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "written", "value", "unit", "obj"),
    [
        ("The incumbent took 54.37% of the ballots.", "54.37%", 54.37, "percent", "ballots"),
        ("Turnout hit 64 percent in the capital.", "64 percent", 64, "percent", "Turnout"),
        ("Prices rose 12 per cent in March.", "12 per cent", 12, "percent", "Prices"),
        (
            "Support fell 4 percentage points.",
            "4 percentage points",
            4,
            "percentage points",
            "Support",
        ),
        (
            "Farmers stored about 15 million tonnes of wheat.",
            "about 15 million tonnes",
            15e6,
            "tonnes",
            "wheat",
        ),
        ("The ship carried 31,000 tons of maize.", "31,000 tons", 31000, "tonnes", "maize"),
        (
            "The field pumps 400,000 barrels per day of crude.",
            "400,000 barrels per day",
            4e5,
            "barrels per day",
            "crude",
        ),
        ("The link moves 31.5 bcm of gas a year.", "31.5 bcm", 31.5e9, "cubic metres", "gas"),
        (
            "The pipe carries 55 billion cubic metres of gas.",
            "55 billion cubic metres",
            55e9,
            "cubic metres",
            "gas",
        ),
        ("The convoy stopped 12 kilometres from the border.", "12 kilometres", 12, "km", None),
        ("The fence runs for 90 km along the river.", "90 km", 90, "km", None),
        ("The drone flew 600 miles before it fell.", "600 miles", 600, "miles", None),
    ],
)
def test_percent_and_units(
    nlp: Language, text: str, written: str, value: float, unit: str, obj: str | None
) -> None:
    a = _one(nlp, text, written)
    assert a.value == pytest.approx(value)
    assert a.unit == unit
    assert a.object == obj


def test_vote_shares_are_percent_amounts(nlp: Language) -> None:
    found = _amounts(nlp, "She won 50.9 percent of the vote against 49.1 percent for her rival.")
    assert [(a.value, a.unit) for a in found] == [(50.9, "percent"), (49.1, "percent")]


# --- number words, vague quantities, ranges -------------------------------------------------


@pytest.mark.parametrize(
    ("text", "written", "value"),
    [
        ("Rebels seized two million cartridges.", "two million", 2e6),
        ("A dozen embassies closed their doors.", "A dozen", 12),
        ("Half a million residents fled the city.", "Half a million", 5e5),
        ("Twenty-five journalists signed the letter.", "Twenty-five", 25),
        ("Three hundred and fifty cadets graduated.", "Three hundred and fifty", 350),
        ("Guards arrested four smugglers.", "four", 4),
    ],
)
def test_number_words(nlp: Language, text: str, written: str, value: float) -> None:
    assert _one(nlp, text, written).value == value


def test_ranges_give_two_approximate_amounts(nlp: Language) -> None:
    low, high = _amounts(nlp, "The damage is put at $8-12 billion.")
    assert (low.value, low.unit, high.value, high.unit) == (8e9, "USD", 12e9, "USD")
    assert low.approximate and high.approximate
    a, b = _amounts(nlp, "Between 3,000 and 5,000 migrants crossed.")
    assert (a.value, b.value, a.object, b.object) == (3000, 5000, "migrants", "migrants")
    assert a.approximate and b.approximate


def test_a_change_is_not_a_range(nlp: Language) -> None:
    a, b = _amounts(nlp, "Imports grew from 3.4 billion to nearly 4 billion.")
    assert (a.value, a.approximate, b.value, b.approximate) == (3.4e9, False, 4e9, True)


def test_a_tally_is_not_a_range(nlp: Language) -> None:
    found = _amounts(nlp, "The senate voted 61 to 38 to confirm her.")
    assert [(a.value, a.approximate) for a in found] == [(61, False), (38, False)]


# --- numbers that are not amounts -----------------------------------------------------------


@pytest.mark.parametrize(
    "text",
    [
        # vague quantities with no figure, and definite spelled-out counts (references)
        "Hundreds of protesters gathered outside.",
        "Millions of tons of maize were stuck in silos.",
        "Dozens of villages lost power.",
        "Thousands fled and several towns emptied.",
        "The two leaders shook hands.",
        "Its three ministers resigned.",
        "One of the envoys left early.",
        # names, dates, times, ages, durations, phone and reference numbers
        "Greece ordered the F-16 and the Rafale, not the F-35.",
        "India kept its S-400 batteries and its Su-30 jets.",
        "A Tu-154 and a MiG-29 were parked nearby.",
        "The Bayraktar TB2 impressed the G20 and the G7.",
        "Drivers took Route 66 west.",
        "The bank was sanctioned under Section 231.",
        "COVID-19 closed the border.",
        "Leaders met at the 24th Summit of the union.",
        "The talks opened on March 3, 2021.",
        "The vote is set for 12 June.",
        "The attack came on Oct. 9, 2022 at dawn.",
        "Elections were held in 2019.",
        "The call began at 3 p.m. local time.",
        "The statement was posted at 10:42AM.",
        "A seven-year-old girl was hurt.",
        "The three-day visit ended.",
        "Call +44 207 946 0958 for details.",
        "The truce lasted 120 days.",
        "Talks will resume in two weeks.",
        "Article 5 of the treaty was invoked.",
        "The ambassador, 58, was recalled.",
        "Volkov, 71, a retired general, spoke first.",
        "Border guards were warned ten times.",
        "It happened 30 or 40 years ago.",
        "He is the party's No. 2 official.",
        "The reasons:\n\n1. Money is short.",
        "The Group of 20 met in Rome.",
    ],
)
def test_non_amounts(nlp: Language, text: str) -> None:
    assert _amounts(nlp, text) == []


def test_a_year_with_a_currency_is_money(nlp: Language) -> None:
    assert _one(nlp, "The ticket cost $2000 in the end.", "$2000").value == 2000


# --- robustness -----------------------------------------------------------------------------

_PIECES = st.sampled_from(
    ["$", "€", "£", "5", "3.2", "1,000", "bn", "m", "-", "million", "two", "a", "dozen", "half",
     "about", "more", "than", "%", "percent", "tonnes", "of", "between", "and", "to", "May",
     "2023", "S", "F-35", "US", "dollars", "Canadian", ",", ".", "the", "refugees", "year", " "]
)  # fmt: skip


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.one_of(st.text(max_size=80), st.lists(_PIECES, max_size=25).map(" ".join)))
def test_never_raises_on_arbitrary_text(text: str) -> None:
    doc = load_pipeline()(text)
    for a in find_amounts(doc):
        assert doc.text[a.start : a.end] == a.text


def test_works_on_a_doc_without_a_parse(nlp: Language) -> None:
    doc = nlp.make_doc("Exports were $5 billion and 300 tonnes.")
    found = find_amounts(doc)
    assert [(a.value, a.unit) for a in found] == [(5e9, "USD"), (300, "tonnes")]


# --- the real samples of ../shared ----------------------------------------------------------

# Strings in the samples that hold digits but no amount.
NOT_AMOUNTS = [
    "S-400", "F-35", "Su-24", "TB2", "24th Summit", "May 29, 2023", "Oct. 7, 2023", "July 15",
    "May 28", "May 14", "May 15", "June 2022", "February 2022", "in 2015", "in 2011", "2016",
    "In 2017", "2020 campaign", "12:51PM", "2 p.m.",
]  # fmt: skip


@pytest.fixture(scope="module")
def sample_amounts(shared_dir: Path, nlp: Language) -> list[tuple[str, Amount]]:
    """(text, amount) for every amount of the raw sample files."""
    out = []
    for path in sorted((shared_dir / "samples").glob("*.txt")):
        text = path.read_text(encoding="utf-8")
        out += [(text, a) for a in _amounts(nlp, text)]
    return out


def test_samples_amounts(sample_amounts: list[tuple[str, Amount]]) -> None:
    by_text = {a.text: a for _, a in sample_amounts}
    trade = by_text["$62 billion"]
    assert (trade.value, trade.unit) == (62e9, "USD")
    assert trade.object is not None and "trade" in trade.object
    killed = by_text["nearly 38,000"]
    assert (killed.value, killed.approximate, killed.object) == (38000, True, "Palestinians")
    goal = by_text["$100 billion"]
    assert (goal.value, goal.unit) == (100e9, "USD")
    assert goal.object is not None and "trade volume" in goal.object
    imports = by_text["5.1 billion US dollars"]
    assert (imports.value, imports.unit) == (5.1e9, "USD")
    refugees = by_text["4 million"]
    assert (refugees.value, refugees.object) == (4e6, "Syrian refugees")
    returns = by_text["some one million"]
    assert (returns.value, returns.approximate, returns.object) == (1e6, True, "refugees")


def test_samples_non_amounts(sample_amounts: list[tuple[str, Amount]]) -> None:
    for text, a in sample_amounts:
        for phrase in NOT_AMOUNTS:
            for m in re.finditer(re.escape(phrase), text):
                assert not (a.start < m.end() and m.start() < a.end), (phrase, a.text)
