"""The list of units still missing a stage of the year's review, to print and send to the committees.

Written like the report (write-only openpyxl, A4, header rows repeated on every page), so the
national list of tens of thousands of units streams out without being held in memory.
"""
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from openpyxl import Workbook

from .. import aggregates
from ..models import Stage, UnitKind
from .export import BOLD, TITLE, header_row, print_setup, styled, text_value

MISSING_COLUMNS = [
    (gettext_lazy("STT"), 6), (gettext_lazy("Cấp trên"), 40), (gettext_lazy("Mã đơn vị"), 16),
    (gettext_lazy("Tên đơn vị"), 48), (gettext_lazy("Loại đơn vị"), 24),
]


def build_missing_list(path, *, year, stage, scope=None):
    """Write the units of `year` within `scope` that have no rating of `stage`, grouped by parent."""
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet(_("Chưa có kết quả"))
    columns = [(str(label), width) for label, width in MISSING_COLUMNS]
    print_setup(sheet, title_rows="3:3", widths=[width for _label, width in columns])
    sheet.page_setup.orientation = "portrait"
    scope_name = str(scope) if scope is not None else _("Toàn quốc")
    sheet.append([styled(sheet, _("Đơn vị chưa có kết quả «%(stage)s» năm %(year)s") % {
        "stage": Stage(stage).label, "year": year}, font=TITLE)])
    sheet.append([text_value(sheet, scope_name)])
    sheet.append(header_row(sheet, [label for label, _width in columns]))
    sheet.freeze_panes = "A4"
    kinds = {value: str(label) for value, label in UnitKind.choices}
    units = aggregates.missing_units(year=year, stage=stage, scope=scope).values_list(
        "parent__name", "code", "name", "kind"
    )
    number = 0
    for number, (parent, code, name, kind) in enumerate(units.iterator(chunk_size=5000), 1):
        sheet.append([number, text_value(sheet, parent), text_value(sheet, code), text_value(sheet, name), kinds.get(kind, kind)])
    sheet.append([styled(sheet, _("Cộng: %(n)s đơn vị") % {"n": number}, font=BOLD)])
    sheet.auto_filter.ref = f"A3:E{number + 3 if number else 4}"
    workbook.save(path)
