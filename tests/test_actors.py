"""Actor resolution: countries, institutions, IGOs, persons and their later mentions.

Every sentence here was written for these tests. spaCy is loaded once for the module.
"""

from __future__ import annotations

import itertools
import json
import re
from datetime import date
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from spacy.language import Language

from detente.annotate.actors import ActorResolver, fold, load_dictionary
from detente.errors import InputError
from detente.model import Mention

DOCS = Path(__file__).resolve().parent.parent / "docs" / "actor-dictionaries.md"
ON = date(2023, 6, 15)


@pytest.fixture(scope="module")
def resolver() -> ActorResolver:
    return ActorResolver()


@pytest.fixture(scope="module")
def nlp() -> Language:
    from detente.annotate.nlp import load_pipeline

    return load_pipeline()


def mentions(nlp: Language, resolver: ActorResolver, text: str, on: date = ON) -> list[Mention]:
    found = resolver.resolve(nlp(text), on=on)
    for m in found:
        assert text[m.start : m.end] == m.text
    return found


def by_text(found: list[Mention], text: str) -> Mention:
    hits = [m for m in found if m.text == text]
    assert hits, f"no mention {text!r} in {[m.text for m in found]}"
    return hits[0]


def code(resolver: ActorResolver, phrase: str, on: date = ON) -> str | None:
    actor = resolver.lookup(phrase, on=on)
    return None if actor is None else actor.code


# --- countries, demonyms, capitals, institutions, IGOs ------------------------------------
@pytest.mark.parametrize(
    ("phrase", "expected"),
    [
        ("Turkey", "TUR"),
        ("Türkiye", "TUR"),
        ("Turkiye", "TUR"),
        ("Russian Federation", "RUS"),
        ("Great Britain", "GBR"),
        ("the U.S.", "USA"),
        ("America", "USA"),
        ("Ivory Coast", "CIV"),
        ("Côte d'Ivoire", "CIV"),
        ("Czech Republic", "CZE"),
        ("Burma", "MMR"),
        ("Holland", "NLD"),
        ("North Korea", "PRK"),
        ("Republic of China", "TWN"),
        ("PRC", "CHN"),
        ("UAE", "ARE"),
        ("DRC", "COD"),
        ("Holy See", "VAT"),
        ("West Bank", "PSE"),
        ("Kosovo", "XKX"),
    ],
)
def test_country_names_and_variants(resolver: ActorResolver, phrase: str, expected: str) -> None:
    actor = resolver.lookup(phrase, on=ON)
    assert actor is not None
    assert (actor.code, actor.country, actor.role, actor.kind) == (
        expected,
        expected,
        None,
        "country",
    )


@pytest.mark.parametrize(
    ("phrase", "expected"),
    [
        ("Turkish officials", "TURGOV"),
        ("Russian troops", "RUSMIL"),
        ("the Turkish military", "TURMIL"),
        ("Ukrainian police", "UKRCOP"),
        ("Israeli lawmakers", "ISRLEG"),
        ("Swedish prosecutors", "SWEJUD"),
        ("Emirati diplomats", "AREGOV"),
        ("Iranian state media", "IRNMED"),
        ("Syrian refugees", "SYRREF"),
        ("Russia's Black Sea Fleet", "RUSMIL"),
        ("Germany's foreign ministry", "DEUGOV"),
        ("Kyiv police", "UKRCOP"),
        ("Kurdish militants", None),  # no country: unresolved (never a bare REB)
        ("Fijian rebels", "FJIREB"),
        ("the Samoan government", "WSMGOV"),
        ("Puerto Rican officials", "PRIGOV"),
        ("the Georgian opposition coalition", "GEOOPP"),
    ],
)
def test_demonyms_and_role_words(resolver: ActorResolver, phrase: str, expected: str) -> None:
    assert code(resolver, phrase) == expected


@pytest.mark.parametrize(
    ("phrase", "expected"),
    [
        ("Kremlin", "RUSGOV"),
        ("the White House", "USAGOV"),
        ("the Pentagon", "USAMIL"),
        ("Élysée", "FRAGOV"),
        ("Elysee Palace", "FRAGOV"),
        ("Downing Street", "GBRGOV"),
        ("Foggy Bottom", "USAGOV"),
        ("Knesset", "ISRLEG"),
        ("the Duma", "RUSLEG"),
        ("Grand National Assembly", "TURLEG"),
        ("Bundestag", "DEULEG"),
        ("Congress", "USALEG"),
        ("FSB", "RUSSPY"),
        ("Ankara", "TURGOV"),
        ("Moscow", "RUSGOV"),
        ("Kiev", "UKRGOV"),
        ("Brussels", "IGOEU"),
    ],
)
def test_institutions_and_capitals(resolver: ActorResolver, phrase: str, expected: str) -> None:
    assert code(resolver, phrase) == expected


