# Accessibility checks (included by the Makefile).
#
# Needs from the Makefile: BIN (the venv's bin folder), STAMP (the Python install), SYSTAMP
# (the system packages, mk/system.mk) and YEAR. Installs the node packages of a11y/ from the
# committed package-lock.json with install scripts disabled: no package downloads a browser;
# the checks drive Debian's /usr/bin/chromium.

$(foreach v,BIN STAMP SYSTAMP YEAR,$(if $($(v)),,$(error mk/a11y.mk needs $(v) from the Makefile)))

A11Y_DIR := a11y
NODE_STAMP := $(A11Y_DIR)/node_modules/.installed
A11Y_DEPS := $(SYSTAMP) $(NODE_STAMP)

.PHONY: a11y a11y-deps

$(NODE_STAMP): $(A11Y_DIR)/package.json $(A11Y_DIR)/package-lock.json | $(SYSTAMP)
	cd $(A11Y_DIR) && PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD=1 PUPPETEER_SKIP_DOWNLOAD=1 \
	  npm ci --ignore-scripts --no-audit --no-fund --loglevel=error
	@touch $@

a11y-deps: $(A11Y_DEPS) ## Install the system packages and the a11y/ node packages when missing

a11y: $(STAMP) $(A11Y_DEPS) ## Check YEAR's reports in headless Chromium (axe-core, WCAG 2.2 AA) and their PDFs
	@ls reports/$(YEAR)/*/report.html >/dev/null 2>&1 || $(MAKE) --no-print-directory report YEAR=$(YEAR)
	$(BIN)/python -m wres_utils.checks.a11y reports/$(YEAR)
	$(BIN)/python -m wres_utils.checks.pdfcheck reports/$(YEAR)
