"""The yearly report workbook: what the dashboard shows, laid out to be printed and filed.

Written in openpyxl's write-only mode straight to a file, so a national year
of 60,000 ratings streams out without the workbook being held in memory.
Every figure comes from `aggregates`, the same functions the pages use.
"""
from datetime import date

from django.utils import formats
from django.utils.functional import Promise
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from openpyxl import Workbook
from openpyxl.cell import Cell, WriteOnlyCell
from openpyxl.chart import BarChart, Reference
from openpyxl.formatting.rule import CellIsRule
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.dimensions import RowDimension

from .. import aggregates, quota
from ..models import Decision, Stage, UnitKind
from ..services import EXCEL_COLUMNS, EXCEL_REPORT_SHEET
from ..tables import looks_like_formula
from . import printing
from .printing import LINE_HEIGHT, lines, page_setup

BOLD = Font(bold=True, size=printing.FONT_SIZE)
TITLE = Font(bold=True, size=14)
HEADER_FILL = PatternFill("solid", fgColor="DDE3EA")
CENTER = Alignment(horizontal="center", vertical="center", wrap_text=True)
WRAP = Alignment(wrap_text=True)
WRAP_TOP = Alignment(wrap_text=True, vertical="top")
TOP = Alignment(vertical="top")


def build_report(
    path, *, year, scope=None, stage=Stage.APPROVED, compare=None, ratings=None, department=None, extra=(), progress=None
):
    """Write the report of `year` to `path`; `ratings` is the (filtered) queryset of the detail sheet.

    `extra` names the sheets of a comparison page to add: "units_years", "provinces".
    `progress(rows)`, when given, hears how many detail rows are written (a job's bar).
    """
    department = department or issuing_department(scope)
    workbook = Workbook(write_only=True)
    workbook.properties.title = _("Báo cáo kết quả đánh giá, xếp loại chất lượng năm %(year)s") % {"year": year}
    workbook.properties.creator = department
    summary_sheet(workbook, year=year, scope=scope, stage=stage, department=department)
    detail_sheet(
        workbook, year=year, ratings=ratings if ratings is not None else detail_ratings(year, scope, stage), scope=scope,
        progress=progress,
    )
    comparison_sheet(workbook, year=year, previous=compare or year - 1, scope=scope, stage=stage)
    quota_sheet(workbook, year=year, scope=scope, stage=stage)
    tallies_sheet(workbook, year=year, scope=scope)
    sources_sheet(workbook, year=year, scope=scope)
    for name in extra:
        EXTRA_SHEETS[name](workbook, year=year, scope=scope, stage=stage)
    workbook.save(path)


PROGRESS_EVERY = 2000


def detail_ratings(year, scope, stage):
    ratings = aggregates.ratings_in(year=year, scope=scope, stage=stage)
    return aggregates.with_previous_level(ratings, year=year, stage=stage).order_by("unit__path")


def issuing_department(scope):
    """The department that files the report: the organization department of the scope's province."""
    province = scope.province if scope is not None and scope.province_id else None
    if province is None:
        return _("Ban Tổ chức Trung ương")
    committee = _("Thành ủy") if "thành phố" in province.name else _("Tỉnh ủy")
    return _("Ban Tổ chức %(committee)s %(place)s") % {"committee": committee, "place": province.place or province.name}


def text_cell(sheet, value, **style):
    """A cell that holds text typed by people or articles: never read as a formula."""
    cell = styled(sheet, value, **style)
    if looks_like_formula(value):
        cell.data_type = "s"
    return cell


def styled(sheet, value, **style):
    cell = WriteOnlyCell(sheet, value=str(value) if isinstance(value, Promise) else value)
    for name, setting in style.items():
        setattr(cell, name, setting)
    return cell


def wrapped(sheet, value, width):
    """Text too long for its column wraps; text that fits stays a plain value, the fast path for big sheets."""
    if value is None or len(value) <= width * printing.FILL:
        return text_value(sheet, value)
    return text_cell(sheet, value, alignment=WRAP)


def header_row(sheet, labels, widths=None, *, number=1):
    """The bold header cells, their row as tall as the longest wrapped label."""
    if widths is not None:
        printing.set_row_height(sheet, number, printing.header_height(labels, widths))
    return [styled(sheet, label, font=BOLD, fill=HEADER_FILL, alignment=CENTER) for label in labels]