@pytest.mark.parametrize(
    ("phrase", "expected", "role"),
    [
        ("NATO", "IGONATO", "IGO"),
        ("United Nations", "IGOUNO", "IGO"),
        ("UN Security Council", "IGOUNO", "IGO"),
        ("IAEA", "IGOUNO", "IGO"),
        ("World Health Organization", "IGOUNO", "HLH"),
        ("European Commission", "IGOEU", "GOV"),
        ("EU", "IGOEU", "IGO"),
        ("Shanghai Cooperation Organisation", "IGOSCO", "IGO"),
        ("OPEC", "IGOOPEC", "IGO"),
        ("African Union", "IGOAU", "IGO"),
    ],
)
def test_igos_have_no_country(
    resolver: ActorResolver, phrase: str, expected: str, role: str
) -> None:
    actor = resolver.lookup(phrase, on=ON)
    assert actor is not None
    assert (actor.code, actor.country, actor.role) == (expected, None, role)


def test_short_acronyms_match_only_in_capitals(resolver: ActorResolver) -> None:
    assert resolver.lookup("who", on=ON) is None
    assert resolver.lookup("us", on=ON) is None
    assert code(resolver, "WHO") == "IGOUNO"


# --- persons and dates ------------------------------------------------------------------------
@pytest.mark.parametrize(
    ("phrase", "on", "expected", "title"),
    [
        ("Joe Biden", date(2016, 3, 1), "USAGOV", "Vice President"),
        ("Joe Biden", date(2023, 3, 1), "USAGOV", "President"),
        ("Joe Biden", date(2026, 3, 1), "USACVL", None),
        ("Erdogan", date(2012, 3, 1), "TURGOV", "Prime Minister"),
        ("Erdoğan", date(2020, 3, 1), "TURGOV", "President"),
        ("Putin", date(2010, 3, 1), "RUSGOV", "Prime Minister"),
        (
            "Hakan Fidan",
            date(2019, 3, 1),
            "TURSPY",
            "Head of the National Intelligence Organization",
        ),
        ("Hakan Fidan", date(2024, 3, 1), "TURGOV", "Foreign Minister"),
        ("Kemal Kılıçdaroğlu", date(2019, 3, 1), "TUROPP", "CHP Leader"),
        ("Kemal Kilicdaroglu", date(2025, 3, 1), "TURCVL", None),
        ("Stoltenberg", date(2020, 3, 1), "IGONATO", "Secretary General of NATO"),
        ("Volodymyr Zelensky", date(2015, 3, 1), "UKRCVL", None),
    ],
)
def test_a_persons_role_depends_on_the_date(
    resolver: ActorResolver, phrase: str, on: date, expected: str, title: str | None
) -> None:
    actor = resolver.lookup(phrase, on=on)
    assert actor is not None
    assert (actor.code, actor.title) == (expected, title)


def test_titles_in_a_phrase(resolver: ActorResolver) -> None:
    tokayev = resolver.lookup("President Kassym-Jomart Tokayev", on=ON)
    assert tokayev is not None
    assert (tokayev.name, tokayev.code, tokayev.kind) == (
        "Kassym-Jomart Tokayev",
        "KAZGOV",
        "person",
    )
    lavrov = resolver.lookup("Russian Foreign Minister Sergei Lavrov", on=ON)
    assert lavrov is not None and lavrov.code == "RUSGOV" and lavrov.title == "Foreign Minister"
    assert code(resolver, "former President Nursultan Nazarbayev") == "KAZCVL"
    # an unknown person takes country and role from the title, never from the name
    molano = resolver.lookup("Chilean Defence Minister Ana Rojas", on=ON)
    assert molano is not None and (molano.name, molano.code) == ("Ana Rojas", "CHLGOV")
    assert resolver.lookup("Ana Rojas", on=ON) is None
    # a title alone names the office holder of the day
    holder = resolver.lookup("the Armenian prime minister", on=ON)
    assert holder is not None and holder.name == "Nikol Pashinyan"


def test_accents_and_spellings_are_one_person(resolver: ActorResolver) -> None:
    assert fold("Kılıçdaroğlu") == fold("Kilicdaroglu") == "kilicdaroglu"
    assert resolver.lookup("Erdoğan", on=ON) == resolver.lookup("Erdogan", on=ON)
    assert resolver.lookup("Mevlüt Çavuşoğlu", on=ON) == resolver.lookup("Mevlut Cavusoglu", on=ON)
    assert resolver.lookup("Zelenskyy", on=ON) == resolver.lookup("Zelensky", on=ON)


