"""List filters on the tree: province, parent committee, level."""

from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from .. import aggregates
from ..filters import parse_id
from ..models import Unit, UnitKind


def province_filter(field):
    """A list filter on the province (the provincial unit) reached through `field`."""

    class ProvinceFilter(admin.SimpleListFilter):
        title = _("tỉnh, thành phố")
        parameter_name = "province"

        def lookups(self, request, model_admin):
            provinces = Unit.objects.provinces().editable_by(request.user).order_by("name")
            return [(str(unit.pk), unit.name) for unit in provinces]

        def queryset(self, request, queryset):
            province = parse_id(self.value())
            return queryset if province is None else queryset.filter(**{field: province})

    return ProvinceFilter


class ParentFilter(admin.SimpleListFilter):
    """Committees that have subordinate units, within the chosen province when there is one,
    and within an editor's subtrees: another province's committees are not theirs to list."""

    title = _("cấp trên")
    parameter_name = "parent"

    def lookups(self, request, model_admin):
        parents = Unit.objects.filter(
            kind__in=[UnitKind.PROVINCE, UnitKind.SUBORDINATE], children__isnull=False
        ).distinct().editable_by(request.user)
        province = parse_id(request.GET.get("province"))
        if province:
            parents = parents.filter(province_id=province)
        return [(str(unit.pk), unit.name) for unit in parents.order_by("path")[:300]]

    def queryset(self, request, queryset):
        parent = parse_id(self.value())
        return queryset if parent is None else queryset.filter(parent_id=parent)


class LevelCodeFilter(admin.SimpleListFilter):
    title = _("mức xếp loại")
    parameter_name = "level"

    def lookups(self, request, model_admin):
        return [(level.code, level.localized_label) for level in aggregates.level_columns()]

    def queryset(self, request, queryset):
        if self.value():
            return queryset.filter(level__code=self.value())
        return queryset
