"""Actors read from their context (issue 13): lists, back references, group words, names.

Every sentence here was written for these tests; the facts in the tables are public.
"""

from __future__ import annotations

from datetime import date

import pytest
from spacy.language import Language

from detente.annotate.actors import ActorResolver
from detente.model import Mention

CAMPAIGN_DAY = date(2016, 5, 10)
#: A sentence that makes a story American (its role words then take USA).
AMERICAN = "Voters in Ohio, Texas and Florida went to the polls on Tuesday. "


@pytest.fixture(scope="module")
def resolver() -> ActorResolver:
    return ActorResolver()


@pytest.fixture(scope="module")
def nlp() -> Language:
    from detente.annotate.nlp import load_pipeline

    return load_pipeline()


def mentions(nlp: Language, resolver: ActorResolver, text: str) -> list[Mention]:
    found = resolver.resolve(nlp(text), on=CAMPAIGN_DAY)
    for m in found:
        assert text[m.start : m.end] == m.text
    return found


def code_of(found: list[Mention], text: str) -> str | None:
    hits = [m for m in found if m.text == text]
    assert hits, f"no mention {text!r} in {[m.text for m in found]}"
    return hits[0].actor.code


# --- names in one list are of one kind ----------------------------------------------------
def test_a_list_headed_by_a_sector_noun_gives_its_sector(
    nlp: Language, resolver: ActorResolver
) -> None:
    text = AMERICAN + "Three casinos, Harbor Star, Atlantic Club and Golden Reef, reported losses."
    found = mentions(nlp, resolver, text)
    assert code_of(found, "Harbor Star") == "USABUS"
    assert code_of(found, "Atlantic Club") == "USABUS"


def test_a_list_of_known_companies_gives_its_sector(nlp: Language, resolver: ActorResolver) -> None:
    text = AMERICAN + "Health insurers Cigna, Aetna and Humana have also been courted."
    assert code_of(mentions(nlp, resolver, text), "Aetna") == "USABUS"


def test_an_unknown_organisation_alone_stays_a_group(
    nlp: Language, resolver: ActorResolver
) -> None:
    text = AMERICAN + "Judicial Watch asked a court for the emails."
    assert code_of(mentions(nlp, resolver, text), "Judicial Watch") == "USACVL"


# --- definite descriptions refer back -------------------------------------------------------
@pytest.mark.parametrize(
    ("text", "title", "expected"),
    [
        (
            "Ted Cruz spoke in Austin on Friday. Critics said the first-term senator sees "
            "everything in black and white.",
            "senator",
            "USALEG",  # out of the race a week before CAMPAIGN_DAY
        ),
        (
            "Barack Obama spoke in Ohio. The two-term president will say he is proud.",
            "president",
            "USAGOV",
        ),
    ],
)
def test_a_title_past_its_modifiers_is_a_reference(
    nlp: Language, resolver: ActorResolver, text: str, title: str, expected: str
) -> None:
    assert code_of(mentions(nlp, resolver, text), title) == expected


def test_a_title_with_no_determiner_names_no_one(nlp: Language, resolver: ActorResolver) -> None:
    found = mentions(nlp, resolver, "Barack Obama spoke in Ohio. Two-term presidents are rare.")
    assert all(m.actor.name != "Barack Obama" for m in found if "president" in m.text)


# --- weak group words take the article's country, or name no one --------------------------
@pytest.mark.parametrize(
    ("sentence", "word", "expected"),
    [
        ("The officials said the water was safe.", "officials", "USAGOV"),
        ("Her supporters cheered in the hall.", "supporters", "USACVL"),
        ("Industry lobbyists gave millions to both parties.", "lobbyists", "USABUS"),
        ("Many members were dismayed by the news.", "members", "USACVL"),
        ("His fans complained online about the decision.", "fans", "USACVL"),
    ],
)
def test_weak_group_words_take_the_articles_country(
    nlp: Language, resolver: ActorResolver, sentence: str, word: str, expected: str
) -> None:
    assert code_of(mentions(nlp, resolver, AMERICAN + sentence), word) == expected


def test_weak_group_words_alone_name_no_one(nlp: Language, resolver: ActorResolver) -> None:
    found = mentions(
        nlp, resolver, "Russia and Turkey met in Ankara and Moscow. Their supporters cheered."
    )
    assert all(m.text != "supporters" for m in found)


# --- names spaCy misses but the article repeats -------------------------------------------
def test_a_name_the_article_repeats_is_an_organisation(
    nlp: Language, resolver: ActorResolver
) -> None:
    text = AMERICAN + (
        "Last year she founded Neighbors Rise Up in Ohio. Donors praised Neighbors Rise Up "
        "on Monday. Many now fund Neighbors Rise Up across the state."
    )
    found = [m for m in mentions(nlp, resolver, text) if m.text == "Neighbors Rise Up"]
    assert len(found) == 3
    assert {m.actor.code for m in found} == {"USACVL"}


