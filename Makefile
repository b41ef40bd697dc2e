# mixwise: two commands on a fresh machine: `make run` and `make test`.
SHELL := /bin/bash
.DEFAULT_GOAL := help

# Python 3.12: on PATH, or under pyenv, or where the OS put it.
PY312 ?= $(shell for p in python3.12 $$HOME/.pyenv/versions/3.12*/bin/python3.12 /usr/local/bin/python3.12 /usr/bin/python3.12; do \
	if "$$p" -c 'import sys; assert sys.version_info[:2] == (3, 12)' >/dev/null 2>&1; then echo "$$p"; break; fi; done)
UV = $(shell command -v uv 2>/dev/null || echo "python3 -m uv")
VENV := .venv
BIN := $(VENV)/bin
DEMO_OUT ?= demo-out

.PHONY: help setup python-setup meridian-env chromium run test test-python lint lint-imports format bench clean notebooks

help:
	@echo "make run    set up, then run the demo (synthetic data -> fit -> report -> budget)"
	@echo "make test   set up, then run every test"
	@echo "make lint   ruff + mypy + the layer contracts (lint-imports)"
	@echo "make bench  the benchmarks in bench/ (long)"

setup: python-setup web-setup

python-setup: $(VENV)/.synced

# --compile-bytecode: .pyc files are written once at install, so every process imports from them,
# also where PYTHONDONTWRITEBYTECODE is set (measured: importing the engine 18.6 s -> 6.9 s).
$(VENV)/.synced: pyproject.toml uv.lock
	@command -v uv >/dev/null 2>&1 || python3 -m uv --version >/dev/null 2>&1 || python3 -m pip install --quiet uv
	@test -n "$(PY312)" || { echo "Python 3.12 not found: install python3.12 (PyMC-Marketing needs >= 3.12)"; exit 2; }
	$(UV) sync --locked --compile-bytecode --python "$(PY312)"
	@touch $@

# The meridian engine's own environment (TensorFlow + Google Meridian, from the lock in
# src/mixwise/engines/meridian/environment/): a no-op in seconds when already in sync; measured
# 111 s into a fresh environment from a warm uv cache (docs/fitting.md, "Meridian").
meridian-env: python-setup
	$(BIN)/mixwise engines install meridian

run: setup
	$(BIN)/mixwise demo --out $(DEMO_OUT)

# Debian's Chromium for the report and dashboard browser tests (never a downloaded browser).
chromium:
	@test -x /usr/bin/chromium || { echo "Installing Debian's chromium for the browser tests"; \
	  SUDO=$$( [ "$$(id -u)" = 0 ] || echo sudo ); \
	  $$SUDO apt-get update -qq && DEBIAN_FRONTEND=noninteractive $$SUDO apt-get install -y -qq --no-install-recommends chromium; }

test: setup chromium test-python web-test

test-python: python-setup meridian-env chromium lint-imports
	$(BIN)/pytest -q
	$(BIN)/pytest -q --nbmake notebooks/

# The worked analyses, executed top to bottom on small settings (about 2 minutes).
notebooks: python-setup
	$(BIN)/pytest -q --nbmake notebooks/

# The layer contracts of docs/architecture.md ([tool.importlinter] in pyproject.toml): a second.
lint-imports: python-setup
	$(BIN)/lint-imports --no-logo

lint: setup lint-imports
	$(BIN)/ruff check src tests bench
	$(BIN)/ruff format --check src tests bench
	$(BIN)/mypy

format: setup
	$(BIN)/ruff check --fix src tests bench
	$(BIN)/ruff format src tests bench

bench: setup meridian-env
	$(BIN)/python bench/plan_speed.py --pymc
	$(BIN)/python bench/fit_speed.py
	$(BIN)/python bench/api_load.py
	$(BIN)/python bench/meridian_speed.py

clean:
	rm -rf $(VENV) .pytest_cache .mypy_cache .ruff_cache .import_linter_cache $(DEMO_OUT)

include web/Makefile.inc
