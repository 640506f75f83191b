"""Snippet tests for HTML extraction: the article stays, the boilerplate goes, limits hold."""

from __future__ import annotations

import signal
import threading

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from detente import settings as detente_settings
from detente.errors import DetenteError, ExtractionError, LimitExceededError
from detente.extract.html import (
    MAX_REMOVED_CHARS,
    MAX_REMOVED_LINES,
    decode_html,
    extract_html,
    parse_html,
    publication_date,
)

PARAGRAPHS = (
    "The foreign ministers of Turkey and Russia met in Geneva on Tuesday to discuss the "
    "renewal of the Black Sea grain agreement, officials said.",
    "The talks lasted four hours and ended without a joint statement, according to a "
    "spokesman for the Turkish foreign ministry, who described them as constructive.",
    "Ukraine was not represented at the meeting, but its ambassador to the United Nations "
    "said Kyiv had been kept informed of the discussions throughout the day.",
)

PAGE = """<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8">
<title>Ministers meet in Geneva over grain deal | Example Times</title>
<meta property="og:site_name" content="Example Times">
<meta name="author" content="Jane Doe">
{meta}
</head><body>
<div id="cookie-banner" class="cookie-consent">We use cookies to improve your experience.
<button>Accept all cookies</button></div>
<nav><ul><li><a href="/">Home</a></li><li><a href="/world">World news</a></li>
<li><a href="/politics">Politics</a></li><li><a href="/sport">Sport</a></li></ul></nav>
<article>
<h1>Ministers meet in Geneva over grain deal</h1>
<p>{p0}</p>
<p>{p1}</p>
<p>{p2}</p>
</article>
<aside class="related"><h3>Related stories</h3><ul>
<li><a href="/a">Grain prices fall again in Chicago</a></li>
<li><a href="/b">Ports reopen after the storm</a></li></ul></aside>
<footer><p>© 2021 Example Times. All rights reserved.</p><a href="/privacy">Privacy policy</a>
</footer>
</body></html>"""


def page(meta: str = "", paragraphs: tuple[str, ...] = PARAGRAPHS) -> str:
    """The test article with extra head markup."""
    p0, p1, p2 = paragraphs
    return PAGE.format(meta=meta, p0=p0, p1=p1, p2=p2)


@pytest.mark.parametrize("paragraph", PARAGRAPHS)
def test_body_text_is_kept(paragraph: str) -> None:
    assert paragraph in extract_html(page()).text


def test_paragraphs_are_separated_by_blank_lines() -> None:
    assert extract_html(page()).text == "\n\n".join(PARAGRAPHS)


@pytest.mark.parametrize(
    "boilerplate",
    [
        "cookies",
        "Home",
        "World news",
        "Related stories",
        "Grain prices fall again",
        "All rights reserved",
        "Privacy policy",
        "Ministers meet in Geneva over grain deal",  # the headline lives in .title
    ],
)
def test_boilerplate_is_dropped(boilerplate: str) -> None:
    assert boilerplate not in extract_html(page()).text


def test_metadata() -> None:
    found = extract_html(page(), url="https://example.com/world/grain-talks")
    assert found.title == "Ministers meet in Geneva over grain deal"
    assert found.author == "Jane Doe"
    assert found.outlet == "Example Times"
    assert found.url == "https://example.com/world/grain-talks"


def test_removed_lines_are_listed_for_auditing() -> None:
    removed = extract_html(page()).removed
    assert "Related stories" in removed
    assert "© 2021 Example Times. All rights reserved." in removed
    assert not any(paragraph in removed for paragraph in PARAGRAPHS)


def test_removed_lines_are_bounded() -> None:
    links = "".join(f"<li><a href='/{i}'>{'Link text ' * 60}{i}</a></li>" for i in range(500))
    html = page().replace("<nav><ul>", f"<nav><ul>{links}")
    removed = extract_html(html).removed
    assert len(removed) == MAX_REMOVED_LINES
    assert max(map(len, removed)) == MAX_REMOVED_CHARS


def test_copyright_year_alone_gives_no_date() -> None:
    from htmldate import find_date

    # the behaviour the rule guards against: htmldate turns "© 2021" into 1 January
    assert find_date(page(), extensive_search=True, original_date=True) == "2021-01-01"
    found = extract_html(page())
    assert found.published is None
    assert found.published_source is None


def test_published_time_meta_is_used() -> None:
    meta = '<meta property="article:published_time" content="2022-07-19T10:00:00+02:00">'
    found = extract_html(page(meta))
    assert (found.published, found.published_source) == ("2022-07-19", "meta")


def test_new_year_stated_in_full_is_kept() -> None:
    meta = '<meta property="article:published_time" content="2023-01-01T08:00:00Z">'
    assert publication_date(page(meta)) == ("2023-01-01", "meta")


