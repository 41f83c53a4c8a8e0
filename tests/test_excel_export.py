"""The report workbook read back as a user (and LibreOffice) would."""
import math
import shutil
import subprocess

import openpyxl
import pytest
from django.core.management import call_command
from django.urls import reverse

from openpyxl.utils import column_index_from_string, get_column_letter

from ratings import aggregates
from ratings.models import Rating, Source, UnitKind
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


def detail_rows(sheet):
    """{unit code: {header label: value}} of the Chi tiết sheet."""
    header = [cell.value for cell in sheet[1]]
    return {row[1]: dict(zip(header, row)) for row in sheet.iter_rows(min_row=2, values_only=True)}


def test_detail_lists_every_rating_with_last_years_level(report):
    sheet = workbook_of(report)["Chi tiết"]
    by_code = detail_rows(sheet)
    assert len(by_code) == Rating.objects.filter(year=2024).count()
    assert by_code["D0"]["Năm"] == 2024 and by_code["D0"]["Mức xếp loại"] == "HTXSNV"
    assert by_code["D0"]["Năm trước"] == "HTTNV" and by_code["D0"]["Thay đổi"] == "tăng"
    assert by_code["G1"]["Năm trước"] is None and by_code["G1"]["Thay đổi"] == "mới"
    assert sheet.freeze_panes == "A2" and sheet.auto_filter.ref.startswith("A1:P")  # through the last column
    assert sheet.conditional_formatting


def test_print_setup_is_a4_landscape_fit_to_width_with_repeated_headers(report):
    for sheet in workbook_of(report):
        assert sheet.page_setup.orientation == "landscape"
        assert str(sheet.page_setup.paperSize) == "9"
        assert sheet.page_setup.fitToWidth == 1 and sheet.sheet_properties.pageSetUpPr.fitToPage
        assert sheet.page_setup.fitToHeight == 0  # as many pages long as it takes
        assert sheet.page_margins.left <= 0.5 and sheet.page_margins.right <= 0.5
        assert sheet.print_title_rows


def test_header_row_is_repeated_on_every_printed_page(report):
    book = workbook_of(report)
    header_rows = {"Tổng hợp": "8:8", "Chi tiết": "1:1", "So sánh": "2:2", "Kiểm tra tỷ lệ": "1:1", "Số liệu báo cáo": "1:1", "Nguồn": "1:1"}
    for name, rows in header_rows.items():
        assert book[name].print_title_rows.replace("$", "") == rows
        first = int(rows.split(":")[0])
        assert all(cell.font.b for cell in book[name][first] if cell.value)


PAGE_WIDTH_INCHES = 11.69  # A4 landscape


def printed_columns(sheet):
    """The letters of the columns that go on paper: the print area's, or every column used."""
    if sheet.print_area:
        last = sheet.print_area.split(":")[-1].lstrip("$").rstrip("0123456789$")
    else:
        last = get_column_letter(sheet.max_column)
    return [get_column_letter(i) for i in range(1, column_index_from_string(last) + 1)]


def fit_to_width_scale(sheet):
    """The scale Excel prints at to fit the columns to the page width: each column is 7 px a character + 5 px."""
    points = sum((7 * (sheet.column_dimensions[c].width or 8.43) + 5) * 0.75 for c in printed_columns(sheet))
    printable = (PAGE_WIDTH_INCHES - sheet.page_margins.left - sheet.page_margins.right) * 72
    return min(1.0, printable / points)


# LibreOffice without Calibri (or its metric twin Carlito) draws each column about 15% wider than
# Excel and shrinks the page further to fit: measured on its PDF of a 5,000-unit report.
WIDEST_COLUMNS = 1.15


def test_every_sheet_prints_at_8_points_or_more(report):
    for sheet in workbook_of(report):
        scale = fit_to_width_scale(sheet) / WIDEST_COLUMNS
        letters = set(printed_columns(sheet))
        sizes = [
            (cell.font.sz or 11) * scale
            for row in sheet.iter_rows() for cell in row
            if cell.value is not None and cell.column_letter in letters
        ]
        assert min(sizes) >= 8, sheet.title


def test_detail_prints_the_columns_a_reader_needs_and_keeps_the_rest_for_the_upload(report):
    sheet = workbook_of(report)["Chi tiết"]
    header = {cell.value: cell.column_letter for cell in sheet[1]}
    printed = set(printed_columns(sheet))
    for label in ("STT", "Mã đơn vị", "Tên đơn vị", "Cấp trên", "Mức xếp loại", "Điểm",
                  "Số phiếu đồng ý", "Số người có mặt", "Năm trước", "Thay đổi", "Quyết định"):
        assert header[label] in printed, label
    # the name says the kind, the year and stage are one value a report, the sources are listed on Nguồn
    for label in ("Loại đơn vị", "Năm", "Bước", "Tỉnh, thành phố", "Nguồn"):
        assert header[label] not in printed, label


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
    rows = detail_rows(workbook_of(path)["Chi tiết"]).values()
    assert len(rows) == 8 and {row["Loại đơn vị"] for row in rows} == {"Tổ chức cơ sở đảng"}


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


