"""The web explorer without a browser: pages, JSON twins, exports, CSP, escaping, SQL, token."""

from __future__ import annotations

import asyncio
import os
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest

pytest.importorskip("datasette")

from detente.dedup.articles import article_id
from detente.errors import StoreError
from detente.model import Actor, Amount, Article, Event, Location, Mention, Quote
from detente.store.database import Store
from detente.web import make_datasette, serve
from detente.web.render import Span, highlight, safe_href
from detente.web.server import is_loopback

PUTIN = Actor("Vladimir Putin", "RUSGOV", "RUS", "GOV", "person", "President")
ERDOGAN = Actor("Recep Tayyip Erdoğan", "TURGOV", "TUR", "GOV", "person", "President")
TURKEY = Actor("Türkiye", "TUR", "TUR", None, "country")
RUSSIA = Actor("Russia", "RUS", "RUS", None, "country")
EVIL = Actor('<img src=x onerror="alert(3)">', "XSS", None, None, "person")
SOCHI = Location("Sochi", "RUS", 43.6, 39.73, "city")

XSS_TEXT = (
    "Officials met on Monday. <script>alert('pwned')</script> The statement read "
    '<img src=x onerror="alert(1)"> and <a href="javascript:alert(2)">click here</a>. '
    "Putin said “<b onmouseover=alert(4)>no deal</b>” after the talks."
)


def _mention(text: str, word: str, actor: Actor) -> Mention:
    start = text.index(word)
    return Mention(start, start + len(word), word, actor)


def _sentence(text: str, word: str) -> tuple[int, int]:
    """Offsets of the sentence (split on '. ') holding ``word``."""
    at = text.index(word)
    start = text.rfind(". ", 0, at)
    start = 0 if start < 0 else start + 2
    end = text.find(". ", at)
    return start, len(text) if end < 0 else end + 1


def _event(text: str, source: Mention, target: Mention, cameo: str, trigger: str,
           **kwargs: Any) -> Event:  # fmt: skip
    s_start, s_end = _sentence(text, trigger)
    t_start = text.index(trigger)
    values: dict[str, Any] = {
        "plover": "CONSULT", "quad_class": 1, "goldstein": 1.9, "date": "2022-08-05",
        "date_precision": "day", "date_source": "text",
    }  # fmt: skip
    values.update(kwargs)
    return Event(source=source, target=target, cameo=cameo, trigger=trigger,
                 trigger_start=t_start, trigger_end=t_start + len(trigger),
                 sentence_start=s_start, sentence_end=s_end, **values)  # fmt: skip


def _article(text: str, published: str, outlet: str, **kwargs: Any) -> Article:
    return Article(
        id=article_id(text), text=text, source=f"{outlet}.txt", outlet=outlet,
        published=published, nlp="test-model", sentences=[(0, len(text))], **kwargs,
    )  # fmt: skip


SOCHI_TEXT = (
    "Erdogan travelled to Sochi on Friday to meet Putin. Putin said “we agreed on the grain "
    "corridor” after four hours of talks. Trade reached $62 billion last year."
)
SHOOTDOWN_TEXT = "Turkish jets shot down a Russian bomber near the Syrian border. Russia protested."
SANCTIONS_TEXT = "Russia did not impose new sanctions on Türkiye, officials said on Monday."


