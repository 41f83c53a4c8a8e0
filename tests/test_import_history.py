"""Importing past years from a department's own sheet: names, spellings, scales, preview, confirm."""
import io
import time
import unicodedata

import openpyxl
import pytest
from django.contrib.auth.models import Group, User
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import CommandError, call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from ratings import spellings
from ratings.models import EditorScope, Rating
from ratings.services import apply_excel_ratings, uploads
from ratings.services.history import HistoryRefused, plan_history, sample_history_table

IMPORT_URL = reverse("admin:ratings_rating_history_import")


@pytest.fixture(autouse=True)
def uploads_in_tmp(settings, tmp_path):
    settings.VAR_DIR = tmp_path


@pytest.fixture
def tree(scales, make_unit):
    """A province with a city, a town and a district; cells under the district; another province."""
    province = make_unit("BD", name="Đảng bộ tỉnh Bình Dương")
    city = make_unit("TDM", parent=province, name="Đảng bộ thành phố Thủ Dầu Một")
    town = make_unit("BC", parent=province, name="Đảng bộ thị xã Bến Cát")
    district = make_unit("DT", parent=province, name="Đảng bộ huyện Dầu Tiếng")
    return {
        "BD": province, "TDM": city, "BC": town, "DT": district,
        "T3": make_unit("T3", parent=district, name="Chi bộ thôn 3", kind="chi_bo"),
        "T4": make_unit("T4", parent=district, name="Chi bộ thôn 4", kind="chi_bo"),
        "OTHER": make_unit("OTHER", name="Đảng bộ tỉnh Bình Phước"),
        "OUT": make_unit("OUT", parent=None, name="Đảng bộ tỉnh Khác"),
    }


def workbook(rows, *, header=("STT", "Tên đơn vị", "2021", "2022"), title=True):
    """A sheet as departments keep it: title rows with merged cells above the header, then the rows."""
    book = openpyxl.Workbook()
    sheet = book.active
    if title:
        sheet["A1"] = "ĐẢNG BỘ TỈNH BÌNH DƯƠNG"
        sheet.merge_cells("A1:C1")
        sheet["A2"] = "KẾT QUẢ XẾP LOẠI TỔ CHỨC ĐẢNG QUA CÁC NĂM"
        sheet.merge_cells(start_row=2, start_column=1, end_row=2, end_column=len(header))
        sheet.append([])
    sheet.append(list(header))
    for number, row in enumerate(rows, 1):
        sheet.append([number, *row])
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


HEADER_ROW = 4  # title, title, blank, header


def upload(data, name="lich-su.xlsx"):
    return SimpleUploadedFile(name, data)


def plan_of(data, scope="BD", **options):
    return plan_history(file=data, scope=scope, name="lich-su.xlsx", **options)


def stored():
    return {(r.unit.code, r.year): r.level.code for r in Rating.objects.select_related("unit", "level")}


def messages_of(plan):
    return [message for row in plan.errors for message in row.errors]


# Names


def test_names_match_ignoring_case_spacing_and_leading_words(tree):
    data = workbook([
        ("Đảng ủy TP Thủ Dầu Một", "HTTNV", "HTXSNV"),
        ("TX  Bến Cát", "HTNV", ""),
        ("chi bộ Thôn 3", "Hoàn thành tốt nhiệm vụ", "-"),
        ("Đảng ủy huyện dầu tiếng", "", "HT tốt NV"),
    ])

    plan = plan_of(data)

    assert plan.errors == []
    assert {(row.unit.code, row.year): row.level.code for row in plan.rows} == {
        ("TDM", 2021): "HTTNV", ("TDM", 2022): "HTXSNV", ("BC", 2021): "HTNV", ("T3", 2021): "HTTNV", ("DT", 2022): "HTTNV",
    }


@pytest.mark.parametrize("written, stored_name", [
    ("Đảng ủy TP Thủ Dầu Một", "Đảng bộ thành phố Thủ Dầu Một"),
    ("TP. Thủ Dầu Một", "Đảng bộ thành phố Thủ Dầu Một"),
    ("Chi bộ Thôn 3", "Chi bộ thôn 3"),
    ("Đảng ủy xã An Bình", "Đảng bộ xã An Bình"),
    ("Đảng bộ cơ sở xã An Bình", "Xã An Bình"),
    ("Đảng uỷ thị trấn Lai Uyên", "TT Lai Uyên"),
    ("thị xã  Bến Cát", "Đảng bộ TX Bến Cát"),
])
def test_name_keys_of_the_usual_spellings_are_equal(written, stored_name):
    assert spellings.name_key(written) == spellings.name_key(stored_name)