print_setup = page_setup  # the name the season sheets import


def table_header(sheet, columns, *, frozen="A2"):
    """Page setup, widths and header row 1 of a sheet laid out as `columns` of (label, width).

    Everything about the sheet's view is set before its first row: write-only mode writes it then."""
    labels, widths = zip(*columns)
    page_setup(sheet, title_rows="1:1", widths=widths)
    sheet.freeze_panes = frozen
    sheet.append(header_row(sheet, labels, widths))
    return widths


def summary_sheet(workbook, *, year, scope, stage, department):
    """The Party document header, counts and shares per level for each kind (formulas), and a chart."""
    sheet = workbook.create_sheet(_("Tổng hợp"))
    distribution = aggregates.distribution_by_kind(year=year, scope=scope, stage=stage)
    levels = distribution.levels
    width = 2 + 2 * len(levels)
    widths = [30] + [11, 9] * len(levels) + [12]
    page_setup(sheet, title_rows="8:8", widths=widths, gridlines=False)  # a Party document header, not a grid
    today = date.today()
    place = (scope.province.place if scope is not None and scope.province_id else "") or _("Hà Nội")
    right = width - 2
    sheet.append([styled(sheet, department.upper(), font=BOLD)] + [None] * (right - 1) + [styled(sheet, "ĐẢNG CỘNG SẢN VIỆT NAM", font=BOLD)])
    sheet.append([styled(sheet, "*", alignment=CENTER)])
    sheet.append([None] * right + [styled(sheet, _("%(place)s, ngày %(d)02d tháng %(m)02d năm %(y)s") % {"place": place, "d": today.day, "m": today.month, "y": today.year}, font=Font(italic=True))])
    sheet.append([])
    sheet.append([styled(sheet, _("BÁO CÁO KẾT QUẢ ĐÁNH GIÁ, XẾP LOẠI CHẤT LƯỢNG NĂM %(year)s") % {"year": year}, font=TITLE)])
    scope_name = str(scope) if scope is not None else _("Toàn quốc")
    sheet.append([text_cell(sheet, f"{scope_name} · {Stage(stage).label}")])
    sheet.append([])
    labels = [_("Loại đơn vị")]
    for level in levels:
        labels += [level.code, _("Tỷ lệ")]
    sheet.append(header_row(sheet, labels + [_("Tổng số")], widths, number=8))
    first = 9
    last = first + len(distribution.rows) - 1
    total_col = get_column_letter(width)
    count_cols = [get_column_letter(2 + 2 * i) for i in range(len(levels))]
    for offset, row in enumerate(distribution.rows):
        number = first + offset
        cells = [text_cell(sheet, row.label)]
        for level, col in zip(levels, count_cols):
            cells.append(styled(sheet, row.counts.get(level.code, 0), number_format="#,##0"))
            cells.append(styled(sheet, f"=IF(${total_col}{number}=0,0,{col}{number}/${total_col}{number})", number_format="0.0%"))
        cells.append(styled(sheet, "=" + "+".join(f"{col}{number}" for col in count_cols), number_format="#,##0", font=BOLD))
        sheet.append(cells)
    total_row = last + 1
    cells = [styled(sheet, _("Cộng"), font=BOLD)]
    for col in count_cols + [total_col]:
        sum_cell = styled(sheet, f"=SUM({col}{first}:{col}{last})" if last >= first else 0, number_format="#,##0", font=BOLD)
        if col == total_col:
            cells.append(sum_cell)
        else:
            cells += [sum_cell, styled(sheet, f"=IF(${total_col}{total_row}=0,0,{col}{total_row}/${total_col}{total_row})", number_format="0.0%", font=BOLD)]
    sheet.append(cells)
    sheet.freeze_panes = "B9"
    if distribution.rows:
        sheet.add_chart(distribution_chart(sheet, levels, first, last, count_cols), f"A{total_row + 3}")
    return sheet


def distribution_chart(sheet, levels, first, last, count_cols):
    chart = BarChart()
    chart.type = "bar"
    chart.grouping = "percentStacked"
    chart.overlap = 100
    chart.title = _("Tỷ lệ các mức xếp loại theo loại đơn vị")
    chart.height, chart.width = 9, 22
    for level, col in zip(levels, count_cols):
        column = ord(col) - 64
        data = Reference(sheet, min_col=column, min_row=first - 1, max_row=last)
        chart.add_data(data, titles_from_data=True)
        chart.series[-1].graphicalProperties.solidFill = level.colour.lstrip("#")
        chart.series[-1].graphicalProperties.line.solidFill = level.colour.lstrip("#")
    chart.set_categories(Reference(sheet, min_col=1, min_row=first, max_row=last))
    return chart