def build_database(path: Path) -> dict[str, str]:
    """A small database: a RUS-TUR dyad over three months, quotes, amounts and an XSS article."""
    ids = {}
    with Store(path) as db:
        text = SOCHI_TEXT
        quote_at = text.index("we agreed")
        quote_end = text.index("”", quote_at)
        money = text.index("$62 billion")
        putin = _mention(text, "Putin", PUTIN)
        visit = _article(
            text, "2022-08-05", "Black Sea Monitor", title="Erdogan meets Putin in Sochi",
            url="https://example.org/sochi", removed=["Subscribe to our newsletter!"],
            mentions=[_mention(text, "Erdogan", ERDOGAN), putin],
            quotes=[Quote(quote_at, quote_end, text[quote_at:quote_end], True, "statement",
                          Mention(52, 57, "Putin", PUTIN), "said", None,
                          *_sentence(text, "we agreed"))],
            amounts=[Amount(money, money + 11, "$62 billion", 62e9, "USD", "trade", False,
                            *_sentence(text, "$62 billion"))],
            events=[
                _event(text, _mention(text, "Erdogan", ERDOGAN), putin, "042", "travelled",
                       location=SOCHI, plover_mode="visit"),
                _event(text, putin, _mention(text, "Erdogan", ERDOGAN), "030", "agreed",
                       goldstein=4.0, plover="AGREE"),
            ],
        )  # fmt: skip
        ids["visit"] = visit.id
        db.add_article(visit)
        text = SHOOTDOWN_TEXT
        shoot = _article(
            text, "2015-11-24", "Volga Courier", title="Jets down a bomber",
            mentions=[_mention(text, "Turkish", TURKEY), _mention(text, "Russia", RUSSIA)],
            events=[
                _event(text, _mention(text, "Turkish", TURKEY), _mention(text, "Russian", RUSSIA),
                       "190", "shot down", plover="ASSAULT", quad_class=4, goldstein=-10.0,
                       date="2015-11-24"),
                _event(text, _mention(text, "Russia", RUSSIA), _mention(text, "Turkish", TURKEY),
                       "111", "protested", plover="REJECT", quad_class=3, goldstein=-2.0,
                       date="2015-11-24"),
            ],
        )  # fmt: skip
        ids["shootdown"] = shoot.id
        db.add_article(shoot)
        text = SANCTIONS_TEXT
        sanctions = _article(
            text, "2016-01-04", "Volga Courier", title="No new sanctions",
            mentions=[_mention(text, "Russia", RUSSIA)],
            events=[_event(text, _mention(text, "Russia", RUSSIA),
                           _mention(text, "Türkiye", TURKEY), "163", "impose", plover="SANCTION",
                           quad_class=4, goldstein=-8.0, negated=True, modality="threat",
                           date="2016-01-04")],
        )  # fmt: skip
        ids["sanctions"] = sanctions.id
        db.add_article(sanctions)
        text = XSS_TEXT
        evil_at = text.index("<img")
        xss = _article(
            text, "2023-03-01", "<script>alert('outlet')</script>",
            title="<script>alert('title')</script> Hacked?", url="javascript:alert('url')",
            removed=["<script>alert('removed')</script>"],
            mentions=[Mention(evil_at, evil_at + 30, text[evil_at : evil_at + 30], EVIL),
                      _mention(text, "Putin", PUTIN)],
            quotes=[Quote(text.index("<b "), text.index("”", text.index("<b ")),
                          text[text.index("<b ") : text.index("”", text.index("<b "))], True,
                          "statement", _mention(text, "Putin", PUTIN), "said")],
        )  # fmt: skip
        ids["xss"] = xss.id
        db.add_article(xss)
    return ids


@pytest.fixture(scope="module")
def database(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, dict[str, str]]:
    """The test database and the ids of its articles."""
    path = tmp_path_factory.mktemp("web") / "web.db"
    return path, build_database(path)


def get(app: Any, path: str, **kwargs: Any) -> httpx.Response:
    """GET through the whole ASGI app (security wrapper included)."""
    return asyncio.run(app.client.get(path, **kwargs))  # type: ignore[no-any-return]


@pytest.fixture(scope="module")
def app(database: tuple[Path, dict[str, str]]) -> Any:
    """The Datasette app over the test database, SQL off, no token."""
    return make_datasette(database[0])


