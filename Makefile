# The project's vocabulary: run, test, lint, build, bench, fuzz, deploy, admin.
SHELL := /bin/bash
.DEFAULT_GOAL := help

VENV      := .venv
TOOLS     := .tools/sam
BIN       := $(VENV)/bin
SAM       := $(TOOLS)/bin/sam
ARCH      ?= arm64
SAM_CLI   := aws-sam-cli==1.170.0
# checkov in its own virtualenv, like SAM CLI: its many dependencies never meet the app's.
CHECKOV_TOOLS := .tools/checkov
CHECKOV   := checkov==3.3.30
export AWS_DEFAULT_REGION ?= us-east-1
export SAM_CLI_TELEMETRY := 0

# python3.13 on PATH (if it really runs), else pyenv's, else the usual prefixes.
PYTHON ?= $(shell for p in python3.13 $$HOME/.pyenv/versions/3.13*/bin/python3.13 /usr/local/bin/python3.13 /usr/bin/python3.13; do \
            command -v $$p >/dev/null 2>&1 && $$p -c 'import sys; assert sys.version_info[:2] == (3, 13)' >/dev/null 2>&1 && { command -v $$p; break; }; done)
PYDIR := $(dir $(PYTHON))
# sam build looks for python3.13 on PATH; pyenv shims for inactive versions do not run.
SAM_ENV := PATH="$(abspath $(PYDIR)):$$PATH" MONITOR_PYTHON="$(PYTHON)" MONITOR_ARCH="$(ARCH)"

.PHONY: help python venv tools run test lint typecheck pytest validate scan build check-build bench fuzz deploy admin migrar-hitos reindexar clean

help:
	@echo "make run      start the local API (http://127.0.0.1:$${PORT:-3000}) with its embedded AWS"
	@echo "make test     lint, type-check, unit/handler/e2e tests, sam validate --lint, checkov, sam build + checks"
	@echo "make scan     checkov on template.yaml: fails on a finding neither fixed nor explained in the template"
	@echo "make bench    cold start, warm latency, DynamoDB requests and package sizes -> bench/results.md"
	@echo "make fuzz     deeper contract fuzzing against the local API"
	@echo "make deploy   sam build && sam deploy (use 'make deploy GUIDED=1' the first time)"
	@echo "make admin    create the first administrator on a deployed stack (STACK=... USERNAME=...)"
	@echo "make migrar-hitos  milestones and report counters for existing data (STACK=...; resumable)"
	@echo "make reindexar join expedientes written before the search/sync indexes to them (STACK=...)"

python:
	@if [ -z "$(PYTHON)" ]; then \
	  echo "Python 3.13 not found. Install it (e.g. 'pyenv install 3.13') or pass PYTHON=/path/to/python3.13." >&2; exit 1; fi

$(VENV)/.installed: requirements-dev.txt layers/common/requirements.txt layers/xlsx/requirements.txt | python
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -r requirements-dev.txt
	touch $@

$(TOOLS)/.installed: | python
	test -x $(TOOLS)/bin/python || $(PYTHON) -m venv $(TOOLS)
	$(TOOLS)/bin/python -m pip install --quiet --upgrade pip
	$(TOOLS)/bin/python -m pip install --quiet "$(SAM_CLI)"
	touch $@

$(CHECKOV_TOOLS)/.installed: | python
	test -x $(CHECKOV_TOOLS)/bin/python || $(PYTHON) -m venv $(CHECKOV_TOOLS)
	$(CHECKOV_TOOLS)/bin/python -m pip install --quiet --upgrade pip
	$(CHECKOV_TOOLS)/bin/python -m pip install --quiet "$(CHECKOV)"
	touch $@

venv: $(VENV)/.installed
tools: $(TOOLS)/.installed $(CHECKOV_TOOLS)/.installed

run: venv
	$(BIN)/python tools/local_gateway.py

lint: venv
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

typecheck: venv
	$(BIN)/mypy

pytest: venv
	$(BIN)/python -m pytest $(PYTEST_ARGS)

validate: $(TOOLS)/.installed
	$(SAM) validate --lint

scan: venv $(CHECKOV_TOOLS)/.installed
	$(BIN)/python tools/scan_template.py --checkov $(CHECKOV_TOOLS)/bin/checkov

build: $(TOOLS)/.installed
	$(SAM_ENV) $(SAM) build --parameter-overrides Architecture=$(ARCH)
	@# Lambda cannot write __pycache__: ship bytecode that is valid without timestamps.
	$(PYTHON) -m compileall -q -j 0 --invalidation-mode unchecked-hash .aws-sam/build

check-build: venv
	$(BIN)/python tools/check_build.py --arch $(ARCH)

test: lint typecheck pytest validate scan build check-build
	@echo "make test: all checks passed"

bench: venv build
	$(BIN)/python bench/run.py

fuzz: venv
	MONITOR_FUZZ_PROFILE=deep $(BIN)/python -m pytest tests/e2e/test_fuzz.py -q $(PYTEST_ARGS)

deploy: build
	$(SAM) deploy $(if $(GUIDED),--guided,--config-env $${ENV:-default})

admin: venv
	$(BIN)/python tools/crear_admin.py --stack "$(STACK)" --username "$${USERNAME:-admin}"

migrar-hitos: venv
	$(BIN)/python tools/migrar_hitos.py --stack "$(STACK)" $(if $(DESDE_CERO),--desde-cero,)

reindexar: venv
	$(BIN)/python tools/reindexar_busqueda.py --stack "$(STACK)"

clean:
	rm -rf .aws-sam .pytest_cache .mypy_cache .ruff_cache
