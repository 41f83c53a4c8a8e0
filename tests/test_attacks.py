"""Hostile input is shown as text everywhere, and forged requests are refused."""
import io

import openpyxl
import pytest
from django.test import Client
from django.urls import reverse

from ratings.models import Rating, Source

PAYLOAD = '<script>alert("x")</script>'


@pytest.fixture
def hostile(rate, make_unit):
    province = make_unit("P", name="Đảng bộ tỉnh Mẫu")
    unit = make_unit("X", parent=province, name=PAYLOAD)
    source = Source.objects.create(title=PAYLOAD, content_hash="h" * 64)
    rating = rate(unit, 2024, "HTTNV", source=source, evidence=PAYLOAD, note=PAYLOAD)
    rate(unit, 2023, "HTNV")
    return rating


@pytest.mark.parametrize(
    ("url", "shows_it"),
    [
        ("/?year=2024", True),
        ("/compare/years/?year=2024", False),
        ("/compare/units/?year=2024", True),
        ("/compare/provinces/?year=2024", False),
        ("/units/X/", True),
        ("/admin/ratings/unit/", True),
        ("/admin/ratings/rating/", True),
        ("/admin/ratings/source/", True),
    ],
)
def test_a_script_in_a_unit_name_or_article_is_shown_escaped(admin_client, hostile, url, shows_it):
    text = admin_client.get(url).content.decode()
    assert PAYLOAD not in text
    assert ("&lt;script&gt;" in text) == shows_it


def test_admin_change_page_shows_the_payload_escaped(admin_client, hostile):
    text = admin_client.get(reverse("admin:ratings_rating_change", args=[hostile.pk])).content.decode()
    assert PAYLOAD not in text and "&lt;script&gt;" in text


def test_an_excel_cell_with_a_script_comes_back_escaped(admin_client, hostile):
    book = openpyxl.Workbook()
    book.active.append(["Mã đơn vị", "Năm", "Bước", "Mức xếp loại"])
    book.active.append([PAYLOAD, 2024, "Quyết định", "HTTNV"])
    upload = io.BytesIO()
    book.save(upload)
    upload.seek(0)
    upload.name = "x.xlsx"
    text = admin_client.post(reverse("admin:ratings_rating_excel_import"), {"file": upload}).content.decode()
    assert PAYLOAD not in text and "&lt;script&gt;" in text


def test_a_post_without_csrf_token_is_refused(admin_user, hostile):
    client = Client(enforce_csrf_checks=True)
    client.force_login(admin_user)
    response = client.post(
        reverse("admin:ratings_rating_change", args=[hostile.pk]),
        {"unit": hostile.unit_id, "year": 2024, "stage": "approved", "level": "HTXSNV"},
    )
    assert response.status_code == 403
    assert Rating.objects.get(pk=hostile.pk).level.code == "HTTNV"


def test_a_misnamed_upload_is_refused(admin_client, hostile):
    upload = io.BytesIO(b"unit,year\nX,2024\n")
    upload.name = "bang.xlsx"
    text = admin_client.post(reverse("admin:ratings_rating_excel_import"), {"file": upload}).content.decode()
    assert "không phải bảng tính Excel" in text


def test_csv_downloads_keep_formula_like_names_as_text(admin_client, rate, make_unit):
    province = make_unit("P", name="Đảng bộ tỉnh Mẫu")
    rate(make_unit("F", parent=province, name='=HYPERLINK("http://x","y")'), 2024, "HTTNV")
    table_csv = admin_client.get("/", {"year": 2024, "_export": "csv"})
    body = b"".join(table_csv.streaming_content).decode() if table_csv.streaming else table_csv.content.decode()
    assert "'=HYPERLINK" in body
    history = admin_client.get("/compare/units/", {"year": 2024, "_export": "csv"}).content.decode("utf-8-sig")
    assert "'=HYPERLINK" in history


@pytest.mark.parametrize("lead", ["\t", "\r", "\n", " \t", "\r\n"])
def test_csv_neutralizes_a_formula_behind_a_tab_or_carriage_return(admin_client, rate, make_unit, lead):
    province = make_unit("P", name="Đảng bộ tỉnh Mẫu")
    rate(make_unit("F", parent=province, name=f'{lead}=HYPERLINK("http://x","y")'), 2024, "HTTNV")
    history = admin_client.get("/compare/units/", {"year": 2024, "_export": "csv"}).content.decode("utf-8-sig")
    assert f"'{lead}=HYPERLINK" in history


def test_text_that_merely_contains_a_formula_sign_is_left_alone(admin_client, rate, make_unit):
    province = make_unit("P", name="Đảng bộ tỉnh Mẫu")
    rate(make_unit("F", parent=province, name="Chi bộ 1 = Chi bộ Khu phố"), 2024, "HTTNV")
    history = admin_client.get("/compare/units/", {"year": 2024, "_export": "csv"}).content.decode("utf-8-sig")
    assert "Chi bộ 1 = Chi bộ Khu phố" in history and "'Chi bộ 1" not in history