def test_dashboard_counts_dyads_and_recent_events(app: Any) -> None:
    page = get(app, "/")
    assert page.status_code == 200
    assert "Most active pairs" in page.text and 'href="/dyad/RUS/TUR"' in page.text
    data = get(app, "/.json").json()
    assert data["counts"]["articles"] == 4 and data["counts"]["events"] == 5
    assert data["counts"]["quotes"] == 2 and data["counts"]["actors"] >= 5
    (dyad,) = data["dyads"]
    assert (dyad["a"], dyad["b"], dyad["events"]) == ("RUS", "TUR", 4)  # the negated one is out
    assert data["recent_events"][0]["date"] == "2022-08-05"


def test_dyad_page_draws_the_chart_and_lists_events_with_flags(app: Any) -> None:
    page = get(app, "/dyad/rus/tur")
    assert page.status_code == 200
    assert page.text.count('class="bar quad-') == 3 and page.text.count("bar goldstein") == 2
    assert "<svg" in page.text and "negated" in page.text and "threat" in page.text
    assert "#ev-0" in page.text and "Make a visit" in page.text  # evidence link, code name
    data = get(app, "/dyad/RUS/TUR.json").json()
    assert [p["period"] for p in data["periods"]] == ["2015-11", "2022-08"]
    assert data["periods"][0]["material_conflict"] == 1
    assert data["periods"][0]["verbal_conflict"] == 1
    assert data["periods"][1]["goldstein_mean"] == round((1.9 + 4.0) / 2, 2)
    assert len(data["events"]) == 5 and any(e["negated"] for e in data["events"])
    yearly = get(app, "/dyad/TUR/RUS.json?by=year&negated=1").json()
    assert [p["period"] for p in yearly["periods"]] == ["2015", "2016", "2022"]


def test_event_page_links_every_mention_to_its_sentence(app: Any, database: Any) -> None:
    visit = next(e for e in get(app, "/dyad/RUS/TUR.json").json()["events"] if e["cameo"] == "042")
    page = get(app, f"/event/{visit['id']}")
    assert page.status_code == 200
    assert f'href="/article/{database[1]["visit"]}#ev-0"' in page.text
    data = get(app, f"/event/{visit['id']}.json").json()
    assert data["mentions"][0]["sentence"].startswith("Erdogan travelled to Sochi")
    assert data["location"]["name"] == "Sochi"


def test_article_page_highlights_and_folds_boilerplate(app: Any, database: Any) -> None:
    ident = database[1]["visit"]
    page = get(app, f"/article/{ident}")
    assert page.status_code == 200
    assert '<mark id="ev-0" class="ev q1"' in page.text
    assert '<span id="q-' in page.text and 'class="amount"' in page.text
    assert 'class="actor"' in page.text and 'href="/actor/' in page.text
    assert '<details class="removed">' in page.text and "Subscribe to our newsletter!" in page.text
    assert 'href="https://example.org/sochi"' in page.text
    data = get(app, f"/article/{ident[:8]}.json").json()  # a unique prefix works too
    assert data["id"] == ident and data["events"][0]["sentence_start"] == 0
    assert data["quotes"][0]["text"] == "we agreed on the grain corridor"


def test_actor_page_quotes_events_counterparts(app: Any) -> None:
    actors = get(app, "/.json").json()["actors"]
    putin = next(a for a in actors if a["name"] == "Vladimir Putin")
    data = get(app, f"/actor/{putin['id']}.json").json()
    assert data["code"] == "RUSGOV" and data["mentions"] == 2 and data["num_articles"] == 2
    assert "we agreed on the grain corridor" in [q["text"] for q in data["quotes"]]
    assert {e["cameo"] for e in data["events"]} == {"042", "030"}
    assert data["counterparts"][0]["name"] == "Recep Tayyip Erdoğan"
    page = get(app, f"/actor/{putin['id']}")
    assert page.status_code == 200 and "Counterparts" in page.text


