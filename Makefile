# Mend: two commands set everything up on a fresh machine.
#   make run   install, migrate the SQLite database, load demo data, serve on localhost
#   make test  install (Chromium and axe-core included) and run the whole suite

PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
HOST ?= 127.0.0.1
PORT ?= 8000
STAMP := $(VENV)/.installed

.PHONY: run test install system-deps node-deps lint typecheck bench clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install -q --upgrade pip

$(STAMP): $(BIN)/python pyproject.toml
	$(BIN)/pip install -q -e '.[dev]'
	touch $(STAMP)

install: $(STAMP)

system-deps:
	bash scripts/system-deps.sh

node_modules/.installed: package.json
	npm install --no-audit --no-fund --no-package-lock --silent
	touch node_modules/.installed

node-deps: system-deps node_modules/.installed

run: install
	MEND_BASE_URL=$${MEND_BASE_URL:-http://$(HOST):$(PORT)} $(BIN)/mend setup --demo
	MEND_BASE_URL=$${MEND_BASE_URL:-http://$(HOST):$(PORT)} $(BIN)/mend serve --host $(HOST) --port $(PORT)

test: install node-deps
	$(BIN)/ruff check src tests bench migrations
	$(BIN)/mypy
	$(BIN)/pytest

lint: install
	$(BIN)/ruff check src tests bench migrations
	$(BIN)/ruff format --check src tests bench

typecheck: install
	$(BIN)/mypy

bench: install
	$(BIN)/python -m bench

clean:
	rm -rf $(VENV) node_modules var test-artifacts
