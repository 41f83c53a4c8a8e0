"""The guarded spreadsheet reader: hostile uploads refused fast and small, honest ones read whole.

Each hostile file is built here with zipfile (big parts streamed in, so a few
hundred MB of XML cost a few hundred KB on disk) and read in a child process
with a memory and CPU ceiling, which reports its peak RSS; the test asserts the
Vietnamese refusal a user would see, under 400 MB and 10 s of wall time.
"""
import io
import json
import os
import resource
import subprocess
import sys
import time
import zipfile
from datetime import datetime

import openpyxl
import pytest
from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from ratings import sheets
from ratings.models import Rating, Unit, UnitKind
from ratings.reports.template import build_template

MAIN = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
TYPES = "application/vnd.openxmlformats-officedocument.spreadsheetml"
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


# A minimal workbook, written part by part


def build(path, *, sheet, strings=None, styles=None, extra=(), level=9):
    """An .xlsx at `path` with one sheet «Dữ liệu». A part given as an iterable of chunks is streamed in."""
    overrides = {"/xl/workbook.xml": "sheet.main+xml", "/xl/worksheets/sheet1.xml": "worksheet+xml"}
    if strings is not None:
        overrides["/xl/sharedStrings.xml"] = "sharedStrings+xml"
    if styles is not None:
        overrides["/xl/styles.xml"] = "styles+xml"
    types = "".join(f'<Override PartName="{name}" ContentType="{TYPES}.{kind}"/>' for name, kind in overrides.items())
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED, compresslevel=level) as book:
        book.writestr(
            "[Content_Types].xml",
            f'<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">{types}</Types>',
        )
        book.writestr(
            "xl/workbook.xml",
            f'<workbook xmlns="{MAIN}" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships">'
            '<sheets><sheet name="Dữ liệu" sheetId="1" r:id="rId1"/></sheets></workbook>',
        )
        book.writestr(
            "xl/_rels/workbook.xml.rels",
            '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
            '<Relationship Id="rId1" Target="worksheets/sheet1.xml" '
            'Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet"/></Relationships>',
        )
        parts = {"xl/worksheets/sheet1.xml": sheet, "xl/sharedStrings.xml": strings, "xl/styles.xml": styles}
        for name, content in [*parts.items(), *dict(extra).items()]:
            if content is None:
                continue
            if isinstance(content, (str, bytes)):
                book.writestr(name, content)
                continue
            with book.open(name, "w", force_zip64=True) as part:
                for chunk in content:
                    part.write(chunk.encode() if isinstance(chunk, str) else chunk)
    return path


def worksheet(rows, *, dimension="A1", prologue=""):
    """A sheet's XML in chunks around `rows`, an iterable of <row> strings."""
    yield f'{prologue}<worksheet xmlns="{MAIN}"><dimension ref="{dimension}"/><sheetData>'
    batch = []
    for row in rows:
        batch.append(row)
        if len(batch) == 10_000:
            yield "".join(batch)
            batch = []
    yield "".join(batch)
    yield "</sheetData></worksheet>"


def row(number, *values, first_column=1):
    cells = []
    for column, value in enumerate(values, start=first_column):
        ref = f"{openpyxl.utils.get_column_letter(column)}{number}"
        if isinstance(value, str):
            cells.append(f'<c r="{ref}" t="inlineStr"><is><t>{value}</t></is></c>')
        elif value is not None:
            cells.append(f'<c r="{ref}"><v>{value}</v></c>')
    return f'<row r="{number}">{"".join(cells)}</row>'


def one_huge_string(megabytes):
    """Shared strings holding one string of `megabytes` MB of "a", a few hundred KB zipped."""
    yield f'<sst xmlns="{MAIN}"><si><t>'
    yield from (b"a" * 2**20 for _ in range(megabytes))
    yield "</t></si></sst>"


def shared(texts):
    yield f'<sst xmlns="{MAIN}">'
    yield from (f"<si><t>{text}</t></si>" for text in texts)
    yield "</sst>"


