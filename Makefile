# Portal Desa Percontohan — `make run` and `make test` are all a fresh machine needs.
SHELL := /bin/bash
.DEFAULT_GOAL := help

# Django 6 needs Python >= 3.12; this machine's default python3 may be older.
PYTHON ?= $(shell for p in python3.13 python3.12 $$HOME/.pyenv/versions/3.13*/bin/python3 $$HOME/.pyenv/versions/3.12*/bin/python3 /root/.pyenv/versions/3.13*/bin/python3 /root/.pyenv/versions/3.12*/bin/python3 python3; do \
	command -v $$p >/dev/null 2>&1 && $$p -c 'import sys; sys.exit(sys.version_info < (3, 12))' 2>/dev/null && { command -v $$p; break; }; done)
VENV := .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed
HOST ?= 127.0.0.1
PORT ?= 8000
# The embedded database is used when DATABASE_URL is not set.
EMBEDDED := $(if $(DATABASE_URL),,yes)

.PHONY: help install run test lint format bench load db-start stop messages collectstatic system-deps-run system-deps-test

help:
	@echo "make run    install, start the embedded PostgreSQL, migrate, load regions and demo, serve http://$(HOST):$(PORT)/"
	@echo "make test   run the whole test suite (browser tests included) on PostgreSQL"
	@echo "make lint   ruff lint + format check, migrations and translations up to date"
	@echo "make bench  benchmarks: imports, lists beside Django admin, page weight, CPU, load (locust); BENCH_ARGS=lists picks"
	@echo "make load   the locust scenario alone (50 users, 60 s) against gunicorn on make run's data"
	@echo "make stop   stop an embedded PostgreSQL left running"

$(STAMP): pyproject.toml
	@test -n "$(PYTHON)" || { echo "Python >= 3.12 not found (try: pyenv install 3.12)"; exit 1; }
	@test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -e '.[dev]'
	@touch $(STAMP)

install: $(STAMP)

# System packages (PostgreSQL, gettext, Pango, fonts; chromium for tests): installed when missing
# (root or passwordless sudo), else the script names them and stops. .ci/run uses it too.
system-deps-run system-deps-test:
	@scripts/system_deps.sh $(@:system-deps-%=%)

db-start: install
	@if [ -n "$(EMBEDDED)" ]; then $(PY) -m percontohan.embedded_db start; fi

# Stop the embedded database on exit only if this command started it.
STOP_IF_STARTED = was=$$([ -n "$(EMBEDDED)" ] && $(PY) -m percontohan.embedded_db status); \
	trap '[ -n "$(EMBEDDED)" ] && [ "'"$$was"'" != running ] && $(PY) -m percontohan.embedded_db stop' EXIT

stop:
	@$(PY) -m percontohan.embedded_db stop

messages: install
	$(PY) manage.py compilemessages --ignore=.venv >/dev/null

run: system-deps-run install
	@$(STOP_IF_STARTED); $(MAKE) --no-print-directory db-start; \
	export DEBUG=$${DEBUG:-true}; \
	$(PY) manage.py migrate --no-input && \
	$(PY) manage.py import_regions && \
	$(PY) manage.py load_demo && \
	$(PY) manage.py run_daily --now && \
	{ $(PY) manage.py db_worker --queue-name '*' & worker=$$!; \
	  trap 'kill $$worker 2>/dev/null; [ -n "$(EMBEDDED)" ] && [ "'"$$was"'" != running ] && $(PY) -m percontohan.embedded_db stop' EXIT; \
	  $(PY) manage.py runserver $(HOST):$(PORT); }

test: system-deps-test install
	@$(STOP_IF_STARTED); $(MAKE) --no-print-directory db-start; \
	$(PY) -m pytest --numprocesses=auto $(PYTEST_ARGS)

lint: install
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .
	scripts/check_translations.sh

format: install
	$(VENV)/bin/ruff check --fix .
	$(VENV)/bin/ruff format .

bench: system-deps-run install
	@$(STOP_IF_STARTED); $(MAKE) --no-print-directory db-start; \
	DEBUG=true $(PY) -m benchmarks.run $(BENCH_ARGS)

# The throughput scenario (benchmarks/locustfile.py) on the development database, with make run's data.
load: system-deps-run install
	@$(STOP_IF_STARTED); $(MAKE) --no-print-directory db-start; \
	export DEBUG=true; \
	$(PY) manage.py migrate --no-input -v 0 && \
	$(PY) manage.py import_regions && \
	$(PY) manage.py load_demo >/dev/null && \
	$(PY) -m benchmarks.load $(LOAD_ARGS)
