"""Hand-built workbooks, honest and hostile, for the reader's tests and its benchmark.

Written part by part with zipfile, not openpyxl, because the point is the files openpyxl never writes:
big parts streamed in chunks (a few hundred MB of XML cost a few hundred KB on disk), sizes that lie,
DTDs, cells at Excel's far edges. SAMPLES names each case once: tests/test_sheets.py reads the cases by
name and asserts what the user is told, `manage.py benchmark sheets` measures every one.
"""
import zipfile
from dataclasses import dataclass, field
from itertools import islice
from typing import Callable

from openpyxl.utils import get_column_letter

MAIN = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
PART_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.{}+xml"
LAUGHS = (  # "billion laughs": lol9 expands to 10^9 "lol"s
    '<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol0 "lol">'
    + "".join(f'<!ENTITY lol{level} "{"&lol%d;" % (level - 1) * 10}">' for level in range(1, 10))
    + "]>"
)


def workbook(path, *, sheet, strings=None, styles=None, extra=()):
    """An .xlsx at `path` with one sheet «Dữ liệu». A part given as an iterable of chunks is streamed in."""
    parts = {"xl/worksheets/sheet1.xml": sheet, "xl/sharedStrings.xml": strings, "xl/styles.xml": styles}
    kinds = {
        "xl/workbook.xml": "sheet.main", "xl/worksheets/sheet1.xml": "worksheet",
        "xl/sharedStrings.xml": "sharedStrings", "xl/styles.xml": "styles",
    }
    types = "".join(
        f'<Override PartName="/{name}" ContentType="{PART_TYPE.format(kind)}"/>'
        for name, kind in kinds.items()
        if parts.get(name, "") is not None
    )
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as book:
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
    """A sheet's XML around `rows`, an iterable of <row> strings, 10,000 to a chunk: a million cost no memory."""
    yield f'{prologue}<worksheet xmlns="{MAIN}"><dimension ref="{dimension}"/><sheetData>'
    rows = iter(rows)
    while batch := "".join(islice(rows, 10_000)):
        yield batch
    yield "</sheetData></worksheet>"


def row(number, *values, first_column=1):
    """A <row> of inline strings and numbers from `first_column` on; None leaves a cell out."""
    cells = []
    for column, value in enumerate(values, start=first_column):
        ref = f"{get_column_letter(column)}{number}"
        if isinstance(value, str):
            cells.append(f'<c r="{ref}" t="inlineStr"><is><t>{value}</t></is></c>')
        elif value is not None:
            cells.append(f'<c r="{ref}"><v>{value}</v></c>')
    return f'<row r="{number}">{"".join(cells)}</row>'


def shared_strings(texts):
    yield f'<sst xmlns="{MAIN}">'
    yield from (f"<si><t>{text}</t></si>" for text in texts)
    yield "</sst>"


def one_huge_string(megabytes):
    """Shared strings holding one string of `megabytes` MB of "a", about 1,000 times smaller zipped."""
    yield f'<sst xmlns="{MAIN}"><si><t>'
    yield from (b"a" * 2**20 for _ in range(megabytes))
    yield "</t></si></sst>"


def cell_formats(count):
    """A styles part of `count` cell formats: openpyxl's own reader takes ~14 s over 200,000."""
    yield f'<styleSheet xmlns="{MAIN}"><cellXfs>'
    yield from (f'<xf numFmtId="{n % 50}" fontId="{n}"/>' for n in range(count))
    yield "</cellXfs></styleSheet>"


def one_row(path, **parts):
    """A sheet holding just 1 in A1, beside these other parts: the hostility is in them."""
    return workbook(path, sheet=worksheet([row(1, 1)]), **parts)


def formatted_to_the_edge(path):
    """Honest: 50,000 numbers, each row with an empty formatted cell in XFD, as a sheet formatted whole can be."""
    rows = (f'<row r="{n}"><c r="A{n}"><v>{n}</v></c><c r="XFD{n}" s="1"/></row>' for n in range(1, 50_001))
    return workbook(path, sheet=worksheet(rows, dimension="A1:XFD1048576"))


def utf16_sheet(path):
    """UTF-16 would hide a DTD from the reader's search of the raw bytes, so such a part must be refused."""
    sheet = f'<?xml version="1.0" encoding="UTF-16"?><worksheet xmlns="{MAIN}"><sheetData/></worksheet>'
    return workbook(path, sheet=sheet.encode("utf-16"))


def tiny_rows(path, count=1_000_000):
    """A sheet of `count` one-cell rows: a few MB zipped, far past any row cap."""
    return workbook(path, sheet=worksheet(f'<row r="{n}"><c r="A{n}"><v>1</v></c></row>' for n in range(1, count + 1)))


