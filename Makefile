# Quick start: `make serve` (set up, build, serve on http://127.0.0.1:8000) and `make test`.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
NODE_STAMP := node_modules/.installed
# System tools the test suite drives: a real browser, Java for the Nu Html Checker, npm, rsync.
SYSTEM_TOOLS := chromium:chromium java:default-jre-headless npm:npm rsync:rsync git:git
SUDO := $(shell [ "$$(id -u)" = 0 ] || echo sudo)

.PHONY: serve build test clean setup system-deps

$(BIN)/python:
	$(PYTHON) -m venv $(VENV) || { echo "python3 -m venv failed: on Debian run 'apt-get install -y python3-venv'"; exit 1; }

$(STAMP): requirements.txt requirements-dev.txt pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -r requirements-dev.txt
	# The project itself, editable: `pelican`, invoke and pytest import plugins/ and hubsite/ from here.
	$(BIN)/python -m pip install --quiet --no-deps -e .
	touch $(STAMP)

setup: $(STAMP)

system-deps:
	@missing=""; for pair in $(SYSTEM_TOOLS); do \
	  command -v $${pair%%:*} >/dev/null 2>&1 || missing="$$missing $${pair#*:}"; done; \
	if [ -n "$$missing" ]; then \
	  echo "Installing Debian packages:$$missing"; \
	  $(SUDO) apt-get update -qq && $(SUDO) env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq $$missing >/dev/null; \
	fi

$(NODE_STAMP): package.json package-lock.json | system-deps
	npm ci --no-audit --no-fund --loglevel=error
	touch $(NODE_STAMP)

build: $(STAMP)
	$(BIN)/invoke build

serve: build
	$(BIN)/invoke serve

test: system-deps $(STAMP) $(NODE_STAMP)
	$(BIN)/python -m pytest

clean:
	$(BIN)/invoke clean
