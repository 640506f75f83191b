"""The SQLite article store: round trips, idempotence, near copies, search, safety."""

from __future__ import annotations

import signal
import sqlite3
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from detente.dedup.articles import article_id
from detente.errors import SchemaVersionError, StoreError
from detente.model import Article
from detente.store import database as store_module
from detente.store.database import LATEST_SCHEMA, Failure, Store
from test_dedup import COPY_CHANGED_SENTENCE, COPY_NEW_INTRO, DIFFERENT_STORY, ORIGINAL


def make(text: str, **fields: object) -> Article:
    """An article whose id is derived from its text, as extraction makes them."""
    fields.setdefault("source", "inbox/story.txt")
    return Article(id=article_id(text), text=text, **fields)  # type: ignore[arg-type]


def raw(path: Path) -> sqlite3.Connection:
    """A plain SQLite connection to look behind the store's back."""
    return sqlite3.connect(path, isolation_level=None)


@pytest.fixture
def store(tmp_path: Path) -> Iterator[Store]:
    """A fresh store in a temporary directory."""
    with Store(tmp_path / "detente.db") as opened:
        yield opened


# --- round trip ------------------------------------------------------------------------------

# Articles hold valid Unicode: acquisition replaces lone surrogates (JSON allows "\ud800").
_chars = st.characters(exclude_characters="\x00", exclude_categories=("Cs",))
_text = st.text(_chars, max_size=60)
_maybe = st.none() | _text
_articles = st.builds(
    Article,
    id=st.text(_chars, min_size=1, max_size=20).filter(lambda s: s != "parent"),
    text=st.text(_chars, min_size=1, max_size=400).filter(str.strip),
    source=_text,
    title=_maybe,
    outlet=_maybe,
    url=_maybe,
    author=_maybe,
    published=st.none() | st.dates().map(str),
    published_source=_maybe,
    language=st.none() | st.sampled_from(["en", "tr", "ru", "ar", "zh"]),
    fetched_at=_maybe,
    content_hash=st.none() | st.text("0123456789abcdef", min_size=64, max_size=64),
    duplicate_of=st.none() | st.just("parent"),
    removed=st.lists(_text, max_size=4),
)


@settings(max_examples=60, deadline=None)
@given(article=_articles)
def test_any_article_round_trips(
    tmp_path_factory: pytest.TempPathFactory, article: Article
) -> None:
    original = Article.from_dict(article.to_dict())
    with Store(tmp_path_factory.mktemp("rt") / "detente.db") as db:
        db.add_article(Article(id="parent", text="The parent.", source="p.txt"))
        outcome = db.add_article(article)
        assert outcome == ("added" if original.duplicate_of is None else "near_duplicate")
        assert article == original  # adding did not change what was passed in
        assert db.get_article(article.id) == original
        assert [a for a in db.articles() if a.id == article.id] == [original]


# --- identity and provenance -----------------------------------------------------------------


def test_adding_the_same_article_twice_keeps_one_row(store: Store, tmp_path: Path) -> None:
    article = make(ORIGINAL, content_hash="a" * 64)
    assert store.add_article(article) == "added"
    assert store.add_article(make(ORIGINAL, content_hash="a" * 64)) == "exists"
    assert store.count_articles() == 1
    assert len(store.provenance(article.id)) == 1
    assert store.has_source("a" * 64)
    assert not store.has_source("b" * 64)


def test_same_text_in_another_style_is_the_same_article(store: Store) -> None:
    curly = "Fidan said “we are ready” — talks go on.\nMore  to   follow."
    straight = 'Fidan said "we are ready" -- talks go on. More to follow.'
    first = make(curly, source="a.html", content_hash="a" * 64, fetched_at="2024-05-01T10:00:00")
    second = make(straight, source="b.txt", content_hash="b" * 64)
    assert first.id == second.id
    assert store.add_article(first) == "added"
    assert store.add_article(second) == "exists"
    assert store.count_articles() == 1
    assert store.get_article(first.id) == first  # the first text and provenance are kept
    sources = store.provenance(first.id)
    assert [(p.source, p.content_hash) for p in sources] == [
        ("a.html", "a" * 64),
        ("b.txt", "b" * 64),
    ]
    assert sources[0].fetched_at == "2024-05-01T10:00:00"
    assert store.has_source("b" * 64)