LAUGHS = (  # "billion laughs": lol9 expands to 10^9 "lol"s
    '<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol0 "lol">'
    + "".join(f'<!ENTITY lol{level} "{"&lol%d;" % (level - 1) * 10}">' for level in range(1, 10))
    + "]>"
)


def lie_about_size(path, name, size):
    """Declare `size` as the uncompressed size of part `name` in the zip's directory (what readers trust)."""
    data = bytearray(path.read_bytes())
    entry = data.find(b"PK\x01\x02")
    while data[entry + 46 : entry + 46 + len(name)] != name.encode():
        entry = data.find(b"PK\x01\x02", entry + 1)
    data[entry + 24 : entry + 28] = size.to_bytes(4, "little")
    path.write_bytes(bytes(data))
    return path


# Hostile files


def test_a_shared_strings_bomb_is_refused_before_it_is_inflated(tmp_path):
    path = build(tmp_path / "bom.xlsx", sheet=worksheet([row(1, 1)]), strings=one_huge_string(300))
    assert path.stat().st_size < 1024**2

    outcome = read_in_child(path)

    assert "Phần «xl/sharedStrings.xml» trong tệp .xlsx nén với tỷ lệ" in outcome
    assert "vượt giới hạn 100:1" in outcome


def test_a_string_longer_than_excel_allows_is_refused(tmp_path):
    path = build(tmp_path / "dai.xlsx", sheet=worksheet([row(1, "x")]), strings=shared(["ầ" * 40_000]))

    assert read_in_child(path) == "refused: Có ô chứa chuỗi dài hơn 32767 ký tự, giới hạn của chính Excel."


def test_an_inline_string_longer_than_excel_allows_is_refused(tmp_path):
    path = build(tmp_path / "dai.xlsx", sheet=worksheet([row(1, "b" * 40_000)]))

    assert "chuỗi dài hơn 32767 ký tự" in read_in_child(path)


def test_shared_strings_past_their_cap_are_refused_unread(tmp_path):
    texts = (f"Chi bộ số {n:07d}" for n in range(600_000))  # 21 MB of distinct strings, 1.5 MB zipped
    path = build(tmp_path / "nhieu-chuoi.xlsx", sheet=worksheet([row(1, 1)]), strings=shared(texts))

    outcome = read_in_child(path)

    assert outcome == "refused: Phần «xl/sharedStrings.xml» trong tệp .xlsx, khi giải nén, lớn hơn giới hạn 16 MB."


def test_a_cell_in_the_last_row_of_a_sheet_declaring_every_cell_is_refused_at_once(tmp_path):
    sheet = worksheet([row(1, "Mã"), row(1_048_576, 1)], dimension="A1:XFD1048576")
    path = build(tmp_path / "xa.xlsx", sheet=sheet)

    outcome = read_in_child(path, reading_within=1)

    assert outcome == (
        "refused: Trang «Dữ liệu» có dữ liệu ở dòng 1048576, vượt giới hạn 100000 dòng; hãy chia thành nhiều tệp."
    )


def test_a_value_in_column_xfd_is_refused_naming_the_limit(tmp_path):
    path = build(tmp_path / "xfd.xlsx", sheet=worksheet([row(1, "Mã", 1), row(2, "x", first_column=16_384)]))

    assert read_in_child(path) == "refused: Trang «Dữ liệu» có dữ liệu ở ô XFD2, vượt giới hạn 100 cột."


def test_empty_cells_far_away_cost_nothing(tmp_path):
    formatted = (f'<row r="{n}"><c r="A{n}"><v>{n}</v></c><c r="XFD{n}" s="1"/></row>' for n in range(1, 50_001))
    path = build(tmp_path / "dinh-dang.xlsx", sheet=worksheet(formatted, dimension="A1:XFD1048576"))

    assert read_in_child(path) == "read 50000 rows"


