"""The one guarded reader of uploaded spreadsheets (.xlsx): limits first, then parsing.

Every spreadsheet upload reads through open_workbook(). An .xlsx is a zip of
XML parts, and each step of reading one can be made to cost without bound, so:

- the zip is checked before anything is parsed: the number of parts, each
  part's declared size and compression ratio, the total, no encryption; and as a
  zip may declare any size, every part is decompressed in small chunks whose
  real bytes are counted against the same caps;
- the shared strings are read here, not by openpyxl (which would hold them all
  first), under Excel's own limit of 32,767 characters a cell and a cap on the part;
- a worksheet's rows are parsed as they stream by and dropped once read: the
  dimension a sheet declares means nothing, no empty row or column is
  invented, and a value beyond `max_rows` or `max_columns` is refused, not read;
- the whole read has a wall-time budget;
- no part may hold a DTD, so no entity can be declared ("billion laughs",
  external entities). openpyxl, which still reads the manifest, the workbook
  and its relationships (small parts, capped at `max_xml_bytes`), parses them
  with defusedxml, which it picks up by itself once installed
  (openpyxl.xml.functions). The large parts are parsed here with the C parser.

openpyxl also converts each cell's value. Its stylesheet reader is not used
(a 1 MB styles.xml of empty <xf/> took it 14 s and 300 MB): only the number
formats are read, to know which numbers are dates.

A refusal raises SheetRefused, an ImportRefused, with a Vietnamese message.
"""
import io
import os
import re
import time
import zlib
from decimal import Decimal
from contextlib import contextmanager
from dataclasses import dataclass
from xml.etree.ElementTree import ParseError, TreeBuilder, XMLParser, iterparse
from zipfile import ZIP_DEFLATED, ZIP_STORED, BadZipFile, ZipFile, ZipInfo

from defusedxml import DefusedXmlException
from django.conf import settings
from django.utils.formats import number_format
from django.utils.translation import gettext_lazy as _
from openpyxl import DEFUSEDXML
from openpyxl.reader.excel import ExcelReader
from openpyxl.styles.numbers import BUILTIN_FORMATS, is_date_format, is_timedelta_format
from openpyxl.utils import get_column_letter
from openpyxl.utils.datetime import from_excel
from openpyxl.worksheet._reader import INLINE_STRING, ROW_TAG, WorkSheetParser
from openpyxl.xml.constants import ARC_STYLE, SHARED_STRINGS, SHEET_MAIN_NS

from .services.articles import ImportRefused

KB, MB = 1024, 1024 * 1024
DEFAULT_SECONDS = 8.0
RATIO_FLOOR = 1 * MB  # a smaller part cannot hurt whatever its ratio; tiny parts compress oddly
MAX_CELLS_IN_ROW = 16_384  # Excel's own column count (XFD)
OLE_SIGNATURE = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"  # .xls, and any password-protected .xlsx
CHUNK = 64 * KB
DTD = re.compile(rb"<!doctype", re.IGNORECASE)  # without one, no entity can be declared


@dataclass(frozen=True)
class Limits:
    """What one read may cost. Callers pass their own max_rows (and whatever else differs)."""

    max_file_bytes: int = 5 * MB
    max_parts: int = 200  # a workbook saved by Excel has a dozen or two
    max_part_bytes: int = 64 * MB  # any one part, decompressed: the template's sheet is 12.6 MB at 20,000 rows
    max_total_bytes: int = 256 * MB  # all parts decompressed, declared; and all bytes really read (re-reads too)
    max_ratio: int = 100  # decompressed ÷ compressed, parts over RATIO_FLOOR; the template's sheet: 13.5
    max_strings_bytes: int = 16 * MB  # the shared strings part: ~4 s to read at worst (800,000 tiny strings)
    max_styles_bytes: int = 8 * MB  # Excel's 64,000 cell formats written out fill about 5 MB
    max_xml_bytes: int = 256 * KB  # manifest, workbook, relationships: openpyxl parses them whole, ~70 µs an element
    max_row_bytes: int = 1 * MB  # XML held at once: one row with its cells, one shared string, one other element
    max_string_chars: int = 32_767  # Excel's limit for one cell
    max_rows: int = 100_000
    max_columns: int = 100
    seconds: float | None = None  # wall time of the whole read; None: settings.SPREADSHEET_READ_SECONDS or 8


