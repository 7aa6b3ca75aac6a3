# Two commands do everything: `make run` (demo on SQLite) and `make test` (the whole suite).
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
HOST_PORT ?= 127.0.0.1:8000

.PHONY: run test test-sqlite test-postgres lint install install-test

$(VENV)/.installed: pyproject.toml
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -e .
	touch $@

$(VENV)/.installed-test: $(VENV)/.installed
	$(PY) -m pip install --quiet -e ".[test]"
	touch $@

install: $(VENV)/.installed
install-test: $(VENV)/.installed-test

run: install
	DEBUG=1 $(PY) manage.py migrate --noinput
	DEBUG=1 $(PY) manage.py load_demo
	@echo "Open http://$(HOST_PORT)/ en log in met een van de accounts hierboven."
	DEBUG=1 $(PY) manage.py runserver $(HOST_PORT)

# The suite runs on SQLite (with the browser tests) and again on a throwaway PostgreSQL.
test: test-sqlite test-postgres

test-sqlite: install-test
	@echo "== Testrun op SQLite =="
	$(PY) -m pytest

test-postgres: install-test
	@echo "== Testrun op PostgreSQL =="
	$(PY) scripts/with_postgres.py $(PY) -m pytest -m "not browser"

lint: install-test
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .
