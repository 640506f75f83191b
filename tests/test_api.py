"""The public Python API: its surface, process(), the Database and its results, highlight()."""

from __future__ import annotations

import json
import shutil
import sys
import types
from collections.abc import Iterator
from pathlib import Path

import pytest

import detente
from detente._api import DTYPES, Highlight, looks_like_html
from test_docs import demo_database

EXAMPLES = Path(__file__).resolve().parent.parent / "examples" / "articles"


@pytest.fixture(scope="session")
def demo_db(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The demo database (shared with tests/test_docs.py; built once per session)."""
    return demo_database(tmp_path_factory)


@pytest.fixture
def db(demo_db: Path) -> Iterator[detente.Database]:
    """The demo database, opened read-only."""
    with detente.open(demo_db, readonly=True) as database:
        yield database


# --- the surface -------------------------------------------------------------------------------


def test_all_is_sorted_and_resolves() -> None:
    """``__all__`` is sorted, without duplicates, and every name in it exists."""
    assert detente.__all__ == sorted(set(detente.__all__))
    for name in detente.__all__:
        assert getattr(detente, name) is not None


def test_all_is_complete() -> None:
    """Every public name of the package namespace is in ``__all__`` (modules aside)."""
    for name in detente.__all__:
        getattr(detente, name)  # load the lazy names too
    public = {
        name
        for name, value in vars(detente).items()
        if not name.startswith("_")
        and not isinstance(value, types.ModuleType)
        and name != "annotations"  # from __future__
    }
    assert public <= set(detente.__all__), public - set(detente.__all__)
    assert set(dir(detente)) >= set(detente.__all__)


def test_import_stays_light() -> None:
    """``import detente`` does not import the store, spaCy or numpy (the CLI starts fast)."""
    code = (
        "import sys, detente; "
        "print(sorted(m for m in ('detente.store.database', 'spacy', 'numpy') if m in sys.modules))"
    )
    import subprocess

    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[]"


def test_unknown_attribute() -> None:
    """A missing name raises AttributeError naming it."""
    with pytest.raises(AttributeError, match="nope"):
        _ = detente.nope  # type: ignore[attr-defined, unused-ignore]


# --- process -----------------------------------------------------------------------------------


def _check_offsets(article: detente.Article) -> None:
    """Every annotation's offsets give back its text."""
    text = article.text
    for mention in article.mentions:
        assert text[mention.start : mention.end] == mention.text
    for quote in article.quotes:
        assert text[quote.start : quote.end] == quote.text
        if quote.speaker is not None:
            assert text[quote.speaker.start : quote.speaker.end] == quote.speaker.text
    for amount in article.amounts:
        assert text[amount.start : amount.end] == amount.text
    for event in article.events:
        # a discontinuous predicate ("agreed … to fly") is written with an ellipsis
        span = text[event.trigger_start : event.trigger_end]
        assert all(part.strip() in span for part in event.trigger.split("…"))
        for side in (event.source, event.target):
            if side is not None:
                assert text[side.start : side.end] == side.text


def test_process_html_page() -> None:
    """An HTML page is extracted as HTML, dated from its metadata and annotated."""
    page = (EXAMPLES / "html" / "2015-11-24-su24-shootdown.html").read_text(encoding="utf-8")
    article = detente.process(page, url="https://news.example/su24")
    assert article.published == "2015-11-24"
    assert article.url == "https://news.example/su24"
    assert "Su-24" in article.text
    assert article.removed  # boilerplate was dropped and kept
    assert article.nlp and article.sentences and article.mentions and article.quotes
    codes = {m.actor.code for m in article.mentions}
    assert {"RUSGOV", "TURGOV"} <= codes
    _check_offsets(article)


def test_process_text_page() -> None:
    """A plain-text page goes through the text cleaner and is dated by its dateline."""
    text = (EXAMPLES / "text" / "2016-08-09-st-petersburg-meeting.txt").read_text(encoding="utf-8")
    assert not looks_like_html(text)
    article = detente.process(text, outlet="Volga Courier")
    assert article.published == "2016-08-09"
    assert article.published_source == "dateline"
    assert article.outlet == "Volga Courier"
    assert any(q.speaker and q.speaker.actor.code == "RUSGOV" for q in article.quotes)
    _check_offsets(article)


def test_process_published_wins_and_bytes() -> None:
    """``published`` wins over the page's date; bytes are accepted."""
    text = "Turkish President Tayyip Erdogan met Russian President Vladimir Putin in Sochi."
    article = detente.process(text.encode("utf-8"), published="2022-08-05")
    assert (article.published, article.published_source) == ("2022-08-05", "record")
    assert article.events == [] or all(e.coder for e in article.events)


@pytest.mark.parametrize(
    ("content", "html"),
    [
        ("<!DOCTYPE html><html><body><p>x</p></body></html>", True),
        ("  \n<html lang='en'>", True),
        ("<p>A fragment.</p>", True),
        ("Ankara, 3 May - <b>bold</b> claims.", False),
        ("< 5 tanks were seen", False),
    ],
)
def test_looks_like_html(content: str, html: bool) -> None:
    """Only documents that start like HTML are read as HTML."""
    assert looks_like_html(content) is html


def test_process_errors() -> None:
    """Empty text and wrong types raise DetenteErrors that say what to do."""
    with pytest.raises(detente.ExtractionError, match="no article text"):
        detente.process("   ")
    with pytest.raises(detente.DetenteError, match="str or bytes"):
        detente.process(Path("x.html"))  # type: ignore[arg-type]


# --- the database ------------------------------------------------------------------------------


def test_queries(db: detente.Database) -> None:
    """Each query returns its result type, filtered as asked."""
    articles = db.articles()
    assert isinstance(articles, detente.ArticleList) and len(articles) == 14
    assert all(a.outlet == "Volga Courier" for a in db.articles(outlet="Volga Courier"))
    turkish = db.actors(country="TUR")
    assert isinstance(turkish, detente.Records) and turkish.kind == "actors"
    assert turkish and all(a["country"] == "TUR" for a in turkish)
    quotes = db.quotes(speaker="Putin", limit=3)
    assert len(quotes) == 3 and all("Putin" in q["speaker"]["name"] for q in quotes)
    assert db.amounts(unit="USD") and all(a["unit"] == "USD" for a in db.amounts(unit="USD"))
    events = db.events(dyad=("RUS", "TUR"))
    assert events.kind == "events"
    for event in events:
        assert {event["source"]["country"], event["target"]["country"]} <= {"RUS", "TUR"}
        assert not event["negated"] and not event["hypothetical"]
    line = db.timeline("RUS", "TUR", by="year")
    assert isinstance(line, detente.DyadTimeline) and line.dyad == ("RUS", "TUR")
    assert db.failures() == []
    full = db.article(articles[0].id[:8])
    assert full.id == articles[0].id and full.nlp is not None
    assert "14 articles" in repr(db)


def test_events_filters_read_as_the_cli_reads_them(db: detente.Database) -> None:
    """``dyad="RUS,TUR"`` as on the command line; slashed or spelled dates as ISO ones."""
    pair = db.events(dyad=("RUS", "TUR"))
    assert pair and db.events(dyad="RUS,TUR") == pair == db.events(dyad=" rus , tur ")
    iso = db.events(start="2015-01-01")
    assert iso and db.events(start="2015/01/01") == iso == db.events(start="January 1, 2015")
    last = max(e["date"] for e in iso if e["date"])
    assert db.events(end=last[:10].replace("-", "/")) == db.events(end=last[:10])


def test_missing_article(db: detente.Database) -> None:
    """An unknown id raises a DetenteError pointing at db.articles()."""
    with pytest.raises(detente.DetenteError, match=r"db\.articles"):
        db.article("ffffffffffffffff")


def test_ingest_export_and_close(demo_db: Path, tmp_path: Path) -> None:
    """Ingest adds once; export writes what the queries return; a closed database says so."""
    path = tmp_path / "new.db"
    one = EXAMPLES / "text" / "2024-01-24-sweden-nato-ratification.txt"
    with detente.open(path) as db:
        report = db.ingest(one)
        assert (report.added, report.failed) == (1, 0)
        assert db.ingest([str(one)]).existing == 1
        assert db.quotes()
    with pytest.raises(detente.DetenteError, match="closed"):
        db.quotes()
    assert "closed" in repr(db)
    copy = tmp_path / "demo.db"
    shutil.copy(demo_db, copy)
    with detente.open(copy, readonly=True) as demo:
        out = tmp_path / "quotes.jsonl"
        count = demo.export("quotes", "jsonl", out)
        assert count == len(demo.quotes(include_scare=True))
        first = json.loads(out.read_text(encoding="utf-8").splitlines()[0])
        assert first == demo.quotes(include_scare=True)[0]
        with pytest.raises(detente.DetenteError, match="somewhere to write"):
            demo.export("quotes", "jsonl")


# --- to_pandas ---------------------------------------------------------------------------------


def _frames(db: detente.Database) -> dict[str, object]:
    return {
        "articles": db.articles().to_pandas(),
        "quotes": db.quotes().to_pandas(),
        "actors": db.actors().to_pandas(),
        "amounts": db.amounts().to_pandas(),
        "events": db.events(include_negated=True).to_pandas(),
        "failures": db.failures().to_pandas(),
        "timeline": db.timeline("RUS", "TUR").to_pandas(),
    }


def test_to_pandas_columns_and_dtypes(db: detente.Database) -> None:
    """Every result's DataFrame has the documented columns and dtypes, even when empty."""
    pytest.importorskip("pandas")
    for kind, frame in _frames(db).items():
        expected = DTYPES[kind]
        assert list(frame.columns) == list(expected), kind  # type: ignore[attr-defined]
        actual = {c: str(t) for c, t in frame.dtypes.items()}  # type: ignore[attr-defined]
        assert actual == {c: str(t) for c, t in expected.items()}, kind
    quotes = db.quotes().to_pandas()
    assert len(quotes) == len(db.quotes())
    assert quotes["speaker_code"].notna().any()


def test_to_pandas_without_pandas(db: detente.Database, monkeypatch: pytest.MonkeyPatch) -> None:
    """Without pandas, to_pandas() says how to install it."""
    monkeypatch.setitem(sys.modules, "pandas", None)
    with pytest.raises(detente.DetenteError, match=r"pip install 'detente\[pandas\]'"):
        db.quotes().to_pandas()


# --- highlight ---------------------------------------------------------------------------------


def test_highlight_quote_from_process() -> None:
    """A quote's sentence comes back with the quote and the speaker marked."""
    text = (
        'Russian President Vladimir Putin said the attack was "a stab in the back" and '
        "warned of serious consequences for relations with Ankara."
    )
    article = detente.process(text, published="2015-11-24")
    quote = next(q for q in article.quotes if q.text == "a stab in the back")
    marked = detente.highlight(article, quote)
    assert isinstance(marked, Highlight)
    assert "«a stab in the back»" in str(marked)
    assert "«" + quote.speaker.text + "»" in str(marked)  # type: ignore[union-attr]
    assert article.text[marked.start : marked.start + len(marked.sentence)] == marked.sentence
    assert '<mark title="quote">a stab in the back</mark>' in marked.html()
    assert "&quot;" in marked.html()  # the sentence is escaped
    assert marked._repr_html_().startswith("<p>")


def test_highlight_records(db: detente.Database) -> None:
    """Records from the queries are highlighted in their articles."""
    quote = db.quotes(speaker="Putin")[0]
    marked = db.highlight(quote)
    assert f"«{quote['text']}»" in str(marked)
    amount = db.amounts(unit="USD")[0]
    assert f"«{amount['text']}»" in str(db.highlight(amount))
    with pytest.raises(detente.DetenteError, match="names no article"):
        db.highlight({"text": "x"})


def test_highlight_escapes_and_skips_overlaps() -> None:
    """Markup in the text is escaped; overlapping spans keep the first."""
    marked = Highlight("a <b> & c", [(2, 5, "x"), (3, 4, "y"), (8, 9, "z")])
    assert str(marked) == "a «<b>» & «c»"
    assert marked.html() == 'a <mark title="x">&lt;b&gt;</mark> &amp; <mark title="z">c</mark>'


def test_highlight_rejects_other_things() -> None:
    """Anything else raises a DetenteError listing what it takes."""
    article = detente.Article(id="x", text="Some text here.", source="t")
    with pytest.raises(detente.DetenteError, match="Quote, Event, Amount, Mention"):
        detente.highlight(article, 42)  # type: ignore[arg-type]