def test_an_unknown_name_is_an_error_naming_its_row_and_nothing_is_saved(tree):
    plan = plan_of(workbook([("Đảng ủy TP Thủ Dầu Một", "HTTNV", ""), ("Chi bộ thôn 9", "HTNV", "")]))

    assert messages_of(plan) == [
        "Dòng 6: không tìm thấy đơn vị «Chi bộ thôn 9» trong Đảng bộ tỉnh Bình Dương; hãy chọn đơn vị."
    ]
    assert {unit.code for unit in plan.unresolved[0].candidates[:2]} == {"T3", "T4"}  # the closest names first
    with pytest.raises(Exception, match="1 dòng lỗi"):
        apply_excel_ratings(plan=plan)
    assert not Rating.objects.exists()


def test_an_ambiguous_name_is_an_error_naming_its_row_with_both_units_to_pick(tree, make_unit):
    make_unit("T3B", parent=tree["TDM"], name="Chi bộ Thôn 3", kind="chi_bo")

    plan = plan_of(workbook([("Chi bộ thôn 3", "HTTNV", "HTNV")]))

    assert messages_of(plan) == ["Dòng 5: tên «Chi bộ thôn 3» ứng với 2 đơn vị trong năm 2021, 2022; hãy chọn đơn vị."]
    assert {unit.code for unit in plan.unresolved[0].candidates} == {"T3", "T3B"}


def test_the_users_pick_resolves_an_ambiguous_name(tree, make_unit):
    other = make_unit("T3B", parent=tree["TDM"], name="Chi bộ Thôn 3", kind="chi_bo")

    plan = plan_of(workbook([("Chi bộ thôn 3", "HTTNV", "HTNV")]), picks={"5": other.pk})

    assert plan.errors == [] and {row.unit.code for row in plan.rows} == {"T3B"}


def test_a_pick_outside_the_scope_is_an_error(tree):
    plan = plan_of(workbook([("Chi bộ thôn 9", "HTTNV", "")]), picks={5: tree["OTHER"].pk})

    assert messages_of(plan) == ["Dòng 5: đơn vị đã chọn không thuộc Đảng bộ tỉnh Bình Dương."]


def test_the_unit_existing_in_each_year_is_the_one_matched(tree, make_unit):
    """Two units of one name, one dissolved in 2021 and its successor from 2022: each year finds its own."""
    old = make_unit("AB1", parent=tree["DT"], name="Đảng bộ xã An Bình", valid_to=2021)
    new = make_unit("AB2", parent=tree["DT"], name="Đảng ủy xã An Bình", valid_from=2022)

    plan = plan_of(workbook([("Xã An Bình", "HTTNV", "HTXSNV")]))

    assert {row.year: row.unit for row in plan.rows} == {2021: old, 2022: new}


def test_a_rating_for_a_year_the_unit_did_not_exist_is_an_error_naming_row_and_year(tree, make_unit):
    make_unit("AB1", parent=tree["DT"], name="Đảng bộ xã An Bình", valid_to=2021)

    plan = plan_of(workbook([("Xã An Bình", "HTTNV", "HTXSNV")]))

    assert messages_of(plan) == ["Dòng 5: đơn vị «Xã An Bình» không tồn tại trong năm 2022."]


def test_two_rows_for_the_same_unit_are_an_error_naming_both(tree):
    plan = plan_of(workbook([("Chi bộ thôn 3", "HTTNV", ""), ("Chi bộ Thôn 3", "HTNV", "")]))

    assert messages_of(plan) == ["Dòng 6 trùng với dòng 5: cùng đơn vị «Chi bộ thôn 3»."]
    assert tree["T3"] in plan.unresolved[0].candidates  # a wrong pick can be picked again


