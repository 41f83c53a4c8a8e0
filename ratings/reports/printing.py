"""Print layout of the report sheets: A4 landscape, fitted to the page width, read at 8 pt or more.

openpyxl does not measure text, so the row heights and page breaks here are estimates from
text length and column width (a column's width is counted in characters of the default
11 pt font). They err on the generous side: a row a little too tall reads better than a clipped one.
"""
from functools import lru_cache

from django.utils.translation import gettext as _
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.page import PageMargins
from openpyxl.worksheet.pagebreak import Break, RowBreak

A4 = "9"  # the paperSize code of A4 in SpreadsheetML
PAGE_WIDTH, PAGE_HEIGHT = 11.69, 8.27  # A4 landscape, inches
MARGINS = PageMargins(left=0.4, right=0.4, top=0.5, bottom=0.6, header=0.25, footer=0.3)
FONT_SIZE = 11  # the workbook's default font (Calibri 11): every cell without its own font
LINE_HEIGHT = 15  # points per line of 11 pt text, Excel's default row height
# Characters of ordinary Vietnamese text a unit of column width holds. The unit is a digit's width;
# lower-case letters and spaces are narrower, so a line holds more, even in LibreOffice's stand-in
# for Calibri (DejaVu Sans, wider than Calibri): measured on its PDF of the report.
FILL = 1.15
CODE_FILL = 0.95  # codes are capitals, digits and hyphens: wider than words
BOLD_FILL = 0.85  # header labels, bold and broken at every space
# Excel keeps at most 1,026 manual page breaks per sheet; past them its own breaks take over.
MAX_BREAKS = 1026


def column_points(width):
    """A column's width on screen in points: width characters of 7 px plus 5 px of padding, at 96 px per inch."""
    return (7 * width + 5) * 0.75


def fit_scale(widths):
    """The scale at which the columns just fill the printable width of the page (1 if they fit as they are)."""
    printable = (PAGE_WIDTH - MARGINS.left - MARGINS.right) * 72
    return min(1.0, printable / sum(column_points(width) for width in widths))


@lru_cache(maxsize=4096)  # a parent's name comes back on each of its units' rows
def lines(text, width, fill=FILL):
    """How many lines text takes wrapped in a column `width` characters wide: words laid greedily on lines."""
    if text is None:
        return 1
    text = str(text)
    room = max(1, int(width * fill))
    if len(text) <= room and "\n" not in text:
        return 1
    count = 0
    for paragraph in text.split("\n"):
        count, used = count + 1, 0
        for word in paragraph.split():
            if used and used + 1 + len(word) > room:
                count, used = count + 1, 0
            used += (1 if used else 0) + len(word)
            while used > room:  # a word wider than the column carries on on the next line
                count, used = count + 1, used - room
    return count


def row_height(*cells, fill=FILL):
    """The height, in points, of a row whose wrapped cells are (text, column width) pairs."""
    return LINE_HEIGHT * max((lines(text, width, fill) for text, width in cells), default=1)


def header_height(labels, widths):
    """The height of a header row: its bold labels wrapped in their columns."""
    return row_height(*zip(map(str, labels), widths), fill=BOLD_FILL)


def set_row_height(sheet, number, height):
    if height > LINE_HEIGHT:
        sheet.row_dimensions[number].height = height


def page_setup(sheet, *, title_rows, widths, gridlines=True):
    """A4 landscape, one page wide and as many pages long as it takes, the header repeated on each page."""
    sheet.page_setup.orientation = "landscape"
    sheet.page_setup.paperSize = A4
    sheet.page_setup.fitToWidth = 1
    sheet.page_setup.fitToHeight = 0
    sheet.sheet_properties.pageSetUpPr.fitToPage = True
    # Excel draws a row of one line as tall as the estimates count it (LibreOffice a little shorter).
    sheet.sheet_format.defaultRowHeight = LINE_HEIGHT
    sheet.sheet_format.customHeight = True
    sheet.page_margins = MARGINS
    sheet.print_title_rows = title_rows
    sheet.print_options.horizontalCentered = True
    # Grid lines on paper keep neighbouring columns apart (a right-aligned number beside a left-aligned word).
    sheet.print_options.gridLines = gridlines
    sheet.print_options.gridLinesSet = gridlines
    sheet.oddFooter.center.text = _("Trang %(page)s/%(pages)s") % {"page": "&P", "pages": "&N"}
    sheet.oddFooter.center.size = FONT_SIZE  # scaled with the page like the cells
    for index, width in enumerate(widths, 1):
        sheet.column_dimensions[get_column_letter(index)].width = width


def page_rows_height(widths, header_height):
    """The height, in sheet points, that the rows under the repeated header can fill on one page."""
    printable = (PAGE_HEIGHT - MARGINS.top - MARGINS.bottom) * 72
    return printable / fit_scale(widths) - header_height


class PageBreaks:
    """Page breaks between blocks of rows, decided as the rows stream past.

    A block (a unit and everything under it) starts a new page when it would not fit on what
    is left of the current one, so a small block is not cut in two and small blocks share a
    page; but a page is not left more than three quarters blank for a block that fits on a page,
    nor more than half blank for one longer than a page: that block starts where it is and goes
    on overleaf. A new section (a province in a national report) always starts a page.
    Every page ends at a break of ours, set a little early, so the application never breaks a
    page on its own and the estimate cannot drift from what is printed.
    Breaks are written at the end of the sheet, so a block is judged once its last row is known.
    """

    def __init__(self, sheet, *, room):
        self.sheet = sheet
        self.room = room * 0.95  # a margin for the estimated scale and row heights
        self.used = 0.0  # of the current page, by the blocks already placed
        self.key = None  # (section, block) of the block under way
        self.first = None  # its first row
        self.heights = []  # and the heights of its rows
        self.new_section = False
        self.breaks = []  # the rows that start a page

    def row(self, number, height, key):
        """Count a row of the block `key`, a (section, block) pair; rows come in order, blocks whole."""
        if key != self.key:
            self._place()
            self.new_section = self.key is not None and key[0] != self.key[0]
            self.key, self.first = key, number
        self.heights.append(height)

    def close(self):
        """Place the last block and give the sheet its breaks, all at once (RowBreak.append copies them all)."""
        self._place()
        self.sheet.row_breaks = RowBreak(brk=[Break(id=number - 1) for number in self.breaks[:MAX_BREAKS]])

    def _place(self):
        """Place the block that has just ended: on the current page, or from the top of a new one."""
        if not self.heights:
            return
        height = sum(self.heights)
        least_used = self.room / 4 if height <= self.room else self.room / 2
        if self.used and (self.new_section or self.used + height > self.room and self.used > least_used):
            self._break_before(self.first)
        for number, h in enumerate(self.heights, self.first):
            if self.used and self.used + h > self.room:
                self._break_before(number)
            self.used += h
        self.heights = []

    def _break_before(self, number):
        self.breaks.append(number)  # a Break's id is zero-based: the break is above row `number`
        self.used = 0.0