# --- documents ------------------------------------------------------------------------------
def test_persons_with_titles_in_a_document(nlp: Language, resolver: ActorResolver) -> None:
    text = (
        "Kazakh President Kassym-Jomart Tokayev received Russian Foreign Minister Sergei Lavrov "
        "in Astana on Monday. Hungary's Orbán sent a message."
    )
    found = mentions(nlp, resolver, text)
    tokayev = by_text(found, "Kazakh President Kassym-Jomart Tokayev")
    assert (tokayev.actor.code, tokayev.actor.name) == ("KAZGOV", "Kassym-Jomart Tokayev")
    lavrov = by_text(found, "Russian Foreign Minister Sergei Lavrov")
    assert lavrov.actor.code == "RUSGOV"
    assert by_text(found, "Astana").actor.code == "KAZ"  # a place, not acting
    assert by_text(found, "Hungary's Orbán").actor.code == "HUNGOV"


def test_follow_ups_resolve_to_the_same_actor(nlp: Language, resolver: ActorResolver) -> None:
    text = (
        "Turkish President Recep Tayyip Erdoğan opened the new bridge on Saturday. "
        "Erdogan praised the engineers who built it. "
        "The Turkish leader also spoke about the economy. "
        "He said inflation would fall next year."
    )
    found = mentions(nlp, resolver, text)
    first = by_text(found, "Turkish President Recep Tayyip Erdoğan")
    assert first.actor.code == "TURGOV"
    surname = by_text(found, "Erdogan")
    title = by_text(found, "Turkish leader")
    pronoun = by_text(found, "He")
    assert surname.actor == title.actor == pronoun.actor == first.actor
    assert (title.via, pronoun.via) == ("title", "pronoun")


def test_text_persons_and_their_surnames(nlp: Language, resolver: ActorResolver) -> None:
    text = (
        "Baykar chief executive Haluk Bayraktar said the company would open a plant abroad. "
        "Bayraktar did not say when. "
        "Mehmet Aydın, director of the Turkish Institute of Regional Studies, was sceptical."
    )
    found = mentions(nlp, resolver, text)
    ceo = by_text(found, "Baykar chief executive Haluk Bayraktar")
    assert (ceo.actor.name, ceo.actor.code) == ("Haluk Bayraktar", "TURBUS")
    later = by_text(found, "Bayraktar")
    assert later.actor == ceo.actor and later.via == "surname"
    analyst = by_text(found, "Mehmet Aydın")
    assert analyst.actor.code == "TUREDU"


def test_the_opposition_leader_from_the_table(nlp: Language, resolver: ActorResolver) -> None:
    text = "Kemal Kilicdaroglu, his main rival, promised to send the refugees home."
    found = mentions(nlp, resolver, text, on=date(2023, 5, 10))
    assert by_text(found, "Kemal Kilicdaroglu").actor.code == "TUROPP"


def test_capitals_act_only_when_they_act(nlp: Language, resolver: ActorResolver) -> None:
    text = "Ankara said it would reply. The talks were held in Moscow. Washington warned Tehran."
    found = mentions(nlp, resolver, text)
    assert by_text(found, "Ankara").actor.code == "TURGOV"
    assert by_text(found, "Ankara").via == "metonym"
    assert by_text(found, "Moscow").actor.code == "RUS"
    assert by_text(found, "Moscow").actor.kind == "place"
    assert by_text(found, "Washington").actor.code == "USAGOV"
    assert by_text(found, "Tehran").actor.code == "IRNGOV"


def test_groups_and_institutions_in_a_document(nlp: Language, resolver: ActorResolver) -> None:
    text = (
        "Russian troops shelled the town while the Kremlin denied it. "
        "Turkish officials met NATO envoys, and the Knesset debated the bill."
    )
    found = mentions(nlp, resolver, text)
    assert by_text(found, "Russian troops").actor.code == "RUSMIL"
    assert by_text(found, "Kremlin").actor.code == "RUSGOV"
    assert by_text(found, "Turkish officials").actor.code == "TURGOV"
    assert by_text(found, "Knesset").actor.code == "ISRLEG"
    assert any(m.actor.code == "IGONATO" for m in found)


def test_drone_and_company_names_are_not_persons(nlp: Language, resolver: ActorResolver) -> None:
    text = (
        "Kyiv received more Bayraktar TB2 drones made by Baykar, and the Akkuyu nuclear plant "
        "got its fuel. The Kremlin welcomed the delivery."
    )
    found = mentions(nlp, resolver, text)
    assert not [m for m in found if "TB2" in m.text or m.text.startswith("Bayraktar")]
    assert not [m for m in found if m.actor.kind == "person"]
    assert by_text(found, "Baykar").actor.code == "TURBUS"
    assert by_text(found, "Kremlin").actor.code == "RUSGOV"


def test_a_title_alone_names_the_holder(nlp: Language, resolver: ActorResolver) -> None:
    found = mentions(nlp, resolver, "The Russian president said talks were possible.")
    title = by_text(found, "Russian president")
    assert (title.actor.name, title.via) == ("Vladimir Putin", "title")


