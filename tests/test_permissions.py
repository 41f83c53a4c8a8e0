"""Roles and unit scopes: an editor works inside their subtrees only; a viewer changes nothing."""
import io

import openpyxl
import pytest
from django.contrib.auth.models import Group
from django.urls import reverse

from ratings.models import EditorScope, Rating


@pytest.fixture
def provinces(reference_data, make_unit, rate):
    """Two provinces, each with a committee rated in 2023."""
    from ratings.models import Unit

    a, b = Unit.objects.get(code="NGHE-AN"), Unit.objects.get(code="HA-TINH")
    a_unit = make_unit("NA-1", parent=a, name="Đảng ủy xã An Một")
    b_unit = make_unit("HT-1", parent=b, name="Đảng ủy xã Hà Một")
    return {"a": a, "b": b, "a_rating": rate(a_unit, 2023, "HTTNV"), "b_rating": rate(b_unit, 2023, "HTTNV"), "a_unit": a_unit, "b_unit": b_unit}


def member(django_user_model, username, group, units=()):
    user = django_user_model.objects.create_user(username, password="x-pass-12345", is_staff=True)
    user.groups.add(Group.objects.get(name=group))
    for unit in units:
        EditorScope.objects.create(user=user, unit=unit)
    return user


@pytest.fixture
def editor(client, django_user_model, provinces):
    client.force_login(member(django_user_model, "bientap", "Biên tập viên", [provinces["a"]]))
    return client


@pytest.fixture
def viewer(client, django_user_model, provinces):
    client.force_login(member(django_user_model, "nguoixem", "Người xem"))
    return client


def test_the_three_roles_exist_with_their_permissions(db):
    names = set(Group.objects.values_list("name", flat=True))
    assert {"Quản trị viên", "Biên tập viên", "Người xem"} <= names
    editor_perms = set(Group.objects.get(name="Biên tập viên").permissions.values_list("codename", flat=True))
    assert {"add_rating", "change_rating", "change_tally", "view_unit", "add_unit", "change_unit"} <= editor_perms
    assert "delete_unit" not in editor_perms
    viewer_perms = set(Group.objects.get(name="Người xem").permissions.values_list("codename", flat=True))
    assert viewer_perms and all(code.startswith("view_") for code in viewer_perms)


def test_editor_sees_only_their_provinces_ratings(editor, provinces):
    text = editor.get(reverse("admin:ratings_rating_changelist")).content.decode()
    assert "Đảng ủy xã An Một" in text and "Đảng ủy xã Hà Một" not in text


def test_editor_guessing_another_provinces_url_is_refused(editor, provinces):
    url = reverse("admin:ratings_rating_change", args=[provinces["b_rating"].pk])
    response = editor.get(url, follow=True)
    assert "Hà Một" not in response.content.decode()
    assert "không tồn tại" in response.content.decode()
    editor.post(url, {"unit": provinces["b_unit"].pk, "year": 2023, "stage": "approved", "level": "HTXSNV"})
    assert Rating.objects.get(pk=provinces["b_rating"].pk).level.code == "HTTNV"


@pytest.mark.parametrize("view", ["change", "delete", "history"])
def test_another_provinces_id_answers_as_a_missing_one_does(editor, provinces, view):
    """Nothing tells an editor whether an id exists elsewhere or not at all."""
    theirs = editor.get(reverse(f"admin:ratings_rating_{view}", args=[provinces["b_rating"].pk]))
    missing = editor.get(reverse(f"admin:ratings_rating_{view}", args=[10**9]))
    assert theirs.status_code == missing.status_code
    assert theirs.get("Location") == missing.get("Location")


def test_editor_changes_a_rating_in_their_province(editor, provinces):
    url = reverse("admin:ratings_rating_change", args=[provinces["a_rating"].pk])
    editor.post(url, {"unit": provinces["a_unit"].pk, "year": 2023, "stage": "approved", "level": "HTXSNV", "note": "", "evidence": ""})
    assert Rating.objects.get(pk=provinces["a_rating"].pk).level.code == "HTXSNV"


