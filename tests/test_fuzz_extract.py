"""Fuzzing extraction: mutated pages never crash, never hang, and fail only with a clear reason.

Seeds are the project's demo articles (HTML, text and the JSON Lines records) and synthetic
pages built from our own sentences; each example applies a few mutations to one seed (byte
flips, truncation, tag soup, deep nesting, huge attributes, null bytes, BOMs, re-encoding,
charset lies, repeated blocks, script floods, entity bombs, ...) and feeds the result, as
bytes or as a string, to :func:`detente.extract.document.extract_document` and to
:func:`detente.ingest.process_document`.

The runs are derandomized (same examples on every run, no example database) so CI is
reproducible; together they extract 2,116 pages in about 90 s (2 shared cores).
"""

from __future__ import annotations

import codecs
import json
import re
import time
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from detente import settings as detente_settings
from detente.acquire.files import AcquireFailure
from detente.errors import DetenteError
from detente.extract.document import extract_document
from detente.ingest import process_document
from detente.model import Article, DocumentKind, RawDocument

EXAMPLES = Path(__file__).resolve().parent.parent / "examples" / "articles"

#: Pages per test; the four fuzz tests below extract 2,100 mutated pages in all.
HTML_BYTES_EXAMPLES = 800
HTML_STR_EXAMPLES = 400
TEXT_BYTES_EXAMPLES = 450
TEXT_STR_EXAMPLES = 450
#: Mutated pages are cut to this size: big enough for floods and repeats to matter, small
#: enough that 2,000 of them run in CI (the byte limit itself is tested in test_htmlextract).
MAX_PAGE_BYTES = 600_000
#: A page may take this long before it counts as a hang: the extraction limit plus room for a
#: loaded CI machine (a hang is minutes; a normal mutated page takes milliseconds).
HANG_SECONDS = detente_settings.EXTRACT_TIME_LIMIT + 10.0

#: What a failure message must say: each DetenteError names its cause with one of these.
KNOWN_CAUSES = re.compile(
    r"no article text found|binary data|encoding|empty or blank|cannot be parsed"
    r"|MAX_DOCUMENT_BYTES|byte limit|MAX_HTML_ELEMENTS|MAX_HTML_DEPTH|nests too deeply"
    r"|EXTRACT_TIME_LIMIT|not a date|not an HTML tree"
)
#: The catch-all wrapper of an unexpected library exception: a bug, never a clear failure.
LIBRARY_BUG = "please report this page"

_SFARGS = {
    "deadline": None,
    "derandomize": True,
    "database": None,
    "suppress_health_check": [
        HealthCheck.too_slow,
        HealthCheck.data_too_large,
        HealthCheck.filter_too_much,
    ],
}


# --- seeds ------------------------------------------------------------------------------------
def _example_seeds() -> tuple[list[bytes], list[bytes]]:
    """The demo articles as raw bytes: (HTML pages, texts incl. the JSONL records' bodies)."""
    html = sorted(p.read_bytes() for p in EXAMPLES.glob("*/*.html"))
    text = sorted(p.read_bytes() for p in EXAMPLES.glob("*/*.txt"))
    for line in (EXAMPLES / "news.jsonl").read_text(encoding="utf-8").splitlines():
        if line.strip():
            text.append(json.loads(line)["text"].encode("utf-8"))
    return html, text


HTML_SEEDS, TEXT_SEEDS = _example_seeds()

COUNTRIES = ["Türkiye", "Russia", "Ukraine", "Sweden", "China", "Iran", "Israel", "Greece"]
LEADERS = ["Recep Tayyip Erdoğan", "Vladimir Putin", "Xi Jinping", "Ulf Kristersson", "Jens"]
VERBS = ["met", "called", "criticised", "thanked", "warned", "visited", "signed a deal with"]
PLACES = ["Ankara", "Moscow", "Sochi", "Astana", "Geneva", "Istanbul", "Beijing", "Tehran"]

