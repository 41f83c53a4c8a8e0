"""The report workbook read back as a user (and LibreOffice) would."""
import shutil
import subprocess

import openpyxl
import pytest
from django.core.management import call_command
from django.urls import reverse

from ratings import aggregates
from ratings.models import Rating, UnitKind
from ratings.reports.export import build_report

SOFFICE = shutil.which("soffice") or shutil.which("libreoffice")


@pytest.fixture
def province_year(rate, make_unit):
    """A province with committees and grassroots organizations rated in 2023 and 2024."""
    province = make_unit("P", name="Đảng bộ tỉnh Mẫu", place="Mẫu")
    levels = ["HTXSNV", "HTTNV", "HTTNV", "HTTNV", "HTTNV", "HTNV", "HTXSNV", "KHTNV"]
    for i, code in enumerate(levels):
        district = make_unit(f"D{i}", parent=province, name=f"Đảng ủy xã {i}")
        rate(district, 2024, code)
        rate(district, 2023, "HTTNV")
        grassroots = make_unit(f"G{i}", parent=district, kind=UnitKind.GRASSROOTS, name=f"Đảng bộ cơ sở {i}")
        rate(grassroots, 2024, "HTTNV" if i % 3 else "HTNV")
    return province


def workbook_of(path):
    return openpyxl.load_workbook(path)


@pytest.fixture
def report(tmp_path, province_year):
    path = tmp_path / "bao-cao.xlsx"
    build_report(path, year=2024, scope=province_year)
    return path


def summary_rows(sheet):
    """{kind label: {level code: count}} from the summary table under its header row."""
    header = [cell.value for cell in sheet[8]]
    rows = {}
    for row in sheet.iter_rows(min_row=9, values_only=True):
        if not row[0] or row[0] == "Cộng":
            break
        rows[row[0]] = {code: row[i] for i, code in enumerate(header) if code in ("HTXSNV", "HTTNV", "HTNV", "KHTNV")}
    return rows


def test_workbook_has_the_six_sheets_and_the_party_header(report):
    book = workbook_of(report)
    assert book.sheetnames == ["Tổng hợp", "Chi tiết", "So sánh", "Kiểm tra tỷ lệ", "Số liệu báo cáo", "Nguồn"]
    sheet = book["Tổng hợp"]
    values = [cell.value for row in sheet.iter_rows(max_row=6) for cell in row if cell.value]
    assert "BAN TỔ CHỨC TỈNH ỦY MẪU" in values and "ĐẢNG CỘNG SẢN VIỆT NAM" in values
    assert "BÁO CÁO KẾT QUẢ ĐÁNH GIÁ, XẾP LOẠI CHẤT LƯỢNG NĂM 2024" in values
    assert any(str(v).startswith("Mẫu, ngày ") for v in values)
    assert book.properties.creator == "Ban Tổ chức Tỉnh ủy Mẫu"
    assert "2024" in book.properties.title


def test_summary_counts_equal_the_database_aggregate(report, province_year):
    expected = {
        row.label: {level.code: count for level, count, _percent in row.cells}
        for row in aggregates.distribution_by_kind(year=2024, scope=province_year).rows
    }
    assert summary_rows(workbook_of(report)["Tổng hợp"]) == {str(k): v for k, v in expected.items()}


def test_totals_and_percentages_are_formulas(report):
    sheet = workbook_of(report)["Tổng hợp"]
    assert str(sheet["C9"].value).startswith("=IF(")
    assert sheet["C9"].number_format == "0.0%"
    assert str(sheet["J9"].value).startswith("=B9+D9")
    total_row = next(row for row in sheet.iter_rows(min_row=9) if row[0].value == "Cộng")
    assert str(total_row[1].value).startswith("=SUM(B9:B")
    assert sheet._charts or workbook_of(report)["Tổng hợp"]._charts


def test_detail_lists_every_rating_with_last_years_level(report):
    sheet = workbook_of(report)["Chi tiết"]
    rows = list(sheet.iter_rows(min_row=2, values_only=True))
    assert len(rows) == Rating.objects.filter(year=2024).count()
    by_code = {row[1]: row for row in rows}
    assert by_code["D0"][6] == 2024 and by_code["D0"][8] == "HTXSNV"
    assert by_code["D0"][12] == "HTTNV" and by_code["D0"][13] == "tăng"
    assert by_code["G1"][12] is None and by_code["G1"][13] == "mới"
    assert sheet.freeze_panes == "A2" and sheet.auto_filter.ref.startswith("A1:P")  # through the decision column
    assert sheet.conditional_formatting


def test_print_setup_is_a4_landscape_fit_to_width_with_repeated_headers(report):
    for sheet in workbook_of(report):
        assert sheet.page_setup.orientation == "landscape"
        assert str(sheet.page_setup.paperSize) == "9"
        assert sheet.page_setup.fitToWidth == 1 and sheet.sheet_properties.pageSetUpPr.fitToPage
        assert sheet.print_title_rows


def test_quota_sheet_flags_the_group_over_the_limit(report):
    sheet = workbook_of(report)["Kiểm tra tỷ lệ"]
    rows = list(sheet.iter_rows(min_row=2, values_only=True))
    district_group = next(row for row in rows if row[0] == "Đảng bộ tỉnh Mẫu")
    assert district_group[3:5] == (2, 4)
    assert district_group[6].startswith("=ROUNDDOWN(E") and district_group[7].startswith("=IF(D")


