"""The workbook a unit fills to import its ratings ("Tải mẫu nhập liệu").

One row per unit of the scope existing in the year, the year's decided ratings
prefilled so they can be corrected, drop-down lists for the stage and the
level. The columns are services.EXCEL_COLUMNS, which the upload reads back.
"""
from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter, quote_sheetname
from openpyxl.worksheet.datavalidation import DataValidation

from ..models import Rating, Regime, Stage, Unit
from ..services import EXCEL_COLUMNS, EXCEL_SHEET
from ..tables import looks_like_formula

LISTS_SHEET = "Danh mục"
TITLE_ROW, HEADER_ROW = 1, 2
SPARE_ROWS = 50  # rows below the units that keep the drop-downs, for units added by hand
HEADER_FILL = PatternFill("solid", fgColor="DDE3EA")


def build_template(*, year, scope=None):
    """The import template for `year` over `scope` (a Unit; None: every unit)."""
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = str(EXCEL_SHEET)
    lists = workbook.create_sheet(LISTS_SHEET)
    lists.sheet_state = "hidden"

    units = Unit.objects.existing_in(year).select_related("parent").order_by("path")
    ratings = Rating.objects.for_year(year).decided().select_related("level")
    if scope is not None:
        units, ratings = units.within(scope), ratings.within(scope)
    decided = {rating.unit_id: rating for rating in ratings}

    _title(sheet, year, scope)
    _header(sheet)
    row = HEADER_ROW
    for row, unit in enumerate(units, start=HEADER_ROW + 1):
        _unit_row(sheet, row, unit, year, decided.get(unit.pk))
    _validations(sheet, lists, year, last_row=max(row, HEADER_ROW + 1) + SPARE_ROWS)
    sheet.freeze_panes = sheet.cell(HEADER_ROW + 1, 3)
    return workbook


def _title(sheet, year, scope):
    scope_name = scope.name if scope is not None else _("tất cả đơn vị")
    cell = sheet.cell(TITLE_ROW, 1)
    put_text(cell, _("Kết quả xếp loại chất lượng năm %(year)s – %(scope)s") % {"year": year, "scope": scope_name})
    cell.font = Font(bold=True, size=14)
    sheet.merge_cells(start_row=TITLE_ROW, start_column=1, end_row=TITLE_ROW, end_column=len(EXCEL_COLUMNS))


def _header(sheet):
    for column, (_key, label, width) in enumerate(EXCEL_COLUMNS, start=1):
        cell = sheet.cell(HEADER_ROW, column, str(label))
        cell.font = Font(bold=True)
        cell.fill = HEADER_FILL
        cell.alignment = Alignment(horizontal="center", vertical="center", wrap_text=True)
        sheet.column_dimensions[get_column_letter(column)].width = width


def _unit_row(sheet, row, unit, year, rating):
    values = {
        "unit_code": unit.code,
        "unit_name": unit.name,
        "kind": unit.get_kind_display(),
        "parent": unit.parent.name if unit.parent else "",
        "year": year,
        "stage": str(Stage.APPROVED.label),
        "level": rating.level.label if rating else "",
        "votes_for": rating.votes_for if rating else None,
        "votes_present": rating.votes_present if rating else None,
        "note": rating.note if rating else "",
    }
    for column, (key, _label, _width) in enumerate(EXCEL_COLUMNS, start=1):
        value = values[key]
        if isinstance(value, str):
            if value:
                put_text(sheet.cell(row, column), value)
        elif value is not None:
            sheet.cell(row, column, value)


def put_text(cell, text):
    """Write text that stays text: a name starting with "=" must never become a formula."""
    cell.value = text
    cell.data_type = "s"
    if looks_like_formula(text):
        cell.quotePrefix = True


def _validations(sheet, lists, year, *, last_row):
    """Drop-downs read their items from the hidden sheet: labels hold commas, which break an inline list."""
    regime = Regime.objects.for_year(year).first()
    levels = [level.label for level in regime.levels.order_by("rank")] if regime else []
    stages = [str(label) for label in Stage.labels]
    for row, label in enumerate(stages, start=1):
        put_text(lists.cell(row, 1), label)
    for row, label in enumerate(levels, start=1):
        put_text(lists.cell(row, 2), label)

    def rows_of(key):
        letter = get_column_letter([k for k, _label, _width in EXCEL_COLUMNS].index(key) + 1)
        return f"{letter}{HEADER_ROW + 1}:{letter}{last_row}"

    def listed(column, count, title):
        source = f"{quote_sheetname(LISTS_SHEET)}!${column}$1:${column}${count}"
        return DataValidation(
            type="list", formula1=source, allow_blank=True, showErrorMessage=True, showDropDown=False,
            errorTitle=title, error=_("Chọn một giá trị trong danh sách."),
        )

    stage = listed("A", len(stages), _("Bước"))
    stage.add(rows_of("stage"))
    sheet.add_data_validation(stage)
    if levels:
        level = listed("B", len(levels), _("Mức xếp loại"))
        level.error = _("Chọn một mức của thang xếp loại năm %(year)s.") % {"year": year}
        level.add(rows_of("level"))
        sheet.add_data_validation(level)
    votes = DataValidation(
        type="whole", operator="greaterThanOrEqual", formula1="0", allow_blank=True, showErrorMessage=True,
        errorTitle=_("Số phiếu"), error=_("Nhập một số nguyên không âm."),
    )
    votes.add(rows_of("votes_for"))
    votes.add(rows_of("votes_present"))
    sheet.add_data_validation(votes)
