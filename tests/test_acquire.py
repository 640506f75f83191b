"""Acquisition: every input form, and every bad input named with its reason."""

from __future__ import annotations

import gzip
import io
import json
from pathlib import Path

import pytest

from detente import settings
from detente.acquire.files import AcquireFailure, expand_inputs, read_source
from detente.model import RawDocument

ARTICLE = (
    "Turkish and Russian negotiators met in Istanbul on Friday to discuss the grain corridor, "
    "officials from both delegations said after the talks."
)


def _items(source: str, **kwargs: object) -> list[RawDocument | AcquireFailure]:
    return list(read_source(source, **kwargs))  # type: ignore[arg-type]


def test_expand_folders_globs_and_missing(tmp_path: Path) -> None:
    (tmp_path / "a").mkdir()
    (tmp_path / "a" / "one.html").write_text("<p>x</p>")
    (tmp_path / "a" / "two.txt").write_text("x")
    (tmp_path / "a" / "skip.png").write_bytes(b"\x89PNG")
    (tmp_path / "a" / ".hidden").mkdir()
    (tmp_path / "a" / ".hidden" / "three.txt").write_text("x")
    sources, failures = expand_inputs(
        [str(tmp_path / "a"), str(tmp_path / "a" / "*.txt"), str(tmp_path / "nope.txt"), "-"]
    )
    assert sources == [str(tmp_path / "a" / "one.html"), str(tmp_path / "a" / "two.txt"), "-"]
    assert [f.reason for f in failures] == ["no such file or folder; check the path"]


def test_glob_without_match_and_bad_scheme(tmp_path: Path) -> None:
    sources, failures = expand_inputs([str(tmp_path / "*.html"), "ftp://example.org/a"])
    assert sources == []
    assert "no file matches" in failures[0].reason
    assert "only http:// and https://" in failures[1].reason


def test_kinds_by_suffix(tmp_path: Path) -> None:
    for name, kind in [("a.html", "html"), ("b.txt", "text"), ("c.md", "markdown")]:
        (tmp_path / name).write_text(ARTICLE)
        (doc,) = _items(str(tmp_path / name))
        assert isinstance(doc, RawDocument)
        assert doc.kind == kind
        assert doc.content_hash is not None and len(doc.content_hash) == 64
        assert doc.fetched_at is not None and doc.fetched_at.endswith("Z")


def test_jsonl_records_with_line_numbers(tmp_path: Path) -> None:
    path = tmp_path / "dump.jsonl"
    path.write_text(
        "\n".join(
            [
                json.dumps({"text": ARTICLE, "url": "https://x.org/a", "published": "2022-07-22"}),
                "{not json",
                json.dumps({"title": "no body"}),
                "",
                json.dumps({"html": f"<p>{ARTICLE}</p>", "outlet": "Caspian Wire"}),
                json.dumps({"text": ARTICLE, "published": 20220722}),
                json.dumps(["a", "list"]),
                json.dumps({"text": ARTICLE, "published": 2022}),
            ]
        )
    )
    items = _items(str(path))
    docs = [i for i in items if isinstance(i, RawDocument)]
    fails = [i for i in items if isinstance(i, AcquireFailure)]
    assert [d.source for d in docs] == [f"{path}:1", f"{path}:5", f"{path}:6"]
    assert docs[0].published == "2022-07-22" and docs[0].kind == "text"
    assert docs[1].kind == "html" and docs[1].outlet == "Caspian Wire"
    assert docs[2].published == "2022-07-22"  # the number 20220722 read as YYYYMMDD
    assert [(f.line, f.reason.split(" (")[0]) for f in fails] == [
        (2, "not a JSON object"),
        (3, "record has no 'text' or 'html' field with content; add one"),
        (7, "expected a JSON object, got list"),
        (
            8,
            "field 'published': 2022 is a year, not a day; write it as YYYY-MM-DD, e.g. 2016-01-05",
        ),
    ]
    assert str(fails[0]) == f"{path}:2: {fails[0].reason}"