LABELS = {key: label for key, label, _width in EXCEL_COLUMNS}
# The upload reads this sheet back by the same header labels as its template: export, edit, import.
# The columns a reader needs on paper come first and are the print area. The kind follows (a
# Party organization's name already says it: "Chi bộ…", "Đảng ủy…"; Tổng hợp counts by kind), then the
# province, year and stage (one value for most reports, on Tổng hợp) and the source (listed on Nguồn).
DETAIL_COLUMNS = [
    (gettext_lazy("STT"), 5), (LABELS["unit_code"], 24), (LABELS["unit_name"], 36), (LABELS["parent"], 37),
    (LABELS["level"], 9), (gettext_lazy("Điểm"), 6), (LABELS["votes_for"], 6), (LABELS["votes_present"], 6),
    (gettext_lazy("Năm trước"), 8), (gettext_lazy("Thay đổi"), 9), (gettext_lazy("Quyết định"), 20),
    (LABELS["kind"], 22), (gettext_lazy("Tỉnh, thành phố"), 24), (LABELS["year"], 7), (LABELS["stage"], 12),
    (gettext_lazy("Nguồn"), 30),
]
DETAIL_PRINTED = 11
LEVEL_COLUMN = "E"
# (index, characters on a line) of the printed detail columns of people's text that may need more than
# one line: code, name, parent, decision. The change is a label of ours, laid out once (`labels_cells`).
DETAIL_WRAPPED = [
    (index, DETAIL_COLUMNS[index][1] * (printing.CODE_FILL if index == 1 else printing.FILL)) for index in (1, 2, 3, 10)
]


def detail_sheet(workbook, *, year, ratings, scope=None, progress=None):
    """Every rating with its place in the tree; the level coloured by conditional formatting.

    On paper each block (a unit directly under the scope with everything below it) stays on one
    page where it fits, and each province of a national report starts a page (printing.PageBreaks).
    """
    sheet = workbook.create_sheet(str(EXCEL_REPORT_SHEET))
    widths = table_header(sheet, DETAIL_COLUMNS)
    printed_widths = widths[:DETAIL_PRINTED]
    header_height = printing.header_height(*zip(*DETAIL_COLUMNS))
    breaks = printing.PageBreaks(sheet, room=printing.page_rows_height(printed_widths, header_height))
    # The path segment of the unit directly under the scope ("/P/D0/G0/": D0 under the province P).
    block_at = scope.depth + 1 if scope is not None else 2
    stages = {value: str(label) for value, label in Stage.choices}
    kinds = {value: str(label) for value, label in UnitKind.choices}
    changes = labels_cells(sheet, {
        "up": _("tăng"), "down": _("giảm"), "same": _("giữ nguyên"), "new": _("mới"), "merged": _("sau hợp nhất")
    }, DETAIL_COLUMNS[9][1])
    fields = [
        "unit__code", "unit__name", "unit__kind", "unit__parent__name", "unit__province__name", "year", "stage",
        "level__code", "score", "votes_for", "votes_present", "previous_code", "change", "source__title",
        "unit__path", "decision__kind", "decision__number", "decision__issued_on",
    ]
    # Tens of thousands of rows: a wrapped cell copies one prepared style, and a tall row borrows the
    # row dimension of its height, rather than each building its own (openpyxl hashes every new style).
    wrap_style = styled(sheet, None, alignment=WRAP)._style
    tall = {}
    provinces = {}  # a few dozen names, each checked once
    rows = 0
    for rows, values in enumerate(ratings.values_list(*fields).iterator(chunk_size=5000), 1):
        code, name, kind, parent, province, rated, stage, level, score, votes, present, previous, change, source, path = values[:15]
        change_cell, height = changes.get(change, (None, LINE_HEIGHT))
        if province not in provinces:
            provinces[province] = text_value(sheet, province)
        cells = [
            rows, code, name, parent, level, score, votes, present, previous, change_cell,
            decision_label(*values[15:]) if values[16] is not None else None,
            kinds[kind], provinces[province], rated, stages[stage], source if source is None else text_value(sheet, source),
        ]
        for index, room in DETAIL_WRAPPED:
            value = cells[index]
            if value is not None and len(value) > room:
                cells[index] = cell = Cell(sheet, row=1, column=1, value=value, style_array=wrap_style)
                if looks_like_formula(value):
                    cell.data_type = "s"
                height = max(height, LINE_HEIGHT * lines(value, room, fill=1))
            elif looks_like_formula(value):
                cells[index] = text_cell(sheet, value)
        number = rows + 1
        if height > LINE_HEIGHT:
            if height not in tall:
                tall[height] = RowDimension(sheet, ht=height, customHeight=True)
            sheet.row_dimensions[number] = tall[height]
        sheet.append(cells)
        if height > LINE_HEIGHT:
            del sheet.row_dimensions[number]  # written with its row: the streamed sheet need not keep it
        segments = path.split("/", block_at + 1)
        breaks.row(number, height, (segments[1], segments[block_at] if len(segments) > block_at else ""))
        if progress is not None and rows % PROGRESS_EVERY == 0:
            progress(rows)
    breaks.close()
    last = max(rows + 1, 2)
    sheet.auto_filter.ref = f"A1:{get_column_letter(len(DETAIL_COLUMNS))}{last}"
    sheet.print_area = f"A1:{get_column_letter(DETAIL_PRINTED)}{last}"
    for level in aggregates.scale_of(year):
        fill = PatternFill("solid", fgColor=level.colour.lstrip("#"), bgColor=level.colour.lstrip("#"))
        rule = CellIsRule(operator="equal", formula=[f'"{level.code}"'], fill=fill, font=Font(color="FFFFFF", bold=True))
        sheet.conditional_formatting.add(f"{LEVEL_COLUMN}2:{LEVEL_COLUMN}{last}", rule)
    return sheet


