# Accessibility checks (included by the Makefile; uses its VENV, BIN, STAMP, YEAR and `setup`).
#
# Installs, only when missing, Debian's Chromium (apt-get) and the node packages of a11y/
# (npm ci from the committed package-lock.json, with install scripts disabled: no package
# downloads a browser; the checks drive /usr/bin/chromium). `make test` depends on $(A11Y_DEPS).

A11Y_DIR := a11y
CHROMIUM_BIN := /usr/bin/chromium
CHROMIUM_STAMP := $(VENV)/.chromium
NODE_STAMP := $(A11Y_DIR)/node_modules/.installed
A11Y_DEPS := $(CHROMIUM_STAMP) $(NODE_STAMP)

.PHONY: a11y a11y-deps

$(CHROMIUM_STAMP): | $(STAMP)
	@if [ ! -x $(CHROMIUM_BIN) ]; then \
	  echo "Installing Chromium for the accessibility checks (apt-get)"; \
	  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null; \
	fi
	@test -x $(CHROMIUM_BIN) || { echo "error: $(CHROMIUM_BIN) is still missing" >&2; exit 1; }
	@touch $@

$(NODE_STAMP): $(A11Y_DIR)/package.json $(A11Y_DIR)/package-lock.json
	@if ! command -v npm >/dev/null 2>&1; then \
	  echo "Installing Node.js and npm (apt-get)"; \
	  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq nodejs npm >/dev/null; \
	fi
	@node -e 'process.exit(+process.versions.node.split(".")[0] >= 20 ? 0 : 1)' || \
	  { echo "error: the accessibility checks need Node.js 20 or later (found $$(node --version))" >&2; exit 1; }
	cd $(A11Y_DIR) && PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD=1 PUPPETEER_SKIP_DOWNLOAD=1 \
	  npm ci --ignore-scripts --no-audit --no-fund --loglevel=error
	@touch $@

a11y-deps: $(A11Y_DEPS) ## Install Chromium (apt-get) and the a11y/ node packages when missing

a11y: setup $(A11Y_DEPS) ## Check YEAR's reports in headless Chromium (axe-core, WCAG 2.2 AA) and their PDFs
	@ls reports/$(YEAR)/*/report.html >/dev/null 2>&1 || $(MAKE) --no-print-directory report YEAR=$(YEAR)
	$(BIN)/python -m wres_utils.checks.a11y reports/$(YEAR)
	$(BIN)/python -m wres_utils.checks.pdfcheck reports/$(YEAR)
