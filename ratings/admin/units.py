"""Units: the tree list with ratings inline, and a department's own tree imported from a table."""
import io

from django.conf import settings
from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied
from django.http import FileResponse
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.html import format_html
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from .. import tasks
from ..filters import parse_id
from ..forms import RatingForm, UnitForm
from ..models import Job, JobKind, JobStatus, Rating, Unit, scope_filter
from ..reports.units import build_unit_workbook
from ..services import uploads
from ..services.articles import ImportRefused
from ..services.organization import apply_units, plan_units
from .base import AuditedAdmin, ScopedAdmin, claimed_upload, forget_upload, remember_upload
from .filters import ParentFilter, province_filter
from .ratings import warn_quota

MAX_INDENT = 10  # admin.css indents the tree list this many levels deep
PREVIEW_ROWS = 100  # rows listed per part of the preview; the rest as a count
XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


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
    change_list_template = "admin/ratings/unit/change_list.html"
    IMPORT_SESSION_KEY = "unit_table_uploads"

    @admin.display(description=_("tên"), ordering="path")
    def tree_name(self, unit):
        return format_html('<span class="tree-indent depth-{}">{}</span>', min(unit.depth, MAX_INDENT), unit.name)

    def get_form(self, request, obj=None, change=False, **kwargs):
        form = super().get_form(request, obj, change, **kwargs)
        if scope_filter(request.user) is not None and "parent" in form.base_fields:
            # An editor's units hang below the subtrees given to them: a unit without a parent
            # would be a province, outside every subtree.
            form.base_fields["parent"].required = True
        return form

    def save_formset(self, request, form, formset, change):
        super().save_formset(request, form, formset, change)
        for rating in formset.new_objects + [obj for obj, _fields in formset.changed_objects]:
            warn_quota(request, rating)

    def get_urls(self):
        view = self.admin_site.admin_view
        return [
            path("import/", view(self.import_view), name="ratings_unit_import"),
            path("import/template/", view(self.template_view), name="ratings_unit_import_template"),
            path("import/job/<str:pk>/", view(self.import_job_view), name="ratings_unit_import_job"),
            path("export/", view(self.export_view), name="ratings_unit_export"),
            *super().get_urls(),
        ]

    def may_import(self, request):
        return self.has_add_permission(request) and self.has_change_permission(request)

    def changelist_view(self, request, extra_context=None):
        extra_context = {**(extra_context or {}), "may_import_units": self.may_import(request)}
        return super().changelist_view(request, extra_context)

    def template_view(self, request):
        if not self.has_view_permission(request):
            raise PermissionDenied
        return self._workbook(build_unit_workbook(), "mau-danh-sach-don-vi.xlsx")

    def export_view(self, request):
        """The user's subtrees (everything for an administrator) in the import's own columns."""
        if not self.has_view_permission(request):
            raise PermissionDenied
        workbook = build_unit_workbook(units=Unit.objects.editable_by(request.user), title=str(_("Danh sách đơn vị")))
        return self._workbook(workbook, "danh-sach-don-vi.xlsx")

    def import_view(self, request):
        """Upload → preview (new, changed with old → new, unchanged as a count, errors by row) → confirm saves all or nothing.

        The upload waits in the user's corner of the upload store between the steps, named by a token
        this session holds; confirm plans the kept file again and refuses if the units the preview
        read have changed since.
        """
        if not self.may_import(request):
            raise PermissionDenied
        if request.method == "POST" and "confirm" in request.POST:
            return self._confirm(request)
        context = {"title": _("Nhập danh sách đơn vị"), "shown": PREVIEW_ROWS}
        if request.method == "POST":
            context.update(self._preview(request))
            if "redirect" in context:
                return redirect(context["redirect"])
        return TemplateResponse(
            request, "admin/ratings/unit/import.html", {**self.admin_site.each_context(request), "opts": self.model._meta, **context}
        )

    def _preview(self, request):
        upload = request.FILES.get("file")
        if upload is None:
            return {"error": _("Chọn một tệp .xlsx hoặc .csv để tải lên.")}
        if settings.UNIT_TABLE_JOB_BYTES < upload.size:
            return self._preview_as_job(request, upload)
        try:
            plan = plan_units(file=upload, user=request.user, name=upload.name)
        except ImportRefused as error:
            return {"error": str(error)}
        context = {
            "plan": plan, "followers": len(plan.followers),
            **{f"{status}_rows": plan.with_status(status)[:PREVIEW_ROWS] for status in ("new", "changed", "error")},
        }
        if plan.errors or not (plan.counts["new"] or plan.counts["changed"]):
            return context
        upload.seek(0)
        suffix = ".csv" if upload.name.lower().endswith(".csv") else ".xlsx"
        try:
            token = uploads.keep_upload(
                user=request.user, data=upload.read(), meta={"seen": plan.snapshot(), "name": plan.name}, suffix=suffix
            )
        except uploads.UploadRefused as error:
            return {**context, "error": str(error)}
        remember_upload(request, self.IMPORT_SESSION_KEY, token)
        return {**context, "token": token}

    def _preview_as_job(self, request, upload):
        """A large table is read by a background job; the user follows it on the jobs page."""
        suffix = ".csv" if upload.name.lower().endswith(".csv") else ".xlsx"
        try:
            token = uploads.keep_upload(user=request.user, data=upload.read(), meta={"name": upload.name}, suffix=suffix)
        except uploads.UploadRefused as error:
            return {"error": str(error)}
        tasks.submit(
            user=request.user, kind=JobKind.UNITS_PREVIEW, title=_("Xem trước danh sách «%(name)s»") % {"name": upload.name},
            params={"token": token, "shown": PREVIEW_ROWS, "language": get_language()},
        )
        messages.info(request, _("Tệp lớn: việc xem trước chạy nền; khi xong, mở nó ở trang Công việc để xem và xác nhận."))
        return {"redirect": reverse("ratings:jobs")}

    def import_job_view(self, request, pk):
        """The preview a background job made of a large table, and the confirmation that saves it as a job."""
        if not self.may_import(request):
            raise PermissionDenied
        job = get_object_or_404(
            Job.objects.of(request.user), pk=parse_id(pk) or 0, kind=JobKind.UNITS_PREVIEW, status=JobStatus.DONE
        )
        summary = job.result
        if request.method == "POST":
            if summary["counts"]["error"] or not (summary["counts"]["new"] or summary["counts"]["changed"]):
                raise PermissionDenied
            tasks.submit(
                user=request.user, kind=JobKind.UNITS_CONFIRM, title=_("Lưu danh sách «%(name)s»") % {"name": summary["name"]},
                params={"token": job.params["token"], "preview": job.pk, "language": get_language()},
            )
            messages.info(request, _("Đang lưu tệp ở chế độ chạy nền; trang Công việc cho biết khi xong."))
            return redirect("ratings:jobs")
        may_save = not summary["counts"]["error"] and (summary["counts"]["new"] or summary["counts"]["changed"])
        context = {
            "title": _("Nhập danh sách đơn vị"), "shown": job.params["shown"], "plan": summary, "job": job,
            "followers": summary["followers"], "confirm_url": request.path if may_save else "",
            **{key: summary[key] for key in ("new_rows", "changed_rows", "error_rows")},
        }
        return TemplateResponse(
            request, "admin/ratings/unit/import.html", {**self.admin_site.each_context(request), "opts": self.model._meta, **context}
        )

    def _confirm(self, request):
        token = request.POST.get("token", "")
        kept = claimed_upload(request, self.IMPORT_SESSION_KEY, token)
        if kept is None:
            messages.error(request, _("Tệp đã tải lên không còn; hãy tải lên lại."))
            return redirect("admin:ratings_unit_import")
        try:
            plan = plan_units(file=kept.path, user=request.user, name=kept.meta.get("name"))
            report = apply_units(plan=plan, user=request.user, seen=kept.meta["seen"])
        except ImportRefused as error:
            messages.error(request, str(error))
            return redirect("admin:ratings_unit_import")
        forget_upload(request, self.IMPORT_SESSION_KEY, token)
        messages.success(
            request,
            _("Đã nhập danh sách đơn vị: %(created)s mới, %(updated)s thay đổi, %(unchanged)s không đổi.") % vars(report),
        )
        return redirect("admin:ratings_unit_changelist")

    def _workbook(self, workbook, filename):
        buffer = io.BytesIO()
        workbook.save(buffer)
        buffer.seek(0)
        return FileResponse(buffer, as_attachment=True, filename=filename, content_type=XLSX_TYPE)
