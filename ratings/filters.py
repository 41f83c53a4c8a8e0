import django_filters
from django.utils.translation import gettext_lazy as _

from .forms import level_code_choices
from .models import Stage, Unit, UnitKind

CHANGES = [
    ("up", _("Tăng mức")), ("down", _("Giảm mức")), ("same", _("Giữ nguyên")), ("new", _("Mới")),
    ("merged", _("Sau hợp nhất")), ("changed", _("Có thay đổi")),
]


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
