"""The admin is where staff enter ratings: Vietnamese labels, tree-aware lists,
levels chosen by name and checked against the year's scale, quota warnings."""
import io
from datetime import date

from django.contrib import admin, messages
from django.contrib.auth.admin import UserAdmin
from django.contrib.admin.utils import unquote
from django.contrib.auth.models import User
from django.core.exceptions import PermissionDenied
from django.db import models
from django.db.models import Count
from django.http import FileResponse
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.html import format_html
from django.utils.text import Truncator, slugify
from django.utils.translation import gettext_lazy as _
from simple_history.admin import SimpleHistoryAdmin

from . import aggregates, services
from .forms import ArticleForm, RatingForm, VoteForm, concurrent_edit_message, level_field_names, tally_form_class
from .models import (
    ConcurrentEdit,
    CriterionGrade,
    EditorScope,
    Level,
    Rating,
    Regime,
    Source,
    Stage,
    Tally,
    Unit,
    UnitKind,
    Vote,
    covers,
    quota_message,
    scope_filter,
    year_choices,
)
from .reports.template import build_template

admin.site.site_header = _("Theo dõi đánh giá, xếp loại chất lượng tổ chức đảng")
admin.site.site_title = _("Xếp loại chất lượng")
admin.site.index_title = _("Quản trị dữ liệu")
admin.site.enable_nav_sidebar = False


class ScopedAdmin(admin.ModelAdmin):
    """An editor sees and changes only what lies in the subtrees given to them (EditorScope).

    `scope_field` names the foreign key that places an object in the tree; an
    object outside the user's scope is refused with 403 even by a guessed URL.
    """

    scope_field = "unit"

    def scope_path(self):
        return f"{self.scope_field}__path" if self.scope_field else "path"

    def get_queryset(self, request):
        queryset = super().get_queryset(request)
        limit = scope_filter(request.user, self.scope_path())
        return queryset if limit is None else queryset.filter(limit)

    def get_object(self, request, object_id, from_field=None):
        found = super().get_object(request, object_id, from_field)
        if found is None and str(object_id).isdigit() and self.model._default_manager.filter(pk=object_id).exists():
            raise PermissionDenied
        return found

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if db_field.related_model is Unit:
            kwargs["queryset"] = Unit.objects.editable_by(request.user)
        return super().formfield_for_foreignkey(db_field, request, **kwargs)


class AuditedAdmin(SimpleHistoryAdmin):
    """Every change with who, when and old → new values (django-simple-history), read only;
    a save that lost a race with someone else's is refused in the form (models.Versioned)."""

    def history_view(self, request, object_id, extra_context=None):
        self.refuse_history_outside_scope(request, unquote(object_id))
        return super().history_view(request, object_id, extra_context)

    def history_form_view(self, request, object_id, version_id, extra_context=None):
        if request.method == "POST":
            raise PermissionDenied
        self.refuse_history_outside_scope(request, unquote(object_id))
        return super().history_form_view(request, object_id, version_id, extra_context)

    def refuse_history_outside_scope(self, request, object_id):
        """403 for another province's object, as on its change page, and for a deleted one whose last
        recorded state placed it there: its history outlives it and is as private as it was."""
        if self.get_object(request, object_id) is not None or not str(object_id).isdigit():
            return
        last = self.model.history.filter(**{self.model._meta.pk.attname: object_id}).order_by("-history_id").first()
        if last is not None and not covers(request.user, self.recorded_path(last)):
            raise PermissionDenied

    def recorded_path(self, record):
        """The tree path a historical record placed its object at, the unit's own record if it is gone too."""
        if not self.scope_field:
            return record.path
        unit_id = getattr(record, f"{self.scope_field}_id")
        path = Unit.objects.filter(pk=unit_id).values_list("path", flat=True).first()
        if path is None:
            path = Unit.history.filter(id=unit_id).order_by("-history_id").values_list("path", flat=True).first()
        return path or ""

    def changeform_view(self, request, object_id=None, form_url="", extra_context=None):
        try:
            return super().changeform_view(request, object_id, form_url, extra_context)
        except ConcurrentEdit as error:
            refused = error
        if not refused.busy:
            # The other save has committed and everything of this one was rolled back: shown
            # again, the form's own version check puts the message next to the user's entries.
            try:
                return super().changeform_view(request, object_id, form_url, extra_context)
            except ConcurrentEdit as error:
                refused = error
        messages.error(request, concurrent_edit_message(refused))
        return redirect(request.get_full_path())


