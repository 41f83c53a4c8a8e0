"""Sources: their figures, and the import of an article with its preview."""

import io
import zipfile
from collections import Counter
from pathlib import Path

from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Count
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.html import format_html
from django.utils.text import capfirst
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from .. import services, tasks
from ..filters import parse_id
from ..forms import MAX_ARTICLE_BYTES, ArticleForm, SourceForm
from ..models import JobKind, CriterionGrade, Rating, Source, Stage, Subject, Tally, Unit, UnitKind, Vote, is_unrestricted
from ..services import uploads
from .base import AuditedAdmin, claimed_upload, forget_upload, remember_upload


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
    ARTICLE_SESSION_KEY = "source_article_uploads"

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
        batch = self.admin_site.admin_view(self.batch_import_view)
        return [
            path("import/", view, name="ratings_source_import"),
            path("import/batch/", batch, name="ratings_source_batch_import"),
            *super().get_urls(),
        ]

    def batch_import_view(self, request):
        """Many articles at once, imported by a background job: each file is read here (a file that is not an
        article is named at once), the readable ones kept together, and the job saves them one by one."""
        if not self.has_add_permission(request):
            raise PermissionDenied
        context = {"title": _("Nhập nhiều bài viết"), "max_files": MAX_BATCH_FILES}
        if request.method == "POST":
            files = request.FILES.getlist("files")
            problems = batch_problems(files)
            if not problems:
                try:
                    self._submit_batch(request, files)
                except uploads.UploadRefused as error:
                    problems = [str(error)]
                else:
                    return redirect("ratings:jobs")
            context["problems"] = problems
        return TemplateResponse(
            request, "admin/ratings/source/batch_import.html",
            {**self.admin_site.each_context(request), "opts": self.model._meta, **context},
        )

    def _submit_batch(self, request, files):
        bundle, names = io.BytesIO(), set()
        with zipfile.ZipFile(bundle, "w", zipfile.ZIP_DEFLATED) as archive:
            for upload in files:
                text = services.read_article_file(upload.read(), upload.name)
                name = unique_name(Path(upload.name).name or "bai-viet.txt", names)
                archive.writestr(name, text.encode("utf-8"))
        token = uploads.keep_upload(user=request.user, data=bundle.getvalue(), meta={}, suffix=".zip")
        province, year = request.POST.get("province", "").strip(), parse_id(request.POST.get("year"))
        tasks.submit(
            user=request.user, kind=JobKind.ARTICLES, total=len(files),
            title=_("Nhập %(count)s bài viết") % {"count": len(files)},
            params={"token": token, "province": province[:100], "year": year, "language": get_language()},
        )
        messages.info(request, _("Đang nhập các bài viết ở chế độ chạy nền; trang Công việc cho biết kết quả từng bài."))

    def import_view(self, request):
        """Upload, paste or link → preview of every figure beside what is stored → confirm saves.

        Between the steps the text waits in the user's own corner of the upload store
        (services.uploads) under a token this session also holds, as the Excel import keeps
        its file: a 5 MB article belongs neither in a hidden field nor in the session.
        """
        if not self.has_add_permission(request):
            raise PermissionDenied
        if request.method != "POST":
            return self._render_import(request, form=ArticleForm())
        if "token" not in request.POST and "confirm" not in request.POST:
            return self._receive_article(request)
        return self._continue_article(request)

    def _continue_article(self, request):
        """Preview again (another province or year, or the user's choices), or confirm: from the kept text."""
        token = request.POST.get("token", "")
        kept = self._kept_article(request, token)
        if kept is None:
            messages.error(request, _("Bài viết chờ xác nhận không còn (đã hết hạn hoặc không thuộc phiên làm việc này); "
                                      "chưa lưu gì. Hãy tải lên lại."))
            return redirect("admin:ratings_source_import")
        place, year = planned_for(request.POST)
        plan = services.plan_article(
            text=kept.path.read_text(encoding="utf-8"), name=kept.meta["name"], province=place, year=year,
            url=kept.meta.get("url", ""),
        )
        allowed = Unit.objects.editable_by(request.user)
        choosing = "recheck" in request.POST or "confirm" in request.POST  # "preview" re-plans afresh
        errors = apply_choices(plan, request.POST, allowed=allowed) if choosing else []
        for error in errors:
            messages.error(request, error)
        if errors or "confirm" not in request.POST:
            return self._render_preview(request, plan, token=token, place=place, year=year)
        report = services.import_article(plan=plan, allowed=allowed)
        forget_upload(request, self.ARTICLE_SESSION_KEY, token)
        report_messages(request, report)
        target = report.source or plan.already_imported
        if target is None:  # nothing saved: the messages say why, and no source was left behind
            return redirect("admin:ratings_source_import")
        return redirect("admin:ratings_source_change", target.pk)

    def _receive_article(self, request):
        form = ArticleForm(request.POST, request.FILES)
        if not form.is_valid():
            return self._render_import(request, form=form)
        data = form.cleaned_data
        meta = {"name": data["name"], "url": data.get("url") or ""}
        try:
            token = uploads.keep_upload(user=request.user, data=data["text"].encode("utf-8"), meta=meta, suffix=".txt")
        except uploads.UploadRefused as error:
            form.add_error(None, str(error))
            return self._render_import(request, form=form)
        remember_upload(request, self.ARTICLE_SESSION_KEY, token)
        place, year = data["province"] or None, data["year"]
        plan = services.plan_article(text=data["text"], name=meta["name"], province=place, year=year, url=meta["url"])
        return self._render_preview(request, plan, token=token, place=place, year=year)

    def _kept_article(self, request, token):
        """The text this user's session kept under `token`, or None: unknown, expired or someone else's."""
        return claimed_upload(request, self.ARTICLE_SESSION_KEY, token)

    def _render_preview(self, request, plan, *, token, place, year):
        services.assess_plan(plan, allowed=Unit.objects.editable_by(request.user))
        choices = unit_choices(plan)
        rows = [preview_row(plan, planned, choices) for planned in plan.figures]
        verdicts = Counter(row["status"] for row in rows)
        return self._render_import(
            request, plan=plan, rows=rows, token=token, place=place or "", year=year or "", verdicts=verdicts,
            form=ArticleForm(initial={"province": place, "year": year}),
        )

    def _render_import(self, request, **context):
        return TemplateResponse(
            request,
            "admin/ratings/source/import.html",
            {**self.admin_site.each_context(request), "opts": self.model._meta, "title": _("Nhập số liệu từ bài viết"),
             **context},
        )


