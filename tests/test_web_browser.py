"""The web explorer in a real headless Chromium (Debian's), as a person would use it.

Skipped when /usr/bin/chromium or Playwright is absent (never downloads a browser). Screenshots
go to ``test-artifacts/``.
"""

from __future__ import annotations

import json
import re
import shutil
import subprocess
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest

pytest.importorskip("datasette")

CHROMIUM = Path("/usr/bin/chromium")
if not CHROMIUM.exists():
    pytest.skip(f"{CHROMIUM} is absent: apt-get install -y chromium", allow_module_level=True)
sync_api = pytest.importorskip("playwright.sync_api", reason="playwright is not installed")

from detente.ingest import ingest  # noqa: E402
from detente.store.database import Store  # noqa: E402
from test_web import build_database, free_port, start_server  # noqa: E402

pytestmark = pytest.mark.slow

ROOT = Path(__file__).resolve().parent.parent
ARTIFACTS = ROOT / "test-artifacts"
EXAMPLES = ROOT / "examples" / "articles"
#: The demo's batches: inputs and the --date the Makefile's demo target gives undated ones.
DEMO_BATCHES = (
    (("html", "text", "news.jsonl"), None),
    (("undated/2020-12-14-caatsa-sanctions-ssb.html",), "2020-12-14"),
    (("undated/2022-07-22-black-sea-grain-deal.txt",), "2022-07-22"),
    (("undated/2024-01-03-prisoner-exchange.txt",), "2024-01-03"),
)
CHROMIUM_FLAGS = [
    "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
    "--disable-background-networking", "--disable-component-update", "--disable-sync",
]  # fmt: skip


def _add_synthetic_events_if_missing(path: Path) -> None:
    """Add test_web's RUS-TUR articles when ingest coded no events (coder not wired in yet)."""
    with Store(path) as store:
        if store.events(include_negated=True, limit=1):
            return
    build_database(path)


