# The two commands a new user runs (see README.md): `make run` and `make test`.
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python

.PHONY: run test setup system lint schemas clean

## run: set up, then validate, load, score and build the site from countries/ (the embedded default)
run: setup
	$(PY) cli.py validate
	$(PY) cli.py load
	$(PY) cli.py rank --profile instrument-matrix
	$(PY) cli.py build

## test: set up (Python packages, PostgreSQL, Chromium), then run the whole test suite and the linters
test: setup system
	$(PY) -m pytest -p no:cacheprovider
	$(VENV)/bin/ruff check benchmark tests bench cli.py
	$(VENV)/bin/mypy

setup: $(VENV)/.installed

$(VENV)/.installed: pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -e '.[dev]'
	touch $@

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
	rm -rf build dist _site .benchmark