def lie_about_size(path, name, size):
    """Declare `size` as the uncompressed size of part `name` in the zip's directory (what readers trust)."""
    data = bytearray(path.read_bytes())
    entry = data.find(b"PK\x01\x02")
    while data[entry + 46 : entry + 46 + len(name)] != name.encode():
        entry = data.find(b"PK\x01\x02", entry + 1)
    data[entry + 24 : entry + 28] = size.to_bytes(4, "little")
    path.write_bytes(bytes(data))
    return path


def lying_sizes(path):
    """200 MB of shared strings declared as 1 KB."""
    workbook(path, sheet=worksheet([row(1, 1)]), strings=one_huge_string(200))
    return lie_about_size(path, "xl/sharedStrings.xml", 1024)


def cut_in_half(path):
    """A workbook whose upload stopped halfway."""
    whole = workbook(path, sheet=worksheet(row(n, n) for n in range(1, 2000))).read_bytes()
    path.write_bytes(whole[: len(whole) // 2])
    return path


def word_document(path):
    """A zip, but of something other than a workbook."""
    with zipfile.ZipFile(path, "w") as document:
        document.writestr("word/document.xml", "<document/>")
    return path


def raw(content):
    """A builder of a file holding just `content`: what gets uploaded as .xlsx without being one."""

    def build(path):
        path.write_bytes(content)
        return path

    return build


@dataclass(frozen=True)
class Sample:
    """A workbook built at the path given to `build`, and the reader's limits, beyond its defaults, to read it under."""

    build: Callable
    limits: dict = field(default_factory=dict)


SAMPLES = {  # names at most 48 characters: the benchmark's column
    "a shared string of 300 MB": Sample(lambda path: one_row(path, strings=one_huge_string(300))),
    "600,000 shared strings (21 MB)": Sample(  # 1.5 MB zipped
        lambda path: one_row(path, strings=shared_strings(f"Chi bộ số {n:07d}" for n in range(600_000)))
    ),
    "a shared string of 40,000 characters": Sample(
        lambda path: workbook(path, sheet=worksheet([row(1, "x")]), strings=shared_strings(["ầ" * 40_000]))
    ),
    "an inline string of 40,000 characters": Sample(
        lambda path: workbook(path, sheet=worksheet([row(1, "b" * 40_000)]))
    ),
    "dimension A1:XFD1048576, a cell in row 1048576": Sample(
        lambda path: workbook(path, sheet=worksheet([row(1, "Mã"), row(1_048_576, 1)], dimension="A1:XFD1048576"))
    ),
    "a value in column XFD": Sample(
        lambda path: workbook(path, sheet=worksheet([row(1, "Mã", 1), row(2, "x", first_column=16_384)]))
    ),
    "declared dimension A1:B2, 50 rows of data": Sample(
        lambda path: workbook(path, sheet=worksheet((row(n, f"U{n}", n) for n in range(1, 51)), dimension="A1:B2"))
    ),
    "50,000 rows, each with a formatted cell in XFD": Sample(formatted_to_the_edge),
    "a 50 MB part of zeros (ratio 1000:1)": Sample(
        lambda path: one_row(path, extra={"xl/media/image1.png": (b"\0" * 2**20 for _ in range(50))})
    ),
    "20,000 parts": Sample(lambda path: one_row(path, extra={f"xl/media/m{n}.bin": b"" for n in range(20_000)})),
    "declared sizes lie (200 MB declared 1 KB)": Sample(lying_sizes),
    "billion laughs in the sheet": Sample(
        lambda path: workbook(path, sheet=worksheet([row(1, "&lol9;")], prologue=LAUGHS))
    ),
    "billion laughs in the shared strings": Sample(
        lambda path: one_row(path, strings=f'{LAUGHS}<sst xmlns="{MAIN}"><si><t>&lol9;</t></si></sst>')
    ),
    "a sheet in UTF-16": Sample(utf16_sheet),
    "not a zip (CSV bytes)": Sample(raw(b"Ma don vi;Nam\nA;2024\n")),
    "a zip cut in half": Sample(cut_in_half),
    "a zip of something else (a Word document)": Sample(word_document),
    "OLE signature (.xls, password-protected .xlsx)": Sample(raw(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(4000))),
    "1,000,000 tiny rows": Sample(tiny_rows),
    "1,000,000 tiny rows, cap lifted, 0.5 s budget": Sample(tiny_rows, {"max_rows": 2_000_000, "seconds": 0.5}),
    "one row of 2 MB": Sample(  # 100,000 cells in one row
        lambda path: workbook(
            path, sheet=worksheet(['<row r="1">', *(f'<c r="A1" a{n}="{n}"/>' for n in range(100_000)), "</row>"])
        )
    ),
    "200,000 cell formats": Sample(lambda path: one_row(path, styles=cell_formats(200_000))),
}
