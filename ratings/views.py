"""Pages: read the parameters (junk falls back to defaults), call aggregates, render."""
import tempfile

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.paginator import Paginator
from django.core.exceptions import PermissionDenied
from django.http import FileResponse, Http404, HttpResponse, JsonResponse, StreamingHttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.formats import number_format
from django.utils.functional import SimpleLazyObject
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST
from django_filters.views import FilterView
from django_tables2 import RequestConfig, SingleTableMixin
from django_tables2.export import ExportMixin

from . import aggregates, tasks
from .filters import RatingFilter, filtered_ratings, parse_id
from .models import Job, JobKind, Stage, Unit, UnitKind
from .reports.csv import attachment, csv_chunks, rating_table_chunks
from .reports.export import build_report, detail_ratings, provinces_table, units_years_table
from .reports.season import build_missing_list
from .tables import BoundedLazyPaginator, RatingTable, SafeExport

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def chosen_year(request, default=None):
    """The `year` parameter if it is a year we hold, else the latest held."""
    years = aggregates.years_held()
    value = parse_id(request.GET.get("year"))
    if value in years:
        return value, years
    return (default if default in years else (years[0] if years else None)), years


def chosen_scope(request):
    """A unit's subtree by `scope` (code) or `province` (id); None means the whole country."""
    code, province = request.GET.get("scope", ""), parse_id(request.GET.get("province"))
    if code:
        return Unit.objects.filter(code=code).first()
    if province:
        return Unit.objects.provinces().filter(pk=province).first()
    return None


def chosen_stage(request):
    stage = request.GET.get("stage", "")
    return stage if stage in Stage.values else Stage.APPROVED


def page_context(request):
    """Year, scope and stage as the comparison pages read them, with the choices to show."""
    year, years = chosen_year(request)
    return {"year": year, "years": years, "scope": chosen_scope(request), "stage": chosen_stage(request), "stages": Stage.choices}


class DashboardView(LoginRequiredMixin, ExportMixin, SingleTableMixin, FilterView):
    """The year at a glance: distribution per kind, quota breaches, reported tallies, the ratings table."""

    table_class = RatingTable
    filterset_class = RatingFilter
    template_name = "ratings/dashboard.html"
    strict = False
    export_name = "xep-loai"
    export_class = SafeExport
    table_pagination = {"paginator_class": BoundedLazyPaginator, "per_page": 50}  # no COUNT over the national table

    def get(self, request, *args, **kwargs):
        self.year, self.years = chosen_year(request)
        self.scope, self.stage = chosen_scope(request), chosen_stage(request)
        if wants_xlsx(request) and self.year is not None:
            return xlsx_download(request, year=self.year, scope=self.scope, stage=self.stage, filters=request.GET.dict())
        if wants_csv(request):
            return self.csv_stream()
        return super().get(request, *args, **kwargs)

    def csv_stream(self):
        """The table's rows as the page filters and sorts them, streamed from the cursor, not rendered cell by cell."""
        ratings = None  # no year held: the headers alone
        if self.year is not None:
            table = self.table_class(
                filtered_ratings(self.request.GET.dict(), year=self.year, scope=self.scope, stage=self.stage)
            )
            RequestConfig(self.request, paginate=False).configure(table)  # the page's ?sort=
            ratings = table.data.data
        name = "-".join(str(part) for part in (self.export_name, self.year, self.scope and self.scope.code) if part)
        response = StreamingHttpResponse(rating_table_chunks(ratings), content_type="text/csv; charset=utf-8")
        response["Content-Disposition"] = attachment(f"{name}.csv")
        return response

    def get_filterset_kwargs(self, filterset_class):
        kwargs = super().get_filterset_kwargs(filterset_class)
        kwargs["data"] = kwargs["data"].copy() if kwargs["data"] is not None else {}
        kwargs["data"]["stage"] = self.stage
        return kwargs

    def get_queryset(self):
        if self.year is None:
            return aggregates.ratings_in(year=0)
        return aggregates.dashboard_ratings(year=self.year, scope=self.scope, stage=self.stage)

    def get_context_data(self, **kwargs):
        """The table and the figures are read only when the page is not kept rendered for this address and
        data version (the template's cache): a kept page costs the session and the data version."""
        context = super(SingleTableMixin, self).get_context_data(**kwargs)
        context["table"] = SimpleLazyObject(lambda: self.get_table(**self.get_table_kwargs()))
        if self.year is not None:
            context["figures"] = SimpleLazyObject(
                lambda: aggregates.dashboard(year=self.year, scope=self.scope, stage=self.stage)
            )
        return {
            **context, "year": self.year, "years": self.years, "scope": self.scope,
            "stage": self.stage, "stage_label": Stage(self.stage).label,
        }