def lines_needed(text, width):
    """The fewest lines text can take in a column: a unit of width holds at most 1.2 characters of
    Vietnamese text in the widest font the report meets (DejaVu Sans, LibreOffice's stand-in for Calibri)."""
    return math.ceil(len(text) / (1.2 * width))


LONG_NAME = "Chi bộ Trung tâm Phát triển quỹ đất và Dịch vụ nông nghiệp, khuyến nông liên xã Phú Hòa Tân Long"


@pytest.fixture
def long_names(rate, make_unit):
    province = make_unit("P", name="Đảng bộ tỉnh Mẫu")
    parent = make_unit("D", parent=province, name="Đảng ủy Khối các cơ quan và doanh nghiệp tỉnh Mẫu Sơn Thượng")
    rate(make_unit("LONG", parent=parent, kind=UnitKind.CELL, name=LONG_NAME), 2024, "HTTNV")
    rate(make_unit("SHORT", parent=province, name="Đảng ủy xã An"), 2024, "HTTNV")
    return province


def test_long_names_wrap_and_their_rows_grow_to_show_every_line(tmp_path, long_names):
    path = tmp_path / "r.xlsx"
    build_report(path, year=2024, scope=long_names)
    sheet = workbook_of(path)["Chi tiết"]
    rows = {row[1].value: row for row in sheet.iter_rows(min_row=2)}
    long_row, short_row = rows["LONG"], rows["SHORT"]
    name, parent = long_row[2], long_row[3]
    assert name.value == LONG_NAME and name.alignment.wrap_text
    assert parent.alignment.wrap_text
    assert sheet.row_dimensions[name.row].height >= 15 * lines_needed(LONG_NAME, sheet.column_dimensions["C"].width)
    assert (sheet.row_dimensions[short_row[0].row].height or 15) == 15


def test_sources_quotes_wrap_in_rows_tall_enough_not_to_overlap(tmp_path, rate, make_unit):
    province = make_unit("P", name="Đảng bộ tỉnh Mẫu")
    source = Source.objects.create(title="Hội nghị Ban Chấp hành Đảng bộ tỉnh lần thứ 20 tổng kết công tác năm 2024", url="https://example.vn/tin/" + "a" * 60)
    quote = "Ban Thường vụ Tỉnh ủy xếp loại Đảng bộ tỉnh hoàn thành tốt nhiệm vụ; " * 6
    rate(province, 2024, "HTTNV", source=source, evidence=quote)
    path = tmp_path / "r.xlsx"
    build_report(path, year=2024, scope=province)
    sheet = workbook_of(path)["Nguồn"]
    row = next(r for r in sheet.iter_rows(min_row=2) if r[3].value)
    assert row[3].alignment.wrap_text and row[0].alignment.wrap_text
    assert sheet.row_dimensions[row[3].row].height >= 15 * lines_needed(quote, sheet.column_dimensions["D"].width)


def test_quota_limit_and_result_stand_in_separate_cells_apart_on_paper(report):
    sheet = workbook_of(report)["Kiểm tra tỷ lệ"]
    header = [cell.value for cell in sheet[1]]
    limit, result = header.index("Tối đa"), header.index("Kết quả")
    assert result == limit + 1
    row = next(r for r in sheet.iter_rows(min_row=2) if r[0].value == "Đảng bộ tỉnh Mẫu")
    assert row[limit].value.startswith("=ROUNDDOWN(") and row[result].value.startswith("=IF(")
    assert row[result].alignment.horizontal == "center"  # the verdict does not touch the number on its left
    assert sheet.print_options.gridLines  # and a line runs between them on paper
    assert sheet.column_dimensions[get_column_letter(result + 1)].width >= len("Vượt tỷ lệ")


@pytest.fixture
def committees(rate, make_unit):
    """A province with six committees, each with fifteen cells under it: 97 rows, a few pages."""
    province = make_unit("P", name="Đảng bộ tỉnh Mẫu")
    rate(province, 2024, "HTTNV")
    for i in range(6):
        committee = make_unit(f"D{i}", parent=province, name=f"Đảng ủy xã {i}")
        rate(committee, 2024, "HTTNV")
        for j in range(15):
            rate(make_unit(f"D{i}C{j:02}", parent=committee, kind=UnitKind.CELL, name=f"Chi bộ thôn {j}"), 2024, "HTTNV")
    return province


def test_detail_pages_break_between_parent_units_and_group_small_ones(tmp_path, committees):
    path = tmp_path / "r.xlsx"
    build_report(path, year=2024, scope=committees)
    sheet = workbook_of(path)["Chi tiết"]
    breaks = [brk.id for brk in sheet.row_breaks.brk]
    assert breaks, "a report of several pages breaks between parent units"
    assert len(breaks) < 5, "small parents share a page"
    for zero_based in breaks:
        first_on_page = sheet.cell(row=zero_based + 1, column=2).value
        assert first_on_page in {f"D{i}" for i in range(6)}, first_on_page  # a committee opens the page, its cells follow
