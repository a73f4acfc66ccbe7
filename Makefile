# Two commands matter: `make run` (the bot) and `make test` (every check and test).
# Each sets up what it needs first: a Python 3.10 virtual environment in .venv, the pinned
# dependencies from requirements.lock, and the two trained models in models/ (the NLU model and
# the safety net's classifier) when they are missing or older than what they are trained from.

SHELL := /bin/bash
.DEFAULT_GOAL := help

VENV := .venv
PY := $(VENV)/bin/python
INSTALLED := $(VENV)/.installed
MODEL := models/nlu.tar.gz
SAFETY_MODEL := models/safety.tar.gz
MODELS := $(MODEL) $(SAFETY_MODEL)
# (The folders too: a training file taken out, or put in, changes its folder's time.)
NLU_DATA := nlu/data nlu/safety/data $(wildcard nlu/data/*.yml) $(wildcard nlu/safety/data/*.yml) \
            nlu/safety/config.yml

# Finds a Python 3.10 that really runs (Rasa 3.6 needs 3.8 to 3.10). A pyenv shim named
# python3.10 exists on many machines but fails unless pyenv has that version active, so every
# candidate is run, not just looked up. Order: $PYTHON, python3.10, pyenv's versions, common
# install places, uv (which can also install one).
define FIND_PYTHON310
ok() { "$$1" -c 'import sys, venv, ensurepip; sys.exit(sys.version_info[:2] != (3, 10))' >/dev/null 2>&1; }
candidates=("$${PYTHON:-}" python3.10)
if command -v pyenv >/dev/null 2>&1; then candidates+=("$$(pyenv root)"/versions/3.10*/bin/python); fi
candidates+=("$$HOME"/.pyenv/versions/3.10*/bin/python /usr/local/bin/python3.10 /usr/bin/python3.10 \
             /opt/homebrew/bin/python3.10 /Library/Frameworks/Python.framework/Versions/3.10/bin/python3)
if command -v uv >/dev/null 2>&1; then candidates+=("$$(uv python find 3.10 2>/dev/null)"); fi
candidates+=(python3 python)
for c in "$${candidates[@]}"; do
  if [ -n "$$c" ] && ok "$$c"; then command -v "$$c" || echo "$$c"; exit 0; fi
done
if command -v uv >/dev/null 2>&1; then
  echo "No Python 3.10 found; asking uv to install one." >&2
  uv python install 3.10 >&2 && c="$$(uv python find 3.10)" && ok "$$c" && { echo "$$c"; exit 0; }
fi
exit 1
endef
export FIND_PYTHON310

.PHONY: help run test check bench evaluate format setup model clean browser

help:
	@echo "make run    start the bot (Telegram if TELEGRAM_BOT_TOKEN is set, else a chat in this terminal)"
	@echo "make test   run every check and the whole test suite"
	@echo "make check  only the fast checks: content, formatting, lint, types, Dockerfile"
	@echo "make bench  the load and footprint benchmarks (several minutes; prints the figures)"
	@echo "make evaluate  how well the NLU understands (writes reports/)"

$(PY):
	@py="$$(bash -c "$$FIND_PYTHON310")" || { \
	  echo "Python 3.10 is needed (Rasa 3.6 runs on 3.8 to 3.10 only) and none was found."; \
	  echo "Install it with pyenv ('pyenv install 3.10'), uv ('uv python install 3.10') or your"; \
	  echo "package manager, or point to one with: make PYTHON=/path/to/python3.10 run"; exit 1; }; \
	echo "Creating $(VENV) with $$py"; \
	"$$py" -m venv $(VENV)

$(INSTALLED): requirements.lock requirements-dev.lock | $(PY)
	@echo "Installing pinned dependencies into $(VENV) (about 2.7 GB; 2 to 5 minutes the first time)."
	$(PY) -m pip install --disable-pip-version-check --no-deps -q -r requirements-dev.lock
	@touch $@

setup: $(INSTALLED)

$(MODELS) &: $(INSTALLED) config.yml $(NLU_DATA)
	@echo "Training the NLU model and the safety classifier from config.yml and nlu/ (a few minutes on 2 cores)."
	$(PY) -m bot train

model: $(MODELS)

run: $(MODELS)
	@if [ -n "$$TELEGRAM_BOT_TOKEN" ] || grep -qs '^TELEGRAM_BOT_TOKEN=..*' .env; then \
	  exec $(PY) -m bot run; \
	else \
	  echo "No TELEGRAM_BOT_TOKEN set, so this is a chat in the terminal (same answers as Telegram)."; \
	  exec $(PY) -m bot shell; \
	fi

check: $(INSTALLED)
	$(PY) -m bot check
	$(VENV)/bin/ruff format --check bot tests bench
	$(VENV)/bin/ruff check bot tests bench
	$(VENV)/bin/mypy
	$(VENV)/bin/hadolint Dockerfile

# The staff console's tests drive Debian's headless chromium through chromedriver; CI starts on a
# fresh machine as root, so they are installed here when missing.
browser:
	@if ! command -v chromium >/dev/null 2>&1 || ! command -v chromedriver >/dev/null 2>&1; then \
	  echo "Installing Debian's chromium and chromium-driver for the console's browser tests."; \
	  if [ "$$(id -u)" = 0 ]; then run=; else run=sudo; fi; \
	  $$run apt-get update -qq && \
	  DEBIAN_FRONTEND=noninteractive $$run apt-get install -y -qq --no-install-recommends \
	    chromium chromium-driver >/dev/null; \
	fi

test: check $(MODELS) browser
	$(PY) -m pytest

bench: $(MODELS)
	$(PY) bench/load.py
	$(PY) bench/footprint.py

evaluate: $(MODELS)
	$(PY) -m bot evaluate

format: $(INSTALLED)
	$(VENV)/bin/ruff format bot tests bench
	$(VENV)/bin/ruff check --fix bot tests bench

clean:
	rm -rf models reports .pytest_cache .mypy_cache .ruff_cache
