"""The unit table as a workbook: the empty template to fill and the export of a tree.

Both have the columns services.organization reads back (UNIT_COLUMNS), so a department can
export its tree, edit it and import it again. The sheet is streamed (write-only): an export of
every unit holds hundreds of thousands of rows.
"""
from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter, quote_sheetname
from openpyxl.worksheet.datavalidation import DataValidation

from ..models import UnitKind
from ..services.organization import UNIT_COLUMNS
from ..tables import looks_like_formula

UNITS_SHEET = "Đơn vị"
HELP_SHEET = "Hướng dẫn"
LISTS_SHEET = "Danh mục"
HEADER_ROW = 3  # a title and a note above it, as departments lay out their sheets
SPARE_ROWS = 1000  # rows below the units that keep the drop-down, for units added by hand
HEADER_FILL = PatternFill("solid", fgColor="DDE3EA")


def build_unit_workbook(*, units=None, title=None):
    """The unit table over `units` (a queryset of Unit; None: the empty template)."""
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet(UNITS_SHEET)
    lists = workbook.create_sheet(LISTS_SHEET)
    help_sheet = workbook.create_sheet(HELP_SHEET)
    for column, (_key, _label, _others, width) in enumerate(UNIT_COLUMNS, start=1):
        sheet.column_dimensions[get_column_letter(column)].width = width
    sheet.freeze_panes = f"A{HEADER_ROW + 1}"

    count = 0
    rows = units.select_related("parent", "successor").order_by("path") if units is not None else []
    kind_column = [key for key, *_rest in UNIT_COLUMNS].index("kind") + 1
    labels = [str(label) for label in UnitKind.labels]
    validation = DataValidation(
        type="list",
        formula1=f"{quote_sheetname(LISTS_SHEET)}!$A$1:$A${len(labels)}",
        allow_blank=True,
        showErrorMessage=True,
        errorTitle=_("Loại đơn vị"),
        error=_("Chọn một loại trong danh sách."),
    )
    sheet.data_validations.append(validation)

    sheet.append([_styled(sheet, title or _("Danh sách đơn vị"), Font(bold=True, size=14))])
    sheet.append([_styled(sheet, _("Mỗi dòng một đơn vị; xem trang «%(sheet)s».") % {"sheet": HELP_SHEET}, Font(italic=True))])
    sheet.append([_header(sheet, str(label)) for _key, label, _others, _width in UNIT_COLUMNS])
    for count, unit in enumerate(rows.iterator(chunk_size=2000) if units is not None else [], start=1):
        sheet.append([_text(sheet, value) for value in _values(unit)])
    letter = get_column_letter(kind_column)
    validation.add(f"{letter}{HEADER_ROW + 1}:{letter}{HEADER_ROW + count + SPARE_ROWS}")

    lists.sheet_state = "hidden"
    for label in labels:
        lists.append([label])
    help_sheet.column_dimensions["A"].width = 110
    for line in instructions():
        help_sheet.append([line])
    return workbook


def _values(unit):
    return [
        unit.code,
        unit.name,
        unit.get_kind_display(),
        unit.parent.code if unit.parent_id else "",
        unit.place,
        unit.valid_from,
        unit.valid_to,
        unit.successor.code if unit.successor_id else "",
    ]


def instructions():
    columns = ", ".join(f"«{label}»" for _key, label, _others, _width in UNIT_COLUMNS)
    kinds = ", ".join(f"«{label}»" for label in UnitKind.labels)
    return [
        _("Cách điền danh sách đơn vị"),
        "",
        _("1. Mỗi dòng của trang «%(sheet)s» là một đơn vị. Các cột: %(columns)s.") % {"sheet": UNITS_SHEET, "columns": columns},
        _("2. Bắt buộc: mã, tên và loại đơn vị; mã đơn vị cấp trên bắt buộc với mọi đơn vị trừ đảng bộ tỉnh, thành phố."),
        _("3. Mã chỉ gồm chữ cái không dấu, chữ số, dấu gạch ngang (-) và gạch dưới (_); mỗi mã chỉ xuất hiện một lần."),
        _("4. Loại đơn vị chọn trong danh sách: %(kinds)s.") % {"kinds": kinds},
        _("5. Cấp trên có thể ở trong tệp (trước hoặc sau đơn vị) hoặc đã có trong dữ liệu."),
        _("6. «Từ năm», «Đến năm» và «Mã đơn vị kế thừa» có thể để trống; ô để trống xóa giá trị đang lưu."),
        _("7. Đơn vị đã có (cùng mã) được cập nhật theo tệp; đơn vị không có trong tệp giữ nguyên."),
        _("8. Tệp có lỗi thì không lưu gì; trang xem trước cho biết dòng nào lỗi và vì sao."),
        _("Có thể lưu thành .csv (UTF-8) thay cho .xlsx; tiêu đề cột có thể viết bằng tiếng Anh."),
    ]


def _text(sheet, value):
    """A cell that stays what it is: a name starting with "=" must never become a formula."""
    if not isinstance(value, str) or not value:
        return value or None
    cell = WriteOnlyCell(sheet, value)
    cell.data_type = "s"
    if looks_like_formula(value):
        cell.quotePrefix = True
    return cell


def _styled(sheet, text, font):
    cell = _text(sheet, text)
    cell.font = font
    return cell


def _header(sheet, label):
    cell = _text(sheet, label)
    cell.font = Font(bold=True)
    cell.fill = HEADER_FILL
    cell.alignment = Alignment(horizontal="center", vertical="center", wrap_text=True)
    return cell
