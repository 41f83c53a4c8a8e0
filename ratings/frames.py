"""A department's own table (.xlsx or .csv) as a pandas DataFrame: the header found below title rows.

Departments keep their lists in sheets laid out for printing: a title, the issuing committee
and merged cells above the header, an STT column, blank spacer rows. read_table() finds the
header row with the caller's test, drops blank rows and keeps each row's number in the file,
so a message can name the row the user sees. An .xlsx is read through the one guarded reader
(ratings.sheets); a .csv is decoded as UTF-8 (with or without a byte-order mark) or, failing
that, Windows-1258, the code page Vietnamese Windows writes.
"""
import csv
import io
import unicodedata
from dataclasses import dataclass
from pathlib import Path

import pandas as pd
from django.utils.translation import gettext_lazy as _

from . import sheets
from .services.articles import ImportRefused

HEADER_SEARCH = 30  # rows of title and notes a sheet may hold above its header
CSV_DELIMITERS = ",;\t"

TABLE_REFUSALS = {
    "kind": _("Chỉ nhận tệp .xlsx hoặc .csv."),
    "too_large": _("Tệp lớn hơn %(max)s MB."),
    "empty": _("Tệp không có dòng dữ liệu nào."),
    "no_header": _("Không tìm thấy dòng tiêu đề trong %(rows)s dòng đầu. Cần các cột: %(columns)s."),
    "too_many_rows": _("Tệp có hơn %(max)s dòng dữ liệu; hãy chia thành nhiều tệp."),
    "encoding": _("Không đọc được bảng mã của tệp .csv; hãy lưu lại với bảng mã UTF-8."),
}


class TableRefused(ImportRefused):
    pass


@dataclass
class Table:
    """The rows under the header: columns named by the header's cells (blank ones "cột N"),
    indexed by their row numbers in the file; every value as the file gives it (object dtype)."""

    frame: pd.DataFrame
    header_row: int
    name: str


def header_key(text):
    """A header cell compared as people type it: case, spacing, a required-mark "*" and line breaks ignored."""
    return " ".join(str(text if text is not None else "").replace("*", " ").split()).casefold()


def cell_text(value):
    """A cell as text: "" for a blank, 12 for the float 12.0 that spreadsheets store."""
    if value is None or (isinstance(value, float) and pd.isna(value)):
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return str(value).strip()


def read_table(file, *, is_header, required_columns, max_rows, max_bytes=10 * 1024 * 1024, name=None):
    """The table in `file` (an upload, a path, bytes or a binary file) under the first row of the first
    HEADER_SEARCH for which `is_header(cells)` is true; `required_columns` names what it looks for, for
    the message when no row passes. Raises TableRefused (an ImportRefused) with a Vietnamese message."""
    name = name or Path(str(getattr(file, "name", file) if not isinstance(file, bytes) else "")).name
    suffix = Path(name).suffix.lower()
    if suffix == ".csv":
        rows = _csv_rows(_read_bytes(file, max_bytes), max_rows + HEADER_SEARCH)
    elif suffix == ".xlsx" or not suffix:
        rows = _xlsx_rows(file, max_bytes, max_rows + HEADER_SEARCH)
    else:
        raise TableRefused(TABLE_REFUSALS["kind"])
    header, numbers, records, seen_any = None, [], [], False
    for number, values in rows:
        texts = [cell_text(v) for v in values]
        if not any(texts):
            continue
        if header is None:
            seen_any = True
            if number > HEADER_SEARCH:
                break
            if is_header(texts):
                header = (number, _column_names(texts))
            continue
        if len(records) >= max_rows:
            raise TableRefused(TABLE_REFUSALS["too_many_rows"] % {"max": f"{max_rows:,}".replace(",", ".")})
        width = len(header[1])
        numbers.append(number)
        records.append((list(values) + [None] * width)[:width])
    if header is None:
        if not seen_any:
            raise TableRefused(TABLE_REFUSALS["empty"])
        raise TableRefused(TABLE_REFUSALS["no_header"] % {"rows": HEADER_SEARCH, "columns": ", ".join(required_columns)})
    frame = pd.DataFrame.from_records(records, index=pd.Index(numbers, name="row"), columns=header[1], coerce_float=False)
    return Table(frame=frame.astype(object), header_row=header[0], name=name)


def _column_names(texts):
    """The header's texts as column names: blank or repeated cells get a name of their own."""
    names, seen = [], set()
    for index, text in enumerate(texts, 1):
        label = text or f"cột {index}"
        while label in seen:
            label = f"{label} ({index})"
        seen.add(label)
        names.append(label)
    return names


def _xlsx_rows(file, max_bytes, max_rows):
    limits = sheets.Limits(max_file_bytes=max_bytes, max_rows=max_rows)
    with sheets.open_workbook(file, limits=limits) as workbook:
        if not workbook.sheet_names:
            raise TableRefused(TABLE_REFUSALS["empty"])
        # Read inside the `with`: the reader's time budget covers the rows too.
        return list(workbook.rows(0))


def _read_bytes(file, max_bytes):
    if isinstance(file, (bytes, bytearray)):
        data = bytes(file)
    elif isinstance(file, (str, Path)):
        with open(file, "rb") as handle:
            data = handle.read(max_bytes + 1)
    else:
        if hasattr(file, "seek"):
            file.seek(0)
        data = file.read(max_bytes + 1)
    if len(data) > max_bytes:
        raise TableRefused(TABLE_REFUSALS["too_large"] % {"max": max_bytes // (1024 * 1024)})
    if not data.strip():
        raise TableRefused(TABLE_REFUSALS["empty"])
    return data


def _csv_rows(data, max_rows):
    """(row number, values) of a CSV file; the delimiter is whichever of , ; or tab the first lines use."""
    text = _decode(data)
    # csv.Sniffer gives up on a title line without delimiters; the most used candidate
    # in the first lines is the delimiter in every export seen (Excel writes ; in Vietnamese locales).
    head = "\n".join(text.splitlines()[:HEADER_SEARCH + 20])
    delimiter = max(CSV_DELIMITERS, key=head.count)
    rows = []
    for number, values in enumerate(csv.reader(io.StringIO(text, newline=""), delimiter=delimiter), 1):
        if number > max_rows and any(v.strip() for v in values):
            raise TableRefused(TABLE_REFUSALS["too_many_rows"] % {"max": f"{max_rows - HEADER_SEARCH:,}".replace(",", ".")})
        rows.append((number, [v if v.strip() else None for v in values]))
    return rows


def _decode(data):
    """Text in composed form (NFC): Windows-1258 writes tones as combining marks."""
    if data.startswith(b"\xef\xbb\xbf"):
        return unicodedata.normalize("NFC", data[3:].decode("utf-8", errors="replace"))
    try:
        return unicodedata.normalize("NFC", data.decode("utf-8"))
    except UnicodeDecodeError:
        pass
    try:
        return unicodedata.normalize("NFC", data.decode("cp1258"))
    except UnicodeDecodeError as error:
        raise TableRefused(TABLE_REFUSALS["encoding"]) from error
