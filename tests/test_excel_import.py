"""Importing ratings from Excel: the template, the upload's preview, the all-or-nothing save."""
import io
import re
import zipfile

import openpyxl
import pytest
from django.contrib.auth.models import User
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from ratings import services
from ratings.services import uploads
from ratings.models import Rating
from ratings.reports.template import build_template

from .test_views import counts_of

YEAR = 2024
IMPORT_URL = reverse("admin:ratings_rating_excel_import")
TEMPLATE_URL = reverse("admin:ratings_rating_excel_template")
SCALE_2024 = ["Hoàn thành xuất sắc nhiệm vụ", "Hoàn thành tốt nhiệm vụ", "Hoàn thành nhiệm vụ", "Không hoàn thành nhiệm vụ"]
COLUMNS = {key: index for index, (key, _label, _width) in enumerate(services.EXCEL_COLUMNS, start=1)}


@pytest.fixture(autouse=True)
def uploads_in_tmp(settings, tmp_path):
    settings.VAR_DIR = tmp_path


@pytest.fixture
def tree(scales, make_unit):
    """A province with two committees and one dissolved before the year, and another province."""
    province = make_unit("P", name="Đảng bộ tỉnh P")
    units = {
        "P": province,
        "A": make_unit("A", parent=province, name="Đảng bộ A"),
        "B": make_unit("B", parent=province, name="Đảng bộ B"),
        "OLD": make_unit("OLD", parent=province, name="Đảng bộ cũ", valid_to=2020),
        "Q": make_unit("Q", name="Đảng bộ tỉnh Q"),
    }
    return units


def sheet_of(workbook):
    return workbook[str(services.EXCEL_SHEET)]


def rows_by_code(sheet):
    return {sheet.cell(row, 1).value: row for row in range(3, sheet.max_row + 1) if sheet.cell(row, 1).value}


def fill(sheet, code, **values):
    row = rows_by_code(sheet).get(code) or sheet.max_row + 1
    sheet.cell(row, COLUMNS["unit_code"], code)
    sheet.cell(row, COLUMNS["year"]).value = sheet.cell(row, COLUMNS["year"]).value or YEAR
    for key, value in values.items():
        sheet.cell(row, COLUMNS[key], value)
    return row


def xlsx(workbook, name="ket-qua.xlsx"):
    buffer = io.BytesIO()
    workbook.save(buffer)
    return SimpleUploadedFile(name, buffer.getvalue())


def validation_items(workbook, validation):
    sheet_name, cells = validation.formula1.split("!")
    lists = workbook[sheet_name.strip("'")]
    first, last = cells.replace("$", "").split(":")
    return [cell.value for (cell,) in lists[first:last]]


def validation_for(sheet, key):
    column = openpyxl.utils.get_column_letter(COLUMNS[key])
    return [dv for dv in sheet.data_validations.dataValidation if str(dv.sqref).startswith(f"{column}3:")]


def test_template_has_one_row_per_unit_of_the_scope_with_drop_downs_and_decisions_prefilled(tree, rate):
    rate(tree["A"], YEAR, "HTTNV", votes_for=10, votes_present=12, note="Đã quyết định")
    rate(tree["B"], YEAR, "HTXSNV", stage="self")
    workbook = build_template(year=YEAR, scope=tree["P"])
    sheet = sheet_of(workbook)

    assert "Đảng bộ tỉnh P" in sheet["A1"].value and str(YEAR) in sheet["A1"].value
    assert [sheet.cell(2, column).value for column in (1, 7)] == ["Mã đơn vị", "Mức xếp loại"]
    assert list(rows_by_code(sheet)) == ["P", "A", "B"]
    a, b = rows_by_code(sheet)["A"], rows_by_code(sheet)["B"]
    assert [sheet.cell(a, COLUMNS[key]).value for key in ("parent", "year", "stage", "level", "votes_for", "votes_present", "note")] == [
        "Đảng bộ tỉnh P", YEAR, "Quyết định", "Hoàn thành tốt nhiệm vụ", 10, 12, "Đã quyết định"
    ]
    assert sheet.cell(b, COLUMNS["level"]).value is None  # a self-assessment is not the decision
    (stage,) = validation_for(sheet, "stage")
    (level,) = validation_for(sheet, "level")
    (votes,) = validation_for(sheet, "votes_for")
    assert stage.type == level.type == "list"
    assert validation_items(workbook, stage) == ["Tự đánh giá", "Đề xuất", "Quyết định", "Chưa rõ"]
    assert validation_items(workbook, level) == SCALE_2024
    assert (votes.type, votes.operator, votes.formula1) == ("whole", "greaterThanOrEqual", "0")
    assert workbook["Danh mục"].sheet_state == "hidden"
    assert sheet.freeze_panes == "C3"


