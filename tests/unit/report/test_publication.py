"""Each unit's publication page: every year's documents with format and size, due regard,
roles, a contact and NHS England's WRES page; params text is text, never markup."""

from __future__ import annotations

import html

from wres_utils.core.params import NHS_ENGLAND_WRES_URL, Publication
from wres_utils.report import publication, reader


def _reports(tmp_path):
    for year, files in ((2020, ("report.html", "report.pdf")), (2021, publication.DOCUMENTS)):
        unit = tmp_path / str(year) / "05G"
        unit.mkdir(parents=True)
        for f in files:
            name = f[0] if isinstance(f, tuple) else f
            (unit / name).write_bytes(b"x" * 3000)
    (tmp_path / "2019" / "ZZ1").mkdir(parents=True)  # another unit's year: not listed
    return tmp_path


def test_lists_every_year_newest_first_with_format_and_size(tmp_path):
    reports = _reports(tmp_path)
    docs = publication.year_documents(reports, "05G")
    assert [y for y, _ in docs] == [2021, 2020]
    links = dict(docs[0][1])
    assert links["../2021/05G/report.pdf"] == "WRES report, WRES 2021 (PDF, 3 KB)"
    assert "../2021/05G/wres-return.xlsx" in links
    assert "../2021/05G/providers.html" in links
    assert [h for h, _ in docs[1][1]] == ["../2020/05G/report.html", "../2020/05G/report.pdf"]


def test_page_statements_contact_link_and_controls(tmp_path):
    reports = _reports(tmp_path)
    pub = Publication(due_regard="We give <b>due</b> regard.", contact="edi@example.org")
    path = publication.unit_page(reports, "05G", "North <Staffs>", pub, True, commissioner=True)
    text = path.read_text(encoding="utf-8")
    assert path == reports / "05G" / "index.html"
    assert "We give &lt;b&gt;due&lt;/b&gt; regard." in text and "<b>due</b>" not in text
    assert "North &lt;Staffs&gt;" in text
    assert html.escape(publication.EMPLOYER) in text
    assert html.escape(publication.COMMISSIONER) in text
    assert "edi@example.org" in text
    assert f'href="{NHS_ENGLAND_WRES_URL}"' in text
    assert "<h2>Meeting due regard</h2>" in text
    assert reader.controls_html() in text and reader.head_html() in text
    employer_only = publication.page_body("X", [], Publication(), commissioner=False)
    assert publication.COMMISSIONER not in employer_only
    assert "No report has been published yet." in employer_only
