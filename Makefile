# Quickstart: `make run` serves the seeded API on http://127.0.0.1:$(PORT); `make test` runs every check.
PYTHON ?= python3
VENV ?= .venv
PORT ?= 8000
BIN := $(VENV)/bin
SEEDS := seeds

CORPUS := corpus/federal-register

.PHONY: run test lint lint-openapi format openapi clients eval-extraction bench bench-scale load screenshots clean

# Serving needs the package's own dependencies only; the checks and tools add the dev extra.
$(BIN)/provisions: pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e .
	touch $@

DEV := $(VENV)/.dev-installed

$(DEV): $(BIN)/provisions
	$(BIN)/pip install --quiet -e '.[dev]'
	touch $@

# The seeds, then the Federal Register corpus (skipped, in seconds, when nothing changed).
run: $(BIN)/provisions
	$(BIN)/provisions db upgrade
	$(BIN)/provisions seed load $(SEEDS)
	$(BIN)/provisions import federal-register $(CORPUS)
	PORT=$(PORT) $(BIN)/gunicorn --config gunicorn.conf.py 'api:create_app()'

test: $(DEV)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/lint-imports
	$(BIN)/provisions seed check $(SEEDS)
	$(BIN)/pytest

lint: $(DEV)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

# Redocly's recommended ruleset on the committed spec (needs npx and the npm registry).
lint-openapi:
	npx --yes @redocly/cli@2 lint openapi.yaml

format: $(DEV)
	$(BIN)/ruff check --fix .
	$(BIN)/ruff format .

openapi: $(BIN)/provisions
	$(BIN)/provisions openapi write openapi.yaml

# Clients of openapi.yaml in $(CLIENTS_OUT) (see README, "Clients"): a Python package by
# openapi-python-client (settings in clients/), and TypeScript types by openapi-typescript (npm
# versions pinned in clients/), with clients/typescript/read_provisions.ts checked against them.
CLIENTS_OUT := build/clients

clients: $(DEV) clients/node_modules/.package-lock.json
	rm -rf $(CLIENTS_OUT)
	PATH="$(abspath $(BIN)):$$PATH" $(BIN)/openapi-python-client generate --path openapi.yaml \
		--config clients/openapi-python-client.yaml --output-path $(CLIENTS_OUT)/python
	mkdir -p $(CLIENTS_OUT)/typescript
	cp clients/typescript/read_provisions.ts clients/typescript/tsconfig.json $(CLIENTS_OUT)/typescript
	cd clients && npx --no-install openapi-typescript ../openapi.yaml \
		--output ../$(CLIENTS_OUT)/typescript/provisions.d.ts
	cd clients && npx --no-install tsc --project ../$(CLIENTS_OUT)/typescript --strict

clients/node_modules/.package-lock.json: clients/package.json clients/package-lock.json
	cd clients && npm ci --no-audit --no-fund

# Scores the extractor against the hand-labelled orders of evaluation/gold; writes
# docs/extraction.md (fails when the held-out orders miss a target).
eval-extraction: $(DEV)
	$(BIN)/python evaluation/extraction.py

# About a million provisions on SQLite and PostgreSQL (BENCH_POSTGRESQL_URL) against Datasette,
# a hand-written floor and a constant ceiling; writes docs/benchmarks.md and docs/profiles/.
# BENCH_ARGS: see --help; the import and load-profile steps take its --no-docs and --no-postgresql.
bench: $(DEV)
	command -v wrk >/dev/null || (apt-get update -qq && apt-get install -y -qq wrk)
	$(BIN)/python -m bench.scale $(BENCH_ARGS)
	$(BIN)/python -m bench.federal_register_import $(filter --no-docs --no-postgresql,$(BENCH_ARGS))
	$(BIN)/python -m bench.load_profile $(filter --no-docs --no-postgresql,$(BENCH_ARGS))

bench-scale: bench

load: $(DEV)
	command -v wrk >/dev/null || (apt-get update -qq && apt-get install -y -qq wrk)
	$(BIN)/python -m bench.load

# docs/screenshots/: each page type in headless Chromium, served with the seeds and the
# corpus as `make run` serves them (installs Debian's chromium when it is missing).
screenshots: $(DEV)
	$(BIN)/python -m tests.browser.screenshots

clean:
	rm -rf $(VENV) instance .pytest_cache clients/node_modules $(CLIENTS_OUT)