def test_invalid_articles_are_refused(store: Store) -> None:
    with pytest.raises(StoreError, match="no id"):
        store.add_article(Article(id="", text="Some text.", source="x.txt"))
    with pytest.raises(StoreError, match=r"x.txt' has no text"):
        store.add_article(Article(id="abc", text=" \n", source="x.txt"))
    with pytest.raises(StoreError, match="'missing', which is not stored"):
        store.add_article(make("Some text.", duplicate_of="missing"))
    assert store.count_articles() == 0
    assert store.provenance(article_id("Some text.")) == []


# --- near duplicates -------------------------------------------------------------------------


def test_syndicated_copy_is_linked_to_the_first_article(store: Store) -> None:
    original = make(ORIGINAL, outlet="Wire")
    assert store.add_article(original) == "added"
    copy = make(COPY_CHANGED_SENTENCE, outlet="Daily")
    assert store.add_article(copy) == "near_duplicate"
    assert copy.duplicate_of == original.id
    assert store.get_article(copy.id).duplicate_of == original.id  # type: ignore[union-attr]
    # a copy of the copy still points at the story's first article
    copy_of_copy = make(COPY_CHANGED_SENTENCE + " Updated at 18:00.")
    assert store.add_article(copy_of_copy) == "near_duplicate"
    assert copy_of_copy.duplicate_of == original.id
    other = make(DIFFERENT_STORY)
    assert store.add_article(other) == "added"
    assert other.duplicate_of is None
    assert store.count_articles() == 4


def test_near_duplicate_index_is_rebuilt_from_stored_signatures(tmp_path: Path) -> None:
    path = tmp_path / "detente.db"
    with Store(path) as first:
        first.add_article(make(ORIGINAL))
    with Store(path) as second:  # a new process: the index starts empty
        assert second.add_article(make(DIFFERENT_STORY)) == "added"
        assert second.add_article(make(COPY_NEW_INTRO)) == "near_duplicate"


def test_two_writers_see_each_others_articles_for_linking(tmp_path: Path) -> None:
    path = tmp_path / "detente.db"
    with Store(path) as one, Store(path) as two:
        one.add_article(make(DIFFERENT_STORY))  # builds one's index
        two.add_article(make(ORIGINAL))
        copy = make(COPY_CHANGED_SENTENCE)
        assert one.add_article(copy) == "near_duplicate"
        assert copy.duplicate_of == article_id(ORIGINAL)


# --- queries ---------------------------------------------------------------------------------


@pytest.fixture
def filled(store: Store) -> Store:
    """A store with four articles from two outlets, two languages and three dates."""
    store.add_article(
        make(
            "Turkey and Russia agreed on a ceasefire in Idlib after talks in Moscow.",
            title="Idlib ceasefire agreed",
            outlet="Wire",
            language="en",
            published="2020-03-05",
        )
    )
    store.add_article(
        make(
            "The European Union extended sanctions on Russia for six months.",
            title="EU sanctions extended",
            outlet="Daily",
            language="en",
            published="2020-03-06T09:30:00",
        )
    )
    store.add_article(
        make(
            "Türkiye ve Rusya İdlib'de ateşkes konusunda anlaştı.",
            title="İdlib'de ateşkes",
            outlet="Wire",
            language="tr",
            published="2020-03-07",
        )
    )
    store.add_article(make("An undated note about the ceasefire.", outlet="Daily"))
    return store


def _titles(articles: list[Article]) -> list[str | None]:
    """Titles of the articles, in order."""
    return [a.title for a in articles]


def test_articles_are_listed_newest_first(filled: Store) -> None:
    assert _titles(filled.articles()) == [
        "İdlib'de ateşkes",
        "EU sanctions extended",
        "Idlib ceasefire agreed",
        None,
    ]
    assert _titles(filled.articles(limit=2, offset=1)) == [
        "EU sanctions extended",
        "Idlib ceasefire agreed",
    ]
    assert filled.articles(limit=0) == []
    assert filled.count_articles() == 4