def test_template_level_list_keeps_labels_with_commas_whole(tree):
    workbook = build_template(year=2012, scope=tree["P"])
    (level,) = validation_for(sheet_of(workbook), "level")
    assert validation_items(workbook, level)[:2] == ["Trong sạch, vững mạnh tiêu biểu", "Trong sạch, vững mạnh"]


def test_unit_names_that_look_like_formulas_are_written_as_text(tree, make_unit):
    make_unit("F1", parent=tree["P"], name='=HYPERLINK("http://example.com","bấm")')
    make_unit("F2", parent=tree["P"], name="+1")
    workbook = openpyxl.load_workbook(io.BytesIO(xlsx(build_template(year=YEAR, scope=tree["P"])).read()))
    sheet = sheet_of(workbook)
    rows = rows_by_code(sheet)
    for code, first in (("F1", "="), ("F2", "+")):
        cell = sheet.cell(rows[code], COLUMNS["unit_name"])
        assert cell.data_type == "s" and cell.value.startswith(first)


def test_template_download_sends_the_xlsx_for_the_chosen_province(tree, admin_client):
    response = admin_client.get(TEMPLATE_URL, {"year": YEAR, "province": tree["P"].pk})
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    workbook = openpyxl.load_workbook(io.BytesIO(b"".join(response.streaming_content)))
    assert list(rows_by_code(sheet_of(workbook))) == ["P", "A", "B"]


def test_template_download_with_an_unknown_unit_code_asks_again_with_a_message(tree, admin_client):
    response = admin_client.get(TEMPLATE_URL, {"year": YEAR, "unit": "NOPE"})
    assert "Không có đơn vị nào mã «NOPE»" in response.content.decode()
    assert response["Content-Type"].startswith("text/html")


def test_filled_template_shows_preview_counts_and_saves_nothing_until_confirmed(tree, rate, admin_client):
    rate(tree["A"], YEAR, "HTTNV")
    rate(tree["B"], YEAR, "HTNV")
    workbook = build_template(year=YEAR, scope=tree["P"])
    fill(sheet_of(workbook), "P", level="Hoàn thành xuất sắc nhiệm vụ", votes_for=50, votes_present=52)
    fill(sheet_of(workbook), "A", level="HTXSNV")

    response = admin_client.post(IMPORT_URL, {"file": xlsx(workbook)})

    assert response.context["plan"].counts == {"new": 1, "changed": 1, "unchanged": 1, "error": 0}
    assert "Hoàn thành tốt nhiệm vụ → Hoàn thành xuất sắc nhiệm vụ" in response.content.decode()
    assert Rating.objects.count() == 2 and Rating.objects.get(unit=tree["A"]).level.code == "HTTNV"

    response = admin_client.post(IMPORT_URL, {"confirm": "1", "token": response.context["token"]}, follow=True)

    assert "1 mới, 1 thay đổi, 1 không đổi" in response.content.decode()
    saved = {r.unit.code: (r.level.code, r.votes_for, r.votes_present) for r in Rating.objects.select_related("unit", "level")}
    assert saved == {"P": ("HTXSNV", 50, 52), "A": ("HTXSNV", None, None), "B": ("HTNV", None, None)}