DEFAULT_LIMITS = Limits()

SHEET_REFUSALS = {
    "empty_file": _("Tệp rỗng: không có nội dung để nhập."),
    "too_large": _("Tệp lớn hơn %(max)s."),
    "not_xlsx": _("Tệp không phải bảng tính Excel .xlsx."),
    "encrypted": _(
        "Tệp là bảng tính Excel cũ (.xls) hoặc được đặt mật khẩu, nên không đọc được. "
        "Hãy mở bằng Excel, bỏ mật khẩu nếu có, rồi lưu lại dưới dạng .xlsx."
    ),
    "damaged": _("Tệp .xlsx bị hỏng hoặc chưa tải lên hết. Hãy mở bằng Excel, lưu lại rồi tải lên lại."),
    "damaged_part": _(
        "Phần «%(part)s» trong tệp .xlsx bị hỏng (kích thước hoặc mã kiểm tra không khớp). "
        "Hãy mở bằng Excel, lưu lại rồi tải lên lại."
    ),
    "too_many_parts": _("Tệp .xlsx gồm %(count)s phần, nhiều hơn giới hạn %(max)s phần."),
    "part_too_large": _("Phần «%(part)s» trong tệp .xlsx, khi giải nén, lớn hơn giới hạn %(max)s."),
    "total_too_large": _("Tệp .xlsx, khi giải nén, lớn hơn giới hạn %(max)s."),
    "ratio": _(
        "Phần «%(part)s» trong tệp .xlsx nén với tỷ lệ %(ratio)s:1, vượt giới hạn %(max)s:1 "
        "(dấu hiệu của «bom nén»); tệp không được đọc."
    ),
    "xml_forbidden": _("Tệp .xlsx chứa khai báo thực thể XML (DTD/entity), có thể là tệp độc hại; tệp không được đọc."),
    "not_utf8": _(
        "Phần «%(part)s» trong tệp .xlsx không viết bằng bảng mã UTF-8. Hãy mở bằng Excel, lưu lại rồi tải lên lại."
    ),
    "long_string": _("Có ô chứa chuỗi dài hơn %(max)s ký tự, giới hạn của chính Excel."),
    "row_too_large": _(
        "Phần «%(part)s» trong tệp .xlsx có một dòng hoặc một phần tử lớn hơn %(max)s; tệp không được đọc."
    ),
    "too_many_rows": _(
        "Trang «%(sheet)s» có dữ liệu ở dòng %(row)s, vượt giới hạn %(max)s dòng; hãy chia thành nhiều tệp."
    ),
    "too_many_columns": _("Trang «%(sheet)s» có dữ liệu ở ô %(cell)s, vượt giới hạn %(max)s cột."),
    "too_slow": _("Đọc tệp mất quá %(seconds)s giây nên đã dừng; hãy bỏ bớt dữ liệu thừa hoặc chia nhỏ tệp."),
}


class SheetRefused(ImportRefused):
    """The spreadsheet was not read: it is not a readable .xlsx or it breaks a limit. `code` says which."""

    def __init__(self, code, **params):
        self.code = code
        message = SHEET_REFUSALS[code]
        super().__init__(message % params if params else message)


@contextmanager
def open_workbook(file, *, limits=DEFAULT_LIMITS):
    """The workbook in `file` (an uploaded file, a binary file object, bytes or a path), opened under `limits`.

    Yields a GuardedWorkbook; its rows are read lazily, so read them inside the `with`:
    the time budget runs from here to the last row.
    """
    if not DEFUSEDXML:
        raise RuntimeError("openpyxl must parse with defusedxml (requirements.txt); OPENPYXL_DEFUSEDXML is off")
    budget = _Budget(limits)
    archive = _open_archive(_read_upload(file, limits.max_file_bytes), budget)
    try:
        with _refusing_the_unreadable("not_xlsx"):
            reader = _WorkbookReader(archive, budget)
            reader.read()
        yield GuardedWorkbook(reader, budget)
    finally:
        archive.close()