def test_date_from_url() -> None:
    found = extract_html(page(), url="https://example.com/2022/07/19/grain-talks")
    assert (found.published, found.published_source) == ("2022-07-19", "url")


def test_date_from_text() -> None:
    html = page().replace("<article>", "<article><p class='date'>Published 19 July 2022</p>")
    assert publication_date(html) == ("2022-07-19", "text")


# --- decoding -------------------------------------------------------------------------------
ACCENTED = (
    "Le président français a rencontré à Zürich les ministres des Affaires étrangères, "
    "qui ont évoqué la crise énergétique et les prix du blé.",
    *PARAGRAPHS[1:],
)


@pytest.mark.parametrize("codec", ["cp1252", "iso-8859-1"])
def test_declared_charset_is_used(codec: str) -> None:
    html = page(paragraphs=ACCENTED).replace('charset="utf-8"', f'charset="{codec}"')
    assert ACCENTED[0] in extract_html(html.encode(codec)).text


def test_utf16_with_bom() -> None:
    assert ACCENTED[0] in extract_html(page(paragraphs=ACCENTED).encode("utf-16")).text


def test_undeclared_legacy_charset_is_detected() -> None:
    html = page(paragraphs=ACCENTED).replace('<meta charset="utf-8">', "")
    assert "président" in decode_html(html.encode("cp1252"))


def test_curly_quotes_cp1252() -> None:
    assert decode_html("<p>“Ça va”, dit-il – 20 €</p>".encode("cp1252")) == (
        "<p>“Ça va”, dit-il – 20 €</p>"
    )


# --- limits and bad input -------------------------------------------------------------------
def test_huge_page_is_refused() -> None:
    html = page().replace("<footer>", "<p>" + "x" * detente_settings.MAX_DOCUMENT_BYTES + "</p>")
    with pytest.raises(LimitExceededError, match="MAX_DOCUMENT_BYTES"):
        extract_html(html)
    with pytest.raises(LimitExceededError, match="MAX_DOCUMENT_BYTES"):
        extract_html(html.encode())


