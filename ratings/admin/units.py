"""Units: the tree list with ratings inline."""

from django.contrib import admin
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from ..forms import RatingForm, UnitForm
from ..models import Rating, Unit
from .base import AuditedAdmin, ScopedAdmin
from .filters import ParentFilter, province_filter
from .ratings import warn_quota

MAX_INDENT = 10  # admin.css indents the tree list this many levels deep


class RatingInline(admin.TabularInline):
    model = Rating
    form = RatingForm
    fields = ["year", "stage", "level", "score", "votes_for", "votes_present", "decided_on", "source", "opened_version"]
    autocomplete_fields = ["source"]
    extra = 0
    show_change_link = True


@admin.register(Unit)
class UnitAdmin(AuditedAdmin, ScopedAdmin):
    scope_field = ""
    list_display = ["tree_name", "code", "kind", "parent", "province", "valid_from", "valid_to", "successor"]
    list_filter = ["kind", province_filter("province"), ParentFilter]
    list_select_related = ["parent", "province", "successor"]
    search_fields = ["name", "code", "place"]
    autocomplete_fields = ["parent", "successor"]
    form = UnitForm
    fields = ["code", "name", "place", "kind", "parent", "valid_from", "valid_to", "successor", "opened_version"]
    inlines = [RatingInline]
    list_per_page = 100

    @admin.display(description=_("tên"), ordering="path")
    def tree_name(self, unit):
        return format_html('<span class="tree-indent depth-{}">{}</span>', min(unit.depth, MAX_INDENT), unit.name)

    def save_formset(self, request, form, formset, change):
        super().save_formset(request, form, formset, change)
        for rating in formset.new_objects + [obj for obj, _fields in formset.changed_objects]:
            warn_quota(request, rating)
