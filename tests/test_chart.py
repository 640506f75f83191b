"""Timeline charts (issue 15): a time axis without gaps, what is left out, editable SVG text."""

from __future__ import annotations

import struct
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest
from click.testing import CliRunner

from detente.cli.app import main
from detente.dedup.articles import article_id
from detente.errors import DetenteError
from detente.model import Actor, Article, Event, Mention
from detente.query.chart import caption, peak_label, peaks, plot, ticks
from detente.query.timeline import filled, period_range, timeline
from detente.store.database import Store

pytest.importorskip("detente.dedup.events")

ANKARA = Actor("Ankara", "TURGOV", "TUR", "GOV", "city")
MOSCOW = Actor("Moscow", "RUSGOV", "RUS", "GOV", "city")


def _event(text: str, source: Actor | None, target: Actor | None, **kwargs: object) -> Event:
    values: dict[str, object] = {
        "cameo": "042", "plover": "CONSULT", "quad_class": 1, "goldstein": 1.9,
        "trigger": "visited", "date_precision": "day", "date_source": "text",
        "sentence_start": 0, "sentence_end": len(text),
    }  # fmt: skip
    values.update(kwargs)

    def side(actor: Actor | None) -> Mention | None:
        if actor is None:
            return None
        at = text.index(actor.name)
        return Mention(at, at + len(actor.name), actor.name, actor)

    return Event(source=side(source), target=side(target), **values)  # type: ignore[arg-type]


def _add(store: Store, text: str, published: str, events: list[Event]) -> None:
    store.add_article(Article(
        id=article_id(text), text=text, source=f"{published}.txt", outlet="Steppe Herald",
        published=published, nlp="test-model", sentences=[(0, len(text))], events=events,
    ))  # fmt: skip


@pytest.fixture()
def store(tmp_path: Path) -> Store:
    db = Store(tmp_path / "chart.db")
    one = "Ankara sent envoys to Moscow on Monday, and Moscow thanked Ankara for the visit."
    _add(db, one, "2015-11-02", [
        _event(one, ANKARA, MOSCOW, date="2015-11-02"),
        _event(one, MOSCOW, ANKARA, cameo="051", plover="COOPERATE", goldstein=3.4,
               trigger="thanked", date="2015-11-02"),
    ])  # fmt: skip
    two = "Moscow expelled diplomats from Ankara in a row over grain shipments in Odesa."
    _add(db, two, "2016-02-10", [
        _event(two, MOSCOW, ANKARA, cameo="161", plover="REDUCE", quad_class=4, goldstein=-4.0,
               trigger="expelled", date="2016-02-10"),
    ])  # fmt: skip
    three = "Ankara did not recall its ambassador from Moscow, a spokesman said on Tuesday."
    _add(db, three, "2016-02-16", [
        _event(three, ANKARA, MOSCOW, cameo="161", plover="REDUCE", quad_class=4,
               goldstein=-4.0, trigger="recall", date="2016-02-16", negated=True),
    ])  # fmt: skip
    four = "Ankara protested on Thursday after a border post came under fire near Kilis."
    _add(db, four, "2018-06-07", [
        _event(four, ANKARA, None, cameo="111", plover="ACCUSE", quad_class=3, goldstein=-2.0,
               trigger="protested", date="2018-06-07"),
    ])  # fmt: skip
    yield db
    db.close()


@pytest.mark.parametrize(
    ("first", "last", "by", "expected"),
    [
        ("2015-11", "2016-02", "month", ["2015-11", "2015-12", "2016-01", "2016-02"]),
        ("2015-Q4", "2016-Q2", "quarter", ["2015-Q4", "2016-Q1", "2016-Q2"]),
        ("2015", "2018", "year", ["2015", "2016", "2017", "2018"]),
        ("2016-03", "2016-03", "month", ["2016-03"]),
    ],
)
def test_period_range_has_no_gaps(first: str, last: str, by: str, expected: list[str]) -> None:
    assert period_range(first, last, by) == expected