def test_filters_by_outlet_language_and_inclusive_dates(filled: Store) -> None:
    assert _titles(filled.articles(outlet="Wire")) == ["İdlib'de ateşkes", "Idlib ceasefire agreed"]
    assert _titles(filled.articles(language="tr")) == ["İdlib'de ateşkes"]
    assert _titles(filled.articles(since="2020-03-06")) == [
        "İdlib'de ateşkes",
        "EU sanctions extended",
    ]
    # until is inclusive, also for a published value with a time
    assert _titles(filled.articles(until="2020-03-06")) == [
        "EU sanctions extended",
        "Idlib ceasefire agreed",
    ]
    assert _titles(filled.articles(since="2020-03-06", until="2020-03-06", outlet="Daily")) == [
        "EU sanctions extended"
    ]
    assert filled.count_articles(outlet="Daily", language="en") == 1
    assert filled.articles(outlet="Nobody") == []
    for bad in ("2020-3-6", "06/03/2020", "20200306", "yesterday"):
        with pytest.raises(StoreError, match="YYYY-MM-DD"):
            filled.articles(since=bad)
    with pytest.raises(StoreError, match="limit=-1"):
        filled.articles(limit=-1)


def test_full_text_search_over_title_and_text(filled: Store) -> None:
    assert _titles(filled.articles(search="sanctions")) == ["EU sanctions extended"]
    assert set(_titles(filled.articles(search="ceasefire"))) == {"Idlib ceasefire agreed", None}
    assert _titles(filled.articles(search="idlib AND moscow")) == ["Idlib ceasefire agreed"]
    assert _titles(filled.articles(search="ateskes")) == ["İdlib'de ateşkes"]  # diacritics folded
    assert _titles(filled.articles(search="title:ceasefire")) == ["Idlib ceasefire agreed"]
    assert _titles(filled.articles(search="ceasefire", outlet="Wire")) == ["Idlib ceasefire agreed"]
    assert filled.count_articles(search="ceasefire") == 2
    assert filled.articles(search="drones") == []
    with pytest.raises(StoreError, match=r"not a valid full-text query.*double quotes"):
        filled.articles(search='"unbalanced')


def test_get_article_by_id_and_prefix(store: Store) -> None:
    for ident in ("abcdef0123456789", "abcdef9999999999", "0123456789abcdef", "ab*?[x]0000"):
        store.add_article(Article(id=ident, text=f"Text of {ident}.", source="x.txt"))
    assert store.get_article("0123456789abcdef").id == "0123456789abcdef"  # type: ignore[union-attr]
    assert store.get_article("012345").id == "0123456789abcdef"  # type: ignore[union-attr]
    assert store.get_article("abcdef9").id == "abcdef9999999999"  # type: ignore[union-attr]
    assert store.get_article("ab*?[x").id == "ab*?[x]0000"  # type: ignore[union-attr]
    assert store.get_article("01234") is None  # too short for a prefix
    assert store.get_article("fedcba98") is None
    assert store.get_article("ABCDEF0123456789") is None
    with pytest.raises(StoreError, match=r"abcdef0123456789, abcdef9999999999.*more characters"):
        store.get_article("abcdef")


# --- failures --------------------------------------------------------------------------------


def test_failures_are_recorded_and_listed(store: Store) -> None:
    assert store.failures() == []
    store.record_failure("bad.json", "line 3 is not valid JSON", line=3)
    store.record_failure("empty.txt", "no article text", stage="extract")
    store.record_failure("bad.json", "line 3 is not valid JSON", line=3)  # a re-run
    found = store.failures()
    assert [(f.source, f.line, f.stage, f.reason) for f in found] == [
        ("empty.txt", None, "extract", "no article text"),
        ("bad.json", 3, "ingest", "line 3 is not valid JSON"),
    ]
    assert all(isinstance(f, Failure) and f.at.startswith("20") for f in found)
    assert len(store.failures(limit=1)) == 1
    assert store.count_articles() == 0


# --- concurrency and modes -------------------------------------------------------------------


def test_database_is_in_wal_mode(store: Store, tmp_path: Path) -> None:
    conn = raw(tmp_path / "detente.db")
    assert conn.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
    assert conn.execute("PRAGMA application_id").fetchone()[0] == 0x44544E54
    conn.close()


