"""Quotations: direct, scare and reported speech, with cue, speaker and addressee spans."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from detente.annotate.quotes import QuoteSpan, find_quotes, paragraphs, quote_marks
from detente.errors import DetenteError
from detente.extract.text import clean_text

if TYPE_CHECKING:
    from spacy.language import Language


@pytest.fixture(scope="module")
def nlp() -> Language:
    """The English pipeline (skips when the model is not installed)."""
    from detente.annotate.nlp import load_pipeline

    try:
        return load_pipeline()
    except DetenteError as err:  # pragma: no cover - the model is a pinned dependency
        pytest.skip(str(err))


def quotes_of(nlp: Language, text: str) -> tuple[str, list[QuoteSpan]]:
    """The document text and its quotes, with every offset checked against the text."""
    doc = nlp(text)
    found = find_quotes(doc)
    for q in found:
        assert doc.text[q.start : q.end] == q.text
        assert q.sentence_start <= q.start and q.end <= q.sentence_end
        if q.cue is not None:
            assert q.cue_start is not None and q.cue_end is not None
            assert doc.text[q.cue_start : q.cue_end] == q.cue
    return doc.text, found


def only(found: list[QuoteSpan], kind: str | None = None) -> QuoteSpan:
    """The one quote (of a kind) that a snippet holds."""
    chosen = [q for q in found if kind is None or q.kind == kind]
    assert len(chosen) == 1, chosen
    return chosen[0]


@pytest.mark.parametrize(
    ("text", "content", "speaker", "cue"),
    [
        (
            "Foreign Minister Anna Berg said: “We will not sign this treaty.”",
            "We will not sign this treaty.",
            "Foreign Minister Anna Berg",
            "said",
        ),
        (
            "“The talks went well,” the spokesman said after the meeting.",
            "The talks went well",
            "the spokesman",
            "said",
        ),
        (
            "“Nobody here wants a trade war,” said Lena Park, the commerce secretary.",
            "Nobody here wants a trade war",
            "Lena Park",
            "said",
        ),
        (
            '"Straight marks are quotes as well," the mayor insisted.',
            "Straight marks are quotes as well",
            "the mayor",
            "insisted",
        ),
        (
            "'Single marks can open a quote too,' the envoy added.",
            "Single marks can open a quote too",
            "the envoy",
            "added",
        ),
        (
            "The ambassador wrote on Twitter: “Our doors remain open to dialogue.”",
            "Our doors remain open to dialogue.",
            "The ambassador",
            "wrote on Twitter",
        ),
    ],
)
def test_speaker_before_or_after(
    nlp: Language, text: str, content: str, speaker: str, cue: str
) -> None:
    doc_text, found = quotes_of(nlp, text)
    q = only(found)
    assert (q.text, q.direct, q.kind) == (content, True, "statement")
    assert q.speaker_text(doc_text) == speaker
    assert q.cue == cue


@pytest.mark.parametrize(
    "text",
    [
        "“We are ready to talk,” she said. “The offer stands until Friday.”",
        "“We are ready to talk,” she said, “but the offer will not wait forever.”",
    ],
)
def test_split_quote_parts_share_the_speaker(nlp: Language, text: str) -> None:
    doc_text, found = quotes_of(nlp, text)
    assert [q.kind for q in found] == ["statement", "statement"]
    assert [q.speaker_text(doc_text) for q in found] == ["she", "she"]


def test_quote_over_two_paragraphs_is_one_quote(nlp: Language) -> None:
    text = (
        "“The first paragraph of the statement sets out our position on the border.\n\n"
        "“The second paragraph closes it, and we stand by every word,” the minister said."
    )
    doc_text, found = quotes_of(nlp, text)
    q = only(found)
    assert q.text.startswith("The first paragraph") and q.text.endswith("every word")
    assert q.closed and q.speaker_text(doc_text) == "the minister"


def test_missing_closing_mark_closes_at_paragraph_end(nlp: Language) -> None:
    text = (
        "Mayor Ruth Olsen said: “The bridge will reopen in the spring, as promised.\n\n"
        "Traffic on the ring road was light on Monday."
    )
    doc_text, found = quotes_of(nlp, text)
    q = only(found)
    assert q.text == "The bridge will reopen in the spring, as promised."
    assert not q.closed
    assert q.speaker_text(doc_text) == "Mayor Ruth Olsen"


def test_partial_quote_has_speaker_and_addressee(nlp: Language) -> None:
    text = (
        "Chancellor Weber told Prime Minister Dale that the agreement was "
        "“a turning point for both of our nations.”"
    )
    doc_text, found = quotes_of(nlp, text)
    q = only(found)
    assert q.kind == "statement" and q.direct
    assert q.text == "a turning point for both of our nations."
    assert q.speaker_text(doc_text) == "Chancellor Weber"
    assert q.addressee == "Prime Minister Dale"


@pytest.mark.parametrize(
    ("text", "label"),
    [
        ("The ministry described the talks as a “frank” exchange of views.", "frank"),
        ("He dismissed the report as “fake news” during a visit to the port.", "fake news"),
        ("Lopez, whom she called her “old ally,” arrived in the capital on Tuesday.", "old ally"),
        ("The two “mirror” agreements were signed in separate rooms.", "mirror"),
        ("She appeared on “Meet the Press” on Sunday morning.", "Meet the Press"),
    ],
)
def test_scare_quotes_are_not_statements(nlp: Language, text: str, label: str) -> None:
    _, found = quotes_of(nlp, text)
    assert [(q.text.rstrip(".,"), q.kind, q.direct) for q in found if q.direct] == [
        (label, "scare", True)
    ]


def test_short_quote_next_to_its_cue_is_a_statement(nlp: Language) -> None:
    doc_text, found = quotes_of(nlp, "“Absolutely not,” the senator replied.")
    q = only(found)
    assert (q.text, q.kind) == ("Absolutely not", "statement")
    assert q.speaker_text(doc_text) == "the senator"


@pytest.mark.parametrize(
    ("text", "content", "speaker", "cue", "addressee"),
    [
        (
            "The president said the country will keep pushing for a ceasefire.",
            "the country will keep pushing for a ceasefire",
            "The president",
            "said",
            None,
        ),
        (
            "The central bank warned that prices could rise again next year.",
            "prices could rise again next year",
            "The central bank",
            "warned",
            None,
        ),
        (
            "Officials told reporters that the convoy had been delayed at the border.",
            "the convoy had been delayed at the border",
            "Officials",
            "told",
            "reporters",
        ),
        (
            "According to the Kremlin, the two leaders spoke by phone on Friday.",
            "the two leaders spoke by phone on Friday",
            "the Kremlin",
            "According to",
            None,
        ),
    ],
)
def test_reported_speech_is_indirect(
    nlp: Language, text: str, content: str, speaker: str, cue: str, addressee: str | None
) -> None:
    doc_text, found = quotes_of(nlp, text)
    q = only(found)
    assert (q.text, q.direct, q.kind) == (content, False, "indirect")
    assert q.speaker_text(doc_text) == speaker
    assert (q.cue, q.addressee) == (cue, addressee)


def test_pronoun_speaker_and_addressee(nlp: Language) -> None:
    text = "The minister arrived late. “We need more time,” he told CNN on Monday."
    doc_text, found = quotes_of(nlp, text)
    q = only(found)
    assert q.speaker_text(doc_text) == "he"
    assert q.speaker_start == doc_text.index("he told")
    assert (q.cue, q.addressee) == ("told", "CNN")


def test_next_sentence_inherits_within_the_paragraph(nlp: Language) -> None:
    text = (
        "“The harvest was good this year,” said Marta Kovacs, a farmer. "
        "“Prices are another matter.”\n\n"
        "“Nobody knows what comes next.”"
    )
    doc_text, found = quotes_of(nlp, text)
    assert [q.speaker_text(doc_text) for q in found] == ["Marta Kovacs"] * 3
    assert [q.inherited for q in found] == [False, True, True]


def test_no_speaker_is_invented(nlp: Language) -> None:
    text = "The vote was delayed again.\n\n“Nothing has been decided yet.”"
    _, found = quotes_of(nlp, text)
    q = only(found)
    assert q.kind == "statement" and q.speaker_start is None and q.speaker_end is None


APOSTROPHES = (
    "Erdoğan's aides don't expect the Workers' Party to attend; the ministers’ "
    "talks and Russia’s offer weren't mentioned in the '90s either."
)


def test_apostrophes_are_not_quote_marks(nlp: Language) -> None:
    assert quote_marks(APOSTROPHES) == []
    assert quotes_of(nlp, APOSTROPHES)[1] == []


def test_nested_single_quotes_stay_inside() -> None:
    text = "“She told me ‘never again’ and left,” he said."
    assert quote_marks(text) == [(1, text.index("”") - 1, True)]


def test_doubled_apostrophes_are_double_marks() -> None:
    text = "''It was a long night,'' said the mayor."
    ((start, end, closed),) = quote_marks(text)
    assert text[start:end] == "It was a long night" and closed


def test_mid_sentence_line_break_is_one_paragraph() -> None:
    text = "They have developed strong ties over\n\nthe years.\n\nA new paragraph."
    assert len(paragraphs(text)) == 2


@settings(max_examples=300, deadline=None)
@given(st.text(alphabet=st.sampled_from(list("ab \n“”‘’\"'.,:")), max_size=60))
def test_mark_pairing_never_fails(text: str) -> None:
    for start, end, _ in quote_marks(text):
        assert 0 <= start < end <= len(text)


@settings(
    max_examples=12, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    st.text(
        alphabet=st.sampled_from(list("Ab said he “”‘’\"'.,:;\n—"))
        | st.characters(exclude_categories=["Cs"]),
        max_size=120,
    )
)
def test_find_quotes_never_raises(nlp: Language, text: str) -> None:
    doc = nlp(text)
    for q in find_quotes(doc):
        assert doc.text[q.start : q.end] == q.text


# ../shared/samples: every direct quotation with its speaker, and the labels kept apart.
# {sample: ({start of a statement: speaker as written}, [scare quotes])}
SAMPLES: dict[str, tuple[dict[str, str], list[str]]] = {
    "000": (
        {
            "Your victory in these elections": "Putin",
            "clear evidence of the Turkish": "Putin",
            "highly values your personal": "Putin",
            "readiness to continue": "Putin",
        },
        ["dear friend", "great significance"],
    ),
    "001": (
        {
            "We have not reached a stage": "Erdogan",
            "We are a strong country": "He",
            "Russia and Turkey need": "He",
            "Dear Russian friends": "he",
            "If you want our friendship": "Kilicdaroglu",
            "The West is not leading": "he",
            "You need a balanced approach": "he",
            "This was made possible": "he",
            "Not ready for Sweden": "He",
            "As long as Sweden continues": "Erdogan",
            "We are not ready for Sweden now": "He",
            "Is a dictator running a runoff?": "he",
            "I’m not someone who likes": "he",
            "The people are going to be": "he",
        },
        [
            "special",
            "state-driven",
            "separate",
            "pro-Ukrainian neutrality",
            "autocrat",
            "encourage",
        ],
    ),
    "002": (
        {
            "Türkiye is ready to cooperate": "The Turkish president",
            "We have discussions": "Erdoğan",
        },
        [],
    ),
    "003": (
        {
            "restore dialogue, relations": "President Putin",
            "Your visit today": "Putin",
            "I know that I was one": "Putin",
            "I want to say once again": "Putin",
            "enter into a very different phase": "The Turkish president",
        },
        ["happy"],
    ),
    "004": (
        {
            "because he didn't get what he wanted": "Hüseyin Bagci",
            "We support Ukraine.": "Baykar chairman Haluk Bayraktar",
        },
        ["never will"],
    ),
}


@pytest.mark.parametrize("prefix", sorted(SAMPLES))
def test_samples_quotes_and_speakers(nlp: Language, shared_dir: Path, prefix: str) -> None:
    (path,) = sorted((shared_dir / "samples").glob(f"{prefix}_*.txt"))
    text = clean_text(path.read_text(encoding="utf-8")).text
    doc_text, found = quotes_of(nlp, text)
    expected, labels = SAMPLES[prefix]
    statements = {q.text: q.speaker_text(doc_text) for q in found if q.kind == "statement"}
    assert len(statements) == len(expected), sorted(statements)
    for start, speaker in expected.items():
        (match,) = [quote for quote in statements if quote.startswith(start)]
        assert statements[match] == speaker, (start, statements[match])
    scare = [q.text.rstrip(".,") for q in found if q.kind == "scare"]
    assert scare == labels
