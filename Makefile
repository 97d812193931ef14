# chart-control: two commands for a newcomer — `make run` and `make test`.
# Feature areas add their own targets in mk/*.mk and extend INSTALL_TARGETS.
SHELL := /bin/bash
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
INSTALL_TARGETS :=

-include mk/*.mk

.PHONY: install run test lint format build openapi docs bench clean
.DEFAULT_GOAL := help

help: ## List the targets
	@grep -hE '^[a-z-]+:.*## ' $(MAKEFILE_LIST) | awk -F':.*## ' '{printf "  make %-12s %s\n", $$1, $$2}'

install: $(VENV)/.installed $(INSTALL_TARGETS) ## Create .venv and install everything (idempotent)

$(VENV)/.installed: requirements-dev.txt $(wildcard functions/*/requirements.txt)
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/pip install -q --disable-pip-version-check -r requirements-dev.txt
	touch $@

run: install ## Firestore emulator + the three functions locally; Ctrl-C stops everything
	$(BIN)/python -m devtools.run

test: install ## Every test, against a Firestore emulator started for the run
	$(BIN)/python -m pytest

lint: install ## ruff
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

format: install ## ruff fix + format
	$(BIN)/ruff check --fix .
	$(BIN)/ruff format .

build: install ## Deployable bundles in build/<function>/
	$(BIN)/python -m devtools.build

openapi: install ## Regenerate docs/openapi.json from the pydantic models
	$(BIN)/python -m devtools.openapi docs/openapi.json

docs: openapi ## Regenerate generated docs (OpenAPI, Agent Builder guide, the web kit's payload types)
	$(BIN)/python -m devtools.agent_builder_doc
	$(BIN)/python -m devtools.web_types

bench: install ## Latency/throughput vs the raw Firestore floor -> docs/benchmarks.md (not in make test)
	command -v hey >/dev/null || (apt-get update -qq && apt-get install -y -qq hey)
	$(BIN)/python -m devtools.bench

clean: ## Remove build output and caches (keeps .venv)
	rm -rf build .pytest_cache .ruff_cache
