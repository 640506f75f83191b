"""Snippet tests for the plain-text cleaner: what must stay, what must go."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from detente import settings as detente_settings
from detente.errors import LimitExceededError
from detente.extract.document import extract_document
from detente.extract.text import clean_text, strip_markup
from detente.model import Article, RawDocument

BODY_1 = (
    "Turkish and Russian negotiators met in Istanbul on Friday to discuss the grain corridor, "
    "officials from both delegations said after the talks ended late in the evening."
)
BODY_2 = (
    "The talks focused on insurance for ships and on the inspection regime at the Bosphorus, "
    "according to a statement released by the Turkish defence ministry."
)


def _page(*lines: str) -> str:
    return "\n\n".join(lines)


def test_keeps_body_and_title() -> None:
    result = clean_text(_page("Grain talks resume in Istanbul", BODY_1, BODY_2))
    assert result.title == "Grain talks resume in Istanbul"
    assert result.text == f"{BODY_1}\n\n{BODY_2}"
    assert result.removed == []


def test_drops_each_kind_of_boilerplate() -> None:
    noise = [
        "Wir verwenden Cookies, um Ihnen das beste Erlebnis auf unserer Website zu bieten.",
        "We use cookies to improve your experience on our site. Accept all",
        "Sign up for our daily newsletter",
        "Related article: Black Sea shipping insurers raise premiums",
        "READ MORE: What the grain deal means for Africa",
        "PREV Celebrity chef opens a restaurant on the Moon",
        "NEXT Ten gadgets you need this winter",
        "Photo: Reuters / Umit Bektas",
        "Advertisement",
        "Follow us on Telegram - JOIN NOW",
        "© 2023 The Bosphorus Ledger. All rights reserved.",
    ]
    result = clean_text(_page("Grain talks resume in Istanbul", BODY_1, *noise, BODY_2))
    assert result.text == f"{BODY_1}\n\n{BODY_2}"
    assert set(noise) <= set(result.removed)


def test_dateline_byline_and_original_url() -> None:
    page = _page(
        "Grain talks resume in Istanbul",
        "By [Ayşe Demir](https://example.org/authors/ad)",
        "Fri Jul 22, 2022 18:40PM",
        BODY_1,
        "Original url:",
        "<https://example.org/world/grain-talks>",
    )
    result = clean_text(page)
    assert result.published == "2022-07-22"
    assert result.published_source == "dateline"
    assert result.author == "Ayşe Demir"
    assert result.url == "https://example.org/world/grain-talks"
    assert result.text == BODY_1


def test_date_from_url_when_text_has_none() -> None:
    result = clean_text(_page("Talks", BODY_1), url="https://example.org/2022/07/22/talks")
    assert result.published == "2022-07-22"
    assert result.published_source == "url"


def test_bare_year_is_not_a_date() -> None:
    result = clean_text(_page("Grain talks resume", BODY_1, "Copyright 2023"))
    assert result.published is None


def test_rejoins_sentence_broken_across_paragraphs() -> None:
    page = _page("Talks", "The two delegations have held regular meetings since", "the spring.")
    result = clean_text(page + "\n\n" + BODY_2)
    assert "meetings since the spring." in result.text


def test_does_not_join_a_new_sentence() -> None:
    result = clean_text(_page("Talks", BODY_1, BODY_2))
    assert len(result.text.split("\n\n")) == 2


def test_drops_paragraph_in_another_language() -> None:
    turkish = (
        "Bu web sitesinde size daha iyi hizmet sunabilmek için bazı teknik veriler toplanmakta "
        "ve analiz edilmektedir."
    )
    result = clean_text(_page("Talks", BODY_1, turkish, BODY_2))
    assert turkish not in result.text
    assert result.language == "en"


def test_drops_repeated_headline_and_lede() -> None:
    lede = "Negotiators met again in Istanbul on Friday."
    page = _page("Grain talks resume", lede, "Grain talks resume", f"{lede} {BODY_1}")
    result = clean_text(page)
    assert result.text.count("Negotiators met again") == 1
    assert "Grain talks resume" not in result.text


def test_footer_teasers_after_the_story() -> None:
    page = _page("Talks", BODY_1, BODY_2, "Join the mailing list", "The Long Game - by A. Writer")
    result = clean_text(page)
    assert result.text == f"{BODY_1}\n\n{BODY_2}"


def test_markdown_is_stripped() -> None:
    assert strip_markup("## A **bold** [link](https://x.org) and <https://y.org>") == (
        "A bold link and https://y.org"
    )


def test_outlet_from_wire_prefix() -> None:
    result = clean_text(_page("Grain talks resume", f"(Caspian Wire) — {BODY_1}"))
    assert result.outlet == "Caspian Wire"


def test_a_long_paragraph_mentioning_cookies_is_kept() -> None:
    paragraph = (
        "The European Commission said on Tuesday that the new rules on cookies and consent "
        "banners would apply from next year, after months of negotiations between member "
        "states, the parliament and the industry groups that lobbied against the measure."
    )
    assert paragraph in clean_text(_page("EU rules", paragraph, BODY_1)).text


@settings(max_examples=200, deadline=None)
@given(st.text(max_size=2000))
def test_never_raises(text: str) -> None:
    result = clean_text(text)
    assert isinstance(result.text, str)
    assert all(isinstance(line, str) for line in result.removed)


def test_ad_line_with_a_pitch_is_dropped() -> None:
    ad = "ADVERTISEMENT - Ferry tickets to the islands: book before 30 June and save 15%"
    result = clean_text(_page("Talks", BODY_1, ad, BODY_2))
    assert ad in result.removed and "15%" not in result.text


# --- regressions found by tests/test_fuzz_extract.py -------------------------------------------
# Each page below took minutes before its fix (quadratic work); extract_document now stops any
# text document at EXTRACT_TIME_LIMIT, so the old code fails these with LimitExceededError.
def _extract_text(text: str) -> Article:
    return extract_document(RawDocument(source="t.txt", content=text, kind="text"))


def test_a_long_run_of_broken_lines_is_joined_without_rescanning() -> None:
    article = _extract_text("and the talks went on without a pause\n" * 50_000 + BODY_1)
    assert article.text.count("\n\n") == 1  # one sentence broken over 50,000 lines, then BODY_1
    assert article.text.startswith("and the talks went on without a pause and the talks")


def test_a_long_run_of_broken_paragraphs_is_joined_without_rescanning() -> None:
    article = _extract_text(f"{BODY_1}\n\n" + "and so the talks went on\n\n" * 50_000)
    assert article.text.count("\n\n") == 1
    assert article.text.endswith("and so the talks went on and so the talks went on")


@pytest.mark.parametrize("junk", ["[" * 200_000, "[a](x" * 50_000, "<http://x" * 30_000])
def test_a_line_of_unclosed_link_marks_is_read_in_one_pass(junk: str) -> None:
    assert BODY_1 in _extract_text(f"{junk}\n\n{BODY_1}\n\n{BODY_2}").text


def test_a_link_holding_brackets_keeps_its_inner_link() -> None:
    assert strip_markup("see [a [b](https://x.org) c") == "see [a b c"


def test_runs_of_blank_lines_are_one_paragraph_break() -> None:
    spaced = clean_text(f"{BODY_1}\n \n\t\n\u2003\n\n\n{BODY_2}")
    assert spaced.text == clean_text(f"{BODY_1}\n\n{BODY_2}").text


def test_every_kind_of_space_is_collapsed() -> None:
    assert strip_markup("a\u2003\u2003b\u3000c") == "a b c"
    assert BODY_1 in _extract_text(f"Home{chr(0x2003) * 100_000}| World\n\n{BODY_1}").text


def test_text_extraction_is_stopped_at_the_time_limit(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(detente_settings, "EXTRACT_TIME_LIMIT", 0.05)
    with pytest.raises(LimitExceededError, match=r"t\.txt: .*EXTRACT_TIME_LIMIT"):
        _extract_text("a\n" * 2_000_000)  # linear, but seconds of work


def test_lone_surrogates_in_a_string_are_replaced() -> None:
    article = _extract_text(f"\ud800{BODY_1}\udcff\n\n{BODY_2}")
    article.text.encode("utf-8")  # storable
    assert article.text.startswith(f"?{BODY_1[:20]}")