def test_gzipped_jsonl_and_json_list(tmp_path: Path) -> None:
    gz = tmp_path / "dump.jsonl.gz"
    with gzip.open(gz, "wt") as handle:
        handle.write(json.dumps({"text": ARTICLE}) + "\n")
    assert isinstance(_items(str(gz))[0], RawDocument)
    js = tmp_path / "two.json"
    js.write_text(json.dumps([{"text": ARTICLE}, {"text": ARTICLE + " Again."}]))
    assert [i.source for i in _items(str(js))] == [f"{js}[1]", f"{js}[2]"]
    bad = tmp_path / "bad.json"
    bad.write_text("{")
    (failure,) = _items(str(bad))
    assert isinstance(failure, AcquireFailure) and "not valid JSON" in failure.reason


def test_stdin_sniffing() -> None:
    (doc,) = _items("-", stdin=io.BytesIO(b"<html><body><p>hi</p></body></html>"))
    assert isinstance(doc, RawDocument) and doc.kind == "html" and doc.source == "-"
    (doc,) = _items("-", stdin=io.BytesIO(ARTICLE.encode()))
    assert isinstance(doc, RawDocument) and doc.kind == "text"
    items = _items("-", stdin=io.BytesIO(json.dumps({"text": ARTICLE}).encode()))
    assert isinstance(items[0], RawDocument) and items[0].source == "-:1"


@pytest.mark.parametrize(
    ("name", "content", "reason"),
    [
        ("empty.txt", b"", "the file is empty"),
        ("blank.html", b"   \n\n ", "the file is empty"),
        ("empty.jsonl", b"\n\n", "the file is empty"),
    ],
)
def test_empty_inputs(tmp_path: Path, name: str, content: bytes, reason: str) -> None:
    (tmp_path / name).write_bytes(content)
    (failure,) = _items(str(tmp_path / name))
    assert isinstance(failure, AcquireFailure)
    assert failure.reason == reason
    assert failure.source == str(tmp_path / name)


def test_huge_file_is_refused(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(settings, "MAX_DOCUMENT_BYTES", 1000)
    path = tmp_path / "huge.html"
    path.write_bytes(b"<p>" + b"a" * 5000 + b"</p>")
    (failure,) = _items(str(path))
    assert isinstance(failure, AcquireFailure) and "larger than" in failure.reason


def test_warc_responses(tmp_path: Path) -> None:
    from warcio.statusandheaders import StatusAndHeaders
    from warcio.warcwriter import WARCWriter

    path = tmp_path / "crawl.warc.gz"
    with path.open("wb") as stream:
        writer = WARCWriter(stream, gzip=True)
        for uri, ctype, body in [
            ("https://x.org/a", "text/html; charset=utf-8", f"<p>{ARTICLE}</p>".encode()),
            ("https://x.org/logo.png", "image/png", b"\x89PNG"),
        ]:
            headers = StatusAndHeaders("200 OK", [("Content-Type", ctype)], protocol="HTTP/1.1")
            record = writer.create_warc_record(
                uri, "response", payload=io.BytesIO(body), http_headers=headers
            )
            writer.write_record(record)
    (doc,) = _items(str(path))
    assert isinstance(doc, RawDocument)
    assert doc.url == "https://x.org/a" and doc.kind == "html"
    assert doc.source == f"{path}#https://x.org/a"


def test_broken_warc(tmp_path: Path) -> None:
    path = tmp_path / "broken.warc"
    path.write_bytes(b"this is not an archive at all")
    (failure,) = _items(str(path))
    assert isinstance(failure, AcquireFailure) and "WARC" in failure.reason


def test_lone_surrogates_in_json_are_replaced(tmp_path: Path) -> None:
    path = tmp_path / "s.jsonl"
    path.write_text('{"text": "Talks in Ankara \\ud800 ended.", "title": "\\udfff"}\n')
    (doc,) = _items(str(path))
    assert isinstance(doc, RawDocument)
    assert doc.content == "Talks in Ankara ? ended." and doc.title == "?"
