"""The guarded spreadsheet reader: hostile uploads refused fast and small, honest ones read whole.

Each hostile file is a sample of ratings/sample_sheets.py, the one the benchmark
measures, read in a child process with a memory and CPU ceiling, which reports
its peak RSS; the test asserts the Vietnamese refusal a user would see, under
400 MB and 10 s of wall time.
"""
import io
import json
import os
import resource
import subprocess
import sys
import time
from datetime import datetime

import openpyxl
import pytest
from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from ratings import sheets
from ratings.models import Rating, Unit, UnitKind
from ratings.reports.template import build_template
from ratings.sample_sheets import LAUGHS, SAMPLES, row, shared_strings, workbook, worksheet

MAX_RSS_MB, MAX_SECONDS = 400, 10
GB = 1024**3

CHILD = """
import json, sys, time
import django
django.setup()
from ratings import sheets

limits = sheets.Limits(**json.loads(sys.argv[2]))
started = time.perf_counter()
try:
    with sheets.open_workbook(sys.argv[1], limits=limits) as book:
        count = sum(1 for index in range(len(book.sheet_names)) for _row in book.rows(index))
    outcome = f"read {count} rows"
except sheets.SheetRefused as refusal:
    outcome = f"refused: {refusal}"
with open("/proc/self/status") as status:  # VmHWM: ru_maxrss would count the parent's peak before exec too
    rss = next(int(line.split()[1]) for line in status if line.startswith("VmHWM:")) / 1024
print(json.dumps({"outcome": outcome, "seconds": time.perf_counter() - started, "rss_mb": rss}))
"""


def confined():
    """In the child: a ceiling far above the target, so a regression fails the test instead of the machine."""
    resource.setrlimit(resource.RLIMIT_AS, (GB, GB))
    resource.setrlimit(resource.RLIMIT_CPU, (30, 30))


def read_in_child(path, *, reading_within=MAX_SECONDS, **limits):
    """What a user would be told about `path`, checked to have cost under 400 MB of RSS and 10 s."""
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "config.settings"}
    started = time.perf_counter()
    done = subprocess.run(
        [sys.executable, "-c", CHILD, str(path), json.dumps(limits)],
        cwd=settings.BASE_DIR, env=env, preexec_fn=confined, capture_output=True, text=True, timeout=60,
    )
    wall = time.perf_counter() - started
    assert done.returncode == 0, done.stderr[-3000:]
    report = json.loads(done.stdout.strip().splitlines()[-1])
    assert report["rss_mb"] < MAX_RSS_MB, report
    assert wall < MAX_SECONDS and report["seconds"] < reading_within, (wall, report)
    return report["outcome"]


def read_sample(name, tmp_path, **reading):
    """What a user would be told about the sample `name`, read in a child under the sample's limits."""
    sample = SAMPLES[name]
    return read_in_child(sample.build(tmp_path / "tep.xlsx"), **reading, **sample.limits)


# Hostile files


def test_a_shared_strings_bomb_is_refused_before_it_is_inflated(tmp_path):
    path = SAMPLES["a shared string of 300 MB"].build(tmp_path / "bom.xlsx")
    assert path.stat().st_size < 1024**2

    outcome = read_in_child(path)

    assert "Phần «xl/sharedStrings.xml» trong tệp .xlsx nén với tỷ lệ" in outcome
    assert "vượt giới hạn 100:1" in outcome


def test_a_string_longer_than_excel_allows_is_refused(tmp_path):
    outcome = read_sample("a shared string of 40,000 characters", tmp_path)

    assert outcome == "refused: Có ô chứa chuỗi dài hơn 32767 ký tự, giới hạn của chính Excel."


def test_an_inline_string_longer_than_excel_allows_is_refused(tmp_path):
    assert "chuỗi dài hơn 32767 ký tự" in read_sample("an inline string of 40,000 characters", tmp_path)


def test_shared_strings_past_their_cap_are_refused_unread(tmp_path):
    outcome = read_sample("600,000 shared strings (21 MB)", tmp_path)

    assert outcome == "refused: Phần «xl/sharedStrings.xml» trong tệp .xlsx, khi giải nén, lớn hơn giới hạn 16 MB."


def test_a_cell_in_the_last_row_of_a_sheet_declaring_every_cell_is_refused_at_once(tmp_path):
    outcome = read_sample("dimension A1:XFD1048576, a cell in row 1048576", tmp_path, reading_within=1)

    assert outcome == (
        "refused: Trang «Dữ liệu» có dữ liệu ở dòng 1048576, vượt giới hạn 100000 dòng; hãy chia thành nhiều tệp."
    )