def test_reader_reads_while_a_writer_writes(tmp_path: Path) -> None:
    path = tmp_path / "detente.db"
    with Store(path) as writer:
        writer.add_article(make(ORIGINAL))
        with Store(path, readonly=True) as reader:
            other = raw(path)
            other.execute("BEGIN IMMEDIATE")  # another writer holds the write lock
            other.execute(
                "INSERT INTO failures (source, stage, reason, at) VALUES ('x', 'ingest', 'r', 't')"
            )
            assert reader.count_articles() == 1  # not blocked, and sees only committed data
            assert reader.failures() == []
            other.execute("COMMIT")
            other.close()
            writer.add_article(make(DIFFERENT_STORY))
            assert reader.count_articles() == 2
            assert len(reader.failures()) == 1
            assert reader.get_article(article_id(ORIGINAL)) is not None
            assert reader.schema_version() == LATEST_SCHEMA


def test_readonly_store_refuses_writes(tmp_path: Path) -> None:
    path = tmp_path / "detente.db"
    Store(path).close()
    with Store(path, readonly=True) as reader:
        with pytest.raises(StoreError, match="read-only"):
            reader.add_article(make(ORIGINAL))
        with pytest.raises(StoreError, match="read-only"):
            reader.record_failure("x", "y")
        assert reader.count_articles() == 0
    with pytest.raises(StoreError, match=r"no database at .*missing.db"):
        Store(tmp_path / "missing.db", readonly=True)
    assert not (tmp_path / "missing.db").exists()


def test_closed_store_says_so(tmp_path: Path) -> None:
    db = Store(tmp_path / "detente.db")
    db.close()
    db.close()
    with pytest.raises(StoreError, match="closed"):
        db.count_articles()


# --- opening, versions and migrations --------------------------------------------------------


def test_migrations_run_on_an_empty_file_and_are_idempotent(tmp_path: Path) -> None:
    path = tmp_path / "detente.db"
    path.touch()
    with Store(path) as db:
        assert db.schema_version() == LATEST_SCHEMA
        db.add_article(make(ORIGINAL))
    conn = raw(path)
    schema = conn.execute("SELECT type, name, sql FROM sqlite_schema ORDER BY name").fetchall()
    conn.close()
    assert {"articles", "sources", "failures", "articles_fts"} <= {row[1] for row in schema}
    with Store(path) as db:
        assert db.schema_version() == LATEST_SCHEMA
        assert db.count_articles() == 1
    conn = raw(path)
    assert (
        conn.execute("SELECT type, name, sql FROM sqlite_schema ORDER BY name").fetchall() == schema
    )
    conn.close()