def planned_for(post):
    """The province and year the preview was made for, as the form checks them; junk means none."""
    fields = ArticleForm().fields
    values = []
    for name in ("province", "year"):
        try:
            values.append(fields[name].clean(post.get(name, "")))
        except ValidationError:
            values.append(None)
    return values[0] or None, values[1]


def unit_choices(plan):
    """The units a figure of this article may sensibly go to, looked up once for the whole preview.

    Any unit: the one each figure resolved to, the province and its standing committee. A tally's
    parent, also: the units the article names and those stored directly under the province.
    """
    province = plan.province
    if province is None:
        return {"standing": None, "parents": []}
    standing = province.children.filter(kind=UnitKind.STANDING_COMMITTEE).first()
    named = [planned.unit for planned in plan.figures if planned.unit is not None]
    under = province.children.exclude(kind=UnitKind.STANDING_COMMITTEE).order_by("name")
    parents = [u for u in (province, standing, *named, *under) if u is not None]
    return {"standing": standing, "parents": list(dict.fromkeys(parents))}


def preview_row(plan, planned, choices):
    """What the preview shows of one figure: its quote in context, where it would go, and what saving it does."""
    before, quote, after = services.evidence_in_context(plan.text, planned.figure.get("evidence") or "")
    if planned.kind == "tally":
        options = choices["parents"]
    else:
        options = [u for u in (planned.unit, plan.province, choices["standing"]) if u is not None] if plan.province else []
    if planned.unit is not None and planned.unit not in options:
        options = [planned.unit, *options]
    verdict = planned.verdict
    return {
        "planned": planned,
        "label": services.describe_figure(planned),
        "kind": FIGURE_LABELS[planned.kind],
        "before": before, "quote": quote, "after": after,
        "options": list(dict.fromkeys(options)),
        "stages": Stage.choices if planned.stage else [],
        "subjects": Subject.choices,
        "status": verdict.status if verdict else "",
        "verdict": verdict,
        "stored_link": stored_link(verdict.stored) if verdict and verdict.stored else "",
    }