def level_badge(level):
    if level is None:
        return "—"
    return format_html(
        '<span class="level-badge" style="background-color:{}" title="{}">{}</span>',
        level.colour,
        level.localized_label,
        level.code,
    )


def province_filter(field):
    """A list filter on the province (the provincial unit) reached through `field`."""

    class ProvinceFilter(admin.SimpleListFilter):
        title = _("tỉnh, thành phố")
        parameter_name = "province"

        def lookups(self, request, model_admin):
            provinces = Unit.objects.provinces().editable_by(request.user).order_by("name")
            return [(str(unit.pk), unit.name) for unit in provinces]

        def queryset(self, request, queryset):
            if self.value() and self.value().isdigit():
                return queryset.filter(**{field: self.value()})
            return queryset

    return ProvinceFilter


class ParentFilter(admin.SimpleListFilter):
    """Committees that have subordinate units, within the chosen province when there is one."""

    title = _("cấp trên")
    parameter_name = "parent"

    def lookups(self, request, model_admin):
        parents = Unit.objects.filter(
            kind__in=[UnitKind.PROVINCE, UnitKind.SUBORDINATE], children__isnull=False
        ).distinct()
        province = request.GET.get("province", "")
        if province.isdigit():
            parents = parents.filter(province_id=province)
        return [(str(unit.pk), unit.name) for unit in parents.order_by("path")[:300]]

    def queryset(self, request, queryset):
        if self.value() and self.value().isdigit():
            return queryset.filter(parent_id=self.value())
        return queryset


class LevelCodeFilter(admin.SimpleListFilter):
    title = _("mức xếp loại")
    parameter_name = "level"

    def lookups(self, request, model_admin):
        return [(level.code, level.localized_label) for level in aggregates.level_columns()]

    def queryset(self, request, queryset):
        if self.value():
            return queryset.filter(level__code=self.value())
        return queryset


MAX_QUOTA_WARNINGS = 10


def peer_group_label(group, parent):
    return _("Nhóm %(kind)s thuộc %(parent)s, năm %(year)s (%(stage)s)") % {
        "kind": group.kind_label,
        "parent": parent,
        "year": group.year,
        "stage": Stage(group.stage).label,
    }


def warn_quota(request, rating):
    """Show the quota finding of the rating's peer group after a save; never block it."""
    group = aggregates.quota_of_peer_group(rating.unit, year=rating.year, stage=rating.stage)
    if group and group.check.broken:
        messages.warning(request, quota_message(group.check, peer_group_label(group, rating.unit.parent)))


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
    fields = ["code", "name", "place", "kind", "parent", "valid_from", "valid_to", "successor"]
    inlines = [RatingInline]
    list_per_page = 100

    @admin.display(description=_("tên"), ordering="path")
    def tree_name(self, unit):
        return format_html('<span class="tree-indent" style="padding-left:{}em">{}</span>', 1.5 * unit.depth, unit.name)

    def save_formset(self, request, form, formset, change):
        super().save_formset(request, form, formset, change)
        for rating in formset.new_objects + [obj for obj, _fields in formset.changed_objects]:
            warn_quota(request, rating)