def test_a_failed_migration_leaves_the_file_unchanged(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = tmp_path / "detente.db"
    with Store(path) as db:
        db.add_article(make(ORIGINAL))

    def broken(conn: sqlite3.Connection) -> None:
        conn.execute("CREATE TABLE half_done (id INTEGER PRIMARY KEY)")
        conn.execute("INSERT INTO no_such_table VALUES (1)")

    monkeypatch.setattr(store_module, "MIGRATIONS", (*store_module.MIGRATIONS, broken))
    monkeypatch.setattr(store_module, "LATEST_SCHEMA", LATEST_SCHEMA + 1)
    with pytest.raises(StoreError, match=rf"could not upgrade .* to schema v{LATEST_SCHEMA + 1}"):
        Store(path)
    monkeypatch.undo()
    with Store(path) as db:
        assert db.schema_version() == LATEST_SCHEMA
        assert db.count_articles() == 1
    conn = raw(path)
    assert conn.execute("SELECT name FROM sqlite_schema WHERE name = 'half_done'").fetchall() == []
    conn.close()


def test_newer_schema_is_refused_with_upgrade_advice(tmp_path: Path) -> None:
    path = tmp_path / "detente.db"
    Store(path).close()
    conn = raw(path)
    conn.execute(f"PRAGMA user_version = {LATEST_SCHEMA + 2}")
    conn.close()
    expected = (
        f"detente.db was written by schema v{LATEST_SCHEMA + 2}; this detente reads up to "
        f"v{LATEST_SCHEMA}. Upgrade detente \\(pip install -U detente\\)."
    )
    for readonly in (False, True):
        with pytest.raises(SchemaVersionError, match=expected):
            Store(path, readonly=readonly)


def test_a_text_file_is_not_a_database(tmp_path: Path) -> None:
    path = tmp_path / "notes.txt"
    path.write_text("These are my notes, not a database.\n")
    with pytest.raises(StoreError, match=r"notes.txt is not a SQLite database.*--db"):
        Store(path)
    assert path.read_text() == "These are my notes, not a database.\n"


def test_another_apps_database_is_left_alone(tmp_path: Path) -> None:
    path = tmp_path / "other.db"
    conn = raw(path)
    conn.execute("CREATE TABLE photos (id INTEGER PRIMARY KEY)")
    conn.close()
    with pytest.raises(StoreError, match=r"not Detente's.*photos"):
        Store(path)
    conn = raw(path)
    assert [r[0] for r in conn.execute("SELECT name FROM sqlite_schema")] == ["photos"]
    conn.close()


def test_bad_paths_are_named(tmp_path: Path) -> None:
    missing = tmp_path / "no" / "such" / "dir" / "detente.db"
    with pytest.raises(StoreError, match=r"directory .*no/such/dir does not exist"):
        Store(missing)
    with pytest.raises(StoreError, match="is a directory"):
        Store(tmp_path)


# --- integrity and crashes -------------------------------------------------------------------


def _assert_consistent(path: Path) -> None:
    """The database passes SQLite's, the FTS index's and the foreign keys' checks."""
    conn = raw(path)
    assert conn.execute("PRAGMA integrity_check").fetchall() == [("ok",)]
    assert conn.execute("PRAGMA foreign_key_check").fetchall() == []
    conn.execute("INSERT INTO articles_fts(articles_fts) VALUES ('integrity-check')")
    orphans = conn.execute(
        "SELECT count(*) FROM articles a WHERE NOT EXISTS"
        " (SELECT 1 FROM sources s WHERE s.article_id = a.id)"
    ).fetchone()[0]
    assert orphans == 0
    fts_rows = conn.execute("SELECT count(*) FROM articles_fts").fetchone()[0]
    assert fts_rows == conn.execute("SELECT count(*) FROM articles").fetchone()[0]
    conn.close()


def test_integrity_after_a_batch(tmp_path: Path) -> None:
    path = tmp_path / "detente.db"
    with Store(path) as db:
        for text in (ORIGINAL, COPY_CHANGED_SENTENCE, COPY_NEW_INTRO, DIFFERENT_STORY, ORIGINAL):
            db.add_article(make(text))
        db.record_failure("bad.html", "no article text")
    _assert_consistent(path)


BATCH = 300
_BATCH_SCRIPT = f"""
import random
import sys

from detente.dedup.articles import article_id
from detente.model import Article
from detente.store.database import Store

with Store(sys.argv[1]) as store:
    for i in range({BATCH}):
        words = random.Random(i).choices(range(100_000), k=40)
        text = f"Report {{i}}: " + " ".join(f"w{{w}}" for w in words)
        article = Article(id=article_id(text), text=text, source=f"batch/{{i}}.txt")
        print(i, store.add_article(article), flush=True)
"""


@pytest.mark.skipif(sys.platform == "win32", reason="needs SIGKILL")
def test_kill_mid_batch_leaves_whole_articles_and_a_rerun_completes(tmp_path: Path) -> None:
    path = tmp_path / "detente.db"
    script = tmp_path / "batch.py"
    script.write_text(_BATCH_SCRIPT)
    child = subprocess.Popen(
        [sys.executable, str(script), str(path)], stdout=subprocess.PIPE, text=True
    )
    assert child.stdout is not None
    done = [child.stdout.readline() for _ in range(30)]
    child.send_signal(signal.SIGKILL)
    child.wait(timeout=10)
    child.stdout.close()
    assert done[-1].startswith("29 added")
    _assert_consistent(path)
    with Store(path) as db:
        stored = db.count_articles()
    assert 30 <= stored < BATCH
    # re-run the whole batch: what is stored is kept, the rest is added
    rerun = subprocess.run(
        [sys.executable, str(script), str(path)], capture_output=True, text=True, check=True
    )
    outcomes = [line.split()[1] for line in rerun.stdout.splitlines()]
    assert outcomes == ["exists"] * stored + ["added"] * (BATCH - stored)
    _assert_consistent(path)
    with Store(path) as db:
        assert db.count_articles() == BATCH
