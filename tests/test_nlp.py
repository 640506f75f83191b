"""The spaCy loader: the fast attribute rules give spaCy's results; the cached text is the text."""

from __future__ import annotations

import pytest

from detente.annotate.nlp import doc_text, load_pipeline

ATTRS = ("TAG", "POS", "MORPH", "LEMMA", "DEP", "HEAD")

TEXTS = [
    "There are talks in Ankara, and there is a deal. I'd say he's gonna sign it.",
    "Y'all ain't seen nothing; let's go, c'mon. Gotta say that the envoy, who was there, left.",
    "  \n\nTurkey said it would not apologize.\n\n\n\tRussia's Foreign Ministry said so.",
    "Whether or not they agree, something must be done because everyone knows it.",
    "",
]


@pytest.mark.parametrize("text", TEXTS)
def test_fast_attributes_match_the_attribute_ruler(text: str) -> None:
    from spacy.attrs import IDS

    nlp = load_pipeline()
    assert "attributes" in nlp.pipe_names and "attribute_ruler" not in nlp.pipe_names
    ruler, fast = nlp.get_pipe("attribute_ruler"), nlp.get_pipe("attributes")
    with nlp.select_pipes(disable=["attributes", "lemmatizer", "ner"]):
        parsed = nlp(text)
    expected, got = ruler(parsed.copy()), fast(parsed.copy())
    ids = [IDS[a] for a in ATTRS]
    assert got.to_array(ids).tolist() == expected.to_array(ids).tolist()
    assert [str(t.morph) for t in got] == [str(t.morph) for t in expected]


def test_doc_text_is_the_text_and_is_cached() -> None:
    doc = load_pipeline().make_doc("Ankara said so.  Moscow agreed.")
    assert doc_text(doc) == doc.text
    assert doc_text(doc) is doc_text(doc)
    assert doc_text(load_pipeline().make_doc("")) == ""