def labels_cells(sheet, labels, width):
    """{key: (value, row height)} of our own labels in a column: a label too long for it is one wrapped
    cell, written again on every row that shows it (write-only mode writes a row as it is appended)."""
    cells = {}
    for key, label in labels.items():
        height = printing.row_height((label, width))
        cells[key] = (wrapped(sheet, label, width), height)
    return cells


def decision_label(kind, number, issued_on):
    """A rating's decision as the document is cited: «Quyết định số 12-QĐ/TU ngày 05/01/2025»."""
    if number is None:
        return None
    return str(Decision(kind=kind, number=number, issued_on=issued_on))


def text_value(sheet, value):
    """Plain text passes as it is (fast); text that starts like a formula becomes a text cell."""
    if looks_like_formula(value):
        return text_cell(sheet, value)
    return value


def comparison_sheet(workbook, *, year, previous, scope, stage):
    """The transition matrix from `previous` to `year` and both distributions."""
    sheet = workbook.create_sheet(_("So sánh"))
    matrix = aggregates.transitions(year=year, previous=previous, scope=scope, stage=stage)
    widths = [34] + [12] * (len(matrix.levels) + 1)
    page_setup(sheet, title_rows="2:2", widths=widths)
    sheet.append([styled(sheet, _("Chuyển mức từ năm %(a)s (hàng) sang năm %(b)s (cột)") % {"a": previous, "b": year}, font=BOLD)])
    sheet.append(header_row(sheet, [f"{previous} → {year}", *(level.code for level in matrix.levels), _("Cộng")], widths, number=2))
    first = 3
    for offset, (level, counts) in enumerate(matrix.rows):
        number = first + offset
        label = level.code if level else _("Không có kết quả năm trước")
        end = get_column_letter(1 + len(counts))
        sheet.append([label, *counts, styled(sheet, f"=SUM(B{number}:{end}{number})", font=BOLD)])
    last = first + len(matrix.rows) - 1
    sheet.append([styled(sheet, _("Cộng"), font=BOLD)] + [
        styled(sheet, f"=SUM({get_column_letter(c)}{first}:{get_column_letter(c)}{last})", font=BOLD)
        for c in range(2, len(matrix.levels) + 3)
    ])
    sheet.append([])
    labels = [_("Năm"), *(level.code for level in matrix.levels), _("Tổng số")]
    sheet.append(header_row(sheet, labels, widths, number=last + 3))
    for shown in (previous, year):
        row = aggregates.distribution(year=shown, scope=scope, stage=stage)
        sheet.append([shown, *(row.counts.get(level.code, 0) for level in matrix.levels), row.total])
    sheet.freeze_panes = "B3"
    return sheet


