# Meridian: `make demo` runs the product, `make test` runs the whole suite.
PY ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: install demo serve test test-sqlite test-postgres lint format bench clean screenshots

$(STAMP): pyproject.toml
	test -x $(BIN)/python || $(PY) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet --disable-pip-version-check -e '.[dev]'
	touch $(STAMP)

install: $(STAMP)

# migrate, seed_demo (prints the logins), then runserver on 127.0.0.1:8000 beside the task
# worker and the scheduler (emails and periodic sweeps go through the database queue)
demo: $(STAMP)
	mkdir -p var
	DEBUG=1 $(BIN)/python -m config.serve --dev

# Production: migrate, collectstatic, then gunicorn (WEB_CONCURRENCY workers, 127.0.0.1:$PORT),
# the task worker and the scheduler against DATABASE_URL; needs SECRET_KEY (README: "Run it for real").
serve: $(STAMP)
	$(BIN)/python -m config.serve

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
	git ls-files -z '*.html' | xargs -0 $(BIN)/djade --check --target-version 5.2
	$(BIN)/djlint meridian --lint
	$(BIN)/mypy .
	$(BIN)/lint-imports
	DJANGO_SETTINGS_MODULE=config.settings_test $(BIN)/python manage.py makemigrations --check --dry-run

format: $(STAMP)
	$(BIN)/ruff format .
	$(BIN)/ruff check --fix .

bench: $(STAMP)
	$(BIN)/python -m bench

# Not in CI: a screenshot of every page (screenshots*.py) and of the page each journey's
# browser test ends on, at 1280 and 390 px, under var/screenshots/ (git-ignored).
SHOTS := var/screenshots
JOURNEYS := tests/e2e/test_journey_manager.py tests/e2e/test_journey_mentee.py \
	tests/e2e/test_journey_mentor.py tests/e2e/test_invitation.py tests/e2e/test_import.py \
	tests/e2e/test_application.py tests/e2e/test_matching_review.py tests/e2e/test_meetings.py \
	tests/e2e/test_meeting_notes.py tests/e2e/test_precall.py tests/e2e/test_selfselect.py \
	tests/e2e/test_password_reset.py tests/e2e/test_api_tokens.py

screenshots: $(STAMP)
	rm -rf $(SHOTS) && mkdir -p $(SHOTS)
	SHOTS_DIR=$(SHOTS) $(BIN)/python -m pytest -q -s tests/e2e/screenshots.py tests/e2e/screenshots_matching.py
	JOURNEY_SHOTS=$(SHOTS)/journeys $(BIN)/python -m pytest -q $(JOURNEYS)
	@echo "screenshots in $(SHOTS)/ and $(SHOTS)/journeys/"

clean:
	rm -rf $(VENV) var/*.sqlite3* .pytest_cache .mypy_cache .ruff_cache