def test_a_code_column_is_used_when_present(tree):
    data = workbook([("T4", "Chi bộ thôn 3 (tên cũ)", "HTTNV", "HTNV")], header=("STT", "Mã đơn vị", "Tên đơn vị", "2021", "2022"))

    plan = plan_of(data)

    assert plan.errors == [] and {row.unit.code for row in plan.rows} == {"T4"}


def test_a_code_of_a_unit_outside_the_scope_is_an_error(tree):
    data = workbook([("OTHER", "Bình Phước", "HTTNV", "")], header=("STT", "Mã", "Tên", "2021", "2022"))

    assert messages_of(plan_of(data)) == ["Dòng 5: đơn vị mã «OTHER» không thuộc Đảng bộ tỉnh Bình Dương."]


# Levels


EVERY_SPELLING = [(code, spelling) for code, spelt in spellings.LEVEL_SPELLINGS.items() for spelling in spelt]


@pytest.mark.parametrize("code, spelling", EVERY_SPELLING, ids=[s for _c, s in EVERY_SPELLING])
def test_every_level_spelling_is_read_in_any_case_spacing_and_diacritics(code, spelling):
    assert spellings.read_level(spelling) == code
    assert spellings.read_level(spelling.upper()) == code
    assert spellings.read_level(f"  {spelling.lower()}  ") == code
    assert spellings.read_level(spelling.replace(" ", "  ").replace(",", "")) == code
    assert spellings.read_level(spellings.fold(spelling)) == code  # no diacritics, no spaces


@pytest.mark.parametrize("blank", spellings.NO_RATING)
def test_blank_dash_and_x_are_no_rating(blank):
    assert spellings.read_level(blank) is None


@pytest.mark.parametrize("text", ["Tốt", "Loại 1", "12", "Hoàn thành"])
def test_anything_else_is_unreadable(text):
    with pytest.raises(spellings.UnreadableLevel):
        spellings.read_level(text)


@pytest.mark.parametrize("header, year", [
    ("2019", 2019), ("Năm 2019", 2019), ("XL 2019", 2019), ("Xếp loại 2019", 2019), ("2019 (*)", 2019),
    ("Năm\n2019", 2019), ("KQ xếp loại năm 2020", 2020), ("Ghi chú 2019", None), ("2016-2025", None), ("STT", None),
])
def test_year_headers_are_read_as_people_write_them(header, year):
    assert spellings.year_of_header(header) == year


def test_a_level_outside_the_years_scale_is_an_error_naming_row_and_year(tree):
    plan = plan_of(workbook([("Chi bộ thôn 3", "HTTNV", "TSVM")]))

    assert messages_of(plan) == [
        "Dòng 5, năm 2022: mức «TSVM» không thuộc thang xếp loại năm 2022 theo Quy định 132-QĐ/TW "
        "(gồm: HTXSNV, HTTNV, HTNV, KHTNV)."
    ]


def test_both_scales_are_read_in_their_own_years(tree):
    data = workbook([("Chi bộ thôn 3", "TSVM", "Hoàn thành tốt NV", "HTXS NV")], header=("STT", "Chi bộ", "Năm 2017", "XL 2018", 2019))

    plan = plan_of(data)

    assert {(row.year, row.level.id) for row in plan.rows} == {(2017, "hd27:TSVM"), (2018, "qd132:HTTNV"), (2019, "qd132:HTXSNV")}


def test_an_unreadable_cell_is_an_error_naming_row_and_column(tree):
    plan = plan_of(workbook([("Chi bộ thôn 3", "HTTNV", ""), ("Chi bộ thôn 4", "", "Khá")], header=("STT", "Đơn vị", "XL 2021", "XL 2022")))

    assert messages_of(plan) == ["Dòng 6, cột «XL 2022»: không đọc được mức «Khá»."]


# The sheet


def test_a_sheet_with_title_rows_merged_cells_and_a_two_row_header_is_read(tree):
    book = openpyxl.Workbook()
    sheet = book.active
    sheet["A1"] = "BAN TỔ CHỨC TỈNH ỦY"
    sheet.merge_cells("A1:E1")
    sheet["A3"], sheet["B3"], sheet["C3"] = "STT", "Tổ chức đảng", "Kết quả xếp loại"
    sheet.merge_cells("C3:E3")
    sheet.append([None, None, 2020, 2021, "Năm 2022"])
    sheet.append([1, "Đảng bộ TP Thủ Dầu Một", "HTTNV", "HTXSNV", "HTNV"])
    buffer = io.BytesIO()
    book.save(buffer)

    plan = plan_of(buffer.getvalue())

    assert plan.errors == [] and plan.years == [2020, 2021, 2022]
    assert [(row.number, row.year, row.level.code) for row in plan.rows] == [(5, 2020, "HTTNV"), (5, 2021, "HTXSNV"), (5, 2022, "HTNV")]