@pytest.fixture(scope="module")
def demo_db(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The demo articles ingested as ``make demo`` does."""
    path = tmp_path_factory.mktemp("demo") / "detente.db"
    with Store(path) as store:
        for inputs, day in DEMO_BATCHES:
            report = ingest([str(EXAMPLES / i) for i in inputs], store=store, default_date=day)
            assert not report.failures, report.failures
    _add_synthetic_events_if_missing(path)
    return path


def _serve(db: Path) -> Iterator[str]:
    port = free_port()
    process: subprocess.Popen[bytes] = start_server(db, port)
    try:
        yield f"http://127.0.0.1:{port}"
    finally:
        process.terminate()
        process.wait(10)


@pytest.fixture(scope="module")
def demo_url(demo_db: Path) -> Iterator[str]:
    """A real server over the demo database."""
    yield from _serve(demo_db)


@pytest.fixture(scope="module")
def browser(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Any]:
    """Debian's Chromium, headless, with a fresh profile."""
    ARTIFACTS.mkdir(exist_ok=True)
    profile = tmp_path_factory.mktemp("chromium-profile")
    with sync_api.sync_playwright() as playwright:
        context = playwright.chromium.launch_persistent_context(
            str(profile), executable_path=str(CHROMIUM), headless=True, args=CHROMIUM_FLAGS,
            viewport={"width": 1280, "height": 900},
        )  # fmt: skip
        yield context
        context.close()
    shutil.rmtree(profile, ignore_errors=True)


@pytest.fixture()
def page(browser: Any) -> Iterator[Any]:
    """A tab that fails the test on a JavaScript dialog and records console errors."""
    tab = browser.new_page()
    tab.errors = []
    tab.on("console", lambda msg: tab.errors.append(msg.text) if msg.type == "error" else None)
    tab.on("pageerror", lambda err: tab.errors.append(str(err)))

    def dialog(d: Any) -> None:
        tab.errors.append(f"dialog: {d.message}")
        d.dismiss()

    tab.on("dialog", dialog)
    yield tab
    tab.close()


def _shot(page: Any, name: str) -> None:
    page.screenshot(path=str(ARTIFACTS / f"{name}.png"), full_page=True)


def test_click_through_dashboard_dyad_event_article(page: Any, demo_url: str) -> None:
    page.goto(demo_url + "/")
    assert page.locator("h1").first.inner_text() == "Detente"
    counts = page.locator("ul.counts").inner_text()
    assert re.search(r"\b1[0-9] articles", counts), counts
    _shot(page, "dashboard")
    dyads = page.locator("a.dyad-link")
    if dyads.count() == 0:
        pytest.skip("the demo database has no events between two countries yet (event coder)")
    dyads.first.click()
    page.wait_for_url(re.compile(r"/dyad/[A-Z]+/[A-Z]+$"))
    bars = page.locator("svg.chart rect.bar")
    assert bars.count() >= 2 and page.locator("svg.chart rect.goldstein").count() >= 1
    box = bars.first.bounding_box()
    assert box is not None and box["height"] > 0 and box["width"] > 0  # drawn, not just there
    _shot(page, "dyad")
    page.locator("a.event-link").first.click()
    page.wait_for_url(re.compile(r"/event/"))
    event = httpx.get(page.url + ".json").json()
    _shot(page, "event")
    page.locator("a.evidence-link").first.click()
    page.wait_for_url(re.compile(r"/article/[0-9a-f]+#ev-\d+$"))
    target = page.locator("mark:target")
    assert target.count() == 1
    assert target.inner_text() == event["mentions"][0]["sentence"]
    assert target.evaluate("e => getComputedStyle(e).outlineStyle") == "solid"  # highlighted
    assert page.locator("details.removed").count() == 1
    _shot(page, "article")
    assert not page.errors, page.errors  # no CSP violation, no script error


def test_search_finds_a_quote(page: Any, demo_url: str) -> None:
    quotes = httpx.get(demo_url + "/detente/quotes.json?_shape=array&kind=statement").json()
    assert quotes, "the demo articles have direct quotes"
    quote = max(quotes, key=lambda q: len(q["text"]))
    word = max(re.findall(r"[A-Za-z]{5,}", quote["text"]), key=len)
    page.goto(demo_url + "/")
    page.fill("form.search input[name=q]", word)
    page.click("form.search button")
    page.wait_for_url(re.compile(r"/search\?q="))
    hits = page.locator("li.quote-hit").all_inner_texts()
    assert any(quote["text"][:40] in hit for hit in hits), hits
    _shot(page, "search")
    page.locator("li.quote-hit a").first.click()
    page.wait_for_url(re.compile(r"/article/[0-9a-f]+#q-\d+$"))
    page.locator("span.quote:target").wait_for(timeout=5000)
    assert quote["text"].startswith(page.locator("span.quote:target").inner_text())
    assert not page.errors, page.errors


def test_actor_page_and_tables(page: Any, demo_url: str) -> None:
    page.goto(demo_url + "/")
    page.locator("ol.actors a").first.click()
    page.wait_for_url(re.compile(r"/actor/\d+$"))
    assert page.locator("h2", has_text="Counterparts").count() == 1
    _shot(page, "actor")
    page.goto(demo_url + "/detente/articles?_facet=outlet")
    assert page.locator(".facet-info").count() >= 1  # Datasette's facets, scripts allowed by CSP
    page.goto(demo_url + "/detente/quotes")
    page.locator("th.col-kind .dropdown-menu-icon, th.col-kind svg").first.click()
    assert not page.errors, page.errors


@pytest.fixture(scope="module")
def xss_url(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """A server over the synthetic database with a hostile article."""
    path = tmp_path_factory.mktemp("xss") / "xss.db"
    ids = build_database(path)
    (path.parent / "ids.json").write_text(json.dumps(ids))
    for url in _serve(path):
        yield url + "|" + ids["xss"]


def test_hostile_article_renders_as_text(page: Any, xss_url: str) -> None:
    url, ident = xss_url.split("|")
    page.goto(f"{url}/article/{ident}")
    text = page.locator("div.article-text").inner_text()
    assert "<script>alert('pwned')</script>" in text and 'onerror="alert(1)"' in text
    assert page.locator("div.article-text script, div.article-text img").count() == 0
    assert page.locator("a[href^='javascript']").count() == 0
    assert page.title().startswith("<script>alert('title')</script>")
    _shot(page, "xss-article")
    assert not [e for e in page.errors if e.startswith("dialog")], page.errors
    page.goto(f"{url}/dyad/RUS/TUR")
    assert page.locator("svg.chart rect.bar").count() == 5
    _shot(page, "dyad-synthetic")
