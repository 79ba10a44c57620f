# Every target creates the virtualenv it needs: a fresh clone needs only Python 3.11+ and make.
.DEFAULT_GOAL := help
SHELL := /bin/bash

PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed
HOST   ?= 127.0.0.1
PORT   ?= 4010
# Conformance sizes: examples per operation and mode. CI size for `make test`, full size for `make conformance`.
CONFORMANCE_EXAMPLES    ?= 100
CONFORMANCE_CI_EXAMPLES ?= 25

.PHONY: help venv generate check-generated lint typecheck docs test conformance mutation mock proxy demo bench clean

help: ## List the targets
	@awk 'BEGIN {FS = ":.*## "} /^[a-zA-Z_-]+:.*## / {printf "  \033[36m%-16s\033[0m %s\n", $$1, $$2}' $(MAKEFILE_LIST)

$(STAMP): pyproject.toml constraints.txt
	@$(PYTHON) -c 'import sys; sys.exit(0 if sys.version_info >= (3, 11) else "Python 3.11+ is needed; set PYTHON=python3.11 (or newer)")'
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --disable-pip-version-check -c constraints.txt -e '.[dev,mock]'
	@touch $@

venv: $(STAMP) ## Create .venv with the exact versions of constraints.txt

generate: $(STAMP) ## Regenerate generated/ from openapi.yaml, generator-config.yaml and templates/
	$(BIN)/python scripts/generate.py

check-generated: $(STAMP) ## Fail with a diff if generated/ is stale
	$(BIN)/python scripts/generate.py --check

lint: $(STAMP) ## ruff (check + format), mypy --strict on handwritten and generated code, the import contracts
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/mypy
	$(BIN)/lint-imports

typecheck: $(STAMP) ## mypy --strict only
	$(BIN)/mypy

docs: $(STAMP) ## Build the docs site into site/ (mkdocs --strict: any warning fails; nothing is fetched)
	NO_MKDOCS_2_WARNING=1 $(BIN)/mkdocs build --strict --quiet

# The test runs write bytecode even where the environment says not to (PYTHONDONTWRITEBYTECODE): pytest keeps the
# assertion-rewritten plugins (hypothesis, schemathesis) as bytecode in .venv, which every pytest process of a run
# (xdist workers, the broken-variant runs) would otherwise parse and rewrite again, over a second each.
WITH_BYTECODE := PYTHONDONTWRITEBYTECODE=
# pytest-xdist: one worker per core; loadgroup keeps the tests marked xdist_group (shared process state) together.
PARALLEL := -n auto --dist loadgroup

test: check-generated lint docs ## Everything CI runs: the stale check, lint, the docs build, unit tests and the conformance suite at CI size
	$(WITH_BYTECODE) BASE_URL= CONFORMANCE_EXAMPLES=$(CONFORMANCE_CI_EXAMPLES) $(BIN)/python -m pytest $(PARALLEL) -q -p no:cacheprovider

conformance: $(STAMP) ## The property suite proving spec, mock and client agree (BASE_URL=... LUMA_AGENTS_API_KEY=... for live mode)
	$(WITH_BYTECODE) CONFORMANCE_EXAMPLES=$(CONFORMANCE_EXAMPLES) $(BIN)/python -m conformance

mutation: $(STAMP) ## Mutation score of the modules the spec's behaviour lives in, by the conformance suite alone, then each survivor's own unit tests (SAMPLE=20: 20 per module, about 11 s each; all: hours; ONLY='glob ...'; docs/mutation.md)
	$(BIN)/python scripts/mutation.py $(if $(ONLY),--only $(ONLY)) $(if $(SAMPLE),--sample $(SAMPLE))

mock: $(STAMP) ## Run the stateful mock on $(HOST):$(PORT) (Ctrl-C to stop)
	$(BIN)/python -m luma_uni_mock --host $(HOST) --port $(PORT)

proxy: PORT = 4011
proxy: $(STAMP) ## A validating proxy on $(HOST):$(PORT) in front of UPSTREAM=URL; reports in reports/proxy/ on Ctrl-C
	@test -n "$(UPSTREAM)" || { echo "make proxy needs UPSTREAM=URL, e.g. UPSTREAM=https://agents.lumalabs.ai/v1"; exit 2; }
	$(BIN)/python -m luma_uni_proxy --upstream $(UPSTREAM) --host $(HOST) --port $(PORT) $(if $(ERRORS),--errors)

demo: $(STAMP) ## Start the mock, make an image, its edit and layers, a video and its edit into ./out/ with the CLI, stop the mock
	$(BIN)/python scripts/demo.py

bench: $(STAMP) ## Benchmarks against Prism and the official SDK (not run in CI)
	$(BIN)/python -m bench

clean: ## Remove the virtualenv, reports and outputs
	rm -rf $(VENV) reports out site .pytest_cache .mypy_cache .ruff_cache .hypothesis .import_linter_cache
