"""Articles the English annotator cannot read (issue 15): stored, searchable, not annotated."""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner

from detente.annotate.pipeline import annotate, annotate_stored
from detente.cli.app import main
from detente.extract.language import not_annotated_reason
from detente.ingest import ingest
from detente.model import Actor, Article, Mention
from detente.store.database import Store

# written for these tests: a Turkish and a Russian report of a made-up meeting, one English one
TURKISH = (
    "Dışişleri Bakanı dün Moskova'da Rus mevkidaşıyla bir araya geldi. İki bakan, Karadeniz'deki "
    "tahıl sevkiyatını ve 2 milyar dolarlık yeni bir ticaret anlaşmasını görüştü. Bakan, "
    '"Görüşmeler yapıcı geçti" dedi. Toplantının ardından ortak bir açıklama yayımlandı.'
)
RUSSIAN = (
    "Министр иностранных дел России вчера встретился в Анкаре со своим турецким коллегой. "
    "Стороны обсудили поставки зерна через Чёрное море и новое торговое соглашение на два "
    "миллиарда долларов. «Переговоры были конструктивными», — заявил министр журналистам."
)
ENGLISH = (
    "The Turkish foreign minister met his Russian counterpart in Moscow on Tuesday. The two "
    "ministers discussed grain shipments across the Black Sea and a new trade agreement."
)


@pytest.mark.parametrize(("text", "lang"), [(TURKISH, "tr"), (RUSSIAN, "ru")])
def test_other_languages_are_not_for_the_english_model(text: str, lang: str) -> None:
    assert not_annotated_reason(text) == f"language {lang} not supported (the annotator reads en)"


@pytest.mark.parametrize(
    "text",
    [
        ENGLISH,
        "Macron met Scholz in Rome.",  # guessed as Dutch, unsure: still annotated
        "Turkish President Tayyip Erdogan met Russian President Vladimir Putin in Sochi.",
        "Ankara agreed.",  # too short to guess
    ],
)
def test_english_and_unsure_texts_are_annotated(text: str) -> None:
    assert not_annotated_reason(text) is None


def test_annotate_leaves_a_turkish_article_unannotated() -> None:
    someone = Actor("Bakan", "TURGOV", "TUR")
    article = Article(id="tr1", text=TURKISH, source="tr.txt", nlp="old-model",
                      mentions=[Mention(0, 5, "Dışiş", someone)])  # fmt: skip
    done = annotate(article)  # would load spaCy if it tried
    assert done.nlp is None and not done.mentions and not done.quotes and not done.amounts
    assert not done.events and not done.sentences


@pytest.fixture()
def folder(tmp_path: Path) -> Path:
    inputs = tmp_path / "in"
    inputs.mkdir()
    (inputs / "ankara-tr.txt").write_text(TURKISH, encoding="utf-8")
    (inputs / "ankara-ru.txt").write_text(RUSSIAN, encoding="utf-8")
    return inputs


def test_ingest_stores_them_searchable_and_counts_them(folder: Path, tmp_path: Path) -> None:
    with Store(tmp_path / "lang.db") as store:
        report = ingest([str(folder)], store=store, default_date="2024-05-02")
        assert (report.added, report.not_annotated, report.failed) == (2, 2, 0)
        assert report.to_dict()["not_annotated"] == 2
        assert sorted(store.unannotated()) == sorted(report.article_ids)
        assert {a.language for a in store.articles()} == {"tr", "ru"}
        (found,) = store.articles(search="tahıl")
        assert found.source.endswith("ankara-tr.txt")
        (found,) = store.articles(search="зерна")
        assert found.source.endswith("ankara-ru.txt")
        assert not store.events() and not store.quotes() and not store.amounts()
        skipped: list[tuple[str, str]] = []
        assert annotate_stored(store, on_skip=lambda i, r: skipped.append((i, r))) == 0
        assert sorted(r for _, r in skipped) == [
            "language ru not supported (the annotator reads en)",
            "language tr not supported (the annotator reads en)",
        ]
        assert len(store.unannotated()) == 2  # still not annotated


def test_the_cli_lists_why(folder: Path, tmp_path: Path) -> None:
    db = str(tmp_path / "cli.db")
    runner = CliRunner()
    result = runner.invoke(main, ["ingest", str(folder), "--db", db, "--date", "2024-05-02"])
    assert result.exit_code == 0, result.output
    assert "2 stored but not annotated" in result.stderr
    result = runner.invoke(main, ["articles", "--db", db, "--format", "json"])
    rows = {row["language"]: row for row in __import__("json").loads(result.stdout)}
    assert rows["tr"]["annotation"] == (
        "not annotated: language tr not supported (the annotator reads en)"
    )
    assert rows["ru"]["annotation"].startswith("not annotated: language ru not supported")
    result = runner.invoke(main, ["annotate", "--db", db])
    assert result.exit_code == 0, result.output
    assert "0 articles annotated" in result.stderr
    assert "1 not annotated: language tr not supported" in result.stderr


def test_a_mixed_store_annotates_only_the_english(folder: Path, tmp_path: Path) -> None:
    (folder / "moscow-en.txt").write_text(ENGLISH, encoding="utf-8")
    with Store(tmp_path / "mixed.db") as store:
        ingest([str(folder)], store=store, default_date="2024-05-02", annotate=False)
        assert annotate_stored(store) == 1
        by_lang = {a.language: store.get_article(a.id) for a in store.articles()}
        english, turkish = by_lang["en"], by_lang["tr"]
        assert english is not None and english.nlp and english.sentences
        assert turkish is not None and turkish.nlp is None and not turkish.mentions
        assert sorted(store.unannotated()) == sorted(a.id for a in store.articles()
                                                     if a.language != "en")  # fmt: skip
        assert annotate_stored(store, redo=True) == 1  # --all: the same one again
