"""A department's table is found under its title rows, whatever the file's format or code page."""
import io
import unicodedata

import openpyxl
import pytest

from ratings.frames import TableRefused, header_key, read_table


def has_code_column(cells):
    return "mã đơn vị" in {header_key(c) for c in cells}


def read(data, name, max_rows=100):
    return read_table(data, name=name, is_header=has_code_column, required_columns=["Mã đơn vị"], max_rows=max_rows)


def workbook_bytes(rows, merge=None):
    book = openpyxl.Workbook()
    sheet = book.active
    for row in rows:
        sheet.append(row)
    if merge:
        sheet.merge_cells(merge)
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def test_the_header_is_found_below_merged_title_rows_and_rows_keep_their_numbers():
    data = workbook_bytes(
        [["ĐẢNG BỘ TỈNH MẪU"], ["DANH SÁCH TỔ CHỨC ĐẢNG"], [], ["STT", "Mã  đơn vị*", "Tên đơn vị"],
         [1, "X1", "Chi bộ Thôn 1"], [], [2, "X2", "Chi bộ Thôn 2"]],
        merge="A1:C1",
    )
    table = read(data, "danh-sach.xlsx")
    assert table.header_row == 4
    assert list(table.frame.columns) == ["STT", "Mã  đơn vị*", "Tên đơn vị"]
    assert table.frame.loc[7, "Tên đơn vị"] == "Chi bộ Thôn 2"  # the row number the user sees in Excel
    assert list(table.frame.index) == [5, 7]


TONES = "\u0300\u0301\u0303\u0309\u0323"


def windows_1258(text):
    """As Vietnamese Windows writes it: letters with their hats precomposed, the tone as a combining mark."""
    written = []
    for char in text:
        parts = unicodedata.normalize("NFD", char)
        letter = unicodedata.normalize("NFC", "".join(c for c in parts if c not in TONES))
        written.append(letter + "".join(c for c in parts if c in TONES))
    return "".join(written).encode("cp1258")


@pytest.mark.parametrize("encode", [
    lambda text: text.encode("utf-8"),
    lambda text: b"\xef\xbb\xbf" + text.encode("utf-8"),
    lambda text: windows_1258(text),
], ids=["utf-8", "utf-8 with BOM", "windows-1258"])
def test_a_csv_reads_the_same_in_each_code_page(encode):
    text = "Danh sách đơn vị\nSTT;Mã đơn vị;Tên đơn vị\n1;X1;Đảng bộ xã Ấm Thượng\n"
    table = read(encode(text), "ds.csv")
    assert table.frame.loc[3, "Tên đơn vị"] == "Đảng bộ xã Ấm Thượng"


def test_refusals_name_what_is_wrong():
    with pytest.raises(TableRefused, match="Chỉ nhận tệp .xlsx hoặc .csv"):
        read(b"x", "ds.pdf")
    with pytest.raises(TableRefused, match="Không tìm thấy dòng tiêu đề .* Cần các cột: Mã đơn vị"):
        read("STT,Tên\n1,A\n".encode(), "ds.csv")
    with pytest.raises(TableRefused, match="không có dòng dữ liệu"):
        read(b"  \n", "ds.csv")
    rows = "Mã đơn vị,Tên\n" + "".join(f"X{i},A\n" for i in range(5))
    with pytest.raises(TableRefused, match="hơn 3 dòng"):
        read(rows.encode(), "ds.csv", max_rows=3)
    assert len(read(rows.encode(), "ds.csv", max_rows=5).frame) == 5
