# Quickstart: `make run` serves the seeded API on http://127.0.0.1:$(PORT); `make test` runs every check.
PYTHON ?= python3
VENV ?= .venv
PORT ?= 8000
BIN := $(VENV)/bin
SEEDS := seeds

CORPUS := corpus/federal-register

.PHONY: run test lint lint-openapi format openapi eval-extraction bench bench-scale load clean

$(BIN)/provisions: pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e '.[dev]'
	touch $@

# The seeds, then the Federal Register corpus (skipped, in seconds, when nothing changed).
run: $(BIN)/provisions
	$(BIN)/provisions db upgrade
	$(BIN)/provisions seed load $(SEEDS)
	$(BIN)/provisions import federal-register $(CORPUS)
	PORT=$(PORT) $(BIN)/gunicorn --config gunicorn.conf.py 'api:create_app()'

test: $(BIN)/provisions
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/provisions seed check $(SEEDS)
	$(BIN)/pytest

lint: $(BIN)/provisions
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

# Redocly's recommended ruleset on the committed spec (needs npx and the npm registry).
lint-openapi:
	npx --yes @redocly/cli@2 lint openapi.yaml

format: $(BIN)/provisions
	$(BIN)/ruff check --fix .
	$(BIN)/ruff format .

openapi: $(BIN)/provisions
	$(BIN)/provisions openapi write openapi.yaml

# Scores the extractor against the hand-labelled orders of evaluation/gold; writes
# docs/extraction.md (fails when the held-out orders miss a target).
eval-extraction: $(BIN)/provisions
	$(BIN)/python evaluation/extraction.py

# About a million provisions on SQLite and PostgreSQL (BENCH_POSTGRESQL_URL) against Datasette,
# a hand-written floor and a constant ceiling; writes docs/benchmarks.md. BENCH_ARGS: see --help.
bench: $(BIN)/provisions
	command -v wrk >/dev/null || (apt-get update -qq && apt-get install -y -qq wrk)
	$(BIN)/python bench/scale.py $(BENCH_ARGS)
	$(BIN)/python bench/federal_register_import.py

bench-scale: bench

load: $(BIN)/provisions
	command -v wrk >/dev/null || (apt-get update -qq && apt-get install -y -qq wrk)
	$(BIN)/python bench/load.py

clean:
	rm -rf $(VENV) instance .pytest_cache
