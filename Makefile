# One-command start and test. The virtualenv is rebuilt only when requirements.txt changes.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
FLASK := $(BIN)/flask --app portal
STAMP := $(VENV)/.installed-requirements
CATALOGS := $(wildcard portal/translations/*/LC_MESSAGES/messages.po)
COMPILED := $(CATALOGS:.po=.mo)

.PHONY: install translations run serve migrate test test-sqlite test-postgres lint bench extract clean

install: $(STAMP)

$(STAMP): requirements.txt
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -r requirements.txt
	cp requirements.txt $(STAMP)

translations: $(COMPILED)

%.mo: %.po $(STAMP)
	$(BIN)/pybabel compile --statistics -i $< -o $@

migrate: install translations
	$(FLASK) db upgrade
	$(FLASK) directory load

run: migrate
	@echo
	@echo "Portal: http://127.0.0.1:5000  (worker running alongside; Ctrl+C stops both)"
	@echo "First staff account (asks for a password, or reads PORTAL_PASSWORD):"
	@echo "  $(FLASK) user create --email admin@example.gov.vn --name 'Quản trị' --role admin"
	@echo "then sign in at http://127.0.0.1:5000/staff/login"
	@echo
	@trap 'kill 0' INT TERM EXIT; $(FLASK) worker & $(FLASK) run --host 127.0.0.1 --port 5000

# The whole suite on SQLite, then on PostgreSQL when TEST_DATABASE_URL is set; each pass over every core
# (pyproject.toml: pytest-xdist, one test file per worker at a time, and the 20 slowest tests named).
test: install translations
	@echo "== SQLite"
	TEST_DATABASE_URL= $(BIN)/python -m pytest -q
	@if [ -n "$$TEST_DATABASE_URL" ]; then echo "== PostgreSQL: $$TEST_DATABASE_URL"; $(BIN)/python -m pytest -q; fi

test-sqlite: install translations
	TEST_DATABASE_URL= $(BIN)/python -m pytest -q

test-postgres: install translations
	TEST_DATABASE_URL=$${TEST_DATABASE_URL:-postgresql://postgres@127.0.0.1:5432/portal_test} $(BIN)/python -m pytest -q

lint: install
	$(BIN)/ruff check portal inspections tests benchmarks

# Every benchmark module. bench_http: BENCH_HTTP_SIZES (default 20000,200000), BENCH_HTTP_ALONE_SIZES (default
# 1000000, PostgreSQL, single requests only), BENCH_HTTP_DATABASES, BENCH_HTTP_SECONDS (see README).
bench: install translations
	$(BIN)/python -m benchmarks

# Refresh the catalogs after changing user-facing strings.
extract: install
	$(BIN)/pybabel extract -F babel.cfg -k _l -k N_ -o portal/translations/messages.pot .
	$(BIN)/pybabel update -i portal/translations/messages.pot -d portal/translations --no-fuzzy-matching --ignore-obsolete

clean:
	rm -rf $(VENV) $(COMPILED)
