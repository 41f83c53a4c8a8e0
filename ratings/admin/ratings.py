"""Ratings: entry by level name, quota warnings, the Excel template and upload."""
import io
from datetime import date
from functools import partial
from pathlib import Path

from django.conf import settings
from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied
from django.http import FileResponse
from django.shortcuts import get_object_or_404, redirect
from django.urls import path, reverse
from django.template.response import TemplateResponse
from django.utils.text import slugify
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from .. import aggregates, quota, services, tasks
from ..services import history, uploads
from ..services.articles import ImportRefused
from ..forms import RatingForm
from ..filters import parse_id
from ..models import Job, JobKind, JobStatus, Rating, Regime, Stage, Unit, quota_message, scope_filter, year_choices
from ..reports.template import build_template
from . import grid
from .base import AuditedAdmin, ScopedAdmin, claimed_upload, forget_upload, level_badge, remember_upload, source_link
from .filters import LevelCodeFilter, province_filter

MAX_QUOTA_WARNINGS = 10


def peer_group_label(group, parent):
    return _("Nhóm %(kind)s thuộc %(parent)s, năm %(year)s (%(stage)s)") % {
        "kind": group.kind_label,
        "parent": parent,
        "year": group.year,
        "stage": Stage(group.stage).label,
    }


def warn_scorecard(request, rating):
    """Say which condition of its level the rating's scorecard fails; the level is saved as entered."""
    warning = rating.scorecard_warning()
    if warning:
        messages.warning(request, warning)


SCORECARD_FIELDSET = (
    _("Phiếu chấm điểm (Quy định 366-QĐ/TW)"),
    {
        "fields": ["score", ("tasks_assigned", "tasks_on_time", "tasks_exceeded"), ("tasks_late", "tasks_not_done"), "disciplined"],
        "description": _(
            "Không bắt buộc. Mức xếp loại vẫn là số liệu chính; nếu phiếu chưa đạt điều kiện của mức đã chọn, "
            "trang sẽ cảnh báo điều kiện còn thiếu."
        ),
    },
)


