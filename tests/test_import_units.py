"""A department brings in its own unit tree: the table's preview, the refusals, the all-or-nothing save."""
import csv
import io
import unicodedata

import openpyxl
import pytest
from django.contrib.auth.models import Group, Permission, User
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import CommandError, call_command
from django.urls import reverse

from ratings.models import EditorScope, Unit, UnitKind
from ratings.reports.units import HELP_SHEET, UNITS_SHEET, build_unit_workbook
from ratings.services import uploads
from ratings.services.organization import (
    UnitsRefused,
    apply_units,
    import_units,
    plan_units,
    sample_unit_table,
)

IMPORT_URL = reverse("admin:ratings_unit_import")
HEADER = ["Mã đơn vị", "Tên đơn vị", "Loại đơn vị", "Mã đơn vị cấp trên", "Từ năm", "Đến năm", "Mã kế thừa"]


@pytest.fixture(autouse=True)
def uploads_in_tmp(settings, tmp_path):
    settings.VAR_DIR = tmp_path


@pytest.fixture
def tree(make_unit):
    """A province with two districts; a grassroots organization with a cell under the first."""
    province = make_unit("P", name="Đảng bộ tỉnh P")
    d1 = make_unit("D1", parent=province, name="Đảng bộ huyện Một")
    d2 = make_unit("D2", parent=province, name="Đảng bộ huyện Hai")
    g1 = make_unit("G1", parent=d1, kind=UnitKind.GRASSROOTS, name="Đảng bộ xã Một")
    c1 = make_unit("C1", parent=g1, kind=UnitKind.CELL, name="Chi bộ thôn Một")
    return {"P": province, "D1": d1, "D2": d2, "G1": g1, "C1": c1}


def csv_file(rows, header=HEADER, *, encoding="utf-8", name="don-vi.csv", above=()):
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerows([*above, header, *rows])
    text = out.getvalue()
    if encoding == "cp1258":
        data = windows_1258(text)
    else:
        data = text.encode(encoding)
    return SimpleUploadedFile(name, data)


TONES = {"\u0300", "\u0301", "\u0303", "\u0309", "\u0323"}


def windows_1258(text):
    """Text as Vietnamese Windows writes it: letters like ơ, ư, â precomposed, the five tones as combining marks
    (NFD alone cannot be encoded: Windows-1258 has no combining horn)."""
    out = []
    for letter in unicodedata.normalize("NFC", text):
        parts = unicodedata.normalize("NFD", letter)
        tones = "".join(mark for mark in parts if mark in TONES)
        out.append(unicodedata.normalize("NFC", "".join(mark for mark in parts if mark not in TONES)) + tones)
    return "".join(out).encode("cp1258")


def xlsx_file(workbook, name="don-vi.xlsx"):
    buffer = io.BytesIO()
    workbook.save(buffer)
    return SimpleUploadedFile(name, buffer.getvalue())


def snapshot():
    return sorted(Unit.objects.values_list("code", "name", "kind", "parent__code", "path", "province__code", "valid_from", "valid_to", "successor__code"))


def history_count():
    return Unit.history.count()


def messages_of(plan):
    return {row.code: " ".join(row.errors) for row in plan.errors}


# What a file may hold


def test_new_units_with_the_parent_after_the_child_are_created_in_tree_order(tree):
    upload = csv_file([
        ["C9", "Chi bộ thôn Chín", "Chi bộ", "G9", "", "", ""],
        ["G9", "Đảng bộ xã Chín", "Tổ chức cơ sở đảng", "D2", "2021", "", ""],
    ])
    plan = plan_units(file=upload)
    assert plan.counts == {"new": 2, "changed": 0, "unchanged": 0, "error": 0}
    apply_units(plan=plan)
    cell = Unit.objects.get(code="C9")
    assert cell.path == "/P/D2/G9/C9/" and cell.province == tree["P"] and cell.parent.code == "G9"
    assert Unit.objects.get(code="G9").valid_from == 2021
    assert cell.history.count() == 1


