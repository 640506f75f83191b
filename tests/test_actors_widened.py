"""The widened actor tables (issue 13): name variants, armed groups, parties, regions, persons.

Every phrase and sentence here was written for these tests; the facts in the tables (names,
offices, dates) are public.
"""

from __future__ import annotations

from datetime import date

import pytest

from detente.annotate.actors import ActorResolver
from detente.annotate.actors._text import spelling

ON_2016 = date(2016, 9, 1)


@pytest.fixture(scope="module")
def resolver() -> ActorResolver:
    return ActorResolver()


def code(resolver: ActorResolver, phrase: str, on: date, context: str = "") -> str | None:
    actor = resolver.lookup(phrase, on=on, context=context)
    return None if actor is None else actor.code


# --- transliterations of one given name --------------------------------------------------
@pytest.mark.parametrize(
    ("word", "form"),
    [
        ("muhammad", "mohamed"),
        ("mohammed", "mohamed"),
        ("abdel", "abdul"),
        ("youssef", "yusuf"),
        ("dmytro", "dmitry"),
        ("oleksii", "alexei"),
    ],
)
def test_spelling_families(word: str, form: str) -> None:
    assert spelling(word) == form


def test_spelling_leaves_other_words() -> None:
    assert spelling("mohawk") == "mohawk"
    assert spelling("president") == "president"


@pytest.mark.parametrize(
    ("phrase", "on", "expected"),
    [
        # the table writes "Mohamed Hussein Roble" and "Mohammed bin Salman"
        ("Prime Minister Mohammed Hussein Roble", date(2021, 5, 1), "SOMGOV"),
        ("Muhammad Hussein Roble", date(2021, 5, 1), "SOMGOV"),
        ("Crown Prince Muhammad bin Salman", date(2020, 1, 1), "SAUGOV"),
        ("President Abdul Fattah al-Sisi", date(2019, 1, 1), "EGYGOV"),
        # Russian and Ukrainian romanisations of one given name
        ("Foreign Minister Dmitry Kuleba", date(2022, 6, 1), "UKRGOV"),
        ("Serhiy Lavrov", date(2022, 6, 1), "RUSGOV"),
        ("Andrei Yermak", date(2023, 6, 1), "UKRGOV"),
    ],
)
def test_name_variants_match_the_table(
    resolver: ActorResolver, phrase: str, on: date, expected: str
) -> None:
    assert code(resolver, phrase, on) == expected


# --- parties by standing, armed groups, cartels, agencies --------------------------------
@pytest.mark.parametrize(
    ("phrase", "on", "expected"),
    [
        ("the PRI", date(2015, 6, 1), "MEXGOV"),
        ("the PRI", date(2021, 6, 1), "MEXOPP"),
        ("Institutional Revolutionary Party", date(2005, 1, 1), "MEXOPP"),
        ("the PAN", date(2008, 1, 1), "MEXGOV"),
        ("the PAN", date(2016, 1, 1), "MEXOPP"),
        ("the PRD", date(2012, 1, 1), "MEXOPP"),
        ("the Morena party", date(2016, 1, 1), "MEXOPP"),
        ("the Morena party", date(2020, 1, 1), "MEXGOV"),
        ("DfID", date(2010, 1, 1), "GBRGOV"),
        ("the rebel FDLR", date(2015, 1, 1), "RWAREB"),
        ("CODECO militiamen", date(2021, 1, 1), "CODUAF"),
        ("Ahlu Sunnah Wal Jama'a fighters", date(2018, 1, 1), "SOMUAF"),
        ("the Zetas cartel", date(2012, 1, 1), "MEXCRM"),
        ("the Sinaloa Cartel", date(2019, 1, 1), "MEXCRM"),
        ("Oath Keepers", date(2021, 1, 1), "USAUAF"),
        ("the Pakistani Taliban", date(2014, 1, 1), "PAKREB"),
        ("the Arakan Army", date(2020, 1, 1), "MMRREB"),
        ("SONNA", date(2020, 1, 1), "SOMMED"),
        # self-defence groups are armed groups, Japan's Self-Defense Forces its military
        ("Mexican self-defense groups", date(2014, 1, 1), "MEXUAF"),
        ("Colombian self defense forces", date(2003, 1, 1), "COLUAF"),
        ("Japan's Self-Defense Forces", date(2014, 1, 1), "JPNMIL"),
    ],
)
def test_organizations(resolver: ActorResolver, phrase: str, on: date, expected: str) -> None:
    assert code(resolver, phrase, on) == expected