def quota_sheet(workbook, *, year, scope, stage):
    """Each peer group's HTXSNV count against its limit (ratings.quota, reported tallies included),
    with the limit as a formula. The verdict is centred in its own column, apart from the limit beside it."""
    sheet = workbook.create_sheet(_("Kiểm tra tỷ lệ"))
    columns = [(_("Cấp trên"), 34), (_("Nhóm, loại đơn vị"), 26), (_("Bước"), 11), ("HTXSNV", 9), ("HTTNV", 9),
               (_("Tỷ lệ tối đa"), 9), (_("Tối đa"), 8), (_("Kết quả"), 12), (_("Nguồn số liệu"), 14)]
    widths = table_header(sheet, columns)
    findings = quota.quota_findings(year=year, stage=stage, scope=scope)
    broken, ok = _("Vượt tỷ lệ"), _("Đạt")
    verdict = Alignment(horizontal="center")
    for number, finding in enumerate(findings, 2):
        group = str(finding.group if finding.source == quota.TALLY else finding.kind_label)
        source = str(finding.source_label)
        printing.set_row_height(sheet, number, printing.row_height(
            (finding.parent_name, widths[0]), (group, widths[1]), (source, widths[8])
        ))
        sheet.append([
            wrapped(sheet, finding.parent_name, widths[0]), wrapped(sheet, group, widths[1]), str(finding.stage_label),
            finding.check.excellent, finding.check.good, styled(sheet, float(finding.check.ratio), number_format="0%"),
            f"=ROUNDDOWN(E{number}*F{number},0)",
            styled(sheet, f'=IF(D{number}>G{number},"{broken}","{ok}")', alignment=verdict),
            wrapped(sheet, source, widths[8]),
        ])
    if not findings:
        sheet.append([text_value(sheet, str(quota.nothing_to_check(year=year)))])
    last = max(len(findings) + 1, 2)
    sheet.auto_filter.ref = f"A1:I{last}"
    sheet.conditional_formatting.add(
        f"H2:H{last}", CellIsRule(operator="equal", formula=[f'"{broken}"'], fill=PatternFill("solid", bgColor="F8D7DA"),
                                  font=Font(color="9C0006", bold=True))
    )
    return sheet


def tallies_sheet(workbook, *, year, scope):
    """The counts sources report for groups (no per-unit records), as stated: a count of a level
    "and above" gets its own column, never the column of its level, so nothing is counted twice."""
    sheet = workbook.create_sheet(_("Số liệu báo cáo"))
    levels = aggregates.level_columns([year])
    columns = [(_("Nhóm được đếm"), 26), (_("Cấp trên"), 22), (_("Đối tượng"), 11), (_("Bước"), 11),
               *((level.code, 9) for level in levels), (_("Từ một mức trở lên"), 20), (_("Tổng số nêu"), 8),
               (_("Nguồn"), 26)]
    widths = table_header(sheet, columns, frozen="B2")
    for number, tally in enumerate(aggregates.reported_tallies(year=year, scope=scope).order_by("parent__path", "group"), 2):
        exact = {c.level.code: c for c in tally.counts.all() if not c.or_above}
        texts = [tally.group, tally.parent.name, str(tally.get_subject_display()), str(tally.get_stage_display())]
        at_or_above = "; ".join(f"{c.label}: {c.figure}" for c in tally.stated_at_or_above()) or None
        source = tally.source.title if tally.source else None
        ends = [(at_or_above, widths[-3]), (source, widths[-1])]
        printing.set_row_height(sheet, number, printing.row_height(*zip(texts, widths), *ends))
        sheet.append([
            *(text_cell(sheet, text, alignment=WRAP_TOP) for text in texts),
            *(_stated_cell(sheet, exact.get(level.code)) for level in levels),
            text_cell(sheet, at_or_above, alignment=WRAP_TOP), styled(sheet, tally.total, alignment=TOP),
            text_cell(sheet, source, alignment=WRAP_TOP),
        ])
    return sheet