def test_confirm_with_a_token_not_from_this_session_saves_nothing(tree, admin_client):
    workbook = build_template(year=YEAR, scope=tree["P"])
    fill(sheet_of(workbook), "A", level="HTTNV")
    upload = xlsx(workbook)
    someone = User.objects.create_user("someone")
    token = uploads.keep_upload(user=someone, data=upload.read(), meta={"seen": {}})

    admin_client.post(IMPORT_URL, {"confirm": "1", "token": token})

    assert not Rating.objects.exists()


def preview(admin_client, tree, rate):
    """An upload previewed by the admin: A changes HTTNV → HTXSNV, B stays HTNV, P is new."""
    rate(tree["A"], YEAR, "HTTNV")
    rate(tree["B"], YEAR, "HTNV")
    workbook = build_template(year=YEAR, scope=tree["P"])
    fill(sheet_of(workbook), "P", level="HTTNV")
    fill(sheet_of(workbook), "A", level="HTXSNV")
    response = admin_client.post(IMPORT_URL, {"file": xlsx(workbook)})
    assert response.context["plan"].counts == {"new": 1, "changed": 1, "unchanged": 1, "error": 0}
    return response.context["token"], {row.unit_code: row.number for row in response.context["plan"].rows}


def confirm(admin_client, token):
    return admin_client.post(IMPORT_URL, {"confirm": "1", "token": token}, follow=True).content.decode()


def levels_stored():
    return {r.unit.code: r.level.code for r in Rating.objects.select_related("unit", "level")}


def save_as_another_user(unit, code):
    from ratings.models import Level

    rating = Rating.objects.get(unit=unit, year=YEAR)
    rating.level = Level.objects.in_scale_of(YEAR, code)
    rating.save()


@pytest.mark.parametrize("unit", ["A", "B"], ids=["a row the preview showed as changed", "a row shown as unchanged"])
def test_a_rating_saved_by_someone_else_after_the_preview_refuses_the_confirmation(tree, rate, admin_client, unit):
    token, rows = preview(admin_client, tree, rate)
    save_as_another_user(tree[unit], "KHTNV")

    page = confirm(admin_client, token)

    assert f"Kết quả ở dòng {rows[unit]} đã có người sửa, thêm hoặc xóa sau khi bạn xem trước; chưa lưu gì" in page
    expected = {"A": "HTTNV", "B": "HTNV"} | {unit: "KHTNV"}
    assert levels_stored() == expected


def test_a_rating_added_by_someone_else_after_the_preview_refuses_the_confirmation(tree, rate, admin_client):
    token, rows = preview(admin_client, tree, rate)
    rate(tree["P"], YEAR, "HTNV")

    page = confirm(admin_client, token)

    assert f"Kết quả ở dòng {rows['P']} đã có người sửa" in page
    assert levels_stored() == {"A": "HTTNV", "B": "HTNV", "P": "HTNV"}


def test_a_rating_deleted_after_the_preview_refuses_the_confirmation(tree, rate, admin_client):
    token, rows = preview(admin_client, tree, rate)
    Rating.objects.filter(unit=tree["A"]).delete()

    page = confirm(admin_client, token)

    assert f"Kết quả ở dòng {rows['A']} đã có người sửa" in page
    assert levels_stored() == {"B": "HTNV"}


def test_a_change_elsewhere_after_the_preview_does_not_stop_the_confirmation(tree, rate, admin_client):
    token, _rows = preview(admin_client, tree, rate)
    rate(tree["Q"], YEAR, "HTNV")

    assert "1 mới, 1 thay đổi, 1 không đổi" in confirm(admin_client, token)
    assert levels_stored() == {"A": "HTXSNV", "B": "HTNV", "P": "HTTNV", "Q": "HTNV"}