_sentence = st.builds(
    "{} {} {} in {} on {}, officials said {} {}.".format,
    st.sampled_from(LEADERS),
    st.sampled_from(VERBS),
    st.sampled_from(COUNTRIES),
    st.sampled_from(PLACES),
    st.sampled_from(["Monday", "Tuesday", "12 March 2021", "Aug. 9, 2016", "2024-01-24"]),
    st.sampled_from(["about $55 billion", "nearly 4.5 million tonnes", "230 prisoners", ""]),
    st.sampled_from(["of trade", "were at stake", "", "last month"]),
)
_paragraph = st.lists(_sentence, min_size=1, max_size=5).map(" ".join)


@st.composite
def synthetic_html(draw: st.DrawFn) -> bytes:
    """A small news page of our own sentences, with a head, boilerplate and paragraphs."""
    paragraphs = draw(st.lists(_paragraph, min_size=0, max_size=8))
    title = draw(_sentence)[:80]
    meta = draw(
        st.sampled_from(
            [
                "",
                '<meta property="article:published_time" content="2016-08-09T12:00:00Z">',
                '<meta name="date" content="© 2023">',
                '<script type="application/ld+json">{"datePublished": "2023-11-16"}</script>',
            ]
        )
    )
    body = "".join(f"<p>{p}</p>\n" for p in paragraphs)
    page = (
        f'<!DOCTYPE html><html lang="en"><head><meta charset="utf-8"><title>{title}</title>'
        f"{meta}</head><body><nav><a href='/'>Home</a> | <a href='/w'>World</a></nav>"
        f"<article><h1>{title}</h1>\n{body}</article>"
        "<footer>© 2024 Example Wire. All rights reserved.</footer></body></html>"
    )
    return page.encode("utf-8")


@st.composite
def synthetic_text(draw: st.DrawFn) -> bytes:
    """Scraped text of our own sentences: banner, headline, dateline, byline, body, footer."""
    lines = [
        draw(st.sampled_from(["", "Subscribe to our newsletter", "Home | World | Europe"])),
        draw(_sentence)[:90].rstrip("."),
        draw(st.sampled_from(["", "Tue Aug 9, 2016 4:37PM", "19 April 2024 14:05 GMT"])),
        draw(st.sampled_from(["", "By Jane Doe", "Reporting by Ali Veli; editing by Jo"])),
        *draw(st.lists(_paragraph, min_size=0, max_size=8)),
        draw(st.sampled_from(["", "Original url: https://wire.example/2024/01/24/x", "PREV"])),
    ]
    return "\n\n".join(lines).encode("utf-8")


# --- mutations --------------------------------------------------------------------------------
TAG_SOUP = [
    b"<p>", b"</p>", b"<div>", b"</div>", b"<table><tr><td>", b"</td>", b"<script>",
    b"</script>", b"<style>", b"<!--", b"-->", b"<![CDATA[", b"]]>", b"<?xml version='1.0'?>",
    b"<a href='", b"'>", b"<br/>", b"</html>", b"<html>", b"<body>", b"<head>", b"<title>",
    b"<svg><foreignObject>", b"<math>", b"<template>", b"<frameset>", b"<plaintext>",
    b"<xmp>", b"<noscript>", b"<iframe srcdoc='<p>x</p>'>", b"<<<<>>>>", b"</", b"<", b">",
    b"<!DOCTYPE html>", b"<meta http-equiv='refresh' content='0'>",
]  # fmt: skip
BAD_UTF8 = [
    b"\xc3\x28", b"\xa0\xa1", b"\xe2\x28\xa1", b"\xf0\x28\x8c\xbc", b"\xed\xa0\x80",
    b"\xc0\xaf", b"\xf4\x90\x80\x80", b"\xff", b"\xfe\xff", b"\x80" * 7,
]  # fmt: skip
ENTITIES = [
    b"&amp;", b"&#0;", b"&#x0;", b"&#99999999;", b"&#xD800;", b"&#xFFFE;", b"&nbsp;",
    b"&notanentity;", b"&#", b"&", b"&lt;script&gt;", b"&#8203;", b"&#x202E;",
]  # fmt: skip
CHARSET_LABELS = [
    "utf-8", "utf-16", "utf-16le", "utf-32", "utf-7", "iso-8859-1", "windows-1251", "koi8-r",
    "shift_jis", "euc-jp", "gb2312", "big5", "x-user-defined", "replacement", "hz-gb-2312",
    "ebcdic", "cp037", "bogus-charset", "", "\"utf-8", "rot13", "base64", "unicode",
]  # fmt: skip
ENCODINGS = [
    "utf-16", "utf-16-le", "utf-16-be", "utf-32", "cp1251", "cp1252", "koi8-r", "shift_jis",
    "gb18030", "big5", "euc-kr", "iso-8859-7", "cp037", "mac-roman", "utf-7",
]  # fmt: skip
BOMS = [
    codecs.BOM_UTF8, codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE, codecs.BOM_UTF32_LE,
    codecs.BOM_UTF32_BE, codecs.BOM_UTF8 * 3,
]  # fmt: skip


