# Two commands for a fresh machine: `make run` and `make test`.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
export BUDGET_DOCUMENTS ?= data/sample
export BUDGET_WAREHOUSE ?= warehouse/budget.duckdb

.PHONY: setup run test lint bench clean

$(STAMP): pyproject.toml constraints.txt
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -c constraints.txt -e '.[dev]'
	touch $(STAMP)

setup: $(STAMP)

run: setup
	$(BIN)/python -m orchestration.run

test: setup
	$(BIN)/python -m pytest -q

lint: setup
	$(BIN)/ruff check extract orchestration expectations tests bench

bench: setup
	$(BIN)/python bench/bench_extract.py

clean:
	rm -rf $(VENV) warehouse
