# Two commands do all the set-up on a fresh machine with Python 3.11+:
#   make run   - install, migrate, load demo data if empty, serve http://127.0.0.1:5000
#   make test  - install and run every test part this machine can run
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: venv run test test-sqlite test-pg test-browser test-api lint format bench translations clean

$(STAMP): pyproject.toml
	@$(PYTHON) -c 'import sys; sys.exit(0 if sys.version_info >= (3, 11) else 1)' \
		|| { echo "Python 3.11 or newer is needed (set PYTHON=python3.11)"; exit 1; }
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[dev]'
	touch $(STAMP)

venv: $(STAMP)

run: venv
	$(BIN)/tracker db upgrade
	$(BIN)/tracker demo --if-empty
	@echo
	@echo "Serving on http://127.0.0.1:5000  (Ctrl-C stops)"
	@echo "Create the first admin in another terminal:"
	@echo "  $(BIN)/tracker user create you@example.org --role admin"
	@echo
	$(BIN)/tracker run --host 127.0.0.1 --port 5000

test: venv
	$(BIN)/python tests/run_suites.py $(if $(REQUIRE_ALL),--require-all)

test-sqlite: venv
	$(BIN)/python tests/run_suites.py --only sqlite

test-pg: venv
	$(BIN)/python tests/run_suites.py --only postgres --require-all

test-browser: venv
	$(BIN)/python tests/run_suites.py --only browser --require-all

test-api: venv
	$(BIN)/python tests/run_suites.py --only api --require-all

lint: venv
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/mypy

format: venv
	$(BIN)/ruff format .

bench: venv
	$(BIN)/python benchmarks/bench_parse.py
	$(BIN)/python benchmarks/bench_incremental.py
	$(BIN)/python benchmarks/bench_scoring.py --scale large
	$(BIN)/python benchmarks/bench_pages.py

# Members' strings -> tracker/translations/messages.pot -> every catalog, compiled
# (README "Languages").
translations: venv
	$(BIN)/pybabel --quiet extract -F babel.cfg -k N_ -k lazy_gettext --sort-by-file \
		--no-wrap -o tracker/translations/messages.pot .
	$(BIN)/pybabel --quiet update --no-wrap --ignore-obsolete -i tracker/translations/messages.pot \
		-d tracker/translations
	$(BIN)/pybabel compile --statistics -d tracker/translations

clean:
	rm -rf $(VENV) build *.egg-info