def test_a_value_in_column_xfd_is_refused_naming_the_limit(tmp_path):
    outcome = read_sample("a value in column XFD", tmp_path)

    assert outcome == "refused: Trang «Dữ liệu» có dữ liệu ở ô XFD2, vượt giới hạn 100 cột."


def test_empty_cells_far_away_cost_nothing(tmp_path):
    assert read_sample("50,000 rows, each with a formatted cell in XFD", tmp_path) == "read 50000 rows"


def test_a_part_with_an_absurd_compression_ratio_is_refused_even_unread(tmp_path):
    outcome = read_sample("a 50 MB part of zeros (ratio 1000:1)", tmp_path)

    assert "Phần «xl/media/image1.png» trong tệp .xlsx nén với tỷ lệ" in outcome
    assert "(dấu hiệu của «bom nén»)" in outcome


def test_a_zip_of_too_many_parts_is_refused(tmp_path):
    outcome = read_sample("20,000 parts", tmp_path)

    assert outcome == "refused: Tệp .xlsx gồm 20004 phần, nhiều hơn giới hạn 200 phần."


def test_a_part_whose_declared_size_lies_is_refused_without_inflating_the_truth(tmp_path):
    outcome = read_sample("declared sizes lie (200 MB declared 1 KB)", tmp_path)

    assert outcome.startswith("refused: Phần «xl/sharedStrings.xml» trong tệp .xlsx bị hỏng (kích thước hoặc mã kiểm tra")


@pytest.mark.parametrize("name", ["billion laughs in the sheet", "billion laughs in the shared strings"])
def test_an_xml_entity_bomb_is_refused(tmp_path, name):
    outcome = read_sample(name, tmp_path)

    assert outcome == (
        "refused: Tệp .xlsx chứa khai báo thực thể XML (DTD/entity), có thể là tệp độc hại; tệp không được đọc."
    )


def test_openpyxl_itself_never_expands_an_entity():
    """openpyxl parses its own small parts with defusedxml, or, where lxml is installed (the article
    fetcher brings it), with lxml told not to resolve entities: either way nothing expands."""
    from defusedxml import EntitiesForbidden
    from lxml.etree import XMLSyntaxError
    from openpyxl.xml.functions import fromstring

    assert openpyxl.DEFUSEDXML
    try:
        root = fromstring(f"{LAUGHS}<x>&lol9;</x>")
    except (EntitiesForbidden, XMLSyntaxError):
        return
    assert "lol" not in "".join(root.itertext())


def test_a_part_in_utf16_is_refused(tmp_path):
    outcome = read_sample("a sheet in UTF-16", tmp_path)

    assert "Phần «xl/worksheets/sheet1.xml» trong tệp .xlsx không viết bằng bảng mã UTF-8" in outcome


BROKEN = {
    "not a zip (CSV bytes)": "Tệp không phải bảng tính Excel .xlsx.",
    "a zip cut in half": "Tệp .xlsx bị hỏng hoặc chưa tải lên hết. Hãy mở bằng Excel, lưu lại rồi tải lên lại.",
    "a zip of something else (a Word document)": "Tệp không phải bảng tính Excel .xlsx.",
    "OLE signature (.xls, password-protected .xlsx)": (
        "Tệp là bảng tính Excel cũ (.xls) hoặc được đặt mật khẩu, nên không đọc được. "
        "Hãy mở bằng Excel, bỏ mật khẩu nếu có, rồi lưu lại dưới dạng .xlsx."
    ),
}


@pytest.mark.parametrize("name, message", BROKEN.items(), ids=BROKEN.keys())
def test_a_file_that_is_no_readable_xlsx_is_refused_with_a_message(tmp_path, name, message):
    assert read_sample(name, tmp_path) == f"refused: {message}"


def test_a_million_tiny_rows_stop_at_the_row_cap(tmp_path):
    path = SAMPLES["1,000,000 tiny rows"].build(tmp_path / "trieu-dong.xlsx")
    assert path.stat().st_size < 5 * 1024**2

    outcome = read_in_child(path)

    assert outcome == (
        "refused: Trang «Dữ liệu» có dữ liệu ở dòng 100001, vượt giới hạn 100000 dòng; hãy chia thành nhiều tệp."
    )


def test_a_read_outlasting_its_time_budget_is_refused(tmp_path):
    outcome = read_sample("1,000,000 tiny rows, cap lifted, 0.5 s budget", tmp_path)

    assert outcome == "refused: Đọc tệp mất quá 0,5 giây nên đã dừng; hãy bỏ bớt dữ liệu thừa hoặc chia nhỏ tệp."