def _at(data: bytes, pos: int, piece: bytes) -> bytes:
    pos = pos % (len(data) + 1)
    return data[:pos] + piece + data[pos:]


@st.composite
def mutation(draw: st.DrawFn, data: bytes) -> bytes:
    """One mutation of the page, chosen and parametrized by Hypothesis."""
    pos = draw(st.integers(0, max(len(data), 1)))
    kind = draw(
        st.sampled_from(
            [
                "flip", "truncate", "soup", "nest", "attribute", "nulls", "bom", "bad-utf8",
                "reencode", "charset-lie", "repeat", "script-flood", "entities", "controls",
                "long-line", "newlines", "unicode", "delete", "splice",
            ]
        )
    )  # fmt: skip
    if kind == "flip":
        flips = draw(st.lists(st.tuples(st.integers(0), st.integers(1, 255)), max_size=40))
        out = bytearray(data)
        for where, mask in flips:
            if out:
                out[where % len(out)] ^= mask
        return bytes(out)
    if kind == "truncate":
        return data[:pos]
    if kind == "delete":
        return data[:pos] + data[pos + draw(st.integers(1, 5000)) :]
    if kind == "soup":
        pieces = draw(st.lists(st.sampled_from(TAG_SOUP), min_size=1, max_size=60))
        return _at(data, pos, b"".join(pieces))
    if kind == "nest":
        depth = draw(st.sampled_from([50, 150, 179, 181, 255, 256, 400, 2000]))
        tag = draw(st.sampled_from([b"div", b"b", b"table", b"span", b"ul><li", b"p"]))
        inner = draw(st.sampled_from([b"", b"text", b"<p>" + b"A sentence. " * 10 + b"</p>"]))
        opened = b"<" + tag + b">"
        closed = b"</" + tag.split(b">")[0] + b">"
        return _at(data, pos, opened * depth + inner + closed * draw(st.sampled_from([0, depth])))
    if kind == "attribute":
        size = draw(st.sampled_from([1_000, 65_536, 300_000]))
        char = draw(st.sampled_from([b"A", b" ", b'"', b"'", b"<", b"&amp;", b"\xc3\xa9"]))
        return _at(data, pos, b'<div data-x="' + char * (size // len(char)) + b'">x</div>')
    if kind == "nulls":
        return _at(data, pos, b"\x00" * draw(st.integers(1, 2000)))
    if kind == "bom":
        return draw(st.sampled_from(BOMS)) + data
    if kind == "bad-utf8":
        pieces = draw(st.lists(st.sampled_from(BAD_UTF8), min_size=1, max_size=30))
        return _at(data, pos, b"".join(pieces))
    if kind == "reencode":
        codec = draw(st.sampled_from(ENCODINGS))
        return data.decode("utf-8", "replace").encode(codec, "replace")
    if kind == "charset-lie":
        label = draw(st.sampled_from(CHARSET_LABELS)).encode()
        meta = draw(
            st.sampled_from(
                [
                    b'<meta charset="' + label + b'">',
                    b"<meta http-equiv='Content-Type' content='text/html; charset=" + label + b"'>",
                    b'<?xml version="1.0" encoding="' + label + b'"?>',
                ]
            )
        )
        return meta + data if draw(st.booleans()) else _at(data, pos, meta)
    if kind == "repeat":
        end = pos + draw(st.integers(1, 4000))
        block = data[pos:end] or b"<p>Repeated.</p>"
        times = draw(st.sampled_from([2, 10, 100, 1000, 10_000]))
        return data[:pos] + block * min(times, MAX_PAGE_BYTES // len(block)) + data[end:]
    if kind == "script-flood":
        block = draw(
            st.sampled_from(
                [
                    b"<script>var a = '<p>not text</p>';</script>",
                    b"<style>p { color: red } /* </p> */</style>",
                    b'<script type="application/ld+json">{"datePublished": "2020-01-01"}</script>',
                    b"<script>",
                    b"<noscript><p>Enable JavaScript to read this article.</p></noscript>",
                ]
            )
        )
        return _at(data, pos, block * draw(st.sampled_from([1, 100, 5000])))
    if kind == "entities":
        pieces = draw(st.lists(st.sampled_from(ENTITIES), min_size=1, max_size=20))
        times = draw(st.sampled_from([1, 100, 20_000]))
        bomb = b'<!DOCTYPE html [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;&a;&a;">]>'
        return _at(data, pos, b"".join(pieces) * times) if draw(st.booleans()) else bomb + data
    if kind == "controls":
        chars = draw(st.lists(st.integers(0, 31), min_size=1, max_size=200))
        return _at(data, pos, bytes(chars))
    if kind == "long-line":
        size = draw(st.sampled_from([10_000, 200_000]))
        unit = draw(st.sampled_from([b"x", b"ab ", b"**", b"__a", b"[", b"](", b"- ", b"| "]))
        return _at(data, pos, unit * (size // len(unit)))
    if kind == "newlines":
        unit = draw(st.sampled_from([b"\n", b"\r", b"\r\n", b"\n \n", b"and more words\n"]))
        return _at(data, pos, unit * draw(st.sampled_from([100, 5_000, 40_000])))
    if kind == "unicode":
        piece = draw(
            st.text(
                st.characters(codec="utf-8", categories=["Cf", "Mn", "Zs", "Zl", "Zp", "Co"]),
                min_size=1,
                max_size=200,
            )
        )
        return _at(data, pos, piece.encode("utf-8"))
    # splice: a piece of another seed in the middle of this one
    other = draw(st.sampled_from(HTML_SEEDS + TEXT_SEEDS))
    start = draw(st.integers(0, len(other)))
    return _at(data, pos, other[start : start + draw(st.integers(0, 3000))])


@st.composite
def mutated_page(draw: st.DrawFn, seeds: st.SearchStrategy[bytes]) -> bytes:
    """A seed with zero to four mutations, capped at MAX_PAGE_BYTES."""
    data = draw(seeds)
    for _ in range(draw(st.integers(0, 4))):
        data = draw(mutation(data))[:MAX_PAGE_BYTES]
    return data


html_pages = mutated_page(st.one_of(st.sampled_from(HTML_SEEDS), synthetic_html()))
text_pages = mutated_page(st.one_of(st.sampled_from(TEXT_SEEDS), synthetic_text()))


def as_string(data: bytes, how: str) -> str:
    """The page as a str, decoded the ways callers really do it (lone surrogates included)."""
    if how == "surrogateescape":
        return data.decode("utf-8", "surrogateescape")
    return data.decode(how, "replace")


string_forms = st.sampled_from(["utf-8", "surrogateescape", "latin-1", "utf-16"])


# --- the property -----------------------------------------------------------------------------
def check_page(content: bytes | str, kind: DocumentKind) -> None:
    """Extraction returns an article or raises a DetenteError naming the cause, in time."""
    doc = RawDocument(source="fuzz:1", content=content, kind=kind, url="https://wire.example/a")
    started = time.monotonic()
    try:
        article = extract_document(doc)
    except DetenteError as err:
        message = str(err)
        assert LIBRARY_BUG not in message, f"a library crashed inside extraction: {message}"
        assert KNOWN_CAUSES.search(message), f"the message does not name a cause: {message!r}"
    else:
        assert len(article.text) >= detente_settings.MIN_TEXT_CHARS
        article.text.encode("utf-8")  # storable: no lone surrogates
        assert article.id
    elapsed = time.monotonic() - started
    assert elapsed < HANG_SECONDS, f"extraction hung for {elapsed:.0f} s"

    result = process_document(doc)
    assert isinstance(result, Article | AcquireFailure)
    if isinstance(result, AcquireFailure):
        assert not result.reason.startswith("unexpected"), result.reason


@settings(max_examples=HTML_BYTES_EXAMPLES, **_SFARGS)
@given(html_pages)
def test_mutated_html_bytes(data: bytes) -> None:
    check_page(data, "html")


@settings(max_examples=HTML_STR_EXAMPLES, **_SFARGS)
@given(html_pages, string_forms)
def test_mutated_html_strings(data: bytes, how: str) -> None:
    check_page(as_string(data, how), "html")


@settings(max_examples=TEXT_BYTES_EXAMPLES, **_SFARGS)
@given(text_pages, st.sampled_from(["text", "markdown"]))
def test_mutated_text_bytes(data: bytes, kind: DocumentKind) -> None:
    check_page(data, kind)


@settings(max_examples=TEXT_STR_EXAMPLES, **_SFARGS)
@given(text_pages, string_forms, st.sampled_from(["text", "markdown"]))
def test_mutated_text_strings(data: bytes, how: str, kind: DocumentKind) -> None:
    check_page(as_string(data, how), kind)


# --- hostile pages at full size (too slow to draw by the thousand) ----------------------------
SENTENCE = b"Erdogan met Putin in Sochi on Friday to discuss trade worth $55 billion. "


def _big(unit: bytes, size: int = 1_000_000) -> bytes:
    return unit * (size // len(unit))


HOSTILE = {
    "deep-nesting": b"<html><body>" + b"<div>" * 100_000 + SENTENCE * 5,
    "element-flood": b"<html><body>" + b"<p>a</p>" * 300_000,
    "huge-attribute": b'<html><body><p title="' + _big(b"A") + b'">' + SENTENCE * 5 + b"</p>",
    "script-flood": b"<html><body>" + _big(b"<script>var x = 1;</script>") + SENTENCE * 5,
    "entity-flood": b"<html><body><p>" + _big(b"&amp;&#0;&#xD800;") + SENTENCE * 5,
    "no-close": b"<html><body><p>" + _big(SENTENCE) + b"<",
    "nulls": _big(b"\x00"),
    "utf16-lie": b'<meta charset="utf-8">' + ("<p>" + SENTENCE.decode() * 200).encode("utf-16"),
}
HOSTILE_TEXT = {
    "one-line": _big(b"word "),
    "broken-lines": _big(b"and the talks went on without a pause\n"),
    "short-lines": _big(b"a\n"),
    "emphasis": _big(b"**a "),
    "links": _big(b"[a](b "),
    "segments": _big(b"Home | "),
    "blank-lines": b"x" + _big(b"\n\n") + SENTENCE,
    "paragraph-per-clause": _big(b"and so the talks went on\n\n"),
}


@pytest.mark.parametrize("name", sorted(HOSTILE))
def test_hostile_html_page(name: str) -> None:
    check_page(HOSTILE[name], "html")


@pytest.mark.parametrize("name", sorted(HOSTILE_TEXT))
def test_hostile_text_page(name: str) -> None:
    check_page(HOSTILE_TEXT[name], "text")