def test_multibyte_text_counts_bytes_not_characters(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(detente_settings, "MAX_DOCUMENT_BYTES", 3000)
    text = page(paragraphs=("é" * 800, "ü" * 800, "ß" * 100))  # ~2,600 chars, ~4,300 bytes
    assert len(text) < 3000
    with pytest.raises(LimitExceededError, match="MAX_DOCUMENT_BYTES=3,000"):
        extract_html(text)


def test_deep_nesting_is_refused() -> None:
    html = "<html><body>" + "<div>" * 10_000 + "deep" + "</div>" * 10_000 + "</body></html>"
    with pytest.raises(LimitExceededError, match=r"MAX_HTML_DEPTH=180 \(reached 181\)"):
        extract_html(html)


def test_too_many_elements_are_refused() -> None:
    count = detente_settings.MAX_HTML_ELEMENTS + 10
    html = "<html><body>" + "<span>a</span>" * count + "</body></html>"
    with pytest.raises(LimitExceededError, match="MAX_HTML_ELEMENTS=200,000"):
        extract_html(html)


def test_element_limit_names_the_value(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(detente_settings, "MAX_HTML_ELEMENTS", 20)
    with pytest.raises(LimitExceededError, match=r"MAX_HTML_ELEMENTS=20 elements \(reached 21\)"):
        parse_html(page())


def test_time_limit_with_the_timer(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(detente_settings, "EXTRACT_TIME_LIMIT", 0.000_001)
    with pytest.raises(LimitExceededError, match="EXTRACT_TIME_LIMIT"):
        extract_html(page())
    # the timer and the handler are put back
    assert signal.getitimer(signal.ITIMER_REAL) == (0.0, 0.0)
    assert signal.getsignal(signal.SIGALRM) in (signal.SIG_DFL, signal.default_int_handler, None)


def test_time_limit_off_the_main_thread(monkeypatch: pytest.MonkeyPatch) -> None:
    # no timer in a worker thread: the checks between stages still stop the extraction
    monkeypatch.setattr(detente_settings, "EXTRACT_TIME_LIMIT", 0.000_001)
    errors: list[BaseException] = []

    def run() -> None:
        try:
            extract_html(page())
        except BaseException as err:
            errors.append(err)

    worker = threading.Thread(target=run)
    worker.start()
    worker.join()
    assert len(errors) == 1
    assert isinstance(errors[0], LimitExceededError)


def test_extraction_works_off_the_main_thread() -> None:
    results: list[str] = []
    worker = threading.Thread(target=lambda: results.append(extract_html(page()).text))
    worker.start()
    worker.join()
    assert results == ["\n\n".join(PARAGRAPHS)]


@pytest.mark.parametrize(
    "garbage",
    ["", "   \n ", b"", b"\x00\x01\x02\x03", "just a few words", "<html></html>", b"\xff\xfe"],
)
def test_empty_or_garbage_input(garbage: str | bytes) -> None:
    with pytest.raises(ExtractionError):
        extract_html(garbage)


def test_page_without_article_text_says_so() -> None:
    html = "<html><body><nav><a href='/'>Home</a></nav><div id='app'></div></body></html>"
    with pytest.raises(ExtractionError, match="no article text found"):
        extract_html(html)


def test_truncated_html_still_extracts() -> None:
    html = page()
    cut = html.index(PARAGRAPHS[2]) + 40
    found = extract_html(html[:cut])
    assert PARAGRAPHS[0] in found.text
    assert PARAGRAPHS[1] in found.text


def test_fragment_without_html_element() -> None:
    html = "".join(f"<p>{paragraph}</p>" for paragraph in PARAGRAPHS)
    assert extract_html(html).text == "\n\n".join(PARAGRAPHS)


# --- properties -----------------------------------------------------------------------------
TAGS = ["p", "div", "span", "article", "nav", "footer", "script", "table", "td", "a", "br", "h1"]
html_soup = st.lists(
    st.one_of(
        st.sampled_from([f"<{t}>" for t in TAGS] + [f"</{t}>" for t in TAGS]),
        st.sampled_from(
            ["<!--", "-->", "<![CDATA[", "&amp;", "&#0;", "<?xml ?>", "<meta charset=x>"]
        ),
        st.text(max_size=80),
    ),
    max_size=60,
).map("".join)


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.one_of(st.text(max_size=2000), st.binary(max_size=2000), html_soup))
def test_never_raises_anything_but_detente_errors(data: str | bytes) -> None:
    try:
        found = extract_html(data)
    except DetenteError:
        return
    assert len(found.text) >= detente_settings.MIN_TEXT_CHARS
    assert len(found.removed) <= MAX_REMOVED_LINES


# --- the metadata, without the fields Detente does not use ------------------------------------
#: Head markup of pages that give their metadata in different ways (written for these tests).
METADATA_PAGES = [
    "",  # the test page's own: <title> with the outlet, og:site_name, author meta
    '<link rel="canonical" href="/world/2021/grain-talks"><meta property="og:url" '
    'content="https://example.com/world/2021/grain-talks">',
    '<meta name="twitter:site" content="@exampletimes"><meta name="author" content="Doe">',
    '<meta property="og:site_name" content="exampletimes">',
    '<script type="application/ld+json">{"@context": "https://schema.org", "@type": '
    '"NewsArticle", "headline": "Grain talks end without a statement", "author": {"@type": '
    '"Person", "name": "Sam Roe"}, "publisher": {"@type": "Organization", "name": "Example '
    'Wire"}}</script>',
    '<meta property="og:title" content="Grain talks &amp; what comes next">'
    '<meta property="article:tag" content="grain"><link rel="license" href="https://'
    'creativecommons.org/licenses/by/4.0/">',
]


@pytest.mark.parametrize("meta", METADATA_PAGES)
@pytest.mark.parametrize("url", [None, "https://www.example.org/news/grain"])
def test_page_metadata_is_trafilaturas(meta: str, url: str | None) -> None:
    """The trimmed metadata pass finds what trafilatura's extract_metadata finds."""
    from trafilatura.metadata import extract_metadata

    from detente.extract.html import _page_metadata

    fields = ("title", "author", "url", "sitename")
    for html in (page(meta), _without_site_and_author(page(meta))):
        full = extract_metadata(parse_html(html), default_url=url)
        trimmed = _page_metadata(parse_html(html), url)
        assert [getattr(trimmed, f) for f in fields] == [getattr(full, f) for f in fields]


def _without_site_and_author(html: str) -> str:
    """The page without its og:site_name and author meta (the name then comes from elsewhere)."""
    for tag in (
        '<meta property="og:site_name" content="Example Times">',
        '<meta name="author" content="Jane Doe">',
    ):
        html = html.replace(tag, "")
    return html


def test_page_without_metadata_markup() -> None:
    """No head markup at all: the fields come from the body (or stay empty), as trafilatura's."""
    from trafilatura.metadata import extract_metadata

    from detente.extract.html import _page_metadata

    bare = (
        "<html><body><h1>Talks end</h1><p class='byline'>By Ann Lee</p><p>Text.</p></body></html>"
    )
    full = extract_metadata(parse_html(bare))
    trimmed = _page_metadata(parse_html(bare), None)
    assert (trimmed.title, trimmed.author, trimmed.url, trimmed.sitename) == (
        full.title,
        full.author,
        full.url,
        full.sitename,
    )
