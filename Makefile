# WRES reporting pipeline. `make` (or `make help`) lists the targets.
# Everything a fresh machine needs is installed by these rules the first time they run:
# a project virtual environment in .venv with the exact versions of requirements.lock
# (hashes checked), and, where missing, the system packages of mk/system.mk (apt-get).

SHELL := /bin/bash
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
LOCK := requirements.lock
YEAR ?= 2021
UNIT ?=
YEARS := 2019 2020 2021 2022 2023
NOTEBOOKS := notebooks/*.ipynb notebooks/*/*.ipynb

.DEFAULT_GOAL := help
.PHONY: help setup report reports validate counts test unit lint format lock example-data bench screenshot audit clean

help: ## List the targets
	@echo "WRES reporting pipeline"
	@echo
	@grep -hE '^[a-zA-Z0-9_-]+:.*?## ' $(MAKEFILE_LIST) | sort -u | \
	  awk 'BEGIN {FS = ":.*?## "}; {printf "  make %-14s %s\n", $$1, $$2}'
	@echo
	@echo "Variables: YEAR=$(YEAR) (WRES year), UNIT= (one org code or joint group name), FORCE=1 (rebuild all)"

# The exact versions of requirements.lock (with their hashes), then the package itself.
$(STAMP): $(LOCK) pyproject.toml
	@test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --require-hashes -r $(LOCK)
	$(BIN)/python -m pip install --quiet --no-deps -e .
	@touch $@

include mk/system.mk
include mk/a11y.mk

setup: $(STAMP) $(SYSTAMP) ## Create .venv and install everything (done automatically by the other targets)

lock: $(STAMP) ## Refresh requirements.lock from pyproject.toml (exact versions and hashes, uv)
	$(BIN)/uv pip compile pyproject.toml --extra dev --generate-hashes --python-version 3.11 \
	  --python-platform x86_64-manylinux_2_28 --no-header --annotation-style line -o $(LOCK)

report: setup ## Build every unit's notebooks, report.html and report.pdf for YEAR (default 2021); FORCE=1 rebuilds all
	$(BIN)/wres run --year $(YEAR) $(if $(UNIT),--unit "$(UNIT)") $(if $(FORCE),--force)

reports: setup ## Build the reports for every year 2019-2023
	@for y in $(YEARS); do $(BIN)/wres run --year $$y || exit 1; done

validate: setup ## Validate YEAR's extracts and print the data-quality summary
	$(BIN)/wres validate --year $(YEAR)

counts: setup ## Validate YEAR's extracts and write analyst/YEAR/counts.csv (analyst's copy, never published)
	$(BIN)/wres counts --year $(YEAR)

test: setup $(A11Y_DEPS) ## Run the whole test suite (unit, regression, end-to-end, browser, PDF, adversarial)
	$(BIN)/python -m pytest

unit: $(STAMP) ## The fast loop: every test not marked e2e or slow (under a minute)
	$(BIN)/python -m pytest -q -m "not e2e and not slow"

lint: $(STAMP) ## ruff check and format --check, import rules (lint-imports), no outputs in committed notebooks
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/lint-imports --no-cache
	$(BIN)/nbstripout --verify $(NOTEBOOKS)

format: $(STAMP) ## Format the code and strip notebook outputs
	$(BIN)/ruff check --fix .
	$(BIN)/ruff format .
	$(BIN)/nbstripout $(NOTEBOOKS)

example-data: $(STAMP) ## Regenerate the synthetic example data and params (deterministic)
	$(BIN)/wres example-data --root .

bench: setup ## Run the benchmarks under benchmarks/ (not part of make test)
	$(BIN)/python benchmarks/run.py

screenshot: setup $(A11Y_DEPS) ## Remake docs/report-screenshot.png (the README's picture) from the 2021 joint report
	@ls reports/2021/staffordshire-and-stoke-on-trent-ccgs/report.html >/dev/null 2>&1 || $(MAKE) --no-print-directory report YEAR=2021
	$(BIN)/python docs/make_screenshot.py

audit: setup ## Disclosure audit of YEAR's built reports (no record, no small count, nothing recoverable)
	$(BIN)/wres audit reports/$(YEAR)

clean: ## Remove built reports and the build cache (they are disposable; make rebuilds them)
	find reports -mindepth 1 -maxdepth 1 ! -name README.md -exec rm -rf {} +
	rm -rf .wres-cache