def warn_quota(request, rating):
    """Show the quota finding of the rating's peer group after a save; never block it."""
    unit = rating.unit
    if unit.parent_id is None:
        return
    found = quota.quota_findings(year=rating.year, stage=rating.stage, parent=unit.parent_id, kind=unit.kind, tallies=False)
    for finding in quota.breaches(found):
        messages.warning(request, finding.message)


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
    HISTORY_SESSION_KEY = "rating_history_uploads"
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

    fieldsets = [
        (None, {"fields": ["unit", "year", "stage", "level", "opened_version"]}),
        SCORECARD_FIELDSET,
        (_("Biểu quyết và quyết định"), {"fields": [("votes_for", "votes_present"), "decided_on", "decision", "note"]}),
        (_("Nguồn"), {"fields": ["source", "evidence"]}),
    ]

    def save_model(self, request, obj, form, change):
        super().save_model(request, obj, form, change)
        warn_quota(request, obj)
        warn_scorecard(request, obj)

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
            path("excel/job/<str:pk>/", self.admin_site.admin_view(self.excel_job_view), name="ratings_rating_excel_job"),
            path("history/import/", self.admin_site.admin_view(self.history_import_view), name="ratings_rating_history_import"),
            path("history/job/<str:pk>/", self.admin_site.admin_view(self.history_job_view), name="ratings_rating_history_job"),
            path("grid/", self.admin_site.admin_view(partial(grid.grid_view, self)), name="ratings_rating_grid"),
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

        Between the two steps the upload waits in the user's own corner of the
        upload store (services.uploads), named by a random token this session also
        holds, so nobody confirms another user's upload. Confirm reads the kept file
        again, so what is saved is what the file says at that moment, checked once more.
        """
        if not (self.has_add_permission(request) and self.has_change_permission(request)):
            raise PermissionDenied
        if request.method == "POST" and "confirm" in request.POST:
            return self._confirm_excel(request)
        context = {"title": _("Nhập kết quả xếp loại từ Excel")}
        if request.method == "POST":
            context.update(self._preview_excel(request))
            if "redirect" in context:
                return redirect(context["redirect"])
        return self._render_excel(request, "admin/ratings/rating/excel_import.html", context)

    def _preview_excel(self, request):
        upload = request.FILES.get("file")
        if upload is None:
            return {"error": _("Chọn một tệp Excel (.xlsx) để tải lên.")}
        if services.EXCEL_JOB_BYTES < upload.size <= services.EXCEL_MAX_BYTES:  # a larger one is refused below
            return self._preview_as_job(request, upload)
        try:
            plan = services.plan_excel_ratings(file=upload, user=request.user)
        except services.ExcelRefused as error:
            return {"error": str(error)}
        if plan.errors:
            return {"plan": plan}
        upload.seek(0)
        try:
            token = uploads.keep_upload(user=request.user, data=upload.read(), meta={"seen": plan.snapshot()})
        except uploads.UploadRefused as error:
            return {"plan": plan, "error": str(error)}
        remember_upload(request, self.EXCEL_SESSION_KEY, token)
        return {"plan": plan, "token": token}

    def _confirm_excel(self, request):
        token = request.POST.get("token", "")
        kept = claimed_upload(request, self.EXCEL_SESSION_KEY, token)
        if kept is None:
            messages.error(request, _("Tệp đã tải lên không còn; hãy tải lên lại."))
            return redirect("admin:ratings_rating_excel_import")
        try:
            plan = services.plan_excel_ratings(file=kept.path, user=request.user)
            report = services.apply_excel_ratings(plan=plan, seen=kept.meta["seen"])
        except services.ExcelRefused as error:
            messages.error(request, str(error))
            return redirect("admin:ratings_rating_excel_import")
        forget_upload(request, self.EXCEL_SESSION_KEY, token)
        messages.success(
            request,
            _("Đã lưu kết quả xếp loại từ Excel: %(created)s mới, %(updated)s thay đổi, %(unchanged)s không đổi.")
            % vars(report),
        )
        return redirect("admin:ratings_rating_changelist")

    def _preview_as_job(self, request, upload):
        """A large upload is checked by a background job; the user follows it on the jobs page."""
        try:
            token = uploads.keep_upload(user=request.user, data=upload.read(), meta={"name": upload.name})
        except uploads.UploadRefused as error:
            return {"error": str(error)}
        tasks.submit(
            user=request.user, kind=JobKind.EXCEL_PREVIEW, title=_("Xem trước tệp «%(name)s»") % {"name": upload.name},
            params={"token": token, "language": get_language()},
        )
        messages.info(request, _("Tệp lớn: việc xem trước chạy nền; khi xong, mở nó ở trang Công việc để xem và xác nhận."))
        return {"redirect": reverse("ratings:jobs")}

    def excel_job_view(self, request, pk):
        """The preview a background job made of a large upload, and the confirmation that saves it as a job."""
        if not (self.has_add_permission(request) and self.has_change_permission(request)):
            raise PermissionDenied
        job = get_object_or_404(Job.objects.of(request.user), pk=parse_id(pk) or 0, kind=JobKind.EXCEL_PREVIEW,
                                status=JobStatus.DONE)
        summary = job.result
        if request.method == "POST":
            if summary["counts"]["error"]:
                raise PermissionDenied
            tasks.submit(
                user=request.user, kind=JobKind.EXCEL_CONFIRM, title=_("Lưu tệp «%(name)s»") % {"name": summary["name"]},
                params={"token": job.params["token"], "preview": job.pk, "language": get_language()},
            )
            messages.info(request, _("Đang lưu tệp ở chế độ chạy nền; trang Công việc cho biết khi xong."))
            return redirect("ratings:jobs")
        context = {"title": _("Xem trước tệp «%(name)s»") % {"name": summary["name"]}, "summary": summary, "job": job}
        return self._render_excel(request, "admin/ratings/rating/excel_job.html", context)

    def _render_excel(self, request, template, context):
        return TemplateResponse(request, template, {**self.admin_site.each_context(request), "opts": self.model._meta, **context})

    def history_import_view(self, request):
        """A department's sheet of past years: upload → preview → pick the units of names not found → confirm.

        The file waits in the upload store as the Excel upload does; the scope, the stage, the units
        picked and the snapshot the preview showed are kept with it, so the confirmation reads the same
        file the same way and saves all of it or nothing.
        """
        if not (self.has_add_permission(request) and self.has_change_permission(request)):
            raise PermissionDenied
        if request.method == "POST" and "confirm" in request.POST:
            return self._confirm_history(request)
        context = {"title": _("Nhập kết quả các năm trước"), "stages": Stage.choices, "stage": Stage.APPROVED}
        if request.method == "POST":
            context.update(self._repick_history(request) if "repick" in request.POST else self._preview_history(request))
            if "redirect" in context:
                return redirect(context["redirect"])
        return self._render_excel(request, "admin/ratings/rating/history_import.html", context)

    def _preview_history(self, request):
        upload = request.FILES.get("file")
        scope = request.POST.get("scope", "").strip()
        stage = request.POST.get("stage") if request.POST.get("stage") in Stage.values else Stage.APPROVED
        context = {"scope": scope, "stage": stage}
        if upload is None:
            return {**context, "error": _("Chọn một tệp (.xlsx hoặc .csv) để tải lên.")}
        if settings.HISTORY_JOB_BYTES < upload.size:
            return {**context, **self._preview_history_as_job(request, upload, scope=scope, stage=stage)}
        try:
            plan = history.plan_history(file=upload, scope=scope, stage=stage, user=request.user, name=upload.name)
        except ImportRefused as error:
            return {**context, "error": str(error)}
        upload.seek(0)
        return {**context, **self._keep_history(request, upload.read(), plan, picks={})}

    def _preview_history_as_job(self, request, upload, *, scope, stage):
        """A large sheet is read by a background job; its page (history_job_view) picks, previews again and confirms."""
        try:
            history.scope_for(scope, request.user)  # a scope the user cannot use is refused at once
            meta = {"name": upload.name, "scope": scope, "stage": stage}
            token = uploads.keep_upload(user=request.user, data=upload.read(), meta=meta, suffix=Path(upload.name).suffix or ".xlsx")
        except (ImportRefused, uploads.UploadRefused) as error:
            return {"error": str(error)}
        self._submit_history_preview(request, token=token, name=upload.name, picks={})
        messages.info(request, _("Tệp lớn: việc xem trước chạy nền; khi xong, mở nó ở trang Công việc để xem và xác nhận."))
        return {"redirect": reverse("ratings:jobs")}

    def _submit_history_preview(self, request, *, token, name, picks):
        return tasks.submit(
            user=request.user, kind=JobKind.HISTORY_PREVIEW, title=_("Xem trước tệp «%(name)s»") % {"name": name},
            params={"token": token, "picks": picks, "language": get_language()},
        )

    def history_job_view(self, request, pk):
        """The preview a background job made of a large sheet of past years: pick units and preview again (a new
        job), or confirm (a job that saves it)."""
        if not (self.has_add_permission(request) and self.has_change_permission(request)):
            raise PermissionDenied
        job = get_object_or_404(Job.objects.of(request.user), pk=parse_id(pk) or 0, kind=JobKind.HISTORY_PREVIEW,
                                status=JobStatus.DONE)
        summary, picks = job.result, job.params["picks"]
        if request.method == "POST" and "repick" in request.POST:
            chosen = {key[len("pick-"):]: value for key, value in request.POST.items() if key.startswith("pick-") and value.isdigit()}
            self._submit_history_preview(request, token=job.params["token"], name=summary["name"], picks={**picks, **chosen})
            messages.info(request, _("Đang xem trước lại ở chế độ chạy nền; trang Công việc cho biết khi xong."))
            return redirect("ratings:jobs")
        if request.method == "POST" and "confirm" in request.POST:
            if summary["errors"]:
                raise PermissionDenied
            replace = True if request.POST.get("replace_all") else sorted(request.POST.getlist("replace"))
            tasks.submit(
                user=request.user, kind=JobKind.HISTORY_CONFIRM, title=_("Lưu tệp «%(name)s»") % {"name": summary["name"]},
                params={"token": job.params["token"], "preview": job.pk, "replace": replace, "language": get_language()},
            )
            messages.info(request, _("Đang lưu tệp ở chế độ chạy nền; trang Công việc cho biết khi xong."))
            return redirect("ratings:jobs")
        context = {
            "title": _("Nhập kết quả các năm trước"), "stages": Stage.choices, "stage": summary["stage"],
            "plan": summary, "token": job.params["token"], "job": job,
        }
        return self._render_excel(request, "admin/ratings/rating/history_import.html", context)

    def _repick_history(self, request):
        token, kept = self._kept_history(request)
        if kept is None:
            return {"error": _("Tệp đã tải lên không còn; hãy tải lên lại.")}
        meta = kept.meta
        chosen = {key[len("pick-"):]: value for key, value in request.POST.items() if key.startswith("pick-") and value.isdigit()}
        picks = {**meta["picks"], **chosen}
        context = {"scope": meta["scope"], "stage": meta["stage"]}
        try:
            plan = history.plan_history(
                file=kept.path, scope=meta["scope"], stage=meta["stage"], user=request.user, picks=picks, name=meta["name"]
            )
        except ImportRefused as error:
            return {**context, "error": str(error)}
        data = kept.path.read_bytes()
        self._forget_history(request, token)
        return {**context, **self._keep_history(request, data, plan, picks=picks)}

    def _confirm_history(self, request):
        token, kept = self._kept_history(request)
        if kept is None:
            messages.error(request, _("Tệp đã tải lên không còn; hãy tải lên lại."))
            return redirect("admin:ratings_rating_history_import")
        meta = kept.meta
        replace = True if request.POST.get("replace_all") else set(request.POST.getlist("replace"))
        try:
            plan = history.plan_history(
                file=kept.path, scope=meta["scope"], stage=meta["stage"], user=request.user,
                picks=meta["picks"], replace=replace, name=meta["name"],
            )
            report = services.apply_excel_ratings(plan=plan, seen=meta["seen"])
        except ImportRefused as error:
            messages.error(request, str(error))
            return redirect("admin:ratings_rating_history_import")
        self._forget_history(request, token)
        messages.success(
            request,
            _("Đã lưu kết quả các năm trước: %(created)s mới, %(updated)s thay đổi, %(kept)s giữ như đã lưu, "
              "%(unchanged)s không đổi.") % vars(report),
        )
        warn_quota_of_years(request, plan)
        return redirect("admin:ratings_rating_changelist")

    def _keep_history(self, request, data, plan, *, picks):
        meta = {"name": plan.name, "scope": plan.scope.code, "stage": plan.stage, "picks": picks, "seen": plan.snapshot()}
        try:
            token = uploads.keep_upload(user=request.user, data=data, meta=meta, suffix=Path(plan.name).suffix or ".xlsx")
        except uploads.UploadRefused as error:
            return {"plan": plan, "error": str(error)}
        remember_upload(request, self.HISTORY_SESSION_KEY, token)
        return {"plan": plan, "token": token}

    def _kept_history(self, request):
        token = request.POST.get("token", "")
        return token, claimed_upload(request, self.HISTORY_SESSION_KEY, token)

    def _forget_history(self, request, token):
        forget_upload(request, self.HISTORY_SESSION_KEY, token)


def warn_quota_of_years(request, plan):
    """After an import, the peer groups of the scope that break the quota in a year it wrote; never blocks."""
    broken = quota.breaches_written(plan)
    for finding in broken[:MAX_QUOTA_WARNINGS]:
        messages.warning(request, finding.message)
    if len(broken) > MAX_QUOTA_WARNINGS:
        messages.warning(request, _("… và %(n)s nhóm khác vượt tỷ lệ.") % {"n": len(broken) - MAX_QUOTA_WARNINGS})