def test_short_aliases_stay_exact(resolver: ActorResolver) -> None:
    """All-caps aliases match only in capitals: "pan" and "pri" are no party."""
    assert code(resolver, "a frying pan", date(2016, 1, 1)) is None
    assert code(resolver, "Let", date(2016, 1, 1)) is None


# --- persons: dated offices, seats held after office -------------------------------------
@pytest.mark.parametrize(
    ("phrase", "on", "expected"),
    [
        ("President Ibrahim Mohamed Solih", date(2020, 6, 1), "MDVGOV"),
        ("Ibrahim Mohamed Solih", date(2024, 6, 1), "MDVCVL"),
        ("Jordanian Foreign Minister Ayman Safadi", date(2019, 3, 1), "JORGOV"),
        ("Kathleen Hicks", date(2022, 3, 1), "USAGOV"),
        ("Deputy Secretary Hicks", date(2023, 3, 1), "USAGOV"),
        # Chancellor of the Exchequer for five weeks, a member of parliament before and after
        ("Kwasi Kwarteng", date(2022, 9, 20), "GBRGOV"),
        ("Kwasi Kwarteng", date(2023, 5, 1), "GBRLEG"),
        ("Kwasi Kwarteng", date(2025, 1, 1), "GBRCVL"),
        ("Scott Morrison", date(2020, 1, 1), "AUSGOV"),
        ("Scott Morrison", date(2023, 1, 1), "AUSLEG"),
        ("Jüri Ratas", date(2022, 1, 1), "ESTLEG"),
        ("Albin Kurti", date(2020, 10, 1), "XKXOPP"),
        ("Albin Kurti", date(2022, 10, 1), "XKXGOV"),
        ("Boyko Borisov", date(2023, 1, 1), "BGROPP"),
        ("Diego Molano", date(2021, 6, 1), "COLGOV"),
        ("Defense Minister Diego Molano", date(2023, 1, 1), "COLGOV"),
        ("Bobi Wine", date(2021, 1, 1), "UGAOPP"),
        ("Gen. Muhoozi Kainerugaba", date(2024, 6, 1), "UGAMIL"),
        ("General Thierry Burkhard", date(2022, 1, 1), "FRAMIL"),
        ("Andrei Kartapolov", date(2020, 1, 1), "RUSMIL"),
        ("Andrei Kartapolov", date(2023, 1, 1), "RUSLEG"),
        ("Jam Kamal Khan", date(2020, 1, 1), "PAKGOV"),
        ("Jam Kamal Khan", date(2022, 6, 1), "PAKLEG"),
        ("Agathon Rwasa", date(2005, 1, 1), "BDIREB"),
        ("Wolfgang Schäuble", date(2012, 1, 1), "DEUGOV"),
        ("Anton Siluanov", date(2022, 1, 1), "RUSGOV"),
        ("Foreign Minister Jan Lipavský", date(2023, 1, 1), "CZEGOV"),
        ("Ignazio Cassis", date(2019, 1, 1), "CHEGOV"),
        ("Gabrielius Landsbergis", date(2022, 5, 1), "LTUGOV"),
        ("Gabrielius Landsbergis", date(2025, 5, 1), "LTUCVL"),
        # back on the benches between and after offices: a legislator, then a civilian
        ("Boris Johnson", date(2012, 1, 1), "GBRGOV"),
        ("Boris Johnson", date(2019, 1, 1), "GBRLEG"),
        ("Boris Johnson", date(2023, 1, 1), "GBRLEG"),
        ("Boris Johnson", date(2024, 1, 1), "GBRCVL"),
        ("Jeremy Corbyn", date(2021, 1, 1), "GBRLEG"),
        ("Justin Trudeau", date(2014, 1, 1), "CANOPP"),
    ],
)
def test_persons(resolver: ActorResolver, phrase: str, on: date, expected: str) -> None:
    assert code(resolver, phrase, on) == expected


