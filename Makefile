# Kamkap — two commands: `make run` (set up + serve the demo) and `make test` (set up + whole suite).
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed-$(shell cat pyproject.toml | cksum | cut -d' ' -f1)
HOST ?= 127.0.0.1
PORT ?= 8000
# The suite runs twice: on SQLite, then on the PostgreSQL server named here.
TEST_DATABASE_URL ?= postgres://postgres@127.0.0.1:5432/kamkap
# pytest-xdist: one test process per core (`auto`). `--dist load` hands tests out in pytest-django's
# order, so each process runs its transactional tests (whose flush empties the reference data loaded
# once per database) after its other database tests, as one process does. PYTEST_WORKERS=0: one process.
PYTEST_WORKERS ?= auto
PYTEST_PARALLEL := -n $(PYTEST_WORKERS) --dist load

.PHONY: run run-prod test setup migrate demo test-sqlite test-postgres test-dates screenshots lint format messages clean bench bench-load pwa

$(STAMP): pyproject.toml
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -e '.[dev]'
	rm -f $(VENV)/.installed-*
	touch $(STAMP)

setup: $(STAMP)

migrate: setup
	$(PY) manage.py migrate --noinput -v0

demo: migrate
	$(PY) manage.py load_demo_data

run: demo
	@echo "Kamkap on http://$(HOST):$(PORT)/  (stop with Ctrl-C)"
	$(PY) manage.py runserver $(HOST):$(PORT)

# Production-like serving on this machine: migrate, collect static files, gunicorn with
# project/gunicorn.py (workers, timeouts, its own control socket: GUNICORN_* from the environment).
# DEBUG is off, so SECRET_KEY must be set; Celery worker and beat run as their own processes (README).
run-prod: setup
	$(PY) manage.py migrate --noinput -v0
	$(PY) manage.py collectstatic --noinput -v0
	DEBUG=$${DEBUG:-false} $(VENV)/bin/gunicorn -c project/gunicorn.py project.wsgi

test: setup
	$(MAKE) --no-print-directory lint
	$(PY) manage.py makemigrations --check --dry-run -v0
	$(MAKE) --no-print-directory test-sqlite
	$(MAKE) --no-print-directory test-postgres

test-sqlite: setup
	DATABASE_URL= $(PY) -m pytest -q $(PYTEST_PARALLEL)

# On our machines PostgreSQL runs on 127.0.0.1:5432; with CI=true a missing server fails the run.
test-postgres: setup
	@if $(PY) -c "import psycopg,sys; psycopg.connect('$(TEST_DATABASE_URL)'.replace('/kamkap','/postgres'), connect_timeout=3).close()" 2>/dev/null; then \
		DATABASE_URL=$(TEST_DATABASE_URL) $(PY) -m pytest -q $(PYTEST_PARALLEL) -m "not e2e"; \
	elif [ "$$CI" = "true" ]; then \
		echo "FAIL: no PostgreSQL at $(TEST_DATABASE_URL) (CI=true: PostgreSQL tests must run)"; exit 1; \
	else \
		echo "WARNING: no PostgreSQL at $(TEST_DATABASE_URL): PostgreSQL run SKIPPED (set TEST_DATABASE_URL)"; \
	fi

# The SQLite suite (no browser) under Debian's faketime at instants where calendars turn: the last
# half hour of the current fiscal year (30 Sep 23:30 Bangkok time) and a leap day. The clock starts
# there and ticks. Also: `make test-dates AT="2026-12-31 23:30"` (Bangkok wall clock).
# Tests that set their own clock (tests.clock.at: time-machine's marker) are left out: time-machine
# replaces the clock faketime would move, so they would run exactly as in `make test`.
FY_LAST_YEAR := $(shell TZ=Asia/Bangkok date +'%Y %m' | awk '{print ($$2 >= 10) ? $$1 + 1 : $$1}')
AT ?= $(FY_LAST_YEAR)-09-30 23:30|2028-02-29 10:00
test-dates: setup
	@command -v faketime >/dev/null || { echo "FAIL: faketime is not installed (Debian package faketime)"; exit 1; }
	@instants='$(AT)'; failed=""; IFS='|'; for when in $$instants; do \
		utc=$$(date -u -d "TZ=\"Asia/Bangkok\" $$when" +'%Y-%m-%d %H:%M:%S') || exit 1; \
		echo "test-dates: $$when Bangkok ($$utc UTC)"; \
		TZ=UTC DATABASE_URL= faketime -f "@$$utc" $(PY) -m pytest -q $(PYTEST_PARALLEL) -p no:cacheprovider -m "not e2e and not time_machine" \
			|| failed="$$failed [$$when]"; \
	done; \
	if [ -n "$$failed" ]; then echo "test-dates: FAILED at$$failed (Bangkok time)"; exit 1; fi

# The installable app (issue 16): rebuild the service worker (Workbox from the npm registry, pinned by
# project/serviceworker/package-lock.json, bundled by esbuild) and the PNG icons from their SVGs into
# templates/static/kamkap/pwa/, all committed: `make run` needs no npm. project/pwa.py adds the precache list.
pwa: setup
	cd project/serviceworker && npm ci --no-audit --no-fund && npm run build
	$(PY) project/serviceworker/render_icons.py

# Refresh the screenshots committed under docs/ (the e2e tests take them).
screenshots: setup
	SCREENSHOT_DIR=$(CURDIR)/docs/screenshots $(PY) -m pytest -q tests/e2e

# Benchmarks (issue 5): generate bench/bench.sqlite3 (or the DATABASE_URL database) when it does not hold
# these sizes, then write bench/results.json and bench/RESULTS.md. Large: FACTORIES=150000 CASES=1000000 INBOX=50000
FACTORIES ?= 3000
CASES ?= 20000
INBOX ?= 2000

bench: setup
	$(PY) bench/run.py --factories $(FACTORIES) --cases $(CASES) --inbox $(INBOX)

# Load test (issue 14): locust headless on loopback against gunicorn (project/gunicorn.py) on PostgreSQL,
# a mix of inbox, case pages, factory search, dashboards, API lists and task completions (bench/load/).
# The generated database is kept as <LOAD_DATABASE_URL>_seed; each run works on a fresh copy of it.
LOAD_USERS ?= 50
LOAD_TIME ?= 5m
LOAD_DATABASE_URL ?= postgres://postgres@127.0.0.1:5432/kamkap_load

bench-load: setup
	$(PY) bench/load/run.py --users $(LOAD_USERS) --time $(LOAD_TIME) --database-url $(LOAD_DATABASE_URL) \
		--factories $(FACTORIES) --cases $(CASES) --inbox $(INBOX)

# ruff's DTZ rules refuse a naive now()/today(); a datetime's .date() is its UTC date (from 17:00 UTC
# already tomorrow in Bangkok), so the day a person means is read with timezone.localdate(value).
lint: setup
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .
	@! grep -rnE --include='*.py' --exclude-dir=$(VENV) --exclude-dir=node_modules '\.date\(\)' . \
		|| { echo "lint: read the day with timezone.localdate(value), not value.date() (the UTC date)"; exit 1; }

format: setup
	$(VENV)/bin/ruff format .
	$(VENV)/bin/ruff check --fix .

messages: setup
	$(PY) manage.py makemessages -l th -l en --ignore=.venv --ignore=docs --ignore=bench --ignore=locale/viewflow
	$(PY) manage.py compilemessages --ignore=.venv

clean:
	rm -rf $(VENV) db.sqlite3* .media .static