def windows_1258(text):
    """Text as Vietnamese Windows writes it: letters it has precomposed, tones as combining marks."""
    tones = {"\u0300", "\u0301", "\u0303", "\u0309", "\u0323"}
    out = b""
    for char in text:
        try:
            out += char.encode("cp1258")
        except UnicodeEncodeError:
            parts = unicodedata.normalize("NFD", char)
            base = unicodedata.normalize("NFC", "".join(c for c in parts if c not in tones))
            out += (base + "".join(c for c in parts if c in tones)).encode("cp1258")
    return out


def test_a_csv_in_windows_1258_is_read(tree):
    text = "STT;Tên đơn vị;2021\r\n1;Chi bộ thôn 3;Hoàn thành tốt nhiệm vụ\r\n"

    plan = plan_history(file=windows_1258(text), scope="BD", name="lich-su.csv")

    assert [(row.unit.code, row.level.code) for row in plan.rows] == [("T3", "HTTNV")]


def test_a_sheet_without_year_columns_is_refused_with_a_message(tree):
    with pytest.raises(HistoryRefused, match="Không tìm thấy dòng tiêu đề.*«Tên đơn vị».*«Năm 2019»"):
        plan_of(workbook([("Chi bộ thôn 3", "HTTNV")], header=("STT", "Tên đơn vị", "Ghi chú")))


# Saving


def test_importing_the_same_file_again_changes_nothing(tree):
    data = workbook([("Đảng ủy TP Thủ Dầu Một", "HTTNV", "HTXSNV"), ("Chi bộ thôn 3", "HTNV", "KHTNV")])
    report = apply_excel_ratings(plan=plan_of(data))
    assert (report.created, report.updated) == (4, 0)
    before = Rating.history.count()

    again = plan_of(data)

    assert again.counts == {"new": 0, "changed": 0, "unchanged": 4, "error": 0}
    report = apply_excel_ratings(plan=again)
    assert (report.created, report.updated, report.unchanged) == (0, 0, 4)
    assert Rating.history.count() == before


def test_a_stored_different_rating_is_kept_unless_the_user_chooses_to_replace_it(tree, rate):
    rating = rate(tree["T3"], 2021, "HTNV", votes_for=9, votes_present=10, note="Quyết định 12")
    data = workbook([("Chi bộ thôn 3", "HTTNV", "HTTNV")])

    plan = plan_of(data)

    assert plan.counts == {"new": 1, "changed": 0, "unchanged": 0, "error": 0, "kept": 1}
    assert [(row.old_level.code, row.level.code) for row in plan.differing] == [("HTNV", "HTTNV")]
    apply_excel_ratings(plan=plan)
    assert stored() == {("T3", 2021): "HTNV", ("T3", 2022): "HTTNV"}

    apply_excel_ratings(plan=plan_of(data, replace={plan.differing[0].key}))

    rating.refresh_from_db()
    assert (rating.level.code, rating.votes_for, rating.votes_present, rating.note) == ("HTTNV", 9, 10, "Quyết định 12")


def test_another_stage_is_saved_apart_from_the_decision(tree, rate):
    rate(tree["T3"], 2021, "HTNV")

    apply_excel_ratings(plan=plan_of(workbook([("Chi bộ thôn 3", "HTTNV", "")]), stage="self"))

    assert {(r.stage, r.level.code) for r in Rating.objects.all()} == {("approved", "HTNV"), ("self", "HTTNV")}


def editor_of(unit):
    user = User.objects.create_user("bientap", password="x-pass-12345", is_staff=True)
    user.groups.add(Group.objects.get(name="Biên tập viên"))
    EditorScope.objects.create(user=user, unit=unit)
    return user


