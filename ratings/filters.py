import django_filters
from django.utils.translation import gettext_lazy as _

from . import aggregates
from .forms import level_code_choices
from .models import Stage, Unit, UnitKind

# The largest integer both databases store: PostgreSQL's bigint, SQLite's INTEGER.
MAX_DATABASE_INTEGER = 2**63 - 1

CHANGES = [
    ("up", _("Tăng mức")), ("down", _("Giảm mức")), ("same", _("Giữ nguyên")), ("new", _("Mới")),
    ("merged", _("Sau hợp nhất")), ("changed", _("Có thay đổi")),
]


def is_database_integer(text):
    """Whether `text` is a number in ASCII digits that a database integer holds (0 … 2^63-1).

    str.isdigit() also accepts "²", which int() refuses, and "١٢"; int() refuses more than 4300
    digits; and a number beyond 2^63-1 reaches SQLite as an OverflowError, PostgreSQL as a DataError.
    """
    return text.isascii() and text.isdigit() and len(text) <= len(str(MAX_DATABASE_INTEGER)) and int(text) <= MAX_DATABASE_INTEGER


def parse_id(value):
    """An id, year or page number from the address (1 … 2^63-1), or None for anything else."""
    value = str(value or "")
    return int(value) if is_database_integer(value) and int(value) > 0 else None


class RatingFilter(django_filters.FilterSet):
    """The dashboard table's filters; the queryset carries the `change` annotation."""

    province = django_filters.ModelChoiceFilter(
        field_name="unit__province", queryset=Unit.objects.provinces().order_by("name"), label=_("Tỉnh, thành phố")
    )
    kind = django_filters.ChoiceFilter(field_name="unit__kind", choices=UnitKind.choices, label=_("Loại đơn vị"))
    level = django_filters.ChoiceFilter(field_name="level__code", choices=lambda: level_code_choices()[1:], label=_("Mức xếp loại"))
    stage = django_filters.ChoiceFilter(choices=Stage.choices, label=_("Bước"), empty_label=None)
    change = django_filters.ChoiceFilter(choices=CHANGES, method="filter_change", label=_("So với năm trước"))

    def filter_change(self, queryset, name, value):
        if value == "changed":
            return queryset.filter(change__in=["up", "down"])
        return queryset.filter(change=value)


def filtered_ratings(data, *, year, scope=None, stage=Stage.APPROVED):
    """The dashboard's rows as its filters (`data`, the page's query) leave them, at the page's stage."""
    data = {key: value for key, value in dict(data or {}).items()}
    data["stage"] = stage
    return RatingFilter(data, queryset=aggregates.dashboard_ratings(year=year, scope=scope, stage=stage)).qs
