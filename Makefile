# The README's two commands: `make run` (the demo) and `make test` (the whole suite).
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed-$(shell cat requirements.txt requirements-dev.txt | cksum | cut -d' ' -f1)
# The demo clock starts six days before Pemilu 2024's voting day and runs forward.
CLOCK_START ?= 2024-02-08T09:00+08:00
PORT ?= 8000

.PHONY: run test lint bench bench-national install browser

$(STAMP):
	@$(PYTHON) -c 'import sys; sys.exit(sys.version_info < (3, 11))' || { echo "Python 3.11+ is needed"; exit 1; }
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -r requirements-dev.txt
	rm -f $(VENV)/.installed-* && touch $@

install: $(STAMP)

# Served as production serves it: debug off, static files collected (hashed names,
# compressed) for whitenoise to serve with long cache lifetimes.
run: $(STAMP)
	$(BIN)/python manage.py migrate --noinput
	$(BIN)/python manage.py collectstatic --noinput -v 0
	$(BIN)/python manage.py seed_demo
	$(BIN)/python manage.py seed_logistics_demo
	$(BIN)/python manage.py seed_meetings_demo
	CLOCK_START=$(CLOCK_START) PORT=$(PORT) ./scripts/run-demo

# Chromium for the browser tests comes from Debian; installed when missing and root.
browser:
	@command -v chromium >/dev/null 2>&1 || { [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1 && \
		(apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null) || \
		echo "chromium not found: browser tests will be skipped"; }

test: $(STAMP) browser
	$(BIN)/python -m pytest -n 2 --dist loadgroup

lint: $(STAMP)
	$(BIN)/ruff check .
	$(BIN)/python manage.py makemigrations --check --dry-run

# Each bench builds its own demo database on PostgreSQL (127.0.0.1:5432, user postgres;
# bench/common.py) and drops it; page_weight uses its own SQLite demo and Chromium, and
# comes last because it exits non-zero when a page misses its goal.
bench: $(STAMP)
	$(BIN)/python bench/write_read_path.py
	$(BIN)/python bench/confirm_throughput.py
	$(BIN)/python bench/scope_queries.py
	$(BIN)/python bench/escort_planning.py
	$(BIN)/python bench/escort_board.py
	$(BIN)/python bench/dashboard.py
	$(BIN)/python bench/page_weight.py

# The whole country through the project's imports, every figure beside its anchor (see
# bench/national/__main__.py); about half an hour on 2 cores, so not part of `bench`.
bench-national: $(STAMP)
	$(BIN)/python -m bench.national
