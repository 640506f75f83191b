"""Pages per second and peak memory of HTML extraction, Detente next to trafilatura alone.

Usage: python benchmarks/bench_extract.py [--pages N] [--eval-dir DIR] [--json PATH]

Runs on the zyte benchmark pages when ../shared/eval is there (or DETENTE_EVAL_DIR), else on
examples/articles/html repeated. Same figures as ``detente bench extract``.
"""

from __future__ import annotations

import argparse
import json
import logging
from pathlib import Path

from detente.bench.extract import run_extract_bench

LOGGER = logging.getLogger("bench_extract")


def main() -> None:
    """Parse the options, run the benchmark, log the table and optionally write JSON."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--pages", type=int, default=None, help="only the first N pages")
    parser.add_argument("--eval-dir", default=None, help="folder holding the eval sets")
    parser.add_argument("--json", type=Path, default=None, help="also write the report here")
    args = parser.parse_args()
    logging.basicConfig(level=logging.INFO, format="%(message)s")
    report = run_extract_bench(args.pages, eval_dir=args.eval_dir)
    LOGGER.info("%s", report.format())
    if args.json:
        args.json.parent.mkdir(parents=True, exist_ok=True)
        args.json.write_text(json.dumps(report.to_dict(), indent=2), encoding="utf-8")


if __name__ == "__main__":
    main()