def test_search_finds_quotes_and_articles(app: Any) -> None:
    data = get(app, "/search.json?q=grain").json()
    assert data["quotes"][0]["text"] == "we agreed on the grain corridor"
    assert data["articles"][0]["title"] == "Erdogan meets Putin in Sochi"
    assert get(app, '/search.json?q="unbalanced').json()["error"] is None  # falls back to words
    page = get(app, "/search?q=grain")
    assert page.status_code == 200 and "<mark>grain</mark>" in page.text


@pytest.mark.parametrize(
    "path, expected",
    [
        ("/detente/quotes?_search=grain", "grain corridor"),
        ("/detente/articles?_search=bomber", "Jets down a bomber"),
        ("/detente/events?_facet=cameo_root", "cameo_root"),
        ("/detente/articles?_facet_date=published", "published"),
        ("/detente/actors?_facet=country", "RUS"),
    ],
)
def test_datasette_table_views_search_and_facets(app: Any, path: str, expected: str) -> None:
    page = get(app, path)
    assert page.status_code == 200 and expected in page.text


def test_csv_and_json_export_of_tables(app: Any) -> None:
    csv = get(app, "/detente/events.csv?_size=max")
    assert csv.status_code == 200 and csv.text.splitlines()[0].startswith("seq,id,")
    assert len(csv.text.strip().splitlines()) == 6
    rows = get(app, "/detente/quotes.json?_shape=array&_search=grain").json()
    assert rows[0]["text"] == "we agreed on the grain corridor"


def test_json_errors_share_datasette_shape(app: Any) -> None:
    for path in ("/event/nope.json", "/article/abcdef123.json", "/actor/99999.json"):
        response = get(app, path)
        assert response.status_code == 404
        body = response.json()
        assert body["ok"] is False and body["status"] == 404 and body["error"]
    assert get(app, "/article/nope").status_code == 404


@pytest.mark.parametrize(
    "path",
    [
        "/",
        "/dyad/RUS/TUR",
        "/search?q=x",
        "/detente/articles",
        "/detente/events.csv",
        "/.json",
        "/-/detente/detente.css",
    ],
)
def test_csp_header_on_every_response(app: Any, path: str) -> None:
    response = get(app, path)
    csp = response.headers["content-security-policy"]
    assert "default-src 'none'" in csp and "script-src 'self' 'nonce-" in csp
    assert "unsafe-inline" not in csp.split("script-src", 1)[1].split(";")[0]
    assert "http" not in csp  # no external source anywhere
    assert response.headers["x-content-type-options"] == "nosniff"


def test_inline_scripts_carry_the_nonce(app: Any) -> None:
    page = get(app, "/detente/articles")
    nonce = page.headers["content-security-policy"].split("'nonce-")[1].split("'")[0]
    scripts = page.text.count("<script")
    assert scripts and page.text.count(f'<script nonce="{nonce}"') == scripts
    assert (
        get(app, "/").headers["content-security-policy"] != page.headers["content-security-policy"]
    )  # a fresh nonce per response


def test_scraped_html_is_escaped_everywhere(app: Any, database: Any) -> None:
    ident = database[1]["xss"]
    pages = [f"/article/{ident}", "/search?q=deal", "/detente/articles", "/detente/quotes",
             f"/detente/articles?id={ident}", "/"]  # fmt: skip
    for path in pages:
        text = get(app, path).text
        assert "<script>alert" not in text, path
        assert "<img src=x" not in text and "<b onmouseover" not in text, path
        assert 'href="javascript:' not in text, path
    page = get(app, f"/article/{ident}").text
    assert "&lt;script&gt;alert(&#39;pwned&#39;)&lt;/script&gt;" in page
    assert "&lt;script&gt;alert(&#39;title&#39;)&lt;/script&gt; Hacked?" in page
    assert "&lt;script&gt;alert(&#39;removed&#39;)&lt;/script&gt;" in page
    assert "(not an http(s) link)" in page  # the javascript: url is shown, not linked
    twin = get(app, f"/article/{ident}.json")  # JSON keeps the text as it is, typed as JSON
    assert twin.headers["content-type"].startswith("application/json")
    assert twin.json()["title"] == "<script>alert('title')</script> Hacked?"