def test_a_new_province_is_its_own_province(db):
    import_units(file=csv_file([["T", "Đảng bộ tỉnh T", "Đảng bộ tỉnh, thành phố", "", "", "", ""], ["T-1", "Đảng ủy xã", "dang_bo_truc_thuoc", "T", "", "", ""]]))
    province = Unit.objects.get(code="T")
    assert province.province_id == province.pk and Unit.objects.get(code="T-1").province_id == province.pk


def test_importing_the_same_file_again_changes_nothing_and_adds_no_history(tree):
    rows = [["G9", "Đảng bộ xã Chín", "Tổ chức cơ sở đảng", "D2", "", "", ""], ["D2", "Đảng bộ huyện Hai mới", "Đảng bộ trực thuộc", "P", "", "", ""]]
    import_units(file=csv_file(rows))
    before, history = snapshot(), history_count()
    plan = import_units(file=csv_file(rows))
    assert plan.counts == {"new": 0, "changed": 0, "unchanged": 2, "error": 0}
    assert snapshot() == before and history_count() == history


def test_export_then_import_changes_nothing(tree):
    export = xlsx_file(build_unit_workbook(units=Unit.objects.all()))
    plan = plan_units(file=export)
    assert plan.counts == {"new": 0, "changed": 0, "unchanged": 5, "error": 0}


def test_export_edit_a_name_and_a_parent_import_makes_exactly_those_changes(tree):
    workbook = build_unit_workbook(units=Unit.objects.all())
    sheet = workbook_sheet(workbook)
    rows = {sheet.cell(r, 1).value: r for r in range(4, sheet.max_row + 1) if sheet.cell(r, 1).value}
    sheet.cell(rows["D2"], 2, "Đảng bộ huyện Hai (đổi tên)")
    sheet.cell(rows["G1"], 4, "D2")
    before, history = snapshot(), history_count()

    plan = plan_units(file=xlsx_file(sheet.parent))
    assert plan.counts == {"new": 0, "changed": 2, "unchanged": 3, "error": 0}
    changes = {row.code: [(str(label), old, new) for label, old, new in row.changes] for row in plan.with_status("changed")}
    assert changes == {"D2": [("tên", "Đảng bộ huyện Hai", "Đảng bộ huyện Hai (đổi tên)")], "G1": [("cấp trên", "D1", "D2")]}
    apply_units(plan=plan)

    after = {row[0]: row for row in snapshot()}
    assert after["D2"][1] == "Đảng bộ huyện Hai (đổi tên)"
    assert after["G1"][4] == "/P/D2/G1/" and after["C1"][4] == "/P/D2/G1/C1/"  # the cell follows its parent
    unchanged = {row[0]: row for row in before}
    assert {code for code in after if after[code] != unchanged[code]} == {"D2", "G1", "C1"}
    assert history_count() == history + 2


def workbook_sheet(workbook):
    """A write-only workbook reopened for editing, as a user would."""
    buffer = io.BytesIO()
    workbook.save(buffer)
    return openpyxl.load_workbook(io.BytesIO(buffer.getvalue()))[UNITS_SHEET]


def test_csv_in_utf8_with_bom_is_read(tree):
    upload = csv_file([["G9", "Đảng bộ xã Chín", "Tổ chức cơ sở đảng", "D2", "", "", ""]], encoding="utf-8-sig")
    import_units(file=upload)
    assert Unit.objects.get(code="G9").name == "Đảng bộ xã Chín"


def test_csv_in_windows_1258_is_read_with_composed_accents(tree):
    upload = csv_file([["G9", "Đảng bộ xã Chín", "Tổ chức cơ sở đảng", "D2", "", "", ""]], encoding="cp1258")
    import_units(file=upload)
    assert Unit.objects.get(code="G9").name == unicodedata.normalize("NFC", "Đảng bộ xã Chín")
    assert Unit.objects.get(code="G9").kind == UnitKind.GRASSROOTS