def test_editor_cannot_add_a_rating_for_another_provinces_unit(editor, provinces):
    response = editor.post(
        reverse("admin:ratings_rating_add"),
        {"unit": provinces["b_unit"].pk, "year": 2024, "stage": "approved", "level": "HTTNV", "note": "", "evidence": ""},
    )
    assert response.status_code == 200 and "errorlist" in response.content.decode()
    assert not Rating.objects.filter(unit=provinces["b_unit"], year=2024).exists()


def test_editor_autocomplete_offers_only_their_units(editor, provinces):
    response = editor.get(
        reverse("admin:autocomplete"),
        {"term": "Một", "app_label": "ratings", "model_name": "rating", "field_name": "unit"},
    )
    assert [r["text"] for r in response.json()["results"]] == ["Đảng ủy xã An Một"]


def test_editor_excel_row_of_another_province_is_refused_and_nothing_saved(editor, provinces):
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.append(["Mã đơn vị", "Năm", "Bước", "Mức xếp loại"])
    sheet.append(["NA-1", 2023, "Quyết định", "HTXSNV"])
    sheet.append(["HT-1", 2023, "Quyết định", "HTXSNV"])
    upload = io.BytesIO()
    book.save(upload)
    upload.seek(0)
    upload.name = "nhap.xlsx"
    text = editor.post(reverse("admin:ratings_rating_excel_import"), {"file": upload}).content.decode()
    assert "Đơn vị «HT-1» ngoài phạm vi được giao." in text
    assert Rating.objects.get(pk=provinces["a_rating"].pk).level.code == "HTTNV"


def test_viewer_sees_dashboards_and_changes_nothing(viewer, provinces):
    assert viewer.get(reverse("ratings:dashboard")).status_code == 200
    assert viewer.get(reverse("admin:ratings_rating_add")).status_code == 403
    url = reverse("admin:ratings_rating_change", args=[provinces["a_rating"].pk])
    response = viewer.post(url, {"unit": provinces["a_unit"].pk, "year": 2023, "stage": "approved", "level": "HTXSNV"})
    assert response.status_code == 403
    assert Rating.objects.get(pk=provinces["a_rating"].pk).level.code == "HTTNV"


def test_the_parent_filter_of_an_editor_lists_only_their_committees(editor, provinces, make_unit):
    make_unit("NA-1-1", parent=provinces["a_unit"], name="Chi bộ An Một Một")
    make_unit("HT-1-1", parent=provinces["b_unit"], name="Chi bộ Hà Một Một")
    text = editor.get(reverse("admin:ratings_unit_changelist")).content.decode()
    filter_html = text[text.index('id="changelist-filter"'):]
    assert "Đảng ủy xã An Một" in filter_html
    assert "Đảng ủy xã Hà Một" not in filter_html and "Hà Tĩnh" not in filter_html


def test_editor_adds_units_only_below_their_subtrees(editor, provinces):
    from ratings.models import Unit

    add = reverse("admin:ratings_unit_add")
    data = {"code": "NA-2", "name": "Đảng ủy xã An Hai", "kind": "to_chuc_co_so_dang", "place": "",
            "ratings-TOTAL_FORMS": "0", "ratings-INITIAL_FORMS": "0"}
    response = editor.post(add, {**data, "parent": ""})
    assert response.status_code == 200 and not Unit.objects.filter(code="NA-2").exists()  # no parent: a province
    response = editor.post(add, {**data, "parent": provinces["b"].pk})
    assert response.status_code == 200 and not Unit.objects.filter(code="NA-2").exists()  # another province
    response = editor.post(add, {**data, "parent": provinces["a"].pk})
    assert response.status_code == 302
    assert Unit.objects.get(code="NA-2").parent == provinces["a"]