FIGURE_LABELS = {
    "rating": _("Xếp loại"), "tally": _("Số liệu tổng hợp"), "vote": _("Biểu quyết"), "criterion": _("Cấp độ theo nội dung"),
}


def stored_link(figure):
    """A link to the stored figure a preview row repeats or contradicts."""
    opts = figure._meta
    url = reverse(f"admin:{opts.app_label}_{opts.model_name}_change", args=[figure.pk])
    return format_html('<a href="{}">{}</a>', url, _("Xem số liệu đã lưu"))


def apply_choices(plan, post, *, allowed):
    """Take the user's ticks, years, stages, units and each tally's group and subject from the preview.

    Returns the refusals, each naming its figure; with any of them nothing may be saved. A unit
    the user picks outside `allowed` (the editor's units) is refused here; a unit the article
    itself pointed to stays, and the import skips it when it is out of scope, as it says.
    """
    errors = []
    for planned in plan.figures:
        key, label = planned.key, services.describe_figure(planned)
        planned.keep = f"keep-{key}" in post
        year = parse_id(post.get(f"year-{key}"))
        if year:
            planned.year = year
        stage = post.get(f"stage-{key}")
        if stage and planned.stage:
            if stage in Stage.values:
                planned.chosen["stage"] = stage
            else:
                errors.append(_("%(figure)s: bước «%(stage)s» không có.") % {"figure": label, "stage": stage})
        choice = post.get(f"unit-{key}", "")
        if choice == "new" and plan.province:
            planned.unit = None
        elif choice and parse_id(choice) != getattr(planned.unit, "pk", None):
            unit = allowed.filter(pk=parse_id(choice)).first() if parse_id(choice) else None
            if unit is None:
                errors.append(_("%(figure)s: đơn vị được chọn không có hoặc nằm ngoài phạm vi được giao.") % {"figure": label})
            else:
                planned.unit = unit
        if planned.kind == "tally":
            errors += _tally_choices(planned, post, label)
    return errors


def _tally_choices(planned, post, label):
    errors = []
    group = post.get(f"group-{planned.key}")
    if group is not None:
        group = " ".join(group.split())[:300]
        if group:
            planned.chosen["group"] = group
        else:
            errors.append(_("%(figure)s: cần ghi nhóm được đếm.") % {"figure": label})
    subject = post.get(f"subject-{planned.key}")
    if subject:
        if subject in Subject.values:
            planned.chosen["subject"] = subject
        else:
            errors.append(_("%(figure)s: đối tượng «%(subject)s» không có.") % {"figure": label, "subject": subject})
    return errors


MAX_BATCH_FILES = 200


def batch_problems(files):
    """Why a batch cannot be taken, file by file; an empty list when every file reads as an article."""
    if not files:
        return [_("Chọn ít nhất một tệp bài viết (.txt, .html).")]
    if len(files) > MAX_BATCH_FILES:
        return [_("Mỗi lần nhập tối đa %(max)s bài viết; hãy chia thành nhiều lần.") % {"max": MAX_BATCH_FILES}]
    problems = []
    for upload in files:
        if upload.size > MAX_ARTICLE_BYTES:
            problems.append(f"{upload.name}: {services.REFUSALS['too_large']}")
            continue
        try:
            services.read_article_file(upload.read(), upload.name)
        except services.ImportRefused as refusal:
            problems.append(f"{upload.name}: {refusal}")
        upload.seek(0)
    return problems


def unique_name(name, taken):
    """The file's own name, numbered when two files of the batch share it."""
    stem, suffix, number = Path(name).stem, Path(name).suffix, 1
    while name in taken:
        number += 1
        name = f"{stem}-{number}{suffix}"
    taken.add(name)
    return name


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
