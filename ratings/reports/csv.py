"""CSV files written row by row, for downloads that stream from the database cursor.

A UTF-8 byte-order mark comes first: without it Excel, opening the file by double-click, reads
it in the machine's code page and mangles the Vietnamese letters. Text a spreadsheet would run
as a formula is neutralized as in every other download (tables.spreadsheet_safe).
"""
import csv
import io
import re
import unicodedata
from urllib.parse import quote

from ..models import Stage, UnitKind
from ..tables import CHANGE_SIGNS, RatingTable, spreadsheet_safe

BOM = "\ufeff"
ROWS_PER_CHUNK = 1000
CURSOR_CHUNK = 2000

# The dashboard table's columns (tables.RatingTable) and the fields their CSV values come from.
RATING_FIELDS = {
    "unit": "unit__name", "kind": "unit__kind", "parent": "unit__parent__name", "level": "level__code",
    "stage": "stage", "previous_code": "previous_code", "change": "change", "source": "source__title",
}


def csv_chunks(headers, rows, *, rows_per_chunk=ROWS_PER_CHUNK):
    """The encoded CSV of `rows` under `headers`, in chunks of about `rows_per_chunk` rows."""
    buffer = io.StringIO()
    buffer.write(BOM)
    writer = csv.writer(buffer)
    writer.writerow([spreadsheet_safe(str(header)) for header in headers])
    for number, row in enumerate(rows, 1):
        writer.writerow([spreadsheet_safe(value) for value in row])
        if number % rows_per_chunk == 0:
            yield buffer.getvalue().encode()
            buffer.seek(0)
            buffer.truncate()
    yield buffer.getvalue().encode()


def rating_table_chunks(ratings):
    """The dashboard table as CSV: `ratings` is its filtered, sorted queryset (with the previous level), or None.

    The labels are looked up here, in the request's language, not when the response streams.
    """
    columns = RatingTable.base_columns
    headers = [str(columns[name].verbose_name) for name in RATING_FIELDS]
    kinds = {value: str(label) for value, label in UnitKind.choices}
    stages = {value: str(label) for value, label in Stage.choices}
    changes = {value: str(word) for value, (_sign, word) in CHANGE_SIGNS.items()}
    cursor = ratings.values_list(*RATING_FIELDS.values()).iterator(chunk_size=CURSOR_CHUNK) if ratings is not None else ()
    rows = (
        (name, kinds.get(kind, kind), parent or "", level, stages.get(stage, stage), previous or "",
         changes.get(change, change), source or "")
        for name, kind, parent, level, stage, previous, change, source in cursor
    )
    return csv_chunks(headers, rows)


def ascii_name(name):
    """`name` as a file name any browser and disk take: "lịch-sử-Đ1" → "lich-su-D1"."""
    text = unicodedata.normalize("NFKD", name).replace("đ", "d").replace("Đ", "D")
    text = "".join(c for c in text if not unicodedata.combining(c))
    return re.sub(r"[^A-Za-z0-9._-]+", "-", text).strip("-.") or "tai-xuong"


def attachment(name):
    """Content-Disposition for `name`: ASCII in filename, the UTF-8 original in filename* (RFC 6266)."""
    plain = ascii_name(name)
    if plain == name:
        return f'attachment; filename="{plain}"'
    return f"attachment; filename=\"{plain}\"; filename*=utf-8''{quote(name, safe='')}"