def test_mentions_are_ordered_and_exact(nlp: Language, resolver: ActorResolver) -> None:
    text = (
        "Swedish Prime Minister Ulf Kristersson flew to Ankara, where Türkiye’s parliament "
        "was debating Sweden's bid to join NATO. He met Hakan Fidan, Türkiye's top diplomat.\n\n"
        "Russia's ambassador to Sweden criticised the visit."
    )
    found = mentions(nlp, resolver, text, on=date(2023, 11, 20))
    starts = [m.start for m in found]
    assert starts == sorted(starts)
    for left, right in itertools.pairwise(found):
        assert left.end <= right.start or left.via == "pronoun" or right.via == "pronoun"
    assert by_text(found, "Türkiye’s parliament").actor.code == "TURLEG"
    assert by_text(found, "He").actor.name == "Ulf Kristersson"
    assert by_text(found, "Hakan Fidan").actor.code == "TURGOV"


@settings(max_examples=60, deadline=None)
@given(st.text(max_size=80))
def test_lookup_never_raises(text: str) -> None:
    resolver = _shared_resolver()
    actor = resolver.lookup(text, on=ON)
    assert actor is None or actor.name


def _shared_resolver() -> ActorResolver:
    global _RESOLVER
    if _RESOLVER is None:
        _RESOLVER = ActorResolver()
    return _RESOLVER


_RESOLVER: ActorResolver | None = None


def test_on_defaults_to_today(resolver: ActorResolver) -> None:
    assert resolver.lookup("Joe Biden") == resolver.lookup("Joe Biden", on=date.today())


# --- user dictionaries ----------------------------------------------------------------------
def _doc_blocks(language: str) -> list[str]:
    text = DOCS.read_text(encoding="utf-8")
    return re.findall(rf"```{language}\n(.*?)```", text, flags=re.S)


def test_the_documented_dictionary_overrides_and_adds(nlp: Language, tmp_path: Path) -> None:
    csv_file = tmp_path / "actors.csv"
    csv_file.write_text(_doc_blocks("csv")[0], encoding="utf-8")
    builtin = ActorResolver()
    user = ActorResolver(dictionaries=[csv_file])
    assert code(builtin, "Wagner Group") == "RUSUAF"
    assert code(user, "Wagner Group") == "RUSMIL"  # overridden
    assert code(user, "PMC Wagner") == "RUSMIL"
    assert builtin.lookup("Haluk Bayraktar", on=ON) is None
    added = user.lookup("Haluk Bayraktar", on=ON)
    assert added is not None and (added.code, added.title) == (
        "TURBUS",
        "Chief Executive of Baykar",
    )
    found = user.resolve(nlp("Haluk Bayraktar spoke at the fair."), on=ON)
    assert found[0].actor == added and found[0].via == "dictionary"


def test_the_documented_formats_agree(tmp_path: Path) -> None:
    csv_file = tmp_path / "actors.csv"
    csv_file.write_text(_doc_blocks("csv")[0], encoding="utf-8")
    jsonl_file = tmp_path / "actors.jsonl"
    jsonl_file.write_text(_doc_blocks("jsonl")[0], encoding="utf-8")
    assert load_dictionary(csv_file)[0].offices == load_dictionary(jsonl_file)[0].offices
    dated = tmp_path / "dated.csv"
    dated.write_text(_doc_blocks("csv")[1], encoding="utf-8")
    resolver = ActorResolver(dictionaries=[dated])
    assert code(resolver, "Stoltenberg", date(2010, 1, 1)) == "NORGOV"
    assert code(resolver, "Stoltenberg", date(2020, 1, 1)) == "IGONATO"
    assert code(resolver, "Stoltenberg", date(2014, 1, 1)) == "NORCVL"


@pytest.mark.parametrize(
    ("row", "message"),
    [
        ("X,,TRK,GOV,,,person,,", "unknown country 'TRK'"),
        ("X,,TUR,BOSS,,,person,,", "unknown role 'BOSS'"),
        ("X,,TUR,GOV,,,person,2020-13,", "bad date"),
        ("X,,TUR,GOV,,,person,2020,2019", "not after start"),
        ("X,,,,,,person,,", "at least a country"),
        ("X,,TUR,GOV,,,robot,,", "unknown kind 'robot'"),
    ],
)
def test_bad_dictionaries_say_what_and_where(tmp_path: Path, row: str, message: str) -> None:
    path = tmp_path / "bad.csv"
    path.write_text("name,aliases,country,role,code,title,kind,start,end\n" + row + "\n")
    with pytest.raises(InputError, match=re.escape(message)) as info:
        load_dictionary(path)
    assert f"{path}:2" in str(info.value)