@admin.register(Rating)
class RatingAdmin(AuditedAdmin, ScopedAdmin):
    form = RatingForm
    list_display = ["unit", "year", "stage", "badge", "score", "votes", "unit_kind", "province", "source_link"]
    list_filter = [("year", admin.AllValuesFieldListFilter), LevelCodeFilter, "unit__kind", province_filter("unit__province"), "stage"]
    list_select_related = ["unit", "unit__province", "level", "source"]
    search_fields = ["unit__name", "unit__code", "note", "evidence"]
    autocomplete_fields = ["unit", "source"]
    list_per_page = 100
    change_list_template = "admin/ratings/rating/change_list.html"
    EXCEL_SESSION_KEY = "rating_excel_uploads"
    XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"

    @admin.display(description=_("mức xếp loại"), ordering="level__rank")
    def badge(self, rating):
        return level_badge(rating.level)

    @admin.display(description=_("biểu quyết"))
    def votes(self, rating):
        if rating.votes_for is None:
            return "—"
        return f"{rating.votes_for}/{rating.votes_present}" if rating.votes_present else rating.votes_for

    @admin.display(description=_("loại đơn vị"), ordering="unit__kind")
    def unit_kind(self, rating):
        return rating.unit.get_kind_display()

    @admin.display(description=_("tỉnh, thành phố"), ordering="unit__province__name")
    def province(self, rating):
        return rating.unit.province

    @admin.display(description=_("nguồn"))
    def source_link(self, rating):
        return source_link(rating.source)

    def save_model(self, request, obj, form, change):
        super().save_model(request, obj, form, change)
        warn_quota(request, obj)

    def changelist_view(self, request, extra_context=None):
        """With a year chosen, list every peer group of that year that breaks the quota."""
        year = request.GET.get("year", "")
        if year.isdigit():
            broken = [g for g in aggregates.peer_group_quotas(year=int(year)) if g.check.broken]
            parents = Unit.objects.in_bulk([g.parent_id for g in broken[:MAX_QUOTA_WARNINGS]])
            for group in broken[:MAX_QUOTA_WARNINGS]:
                messages.warning(request, quota_message(group.check, peer_group_label(group, parents[group.parent_id])))
            if len(broken) > MAX_QUOTA_WARNINGS:
                messages.warning(request, _("… và %(n)s nhóm khác vượt tỷ lệ.") % {"n": len(broken) - MAX_QUOTA_WARNINGS})
        return super().changelist_view(request, extra_context)

    def get_urls(self):
        return [
            path("excel/import/", self.admin_site.admin_view(self.excel_import_view), name="ratings_rating_excel_import"),
            path("excel/template/", self.admin_site.admin_view(self.excel_template_view), name="ratings_rating_excel_template"),
            *super().get_urls(),
        ]

    def excel_template_view(self, request):
        """Ask a year and a scope (a unit code or a province), then send the import template for them."""
        if not self.has_view_permission(request):
            raise PermissionDenied
        first = Regime.objects.order_by("first_year").values_list("first_year", flat=True).first() or 0
        years = [year for year, _label in year_choices() if year >= first]
        year, code, province = (request.GET.get(key, "").strip() for key in ("year", "unit", "province"))
        units = Unit.objects.editable_by(request.user)
        scope = units.filter(code=code).first() if code else None
        if code and scope is None:
            messages.error(request, _("Không có đơn vị nào mã «%(code)s».") % {"code": code})
        elif province.isdigit():
            scope = units.provinces().filter(pk=province).first()
        restricted_without_scope = scope is None and scope_filter(request.user) is not None
        if restricted_without_scope and year:
            messages.error(request, _("Chọn một đơn vị trong phạm vi được giao."))
        if not year.isdigit() or int(year) not in years or (code and scope is None) or restricted_without_scope:
            return self._render_excel(request, "admin/ratings/rating/excel_template.html", {
                "title": _("Tải mẫu nhập liệu"), "years": years, "year": year or str(date.today().year - 1),
                "provinces": units.provinces().order_by("name"), "province": province, "unit": code,
            })
        buffer = io.BytesIO()
        build_template(year=int(year), scope=scope).save(buffer)
        buffer.seek(0)
        name = f"mau-nhap-xep-loai-{year}-{slugify(scope.code if scope else 'tat-ca')}.xlsx"
        return FileResponse(buffer, as_attachment=True, filename=name, content_type=self.XLSX_TYPE)

    def excel_import_view(self, request):
        """Upload → preview of every row → confirm saves all or nothing.

        Between the two steps the upload is kept as a file under VAR_DIR named by a
        random token held in this user's session (services.stash_excel_upload):
        a browser cannot re-send a chosen file without asking the user to pick it
        again, a 5 MB file does not belong in a session or a hidden field, and
        checking the token against the session stops anyone confirming another
        user's upload. Confirm reads the kept file again, so what is saved is what
        the file says at that moment, checked once more.
        """
        if not (self.has_add_permission(request) and self.has_change_permission(request)):
            raise PermissionDenied
        if request.method == "POST" and "confirm" in request.POST:
            return self._confirm_excel(request)
        context = {"title": _("Nhập kết quả xếp loại từ Excel")}
        if request.method == "POST":
            context.update(self._preview_excel(request))
        return self._render_excel(request, "admin/ratings/rating/excel_import.html", context)

    def _preview_excel(self, request):
        upload = request.FILES.get("file")
        if upload is None:
            return {"error": _("Chọn một tệp Excel (.xlsx) để tải lên.")}
        try:
            plan = services.plan_excel_ratings(file=upload, user=request.user)
        except services.ExcelRefused as error:
            return {"error": str(error)}
        if plan.errors:
            return {"plan": plan}
        token = services.stash_excel_upload(file=upload, plan=plan)
        request.session[self.EXCEL_SESSION_KEY] = [*request.session.get(self.EXCEL_SESSION_KEY, [])[-9:], token]
        return {"plan": plan, "token": token}

    def _confirm_excel(self, request):
        tokens = request.session.get(self.EXCEL_SESSION_KEY, [])
        token = request.POST.get("token", "")
        stored = services.stashed_excel_upload(token) if token in tokens else None
        if stored is None:
            messages.error(request, _("Tệp đã tải lên không còn; hãy tải lên lại."))
            return redirect("admin:ratings_rating_excel_import")
        path, seen = stored
        try:
            plan = services.plan_excel_ratings(file=path, user=request.user)
            report = services.apply_excel_ratings(plan=plan, seen=seen)
        except services.ExcelRefused as error:
            messages.error(request, str(error))
            return redirect("admin:ratings_rating_excel_import")
        services.discard_excel_upload(token)
        request.session[self.EXCEL_SESSION_KEY] = [t for t in tokens if t != token]
        messages.success(
            request,
            _("Đã lưu kết quả xếp loại từ Excel: %(created)s mới, %(updated)s thay đổi, %(unchanged)s không đổi.")
            % vars(report),
        )
        return redirect("admin:ratings_rating_changelist")

    def _render_excel(self, request, template, context):
        return TemplateResponse(request, template, {**self.admin_site.each_context(request), "opts": self.model._meta, **context})