def test_an_editor_imports_inside_their_subtree_only(tree):
    user = editor_of(tree["DT"])
    data = workbook([("Chi bộ thôn 3", "HTTNV", "")])

    assert plan_of(data, scope="DT", user=user).errors == []
    with pytest.raises(HistoryRefused, match="ngoài phạm vi"):
        plan_of(data, scope="BD", user=user)


def test_names_are_only_matched_within_the_scope(tree):
    plan = plan_of(workbook([("Đảng ủy TP Thủ Dầu Một", "HTTNV", "")]), scope="DT")

    assert "không tìm thấy đơn vị «Đảng ủy TP Thủ Dầu Một» trong Đảng bộ huyện Dầu Tiếng" in messages_of(plan)[0]


# The admin pages


def test_the_rating_list_has_the_button(tree, admin_client):
    page = admin_client.get(reverse("admin:ratings_rating_changelist")).content.decode()

    assert "Nhập kết quả các năm trước" in page and IMPORT_URL in page


def preview(client, data, scope="BD", **fields):
    return client.post(IMPORT_URL, {"file": upload(data), "scope": scope, "stage": "approved", **fields})


def test_admin_preview_shows_counts_and_saves_nothing_until_confirmed(tree, rate, admin_client):
    rate(tree["T3"], 2021, "HTNV")
    response = preview(admin_client, workbook([("Chi bộ thôn 3", "HTTNV", "HTXSNV"), ("TX Bến Cát", "HTNV", "")]))

    page = response.content.decode()
    assert response.context["plan"].counts == {"new": 2, "changed": 0, "unchanged": 0, "error": 0, "kept": 1}
    assert "Hoàn thành nhiệm vụ → Hoàn thành tốt nhiệm vụ" in page
    assert Rating.objects.count() == 1

    response = admin_client.post(IMPORT_URL, {"confirm": "1", "token": response.context["token"]}, follow=True)

    assert "2 mới, 0 thay đổi, 1 giữ như đã lưu, 0 không đổi" in response.content.decode()
    assert stored() == {("T3", 2021): "HTNV", ("T3", 2022): "HTXSNV", ("BC", 2021): "HTNV"}


def test_admin_confirm_replaces_the_ticked_stored_ratings_only(tree, rate, admin_client):
    rate(tree["T3"], 2021, "HTNV")
    rate(tree["BC"], 2021, "HTNV")
    response = preview(admin_client, workbook([("Chi bộ thôn 3", "HTTNV", ""), ("TX Bến Cát", "HTTNV", "")]))
    ticked = next(row.key for row in response.context["plan"].differing if row.unit.code == "T3")

    admin_client.post(IMPORT_URL, {"confirm": "1", "token": response.context["token"], "replace": [ticked]})

    assert stored() == {("T3", 2021): "HTTNV", ("BC", 2021): "HTNV"}


def test_admin_preview_lets_the_user_pick_the_unit_of_an_unknown_name_then_confirm(tree, admin_client):
    response = preview(admin_client, workbook([("Chi bộ thôn 9", "HTTNV", ""), ("TX Bến Cát", "HTNV", "")]))
    page = response.content.decode()
    assert "Dòng 5: không tìm thấy đơn vị «Chi bộ thôn 9»" in page and 'name="pick-5"' in page
    assert "Xác nhận và lưu" not in page

    response = admin_client.post(IMPORT_URL, {"repick": "1", "token": response.context["token"], "pick-5": tree["T4"].pk})

    assert response.context["plan"].errors == []
    admin_client.post(IMPORT_URL, {"confirm": "1", "token": response.context["token"]})
    assert stored() == {("T4", 2021): "HTTNV", ("BC", 2021): "HTNV"}


def test_admin_preview_of_a_scope_outside_the_editors_subtree_is_refused(tree, client):
    client.force_login(editor_of(tree["DT"]))

    response = preview(client, workbook([("Đảng ủy TP Thủ Dầu Một", "HTTNV", "")]), scope="BD")

    assert "ngoài phạm vi được giao" in response.content.decode() and "token" not in response.context
    assert not Rating.objects.exists()


