# Meridian: `make demo` runs the product, `make test` runs the whole suite.
PY ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: install demo serve test test-sqlite test-postgres lint format bench clean

$(STAMP): pyproject.toml
	test -x $(BIN)/python || $(PY) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet --disable-pip-version-check -e '.[dev]'
	touch $(STAMP)

install: $(STAMP)

demo: $(STAMP)
	mkdir -p var
	DEBUG=1 $(BIN)/python manage.py migrate --no-input
	DEBUG=1 $(BIN)/python manage.py seed_demo --if-empty
	DEBUG=1 TASKS_BACKEND=django_tasks.backends.immediate.ImmediateBackend \
		$(BIN)/python manage.py runserver 127.0.0.1:8000  # jobs (emails) run at once: no worker

test: $(STAMP)
	$(BIN)/python -m pytest --db=sqlite
	$(BIN)/python -m pytest --db=postgres

test-sqlite: $(STAMP)
	$(BIN)/python -m pytest --db=sqlite

test-postgres: $(STAMP)
	$(BIN)/python -m pytest --db=postgres

lint: $(STAMP)
	$(BIN)/ruff format --check .
	$(BIN)/ruff check .
	$(BIN)/mypy .
	$(BIN)/lint-imports
	DJANGO_SETTINGS_MODULE=config.settings_test $(BIN)/python manage.py makemigrations --check --dry-run

format: $(STAMP)
	$(BIN)/ruff format .
	$(BIN)/ruff check --fix .

bench: $(STAMP)
	$(BIN)/python -m bench

clean:
	rm -rf $(VENV) var/*.sqlite3* .pytest_cache .mypy_cache .ruff_cache