def _stated_cell(sheet, count):
    """A level's count as a number, or its share when the source gives only that."""
    if count is None:
        return None
    if count.count is not None:
        return styled(sheet, count.count, number_format="#,##0", alignment=TOP)
    if count.percent is not None:
        return styled(sheet, float(count.percent) / 100, number_format="0.0%", alignment=TOP)
    return None


def sources_sheet(workbook, *, year, scope):
    """Each source of the year's figures with its title, link, date and the quotes taken from it,
    one quote a row, each row as tall as its longest wrapped text."""
    sheet = workbook.create_sheet(_("Nguồn"))
    columns = [(_("Tiêu đề"), 36), (_("Địa chỉ, tệp"), 30), (_("Ngày đăng"), 11), (_("Trích dẫn"), 70)]
    widths = table_header(sheet, columns)
    number = 1
    for source, quotes in aggregates.sources_of_year(year=year, scope=scope):
        address = source.url or source.file_name
        link = text_cell(sheet, address, alignment=WRAP_TOP)
        if source.url:
            link.hyperlink = source.url
        published = formats.date_format(source.published, "SHORT_DATE_FORMAT") if source.published else None
        for index, quote in enumerate(quotes or [""]):
            number += 1
            texts = [source.title, address, published] if index == 0 else [None] * 3
            printing.set_row_height(sheet, number, printing.row_height(*zip(texts + [quote], widths)))
            described = [text_cell(sheet, text, alignment=WRAP_TOP) for text in texts] if index == 0 else texts
            if index == 0:
                described[1] = link
            sheet.append([*described, text_cell(sheet, quote, alignment=WRAP_TOP)])
    return sheet


def units_years_table(*, year, scope, stage, years):
    """Units × years as on the comparison page: a unit merged away under its successor, marked."""
    headers = [_("Mã đơn vị"), _("Đơn vị"), _("Hợp nhất vào"), *years]
    rows = [
        [line.unit.code, line.unit.name, merged_into, *(level.code if level else None for level in line.cells)]
        for row in aggregates.unit_histories(aggregates.current_units(year=year, scope=scope), years=years, stage=stage)
        for line, merged_into in [(row, None), *((m, row.unit.code) for m in row.merged)]
    ]
    return headers, rows


def provinces_table(*, year):
    """The provincial ratings per stage, ballots and reported tallies of the year side by side."""
    stages = [Stage.SELF, Stage.PROPOSED, Stage.APPROVED]
    headers = [_("Tỉnh, thành phố"), *(str(s.label) for s in stages), _("Biểu quyết"), _("Số liệu tổng hợp báo cáo")]
    rows = [
        [
            row.province.name,
            *(row.ratings[s].level.code if s in row.ratings else None for s in stages),
            "; ".join(f"{v.votes_for}/{v.present or '?'} {v.level.code}" for v in row.votes) or None,
            "; ".join(
                f"{t.group}: " + ", ".join(f"{c.figure} {c.label}" for c in t.counts.all()) for t in row.tallies
            ) or None,
        ]
        for row in aggregates.province_comparison(year=year)
    ]
    return headers, rows


def table_sheet(workbook, title, headers, rows, *, widths, frozen):
    sheet = workbook.create_sheet(title)
    page_setup(sheet, title_rows="1:1", widths=widths)
    sheet.freeze_panes = frozen
    sheet.append(header_row(sheet, headers, widths))
    for number, row in enumerate(rows, 2):
        printing.set_row_height(sheet, number, printing.row_height(*((v, w) for v, w in zip(row, widths) if isinstance(v, str))))
        sheet.append([wrapped(sheet, value, width) if isinstance(value, str) else value for value, width in zip(row, widths)])
    return sheet


def units_years_sheet(workbook, *, year, scope, stage):
    years = sorted(aggregates.years_held())[-8:]
    headers, rows = units_years_table(year=year, scope=scope, stage=stage, years=years)
    return table_sheet(workbook, _("Đơn vị qua các năm"), headers, rows, widths=[14, 40, 26] + [9] * len(years), frozen="D2")


def provinces_sheet(workbook, *, year, scope, stage):
    headers, rows = provinces_table(year=year)
    return table_sheet(workbook, _("So sánh tỉnh"), headers, rows, widths=[34, 11, 11, 11, 28, 56], frozen="B2")


EXTRA_SHEETS = {"units_years": units_years_sheet, "provinces": provinces_sheet}