def test_the_dashboard_counts_a_confirmed_upload_at_once(tree, rate, admin_client):
    def counts():
        return counts_of(admin_client.get(reverse("ratings:dashboard"), {"year": YEAR}).context["figures"]["distribution"])

    rate(tree["A"], YEAR, "HTTNV")
    assert counts() == {"dang_bo_truc_thuoc": {"HTTNV": 1}}
    workbook = build_template(year=YEAR, scope=tree["P"])
    fill(sheet_of(workbook), "A", level="HTXSNV")
    services.apply_excel_ratings(plan=services.plan_excel_ratings(file=xlsx(workbook)))
    assert counts() == {"dang_bo_truc_thuoc": {"HTXSNV": 1}}


def test_a_plan_read_before_someone_saves_is_refused_when_applied(tree, rate):
    rate(tree["A"], YEAR, "HTTNV")
    workbook = build_template(year=YEAR, scope=tree["P"])
    fill(sheet_of(workbook), "A", level="HTXSNV")
    plan = services.plan_excel_ratings(file=xlsx(workbook))
    save_as_another_user(tree["A"], "HTNV")

    with pytest.raises(services.ExcelRefused, match="đã có người sửa"):
        services.apply_excel_ratings(plan=plan)
    assert levels_stored() == {"A": "HTNV"}


BAD_ROWS = {
    "unknown unit code": ({"code": "NOPE", "level": "HTTNV"}, "Không có đơn vị nào mã «NOPE»"),
    "level not in the year's scale": ({"code": "A", "level": "Trong sạch, vững mạnh"}, "không thuộc thang xếp loại năm 2024"),
    "votes above present": ({"code": "A", "level": "HTTNV", "votes_for": 13, "votes_present": 12}, "không thể lớn hơn số người có mặt"),
    "negative votes": ({"code": "A", "level": "HTTNV", "votes_for": -1}, "không thể âm"),
    "duplicate row": ({"code": "P", "level": "HTNV"}, "Trùng với dòng 3"),
    "unknown stage": ({"code": "A", "level": "HTTNV", "stage": "Phê duyệt"}, "Bước «Phê duyệt» không có"),
    "year not a number": ({"code": "A", "level": "HTTNV", "year": "năm nay"}, "Năm trống hoặc không phải là số"),
    "unit not existing that year": ({"code": "OLD", "level": "HTTNV"}, "không tồn tại trong năm 2024"),
}


@pytest.mark.parametrize("bad, reason", BAD_ROWS.values(), ids=BAD_ROWS.keys())
def test_each_bad_row_is_reported_with_its_row_number_and_nothing_is_saved(tree, admin_client, bad, reason):
    workbook = build_template(year=YEAR, scope=tree["P"])
    sheet = sheet_of(workbook)
    fill(sheet, "P", level="HTTNV")  # a good row, row 3
    bad = dict(bad)
    code = bad.pop("code")
    row = sheet.max_row + 1 if code in ("NOPE", "P") else rows_by_code(sheet).get(code, sheet.max_row + 1)
    sheet.cell(row, COLUMNS["unit_code"], code)
    sheet.cell(row, COLUMNS["year"], bad.pop("year", YEAR))
    for key, value in bad.items():
        sheet.cell(row, COLUMNS[key], value)

    response = admin_client.post(IMPORT_URL, {"file": xlsx(workbook)})

    plan = response.context["plan"]
    (error,) = plan.errors
    assert error.number == row and reason in " ".join(error.errors)
    page = response.content.decode()
    assert f"Dòng {row}" in page and "Chưa lưu gì cho đến khi sửa hết các lỗi" in page
    assert 'name="confirm"' not in page
    with pytest.raises(services.ExcelRefused):
        services.apply_excel_ratings(plan=plan)
    assert not Rating.objects.exists()