def test_formula_like_unit_name_stays_text(tmp_path, rate, make_unit):
    province = make_unit("P", name="Đảng bộ tỉnh Mẫu")
    for i, name in enumerate(['=HYPERLINK("http://x","y")', "+1", "-2", "@cmd"]):
        rate(make_unit(f"X{i}", parent=province, name=name), 2024, "HTTNV")
    path = tmp_path / "r.xlsx"
    build_report(path, year=2024, scope=province)
    cells = {row[2].value: row[2] for row in workbook_of(path)["Chi tiết"].iter_rows(min_row=2)}
    for name in ['=HYPERLINK("http://x","y")', "+1", "-2", "@cmd"]:
        assert cells[name].data_type == "s"


def test_command_writes_the_same_workbook(tmp_path, province_year):
    path = tmp_path / "lenh.xlsx"
    call_command("export_excel", "--year", "2024", "--scope", "P", "-o", str(path), stdout=None)
    assert summary_rows(workbook_of(path)["Tổng hợp"]) != {}
    assert workbook_of(path).sheetnames[0] == "Tổng hợp"


def test_dashboard_download_follows_the_page_filters(admin_client, province_year, tmp_path):
    response = admin_client.get(
        reverse("ratings:dashboard"), {"year": 2024, "province": province_year.pk, "kind": "to_chuc_co_so_dang", "_export": "xlsx"}
    )
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    path = tmp_path / "tai-ve.xlsx"
    path.write_bytes(b"".join(response.streaming_content))
    rows = list(workbook_of(path)["Chi tiết"].iter_rows(min_row=2, values_only=True))
    assert len(rows) == 8 and {row[3] for row in rows} == {"Tổ chức cơ sở đảng"}


@pytest.mark.skipif(SOFFICE is None, reason="LibreOffice is not installed (apt-get install libreoffice-calc-nogui)")
def test_libreoffice_recomputes_the_formulas_to_the_database_figures(report, tmp_path, province_year):
    out = tmp_path / "tinh-lai"
    subprocess.run(
        [SOFFICE, "--headless", f"-env:UserInstallation=file://{tmp_path}/lo", "--convert-to", "xlsx", "--outdir", str(out), str(report)],
        check=True, capture_output=True, timeout=180,
    )
    sheet = openpyxl.load_workbook(out / report.name, data_only=True)["Tổng hợp"]
    total = aggregates.distribution(year=2024, scope=province_year)
    row = next(r for r in sheet.iter_rows(min_row=9, values_only=True) if r[0] == "Cộng")
    assert row[-1] == total.total
    computed = {level.code: (row[1 + 2 * i], row[2 + 2 * i]) for i, level in enumerate(total.levels)}
    for level, count, percent in total.cells:
        assert computed[level.code][0] == count
        assert computed[level.code][1] == pytest.approx(percent / 100)
    quota = openpyxl.load_workbook(out / report.name, data_only=True)["Kiểm tra tỷ lệ"]
    district_group = next(r for r in quota.iter_rows(min_row=2, values_only=True) if r[0] == "Đảng bộ tỉnh Mẫu")
    assert district_group[6] == 0 and district_group[7] == "Vượt tỷ lệ"


def downloaded(response, tmp_path):
    path = tmp_path / "tai-ve.xlsx"
    path.write_bytes(b"".join(response.streaming_content))
    return workbook_of(path)


def test_units_across_years_download_adds_its_table_with_the_merged_unit(admin_client, rate, make_unit, tmp_path):
    province = make_unit("P", name="Đảng bộ tỉnh Mẫu")
    new = make_unit("NEW", parent=province, name="Đảng ủy xã Hợp Nhất", valid_from=2024)
    rate(make_unit("OLD", parent=province, name="Huyện ủy Cũ", valid_to=2023, successor=new), 2023, "HTTNV")
    rate(new, 2024, "HTXSNV")
    book = downloaded(admin_client.get(reverse("ratings:compare_units"), {"year": 2024, "_export": "xlsx"}), tmp_path)
    rows = list(book["Đơn vị qua các năm"].iter_rows(min_row=2, values_only=True))
    assert ("OLD", "Huyện ủy Cũ", "NEW", "HTTNV", None) in rows
    assert ("NEW", "Đảng ủy xã Hợp Nhất", None, None, "HTXSNV") in rows


def test_province_comparison_download_adds_its_table(admin_client, reference_data, tmp_path):
    book = downloaded(admin_client.get(reverse("ratings:compare_provinces"), {"year": 2023, "_export": "xlsx"}), tmp_path)
    rows = {row[0]: row for row in book["So sánh tỉnh"].iter_rows(min_row=2, values_only=True)}
    assert rows["Đảng bộ tỉnh Bình Phước"][3] == "HTTNV"
    assert rows["Đảng bộ tỉnh Bình Phước"][4] == "48/49 HTTNV; 1/49 HTXSNV"


def test_round_trip_export_the_detail_import_it_back_nothing_changes(report, province_year):
    from ratings import services

    Rating.objects.filter(unit__code="D1", year=2024).update(note="Giữ nguyên ghi chú", votes_for=30, votes_present=31)
    before = sorted(Rating.objects.values_list("unit__code", "year", "stage", "level_id", "votes_for", "votes_present", "note"))
    path = report.with_name("lai.xlsx")
    build_report(path, year=2024, scope=province_year)
    with open(path, "rb") as handle:
        plan = services.plan_excel_ratings(file=handle)
    assert not plan.errors
    assert {row.status for row in plan.rows} == {"unchanged"}
    services.apply_excel_ratings(plan=plan)
    after = sorted(Rating.objects.values_list("unit__code", "year", "stage", "level_id", "votes_for", "votes_present", "note"))
    assert after == before
