# Roster: `make run` serves the demo on SQLite; `make test` runs lint and the whole suite.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
FLASK := $(BIN)/flask --app wsgi
STAMP := $(VENV)/.installed-$(shell cat pyproject.toml | cksum | cut -d' ' -f1)
WORKERS ?= auto

.PHONY: run test lint install bench load soak sbom clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)

$(STAMP): pyproject.toml | $(BIN)/python
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e '.[dev]'
	rm -f $(VENV)/.installed-*
	touch $(STAMP)

# The French catalogue is compiled by every build: the .mo files are not committed.
install: $(STAMP)
	$(BIN)/pybabel -q compile -d roster/translations

run: install
	$(FLASK) roster migrate
	$(FLASK) roster seed
	@echo ""
	@echo "Roster is serving at http://127.0.0.1:5000"
	@echo "Demo logins (password for all: demo-password-2026):"
	@echo "  admin@roster.example         administrator"
	@echo "  coordinator@roster.example   coordinator"
	@echo "  lno@roster.example           liaison officer (NATO SECRET)"
	@echo "  lno.restricted@roster.example liaison officer (NATO RESTRICTED)"
	@echo "  expert@roster.example        expert (every demo expert can sign in with the e-mail on their profile)"
	@echo "  lno.maritime@, lno.north@, lno.transformation@, lno.strategic@roster.example: more LNOs"
	@echo "Mail and scheduled jobs run beside the server; mail lands in instance/outbox/ as .eml files"
	@echo "(set ROSTER_SMTP_HOST to send it to a mail server)."
	@echo "Coordinator and admin also need a two-factor code: see README.md, "Two-factor authentication for the demo admin and coordinator"."
	@echo ""
	$(FLASK) roster serve --host 127.0.0.1 --port 5000

lint: install
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/lint-imports
	$(BIN)/mypy
	$(BIN)/bandit -q -r roster -ll

# A CycloneDX bill of materials of the installed environment, for auditing elsewhere
# (no vulnerability database is reachable from here, so no audit is claimed).
sbom: install
	mkdir -p build
	$(BIN)/cyclonedx-py environment --output-format JSON --output-reproducible -o build/sbom.cdx.json $(BIN)/python
	@echo "SBOM written to build/sbom.cdx.json"

test: lint
	$(BIN)/pytest -n $(WORKERS) --dist loadgroup -q

bench: install
	$(BIN)/python -m bench.search
	$(BIN)/python -m bench.search --engine postgresql
	$(BIN)/python -m bench.search_throughput
	$(BIN)/python -m bench.search_throughput --engine postgresql
	$(BIN)/python -m bench.ranking
	$(BIN)/python -m bench.imports
	$(BIN)/python -m bench.loop
	$(BIN)/python -m bench.candidates

# Five minutes of locust on two gunicorn servers, one PostgreSQL (ROSTER_LOAD_POSTGRES_URL) and
# Redis (ROSTER_LOAD_REDIS_URL), then the invariants; CI runs a 30-second dose (tests/ops/test_load.py).
load: install
	$(BIN)/python -m bench.load.run --duration 300 --users 24 --write-report

# Longer campaigns than CI runs: more race rounds (CI runs a smaller dose in `make test`).
soak: install
	ROSTER_RACE_ROUNDS=100 $(BIN)/pytest -q tests/requests/test_races.py
	ROSTER_CRASH_CYCLES=25 $(BIN)/pytest -q tests/ops/test_crash.py

clean:
	rm -rf $(VENV) instance/roster.db* .pytest_cache