def test_filled_puts_empty_periods_at_zero(store: Store) -> None:
    line = timeline(store, "RUS", "TUR", by="month")
    assert [p.period for p in line.periods] == ["2015-11", "2016-02"]  # the data stay sparse
    periods = filled(line)
    assert [p.period for p in periods] == ["2015-11", "2015-12", "2016-01", "2016-02"]
    assert [p.total for p in periods] == [2, 0, 0, 1]
    assert periods[1].goldstein_mean is None and not any(periods[2].counts.values())
    assert periods[3].counts["material_conflict"] == 1


def test_timeline_counts_what_it_leaves_out(store: Store) -> None:
    line = timeline(store, "TUR", "RUS", by="year", min_confidence=0)
    assert line.left_out == {"negated": 1, "hypothetical": 0, "one_sided": 1, "unlikely": 0}
    assert line.to_dict()["left_out"]["one_sided"] == 1
    assert line.total == 3
    text = caption(line)
    assert "N = 3 events" in text and "1 negated" in text and "1 one-sided" in text
    with_negated = timeline(store, "TUR", "RUS", by="year", include_negated=True, min_confidence=0)
    assert with_negated.left_out["negated"] == 0 and with_negated.total == 4
    confident = timeline(store, "TUR", "RUS", by="year", include_negated=True, min_confidence=1.0)
    assert confident.total == 0 and confident.left_out["unlikely"] == 4
    assert "4 unlikely" in caption(confident)


def test_peaks_are_labelled_with_their_main_event(store: Store) -> None:
    periods = filled(timeline(store, "RUS", "TUR", by="month"))
    assert peaks(periods, 1) == [0]
    label = peak_label(periods[0])
    # the main event: both told once, the stronger Goldstein score first
    assert label == "2015-11: 2 events\nRUSGOV→TURGOV thanked"


def test_a_long_monthly_axis_is_ticked_once_a_year() -> None:
    from detente.query.timeline import Period

    periods = [Period(label) for label in period_range("2015-11", "2024-07", "month")]
    positions, labels = ticks(periods, "month")
    assert labels == [str(year) for year in range(2016, 2025)]
    assert periods[positions[0]].period == "2016-01"


def test_svg_text_stays_text(store: Store, tmp_path: Path) -> None:
    path = plot(timeline(store, "RUS", "TUR", by="month"), tmp_path / "chart.svg")
    root = ET.parse(path).getroot()
    texts = " ".join("".join(el.itertext()) for el in root.iter() if el.tag.endswith("}text"))
    assert "material conflict" in texts  # the legend
    assert "N = 3 events" in texts and "one-sided" in texts  # the caption
    assert "2015-11: 2 events" in texts  # the peak label


def _png_width(path: Path) -> int:
    data = path.read_bytes()
    assert data[:8] == b"\x89PNG\r\n\x1a\n"
    return int(struct.unpack(">I", data[16:20])[0])


def test_dpi_sets_the_png_resolution(store: Store, tmp_path: Path) -> None:
    line = timeline(store, "RUS", "TUR", by="year")
    low = _png_width(plot(line, tmp_path / "low.png", dpi=50))
    high = _png_width(plot(line, tmp_path / "high.png", dpi=100))
    assert abs(high - 2 * low) <= 2
    with pytest.raises(DetenteError, match="dpi 0"):
        plot(line, tmp_path / "bad.png", dpi=0)
    with pytest.raises(DetenteError, match=r"\.png, \.svg or \.pdf"):
        plot(line, tmp_path / "chart.gif")


def test_no_events_to_plot_says_what_to_do(store: Store, tmp_path: Path) -> None:
    with pytest.raises(DetenteError, match="no dated events between RUS and USA"):
        plot(timeline(store, "RUS", "USA"), tmp_path / "empty.png")


def test_cli_plot_with_dpi_and_left_out_title(store: Store, tmp_path: Path) -> None:
    chart = tmp_path / "chart.png"
    args = ["timeline", "RUS", "TUR", "--db", str(store.path), "--by", "year"]
    result = CliRunner().invoke(main, [*args, "--plot", str(chart), "--dpi", "60"])
    assert result.exit_code == 0, result.output
    assert "left out: 1 negated, 1 one-sided" in result.stdout
    assert _png_width(chart) < _png_width(plot(timeline(store, "RUS", "TUR"), tmp_path / "x.png"))
    result = CliRunner().invoke(main, [*args, "--plot", str(chart), "--dpi", "5"])
    assert result.exit_code == 2 and "--dpi" in result.output
