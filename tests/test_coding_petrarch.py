"""CAMEO conventions PETRARCH's unit suite tests, on sentences written for these tests."""

from __future__ import annotations

from collections.abc import Callable

import pytest

from detente.annotate.actors import ActorResolver
from detente.annotate.nlp import load_pipeline
from detente.annotate.pipeline import annotate_doc
from detente.coding import code_article
from detente.model import Article, Event

Code = Callable[..., list[Event]]
Dyad = tuple[str | None, str | None, str]


@pytest.fixture(scope="module")
def code() -> Code:
    """Annotate and code a text published on a Monday."""
    nlp = load_pipeline()
    resolver = ActorResolver()

    def run(text: str) -> list[Event]:
        article = Article(id="t", text=text, source="test", published="2024-03-11")
        doc = nlp(text)
        annotate_doc(article, doc, resolver=resolver)
        return code_article(doc, article)

    return run


def dyads(events: list[Event]) -> list[Dyad]:
    """(source code, target code, CAMEO) of each event."""
    return [
        (
            e.source.actor.code if e.source else None,
            e.target.actor.code if e.target else None,
            e.cameo,
        )
        for e in events
    ]


@pytest.mark.parametrize(
    "text",
    [
        "The Chilean foreign minister arrived in Peru on Tuesday for talks on fishing rights.",
        "The Chilean foreign minister visited Peru on Tuesday.",
        "Chile's foreign minister left for Peru on Tuesday for meetings on fishing rights.",
    ],
)
def test_a_visit_is_also_its_hosts_event(code: Code, text: str) -> None:
    found = dyads(code(text))
    assert ("CHLGOV", "PER", "042") in found, found
    assert ("PER", "CHLGOV", "043") in found, found


def test_travellers_are_not_hosted(code: Code) -> None:
    # a host receives officials; people arriving somewhere are no state visit to host
    found = dyads(code("Chilean refugees arrived in Peru on Tuesday."))
    assert all(cameo != "043" for _, _, cameo in found), found


@pytest.fixture(scope="module")
def dictionary_resolver(tmp_path_factory: pytest.TempPathFactory) -> ActorResolver:
    """A user dictionary that, as PETRARCH's do, gives names only a country."""
    path = tmp_path_factory.mktemp("dictionary") / "actors.csv"
    path.write_text(
        "name,aliases,country,role,code,title,kind,start,end\n"
        "Varnava,,CYP,,,,group,,\n"
        "Corvinus Bank,,HUN,,,,group,,\n",
        encoding="utf-8",
    )
    return ActorResolver(dictionaries=[path])


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # a title before a dictionary name that has no role: the person holds the office
        ("Cypriot Foreign Minister Varnava met reporters.", "CYPGOV"),
        ("Cyprus President Varnava met reporters.", "CYPGOV"),
        # without a title the entry stays what the dictionary says
        ("Varnava met reporters.", "CYP"),
        # a name no table knows takes its title as before
        ("Cypriot Foreign Minister Andreas Demetriou met reporters.", "CYPGOV"),
    ],
)
def test_a_title_gives_a_dictionary_name_its_office(
    dictionary_resolver: ActorResolver, text: str, expected: str
) -> None:
    doc = load_pipeline()(text)
    mentions = dictionary_resolver.resolve(doc)
    first = mentions[0]
    assert (first.text, first.actor.code) == (text.split(" met")[0], expected)


def test_a_title_is_no_office_of_an_organisation_after_it(
    dictionary_resolver: ActorResolver,
) -> None:
    # the bank is named after a comma, not titled: "minister" is not its office
    doc = load_pipeline()("The finance minister, Corvinus Bank and the unions met on Monday.")
    codes = [(m.text, m.actor.code) for m in dictionary_resolver.resolve(doc)]
    assert ("Corvinus Bank", "HUN") in codes, codes