def test_safe_href_and_highlight() -> None:
    assert safe_href("https://example.org/a?b=1") == "https://example.org/a?b=1"
    for bad in ("javascript:alert(1)", "JaVaScRiPt:alert(1)", "data:text/html,x", "//evil.org",
                "java\nscript:alert(1)", "ftp://x.org/", None, ""):  # fmt: skip
        assert safe_href(bad) is None
    spans = [Span(0, 9, 0, "mark", {"class": "ev"}, "ev-0"), Span(3, 12, 1, "span", {"class": "q"})]
    html = highlight("<b>x</b> and more", spans)
    assert html == (
        '<mark id="ev-0" class="ev">&lt;b&gt;<span class="q">x&lt;/b&gt; </span></mark>'
        '<span class="q">and</span> more'
    )


def test_sql_refused_by_default_allowed_with_allow_sql(app: Any, database: Any) -> None:
    assert get(app, "/detente?sql=select+count(*)+from+articles").status_code == 403
    assert get(app, "/detente/articles?_where=1=1").status_code in (400, 403)
    allowed = make_datasette(database[0], allow_sql=True)
    response = get(allowed, "/detente.json?sql=select+count(*)+as+n+from+articles&_shape=array")
    assert response.status_code == 200 and response.json() == [{"n": 4}]
    writing = get(allowed, "/detente.json?sql=delete+from+articles")
    assert writing.status_code == 400  # read-only: Datasette accepts only SELECT


def test_token_required_when_set(database: Any, monkeypatch: pytest.MonkeyPatch) -> None:
    guarded = make_datasette(database[0], token="s3cret")
    refused = get(guarded, "/")
    assert refused.status_code == 401 and "content-security-policy" in refused.headers
    assert refused.headers["www-authenticate"].startswith("Bearer")
    assert get(guarded, "/.json", headers={"Authorization": "Bearer wrong"}).status_code == 401
    assert get(guarded, "/-/detente/detente.css").status_code == 401
    ok = get(guarded, "/.json", headers={"Authorization": "Bearer s3cret"})
    assert ok.status_code == 200 and ok.json()["counts"]["articles"] == 4


def test_refuses_a_missing_or_foreign_database(tmp_path: Path) -> None:
    with pytest.raises(StoreError, match="no database"):
        make_datasette(tmp_path / "absent.db")


def test_is_loopback() -> None:
    assert is_loopback("127.0.0.1") and is_loopback("::1") and is_loopback("localhost")
    assert not is_loopback("0.0.0.0") and not is_loopback("192.168.1.4")