def source_link(source):
    if source is None:
        return "—"
    return format_html(
        '<a href="{}" title="{}">{}</a>',
        reverse("admin:ratings_source_change", args=[source.pk]),
        source.title,
        Truncator(source.title).chars(40),
    )


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
            (_("Nguồn"), {"fields": ["source", "evidence"]}),
        ]

    def get_list_display(self, request):
        return [*self.list_display_base, *self._level_columns(), "counted_total", "quota", "total"]

    def _level_columns(self):
        columns = []
        for level in aggregates.level_columns(range(2018, 2101)):
            def column(tally, code=level.code):
                count = tally.count_of(code)
                return "—" if count is None else count

            column.short_description = level.code
            columns.append(column)
        return columns

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
        services.save_tally_counts(tally=form.instance, figures=form.level_figures())
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
    fields = ["unit", "year", "stage", "position", "content", "grade", "source", "evidence"]


class SourceFigureInline(admin.TabularInline):
    extra = 0
    can_delete = False
    show_change_link = True

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False


class SourceRatingInline(SourceFigureInline):
    model = Rating
    fields = readonly_fields = ["unit", "year", "stage", "level", "evidence"]


class SourceTallyInline(SourceFigureInline):
    model = Tally
    fields = readonly_fields = ["group", "year", "subject", "evidence"]


class SourceVoteInline(SourceFigureInline):
    model = Vote
    fields = readonly_fields = ["unit", "year", "level", "votes_for", "present", "evidence"]


class SourceCriterionInline(SourceFigureInline):
    model = CriterionGrade
    fields = readonly_fields = ["unit", "year", "content", "grade", "evidence"]