def test_title_rows_and_merged_cells_above_the_header_are_skipped(tree):
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    sheet["A1"] = "ĐẢNG BỘ TỈNH P"
    sheet.merge_cells("A1:D1")
    sheet["A2"] = "DANH SÁCH TỔ CHỨC ĐẢNG"
    sheet.merge_cells("A2:D2")
    sheet.append([])
    sheet.append(["Mã", "Tên", "Loại", "Mã cấp trên"])
    sheet.append(["G9", "Đảng bộ xã Chín", "Tổ chức cơ sở đảng", "D2"])
    plan = plan_units(file=xlsx_file(workbook))
    assert plan.header_row == 4 and [row.number for row in plan.rows] == [5]
    assert plan.counts["new"] == 1


def test_english_headers_and_kind_codes_in_any_case_and_spacing(tree):
    upload = csv_file([["G9", "Commune committee", "TO_CHUC_CO_SO_DANG", "D2", "2020", "2024"]], header=["  CODE ", "name", "Kind", "Parent   code", "From year", "To Year"])
    import_units(file=upload)
    unit = Unit.objects.get(code="G9")
    assert (unit.kind, unit.parent.code, unit.valid_from, unit.valid_to) == (UnitKind.GRASSROOTS, "D2", 2020, 2024)


def test_successor_may_be_a_unit_later_in_the_file(tree):
    import_units(file=csv_file([
        ["G8", "Đảng bộ xã Tám", "Tổ chức cơ sở đảng", "D2", "", "2024", "G9"],
        ["G9", "Đảng bộ xã Chín", "Tổ chức cơ sở đảng", "D2", "2025", "", ""],
    ]))
    assert Unit.objects.get(code="G8").successor.code == "G9"


# What is refused, with nothing saved


@pytest.mark.parametrize(
    "rows, code, message",
    [
        ([["G9", "Xã Chín", "Tổ chức cơ sở đảng", "NOPE", "", "", ""]], "G9", "Không có đơn vị cấp trên mã «NOPE»"),
        ([["G9", "Xã Chín", "Tổ chức cơ sở đảng", "D2", "", "", ""], ["G9", "Xã Chín bis", "Tổ chức cơ sở đảng", "D1", "", "", ""]], "G9", "có nhiều lần trong tệp (cả ở dòng 2)"),
        ([["X1", "Một", "Đảng bộ trực thuộc", "X2", "", "", ""], ["X2", "Hai", "Đảng bộ trực thuộc", "X1", "", "", ""]], "X1", "Vòng lặp cấp trên"),
        ([["D1", "Đảng bộ huyện Một", "Đảng bộ trực thuộc", "C1", "", "", ""]], "D1", "không thể trực thuộc «Chi bộ»"),
        ([["G/9", "Xã Chín", "Tổ chức cơ sở đảng", "D2", "", "", ""]], "G/9", "không hợp lệ"),
        ([["Xã-Chín", "Xã Chín", "Tổ chức cơ sở đảng", "D2", "", "", ""]], "Xã-Chín", "không hợp lệ"),
        ([["T2", "Tỉnh Hai", "Đảng bộ tỉnh, thành phố", "P", "", "", ""]], "T2", "không trực thuộc đơn vị nào"),
        ([["C9", "Chi bộ Chín", "Chi bộ", "C1", "", "", ""]], "C9", "«Chi bộ» không thể trực thuộc «Chi bộ»"),
        ([["G9", "Xã Chín", "Phường", "D2", "", "", ""]], "G9", "Loại đơn vị «Phường» không có"),
        ([["G9", "Xã Chín", "Tổ chức cơ sở đảng", "", "", "", ""]], "G9", "Thiếu mã đơn vị cấp trên"),
        ([["G9", "Xã Chín", "Tổ chức cơ sở đảng", "D2", "2024", "2020", ""]], "G9", "Năm kết thúc (2020)"),
        ([["G9", "Xã Chín", "Tổ chức cơ sở đảng", "D2", "", "", "NOPE"]], "G9", "Không có đơn vị kế thừa mã «NOPE»"),
    ],
    ids=["unknown-parent", "code-twice", "cycle", "under-a-cell", "slash", "accents", "province-under", "cell-under-cell", "kind", "no-parent", "years", "successor"],
)
def test_a_refused_file_shows_the_row_and_why_and_saves_nothing(tree, rows, code, message):
    before, history = snapshot(), history_count()
    plan = plan_units(file=csv_file([*rows, ["G7", "Đảng bộ xã Bảy", "Tổ chức cơ sở đảng", "D1", "", "", ""]]))
    assert message in messages_of(plan)[code]
    assert plan.with_status("new")[-1].code == "G7"  # the good row is planned, not saved
    with pytest.raises(UnitsRefused, match="dòng lỗi"):
        apply_units(plan=plan)
    assert snapshot() == before and history_count() == history