def test_a_part_with_an_absurd_compression_ratio_is_refused_even_unread(tmp_path):
    zeros = (b"\0" * 2**20 for _ in range(50))
    path = build(tmp_path / "anh.xlsx", sheet=worksheet([row(1, 1)]), extra={"xl/media/image1.png": zeros})

    outcome = read_in_child(path)

    assert "Phần «xl/media/image1.png» trong tệp .xlsx nén với tỷ lệ" in outcome
    assert "(dấu hiệu của «bom nén»)" in outcome


def test_a_zip_of_too_many_parts_is_refused(tmp_path):
    parts = {f"xl/media/m{n}.bin": b"" for n in range(20_000)}
    path = build(tmp_path / "nhieu-phan.xlsx", sheet=worksheet([row(1, 1)]), extra=parts)

    assert read_in_child(path) == "refused: Tệp .xlsx gồm 20004 phần, nhiều hơn giới hạn 200 phần."


def test_a_part_whose_declared_size_lies_is_refused_without_inflating_the_truth(tmp_path):
    path = build(tmp_path / "noi-doi.xlsx", sheet=worksheet([row(1, 1)]), strings=one_huge_string(200))
    lie_about_size(path, "xl/sharedStrings.xml", 1024)  # 200 MB really

    outcome = read_in_child(path)

    assert outcome.startswith("refused: Phần «xl/sharedStrings.xml» trong tệp .xlsx bị hỏng (kích thước hoặc mã kiểm tra")


@pytest.mark.parametrize("where", ["sheet", "shared strings"])
def test_an_xml_entity_bomb_is_refused(tmp_path, where):
    laughs = f'{LAUGHS}<sst xmlns="{MAIN}"><si><t>&lol9;</t></si></sst>'
    if where == "sheet":
        path = build(tmp_path / "cuoi.xlsx", sheet=worksheet([row(1, "&lol9;")], prologue=LAUGHS))
    else:
        path = build(tmp_path / "cuoi.xlsx", sheet=worksheet([row(1, 1)]), strings=laughs)

    outcome = read_in_child(path)

    assert outcome == (
        "refused: Tệp .xlsx chứa khai báo thực thể XML (DTD/entity), có thể là tệp độc hại; tệp không được đọc."
    )


def test_openpyxl_itself_parses_with_defusedxml():
    from defusedxml import EntitiesForbidden
    from openpyxl.xml.functions import fromstring

    assert openpyxl.DEFUSEDXML
    with pytest.raises(EntitiesForbidden):
        fromstring(f"{LAUGHS}<x>&lol9;</x>")


def test_a_part_in_utf16_is_refused(tmp_path):
    sheet = f'<?xml version="1.0" encoding="UTF-16"?><worksheet xmlns="{MAIN}"><sheetData/></worksheet>'
    path = build(tmp_path / "utf16.xlsx", sheet=sheet.encode("utf-16"))

    assert "Phần «xl/worksheets/sheet1.xml» trong tệp .xlsx không viết bằng bảng mã UTF-8" in read_in_child(path)


