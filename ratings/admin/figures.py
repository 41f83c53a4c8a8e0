"""Tallies, ballots and content grades."""

from django.contrib import admin, messages
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from .. import aggregates, services
from ..forms import CriterionGradeForm, VoteForm, level_field_names, tally_form_class
from ..models import CriterionGrade, Tally, Vote, quota_message
from .base import AuditedAdmin, ScopedAdmin, level_badge, source_link
from .filters import province_filter


@admin.register(Tally)
class TallyAdmin(AuditedAdmin, ScopedAdmin):
    scope_field = "parent"
    list_display_base = ["group", "parent", "year", "stage", "subject"]
    list_filter = [("year", admin.AllValuesFieldListFilter), "subject", "stage", province_filter("parent__province")]
    search_fields = ["group", "parent__name", "evidence"]
    autocomplete_fields = ["parent", "source"]
    list_select_related = ["parent", "regime", "source"]
    readonly_fields = ["counted_total", "quota"]

    def get_queryset(self, request):
        return super().get_queryset(request).prefetch_related("counts__level")

    def get_form(self, request, obj=None, change=False, **kwargs):
        kwargs["form"] = tally_form_class()
        return super().get_form(request, obj, change, **kwargs)

    def get_fieldsets(self, request, obj=None):
        year = request.POST.get("year") or request.GET.get("year") or (obj.year if obj else None)
        year = int(year) if str(year or "").isdigit() else None
        return [
            (None, {"fields": ["parent", "year", "group", "subject", "member_kind", "stage", "opened_version"]}),
            (_("Số lượng và tỷ lệ theo mức"), {"fields": [*level_field_names(year), ("total", "counted_total"), "quota"]}),
            (
                _("Số lượng và tỷ lệ từ một mức trở lên"),
                {
                    "fields": level_field_names(year, or_above=True),
                    "description": _("Khi nguồn nêu “N … hoàn thành tốt nhiệm vụ trở lên” hoặc “N …, trong đó M … xuất sắc”: "
                                     "N gồm cả M, nên không cộng thêm."),
                },
            ),
            (_("Nguồn"), {"fields": ["source", "evidence"]}),
        ]

    def get_list_display(self, request):
        return [*self.list_display_base, *self._level_columns(), "at_or_above", "counted_total", "quota", "total"]

    def _level_columns(self):
        columns = []
        for level in aggregates.level_columns(range(2018, 2101)):
            def column(tally, code=level.code):
                count = tally.count_of(code)
                return "—" if count is None else count

            column.short_description = level.code
            columns.append(column)
        return columns

    @admin.display(description=_("từ một mức trở lên"))
    def at_or_above(self, tally):
        return ", ".join(f"{c.label}: {c.count if c.count is not None else '—'}" for c in tally.stated_at_or_above()) or "—"

    @admin.display(description=_("tổng cộng"))
    def counted_total(self, tally):
        return tally.counted_total()

    @admin.display(description=_("tỷ lệ HTXSNV"))
    def quota(self, tally):
        check = tally.quota()
        if check is None:
            return "—"
        if check.broken:
            return format_html(
                '<span class="quota-broken" title="{}">{} &gt; {}</span>',
                quota_message(check, tally.group),
                check.excellent,
                check.limit,
            )
        return format_html('<span class="quota-ok">{} ≤ {}</span>', check.excellent, check.limit)

    def save_related(self, request, form, formsets, change):
        super().save_related(request, form, formsets, change)
        services.save_tally_counts(
            tally=form.instance, figures=form.level_figures(), at_or_above=form.level_figures(or_above=True)
        )
        check = form.instance.quota()
        if check and check.broken:
            messages.warning(request, quota_message(check, form.instance.group))


@admin.register(Vote)
class VoteAdmin(AuditedAdmin, ScopedAdmin):
    form = VoteForm
    list_display = ["unit", "year", "badge", "votes_for", "present", "source_link"]
    list_filter = [("year", admin.AllValuesFieldListFilter), province_filter("unit__province")]
    list_select_related = ["unit", "level", "source"]
    search_fields = ["unit__name", "evidence"]
    autocomplete_fields = ["unit", "source"]

    @admin.display(description=_("mức được biểu quyết"))
    def badge(self, vote):
        return level_badge(vote.level)

    @admin.display(description=_("nguồn"))
    def source_link(self, vote):
        return source_link(vote.source)


@admin.register(CriterionGrade)
class CriterionGradeAdmin(AuditedAdmin, ScopedAdmin):
    list_display = ["unit", "year", "stage", "grade", "content"]
    list_filter = [("year", admin.AllValuesFieldListFilter), "grade", "stage", province_filter("unit__province")]
    list_select_related = ["unit"]
    search_fields = ["unit__name", "content", "evidence"]
    autocomplete_fields = ["unit", "source"]
    form = CriterionGradeForm
    fields = ["unit", "year", "stage", "position", "content", "grade", "source", "evidence", "opened_version"]
