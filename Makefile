# Quick start: `make serve` (set up, build, serve on http://127.0.0.1:8000) and `make test`.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: serve build test clean setup

$(BIN)/python:
	$(PYTHON) -m venv $(VENV) || { echo "python3 -m venv failed: on Debian run 'apt-get install -y python3-venv'"; exit 1; }

$(STAMP): requirements.txt requirements-dev.txt | $(BIN)/python
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -r requirements-dev.txt
	touch $(STAMP)

setup: $(STAMP)

build: $(STAMP)
	$(BIN)/invoke build

serve: build
	$(BIN)/invoke serve

test: $(STAMP)
	$(BIN)/python -m pytest

clean:
	$(BIN)/invoke clean
