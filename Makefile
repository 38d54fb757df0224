# Kulturvest: `make run` serves the demo, `make test` runs every check.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
PORT ?= 8000
TEST_DATABASE_URL ?= postgres://postgres@127.0.0.1:5432/kulturvest_test
PYTEST_ARGS ?=

.PHONY: install run test lint format test-sqlite test-postgres messages bench

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)

# Reinstall whenever pyproject.toml changes.
$(VENV)/.installed: pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[dev]'
	touch $@

install: $(VENV)/.installed

# PORT goes into the environment too, so that the demo's banner and email links use it.
run: install
	$(BIN)/python manage.py migrate --noinput
	PORT=$(PORT) $(BIN)/python manage.py load_demo
	PORT=$(PORT) $(BIN)/python manage.py runserver 127.0.0.1:$(PORT)

lint: install
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

format: install
	$(BIN)/ruff check --fix .
	$(BIN)/ruff format .

# The two runs go side by side: each empties its own Redis test database.
test-sqlite: install
	env -u DATABASE_URL REDIS_TEST_URL=$${REDIS_TEST_URL:-redis://127.0.0.1:6379/9} $(BIN)/python -m pytest $(PYTEST_ARGS)

test-postgres: install
	DATABASE_URL=$(TEST_DATABASE_URL) REDIS_TEST_URL=$${REDIS_TEST_POSTGRES_URL:-redis://127.0.0.1:6379/10} $(BIN)/python -m pytest $(PYTEST_ARGS)

# Lint, then the suite on SQLite and, when a server answers, on PostgreSQL (required when
# CI=true). The two runs go side by side on the machine's cores; the PostgreSQL run's
# output follows the SQLite run's. The last lines say which databases ran.
PG_LOG := test-artifacts/postgres.log
test: lint
	@set -e; \
	if $(BIN)/python tests/pg_available.py "$(TEST_DATABASE_URL)"; then \
		mkdir -p $(dir $(PG_LOG)); \
		$(MAKE) --no-print-directory test-postgres > $(PG_LOG) 2>&1 & postgres_run=$$!; \
		sqlite_status=0; $(MAKE) --no-print-directory test-sqlite || sqlite_status=$$?; \
		postgres_status=0; wait $$postgres_run || postgres_status=$$?; \
		echo "=============== the same suite on PostgreSQL ($(TEST_DATABASE_URL)) ==============="; \
		cat $(PG_LOG); \
		echo "SQLite run: exit $$sqlite_status; PostgreSQL run: exit $$postgres_status"; \
		if [ $$sqlite_status -ne 0 ] || [ $$postgres_status -ne 0 ]; then exit 1; fi; \
		echo "Databases tested: SQLite, PostgreSQL ($(TEST_DATABASE_URL))"; \
	elif [ "$$CI" = "true" ]; then \
		echo "CI=true but PostgreSQL does not answer at $(TEST_DATABASE_URL)" >&2; exit 1; \
	else \
		$(MAKE) --no-print-directory test-sqlite; \
		echo "Databases tested: SQLite only (no PostgreSQL answered at $(TEST_DATABASE_URL))"; \
	fi

# Regenerate the translation catalogues after changing user-facing strings.
messages: install
	$(BIN)/python manage.py makemessages -l nb -l en --no-obsolete --ignore=.venv --ignore=staticfiles
	$(BIN)/python manage.py compilemessages --ignore=.venv

# The benchmarks (benchmarks/README.md): gunicorn with 4 workers on PostgreSQL, one table
# of figures and ratios to baselines. ~8 to 10 minutes (the pages also at 10x the data); BENCH_ARGS=--quick for a short run.
BENCH_ARGS ?=
bench: install
	$(BIN)/python benchmarks/bench.py $(BENCH_ARGS)
