"""Each unit's publication page across years: ``reports/<unit>/index.html``.

What an organisation puts on its WRES web page: every year's report (web page and PDF), its
action plan (web page and PDF), the filled reporting template (PDF and Excel), the published
figures and, for a commissioner, its view of its providers, each with its format and size
(:data:`wres_utils.report.outputs.DOCUMENTS`); then "Meeting due regard", the organisation's roles
(employer, and commissioner where it monitors providers), a contact for queries and NHS
England's WRES page. The statements come from params (``publication``); they are text, never
markup. The page holds no figure: only links to what each year published.
"""

from __future__ import annotations

import html
from pathlib import Path

from wres_utils.core.params import Publication
from wres_utils.report import outputs, render

PAGE_NAME = "index.html"
#: The documents of a year, in order: (file name, what it is, format).
DOCUMENTS = outputs.DOCUMENTS
file_size = outputs.file_size
DUE_REGARD = (
    "'Due regard' means that the organisation gives the WRES attention in proportion to its "
    "relevance: the Board receives this report every year, agrees the action plan and checks "
    "progress against it."
)
EMPLOYER = (
    "As an employer, we publish the nine WRES indicators for our own staff every year, with an "
    "action plan agreed by the Board."
)
COMMISSIONER = (
    "As a commissioner, we check that the providers we commission publish their WRES reports "
    "and act on them: see our commissioner's view of our providers, listed with each year's "
    "report."
)


def year_documents(reports_dir: Path, slug: str) -> list[tuple[int, list[tuple[str, str]]]]:
    """``[(year, [(href, link text)])]``, newest year first, of what exists on disk."""
    out = []
    years = sorted((p for p in Path(reports_dir).iterdir() if p.name.isdigit()), reverse=True)
    for year_dir in years:
        unit_dir = year_dir / slug
        links = []
        for name, what, fmt in DOCUMENTS:
            path = unit_dir / name
            if path.is_file():
                href = f"../{year_dir.name}/{slug}/{name}"
                what = f"{what}, WRES {year_dir.name}"
                links.append((href, outputs.described(path, what, fmt)))
        if links:
            out.append((int(year_dir.name), links))
    return out


def page_body(
    name: str,
    documents: list[tuple[int, list[tuple[str, str]]]],
    publication: Publication,
    commissioner: bool,
) -> str:
    """The page's ``<main>`` content (every text escaped)."""
    e = html.escape
    parts = [
        "<p>The NHS Workforce Race Equality Standard (WRES) asks every NHS organisation to "
        "publish, each year, nine indicators comparing the experience of White and Black and "
        f"minority ethnic (BME) staff, and what it will do about them. These are the WRES "
        f"reports of {e(name)}.</p>",
        "<h2>Reports, year by year</h2>",
    ]
    if documents:
        for year, links in documents:
            items = "".join(f'<li><a href="{e(h)}">{e(t)}</a></li>' for h, t in links)
            parts.append(f"<h3>WRES {year}</h3><ul>{items}</ul>")
    else:
        parts.append("<p>No report has been published yet.</p>")
    roles = publication.roles.strip() or (EMPLOYER + (" " + COMMISSIONER if commissioner else ""))
    parts += [
        "<h2>Meeting due regard</h2>",
        f"<p>{e(publication.due_regard.strip() or DUE_REGARD)}</p>",
        "<h2>Our roles</h2>",
        f"<p>{e(roles)}</p>",
        "<h2>Queries</h2>",
        f"<p>{e(publication.contact.strip() or 'The Board lead for WRES named in each report.')}"
        "</p>",
        "<h2>More about the WRES</h2>",
        f'<p><a href="{e(publication.wres_url)}">NHS England: Workforce Race Equality '
        "Standard</a></p>",
    ]
    return "\n".join(parts)


def unit_page(
    reports_dir: Path,
    slug: str,
    name: str,
    publication: Publication,
    synthetic: bool,
    commissioner: bool = False,
) -> Path:
    """Write ``reports_dir/<slug>/index.html`` and return its path."""
    body = page_body(name, year_documents(Path(reports_dir), slug), publication, commissioner)
    title = f"Workforce Race Equality Standard (WRES): {name}"
    out = Path(reports_dir) / slug / PAGE_NAME
    out.parent.mkdir(parents=True, exist_ok=True)
    return render.write_page(render.page_html(title, body, synthetic), out)