def test_a_move_under_its_own_stored_descendant_is_refused_as_a_cycle(tree):
    plan = plan_units(file=csv_file([["D1", "Đảng bộ huyện Một", "Khác", "G1", "", "", ""]]))
    assert "Vòng lặp cấp trên: D1 → G1 → D1." in messages_of(plan)["D1"]


def test_two_units_trading_places_are_written_parent_first(tree):
    """G1 leaves D1 for the province and D1 goes under G1: the database's path guard sees each parent already in place."""
    import_units(file=csv_file([
        ["D1", "Đảng bộ huyện Một", "Khác", "G1", "", "", ""],
        ["G1", "Đảng bộ xã Một", "Khác", "P", "", "", ""],
    ]))
    paths = dict(Unit.objects.values_list("code", "path"))
    assert paths["G1"] == "/P/G1/" and paths["D1"] == "/P/G1/D1/" and paths["C1"] == "/P/G1/C1/"


def test_a_kind_its_stored_children_cannot_sit_under_is_refused(tree):
    plan = plan_units(file=csv_file([["G1", "Đảng bộ xã Một", "Chi bộ", "D1", "", "", ""]]))
    assert "đơn vị cấp dưới C1" in messages_of(plan)["G1"]


def test_the_command_refuses_a_file_with_errors_and_dry_run_saves_nothing(tree, tmp_path):
    bad = tmp_path / "bad.csv"
    bad.write_bytes(csv_file([["G9", "Xã", "Tổ chức cơ sở đảng", "NOPE", "", "", ""]]).read())
    before = snapshot()
    with pytest.raises(CommandError, match="1 dòng lỗi"):
        call_command("import_units", str(bad), stdout=io.StringIO(), stderr=io.StringIO())
    good = tmp_path / "good.csv"
    good.write_bytes(csv_file([["G9", "Xã", "Tổ chức cơ sở đảng", "D2", "", "", ""]]).read())
    out = io.StringIO()
    call_command("import_units", str(good), "--dry-run", stdout=out)
    assert "Mới: 1" in out.getvalue() and snapshot() == before
    call_command("import_units", str(good), stdout=io.StringIO())
    assert Unit.objects.filter(code="G9").exists()


def test_a_unit_changed_after_the_plan_refuses_the_apply(tree):
    plan = plan_units(file=csv_file([["G1", "Đảng bộ xã Một mới", "Tổ chức cơ sở đảng", "D1", "", "", ""]]))
    unit = Unit.objects.get(code="G1")
    unit.name = "Tên khác"
    unit.save()
    with pytest.raises(UnitsRefused, match="G1"):
        apply_units(plan=plan)
    assert Unit.objects.get(code="G1").name == "Tên khác"


def test_a_child_added_under_a_moving_unit_after_the_plan_refuses_the_apply(tree, make_unit):
    plan = plan_units(file=csv_file([["G1", "Đảng bộ xã Một", "Tổ chức cơ sở đảng", "D2", "", "", ""]]))
    make_unit("C2", parent=tree["G1"], kind=UnitKind.CELL)
    with pytest.raises(UnitsRefused, match="C2"):
        apply_units(plan=plan)
    assert Unit.objects.get(code="C2").path == "/P/D1/G1/C2/"


# Editors


