"""Quarterly ratings (Quy định 366-QĐ/TW): entered as the year's are, with the same scorecard warning."""
from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from ..forms import QuarterRatingForm
from ..models import QuarterRating
from .base import AuditedAdmin, ScopedAdmin, level_badge
from .filters import province_filter
from .ratings import SCORECARD_FIELDSET, warn_scorecard


@admin.register(QuarterRating)
class QuarterRatingAdmin(AuditedAdmin, ScopedAdmin):
    form = QuarterRatingForm
    list_display = ["unit", "year", "quarter", "stage", "badge", "score", "province"]
    list_filter = [("year", admin.AllValuesFieldListFilter), "quarter", "stage", province_filter("unit__province")]
    list_select_related = ["unit", "unit__province", "level"]
    search_fields = ["unit__name", "unit__code", "note", "evidence"]
    autocomplete_fields = ["unit", "source"]
    fieldsets = [
        (None, {"fields": ["unit", "year", "quarter", "stage", "level", "opened_version"]}),
        SCORECARD_FIELDSET,
        (_("Ghi chú và nguồn"), {"fields": ["decided_on", "note", "source", "evidence"]}),
    ]

    @admin.display(description=_("mức xếp loại"), ordering="level__rank")
    def badge(self, rating):
        return level_badge(rating.level)

    @admin.display(description=_("tỉnh, thành phố"), ordering="unit__province__name")
    def province(self, rating):
        return rating.unit.province

    def save_model(self, request, obj, form, change):
        super().save_model(request, obj, form, change)
        warn_scorecard(request, obj)
