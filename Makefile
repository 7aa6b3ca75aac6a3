# Two commands do everything: `make run` (demo on SQLite, with a task worker) and `make test`
# (the whole suite).
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
HOST_PORT ?= 127.0.0.1:8000

.PHONY: run test test-sqlite test-postgres lint install install-test lock audit bench

# The exact versions come from requirements.lock; pyproject.toml keeps the ranges.
$(VENV)/.installed: pyproject.toml requirements.lock
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -r requirements.lock
	$(PY) -m pip install --quiet --no-deps -e .
	touch $@

$(VENV)/.installed-test: $(VENV)/.installed
	touch $@

# Known vulnerabilities in the pinned versions. Needs pypi.org's JSON API or osv.dev, which this
# workplace cannot reach, so it is not part of `make test`.
audit: install
	$(PY) -m pip install --quiet pip-audit
	$(VENV)/bin/pip-audit --requirement requirements.lock --disable-pip

# Re-resolve the ranges in pyproject.toml and pin the result.
lock:
	rm -rf .venv-lock && $(PYTHON) -m venv .venv-lock
	.venv-lock/bin/pip install --quiet -e ".[test]"
	echo "# Exact versions of everything make installs (runtime and test). Regenerate with: make lock" > requirements.lock
	.venv-lock/bin/pip freeze --exclude-editable >> requirements.lock
	rm -rf .venv-lock

install: $(VENV)/.installed
install-test: $(VENV)/.installed-test

run: install
	DEBUG=1 $(PY) manage.py migrate --noinput
	DEBUG=1 $(PY) manage.py load_demo
	@echo "Open http://$(HOST_PORT)/ en log in met een van de accounts hierboven."
	DEBUG=1 $(PY) scripts/run_dev.py $(HOST_PORT)

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

# The app under gunicorn against a generated sector on PostgreSQL: latency, throughput, queries
# per page, PDF timings; writes benchmarks/RESULTS.md. The cluster in .bench-postgres is kept, so
# a second run reuses the sector. BENCH_BOARDS=1300 is the whole Dutch sector.
BENCH_BOARDS ?= 200
bench: install
	PG_KEEP_DIR=.bench-postgres REQUIRE_POSTGRES=1 $(PY) scripts/with_postgres.py \
		$(PY) benchmarks/run.py --boards $(BENCH_BOARDS)
