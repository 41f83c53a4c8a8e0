"""The workbook a unit fills to import its ratings ("Tải mẫu nhập liệu").

One row per unit of the scope existing in the year, the year's decided ratings
prefilled so they can be corrected, drop-down lists for the stage and the
level. The columns are services.EXCEL_COLUMNS, which the upload reads back; the scorecard's
columns only for a year whose regulation scores (Quy định 366-QĐ/TW).
"""
from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter, quote_sheetname
from openpyxl.worksheet.datavalidation import DataValidation

from ..models import SCORECARD_FIELDS, TASK_FIELDS, Rating, Regime, Stage, Unit
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
    columns = template_columns(Regime.objects.for_year(year).first())

    _title(sheet, year, scope, columns)
    _header(sheet, columns)
    row = HEADER_ROW
    for row, unit in enumerate(units, start=HEADER_ROW + 1):
        _unit_row(sheet, row, unit, year, decided.get(unit.pk), columns)
    _validations(sheet, lists, year, columns, last_row=max(row, HEADER_ROW + 1) + SPARE_ROWS)
    sheet.freeze_panes = sheet.cell(HEADER_ROW + 1, 3)
    return workbook


def template_columns(regime):
    """EXCEL_COLUMNS without the scorecard's where the year's regulation has no score or no task conditions."""
    left_out = set()
    if regime is None or not regime.scored:
        left_out.add("score")
    if regime is None or not regime.has_scorecard:
        left_out.update(TASK_FIELDS)
    return [column for column in EXCEL_COLUMNS if column[0] not in left_out]


def _title(sheet, year, scope, columns):
    scope_name = scope.name if scope is not None else _("tất cả đơn vị")
    cell = sheet.cell(TITLE_ROW, 1)
    put_text(cell, _("Kết quả xếp loại chất lượng năm %(year)s – %(scope)s") % {"year": year, "scope": scope_name})
    cell.font = Font(bold=True, size=14)
    sheet.merge_cells(start_row=TITLE_ROW, start_column=1, end_row=TITLE_ROW, end_column=len(columns))


def _header(sheet, columns):
    for column, (_key, label, width) in enumerate(columns, start=1):
        cell = sheet.cell(HEADER_ROW, column, str(label))
        cell.font = Font(bold=True)
        cell.fill = HEADER_FILL
        cell.alignment = Alignment(horizontal="center", vertical="center", wrap_text=True)
        sheet.column_dimensions[get_column_letter(column)].width = width


def _unit_row(sheet, row, unit, year, rating, columns):
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
    for name in SCORECARD_FIELDS:
        values[name] = getattr(rating, name) if rating else None
    if values["disciplined"] is not None:
        values["disciplined"] = _("Có") if values["disciplined"] else _("Không")
    for column, (key, _label, _width) in enumerate(columns, start=1):
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


def _validations(sheet, lists, year, columns, *, last_row):
    """Drop-downs read their items from the hidden sheet: labels hold commas, which break an inline list."""
    regime = Regime.objects.for_year(year).first()
    levels = [level.label for level in regime.levels.order_by("rank")] if regime else []
    stages = [str(label) for label in Stage.labels]
    for row, label in enumerate(stages, start=1):
        put_text(lists.cell(row, 1), label)
    for row, label in enumerate(levels, start=1):
        put_text(lists.cell(row, 2), label)

    keys = [k for k, _label, _width in columns]

    def rows_of(key):
        letter = get_column_letter(keys.index(key) + 1)
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
    for key in TASK_FIELDS[:-1]:
        if key in keys:
            votes.add(rows_of(key))
    sheet.add_data_validation(votes)
    if "score" in keys:
        score = DataValidation(
            type="decimal", operator="between", formula1="0", formula2=str(regime.max_score), allow_blank=True,
            showErrorMessage=True, errorTitle=_("Điểm"),
            error=_("Nhập điểm từ 0 đến %(max)s.") % {"max": regime.max_score},
        )
        score.add(rows_of("score"))
        sheet.add_data_validation(score)
    if "disciplined" in keys:
        answers = [_("Có"), _("Không")]
        for row, label in enumerate(answers, start=1):
            put_text(lists.cell(row, 3), label)
        disciplined = listed("C", len(answers), _("Có kỷ luật trong năm"))
        disciplined.add(rows_of("disciplined"))
        sheet.add_data_validation(disciplined)
