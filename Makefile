# news-pipeline: `make run` and `make test` work on a fresh machine (Python 3.11 + pip).
SHELL := /bin/bash
PYTHON ?= python3
UV_DIR := .tools
UV := $(UV_DIR)/bin/uv
VENV := .venv
export UV_PYTHON := $(shell command -v $(PYTHON))
export PREFECT_SERVER_ANALYTICS_ENABLED := false
export PREFECT_HOME := $(CURDIR)/.prefect

.PHONY: setup run test lint format bench clean

# uv is bootstrapped into .tools/ with pip, then installs exactly what uv.lock pins.
$(UV):
	$(PYTHON) -m venv $(UV_DIR)
	$(UV_DIR)/bin/pip install --quiet "uv>=0.5,<1"

$(VENV)/.synced: $(UV) pyproject.toml uv.lock
	$(UV) sync --frozen --python $(UV_PYTHON)
	@touch $@

setup: $(VENV)/.synced

run: setup
	$(VENV)/bin/news-pipeline run examples

test: setup
	$(VENV)/bin/pytest

lint: setup
	$(VENV)/bin/ruff check src tests flows benchmarks
	$(VENV)/bin/ruff format --check src tests flows benchmarks
	$(VENV)/bin/mypy src

format: setup
	$(VENV)/bin/ruff check --fix src tests flows benchmarks
	$(VENV)/bin/ruff format src tests flows benchmarks

bench: setup
	$(VENV)/bin/python benchmarks/run.py $(BENCH_ARGS)

clean:
	rm -rf $(VENV) $(UV_DIR) .prefect warehouse/news.duckdb* warehouse/landing warehouse/exports warehouse/rejects warehouse/report