def test_round_trip_of_an_unchanged_template_writes_nothing(tree, rate):
    rate(tree["A"], YEAR, "HTTNV", votes_for=10, votes_present=12, note="ghi chú")
    rate(tree["B"], YEAR, "KHTNV")
    upload = xlsx(build_template(year=YEAR, scope=tree["P"]))

    plan = services.plan_excel_ratings(file=upload)
    with CaptureQueriesContext(connection) as queries:
        report = services.apply_excel_ratings(plan=plan)

    assert plan.counts == {"new": 0, "changed": 0, "unchanged": 2, "error": 0} and plan.blank == 1
    assert (report.created, report.updated, report.unchanged) == (0, 0, 2)
    assert not [q for q in queries.captured_queries if q["sql"].startswith(("INSERT", "UPDATE", "DELETE"))]


def empty_workbook():
    return xlsx(openpyxl.Workbook()).read()


def headerless_workbook():
    workbook = openpyxl.Workbook()
    workbook.active.append(["Danh sách", "đơn vị"])
    return xlsx(workbook).read()


BAD_FILES = {
    "csv": ("ket-qua.csv", lambda: "Mã đơn vị,Năm,Mức xếp loại\nA,2024,HTTNV\n".encode(), "không phải bảng tính Excel .xlsx"),
    "renamed text": ("ket-qua.xlsx", lambda: b"just some text", "không phải bảng tính Excel .xlsx"),
    "empty workbook": ("trong.xlsx", empty_workbook, "Bảng tính không có dữ liệu"),
    "no header row": ("khong-tieu-de.xlsx", headerless_workbook, "Không tìm thấy dòng tiêu đề"),
    "over 5 MB": ("lon.xlsx", lambda: b"PK\x03\x04" + b"0" * (5 * 1024 * 1024), "Tệp lớn hơn 5 MB"),
    "old .xls or password-protected": ("cu.xls", lambda: b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 512, "Excel cũ (.xls) hoặc được đặt mật khẩu"),
    "cut short": ("do-dang.xlsx", lambda: headerless_workbook()[:1000], "bị hỏng hoặc chưa tải lên hết"),
}


@pytest.mark.parametrize("name, content, message", BAD_FILES.values(), ids=BAD_FILES.keys())
def test_a_file_that_is_not_a_filled_xlsx_is_refused_with_a_message(tree, admin_client, tmp_path, name, content, message):
    response = admin_client.post(IMPORT_URL, {"file": SimpleUploadedFile(name, content())})

    assert message in response.content.decode()
    assert "plan" not in response.context and not Rating.objects.exists()
    assert not (tmp_path / uploads.UPLOAD_DIR).exists()


def test_rating_changelist_links_to_the_excel_import_and_the_template(tree, admin_client):
    page = admin_client.get(reverse("admin:ratings_rating_changelist")).content.decode()
    assert IMPORT_URL in page and TEMPLATE_URL in page


def declaring_dimension(upload, ref):
    """The same upload with its data sheet declaring `ref` as its dimension, as a foreign writer might."""
    source, buffer = zipfile.ZipFile(io.BytesIO(upload.read())), io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as target:
        for info in source.infolist():
            data = source.read(info)
            if info.filename == "xl/worksheets/sheet1.xml":
                data = re.sub(rb'<dimension ref="[^"]*"', f'<dimension ref="{ref}"'.encode(), data)
            target.writestr(info, data)
    return SimpleUploadedFile(upload.name, buffer.getvalue())


def test_rows_below_a_smaller_declared_dimension_are_imported_too(tree, admin_client):
    workbook = build_template(year=YEAR, scope=tree["P"])
    for code in ("P", "A", "B"):
        fill(sheet_of(workbook), code, level="HTTNV")

    response = admin_client.post(IMPORT_URL, {"file": declaring_dimension(xlsx(workbook), "A1:J3")})

    assert [row.unit_code for row in response.context["plan"].rows] == ["P", "A", "B"]
