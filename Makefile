# Two commands do everything: `make run` (demo on SQLite, with a task worker) and `make test`
# (the whole suite).
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
HOST_PORT ?= 127.0.0.1:8000

.PHONY: run test test-sqlite test-postgres lint install install-test lock messages audit bench assets

# pyproject.toml keeps the ranges; the exact versions, with the hashes of their files, come from
# requirements.lock (what production runs) and requirements-dev.lock (that plus the test and lint
# tools). A download whose hash is not in the lock is refused.
$(VENV)/.installed: pyproject.toml requirements.lock
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet --require-hashes -r requirements.lock
	$(PY) -m pip install --quiet --no-deps -e .
	touch $@

$(VENV)/.installed-test: $(VENV)/.installed requirements-dev.lock
	$(PY) -m pip install --quiet --require-hashes -r requirements-dev.lock
	touch $@

# Known vulnerabilities in the pinned versions. Needs pypi.org's JSON API or osv.dev, which this
# workplace cannot reach, so it is not part of `make test`.
audit: install
	$(PY) -m pip install --quiet pip-audit
	$(VENV)/bin/pip-audit --requirement requirements-dev.lock --disable-pip

# Resolve the ranges in pyproject.toml into the two locks with pip-compile (pip-tools, in a
# throwaway virtualenv). Versions already pinned stay unless they no longer fit the ranges; newer
# ones with `make lock LOCK_ARGS=--upgrade` (all) or `LOCK_ARGS="--upgrade-package django"`. The
# dev lock is constrained by the runtime lock, so both install the same runtime versions.
LOCK_ARGS ?=
PIP_COMPILE := CUSTOM_COMPILE_COMMAND="make lock" .venv-lock/bin/pip-compile --quiet \
	--generate-hashes --allow-unsafe --strip-extras --no-emit-find-links --no-emit-index-url
lock:
	rm -rf .venv-lock && $(PYTHON) -m venv .venv-lock
	.venv-lock/bin/pip install --quiet pip-tools
	$(PIP_COMPILE) $(LOCK_ARGS) --output-file requirements.lock pyproject.toml
	$(PIP_COMPILE) $(LOCK_ARGS) --extra test --constraint requirements.lock \
		--output-file requirements-dev.lock pyproject.toml
	rm -rf .venv-lock

# The English catalogue is compiled here (compilemessages needs GNU gettext's msgfmt), not kept in
# git: the .po file is the one source, so no committed .mo can lag behind it.
MO := locale/en/LC_MESSAGES/django.mo
$(MO): locale/en/LC_MESSAGES/django.po $(VENV)/.installed
	DEBUG=1 $(PY) manage.py compilemessages --locale en --ignore ".*"

# Collect the translatable strings of the code and templates into the English catalogue; then give
# every new (empty) msgstr its English text. Tests, scripts and benchmarks have no user-facing text.
messages: install
	DEBUG=1 $(PY) manage.py makemessages --locale en --no-obsolete --add-location file \
		--ignore ".*" --ignore "tests/*" --ignore "scripts/*" --ignore "benchmarks/*" --ignore "build/*"

# The NL Design System's stylesheets and htmx (package.json names them): `npm ci` installs exactly
# the versions in package-lock.json, with the hashes recorded there, and only the built CSS (htmx:
# its minified script) with its licence is copied into static/vendor/. Like the .mo file it is not
# in git: package-lock.json is the one source. Nothing runs when the lock has not changed since the
# last copy.
UTRECHT := static/vendor/utrecht
TOKENS := static/vendor/voorbeeld-design-tokens
HTMX := static/vendor/htmx
ASSETS := $(UTRECHT)/.installed
$(ASSETS): package.json package-lock.json
	npm ci --ignore-scripts --no-audit --no-fund --loglevel=error
	rm -rf $(UTRECHT) $(TOKENS) $(HTMX)
	mkdir -p $(UTRECHT) $(TOKENS) $(HTMX)
	cp node_modules/@utrecht/component-library-css/dist/html.css \
		node_modules/@utrecht/component-library-css/dist/index.css \
		node_modules/@utrecht/component-library-css/LICENSE.md $(UTRECHT)/
	cp node_modules/@nl-design-system-unstable/voorbeeld-design-tokens/dist/theme.css \
		node_modules/@nl-design-system-unstable/voorbeeld-design-tokens/LICENSE.md $(TOKENS)/
	cp node_modules/htmx.org/dist/htmx.min.js node_modules/htmx.org/LICENSE $(HTMX)/
	touch $@

assets: $(ASSETS)
install: $(VENV)/.installed $(MO) $(ASSETS)
install-test: $(VENV)/.installed-test $(MO) $(ASSETS)

run: install
	DEBUG=1 $(PY) manage.py migrate --noinput
	DEBUG=1 $(PY) manage.py load_demo
	DEBUG=1 $(PY) manage.py sync_permissions  # a capability added since the last run
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

# ruff; mypy with django-stubs (settings in pyproject.toml: the apps, tests, benchmarks and
# scripts, with zero errors); import-linter's contracts in pyproject.toml: the core imports no
# feature app, and only the workspace app combines them all.
lint: install-test
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .
	$(VENV)/bin/mypy
	$(VENV)/bin/lint-imports --no-logo

# The app under gunicorn against a generated sector on PostgreSQL: latency, throughput, queries
# per page, PDF timings; writes benchmarks/RESULTS.md. The cluster in .bench-postgres is kept, so
# a second run reuses the sector. BENCH_BOARDS=1300 is the whole Dutch sector.
BENCH_BOARDS ?= 200
bench: install
	PG_KEEP_DIR=.bench-postgres REQUIRE_POSTGRES=1 $(PY) scripts/with_postgres.py \
		$(PY) benchmarks/run.py --boards $(BENCH_BOARDS)
