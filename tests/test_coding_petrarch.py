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
