# WRES reporting pipeline. `make` (or `make help`) lists the targets.
# Everything a fresh machine needs is installed by these rules the first time they run:
# a project virtual environment in .venv (Python packages from pyproject.toml) and, where
# missing, the Debian packages that WeasyPrint needs (installed with apt-get).

SHELL := /bin/bash
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
SYSTAMP := $(VENV)/.system-deps
YEAR ?= 2021
UNIT ?=
YEARS := 2019 2020 2021 2022 2023

.DEFAULT_GOAL := help
.PHONY: help setup report reports validate counts test lint format example-data bench screenshot audit clean

help: ## List the targets
	@echo "WRES reporting pipeline"
	@echo
	@grep -hE '^[a-zA-Z0-9_-]+:.*?## ' $(MAKEFILE_LIST) | sort -u | \
	  awk 'BEGIN {FS = ":.*?## "}; {printf "  make %-14s %s\n", $$1, $$2}'
	@echo
	@echo "Variables: YEAR=$(YEAR) (WRES year), UNIT= (one org code or joint group name), FORCE=1 (rebuild all)"

$(STAMP): pyproject.toml
	@test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[dev]'
	@touch $@

# WeasyPrint needs Pango; install it with apt-get only when the libraries are missing.
$(SYSTAMP): | $(STAMP)
	@if ! ldconfig -p | grep -q 'libpango-1.0.so' || ! ldconfig -p | grep -q 'libpangoft2-1.0.so'; then \
	  echo "Installing Pango for WeasyPrint (apt-get)"; \
	  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq \
	    libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz-subset0 fonts-dejavu-core >/dev/null; \
	fi
	@touch $@

setup: $(STAMP) $(SYSTAMP) ## Create .venv and install everything (done automatically by the other targets)

include mk/a11y.mk

report: setup ## Build every unit's notebooks, report.html and report.pdf for YEAR (default 2021); FORCE=1 rebuilds all
	$(BIN)/wres run --year $(YEAR) $(if $(UNIT),--unit "$(UNIT)") $(if $(FORCE),--force)

reports: setup ## Build the reports for every year 2019-2023
	@for y in $(YEARS); do $(BIN)/wres run --year $$y || exit 1; done

validate: setup ## Validate YEAR's extracts and print the data-quality summary
	$(BIN)/wres validate --year $(YEAR)

counts: setup ## Validate YEAR's extracts and write analyst/YEAR/counts.csv (analyst's copy, never published)
	$(BIN)/wres counts --year $(YEAR)

test: setup $(A11Y_DEPS) ## Run the whole test suite (unit, regression, end-to-end, output checks)
	$(BIN)/python -m pytest

lint: setup ## ruff check, ruff format --check, and no outputs in committed notebooks
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/nbstripout --verify notebooks/*.ipynb

format: setup ## Format the code and strip notebook outputs
	$(BIN)/ruff check --fix .
	$(BIN)/ruff format .
	$(BIN)/nbstripout notebooks/*.ipynb

example-data: setup ## Regenerate the synthetic example data and params (deterministic)
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
