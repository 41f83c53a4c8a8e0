import django_tables2 as tables
import tablib
from django.core.paginator import EmptyPage
from django.urls import reverse
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _
from django_tables2 import LazyPaginator
from django_tables2.export import TableExport

from .filters import MAX_DATABASE_INTEGER
from .models import Rating

FORMULA_PREFIXES = ("=", "+", "-", "@")
# Spreadsheets skip these before a formula sign, so "\t=cmd" runs as well as "=cmd" does.
FORMULA_LEADERS = "\t\r\n "
PER_PAGE = 50


def looks_like_formula(text):
    return isinstance(text, str) and text.lstrip(FORMULA_LEADERS).startswith(FORMULA_PREFIXES)


def spreadsheet_safe(value):
    """Text a spreadsheet would run as a formula gets a leading apostrophe, so it opens as text."""
    if looks_like_formula(value):
        return "'" + value
    return value


def safe_dataset(headers, rows):
    return tablib.Dataset(*([spreadsheet_safe(v) for v in row] for row in rows), headers=headers)


class SafeExport(TableExport):
    """The table's CSV with names typed by people or articles never read as formulas."""

    def table_to_dataset(self, table, exclude_columns, dataset_kwargs=None):
        dataset = super().table_to_dataset(table, exclude_columns, dataset_kwargs)
        return safe_dataset(dataset.headers, dataset)


class BoundedLazyPaginator(LazyPaginator):
    """LazyPaginator for numbers typed into the address: a page size outside 1…MAX_PER_PAGE is the
    table's own, and a page whose rows lie beyond any database offset is empty (django-tables2 then
    shows the first page) instead of an OFFSET the database refuses with a 500."""

    MAX_PER_PAGE = 500

    def __init__(self, object_list, per_page, **kwargs):
        if not 0 < per_page <= self.MAX_PER_PAGE:
            per_page = PER_PAGE
        super().__init__(object_list, per_page, **kwargs)

    def validate_number(self, number):
        number = super().validate_number(number)
        if (number + self.look_ahead) * self.per_page > MAX_DATABASE_INTEGER:
            raise EmptyPage("That page lies beyond any database offset")
        return number


CHANGE_SIGNS = {
    "up": ("▲", _("tăng")), "down": ("▼", _("giảm")), "same": ("=", _("giữ nguyên")),
    "new": ("+", _("mới")), "merged": ("⇢", _("sau hợp nhất")),
}


NARROW_HIDDEN = {"th": {"class": "hide-narrow"}, "td": {"class": "hide-narrow"}}


def badge(level):
    return format_html(
        '<span class="level-badge {}" title="{}">{}</span>', level.css_class, level.localized_label, level.code
    )


class RatingTable(tables.Table):
    unit = tables.Column(
        verbose_name=_("Đơn vị"), order_by=("unit__name",), linkify=lambda record: reverse("ratings:unit", args=[record.unit.code])
    )
    kind = tables.Column(verbose_name=_("Loại"), accessor="unit__kind", order_by=("unit__kind",), attrs=NARROW_HIDDEN)
    parent = tables.Column(verbose_name=_("Cấp trên"), accessor="unit__parent__name", default="—", attrs=NARROW_HIDDEN)
    level = tables.Column(verbose_name=_("Mức xếp loại"), order_by=("level__rank",))
    stage = tables.Column(verbose_name=_("Bước"))
    previous_code = tables.Column(verbose_name=_("Năm trước"), default="—", order_by=("previous_rank",))
    change = tables.Column(verbose_name=_("Thay đổi"), default="—")
    source = tables.Column(verbose_name=_("Nguồn"), default="—", orderable=False, attrs=NARROW_HIDDEN)

    class Meta:
        model = Rating
        fields = ["unit", "kind", "parent", "level", "stage", "previous_code", "change", "source"]
        attrs = {"class": "figures ratings-table"}
        per_page = PER_PAGE

    def render_kind(self, record):
        return record.unit.get_kind_display()

    def render_level(self, value):
        return badge(value)

    def value_level(self, value):
        return value.code

    def render_change(self, value):
        sign, word = CHANGE_SIGNS.get(value, ("", value))
        return format_html('<span class="change change-{}" title="{}">{} {}</span>', value, word, sign, word)

    def value_change(self, value):
        return str(CHANGE_SIGNS.get(value, ("", value))[1])

    def render_source(self, value, record):
        url = reverse("ratings:unit", args=[record.unit.code]) + f"#source-{value.pk}"
        return format_html('<a href="{}" title="{}">{}</a>', url, value.title, _("nguồn"))

    def value_source(self, value):
        return value.title
