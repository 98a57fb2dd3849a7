# Kamkap — two commands: `make run` (set up + serve the demo) and `make test` (set up + whole suite).
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed-$(shell cat pyproject.toml | cksum | cut -d' ' -f1)
HOST ?= 127.0.0.1
PORT ?= 8000
# The suite runs twice: on SQLite, then on the PostgreSQL server named here.
TEST_DATABASE_URL ?= postgres://postgres@127.0.0.1:5432/kamkap

.PHONY: run test setup migrate demo test-sqlite test-postgres screenshots lint format messages clean bench

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

test: setup
	$(PY) manage.py makemigrations --check --dry-run -v0
	$(MAKE) --no-print-directory test-sqlite
	$(MAKE) --no-print-directory test-postgres

test-sqlite: setup
	DATABASE_URL= $(PY) -m pytest -q

# On our machines PostgreSQL runs on 127.0.0.1:5432; with CI=true a missing server fails the run.
test-postgres: setup
	@if $(PY) -c "import psycopg,sys; psycopg.connect('$(TEST_DATABASE_URL)'.replace('/kamkap','/postgres'), connect_timeout=3).close()" 2>/dev/null; then \
		DATABASE_URL=$(TEST_DATABASE_URL) $(PY) -m pytest -q -m "not e2e"; \
	elif [ "$$CI" = "true" ]; then \
		echo "FAIL: no PostgreSQL at $(TEST_DATABASE_URL) (CI=true: PostgreSQL tests must run)"; exit 1; \
	else \
		echo "WARNING: no PostgreSQL at $(TEST_DATABASE_URL): PostgreSQL run SKIPPED (set TEST_DATABASE_URL)"; \
	fi

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

lint: setup
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .

format: setup
	$(VENV)/bin/ruff format .
	$(VENV)/bin/ruff check --fix .

messages: setup
	$(PY) manage.py makemessages -l th -l en --ignore=.venv --ignore=docs --ignore=bench --ignore=locale/viewflow
	$(PY) manage.py compilemessages --ignore=.venv

clean:
	rm -rf $(VENV) db.sqlite3* .media .static