def test_jsonl_errors_name_the_line(tmp_path: Path) -> None:
    path = tmp_path / "bad.jsonl"
    path.write_text(json.dumps({"name": "X", "country": "TUR"}) + "\nnot json\n")
    with pytest.raises(InputError, match=r"bad\.jsonl:2"):
        load_dictionary(path)


# --- actors in context (the article's country, places inside countries, names) ------------
CAMPAIGN_DAY = date(2016, 3, 1)


def test_a_bare_role_is_never_emitted(nlp: Language, resolver: ActorResolver) -> None:
    found = mentions(nlp, resolver, "The administration said officials would reply.")
    assert all(m.actor.code is None or m.actor.country for m in found)
    assert resolver.lookup("the government", on=ON) is None or (
        resolver.lookup("the government", on=ON).code is None  # type: ignore[union-attr]
    )


def test_role_words_take_the_articles_country(nlp: Language, resolver: ActorResolver) -> None:
    text = (
        "Ohio and Michigan voted on Tuesday. Voters in Texas and Florida followed. "
        "The administration said officials in the Justice Department would reply."
    )
    found = mentions(nlp, resolver, text, CAMPAIGN_DAY)
    administration = by_text(found, "administration")
    assert (administration.actor.code, administration.via) == ("USAGOV", "context")


def test_two_country_stories_leave_role_words_unresolved(
    nlp: Language, resolver: ActorResolver
) -> None:
    text = "Russia and Turkey met in Ankara and Moscow. Officials said the talks went well."
    found = mentions(nlp, resolver, text)
    coded = {m.text for m in found if m.actor.code}
    assert coded == {"Russia", "Turkey", "Ankara", "Moscow"}  # "Officials" stays unresolved


def test_us_states_are_places_in_the_united_states(nlp: Language, resolver: ActorResolver) -> None:
    text = "Trump won Georgia, Texas and New Jersey after campaigning in Atlanta and Ohio."
    found = mentions(nlp, resolver, text, CAMPAIGN_DAY)
    for name in ("Georgia", "Texas", "New Jersey", "Ohio"):
        assert by_text(found, name).actor.country == "USA", name


def test_georgia_the_country_in_a_caucasus_story(nlp: Language, resolver: ActorResolver) -> None:
    text = "Russia and Georgia fought a war in 2008, and Tbilisi still accuses Moscow."
    found = mentions(nlp, resolver, text)
    assert by_text(found, "Georgia").actor.code == "GEO"


def test_a_city_before_a_state_abbreviation(nlp: Language, resolver: ActorResolver) -> None:
    found = mentions(nlp, resolver, "Sanders spoke in Manchester, N.H., on Monday.", CAMPAIGN_DAY)
    assert by_text(found, "Manchester").actor.country == "USA"


def test_a_persons_name_is_not_a_demonym(nlp: Language, resolver: ActorResolver) -> None:
    found = mentions(nlp, resolver, "Mark Cuban said the debate was a mess.", CAMPAIGN_DAY)
    assert all(m.actor.code != "CUB" for m in found)
    assert any(m.text == "Mark Cuban" and m.actor.kind == "person" for m in found)


def test_abbreviated_titles_give_the_role(resolver: ActorResolver) -> None:
    assert code(resolver, "Sen. Jane Roe of Ohio", CAMPAIGN_DAY) == "USALEG"
    assert code(resolver, "Gov. John Doe of Texas", CAMPAIGN_DAY) == "USAGOV"


def test_a_courtesy_title_refers_back_to_the_full_name(
    nlp: Language, resolver: ActorResolver
) -> None:
    text = "Robert Pruzan, a banker in New York, was there. Later Mr. Pruzan left."
    found = mentions(nlp, resolver, text, CAMPAIGN_DAY)
    assert by_text(found, "Mr. Pruzan").actor.name == "Robert Pruzan"


def test_unknown_persons_in_a_one_country_story(nlp: Language, resolver: ActorResolver) -> None:
    text = (
        "Voters in Ohio, Michigan and Texas cheered. Jane Roe, 45, joined the rally in Dayton, "
        "Ohio, with Americans from Florida."
    )
    found = mentions(nlp, resolver, text, CAMPAIGN_DAY)
    roe = by_text(found, "Jane Roe")
    assert (roe.actor.code, roe.via) == ("USACVL", "context")


def test_the_company_refers_back_to_the_organisation_just_named(
    nlp: Language, resolver: ActorResolver
) -> None:
    text = (
        "Microsoft released an emergency fix on Tuesday. The company said the flaw was serious. "
        "A Greek bank was attacked in Athens. The bank said it would reopen."
    )
    found = mentions(nlp, resolver, text)
    company = by_text(found, "company")
    assert (company.actor.name, company.via) == ("Microsoft", "coreference")
    assert by_text(found, "Greek bank").actor.code == "GRCBUS"  # named with its country
    bank = by_text(found, "bank")  # "The bank": that one, not some bank of the article's country
    assert (bank.actor.code, bank.via) == ("GRCBUS", "coreference")


