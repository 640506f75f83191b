"""Write docs/schema.md from the record schemas (run: python scripts/gen_schema_docs.py).

``--check`` exits 1 when docs/schema.md differs from what ``detente.query.schema`` generates
(tests/test_schema.py runs the same comparison).
"""

from __future__ import annotations

import sys
from pathlib import Path

from detente.query.schema import render_markdown

OUT = Path(__file__).resolve().parent.parent / "docs" / "schema.md"


def main(argv: list[str]) -> int:
    text = render_markdown()
    if "--check" in argv:
        current = OUT.read_text(encoding="utf-8") if OUT.exists() else ""
        if current != text:
            print(f"{OUT} is out of date: run python scripts/gen_schema_docs.py", file=sys.stderr)
            return 1
        return 0
    OUT.write_text(text, encoding="utf-8")
    print(f"wrote {OUT}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
