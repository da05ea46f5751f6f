# Run and test the civic portal on its embedded default (SQLite, eager
# Celery, console mail). See README.md for PostgreSQL, Redis and Docker.

PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
HOST ?= 127.0.0.1
PORT ?= 8000
# Mail links and calendar feeds are absolute URLs built from SITE_URL, so
# the demo passes the address it serves on.
SITE_URL ?= http://$(HOST):$(PORT)
DEMO_SIZE ?= small
# The production settings refuse to start without a real-looking secret;
# this one exists only so that `check --deploy` can run.
DEPLOY_CHECK_SECRET := deploy-check-$(shell date +%s)-not-a-real-secret-0123456789abcdef
CODE_DIRS := manage.py civic_portal groups volunteering probono facilitation indicators \
	notifications outreach campaigns partner_links
CHROMIUM := /usr/bin/chromium

.PHONY: help install demo test lint typecheck checks pytest messages messages-check clean

help:
	@echo "make demo   - install, migrate, load demo data, serve on http://$(HOST):$(PORT)/"
	@echo "make test   - install, lint, type-check, Django checks, pytest on SQLite"
	@echo "make messages - extract new strings into locale/ and compile the catalogs"
	@echo "make clean  - remove the virtual environment and the SQLite database"

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

# Reinstall only when a requirements file changes.
$(VENV)/.installed: requirements/base.txt requirements/dev.txt | $(BIN)/python
	$(BIN)/python -m pip install --quiet -r requirements/dev.txt
	touch $@

# axe-core for the accessibility browser tests, from package-lock.json.
# Without npm the audit tests skip and name the command to run.
node_modules/.package-lock.json: package.json package-lock.json
	@if command -v npm >/dev/null; then npm ci --no-audit --no-fund; \
	else echo "npm not found: the axe-core audit will be skipped (apt-get install npm)."; fi

install: $(VENV)/.installed node_modules/.package-lock.json

demo: install
	$(BIN)/python manage.py migrate --no-input
	SITE_URL=$(SITE_URL) $(BIN)/python manage.py load_demo_data --size $(DEMO_SIZE)
	@echo "Serving the demo on http://$(HOST):$(PORT)/ (Ctrl-C stops it)."
	SITE_URL=$(SITE_URL) $(BIN)/python manage.py runserver $(HOST):$(PORT)

lint: install
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

typecheck: install
	$(BIN)/mypy $(CODE_DIRS)

checks: install
	$(BIN)/python manage.py makemigrations --check --dry-run
	$(BIN)/python manage.py check --fail-level WARNING
	DJANGO_SETTINGS_MODULE=civic_portal.settings.production \
	DJANGO_SECRET_KEY=$(DEPLOY_CHECK_SECRET) \
		$(BIN)/python manage.py check --deploy --fail-level WARNING

# Browser tests run only where the Debian Chromium is installed; elsewhere
# they are deselected. pytest's exit status 5 means no test was collected.
pytest: install
	@if [ -x $(CHROMIUM) ]; then marker=""; else \
		echo "$(CHROMIUM) not found: browser tests are deselected."; \
		marker="not browser"; fi; \
	$(BIN)/pytest -q -m "$$marker" $(PYTEST_ARGS); status=$$?; \
	if [ $$status -eq 5 ]; then echo "pytest collected no tests."; exit 0; fi; \
	exit $$status

test: lint typecheck checks pytest

clean:
	rm -rf $(VENV) db.sqlite3

# Needs gettext. Translate the new entries in locale/ja before committing.
messages: install
	$(BIN)/python manage.py makemessages -l ja -l en --no-obsolete \
		--ignore='$(VENV)/*' --ignore='benchmarks/*' --ignore='tests/*'
	$(BIN)/python manage.py compilemessages --ignore=$(VENV)

# Needs gettext. Extracts the strings of a copy of the committed tree and
# fails when a Japanese entry is missing or fuzzy, so no string reaches a
# Japanese page untranslated.
messages-check: install
	@set -e; copy=$$(mktemp -d); trap 'rm -rf "$$copy"' EXIT; \
	git archive HEAD | tar -x -C "$$copy"; \
	ln -s "$$(pwd)/$(VENV)" "$$copy/$(VENV)"; \
	cd "$$copy" && $(BIN)/python manage.py makemessages -l ja --no-obsolete \
		--ignore='$(VENV)/*' --ignore='benchmarks/*' --ignore='tests/*' >/dev/null; \
	po=locale/ja/LC_MESSAGES/django.po; \
	stats=$$(LC_ALL=C msgfmt --statistics -o /dev/null "$$po" 2>&1); \
	echo "Japanese catalog: $$stats"; \
	echo "$$stats" | grep -Eq '^[0-9]+ translated messages?\.$$' || { \
		msgattrib --untranslated --no-obsolete "$$po" | tail -n +4 | head -n 60; \
		msgattrib --only-fuzzy --no-obsolete "$$po" | tail -n +4 | head -n 60; \
		exit 1; }; \
	echo "Japanese catalog: every string is translated."