def test_a_role_word_names_an_organisation_only_as_its_head(
    nlp: Language, resolver: ActorResolver
) -> None:
    text = "Hewlett-Packard agreed to buy EYP Mission Critical Facilities, a consulting firm."
    found = mentions(nlp, resolver, text)
    assert all(m.actor.role != "GOV" for m in found)  # "Mission" is no diplomatic mission


def test_surnames_tagged_as_nouns_still_repeat_the_person(
    nlp: Language, resolver: ActorResolver
) -> None:
    # spaCy tags "Rivers" as a plural noun in "Rivers goes big"; standing as a name it is her.
    text = (
        "Ann Rivers spoke in Iowa on Monday. Rivers goes big on health care, her aides "
        "said. Voters cheered Rivers’ decision to stay in the race."
    )
    found = [m for m in mentions(nlp, resolver, text, date(2016, 1, 20)) if m.text == "Rivers"]
    assert len(found) == 2
    assert {(m.actor.name, m.via) for m in found} == {("Ann Rivers", "surname")}


def test_a_common_noun_opening_a_sentence_is_not_a_surname(
    nlp: Language, resolver: ActorResolver
) -> None:
    text = "Tom Price, the health secretary, spoke on Monday. Price increases worried the farmers."
    found = mentions(nlp, resolver, text, date(2017, 3, 1))
    assert [m.text for m in found if m.text == "Price"] == []


# --- titles before unknown names, past titles, headlines -----------------------------------
@pytest.mark.parametrize(
    ("text", "name", "role"),
    [
        ("Rep. Dana Holloway said the bill would pass.", "Rep. Dana Holloway", "LEG"),
        ("Columnist Ruth Abernathy wrote that the plan was bold.", "Columnist Ruth Abernathy",
         "MED"),
        ("The order came from U.S. District Judge Carl Whitmore on Friday.",
         "U.S. District Judge Carl Whitmore", "JUD"),
    ],
)  # fmt: skip
def test_a_title_alone_gives_an_unknown_name_its_office(
    nlp: Language, resolver: ActorResolver, text: str, name: str, role: str
) -> None:
    found = by_text(mentions(nlp, resolver, text, date(2016, 5, 2)), name)
    assert found.actor.role == role


def test_a_past_title_keeps_the_office_held_on_the_day(
    nlp: Language, resolver: ActorResolver
) -> None:
    # in 2016 Hillary Clinton is the nominee (GOV: her party holds the presidency); "former
    # secretary of state" is her past office, not a sign she holds none. Bill Clinton holds none.
    text = (
        "Former secretary of state Hillary Clinton spoke in Ohio on Monday. Former President "
        "Bill Clinton spoke in Iowa."
    )
    found = mentions(nlp, resolver, text, date(2016, 9, 5))
    assert by_text(found, "secretary of state Hillary Clinton").actor.code == "USAGOV"
    assert by_text(found, "President Bill Clinton").actor.code == "USACVL"


def test_the_former_title_refers_back_to_the_one_who_held_it(
    nlp: Language, resolver: ActorResolver
) -> None:
    text = (
        "Hillary Clinton spoke in Ohio on Monday. The former secretary of state said the "
        "economy was strong. The candidate then flew to Iowa."
    )
    found = mentions(nlp, resolver, text, date(2016, 9, 5))
    assert by_text(found, "secretary of state").actor.name == "Hillary Clinton"
    assert by_text(found, "candidate").actor.name == "Hillary Clinton"


def test_a_headline_surname_is_the_person_the_text_names_later(
    nlp: Language, resolver: ActorResolver
) -> None:
    text = (
        "Clinton Rallies Voters In Ohio\n\nHillary Clinton spoke in Ohio on Monday about "
        "factory jobs."
    )
    found = mentions(nlp, resolver, text, date(2016, 9, 5))
    first = min(found, key=lambda m: m.start)
    assert (first.text, first.actor.name) == ("Clinton", "Hillary Clinton")


# --- parties as adjectives, and "the party", "the convention", "her campaign" ----------------
def test_a_party_adjective_before_a_role_word_names_someone_of_that_party(
    nlp: Language, resolver: ActorResolver
) -> None:
    text = (
        "Republican presidential candidates met in Ohio. A Democratic senator objected. "
        "Republican voters cheered. The Republican primary is close."
    )
    found = mentions(nlp, resolver, text, date(2016, 3, 14))
    # the party's own people take its standing (out of office in 2016); an office keeps its role
    assert by_text(found, "Republican presidential candidates").actor.code == "USAOPP"
    assert by_text(found, "Democratic senator").actor.code == "USALEG"
    assert by_text(found, "Republican voters").actor.code == "USACVL"
    # an adjective before no role word names no one
    assert not [m for m in found if m.text.startswith("Republican primary")]
    assert not [m for m in found if m.text == "Republican" and m.start > 90]