class GuardedWorkbook:
    """The worksheets of an open upload: their names, and their rows as they are read."""

    def __init__(self, reader, budget):
        self._reader, self._budget = reader, budget
        self.sheet_names = [name for name, _part in reader.worksheets]

    def rows(self, sheet):
        """(row number, values) for each row holding a value, in file order, of the sheet named or numbered `sheet`.

        The values run from column A to the row's last value, as openpyxl gives them
        (data_only: a formula's last computed value; dates as datetime).
        """
        index = sheet if isinstance(sheet, int) else self.sheet_names.index(sheet)
        name, part_name = self._reader.worksheets[index]
        reader, budget = self._reader, self._budget
        cells = _CellParser(
            reader.shared_strings, epoch=reader.wb.epoch, dates=reader.date_formats, durations=reader.timedelta_formats
        )
        limits = budget.limits
        with _refusing_the_unreadable("damaged"):
            with reader.archive.open_part(part_name, cap=limits.max_part_bytes, window=limits.max_row_bytes) as part:
                yield from _sheet_rows(part, cells, name, budget)


def _read_upload(file, limit):
    if isinstance(file, (bytes, bytearray, memoryview)):
        data = bytes(file[: limit + 1])
    elif isinstance(file, (str, os.PathLike)):
        with open(file, "rb") as handle:
            data = handle.read(limit + 1)
    else:
        if hasattr(file, "seek"):
            file.seek(0)
        data = file.read(limit + 1)
    if len(data) > limit:
        raise SheetRefused("too_large", max=_size(limit))
    if not data:
        raise SheetRefused("empty_file")
    return data


def _open_archive(data, budget):
    """The zip, once its table of contents passes the limits; nothing is decompressed yet."""
    limits = budget.limits
    if data.startswith(OLE_SIGNATURE):
        raise SheetRefused("encrypted")
    if not data.startswith(b"PK\x03\x04"):  # every .xlsx is a zip archive
        raise SheetRefused("not_xlsx")
    try:
        archive = _GuardedArchive(io.BytesIO(data), budget)
    except Exception as error:  # no table of contents at the end: cut short, or never a zip
        raise SheetRefused("damaged") from error
    parts = archive.infolist()
    if len(parts) > limits.max_parts:
        raise SheetRefused("too_many_parts", count=len(parts), max=limits.max_parts)
    total = 0
    for part in parts:
        if part.flag_bits & 0x1:
            raise SheetRefused("encrypted")
        if part.compress_type not in (ZIP_STORED, ZIP_DEFLATED):
            raise SheetRefused("damaged")
        if part.file_size >= RATIO_FLOOR and part.file_size > limits.max_ratio * part.compress_size:
            ratio = part.file_size // max(part.compress_size, 1)
            raise SheetRefused("ratio", part=part.filename, ratio=ratio, max=limits.max_ratio)
        if part.file_size > limits.max_part_bytes:
            raise SheetRefused("part_too_large", part=part.filename, max=_size(limits.max_part_bytes))
        total += part.file_size
    if total > limits.max_total_bytes:
        raise SheetRefused("total_too_large", max=_size(limits.max_total_bytes))
    return archive


class _Budget:
    """What is left of one read's wall time and decompressed bytes."""

    def __init__(self, limits):
        self.limits = limits
        self.seconds = limits.seconds
        if self.seconds is None:
            self.seconds = getattr(settings, "SPREADSHEET_READ_SECONDS", DEFAULT_SECONDS)
        self.deadline = time.monotonic() + self.seconds
        self.decompressed = 0

    def check_time(self):
        if time.monotonic() > self.deadline:
            raise SheetRefused("too_slow", seconds=number_format(Decimal(f"{self.seconds:g}")))

    def spend(self, size):
        self.decompressed += size
        if self.decompressed > self.limits.max_total_bytes:
            raise SheetRefused("total_too_large", max=_size(self.limits.max_total_bytes))
        self.check_time()