def test_a_token_of_another_user_saves_nothing(tree, admin_client):
    someone = User.objects.create_user("someone")
    data = workbook([("Chi bộ thôn 3", "HTTNV", "")])
    token = uploads.keep_upload(user=someone, data=data, meta={"name": "a.xlsx", "scope": "BD", "stage": "approved", "picks": {}, "seen": {}})

    admin_client.post(IMPORT_URL, {"confirm": "1", "token": token})
    admin_client.post(IMPORT_URL, {"repick": "1", "token": token})

    assert not Rating.objects.exists()


def test_a_rating_saved_by_someone_else_after_the_preview_refuses_the_confirmation(tree, rate, admin_client):
    response = preview(admin_client, workbook([("Chi bộ thôn 3", "HTTNV", "")]))
    rate(tree["T3"], 2021, "HTNV")

    page = admin_client.post(IMPORT_URL, {"confirm": "1", "token": response.context["token"]}, follow=True).content.decode()

    assert "đã có người sửa" in page and stored() == {("T3", 2021): "HTNV"}


# The command


def test_command_imports_and_a_dry_run_saves_nothing(tree, tmp_path):
    path = tmp_path / "lich-su.xlsx"
    path.write_bytes(workbook([("Chi bộ thôn 3", "HTTNV", "HTXSNV")]))
    out = io.StringIO()

    call_command("import_history", str(path), "--scope", "BD", "--dry-run", stdout=out)
    assert "2 mới" in out.getvalue() and not Rating.objects.exists()

    call_command("import_history", str(path), "--scope", "BD", stdout=out)
    assert stored() == {("T3", 2021): "HTTNV", ("T3", 2022): "HTXSNV"}


def test_command_with_errors_says_them_and_saves_nothing(tree, tmp_path):
    path = tmp_path / "lich-su.xlsx"
    path.write_bytes(workbook([("Chi bộ thôn 9", "HTTNV", ""), ("Chi bộ thôn 3", "HTTNV", "")]))
    err = io.StringIO()

    with pytest.raises(CommandError, match="1 lỗi"):
        call_command("import_history", str(path), "--scope", "BD", stderr=err)
    assert "Dòng 5" in err.getvalue() and not Rating.objects.exists()

    call_command("import_history", str(path), "--scope", "BD", "--pick", "5=T4", stdout=io.StringIO())
    assert stored() == {("T4", 2021): "HTTNV", ("T3", 2021): "HTTNV"}


# Size


def test_the_generated_department_sheet_imports_without_errors_in_time(scales):
    data, setup = sample_history_table(units=300, years=10)
    scope = setup()
    started = time.perf_counter()

    plan = plan_history(file=data, scope=scope, name="lich-su.xlsx")
    report = apply_excel_ratings(plan=plan)

    assert plan.errors == [] and plan.years == list(range(2016, 2026))
    assert report.created > 2800 and time.perf_counter() - started < 10
    assert {r.level.regime_id for r in Rating.objects.filter(year=2017).select_related("level")} == {"hd27"}


def test_the_confirmation_warns_of_a_quota_broken_in_an_imported_year(tree, admin_client):
    """124-QĐ/TW Điều 12 applies to 2023: three HTXSNV against one HTTNV among the province's committees."""
    data = workbook(
        [("TP Thủ Dầu Một", "HTXSNV"), ("TX Bến Cát", "HTXSNV"), ("Huyện Dầu Tiếng", "HTXSNV"), ("Tỉnh Bình Dương", "HTTNV")],
        header=("STT", "Đơn vị", "2023"),
    )
    response = preview(admin_client, data)

    response = admin_client.post(IMPORT_URL, {"confirm": "1", "token": response.context["token"]}, follow=True)

    warnings = [str(m) for m in response.context["messages"] if m.level_tag == "warning"]
    assert len(warnings) == 1 and "Đảng bộ tỉnh Bình Dương" in warnings[0]


def test_the_plan_asks_the_database_the_same_number_of_times_for_few_rows_and_many(tree, make_unit):
    def queries(count):
        names = [make_unit(f"X{count}-{i}", parent=tree["DT"], name=f"Chi bộ ấp {count}-{i}").name for i in range(count)]
        data = workbook([(name, "HTTNV", "HTNV") for name in names])
        with CaptureQueriesContext(connection) as captured:
            plan_of(data)
        return len(captured)

    assert queries(2) == queries(40)
