# The two commands a new user runs (see README.md): `make run` and `make test`.
PYTHON ?= python3
# The newest Python of the test matrix (3.11 is PYTHON's): pyenv's 3.13 where there is one.
PYTHON_NEWEST ?= $(firstword $(wildcard $(HOME)/.pyenv/versions/3.13*/bin/python3.13) python3.13)
VENV := .venv
PY := $(VENV)/bin/python
UV := $(VENV)/bin/uv
NEWEST := .venv-3.13
LOWEST := .venv-lowest
# What the lowest-direct check runs: reading, validating, storing, scoring, publishing, and the money tables.
LOWEST_TESTS ?= tests/test_validate_cli.py tests/test_money.py tests/test_rank_cli.py tests/test_contrib.py \
	tests/test_site_build.py tests/test_scoring.py

.PHONY: run test test-newest setup system lint lowest lock schemas startup clean

## run: set up, then validate, load, score and build the site from countries/ (the embedded default)
run: setup
	$(PY) cli.py validate
	$(PY) cli.py load
	$(PY) cli.py rank --profile instrument-matrix
	$(PY) cli.py build

## test: set up (Python packages, PostgreSQL, Chromium), then run the whole test suite and the linters on
## Python 3.11, and the suite (less the browser tests, which drive the same Chromium) and mypy on 3.13
test: setup system
	$(PY) -m pytest -p no:cacheprovider
	$(VENV)/bin/ruff check benchmark tests bench cli.py
	$(VENV)/bin/mypy
	$(MAKE) test-newest

test-newest: $(NEWEST)/.installed
	$(NEWEST)/bin/python -m pytest -p no:cacheprovider -q --ignore tests/test_site_browser.py
	$(NEWEST)/bin/mypy

## setup: the virtual environment, with exactly the versions of requirements-lock.txt
setup: $(VENV)/.installed

$(VENV)/.installed: pyproject.toml requirements-lock.txt
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet "$$(grep '^uv==' requirements-lock.txt)"
	$(UV) pip install --quiet --python $(PY) -c requirements-lock.txt -e '.[dev]'
	touch $@

$(NEWEST)/.installed: pyproject.toml requirements-lock.txt $(VENV)/.installed
	@command -v $(PYTHON_NEWEST) >/dev/null || { echo "no Python 3.13 for the second leg of make test:" \
		"install one (pyenv install 3.13) or name it with PYTHON_NEWEST=/path/to/python3.13" >&2; exit 1; }
	$(PYTHON_NEWEST) -m venv $(NEWEST)
	$(UV) pip install --quiet --python $(NEWEST)/bin/python -c requirements-lock.txt -e '.[dev]'
	touch $@

## lock: pin every dependency (all Pythons) after changing pyproject.toml; `make setup` installs the pins
lock: setup
	$(UV) pip compile --quiet --universal --python-version 3.11 pyproject.toml --extra dev --extra postgres \
		-o requirements-lock.txt

## lowest: install the lowest versions pyproject.toml allows of every direct dependency and run a
## representative part of the suite (on SQLite), so that the floors stay true
lowest: setup
	$(UV) venv --quiet --allow-existing --python $(PYTHON) $(LOWEST)
	$(UV) pip compile --quiet --resolution lowest-direct --python $(LOWEST)/bin/python pyproject.toml \
		--extra postgres -o $(LOWEST)/floors.txt
	$(UV) pip sync --quiet --python $(LOWEST)/bin/python $(LOWEST)/floors.txt
	$(UV) pip install --quiet --python $(LOWEST)/bin/python --no-deps -e .
	$(UV) pip install --quiet --python $(LOWEST)/bin/python -c requirements-lock.txt pytest hypothesis
	$(LOWEST)/bin/python -m pytest -p no:cacheprovider -q -k "not postgresql" $(LOWEST_TESTS)

## startup: cold start-up of rank, validate and --help beside `import polars` (bench/startup.py)
startup: setup
	$(PY) bench/startup.py

## system: install the Debian packages the tests need when they are missing (as root)
system:
	bash tests/system-deps.sh

lint: setup
	$(VENV)/bin/ruff check benchmark tests bench cli.py
	$(VENV)/bin/ruff format --check benchmark tests bench cli.py
	$(VENV)/bin/mypy

## schemas: regenerate the published JSON Schemas after changing the models or the registry
schemas: setup
	$(PY) cli.py schemas

clean:
	rm -rf build dist _site .benchmark $(NEWEST) $(LOWEST)
