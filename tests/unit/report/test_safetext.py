"""Text is text: hostile strings from params, action plans or data never become markup."""

from __future__ import annotations

import re

import pytest

from wres_utils.report import render, safetext

HOSTILE = [
    "North <img src=x onerror=alert(document.domain)> CCG",
    "<svg onload=alert(1)>",
    "[click](javascript:alert(1))",
    "<iframe src=//example.com></iframe>",
    "<script>alert(1)</script>",
    "<style>.wres-banner{display:none}</style>",
    "<a rel='attachment' href='file:///etc/passwd'>x</a>",
    "<link rel='attachment' href='file:///etc/passwd'>",
    "<a href='JaVaScRiPt&#58;alert(1)'>x</a>",
]


@pytest.mark.parametrize("text", HOSTILE)
def test_escaped_markdown_renders_as_the_same_characters(text):
    html = safetext.markdown_to_html(f"**{safetext.escape_markdown(text)}**")
    assert safetext.page_problems(html, fragment=True) == []
    from bs4 import BeautifulSoup

    assert BeautifulSoup(html, "html.parser").get_text().strip() == text


@pytest.mark.parametrize("text", HOSTILE)
def test_action_plan_subset_shows_html_as_text(text):
    html = safetext.markdown_to_html(safetext.markdown_subset(text))
    assert safetext.page_problems(html, fragment=True) == []
    assert "<script" not in html and "<style" not in html and "<iframe" not in html


def test_action_plan_subset_keeps_the_documented_formatting():
    md = "Did **this** and *that*\n\n- one\n- [NHS](https://www.england.nhs.uk)\n\n1. first"
    html = safetext.markdown_to_html(safetext.markdown_subset(md))
    assert "<strong>this</strong>" in html and "<em>that</em>" in html
    assert "<li>one</li>" in html and "<ol>" in html
    assert 'href="https://www.england.nhs.uk"' in html and 'rel="noopener noreferrer"' in html


@pytest.mark.parametrize("md", ["# Big heading", "Title\n===", "> quote", "| a | b |\n|---|---|"])
def test_action_plan_subset_cannot_change_the_outline(md):
    html = safetext.markdown_to_html(safetext.markdown_subset(md))
    assert not any(f"<{t}" in html for t in ("h1", "h2", "blockquote", "table"))


def test_clean_html_drops_everything_live_but_keeps_tables_and_embedded_images():
    dirty = (
        '<div class="wres-table" onclick="x()"><table aria-describedby="n"><caption>C</caption>'
        '<tr><th scope="col" style="background:url(//evil)">H</th></tr></table></div>'
        '<img src="data:image/png;base64,AAAA" alt="chart"><img src="https://evil/x.png">'
        '<a href="javascript:alert(1)">j</a><a href="#sec">s</a><a href="file:///etc/passwd">f</a>'
        "<svg><script>1</script></svg><style>p{}</style><iframe src=x></iframe><!-- c -->"
    )
    clean = safetext.clean_html(dirty)
    assert safetext.page_problems(clean, fragment=True) == []
    assert "<caption>C</caption>" in clean and 'scope="col"' in clean
    assert 'src="data:image/png;base64,AAAA"' in clean and "evil" not in clean
    assert 'href="#sec"' in clean and "javascript" not in clean and "passwd" not in clean
    assert "onclick" not in clean and "style" not in clean and "<!--" not in clean


def test_clean_html_keeps_links_to_the_units_own_documents_only():
    """A commissioning unit's report links its commissioner's view (providers.html), the
    action plan its report: exact names in the same folder; any other relative link goes."""
    dirty = "".join(
        f'<a href="{h}">x</a>'
        for h in (
            "providers.html",
            "action-plan.pdf",
            "../providers.html",
            "providers.html?x=1",
            "/etc/passwd",
            "notes.html",
            "PROVIDERS.HTML",
        )
    )
    clean = safetext.clean_html(dirty)
    hrefs = re.findall(r'href="([^"]*)"', clean)
    assert hrefs == ["providers.html", "action-plan.pdf"]


