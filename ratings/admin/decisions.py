"""Decisions and notices that record the proposed or decided levels of the units under their issuer."""
from django.contrib import admin
from django.db.models import Count
from django.utils.translation import gettext_lazy as _

from ..forms import VersionCheckedForm
from ..models import Decision
from .base import AuditedAdmin, ScopedAdmin
from .filters import province_filter


class DecisionForm(VersionCheckedForm):
    class Meta:
        model = Decision
        fields = ["kind", "number", "issued_on", "issuer", "year", "stage", "file_name", "note"]


@admin.register(Decision)
class DecisionAdmin(AuditedAdmin, ScopedAdmin):
    """An editor sees the decisions issued by units of their subtrees, as with every figure."""

    form = DecisionForm
    scope_field = "issuer"
    list_display = ["__str__", "issuer", "year", "stage", "rating_count", "file_name"]
    list_filter = [("year", admin.AllValuesFieldListFilter), "stage", "kind", province_filter("issuer__province")]
    list_select_related = ["issuer"]
    search_fields = ["number", "issuer__name", "issuer__code", "note", "file_name"]
    autocomplete_fields = ["issuer"]
    date_hierarchy = "issued_on"

    def get_queryset(self, request):
        return super().get_queryset(request).annotate(rating_total=Count("ratings"))

    @admin.display(description=_("số kết quả xếp loại"), ordering="rating_total")
    def rating_count(self, decision):
        return decision.rating_total
