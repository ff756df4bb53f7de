"""Reader controls: content scaling, font size, line height and letter spacing on every page.

The script (``templates/wres/static/reader.js``) and its markup
(``templates/wres/static/reader-controls.html``) are static files inlined in every HTML page:
the report template includes them, and :func:`wres_utils.report.render` pages written without
the template (the year index) call :func:`head_html` and :func:`controls_html`. Nothing is
loaded from anywhere: the controls work offline inside the self-contained file. With scripts
off the markup stays ``hidden`` and the page reads as published.

:func:`script_sha256` is the ONE place the script's hash for a Content-Security-Policy
``script-src`` is computed (``'sha256-...'``): it hashes exactly the text that is inlined.
"""

from __future__ import annotations

from pathlib import Path

from wres_utils.report import safetext

STATIC_DIR = Path(__file__).resolve().parents[1] / "templates" / "wres" / "static"
SCRIPT_PATH = STATIC_DIR / "reader.js"
CONTROLS_PATH = STATIC_DIR / "reader-controls.html"
#: The localStorage key the settings are remembered under (the script's KEY).
STORAGE_KEY = "wres-reader-settings"


def script_text() -> str:
    """The script exactly as inlined between ``<script>`` and ``</script>``.

    The template inlines it with Jinja's ``{% include %}``, which drops the file's single
    trailing newline; so does this.
    """
    return SCRIPT_PATH.read_text(encoding="utf-8").removesuffix("\n")


def script_sha256() -> str:
    """The CSP source of the inlined script: ``'sha256-<base64>'``, quotes included."""
    return safetext.csp_hash(script_text())


def head_html() -> str:
    """The ``<script>`` element for the page's ``<head>``."""
    return f"<script>{script_text()}</script>"


def controls_html() -> str:
    """The controls' markup, placed first in ``<body>`` after the skip link."""
    return CONTROLS_PATH.read_text(encoding="utf-8").removesuffix("\n")