def test_clean_html_keeps_svg_images_but_not_inline_svg_or_other_svg_urls():
    dirty = (
        '<img src="data:image/svg+xml;base64,PHN2Zy8+" alt="chart">'
        '<img src="data:image/svg+xml,%3Csvg onload=alert(1)%3E" alt="not base64">'
        '<img src="data:text/html;base64,PHN2Zy8+" alt="html">'
        '<svg onload="alert(1)"><text>inline</text></svg>'
    )
    clean = safetext.clean_html(dirty)
    assert 'src="data:image/svg+xml;base64,PHN2Zy8+"' in clean
    assert "onload" not in clean and "text/html" not in clean and "inline" not in clean
    assert clean.count("src=") == 1
    assert safetext.page_problems(clean, fragment=True) == []


@pytest.mark.parametrize(
    "page, problem",
    [
        ("<script>alert(1)</script>", "<script>"),
        ('<p onmouseover="x()">a</p>', "event handler"),
        ('<a href="javascript:alert(1)">a</a>', "script URL"),
        ('<a href=" java\tscript:alert(1)">a</a>', "script URL"),
        ('<iframe src="//example.com"></iframe>', "<iframe>"),
        ("<style>.wres-banner{display:none}</style>", "<style>"),
        ("<link rel=attachment href='file:///etc/passwd'>", "<link>"),
        ('<img src="https://example.com/x.png" alt="">', "loads a resource"),
    ],
)
def test_page_problems_finds_each_kind_of_live_content(page, problem):
    found = safetext.page_problems(page, fragment=True)
    assert any(problem in f for f in found), found


def test_page_problems_requires_a_strict_csp_and_accepts_our_own_style():
    css = render.CSS_PATH.read_text(encoding="utf-8")
    csp = safetext.content_security_policy([css])
    ok = f'<html><head><meta http-equiv="Content-Security-Policy" content="{csp}">'
    ok += f"<style>{css}</style></head><body><p>x</p></body></html>"
    assert safetext.page_problems(ok, [css]) == []
    assert "no Content-Security-Policy" in safetext.page_problems("<p>x</p>")
    assert "script-src 'none'" in csp and "default-src 'none'" in csp
    assert safetext.csp_hash(css) in csp


def test_year_index_escapes_names_and_carries_a_csp(tmp_path):
    year = tmp_path / "2021"
    year.mkdir()
    path = render.year_index(year, [("05G", "North <img src=x onerror=alert(1)> CCG")], True)
    page = path.read_text(encoding="utf-8")
    assert safetext.page_problems(page, render.our_styles(), render.our_scripts()) == []
    assert "&lt;img src=x onerror=alert(1)&gt;" in page


def test_unsafe_characters_are_found_and_named():
    from wres_utils.core import inputchecks

    assert inputchecks.bad_char("line\vbreak") == (4, "\v")
    assert inputchecks.bad_char("lone \ud800 surrogate") == (5, "\ud800")
    assert inputchecks.bad_char("fine\ttext\r\n") is None
    assert "Shift+Enter" in inputchecks.char_name("\v")
    assert inputchecks.text_position("a\r\nbc\rd\ne", 8) == (4, 1)


def test_only_our_own_script_is_allowed_and_only_by_its_hash():
    """The reader controls' inline script is the one script a page may carry: the CSP lists
    its hash and nothing else; another inline script, or ours with a src, is live content."""
    from wres_utils.report import reader

    ours = reader.script_text()
    css = "p{color:red}"
    policy = safetext.content_security_policy([css], [ours])
    assert reader.script_sha256() in policy and "unsafe-inline" not in policy
    page = (
        f'<html><head><meta http-equiv="Content-Security-Policy" content="{policy}">'
        f"<style>{css}</style><script>{ours}</script></head><body><p>x</p></body></html>"
    )
    assert safetext.page_problems(page, [css], [ours]) == []
    assert any("<script>" in p for p in safetext.page_problems(page, [css]))
    evil = page.replace("<p>x</p>", "<script>alert(1)</script>")
    assert any("alert(1)" in p for p in safetext.page_problems(evil, [css], [ours]))
    borrowed = page.replace(f"<script>{ours}</script>", f'<script src="x.js">{ours}</script>')
    assert safetext.page_problems(borrowed, [css], [ours])
    wider = page.replace(reader.script_sha256(), reader.script_sha256() + " 'sha256-AAAA'")
    assert any("permissive" in p for p in safetext.page_problems(wider, [css], [ours]))