def free_port() -> int:
    """A TCP port free on 127.0.0.1 right now."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def start_server(db: Path, port: int, *args: str, env: dict[str, str] | None = None,
                 host: str = "127.0.0.1") -> subprocess.Popen[bytes]:  # fmt: skip
    """``detente.web.serve`` in a child process, once it answers (as ``detente serve`` runs it)."""
    code = (
        "import logging, sys; from detente.web import serve; "
        "logging.basicConfig(level=logging.INFO); "
        f"serve(sys.argv[1], host={host!r}, port=int(sys.argv[2]), "
        "allow_sql='--allow-sql' in sys.argv, "
        "token=next((a[8:] for a in sys.argv if a.startswith('--token=')), None))"
    )
    process = subprocess.Popen(
        [sys.executable, "-c", code, str(db), str(port), *args],
        stdout=subprocess.PIPE, stderr=subprocess.STDOUT, env=env,
    )  # fmt: skip
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        if process.poll() is not None:
            output = process.stdout.read().decode() if process.stdout else ""
            raise AssertionError(f"server exited with {process.returncode}: {output}")
        try:
            httpx.get(f"http://127.0.0.1:{port}/-/detente/detente.css", timeout=1)
            return process
        except httpx.HTTPError:
            time.sleep(0.1)
    process.kill()
    raise AssertionError("server did not answer within 30 s")


@pytest.fixture()
def live(database: Any) -> Iterator[tuple[str, subprocess.Popen[bytes]]]:
    """A real server on a free loopback port."""
    port = free_port()
    process = start_server(database[0], port)
    yield f"http://127.0.0.1:{port}", process
    process.terminate()
    process.wait(10)


def test_real_server_sees_what_ingest_commits_meanwhile(live: Any, database: Any) -> None:
    url, _ = live
    before = httpx.get(f"{url}/.json").json()["counts"]["articles"]
    text = f"A new article written while serving, number {time.time_ns()}."
    with Store(database[0]) as db:
        db.add_article(_article(text, "2024-01-01", "Live Wire", title="Written live"))
    after = httpx.get(f"{url}/.json").json()["counts"]["articles"]
    assert after == before + 1
    assert "Written live" in httpx.get(f"{url}/").text
    assert httpx.get(f"{url}/detente?sql=select+1").status_code == 403


def test_real_server_token_from_environment(database: Any) -> None:
    port = free_port()
    env = {**os.environ, "DETENTE_TOKEN": "from-env"}
    process = start_server(database[0], port, env=env)
    try:
        url = f"http://127.0.0.1:{port}/"
        assert httpx.get(url).status_code == 401
        assert httpx.get(url, headers={"Authorization": "Bearer from-env"}).status_code == 200
    finally:
        process.terminate()
        output = process.communicate(timeout=10)[0].decode()
    assert "Uvicorn running on http://127.0.0.1" in output


def test_warns_when_bound_beyond_loopback(
    database: Any, monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    import uvicorn

    calls: list[dict[str, Any]] = []
    monkeypatch.setattr(uvicorn, "run", lambda app, **kwargs: calls.append(kwargs))
    serve(database[0], host="0.0.0.0", port=8123)  # nothing is bound: uvicorn.run is a stub
    assert calls == [{"host": "0.0.0.0", "port": 8123, "log_level": "info", "access_log": False,
                      "lifespan": "on"}]  # fmt: skip
    assert "anyone who can reach this address can read the database" in caplog.text
    caplog.clear()
    serve(database[0])
    assert calls[-1]["host"] == "127.0.0.1" and calls[-1]["port"] == 8001
    assert "anyone who can reach" not in caplog.text


def test_story_page_lists_the_articles_of_one_news_and_their_events(tmp_path: Path) -> None:
    path = tmp_path / "stories.db"
    ids = build_database(path)
    again = (
        "Erdogan travelled to Sochi on Friday for talks with Putin; the two presidents agreed "
        "to expand trade towards $62 billion, officials in Sochi said after the meeting."
    )
    with Store(path) as db:
        db.add_article(_article(again, "2022-08-06", "Caspian Wire", title="Sochi talks"))
        assert db.group_stories() >= 4
    app = make_datasette(path)
    article = get(app, f"/article/{ids['visit']}.json").json()
    story = article["story"]
    assert story["num_articles"] == 2
    page = get(app, f"/story/{story['id']}")
    assert page.status_code == 200
    assert "Erdogan meets Putin in Sochi" in page.text and "Sochi talks" in page.text
    data = get(app, f"/story/{story['id']}.json").json()
    assert data["outlets"] == ["Black Sea Monitor", "Caspian Wire"]
    assert {e["cameo"] for e in data["events"]} >= {"042", "030"}
    assert story["id"] in get(app, "/").text  # the dashboard lists stories of several articles
    evil = get(app, f"/article/{ids['xss']}.json").json()["story"]
    assert "<script>alert('title')" not in get(app, f"/story/{evil['id']}").text
    assert get(app, "/story/0000000000000000").status_code == 404
