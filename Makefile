# Twitch Check: `make run` serves the site, `make test` runs every test.
SHELL := /bin/bash
.DEFAULT_GOAL := help

VENV := .venv
PY := $(VENV)/bin/python
MANAGE := $(PY) manage.py
HOST ?= 127.0.0.1
PORT ?= 8000

# The newest Python 3.12+ on PATH, or from pyenv.
PYTHON ?= $(shell for c in python3.13 python3.12 \
	$$(pyenv root 2>/dev/null)/versions/3.13*/bin/python3 \
	$$(pyenv root 2>/dev/null)/versions/3.12*/bin/python3 python3; do \
	  p=$$(command -v $$c 2>/dev/null) || continue; \
	  $$p -c 'import sys; sys.exit(sys.version_info < (3, 12))' 2>/dev/null && { echo $$p; break; }; \
	done)

.PHONY: help run chromium pango check test lint format cluster faults bench screenshots lock clean

help:
	@echo "make run    - set up and serve the site on http://$(HOST):$(PORT) (SQLite)"
	@echo "make check  - the fast tests, for every save: no browser, servers or README runs"
	@echo "make test   - set up and run the whole test suite, browser tests included"
	@echo "make lint   - ruff check, ruff format --check and the import contracts"
	@echo "make cluster - two app servers behind nginx under load, one stopped part-way"
	@echo "make faults - the same under load while Redis, PostgreSQL and workers fail"
	@echo "make bench  - speed figures beside their goals"
	@echo "make screenshots - the main pages at 390 and 1280 px wide, in docs/screenshots/"
	@echo "make lock   - refresh constraints.txt from pyproject.toml"

$(VENV)/.installed: pyproject.toml constraints.txt
	@if [ -z "$(PYTHON)" ]; then \
	  echo "Python 3.12 or newer is needed. Install it (e.g. 'pyenv install 3.13') and try again." >&2; exit 1; fi
	@test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade "pip>=25.1"
	$(PY) -m pip install --quiet -c constraints.txt --group dev
	@touch $@

node_modules/.installed: package.json package-lock.json
	@command -v npm >/dev/null || { echo "npm is needed for the front-end files: install Node.js and npm." >&2; exit 1; }
	npm ci --no-audit --no-fund --loglevel=error
	@touch $@

# `npm ci` builds the stylesheet and copies GOV.UK Frontend's script once; this rebuilds
# them after an edit in static/scss/.
static/build/site.css: node_modules/.installed $(wildcard static/scss/*.scss)
	npm run --silent build:css
	npm run --silent build:js

.dev-secret-key:
	@$(PYTHON) -c 'import secrets; print(secrets.token_urlsafe(50))' > $@

run: $(VENV)/.installed static/build/site.css pango .dev-secret-key
	DEBUG=true SECRET_KEY=$$(cat .dev-secret-key) $(MANAGE) migrate --noinput
	DEBUG=true SECRET_KEY=$$(cat .dev-secret-key) $(MANAGE) collectstatic --noinput --verbosity 0
	@# The background worker (saving imports, sending email) runs beside the server and stops with it.
	export DEBUG=true SECRET_KEY=$$(cat .dev-secret-key); \
	  $(MANAGE) db_worker --no-reload & worker=$$!; trap 'kill $$worker' EXIT; \
	  $(MANAGE) runserver $(HOST):$(PORT)

chromium:
	@if ! command -v chromium >/dev/null; then \
	  if [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null; then \
	    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null; \
	  else \
	    echo "The browser tests need Chromium at /usr/bin/chromium: run 'sudo apt-get install chromium'." >&2; exit 1; \
	  fi; \
	fi

# WeasyPrint draws the PDF copies of the result and the report with Pango and a font.
pango: $(VENV)/.installed
	@if ! $(PY) -c 'import weasyprint' 2>/dev/null; then \
	  if [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null; then \
	    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq \
	      libpango-1.0-0 libpangoft2-1.0-0 fonts-dejavu-core >/dev/null; \
	  else \
	    echo "The PDFs need Pango: run 'sudo apt-get install libpango-1.0-0 libpangoft2-1.0-0 fonts-dejavu-core'." >&2; exit 1; \
	  fi; \
	fi

# Tests run in parallel, one process a core, each test in whichever process is free; the
# tests sharing servers that their module starts once (a module-scoped fixture) stay in one
# process (tests/conftest.py puts them in one xdist_group).
PYTEST_ARGS ?= -n auto --dist loadgroup
test: $(VENV)/.installed static/build/site.css chromium pango
	DJANGO_ALLOW_ASYNC_UNSAFE=true $(PY) -m pytest $(PYTEST_ARGS)

# The tests to run on every save: unit, view and engine tests. No browser, no servers, no
# README runs, no processes of their own (manage.py commands); files of browser tests only
# (*_browser.py) are not even read.
FAST_TESTS := -m "not browser and not deploy and not cluster and not readme and not subprocess" \
	--ignore-glob="*_browser.py"
check: $(VENV)/.installed static/build/site.css pango
	$(PY) -m pytest $(PYTEST_ARGS) $(FAST_TESTS)

lint: $(VENV)/.installed
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .
	$(VENV)/bin/lint-imports

format: $(VENV)/.installed
	$(VENV)/bin/ruff check --fix .
	$(VENV)/bin/ruff format .

# Installs nginx, postgresql and redis-server with apt when run as root and they are missing.
cluster: $(VENV)/.installed static/build/site.css
	$(PY) bench/cluster.py

# A fault drill over the cluster's deployment, on a throwaway PostgreSQL and Redis of its own:
# Redis stopped, PostgreSQL restarted, a gunicorn worker and the task worker killed.
faults: $(VENV)/.installed static/build/site.css
	$(PY) bench/faults.py

bench: $(VENV)/.installed static/build/site.css
	@mkdir -p bench/results
	@for script in bench/bench_*.py; do \
	  [ -e "$$script" ] || { echo "No benchmarks yet."; break; }; \
	  echo "== $$script"; $(PY) $$script || exit 1; \
	done
	@$(PY) bench/summary.py

# The pages the README shows, each at a phone's width and a desktop's.
SCREENSHOTS ?= docs/screenshots
screenshots: $(VENV)/.installed chromium
	SCREENSHOTS=$(SCREENSHOTS) DJANGO_ALLOW_ASYNC_UNSAFE=true $(PY) -m pytest -q -p no:cacheprovider \
	  tests/test_every_page_browser.py -k test_screenshot

# pip resolves the dev group as if nothing were installed and reports what it would install,
# without installing it.
lock:
	@test -x $(PY) || $(PYTHON) -m venv $(VENV)
	@set -e; $(PY) -m pip install --quiet --dry-run --ignore-installed --group dev --report - \
	  | $(PY) -c 'import json, sys; \
	    found = {p["metadata"]["name"]: p["metadata"]["version"] for p in json.load(sys.stdin)["install"]}; \
	    print(*(f"{name}=={found[name]}" for name in sorted(found, key=str.lower)), sep="\n")' \
	  > constraints.txt.new
	@mv constraints.txt.new constraints.txt

clean:
	rm -rf $(VENV) node_modules static/build staticfiles .pytest_cache .ruff_cache .import_linter_cache