def test_the_chancellor_of_the_exchequer_is_found_by_title(resolver: ActorResolver) -> None:
    actor = resolver.lookup("the British chancellor", on=date(2013, 1, 1))
    assert actor is not None and actor.name == "George Osborne"


def test_one_surname_two_people_goes_to_the_one_in_office(resolver: ActorResolver) -> None:
    actor = resolver.lookup("Hicks", on=date(2017, 10, 1))
    assert actor is not None and actor.name == "Hope Hicks"
    actor = resolver.lookup("Hicks", on=date(2022, 10, 1))
    assert actor is not None and actor.name == "Kathleen Hicks"


# --- first-level divisions read as their country -----------------------------------------
@pytest.mark.parametrize(
    ("phrase", "expected"),
    [
        ("Rakhine militants", "MMRREB"),
        ("the Queensland police", "AUSCOP"),
        ("a court in Balochistan", "PAKJUD"),
        ("Khyber Pakhtunkhwa", "PAK"),
        ("North Kivu", "COD"),
        ("soldiers in Cabo Delgado", "MOZMIL"),
        ("Quebec", "CAN"),
        ("Bavaria", "DEU"),
        ("the Guangdong government", "CHNGOV"),
    ],
)
def test_regions(resolver: ActorResolver, phrase: str, expected: str) -> None:
    assert code(resolver, phrase, date(2021, 1, 1)) == expected


def test_a_region_alone_is_a_place_not_a_government(resolver: ActorResolver) -> None:
    actor = resolver.lookup("Tamil Nadu", on=date(2021, 1, 1))
    assert actor is not None and (actor.country, actor.role, actor.kind) == ("IND", None, "place")


def test_regions_in_running_text(resolver: ActorResolver) -> None:
    from detente.annotate.nlp import load_pipeline

    doc = load_pipeline()("Rebels in North Kivu attacked a village, and Sindh officials said.")
    found = {m.text: m.actor.code for m in resolver.resolve(doc, on=date(2021, 1, 1))}
    assert found.get("Sindh officials") == "PAKGOV"


# --- candidates for a seat are coded by party standing, not as legislators ---------------
def test_senate_candidates_take_their_party_standing(resolver: ActorResolver) -> None:
    from detente.annotate.nlp import load_pipeline

    text = (
        "The Democratic Senate candidate toured a factory on Monday. "
        "Later the Republican Senate nominee answered him."
    )
    found = {m.text: m.actor.code for m in resolver.resolve(load_pipeline()(text), on=ON_2016)}
    assert found.get("Democratic Senate candidate") == "USAGOV"  # Obama's party in 2016
    assert found.get("Republican Senate nominee") == "USAOPP"


def test_a_senate_hopeful_is_no_legislator(resolver: ActorResolver) -> None:
    actor = resolver.lookup("a Senate hopeful", on=ON_2016)
    assert actor is not None and actor.role == "OPP"
    actor = resolver.lookup("the Senate", on=ON_2016)
    assert actor is not None and actor.role == "LEG"


# --- US advocacy groups, media, companies, agencies; a British party leader by date -------------
@pytest.mark.parametrize(
    ("phrase", "on", "expected"),
    [
        ("the NRA", ON_2016, "USACVL"),
        ("Planned Parenthood", ON_2016, "USACVL"),
        ("RealClearPolitics", ON_2016, "USAMED"),
        ("Caltrans", ON_2016, "USAGOV"),
        ("Aetna", ON_2016, "USABUS"),
        ("Nigel Farage", ON_2016, "GBROPP"),  # UKIP leader until November 2016
        ("Nigel Farage", date(2018, 5, 1), "GBRLEG"),  # then a member of the European Parliament
        ("Rihanna", ON_2016, "BRBCVL"),
        ("the Democrat Party", ON_2016, "USAGOV"),  # the partisan form of the name
    ],
)
def test_more_organisations_and_people(
    resolver: ActorResolver, phrase: str, on: date, expected: str
) -> None:
    assert code(resolver, phrase, on) == expected