@pytest.fixture
def editor(tree, django_user_model):
    """An editor of the first district, allowed to add and change units there."""
    user = django_user_model.objects.create_user("bientap", password="x-pass-12345", is_staff=True)
    user.groups.add(Group.objects.get(name="Biên tập viên"))
    user.user_permissions.add(*Permission.objects.filter(codename__in=["add_unit", "change_unit"]))
    EditorScope.objects.create(user=user, unit=tree["D1"])
    return user


def test_an_editor_cannot_add_under_another_district(editor):
    plan = plan_units(file=csv_file([["G9", "Xã Chín", "Tổ chức cơ sở đảng", "D2", "", "", ""]]), user=editor)
    assert "Cấp trên «D2» ngoài phạm vi được giao" in messages_of(plan)["G9"]


def test_an_editor_cannot_change_or_move_units_outside_their_district(editor):
    plan = plan_units(file=csv_file([
        ["D2", "Đảng bộ huyện Hai đổi tên", "Đảng bộ trực thuộc", "P", "", "", ""],
        ["G1", "Đảng bộ xã Một", "Tổ chức cơ sở đảng", "D2", "", "", ""],
    ]), user=editor)
    errors = messages_of(plan)
    assert "ngoài phạm vi" in errors["D2"] and "ngoài phạm vi" in errors["G1"]


def test_an_editor_adds_under_their_district_and_round_trips_their_export(editor):
    import_units(file=csv_file([["G9", "Xã Chín", "Tổ chức cơ sở đảng", "D1", "", "", ""]]), user=editor)
    assert Unit.objects.get(code="G9").path == "/P/D1/G9/"
    export = build_unit_workbook(units=Unit.objects.editable_by(editor))
    plan = plan_units(file=xlsx_file(export), user=editor)
    assert plan.counts == {"new": 0, "changed": 0, "unchanged": 4, "error": 0}


def test_the_editors_export_holds_only_their_subtree(editor, client):
    client.force_login(editor)
    response = client.get(reverse("admin:ratings_unit_export"))
    sheet = openpyxl.load_workbook(io.BytesIO(b"".join(response.streaming_content)))[UNITS_SHEET]
    codes = [sheet.cell(r, 1).value for r in range(4, sheet.max_row + 1)]
    assert codes == ["D1", "G1", "C1"]


# The template


def test_the_template_has_the_columns_a_kind_drop_down_and_instructions(db, admin_client):
    response = admin_client.get(reverse("admin:ratings_unit_import_template"))
    workbook = openpyxl.load_workbook(io.BytesIO(b"".join(response.streaming_content)))
    sheet = workbook[UNITS_SHEET]
    assert [cell.value for cell in sheet[3]][:4] == ["Mã đơn vị", "Tên đơn vị", "Loại đơn vị", "Mã đơn vị cấp trên"]
    (validation,) = sheet.data_validations.dataValidation
    assert str(validation.sqref).startswith("C4:")
    lists_name, cells = validation.formula1.split("!")
    first, last = cells.replace("$", "").split(":")
    items = [cell.value for (cell,) in workbook[lists_name.strip("'")][first:last]]
    assert items == [str(label) for label in UnitKind.labels] and "Chi bộ" in items
    assert "Cách điền" in workbook[HELP_SHEET]["A1"].value


def test_the_empty_template_imports_as_nothing(db):
    plan = plan_units(file=xlsx_file(build_unit_workbook()))
    assert plan.rows == []


# The admin pages


def test_the_unit_list_links_to_the_import(tree, admin_client):
    text = admin_client.get(reverse("admin:ratings_unit_changelist")).content.decode()
    assert IMPORT_URL in text and "Nhập danh sách đơn vị" in text