class _GuardedArchive(ZipFile):
    """The upload's zip: every part opened through it is decompressed in counted chunks.

    openpyxl opens parts with open() and read(), which get the small cap for the
    parts it parses whole; this module's own readers pass their caps to open_part().
    """

    def __init__(self, file, budget):
        super().__init__(file)
        self.budget = budget

    def open(self, name, mode="r", pwd=None, **kwargs):
        if mode != "r":
            raise ValueError("the upload is read only")
        return self.open_part(name, cap=self.budget.limits.max_xml_bytes)

    def open_part(self, name, *, cap, window=None):
        info = name if isinstance(name, ZipInfo) else self.getinfo(name)
        if info.file_size > cap:
            raise SheetRefused("part_too_large", part=info.filename, max=_size(cap))
        return _Part(super().open(info), name=info.filename, cap=cap, window=window, budget=self.budget)


class _Part:
    """One part being decompressed: chunk by chunk, each counted against the caps and the clock.

    zipfile trusts the declared size: asked for a whole part (ZipFile.read) it
    inflates the whole stream in one call before cutting it to that size (a part
    declaring 1 KB: 500 MB inflated, 1 GB of memory, then a CRC error). Asked for
    a chunk, it inflates no more than the chunk.
    `window`: the most bytes read since the last mark(), so no single row or
    element of the XML grows without bound before it can be judged.
    """

    def __init__(self, stream, *, name, cap, window, budget):
        self.stream, self.name, self.cap, self.window, self.budget = stream, name, cap, window, budget
        self.size = self.marked = 0
        self.tail = b""

    def read(self, size=-1):
        if size is None or size < 0:
            return b"".join(iter(lambda: self.read(CHUNK), b""))
        try:
            data = self.stream.read(min(size, CHUNK))
        except (BadZipFile, EOFError, OSError, ValueError, zlib.error) as error:  # a bad CRC, a cut stream
            raise SheetRefused("damaged_part", part=self.name) from error
        self.size += len(data)
        if self.size > self.cap:
            raise SheetRefused("part_too_large", part=self.name, max=_size(self.cap))
        if self.window is not None and self.size - self.marked > self.window:
            raise SheetRefused("row_too_large", part=self.name, max=_size(self.window))
        if DTD.search(self.tail + data):
            raise SheetRefused("xml_forbidden")
        if b"\x00" in data:  # UTF-16, which would hide a DTD from the search above; Excel writes UTF-8
            raise SheetRefused("not_utf8", part=self.name)
        self.tail = data[-8:]
        self.budget.spend(len(data))
        return data

    def mark(self):
        self.marked = self.size

    def close(self):
        self.stream.close()

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.close()


class _WorkbookReader(ExcelReader):
    """openpyxl's reader on the guarded archive, reading only what cell values need.

    Kept: the manifest, the workbook (sheet names, 1900 or 1904 dates) and its
    relationships. Replaced: the shared strings and the number formats (read
    below, under their caps). Skipped: properties, theme, chart sheets, defined names.
    """

    def __init__(self, archive, budget):
        super().__init__(archive.fp, read_only=True, data_only=True, keep_links=False)
        self.archive.close()
        self.archive, self.budget = archive, budget
        self.valid_files = archive.namelist()

    def read(self):
        self.read_manifest()
        self.read_strings()
        self.read_workbook()
        self.date_formats, self.timedelta_formats = self._number_formats()
        self.worksheets = [
            (sheet.name, rel.target)
            for sheet, rel in self.parser.find_sheets()
            if rel.target in self.valid_files and "chartsheet" not in rel.Type
        ]

    def read_strings(self):
        part = self.package.find(SHARED_STRINGS)
        if part is not None:
            strings = self._open(part.PartName[1:], self.budget.limits.max_strings_bytes)
            self.shared_strings = _shared_strings(strings, self.budget)

    def _number_formats(self):
        if ARC_STYLE not in self.valid_files:
            return set(), set()
        return _date_styles(self._open(ARC_STYLE, self.budget.limits.max_styles_bytes))

    def _open(self, name, cap):
        return self.archive.open_part(name, cap=cap, window=self.budget.limits.max_row_bytes)


