# crowdseg-widget: `make lab` to paint in JupyterLab, `make test` to check everything.
# Needs python3 (3.10+), node 20 and npm. Everything else lands in .venv/ and node_modules/.
# Targets are idempotent: stamp files skip what is already installed.

SHELL := /bin/bash
.DEFAULT_GOAL := help

PYTHON ?= python3
VENV ?= .venv
PY := $(VENV)/bin/python
CHROMIUM ?= /usr/bin/chromium
PYTEST_ARGS ?=
LAB_ARGS ?=
PIP_INSTALL := $(PY) -m pip install --disable-pip-version-check

BUNDLE := src/crowdseg_widget/static/widget.js src/crowdseg_widget/static/widget.css
JS_SOURCES := $(shell find js -type f \( -name '*.ts' -o -name '*.css' -o -name '*.mjs' \) ! -name '*.test.ts' 2>/dev/null)

.PHONY: help lab test install install-dev chromium build lint docs typecheck test-js test-py test-core test-fast test-browser clean

help:
	@echo "make lab           install everything, open JupyterLab on notebooks/quickstart.ipynb"
	@echo "make test          install everything, run typecheck, vitest, pytest (unit + browser)"
	@echo "make test-core     the core (Annotation, formats, store) in a venv without Jupyter"
	@echo "make test-fast     pytest without the browser tests"
	@echo "make test-browser  only the browser tests (harness + JupyterLab)"
	@echo "make lint          ruff + mypy + tsc"
	@echo "make docs          regenerate docs/api.md (docstrings) and the README key table (keymap)"
	@echo "make build         bundle the front end into src/crowdseg_widget/static/"
	@echo "make clean         remove .venv, node_modules and the bundle"

# ------------------------------------------------------------------ installing

$(PY):
	$(PYTHON) -m venv $(VENV)

node_modules/.crowdseg-installed: package.json package-lock.json
	npm ci --no-audit --no-fund
	@touch $@

# `pip install -e` runs the hatch-jupyter-builder hook: npm install + npm run build.
$(VENV)/.crowdseg-test: pyproject.toml | $(PY) node_modules/.crowdseg-installed
	$(PIP_INSTALL) -e '.[test]'
	@touch $@

$(VENV)/.crowdseg-dev: pyproject.toml | $(PY) node_modules/.crowdseg-installed
	$(PIP_INSTALL) -e '.[dev]'
	@touch $@ $(VENV)/.crowdseg-test

# Rebuild the bundle when a front-end source is newer (the editable install does not).
$(BUNDLE) &: $(JS_SOURCES) package-lock.json | node_modules/.crowdseg-installed
	npm run build
	@touch $(BUNDLE)

install: $(VENV)/.crowdseg-test node_modules/.crowdseg-installed $(BUNDLE) chromium

install-dev: $(VENV)/.crowdseg-dev node_modules/.crowdseg-installed $(BUNDLE)

# Browser tests use Debian's Chromium (Playwright's own browser download fails here).
chromium:
	@if [ -x "$(CHROMIUM)" ]; then \
	  exit 0; \
	elif [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null; then \
	  echo "installing chromium (Debian) for the browser tests"; \
	  DEBIAN_FRONTEND=noninteractive apt-get install -y chromium \
	    || { apt-get update && DEBIAN_FRONTEND=noninteractive apt-get install -y chromium; }; \
	else \
	  echo "*** $(CHROMIUM) is missing and this is not root: the browser tests will be" >&2; \
	  echo "*** skipped (and fail when CI=true). Install it: sudo apt-get install -y chromium" >&2; \
	fi

# ------------------------------------------------------------------ using

lab: install-dev
	$(PY) -m jupyterlab $(LAB_ARGS) notebooks/quickstart.ipynb

build: $(BUNDLE)

typecheck: node_modules/.crowdseg-installed
	npm run typecheck

test-js: node_modules/.crowdseg-installed
	npm test

# pytest's exit code 5 ("no tests collected") fails like any other non-zero code.
test-py: install
	$(PY) -m pytest $(PYTEST_ARGS); status=$$?; \
	if [ $$status = 5 ]; then echo "*** pytest collected no tests: that is a failure" >&2; fi; \
	exit $$status

test: install
	npm run typecheck
	npm test
	$(MAKE) --no-print-directory test-core
	$(MAKE) --no-print-directory test-py

# The core without Jupyter: a throwaway venv with only numpy + Pillow (the versions .venv
# tests) and the package's wheel (--no-deps; the built bundle is reused, not rebuilt), then
# tests/core_only.py decodes, encodes and stores there and checks no Jupyter module loads.
# .venv's pip installs into it (pip --python), so the venv itself has no pip either.
CORE := build/core
test-core: $(VENV)/.crowdseg-test
	@test -f $(firstword $(BUNDLE)) || $(MAKE) --no-print-directory build
	started=$$SECONDS; set -e; \
	rm -rf $(CORE); \
	$(PYTHON) -m venv --without-pip $(CORE)/venv; \
	SKIP_JUPYTER_BUILDER=1 $(PY) -m pip wheel --no-deps -q -w $(CORE)/wheel .; \
	pins=$$($(PY) -c 'import numpy, PIL; print(f"numpy=={numpy.__version__} pillow=={PIL.__version__}")'); \
	$(PY) -m pip --python $(CORE)/venv/bin/python install --disable-pip-version-check -q --no-compile --no-deps $$pins $(CORE)/wheel/*.whl; \
	$(CORE)/venv/bin/python tests/core_only.py; \
	echo "test-core took $$((SECONDS - started)) s"

# The benchmarks' own venv, for bench/bench_peer.py (issue 14): JupyterLab, Playwright and our
# package (editable; the bundle is `make build`'s) plus jupyter-paint-segment 0.1.0, the peer
# measured beside us, installed with --no-deps (its pins are older than what it runs with).
# The peer never enters .venv or CI. Run the bench as `.venv-bench/bin/python bench/bench_peer.py`.
BENCH_VENV ?= .venv-bench
.PHONY: bench-env
bench-env: $(BENCH_VENV)/.crowdseg-bench
$(BENCH_VENV)/.crowdseg-bench: bench/requirements-peer.txt pyproject.toml
	@test -f $(firstword $(BUNDLE)) || $(MAKE) --no-print-directory build
	$(PYTHON) -m venv $(BENCH_VENV)
	SKIP_JUPYTER_BUILDER=1 $(BENCH_VENV)/bin/python -m pip install --disable-pip-version-check \
	  -e . -r bench/requirements-peer.txt
	$(BENCH_VENV)/bin/python -m pip install --disable-pip-version-check --no-deps \
	  jupyter-paint-segment==0.1.0
	@touch $@

test-fast: install
	$(PY) -m pytest -m "not browser" $(PYTEST_ARGS)

test-browser: install
	$(PY) -m pytest -m browser $(PYTEST_ARGS)

lint: $(VENV)/.crowdseg-dev node_modules/.crowdseg-installed
	$(PY) -m ruff check src tests scripts bench
	$(PY) -m mypy
	npm run typecheck

# Generated docs: tests/test_docs.py and js/keymapReadme.test.ts fail while they are stale.
docs: install
	$(PY) scripts/api_docs.py
	npm run keys

clean:
	rm -rf $(VENV) node_modules src/crowdseg_widget/static
