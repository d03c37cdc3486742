# The course's commands. A newcomer needs two: `make book` and `make test`.
#
#   make book     set up .venv and node_modules, build the site into _build/html
#   make test     set up, then lint, unit tests + doctests, strict nbval, site build, browser check
#   make execute  re-run every notebook in book/ in place from a clean kernel
#   make check-kernels  strict nbval under other BLAS/ATen/NumPy kernels (before storing outputs)
#   make lab      open the notebooks in JupyterLab
#   make clean    remove _build (keeps .venv and node_modules)

SHELL := /bin/bash
.SHELLFLAGS := -euo pipefail -c
.DEFAULT_GOAL := help

PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
# Stamp files make the set-up idempotent: a second `make test` installs nothing.
VENV_STAMP := $(VENV)/.installed
NPM_STAMP := node_modules/.installed
ASSETS_STAMP := _build/assets/.staged
JUPYTERLAB_VERSION := 4.6.6

LINT_PATHS := $(wildcard nnlib tests tools benchmarks book conftest.py)
# Type-checked with mypy (pyproject.toml): all of nnlib.
MYPY_PATHS := nnlib
NBVAL := --nbval book/ --nbval-sanitize-with tests/nbval_sanitize.cfg
# Test processes run side by side (pytest-xdist), one test file each at a time, so a file's
# module-scoped fixtures (a kernel, a venv) are made once; files are handed out in the order
# collected (tests/conftest.py puts the slow ones first). 2 suits the 2-core CI machine; on
# a laptop with more cores, `make test TEST_WORKERS=auto` is faster.
TEST_WORKERS ?= 2
XDIST := -n $(TEST_WORKERS) --dist loadfile --no-loadscope-reorder
JB_BUILD := $(BIN)/jupyter-book build . --builder html -W -n --keep-going

.PHONY: help setup book test lint unit nbval site browser chromium execute check-kernels lab clean

help:
	@sed -n '2,9p' Makefile | sed 's/^# \{0,1\}//'

$(VENV_STAMP): requirements.txt pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --disable-pip-version-check -r requirements.txt
	$(BIN)/python -m pip install --quiet --disable-pip-version-check --no-deps -e .
	touch $@

$(NPM_STAMP): package.json package-lock.json
	npm ci --no-audit --no-fund --loglevel=error
	touch $@

$(ASSETS_STAMP): $(NPM_STAMP) tools/stage_assets.py $(wildcard tools/site_assets/* tools/widget_manager/*) | $(VENV_STAMP)
	$(BIN)/python tools/stage_assets.py
	touch $@

setup: $(VENV_STAMP) $(ASSETS_STAMP)

# A clean build each time: warnings are errors, and a stale environment can hide one.
site: setup
	rm -rf _build/html _build/.doctrees _build/jupyter_execute
	$(JB_BUILD)

book: site
	@echo
	@echo "The site is built. Open it in a browser:"
	@echo "    file://$(CURDIR)/_build/html/index.html"

lint: $(VENV_STAMP)
	$(BIN)/ruff check $(LINT_PATHS)
	$(BIN)/ruff format --check $(LINT_PATHS)
	$(BIN)/mypy --follow-imports=silent $(MYPY_PATHS)
	$(BIN)/python tools/setup_cell.py --check

# Unit tests (with the nbval self-test), then the doctests in nnlib's and the tools' docstrings.
# The slow ones among them drive live kernels: tests/test_learner_session.py (every chapter
# run twice cell by cell, section by section, with an endless-loop answer) and
# tests/test_colab.py (a fresh Colab-like venv, and Colab's older ipywidgets 7.7).
unit: $(VENV_STAMP)
	$(BIN)/pytest $(XDIST) -m "not browser" tests
	$(BIN)/pytest $(XDIST) --doctest-modules nnlib tools/mark_solutions.py

# Every notebook, re-run and compared output by output with what is stored in it.
nbval: $(VENV_STAMP)
	$(BIN)/pytest $(XDIST) $(NBVAL)

# Debian's Chromium for the browser check; installed here when missing and we are root.
chromium:
	@if command -v chromium >/dev/null 2>&1; then :; \
	elif [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then \
	  echo "Installing Chromium for the browser check (apt-get)"; \
	  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null; \
	else \
	  echo "Chromium is missing and cannot be installed here (not root): the browser check will be skipped."; \
	fi

browser: chromium $(VENV_STAMP)
	$(BIN)/pytest -m browser tests/test_site.py

# The stages of `make test`, each timed; the times and the total are printed at the end
# (and the time of a failing stage when one fails).
TEST_STAGES := setup lint unit nbval site chromium browser

test:
	@times=""; begin=$$(date +%s); \
	for stage in $(TEST_STAGES); do \
	  start=$$(date +%s); \
	  if ! $(MAKE) --no-print-directory $$stage; then \
	    echo "make test: stage '$$stage' failed after $$(( $$(date +%s) - start )) s"; exit 1; \
	  fi; \
	  times="$$times$$(printf '  %-9s %5d s' $$stage $$(( $$(date +%s) - start )))\n"; \
	done; \
	printf "\nTime per stage:\n$$times  %-9s %5d s\n" total $$(( $$(date +%s) - begin ))
	@echo
	@echo "All checks passed. Screenshots of every page: $(CURDIR)/_build/screenshots/"

execute: $(VENV_STAMP)
	$(BIN)/python tools/execute_notebooks.py

# By hand, before storing a chapter's outputs (never in `make test` or CI): strict nbval once
# per kernel family this CPU can run. `make check-kernels NB=book/05_optimizers.ipynb`.
NB ?= book/
check-kernels: $(VENV_STAMP)
	$(BIN)/python tools/check_kernels.py $(NB)

lab: $(VENV_STAMP)
	$(BIN)/python -c "import jupyterlab" 2>/dev/null || \
	  $(BIN)/python -m pip install --quiet jupyterlab==$(JUPYTERLAB_VERSION)
	$(BIN)/jupyter lab book/ $$([ "$$(id -u)" = 0 ] && echo --allow-root)

clean:
	rm -rf _build