def test_the_party_the_convention_and_her_campaign_refer_back(
    nlp: Language, resolver: ActorResolver
) -> None:
    text = (
        "Hillary Clinton spoke at the Democratic National Convention. The convention cheered. "
        "Her campaign said it was pleased. The Democratic Party met later. The party adopted a "
        "platform."
    )
    found = mentions(nlp, resolver, text, date(2016, 7, 28))
    assert by_text(found, "convention").actor.name == "Democratic National Convention"
    assert by_text(found, "campaign").actor.code == "USAGOV"
    assert by_text(found, "party").actor.name == "Democratic Party"
    # with nothing named before, "the party" is no one
    alone = mentions(nlp, resolver, "The party adopted a platform in May.", date(2016, 7, 28))
    assert [m.text for m in alone] == []


def test_a_surname_the_table_files_under_someone_else_is_the_person_named_here(
    nlp: Language, resolver: ActorResolver
) -> None:
    # the table knows "Sanders" as Bernie Sanders; an article about another Sanders means her
    text = "Tom Sanders spoke on Monday. Sanders said the plan was fine."
    found = mentions(nlp, resolver, text, date(2018, 3, 14))
    assert by_text(found, "Tom Sanders").actor.name == "Tom Sanders"
    assert by_text(found, "Sanders").actor.name == "Tom Sanders"
    # a namesake the table knows is herself, with her office on the day
    text = "Sarah Sanders spoke on Monday. Sanders said the plan was fine."
    found = mentions(nlp, resolver, text, date(2018, 3, 14))
    assert by_text(found, "Sarah Sanders").actor.code == "USAGOV"
    assert by_text(found, "Sanders").actor.name == by_text(found, "Sarah Sanders").actor.name
    alone = mentions(nlp, resolver, "Sanders said the plan was fine.", date(2016, 3, 14))
    assert by_text(alone, "Sanders").actor.name == "Bernie Sanders"


def test_an_organisation_no_table_knows_takes_its_sector_and_the_articles_country(
    nlp: Language, resolver: ActorResolver
) -> None:
    text = (
        "Hillary Clinton spoke in Ohio. Barack Obama spoke in Iowa. Harbor Lights Casino laid "
        "off workers, and Citizens for Clean Rivers sued the county. Tom Fitton, the "
        "president of Citizens for Clean Rivers, spoke in Ohio."
    )
    found = mentions(nlp, resolver, text, date(2016, 3, 14))
    assert by_text(found, "Harbor Lights Casino").actor.code == "USABUS"
    assert by_text(found, "Citizens for Clean Rivers").actor.code == "USACVL"


def test_refugees_and_believers_do_not_take_the_articles_country(
    nlp: Language, resolver: ActorResolver
) -> None:
    text = (
        "Hillary Clinton spoke in Ohio. Barack Obama spoke in Iowa. Refugees waited at the "
        "border, and Muslims prayed in Michigan."
    )
    found = mentions(nlp, resolver, text, date(2016, 3, 14))
    assert by_text(found, "Barack Obama").actor.country == "USA"
    groups = [m for m in found if m.text in ("Refugees", "Muslims")]
    assert [m.text for m in groups] == ["Refugees", "Muslims"]
    assert all(m.actor.country is None for m in groups)


def test_followers_of_a_person_and_a_surname_shared_with_a_demonym(
    nlp: Language, resolver: ActorResolver
) -> None:
    text = (
        "Bernie Sanders spoke in Iowa. Sanders supporters cheered. Mark Cuban spoke in Dallas. "
        "Cuban said he liked the plan. Cuban officials met in Havana. Gov. Rick Snyder spoke "
        "in Flint. The governor apologized."
    )
    found = mentions(nlp, resolver, text, date(2016, 3, 14))
    assert by_text(found, "Sanders supporters").actor.code == "USACVL"
    cuban = [m for m in found if m.text == "Cuban"]
    assert [m.actor.name for m in cuban] == ["Mark Cuban"]
    assert by_text(found, "Cuban officials").actor.code == "CUBGOV"
    assert by_text(found, "governor").actor.name == "Rick Snyder"


def test_a_leaders_institution_takes_the_leaders_country(
    nlp: Language, resolver: ActorResolver
) -> None:
    text = "The Bush administration rejected the plan, and the Putin government did too."
    found = mentions(nlp, resolver, text, on=date(2005, 6, 1))
    assert by_text(found, "Bush administration").actor.code == "USAGOV"
    assert by_text(found, "Putin government").actor.code == "RUSGOV"


