# System packages, installed in one place (included by the Makefile; uses its VENV and STAMP).
#
# Each is installed with apt-get only when missing, and each install is recorded by a stamp in
# .venv, so a machine that has them does nothing:
#   - Pango and HarfBuzz for WeasyPrint (the PDF), with DejaVu fonts;
#   - Debian's Chromium for the accessibility checks and screenshots (never a browser
#     download by a test tool);
#   - Node.js and npm for the a11y/ packages (axe-core, playwright-core driving /usr/bin/chromium).

ifndef VENV
$(error mk/system.mk needs VENV (the virtual environment folder) from the Makefile)
endif

CHROMIUM_BIN := /usr/bin/chromium
SYSTAMP := $(VENV)/.system-deps
APT_INSTALL := DEBIAN_FRONTEND=noninteractive apt-get install -y -qq

$(SYSTAMP):
	@mkdir -p $(VENV)
	@missing=""; \
	ldconfig -p | grep -q 'libpango-1.0.so' || missing="$$missing libpango-1.0-0"; \
	ldconfig -p | grep -q 'libpangoft2-1.0.so' || missing="$$missing libpangoft2-1.0-0 libharfbuzz-subset0"; \
	fc-list 2>/dev/null | grep -qi dejavu || missing="$$missing fonts-dejavu-core"; \
	[ -x $(CHROMIUM_BIN) ] || missing="$$missing chromium"; \
	command -v npm >/dev/null 2>&1 || missing="$$missing nodejs npm"; \
	if [ -n "$$missing" ]; then \
	  echo "Installing system packages (apt-get):$$missing"; \
	  apt-get update -qq && $(APT_INSTALL) $$missing >/dev/null; \
	fi
	@test -x $(CHROMIUM_BIN) || { echo "error: $(CHROMIUM_BIN) is still missing" >&2; exit 1; }
	@node -e 'process.exit(+process.versions.node.split(".")[0] >= 20 ? 0 : 1)' || \
	  { echo "error: the accessibility checks need Node.js 20 or later (found $$(node --version))" >&2; exit 1; }
	@touch $@

.PHONY: system-deps
system-deps: $(SYSTAMP) ## Install the system packages (Pango, Chromium, Node.js) when missing