def wants_csv(request):
    return request.GET.get("_export") == "csv"


def wants_xlsx(request):
    return request.GET.get("_export") == "xlsx"


def xlsx_download(request, *, year, scope, stage, compare=None, extra=(), filters=None):
    """The report workbook of a page: sent at once when small, else made by a background job.

    `filters` (the dashboard's query) narrows its detail sheet as the page's table is narrowed.
    """
    ratings = None if filters is None else filtered_ratings(filters, year=year, scope=scope, stage=stage)
    name = f"bao-cao-xep-loai-{year}" + (f"-{scope.code}" if scope else "") + ".xlsx"
    rows = (ratings if ratings is not None else detail_ratings(year, scope, stage)).count()
    if rows > settings.REPORT_IMMEDIATE_ROWS:
        params = {"year": year, "scope": scope.code if scope else None, "stage": stage, "compare": compare,
                  "extra": list(extra), "filters": filters, "file_name": name, "language": get_language()}
        tasks.submit(user=request.user, kind=JobKind.REPORT, title=_("Báo cáo Excel năm %(year)s%(scope)s") % {
            "year": year, "scope": f" – {scope}" if scope else ""}, params=params, total=rows)
        messages.info(request, _("Báo cáo có %(rows)s kết quả xếp loại nên được lập ở chế độ chạy nền; "
                                 "tải tệp ở đây khi thanh tiến độ đầy.") % {"rows": number_format(rows, force_grouping=True)})
        return redirect("ratings:jobs")
    handle = tempfile.TemporaryFile(suffix=".xlsx")  # written once, streamed, never held whole in memory
    build_report(handle, year=year, scope=scope, stage=stage, compare=compare, ratings=ratings, extra=extra)
    handle.seek(0)
    return FileResponse(handle, as_attachment=True, filename=name, content_type=XLSX)