def test_a_name_written_twice_is_not_read(nlp: Language, resolver: ActorResolver) -> None:
    text = AMERICAN + "Donors praised Neighbors Rise Up. Many fund Neighbors Rise Up."
    assert all(m.text != "Neighbors Rise Up" for m in mentions(nlp, resolver, text))


# --- generic nouns refer back to the organisation named before ----------------------------
def test_the_department_is_the_department_named_before(
    nlp: Language, resolver: ActorResolver
) -> None:
    text = AMERICAN + (
        "The State Department released the emails. A judge ordered the department to search "
        "its servers."
    )
    found = mentions(nlp, resolver, text)
    assert code_of(found, "department") == "USAGOV"


def test_the_movement_is_the_group_named_before(nlp: Language, resolver: ActorResolver) -> None:
    text = AMERICAN + (
        "She joined Neighbors Rise Up in Ohio. Donors praised Neighbors Rise Up on Monday. "
        "Many now fund Neighbors Rise Up. Many voters joined the movement on Tuesday."
    )
    found = mentions(nlp, resolver, text)
    movement = [m for m in found if m.text == "movement"]
    assert movement and movement[0].actor.name == "Neighbors Rise Up"


def test_a_generic_noun_alone_names_no_one(nlp: Language, resolver: ActorResolver) -> None:
    found = mentions(nlp, resolver, AMERICAN + "Many voters joined the movement on Tuesday.")
    assert all(m.text != "movement" for m in found)


# --- a place before a title is a place of its own -----------------------------------------
def test_a_state_before_a_title_is_its_own_mention(nlp: Language, resolver: ActorResolver) -> None:
    found = mentions(nlp, resolver, AMERICAN + "Ohio Gov. John Kasich spoke in Texas.")
    assert code_of(found, "Gov. John Kasich") == "USAGOV"  # out of the race by May 10, 2016
    ohio = [m for m in found if m.text == "Ohio" and m.start >= len(AMERICAN)]
    assert ohio and ohio[0].actor.code == "USA"


def test_a_town_before_a_possessive_is_the_town(nlp: Language, resolver: ActorResolver) -> None:
    text = AMERICAN + "Competition from other states led to Atlantic City’s decline."
    assert code_of(mentions(nlp, resolver, text), "Atlantic City") == "USA"


# --- "the nation" is the country named just before, or the article's ------------------------
def test_this_country_is_the_country_named_just_before(
    nlp: Language, resolver: ActorResolver
) -> None:
    text = AMERICAN + "Senators praised the king of Jordan. This small country took in refugees."
    assert code_of(mentions(nlp, resolver, text), "country") == "JOR"


def test_our_nation_is_the_articles_country(nlp: Language, resolver: ActorResolver) -> None:
    text = AMERICAN + "The governor said our nation must act now."
    assert code_of(mentions(nlp, resolver, text), "nation") == "USA"


def test_in_this_country_is_a_location(nlp: Language, resolver: ActorResolver) -> None:
    text = AMERICAN + "The governor wants to ban the practice in this country."
    assert all(m.text != "country" for m in mentions(nlp, resolver, text))


def test_a_repeated_term_in_scare_quotes_is_no_name(nlp: Language, resolver: ActorResolver) -> None:
    text = AMERICAN + (
        "He said the words ‘Total Victory’ often. Critics mocked ‘Total Victory’ on Monday. "
        "Others repeated ‘Total Victory’ too."
    )
    assert all(m.text != "Total Victory" for m in mentions(nlp, resolver, text))


def test_her_presidential_campaign_is_the_candidates(
    nlp: Language, resolver: ActorResolver
) -> None:
    text = (
        AMERICAN + "Hillary Clinton spoke in Ohio. Her presidential campaign is based in Brooklyn."
    )
    assert code_of(mentions(nlp, resolver, text), "campaign") == "USAGOV"


def test_a_navy_seal_is_military(nlp: Language, resolver: ActorResolver) -> None:
    text = AMERICAN + "The film tells how Navy SEAL John Harper died. Harper had served for years."
    found = mentions(nlp, resolver, text)
    assert code_of(found, "Navy SEAL John Harper") == "USAMIL"
    assert code_of(found, "Harper") == "USAMIL"


def test_the_state_acting_is_a_government(nlp: Language, resolver: ActorResolver) -> None:
    found = mentions(nlp, resolver, AMERICAN + "The state admitted it had made a mistake.")
    assert code_of(found, "state") == "USAGOV"
    for sentence in ("She moved to the state in 2010.", "They like the beaches the state offers."):
        found = mentions(nlp, resolver, AMERICAN + sentence)
        assert all(m.text != "state" for m in found)


def test_a_byline_names_a_writer(nlp: Language, resolver: ActorResolver) -> None:
    text = AMERICAN + "The count went on all night.\n\nFollow Dana Whitcombe on Twitter @dwhit."
    assert code_of(mentions(nlp, resolver, text), "Dana Whitcombe") == "USAMED"
