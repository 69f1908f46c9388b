# Fasthold: `make run` serves the demo, `make test` runs the whole suite.
VENV := .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed
DEMO_DB := var/demo.sqlite3

.PHONY: run test setup system assets messages demo bench screenshots clean

setup: system $(STAMP) assets messages

# System packages (chromium, gettext, Pango, npm): installed with apt-get, or named and stopped.
system:
	@scripts/setup-system

$(STAMP): pyproject.toml
	$$(scripts/find-python) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -e '.[dev]'
	touch $(STAMP)

assets: fasthold/static/vendor/.done

fasthold/static/vendor/.done: package.json package-lock.json scripts/vendor-assets
	scripts/vendor-assets
	touch $@

# Compiled catalogues are committed too, so msgfmt is only needed after editing a .po file.
messages:
	@if command -v msgfmt >/dev/null; then cd fasthold && ../$(VENV)/bin/fasthold compilemessages --verbosity 0; fi

run: setup
	mkdir -p var
	DATABASE_URL=sqlite:///$(DEMO_DB) $(VENV)/bin/fasthold migrate --no-input --verbosity 0
	DATABASE_URL=sqlite:///$(DEMO_DB) $(VENV)/bin/fasthold demo --if-empty
	# The task worker (Django's Tasks API, django-tasks-db) runs beside the server: the notification
	# outbox, the daily digests and the reminder digests (mail goes to the console in the demo).
	export DATABASE_URL=sqlite:///$(DEMO_DB) FASTHOLD_DEBUG=1 FASTHOLD_DEMO=1; \
	$(VENV)/bin/fasthold worker & worker=$$!; \
	trap 'kill $$worker 2>/dev/null' EXIT INT TERM; \
	$(VENV)/bin/fasthold runserver 127.0.0.1:8000

test: setup
	$(VENV)/bin/fasthold makemigrations --check --dry-run --verbosity 0
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .
	$(VENV)/bin/lint-imports --no-cache
	$(VENV)/bin/python -m pytest $(PYTEST_ARGS)

bench: setup
	$(PY) bench/run.py

# Every demo persona's main pages at 390 and 1280 px, saved in var/screenshots/ for review.
screenshots: setup
	$(PY) scripts/screenshots.py

clean:
	rm -rf $(VENV) var node_modules fasthold/static/vendor
