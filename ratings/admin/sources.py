"""Sources: their figures, and the import of an article with its preview."""

from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied
from django.db.models import Count
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.html import format_html
from django.utils.text import capfirst
from django.utils.translation import gettext_lazy as _

from .. import services
from ..filters import parse_id
from ..forms import ArticleForm, SourceForm
from ..models import CriterionGrade, Rating, Source, Tally, Unit, UnitKind, Vote, is_unrestricted
from .base import AuditedAdmin


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


MAX_LISTED_FIGURES = 200


@admin.register(Source)
class SourceAdmin(AuditedAdmin):
    """Every editor reads every source (one article may name several provinces); an editor changes a
    source only when their subtrees hold all its figures, and only an administrator deletes one that
    has figures, after the confirmation page has listed them."""

    scope_field = None
    change_list_template = "admin/ratings/source/change_list.html"
    form = SourceForm
    list_display = ["title", "published", "file_name", "figure_count", "imported_at"]
    search_fields = ["title", "file_name", "url"]
    readonly_fields = ["content_hash", "imported_at"]
    inlines = [SourceRatingInline, SourceTallyInline, SourceVoteInline, SourceCriterionInline]
    date_hierarchy = "published"
    ordering = ["-published", "title"]  # explicit: the figure counts' GROUP BY drops the model's default

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

    def has_change_permission(self, request, obj=None):
        allowed = super().has_change_permission(request, obj)
        if obj is None or not allowed:
            return allowed
        return Source.objects.editable_by(request.user).filter(pk=obj.pk).exists()

    def has_delete_permission(self, request, obj=None):
        allowed = super().has_delete_permission(request, obj)
        if obj is None or not allowed:
            return allowed
        return is_unrestricted(request.user) or not obj.has_figures()

    def get_search_results(self, request, queryset, search_term):
        """The source picker of a figure's form offers an editor only the sources they may attach."""
        queryset, duplicates = super().get_search_results(request, queryset, search_term)
        if request.path == reverse("admin:autocomplete"):
            queryset = queryset.filter(pk__in=Source.objects.editable_by(request.user).values("pk"))
        return queryset, duplicates

    def refuse_history_outside_scope(self, request, object_id):
        """Sources are read by every editor, and so is their history."""

    def get_deleted_objects(self, objs, request):
        """The confirmation lists, under each source, the figures that will lose it (they stay).

        Figures protect their source from a plain delete (models.Figure.source); here they are
        listed instead, and delete_sources unlinks them, with their history, before the delete.
        """
        _listed, model_count, perms_needed, _protected = super().get_deleted_objects(objs, request)
        listed = []
        for source in objs:
            listed.append(figure_line(source))
            lines = [figure_line(figure) for _model, figures in source.figures() for figure in figures[:MAX_LISTED_FIGURES]]
            if lines:
                header = _("Các số liệu sau sẽ không còn nguồn này (số liệu vẫn được giữ):")
                listed.append([header, lines])
        return listed, model_count, perms_needed, []

    def delete_model(self, request, obj):
        services.delete_sources(sources=[obj], user=request.user)

    def delete_queryset(self, request, queryset):
        services.delete_sources(sources=queryset, user=request.user)

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
        if target is None:  # nothing saved: the messages say why, and no source was left behind
            return redirect("admin:ratings_source_import")
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
        year = parse_id(post.get(f"year-{planned.key}"))
        if year:
            planned.year = year
        choice = post.get(f"unit-{planned.key}", "")
        if parse_id(choice):
            planned.unit = Unit.objects.filter(pk=parse_id(choice)).first()
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


def figure_line(figure):
    """An object as the delete confirmation lists it: its kind and a link to it."""
    opts = figure._meta
    url = reverse(f"admin:{opts.app_label}_{opts.model_name}_change", args=[figure.pk])
    return format_html('{}: <a href="{}">{}</a>', capfirst(opts.verbose_name), url, figure)