@admin.register(Source)
class SourceAdmin(admin.ModelAdmin):
    change_list_template = "admin/ratings/source/change_list.html"
    formfield_overrides = {models.URLField: {"assume_scheme": "https"}}
    list_display = ["title", "published", "file_name", "figure_count", "imported_at"]
    search_fields = ["title", "file_name", "url"]
    readonly_fields = ["content_hash", "imported_at"]
    inlines = [SourceRatingInline, SourceTallyInline, SourceVoteInline, SourceCriterionInline]
    date_hierarchy = "published"

    def get_queryset(self, request):
        return super().get_queryset(request).annotate(
            n_ratings=Count("ratings", distinct=True),
            n_tallies=Count("tallys", distinct=True),
            n_votes=Count("votes", distinct=True),
            n_criteria=Count("criteriongrades", distinct=True),
        )

    @admin.display(description=_("số liệu"))
    def figure_count(self, source):
        return source.n_ratings + source.n_tallies + source.n_votes + source.n_criteria

    def get_urls(self):
        view = self.admin_site.admin_view(self.import_view)
        return [path("import/", view, name="ratings_source_import"), *super().get_urls()]

    def import_view(self, request):
        """Upload or paste → preview of every figure with its quote → confirm saves."""
        if not self.has_add_permission(request):
            raise PermissionDenied
        form = ArticleForm(request.POST or None, request.FILES or None)
        if request.method != "POST" or not form.is_valid():
            return self._render_import(request, form=form)
        data = form.cleaned_data
        plan = services.plan_article(
            text=data["text"], name=data["name"], province=data["province"] or None, year=data["year"]
        )
        if "confirm" not in request.POST:
            return self._render_import(request, form=ArticleForm(initial=data), plan=plan)
        apply_choices(plan, request.POST)
        report = services.import_article(plan=plan, allowed=Unit.objects.editable_by(request.user))
        report_messages(request, report)
        target = report.source or plan.already_imported
        return redirect("admin:ratings_source_change", target.pk)

    def _render_import(self, request, **context):
        plan = context.get("plan")
        rows = [preview_row(plan, planned) for planned in plan.figures] if plan else []
        return TemplateResponse(
            request,
            "admin/ratings/source/import.html",
            {**self.admin_site.each_context(request), "opts": self.model._meta, "title": _("Nhập số liệu từ bài viết"),
             "rows": rows, **context},
        )


def preview_row(plan, planned):
    """What the preview shows of one figure: its quote in context and the units it may go to."""
    before, quote, after = services.evidence_in_context(plan.text, planned.figure.get("evidence") or "")
    options = []
    if plan.province:
        standing = plan.province.children.filter(kind=UnitKind.STANDING_COMMITTEE).first()
        options = [u for u in (planned.unit, plan.province, standing) if u is not None]
    return {
        "planned": planned,
        "label": services.describe_figure(planned),
        "kind": FIGURE_LABELS[planned.kind],
        "before": before, "quote": quote, "after": after,
        "options": list(dict.fromkeys(options)),
    }


FIGURE_LABELS = {
    "rating": _("Xếp loại"), "tally": _("Số liệu tổng hợp"), "vote": _("Biểu quyết"), "criterion": _("Cấp độ theo nội dung"),
}


def apply_choices(plan, post):
    """Take the user's ticks, years and units from the preview form into the plan."""
    for planned in plan.figures:
        planned.keep = f"keep-{planned.key}" in post
        year = post.get(f"year-{planned.key}", "")
        if year.isdigit():
            planned.year = int(year)
        choice = post.get(f"unit-{planned.key}", "")
        if choice.isdigit():
            planned.unit = Unit.objects.filter(pk=choice).first()
        elif choice == "new" and plan.province:
            planned.unit = None


def report_messages(request, report):
    if report.plan.already_imported:
        messages.info(request, _("Bài viết này đã được nhập trước đây; không thay đổi gì."))
        return
    messages.success(
        request,
        _("Đã lưu %(created)s số liệu; %(unchanged)s không đổi.") % {"created": len(report.created), "unchanged": len(report.unchanged)},
    )
    for line in report.conflicts:
        messages.warning(request, _("Mâu thuẫn, không ghi đè: %(line)s") % {"line": line})
    for line in report.skipped:
        messages.warning(request, _("Bỏ qua: %(line)s") % {"line": line})


class LevelInline(admin.TabularInline):
    model = Level
    fields = ["rank", "code", "label", "label_en", "colour", "min_score"]
    extra = 0


@admin.register(Regime)
class RegimeAdmin(admin.ModelAdmin):
    list_display = ["name", "code", "first_year", "last_year", "max_score", "quota_ratio"]
    inlines = [LevelInline]


class EditorScopeInline(admin.TabularInline):
    model = EditorScope
    autocomplete_fields = ["unit"]
    extra = 0


admin.site.unregister(User)


@admin.register(User)
class ScopedUserAdmin(UserAdmin):
    """Users with the subtrees an editor may change, next to their groups."""

    inlines = [EditorScopeInline]