def half_a_workbook(path):
    whole = build(path.with_name("nguyen.xlsx"), sheet=worksheet([row(n, n) for n in range(1, 2000)])).read_bytes()
    path.write_bytes(whole[: len(whole) // 2])


def a_word_document(path):
    with zipfile.ZipFile(path, "w") as document:
        document.writestr("word/document.xml", "<document/>")


BROKEN = {
    "not a zip": (lambda path: path.write_bytes(b"Ma don vi;Nam\nA;2024\n"), "Tệp không phải bảng tính Excel .xlsx."),
    "cut short": (half_a_workbook, "Tệp .xlsx bị hỏng hoặc chưa tải lên hết. Hãy mở bằng Excel, lưu lại rồi tải lên lại."),
    "a zip of something else": (a_word_document, "Tệp không phải bảng tính Excel .xlsx."),
    "old .xls or password-protected": (
        lambda path: path.write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 4000),
        "Tệp là bảng tính Excel cũ (.xls) hoặc được đặt mật khẩu, nên không đọc được. "
        "Hãy mở bằng Excel, bỏ mật khẩu nếu có, rồi lưu lại dưới dạng .xlsx.",
    ),
}


@pytest.mark.parametrize("make, message", BROKEN.values(), ids=BROKEN.keys())
def test_a_file_that_is_no_readable_xlsx_is_refused_with_a_message(tmp_path, make, message):
    path = tmp_path / "tep.xlsx"
    make(path)

    assert read_in_child(path) == f"refused: {message}"


def a_million_tiny_rows(path):
    rows = (f'<row r="{n}"><c r="A{n}"><v>1</v></c></row>' for n in range(1, 1_000_001))
    return build(path, sheet=worksheet(rows))


def test_a_million_tiny_rows_stop_at_the_row_cap(tmp_path):
    path = a_million_tiny_rows(tmp_path / "trieu-dong.xlsx")
    assert path.stat().st_size < 5 * 1024**2

    outcome = read_in_child(path)

    assert outcome == (
        "refused: Trang «Dữ liệu» có dữ liệu ở dòng 100001, vượt giới hạn 100000 dòng; hãy chia thành nhiều tệp."
    )


def test_a_read_outlasting_its_time_budget_is_refused(tmp_path):
    path = a_million_tiny_rows(tmp_path / "cham.xlsx")

    outcome = read_in_child(path, max_rows=2_000_000, seconds=0.5)

    assert outcome == "refused: Đọc tệp mất quá 0.5 giây nên đã dừng; hãy bỏ bớt dữ liệu thừa hoặc chia nhỏ tệp."


def test_one_row_bigger_than_the_window_is_refused(tmp_path):
    cells = (f'<c r="A1" a{n}="{n}"/>' for n in range(100_000))  # 2 MB of cells in one row
    path = build(tmp_path / "dong-lon.xlsx", sheet=worksheet(['<row r="1">', *cells, "</row>"]))

    outcome = read_in_child(path)

    assert outcome == (
        "refused: Phần «xl/worksheets/sheet1.xml» trong tệp .xlsx có một dòng hoặc một phần tử lớn hơn 1 MB; "
        "tệp không được đọc."
    )


def test_two_hundred_thousand_cell_formats_are_read_fast(tmp_path):
    formats = (f'<xf numFmtId="{n % 50}" fontId="{n}"/>' for n in range(200_000))  # openpyxl's own reader: ~14 s
    styles = [f'<styleSheet xmlns="{MAIN}"><cellXfs>', *formats, "</cellXfs></styleSheet>"]
    path = build(tmp_path / "kieu.xlsx", sheet=worksheet([row(1, 1)]), styles=styles)

    assert read_in_child(path) == "read 1 rows"


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
    sheet = worksheet([row(n, f"U{n}", n) for n in range(1, 51)], dimension="A1:B2")
    path = build(tmp_path / "nho.xlsx", sheet=sheet)

    rows = read(path)

    assert len(rows) == 50 and rows[-1] == (50, ("U50", 50))


def test_a_sheet_is_chosen_by_name_or_position_and_shared_strings_are_resolved(tmp_path):
    sheet = worksheet(['<row r="1"><c r="A1" t="s"><v>1</v></c><c r="C1" t="s"><v>0</v></c></row>'])
    path = build(tmp_path / "chuoi.xlsx", sheet=sheet, strings=shared(["Năm", "Mã đơn vị"]))

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
    path = build(tmp_path / "xa.xlsx", sheet=worksheet(rows, dimension="A1:XFD1048576"))
    upload = SimpleUploadedFile("xa.xlsx", path.read_bytes())

    response = admin_client.post(reverse("admin:ratings_rating_excel_import"), {"file": upload})

    page = response.content.decode()
    assert "Trang «Dữ liệu» có dữ liệu ở dòng 1048576, vượt giới hạn 20020 dòng" in page
    assert "plan" not in response.context and not Rating.objects.exists()
    assert not (tmp_path / "uploads").exists()