class _CellParser(WorkSheetParser):
    """openpyxl's conversion of a cell's value, with two of its costs removed.

    Inline text is read as the shared strings are (openpyxl builds rich-text
    objects at ~50 µs a run), and a date out of range becomes "#VALUE!" as in
    openpyxl but without its warning: each distinct warning text stays in the
    module's warning registry for the life of the process.
    """

    def __init__(self, strings, *, epoch, dates, durations):
        super().__init__(None, strings, data_only=True, epoch=epoch)
        self.dates, self.durations = dates, durations

    def parse_cell(self, element):
        inline = element.find(INLINE_STRING) if element.get("t") == "inlineStr" else None
        if inline is not None:
            element.remove(inline)
        cell = super().parse_cell(element)
        if inline is not None:
            cell.update(value=_text_of(inline), data_type="s")
        elif cell["data_type"] == "n" and cell["value"] is not None and cell["style_id"] in self.dates:
            try:
                value = from_excel(cell["value"], self.epoch, timedelta=cell["style_id"] in self.durations)
                cell.update(value=value, data_type="d")
            except (OverflowError, ValueError):
                cell.update(value="#VALUE!", data_type="e")
        return cell


def _sheet_rows(part, cells, sheet, budget):
    limits = budget.limits
    yielded = 0
    for element, parent in _records(part, depth=2):
        budget.check_time()
        if element.tag != ROW_TAG or parent != DATA_TAG:
            continue
        if len(element) > MAX_CELLS_IN_ROW:
            cell = _cell_name(MAX_CELLS_IN_ROW + 1, element.get("r", ""))
            raise SheetRefused("too_many_columns", sheet=sheet, cell=cell, max=limits.max_columns)
        number, row = cells.parse_row(element)
        cells.row_dimensions.clear()  # openpyxl keeps each row's height and style for the whole sheet otherwise
        values = _values(row, number, sheet, limits)
        if values is None:
            continue
        if number < 1:
            raise SheetRefused("damaged")
        if number > limits.max_rows or yielded >= limits.max_rows:
            raise SheetRefused("too_many_rows", sheet=sheet, row=number, max=limits.max_rows)
        yielded += 1
        yield number, values


def _values(row, number, sheet, limits):
    """The row's values from column A to its last value, or None for a row without any."""
    width = 0
    for cell in row:
        value = cell["value"]
        if value is None or value == "":
            continue
        if cell["column"] > limits.max_columns:
            where = _cell_name(cell["column"], number)
            raise SheetRefused("too_many_columns", sheet=sheet, cell=where, max=limits.max_columns)
        if isinstance(value, str) and len(value) > limits.max_string_chars:
            raise SheetRefused("long_string", max=limits.max_string_chars)
        width = max(width, cell["column"])
    if not width:
        return None
    values = [None] * width
    for cell in row:
        if 1 <= cell["column"] <= width:
            values[cell["column"] - 1] = cell["value"]
    return tuple(values)


def _shared_strings(part, budget):
    limits, strings = budget.limits, []
    with part:
        for element, _parent in _records(part, depth=1):
            if element.tag != STRING_TAG:
                continue
            text = _text_of(element).replace("x005F_", "")  # as openpyxl reads them
            if len(text) > limits.max_string_chars:
                raise SheetRefused("long_string", max=limits.max_string_chars)
            strings.append(text)
    return strings