def csv_download(name, headers, rows):
    """A small table as the CSV file a spreadsheet opens with Vietnamese letters intact."""
    response = HttpResponse(b"".join(csv_chunks(headers, rows)), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = attachment(f"{name}.csv")
    return response


def level_code(level):
    return level.code if level else ""


@login_required
def compare_years(request):
    context = page_context(request)
    year, scope, stage = context["year"], context["scope"], context["stage"]
    if year is not None and wants_xlsx(request):
        return xlsx_download(request, year=year, scope=scope, stage=stage)
    if year is not None:
        context["matrix"] = matrix = aggregates.transitions(year=year, scope=scope, stage=stage)
        context["side_by_side"] = [
            aggregates.distribution(year=year - 1, scope=scope, stage=stage),
            aggregates.distribution(year=year, scope=scope, stage=stage),
        ]
        if wants_csv(request):
            headers = [f"{year - 1} \\ {year}", *(level.code for level in matrix.levels)]
            rows = [[level_code(previous) or _("Không có kết quả năm trước"), *counts] for previous, counts in matrix.rows]
            return csv_download(f"chuyen-muc-{year - 1}-{year}", headers, rows)
    return render(request, "ratings/compare_years.html", context)


@login_required
def compare_units(request):
    """Units × years; a unit merged away is shown under the unit that replaced it."""
    context = page_context(request)
    year, years, scope, stage = context["year"], context["years"], context["scope"], context["stage"]
    shown_years = sorted(years)[-8:]
    if year is not None and wants_xlsx(request):
        return xlsx_download(request, year=year, scope=scope, stage=stage, extra=["units_years"])
    units = aggregates.current_units(year=year, scope=scope) if year else Unit.objects.none()
    kind = request.GET.get("kind", "")
    if kind in UnitKind.values:
        units = units.filter(kind=kind)
    if wants_csv(request):
        headers, rows = units_years_table(year=year, scope=scope, stage=stage, years=shown_years)
        return csv_download(f"don-vi-qua-cac-nam-{year}", headers, rows)
    page = Paginator(units.order_by("path"), 50).get_page(request.GET.get("page"))
    rows = aggregates.unit_histories(page.object_list, years=shown_years, stage=stage)
    return render(
        request,
        "ratings/compare_units.html",
        {**context, "shown_years": shown_years, "rows": rows, "page": page, "kind": kind},
    )


@login_required
def compare_provinces(request):
    year, years = chosen_year(request)
    if year is not None and wants_xlsx(request):
        return xlsx_download(request, year=year, scope=None, stage=Stage.APPROVED, extra=["provinces"])
    if year is not None and wants_csv(request):
        headers, table = provinces_table(year=year)
        return csv_download(f"so-sanh-tinh-{year}", headers, table)
    rows = aggregates.province_comparison(year=year) if year else []
    return render(request, "ratings/compare_provinces.html", {"year": year, "years": years, "rows": rows})


@login_required
def unit_detail(request, code):
    unit = get_object_or_404(Unit.objects.select_related("parent", "province", "successor"), code=code)
    history = aggregates.unit_history(unit)
    if wants_csv(request):
        table = [
            [r.year, r.unit.name, r.get_stage_display(), r.level.code, r.score or "",
             f"{r.votes_for}/{r.votes_present or ''}" if r.votes_for is not None else "", r.source.title if r.source else ""]
            for r in history["ratings"]
        ]
        headers = [_("Năm"), _("Đơn vị"), _("Bước"), _("Mức xếp loại"), _("Điểm"), _("Biểu quyết"), _("Nguồn")]
        return csv_download(f"lich-su-{unit.code}", headers, table)
    return render(request, "ratings/unit_detail.html", {"unit": unit, **history})


MISSING_PER_PAGE = 50


def chosen_missing_stage(request):
    stage = request.GET.get("missing", "")
    return stage if stage in aggregates.SEASON_STAGES else Stage.APPROVED


def missing_page(request, *, year, stage, scope, progress):
    """One page of the units still lacking `stage`; their number is known from the counts, so no COUNT runs
    over the anti-join."""
    missing_list = Paginator(aggregates.missing_units(year=year, stage=stage, scope=scope), MISSING_PER_PAGE)
    missing_list.count = progress.units - progress.by_stage[stage]
    return missing_list.get_page(request.GET.get("page"))


@login_required
def season(request):
    """How far the year's review has come: units per stage, the share decided per parent, who is missing."""
    year, years = chosen_year(request)
    scope, missing = chosen_scope(request), chosen_missing_stage(request)
    context = {"year": year, "years": years, "scope": scope, "missing": missing, "stages": aggregates.SEASON_STAGES}
    if year is None:
        return render(request, "ratings/season.html", context)
    if wants_xlsx(request):
        handle = tempfile.TemporaryFile(suffix=".xlsx")
        build_missing_list(handle, year=year, stage=missing, scope=scope)
        handle.seek(0)
        name = f"chua-co-ket-qua-{missing}-{year}" + (f"-{scope.code}" if scope else "") + ".xlsx"
        return FileResponse(handle, as_attachment=True, filename=name, content_type=XLSX)
    # Read only if the page is not kept rendered for this address and data version (the template's cache).
    progress = SimpleLazyObject(lambda: aggregates.season_progress(year=year, scope=scope))
    parents = SimpleLazyObject(lambda: Paginator(progress.parents, MISSING_PER_PAGE).get_page(request.GET.get("parents")))
    page = SimpleLazyObject(lambda: missing_page(request, year=year, stage=missing, scope=scope, progress=progress))
    return render(
        request, "ratings/season.html",
        {**context, "progress": progress, "parents": parents, "page": page, "missing_label": Stage(missing).label},
    )


@login_required
def jobs_page(request):
    """The user's own background jobs, newest first, with their progress and files; one whose worker went
    quiet is queued again (or failed with the reason) before the list is read."""
    tasks.recover_interrupted(user=request.user)
    jobs = Job.objects.of(request.user)[:50]
    return render(request, "ratings/jobs.html", {"jobs": jobs, "can_back_up": request.user.is_superuser})


@login_required
def job_status(request, pk):
    """What the jobs page polls: one small JSON of the user's own job."""
    job = get_object_or_404(Job.objects.of(request.user), pk=parse_id(pk) or 0)
    return JsonResponse({
        "status": job.status, "status_label": job.get_status_display(), "done": job.done, "total": job.total,
        "percent": job.percent, "message": job.message, "downloadable": job.downloadable,
    })


@login_required
def job_download(request, pk):
    """A job's file, for the user who asked for it only, until it expires."""
    job = get_object_or_404(Job.objects.of(request.user), pk=parse_id(pk) or 0)
    if not job.downloadable:
        raise Http404
    return FileResponse(job.path.open("rb"), as_attachment=True, filename=job.file_name)


@login_required
@require_POST
def backup_job(request):
    """A full backup as a job: only administrators of the whole system may take the data away."""
    if not request.user.is_superuser:
        raise PermissionDenied
    name = f"sao-luu-{timezone.localtime():%Y%m%d-%H%M}.json.gz"
    tasks.submit(user=request.user, kind=JobKind.BACKUP, title=_("Sao lưu toàn bộ dữ liệu"), params={"file_name": name})
    return redirect("ratings:jobs")