def test_preview_lists_new_changed_and_errors_then_confirm_saves(tree, admin_client):
    upload = csv_file([
        ["G9", "Đảng bộ xã Chín", "Tổ chức cơ sở đảng", "D2", "", "", ""],
        ["D2", "Đảng bộ huyện Hai mới", "Đảng bộ trực thuộc", "P", "", "", ""],
        ["D1", "Đảng bộ huyện Một", "Đảng bộ trực thuộc", "P", "", "", ""],
    ])
    response = admin_client.post(IMPORT_URL, {"file": upload})
    text = response.content.decode()
    assert "G9" in text and "Đảng bộ huyện Hai → <strong>Đảng bộ huyện Hai mới</strong>" in text
    assert response.context["plan"].counts == {"new": 1, "changed": 1, "unchanged": 1, "error": 0}
    assert not Unit.objects.filter(code="G9").exists()

    response = admin_client.post(IMPORT_URL, {"confirm": "1", "token": response.context["token"]}, follow=True)
    assert "1 mới, 1 thay đổi, 1 không đổi" in response.content.decode()
    assert Unit.objects.get(code="G9").path == "/P/D2/G9/"
    assert Unit.objects.get(code="D2").name == "Đảng bộ huyện Hai mới"


def test_preview_with_errors_shows_row_numbers_and_offers_no_confirm(tree, admin_client):
    response = admin_client.post(IMPORT_URL, {"file": csv_file([["G9", "Xã", "Tổ chức cơ sở đảng", "NOPE", "", "", ""]])})
    text = response.content.decode()
    assert "Không có đơn vị cấp trên mã «NOPE»" in text and 'name="confirm"' not in text
    assert response.context["error_rows"][0].number == 2


def test_a_file_that_is_not_a_table_is_refused_with_a_message(db, admin_client):
    response = admin_client.post(IMPORT_URL, {"file": SimpleUploadedFile("x.pdf", b"%PDF-1.4")})
    assert "Chỉ nhận tệp .xlsx hoặc .csv." in response.content.decode()


def test_a_token_of_another_user_saves_nothing(tree, admin_client):
    upload = csv_file([["G9", "Đảng bộ xã Chín", "Tổ chức cơ sở đảng", "D2", "", "", ""]])
    someone = User.objects.create_superuser("someone")
    token = uploads.keep_upload(user=someone, data=upload.read(), meta={"seen": {}, "name": "x.csv"}, suffix=".csv")
    response = admin_client.post(IMPORT_URL, {"confirm": "1", "token": token}, follow=True)
    assert "không còn" in response.content.decode()
    assert not Unit.objects.filter(code="G9").exists()


def test_a_viewer_cannot_open_the_import(tree, client, django_user_model):
    user = django_user_model.objects.create_user("xem", password="x-pass-12345", is_staff=True)
    user.groups.add(Group.objects.get(name="Người xem"))
    client.force_login(user)
    assert client.get(IMPORT_URL).status_code == 403


def test_an_editor_previewing_another_district_sees_the_scope_error(editor, client):
    client.force_login(editor)
    response = client.post(IMPORT_URL, {"file": csv_file([["G9", "Xã Chín", "Tổ chức cơ sở đảng", "D2", "", "", ""]])})
    assert "ngoài phạm vi được giao" in response.content.decode()
    assert "token" not in response.context


# Size


def test_a_generated_tree_of_a_thousand_units_imports_in_full(db):
    data = sample_unit_table(1000, committees=10, grassroots=190)
    plan = plan_units(file=data, name="sample.xlsx")
    assert plan.counts["new"] == 1000 and not plan.errors
    apply_units(plan=plan)
    assert Unit.objects.filter(path__startswith="/BM-TINH/").count() == 1000
    assert not Unit.objects.exclude(province__code="BM-TINH").filter(path__startswith="/BM-TINH/").exists()
    assert plan_units(file=data, name="sample.xlsx").counts["unchanged"] == 1000



@pytest.mark.parametrize("units", [60, 600])
def test_planning_takes_the_same_queries_for_a_small_and_a_large_file(tree, units, django_assert_max_num_queries):
    data = sample_unit_table(units, committees=5, grassroots=25, fmt="csv")
    import_units(file=data, name="first.csv")
    with django_assert_max_num_queries(12):
        plan = plan_units(file=data, name="again.csv")
    assert plan.counts["unchanged"] == units