def _date_styles(part):
    """(cell formats showing a date, cell formats showing a duration), by index, as openpyxl's stylesheet has them."""
    custom, formats = {}, []
    with part:
        for element, parent in _records(part, depth=2):
            if parent == NUMBER_FORMATS_TAG and element.tag == NUMBER_FORMAT_TAG:
                custom[int(element.get("numFmtId"))] = element.get("formatCode")
            elif parent == CELL_FORMATS_TAG and element.tag == CELL_FORMAT_TAG:
                formats.append(int(element.get("numFmtId", 0)))
    dates, durations, seen = set(), set(), {}
    for index, number_format in enumerate(formats):
        if number_format not in seen:
            code = custom.get(number_format, BUILTIN_FORMATS.get(number_format))
            seen[number_format] = (is_date_format(code), is_timedelta_format(code))
        is_date, is_duration = seen[number_format]
        if is_date:
            dates.add(index)
        if is_duration:
            durations.add(index)
    return dates, durations


def _records(part, *, depth):
    """(element, its parent's tag) for each element that ends `depth` levels below the root, whole.

    Once handed out, an element and everything before it are dropped, so the
    tree never holds more than one record (and the part's window bounds that).
    """
    stack = []
    # The C parser: defusedxml's is the pure-Python one, 2-3 times slower (a 20,000-row template: 2 s against 5 s).
    # What defusedxml guards against needs a DTD, which _Part refuses as it is read, and expat is told
    # the part is UTF-8 whatever it declares (a UTF-16 one is refused too).
    parser = XMLParser(target=TreeBuilder(), encoding="utf-8")
    for event, element in iterparse(part, ("start", "end"), parser=parser):
        if event == "start":
            stack.append(element)
            continue
        stack.pop()
        if len(stack) > depth:
            continue  # inside a record, kept until the record ends
        parent = stack[-1] if stack else None
        if len(stack) == depth:
            yield element, parent.tag if parent is not None else None
        if parent is not None:
            parent.clear()
        part.mark()


def _text_of(node):
    """A string item's text as openpyxl's Text.content has it: the plain text, then each run's; not the phonetic."""
    pieces = []
    for child in node:
        if child.tag == TEXT_TAG:
            pieces.append(child.text or "")
        elif child.tag == RUN_TAG:
            text = child.find(TEXT_TAG)
            if text is not None:
                pieces.append(text.text or "")
    return "".join(pieces)


@contextmanager
def _refusing_the_unreadable(code):
    """Whatever goes wrong while parsing ends in a refusal (`code` unless the cause says better), never in an error page."""
    try:
        yield
    except SheetRefused:
        raise
    except Exception as error:
        causes, cause = [], error
        while cause is not None and len(causes) < 10:
            causes.append(cause)
            cause = cause.__cause__ or cause.__context__
        if any(isinstance(cause, DefusedXmlException) for cause in causes):
            code = "xml_forbidden"
        elif any(isinstance(cause, ParseError) for cause in causes):
            code = "damaged"
        raise SheetRefused(code) from error


def _cell_name(column, row):
    try:
        return f"{get_column_letter(column)}{row}"
    except ValueError:
        return f"#{column}:{row}"


def _size(size):
    return f"{size / MB:g} MB" if size >= MB else f"{size / KB:g} KB"


DATA_TAG = f"{{{SHEET_MAIN_NS}}}sheetData"
STRING_TAG = f"{{{SHEET_MAIN_NS}}}si"
TEXT_TAG = f"{{{SHEET_MAIN_NS}}}t"
RUN_TAG = f"{{{SHEET_MAIN_NS}}}r"
NUMBER_FORMATS_TAG = f"{{{SHEET_MAIN_NS}}}numFmts"
NUMBER_FORMAT_TAG = f"{{{SHEET_MAIN_NS}}}numFmt"
CELL_FORMATS_TAG = f"{{{SHEET_MAIN_NS}}}cellXfs"
CELL_FORMAT_TAG = f"{{{SHEET_MAIN_NS}}}xf"
