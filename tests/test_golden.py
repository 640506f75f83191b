"""Golden tests: each demo article next to its expected extraction, reviewed as a diff.

Regenerate with ``pytest tests/test_golden.py --update-golden`` and review ``git diff``.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from conftest import EXAMPLES
from detente.acquire.files import read_source
from detente.extract.document import extract_document
from detente.model import RawDocument

GOLDEN = Path(__file__).parent / "golden"
DOCUMENTS = sorted(
    p for p in EXAMPLES.rglob("*") if p.suffix in (".html", ".txt", ".jsonl") and p.is_file()
)
FIELDS = ("title", "outlet", "url", "author", "published", "published_source", "language")


def _records(path: Path) -> list[dict[str, object]]:
    records = []
    for item in read_source(str(path)):
        assert isinstance(item, RawDocument), item
        article = extract_document(item)
        record: dict[str, object] = {f: getattr(article, f) for f in FIELDS}
        record["source"] = item.source.replace(str(EXAMPLES), "examples/articles")
        record["paragraphs"] = article.text.split("\n\n")
        record["removed"] = article.removed
        records.append(record)
    return records


@pytest.mark.parametrize("path", DOCUMENTS, ids=lambda p: p.name)
def test_demo_article_matches_golden(path: Path, update_golden: bool) -> None:
    expected_file = GOLDEN / f"{path.parent.name}--{path.stem}.json"
    got = _records(path)
    if update_golden or not expected_file.exists():
        GOLDEN.mkdir(exist_ok=True)
        expected_file.write_text(json.dumps(got, ensure_ascii=False, indent=2) + "\n")
        if not update_golden:
            pytest.fail(f"{expected_file.name} was missing and has been written; review it")
    expected = json.loads(expected_file.read_text(encoding="utf-8"))
    assert got == expected
