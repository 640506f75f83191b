"""Stories: articles that report the same news, grouped (issue 14)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from detente.cli.app import main
from detente.dedup.articles import article_id
from detente.dedup.stories import StoryArticle, group_stories, story_id
from detente.evaluation.stories import score_stories
from detente.model import Article
from detente.store.database import Store

# Two earthquakes told by three outlets each: the same kind of news, two different stories.
QUAKE_A = [
    "A magnitude 6.1 earthquake struck the Aegean island of Samos on Tuesday, toppling old "
    "houses in Vathy and injuring 14 people, the island's mayor Giorgos Stantzos said.",
    "Rescue teams in Vathy searched collapsed houses after Tuesday's 6.1 earthquake on Samos; "
    "mayor Giorgos Stantzos said 14 people were injured and schools would stay shut.",
    "Samos counted the damage on Wednesday after a 6.1 quake shook Vathy, where mayor Giorgos "
    "Stantzos asked Athens for engineers to inspect 300 damaged houses.",
]
QUAKE_B = [
    "A magnitude 5.4 earthquake hit the Peruvian city of Arequipa on Friday, cracking the walls "
    "of the San Lazaro church and killing two miners at the Cerro Verde pit.",
    "Two miners died at Cerro Verde when Friday's 5.4 earthquake shook Arequipa, where the "
    "old San Lazaro church was closed after its walls cracked.",
    "Arequipa's governor visited the Cerro Verde mine on Saturday, a day after the 5.4 quake "
    "that killed two miners and damaged the San Lazaro church.",
]
FILLER = [
    "The central bank of Norway kept its main interest rate at 4.5 percent on Thursday, citing "
    "slowing wage growth in Oslo and a weaker krone.",
    "A new ferry line between Split and Ancona opened for the summer, its operator Jadrolinija "
    "said, with four crossings a week.",
]


def _articles(days: dict[int, str] | None = None) -> list[StoryArticle]:
    texts = [*QUAKE_A, *QUAKE_B, *FILLER]
    days = days or {}
    published = ["2024-03-05"] * 3 + ["2024-06-14"] * 3 + ["2024-05-01", "2024-05-02"]
    return [StoryArticle(f"a{n}", text, days.get(n, published[n])) for n, text in enumerate(texts)]


def test_reports_of_one_happening_are_one_story_and_a_similar_happening_is_another() -> None:
    stories = group_stories(_articles())
    assert sorted(map(sorted, stories)) == [
        ["a0", "a1", "a2"], ["a3", "a4", "a5"], ["a6"], ["a7"],
    ]  # fmt: skip


def test_articles_weeks_apart_are_two_stories() -> None:
    stories = group_stories(_articles({2: "2024-04-20"}))  # the third Samos report, weeks later
    assert ["a2"] in stories and sorted(next(s for s in stories if "a0" in s)) == ["a0", "a1"]


def test_a_shared_event_joins_reports_that_share_few_words() -> None:
    terse = [
        StoryArticle("x", "Ministers of Chile and Peru met in Lima to sign a fishing accord.",
                     "2024-02-01"),
        StoryArticle("y", "Santiago and its northern neighbour concluded talks on anchovy quotas.",
                     "2024-02-01"),
    ]  # fmt: skip
    assert sorted(map(sorted, group_stories(terse))) == [["x"], ["y"]]
    shared = [
        StoryArticle(a.id, a.text, a.published, frozenset({"e1", "e2"})) for a in terse
    ]  # the two stored events both tell, merged by event dedup
    assert group_stories(shared) == [["x", "y"]]


def test_story_id_is_stable_and_independent_of_order() -> None:
    assert story_id(["b", "a"]) == story_id(["a", "b"]) != story_id(["b"])


def test_score_stories_pairwise_and_b3() -> None:
    # gold: {1,2,3} {4}; ours: {1,2} {3,4}
    result = score_stories(["g", "g", "g", "h"], ["x", "x", "y", "y"])
    assert (result.pairs_gold, result.pairs_ours, result.pairs_both) == (3, 2, 1)
    assert result.precision == pytest.approx(0.5) and result.recall == pytest.approx(1 / 3)
    # B3 precision: (1 + 1 + 1/2 + 1/2) / 4; recall: (2/3 + 2/3 + 1/3 + 1) / 4
    assert result.b3_precision == pytest.approx(0.75)
    assert result.b3_recall == pytest.approx(2.6667 / 4, abs=1e-4)


def _store(tmp_path: Path) -> Store:
    store = Store(tmp_path / "stories.db")
    outlets = ["Aegean Post", "Island Herald", "Harbour News"] * 2 + ["Fjord Times", "Adria"]
    for n, text in enumerate([*QUAKE_A, *QUAKE_B, *FILLER]):
        published = ["2024-03-05"] * 3 + ["2024-06-14"] * 3 + ["2024-05-01", "2024-05-02"]
        store.add_article(Article(
            id=article_id(text), text=text, source=f"story{n}.txt", outlet=outlets[n],
            title=text.split(",")[0], published=published[n],
        ))  # fmt: skip
    return store


def test_store_groups_on_demand_and_regroups_when_articles_arrive(tmp_path: Path) -> None:
    store = _store(tmp_path)
    told = store.stories(min_articles=2)
    assert [s["num_articles"] for s in told] == [3, 3]
    samos = next(s for s in told if s["first_published"] == "2024-03-05")
    assert samos["outlets"] == ["Aegean Post", "Island Herald", "Harbour News"]
    story = store.story(samos["id"])
    assert story is not None and len(story["articles"]) == 3
    assert [a["source"] for a in story["articles"]] == ["story0.txt", "story1.txt", "story2.txt"]
    assert len(store.stories()) == 4  # every article is in a story, alone when nothing joins it
    late = "Engineers cleared 280 of the 300 damaged houses in Vathy, mayor Giorgos Stantzos said."
    store.add_article(Article(
        id=article_id(late), text=late, source="late.txt", outlet="Aegean Post",
        published="2024-03-07",
    ))  # fmt: skip
    assert [s["num_articles"] for s in store.stories(min_articles=2)] == [4, 3]
    assert store.story("0" * 16) is None
    store.close()


def test_cli_stories_and_show_story(tmp_path: Path) -> None:
    _store(tmp_path).close()
    db = str(tmp_path / "stories.db")
    runner = CliRunner()
    listed = runner.invoke(main, ["stories", "--db", db, "--format", "json"])
    assert listed.exit_code == 0, listed.output
    rows = json.loads(listed.output)
    assert [r["num_articles"] for r in rows] == [3, 3]
    shown = runner.invoke(main, ["show-story", rows[0]["id"], "--db", db])
    assert shown.exit_code == 0 and "3 articles from 3 outlets" in shown.output
    missing = runner.invoke(main, ["show-story", "nope", "--db", db])
    assert missing.exit_code != 0 and "no story with id 'nope'" in missing.output


def test_python_api_lists_stories_and_one_story(tmp_path: Path) -> None:
    import detente
    from detente.errors import DetenteError

    _store(tmp_path).close()
    db = detente.open(tmp_path / "stories.db")
    told = db.stories()
    assert [s["num_articles"] for s in told] == [3, 3]
    assert db.story(told[0]["id"])["num_articles"] == 3
    with pytest.raises(DetenteError, match="no story with id"):
        db.story("nope")
    with pytest.raises(DetenteError, match="min_articles"):
        db.stories(min_articles=0)
    db.close()


def test_stories_as_a_dataframe(tmp_path: Path) -> None:
    pytest.importorskip("pandas")
    import detente

    _store(tmp_path).close()
    with detente.open(tmp_path / "stories.db") as db:
        frame = db.stories().to_pandas()
    assert list(frame["num_articles"]) == [3, 3] and frame["num_articles"].dtype == "int64"
    assert frame["first_published"].tolist() == ["2024-03-05", "2024-06-14"]