def test_one_row_bigger_than_the_window_is_refused(tmp_path):
    outcome = read_sample("one row of 2 MB", tmp_path)

    assert outcome == (
        "refused: Phần «xl/worksheets/sheet1.xml» trong tệp .xlsx có một dòng hoặc một phần tử lớn hơn 1 MB; "
        "tệp không được đọc."
    )


def test_two_hundred_thousand_cell_formats_are_read_fast(tmp_path):
    assert read_sample("200,000 cell formats", tmp_path) == "read 1 rows"  # openpyxl's own reader: ~14 s


@pytest.fixture
def twenty_thousand_units(make_unit):
    province = make_unit("P", name="Đảng bộ tỉnh Phú Thọ")
    Unit.objects.bulk_create(
        [
            Unit(code=f"P{n:05d}", name=f"Chi bộ thôn Đồng Xuân {n}", kind=UnitKind.SUBORDINATE, parent=province,
                 province=province, path=Unit.path_for(province.path, f"P{n:05d}"))
            for n in range(20_000)
        ],
        batch_size=2000,
    )
    return province


def test_the_template_of_twenty_thousand_units_is_read_whole_and_fast(tmp_path, scales, twenty_thousand_units):
    path = tmp_path / "mau.xlsx"
    build_template(year=2024, scope=twenty_thousand_units).save(path)

    assert read_in_child(path) == "read 20007 rows"  # title, header, 20,001 units; the hidden lists' 4 rows


# What the reader gives


def read(data, sheet=0, **limits):
    with sheets.open_workbook(data, limits=sheets.Limits(**limits)) as book:
        return list(book.rows(sheet))


def test_values_are_read_as_openpyxl_gives_them_with_empty_rows_left_out():
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.append(["Mã", "Ngày", "Đúng", "Công thức", "Số"])
    sheet.append(["A", datetime(2024, 5, 1), True, "=1+1", 2.5])
    sheet["A5"] = "cuối"
    buffer = io.BytesIO()
    book.save(buffer)

    rows = read(buffer.getvalue())

    assert rows == [
        (1, ("Mã", "Ngày", "Đúng", "Công thức", "Số")),
        (2, ("A", datetime(2024, 5, 1), True, None, 2.5)),  # a formula: its last value, none until Excel computes it
        (5, ("cuối",)),
    ]


def test_every_row_is_read_when_the_declared_dimension_is_smaller(tmp_path):
    path = SAMPLES["declared dimension A1:B2, 50 rows of data"].build(tmp_path / "nho.xlsx")

    rows = read(path)

    assert len(rows) == 50 and rows[-1] == (50, ("U50", 50))


def test_a_sheet_is_chosen_by_name_or_position_and_shared_strings_are_resolved(tmp_path):
    sheet = worksheet(['<row r="1"><c r="A1" t="s"><v>1</v></c><c r="C1" t="s"><v>0</v></c></row>'])
    path = workbook(tmp_path / "chuoi.xlsx", sheet=sheet, strings=shared_strings(["Năm", "Mã đơn vị"]))

    with sheets.open_workbook(path) as book:
        assert book.sheet_names == ["Dữ liệu"]
        assert list(book.rows("Dữ liệu")) == list(book.rows(0)) == [(1, ("Mã đơn vị", None, "Năm"))]


def test_an_upload_larger_than_the_limit_is_refused_unread():
    with pytest.raises(sheets.SheetRefused, match="Tệp lớn hơn 5 MB"):
        read(SimpleUploadedFile("lon.xlsx", b"PK\x03\x04" + b"0" * 5 * 1024**2))


def test_a_refusal_is_an_import_refusal_with_its_code():
    from ratings.services import ImportRefused

    with pytest.raises(ImportRefused) as refused:
        read(b"not a workbook")
    assert refused.value.code == "not_xlsx"


def test_a_hostile_upload_to_the_excel_import_shows_the_message_and_saves_nothing(admin_client, tmp_path, settings):
    settings.VAR_DIR = tmp_path
    rows = [row(1, "Mã đơn vị", "Năm", "Mức xếp loại"), row(1_048_576, "A", 2024, "HTTNV")]
    path = workbook(tmp_path / "xa.xlsx", sheet=worksheet(rows, dimension="A1:XFD1048576"))
    upload = SimpleUploadedFile("xa.xlsx", path.read_bytes())

    response = admin_client.post(reverse("admin:ratings_rating_excel_import"), {"file": upload})

    page = response.content.decode()
    assert "Trang «Dữ liệu» có dữ liệu ở dòng 1048576, vượt giới hạn 20020 dòng" in page
    assert "plan" not in response.context and not Rating.objects.exists()
    assert not (tmp_path / "uploads").exists()
