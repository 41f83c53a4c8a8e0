"""The Content-Security-Policy: scripts and styles from the site only, and pages that need nothing else."""
import re

import pytest

from ratings.models import Level

PAGES = [
    "/?year=2024",
    "/compare/years/?year=2024",
    "/compare/units/?year=2024",
    "/compare/provinces/?year=2024",
    "/units/X/",
    "/admin/",
    "/admin/ratings/unit/",
    "/admin/ratings/rating/",
    "/admin/ratings/rating/add/",
    "/admin/ratings/tally/add/",
    "/admin/ratings/source/",
    "/admin/ratings/source/import/",
    "/admin/ratings/rating/excel/import/",
]
INLINE_SCRIPT = re.compile(r"<script(?![^>]*\bsrc=)(?![^>]*type=\"application/json\")[^>]*>", re.I)
INLINE_HANDLER = re.compile(r"\son[a-z]+=", re.I)


@pytest.fixture
def rated(rate, make_unit):
    province = make_unit("P", name="Đảng bộ tỉnh Mẫu")
    unit = make_unit("X", parent=province)
    rate(unit, 2024, "HTTNV")
    rate(unit, 2023, "HTNV")
    return unit


def policy(response):
    return dict(part.strip().split(" ", 1) for part in response["Content-Security-Policy"].split(";") if part.strip())


@pytest.mark.parametrize("url", PAGES)
def test_every_page_allows_scripts_and_styles_from_the_site_only(admin_client, rated, url):
    response = admin_client.get(url)
    assert response.status_code == 200
    directives = policy(response)
    assert directives["script-src"] == "'self'" and directives["style-src"] == "'self'"
    assert directives["default-src"] == "'self'" and directives["object-src"] == "'none'"


@pytest.mark.parametrize("url", PAGES)
def test_pages_carry_no_inline_script_handler_or_style(admin_client, rated, url):
    html = admin_client.get(url).content.decode()
    assert not INLINE_SCRIPT.search(html)
    assert not INLINE_HANDLER.search(html)
    assert 'style="' not in html


def test_level_colours_come_from_the_level_stylesheet(client, rated):
    level = Level.objects.get(id="qd124:HTTNV")
    sheet = client.get("/levels.css")
    assert sheet["Content-Type"].startswith("text/css")
    assert f".{level.css_class}{{background-color:{level.colour}}}" in sheet.content.decode()


def test_a_colour_that_tries_to_break_out_of_its_rule_is_not_written(client, rated):
    Level.objects.filter(id="qd124:HTTNV").update(colour="}*{a:b}")  # seven characters, as the column holds
    css = client.get("/levels.css").content.decode()
    assert "}*{" not in css
    assert ".level-qd124-HTTNV{background-color:#6c757d}" in css


def test_a_changed_colour_reaches_browsers_that_kept_the_old_sheet(client, rated):
    first = client.get("/levels.css")
    assert "no-cache" in first["Cache-Control"]
    assert client.get("/levels.css", HTTP_IF_NONE_MATCH=first["ETag"]).status_code == 304
    Level.objects.filter(id="qd124:HTTNV").update(colour="#123456")
    again = client.get("/levels.css", HTTP_IF_NONE_MATCH=first["ETag"])
    assert again.status_code == 200 and "#123456" in again.content.decode()