def test_the_same_surname_is_the_president_of_the_day(resolver: ActorResolver) -> None:
    first = resolver.lookup("President Bush", on=date(1991, 3, 1))
    second = resolver.lookup("President Bush", on=date(2005, 3, 1))
    assert first is not None and second is not None
    assert (first.name, second.name) == ("George H. W. Bush", "George W. Bush")


@pytest.mark.parametrize(
    ("phrase", "expected"),
    [
        ("Union Pacific", "USABUS"),
        ("Petronas", "MYSBUS"),
        ("Telstra", "AUSBUS"),
        ("Yonhap News Agency", "KORMED"),
        ("Mike Honda", None),  # a carmaker's name is no alias of its own: a person here
    ],
)
def test_companies_and_media_of_the_world(
    resolver: ActorResolver, phrase: str, expected: str | None
) -> None:
    assert code(resolver, phrase) == expected


@pytest.mark.parametrize(
    ("phrase", "on", "expected"),
    [
        ("Uhuru Kenyatta", date(2018, 1, 1), "KENGOV"),
        ("Uhuru Kenyatta", date(2023, 6, 1), "KENCVL"),  # out of office
        ("Aleksandar Vucic", date(2020, 1, 1), "SRBGOV"),
        ("Paul Kagame", date(2015, 1, 1), "RWAGOV"),
        ("Andrew Cuomo", date(2015, 1, 1), "USAGOV"),  # a governor
        ("Christopher Wray", date(2019, 1, 1), "USASPY"),  # the FBI director
        ("Nancy Pelosi", date(2020, 1, 1), "USALEG"),  # the Speaker
    ],
)
def test_heads_governors_and_agency_chiefs_by_date(
    resolver: ActorResolver, phrase: str, on: date, expected: str
) -> None:
    assert code(resolver, phrase, on) == expected


def test_a_given_name_alone_repeats_the_person_named_before(
    nlp: Language, resolver: ActorResolver
) -> None:
    text = "Donald Trump spoke in Iowa on Monday. Ted Cruz said he could beat Donald there."
    found = mentions(nlp, resolver, text, date(2016, 1, 25))
    assert by_text(found, "Donald").actor.name == "Donald Trump"
    text = "Mary Quill spoke in Iowa on Monday. Donald said he agreed."
    donald = [m for m in mentions(nlp, resolver, text, date(2016, 1, 25)) if m.text == "Donald"]
    assert all(m.actor.name != "Mary Quill" for m in donald)  # no one named Donald before


def test_a_country_then_today_is_not_the_russian_broadcaster(
    nlp: Language, resolver: ActorResolver
) -> None:
    found = mentions(nlp, resolver, "Taiwan's deputy minister visited Russia today.")
    assert by_text(found, "Russia").actor.code == "RUS"


@pytest.mark.parametrize(
    ("text", "phrase", "expected"),
    [
        ("Soldiers from Moldova crossed the bridge.", "Soldiers", "MDAMIL"),
        ("Opposition groups in Zimbabwe called a strike.", "Opposition groups", "ZWEOPP"),
        ("Officials in Ankara rejected the claim.", "Officials", "TURGOV"),
        ("The government of Peru resigned on Monday.", "government", "PERGOV"),
        # troops and refugees in a country need not be of it: left without a country
        ("Troops in Syria shelled the town.", "Troops", None),
        ("Refugees in Lebanon marched to the border.", "Refugees", None),
    ],
)
def test_a_role_takes_its_country_from_its_prepositional_phrase(
    nlp: Language, resolver: ActorResolver, text: str, phrase: str, expected: str | None
) -> None:
    assert by_text(mentions(nlp, resolver, text), phrase).actor.code == expected


def test_names_split_at_spaces_are_split_as_spacy_splits_them() -> None:
    # the gazetteer's fast path: every built-in name it splits at its spaces gets the tokens
    # spaCy's tokenizer gives, and the exceptions still go through the tokenizer
    from detente.annotate.actors._base import _PLAIN
    from detente.annotate.actors._tables import builtin_tables

    resolver = ActorResolver()
    tokenizer = resolver._tokenizer
    tables = builtin_tables()
    phrases = [n for e in tables.entities for n in (e.name, *e.aliases)]
    phrases += [n for p in tables.places for n in p.names]
    fast = [p for p in phrases if _PLAIN.match(p)]
    assert len(fast) > 10_000
    for phrase in fast:
        assert resolver._split(phrase) == [t.text for t in tokenizer(phrase)], phrase
    assert resolver._split("cannot stop") == ["can", "not", "stop"]
    assert resolver._split("U.S. Senate") == [t.text for t in tokenizer("U.S. Senate")]
