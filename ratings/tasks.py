"""Background jobs: thin wrappers that call the services and reports, and report progress on their Job.

`submit` records the job and queues `run_job` once the row is committed; whichever backend runs it
(the database worker of `manage.py run`, or RQ workers), `run_job` is the one entry.
"""
import logging
import os
import zipfile
from pathlib import Path

from django.conf import settings
from django.core.management import call_command
from django.db import transaction
from django.utils import translation
from django.utils.translation import gettext as _
from django_tasks import task

from . import filters, quota, services
from .models import Job, JobKind, Unit
from .reports.export import build_report
from .services import history, jobs, uploads
from .services.articles import ImportRefused

logger = logging.getLogger(__name__)
WORKER_ENV = "RATINGS_JOB_WORKER"
WORK = {}


def work(kind):
    """Register the function that does the work of a kind of job: it takes the Job and returns the name of
    the file it wrote under jobs.output_path (or "" when the job leaves no file)."""
    def register(function):
        WORK[kind] = function
        return function
    return register


def submit(*, user, kind, title, params, total=None):
    """Record a job for `user` and queue it once the row is committed."""
    job = Job.objects.create(user=user, kind=kind, title=title[:300], params=params, total=total)
    transaction.on_commit(lambda: _enqueue(job))
    return job


def _enqueue(job):
    try:
        result = run_job.enqueue(job.pk)
    except Exception:  # the queue's store is down (Redis): say so on the job rather than leave it waiting forever
        logger.exception("Job %s could not be queued", job.pk)
        with translation.override(job.params.get("language") or settings.LANGUAGE_CODE):
            jobs.fail(job, _("Không gửi được công việc vào hàng đợi (máy chủ hàng đợi không trả lời); hãy thử lại sau."))
        return
    Job.objects.filter(pk=job.pk).update(task_id=result.id)
    job.task_id = result.id


@task()
def run_job(job_id):
    job = Job.objects.filter(pk=job_id).first()
    if job is None or not jobs.start(job, worker=os.environ.get(WORKER_ENV, "")):
        return  # deleted, or already run by an earlier delivery of the same job
    try:
        with translation.override(job.params.get("language") or settings.LANGUAGE_CODE):
            file_name = WORK[job.kind](job)
    except ImportRefused as refusal:
        jobs.fail(job, str(refusal))
    except Exception:
        logger.exception("Job %s (%s) failed", job.pk, job.kind)
        with translation.override(job.params.get("language") or settings.LANGUAGE_CODE):
            jobs.fail(job, _("Công việc gặp lỗi ngoài dự kiến và đã dừng; nhật ký máy chủ ghi chi tiết. Hãy thử lại sau."))
    else:
        jobs.finish(job, file_name=file_name or "")
    jobs.purge_expired()
    recover_interrupted()  # a worker that died elsewhere (another machine's RQ worker) left these behind


def recover_interrupted(*, worker=None, user=None):
    """Jobs a stop or a crash left running: queued again while attempts remain, else failed with the reason.
    Never lost silently. `user` limits it to one user's jobs. Returns (requeued, failed)."""
    requeued = failed = 0
    interrupted = Job.objects.interrupted(worker=worker)
    for job in interrupted.of(user) if user is not None else interrupted:
        if job.attempts < settings.JOB_ATTEMPTS:
            result = run_job.enqueue(job.pk)
            jobs.requeue(job, task_id=result.id)
            requeued += 1
        else:
            jobs.give_up(job)
            failed += 1
    return requeued, failed


@work(JobKind.REPORT)
def report(job):
    """The Excel report of a page, its rows counted first so the bar can move."""
    params = job.params
    scope = Unit.objects.filter(code=params["scope"]).first() if params.get("scope") else None
    ratings = None
    if params.get("filters") is not None:
        ratings = filters.filtered_ratings(params["filters"], year=params["year"], scope=scope, stage=params["stage"])
    path = jobs.output_path(job, params["file_name"])
    build_report(
        path, year=params["year"], scope=scope, stage=params["stage"], compare=params.get("compare"),
        ratings=ratings, extra=params.get("extra", ()), progress=job.report,
    )
    return path.name


@work(JobKind.EXCEL_PREVIEW)
def excel_preview(job):
    """The preview of a large upload, kept on the job for the page that shows it and for the confirmation."""
    kept = uploads.kept_upload(user=job.user, token=job.params["token"])
    if kept is None:
        raise ImportRefused(_("Tệp đã tải lên không còn; hãy tải lên lại."))
    plan = services.plan_excel_ratings(file=kept.path, user=job.user, progress=job.report)
    summary = services.plan_summary(plan)
    summary["name"] = kept.meta.get("name") or summary["name"]  # the user's name for the file, not the kept copy's
    Job.objects.filter(pk=job.pk).update(result=summary)
    return ""


@work(JobKind.EXCEL_CONFIRM)
def excel_confirm(job):
    """Save the upload a preview job showed, refused if a rating changed since (the preview's snapshot)."""
    preview = Job.objects.of(job.user).filter(pk=job.params["preview"], kind=JobKind.EXCEL_PREVIEW).first()
    kept = uploads.kept_upload(user=job.user, token=job.params["token"])
    if preview is None or kept is None:
        raise ImportRefused(_("Tệp đã tải lên không còn; hãy tải lên lại."))
    plan = services.plan_excel_ratings(file=kept.path, user=job.user, progress=job.report)
    report = services.apply_excel_ratings(plan=plan, seen=preview.result["snapshot"])
    uploads.discard_upload(user=job.user, token=job.params["token"])
    Job.objects.filter(pk=job.pk).update(result=vars(report), message=_(
        "Đã lưu kết quả xếp loại từ Excel: %(created)s mới, %(updated)s thay đổi, %(unchanged)s không đổi."
    ) % vars(report))
    return ""


@work(JobKind.UNITS_PREVIEW)
def units_preview(job):
    """The preview of a large unit table, kept on the job for the page that shows it and for the confirmation."""
    kept = uploads.kept_upload(user=job.user, token=job.params["token"])
    if kept is None:
        raise ImportRefused(_("Tệp đã tải lên không còn; hãy tải lên lại."))
    plan = services.plan_units(file=kept.path, user=job.user, name=kept.meta.get("name"))
    job.report(len(plan.rows), total=len(plan.rows))
    Job.objects.filter(pk=job.pk).update(result=services.unit_plan_summary(plan, shown=job.params["shown"]))
    return ""


@work(JobKind.UNITS_CONFIRM)
def units_confirm(job):
    """Save the unit table a preview job showed, refused if a unit it read has changed since."""
    preview = Job.objects.of(job.user).filter(pk=job.params["preview"], kind=JobKind.UNITS_PREVIEW).first()
    kept = uploads.kept_upload(user=job.user, token=job.params["token"])
    if preview is None or kept is None:
        raise ImportRefused(_("Tệp đã tải lên không còn; hãy tải lên lại."))
    plan = services.plan_units(file=kept.path, user=job.user, name=kept.meta.get("name"))
    job.report(0, total=len(plan.rows))
    report = services.apply_units(plan=plan, user=job.user, seen=preview.result["snapshot"])
    job.report(len(plan.rows))
    uploads.discard_upload(user=job.user, token=job.params["token"])
    Job.objects.filter(pk=job.pk).update(result=vars(report), message=_(
        "Đã nhập danh sách đơn vị: %(created)s mới, %(updated)s thay đổi, %(unchanged)s không đổi."
    ) % vars(report))
    return ""


@work(JobKind.HISTORY_PREVIEW)
def history_preview(job):
    """The preview of a large sheet of past years with the units picked so far, kept on the job."""
    kept = uploads.kept_upload(user=job.user, token=job.params["token"])
    if kept is None:
        raise ImportRefused(_("Tệp đã tải lên không còn; hãy tải lên lại."))
    meta = kept.meta
    plan = history.plan_history(
        file=kept.path, scope=meta["scope"], stage=meta["stage"], user=job.user, picks=job.params["picks"], name=meta["name"]
    )
    job.report(len(plan.rows), total=len(plan.rows))
    Job.objects.filter(pk=job.pk).update(result=history.history_plan_summary(plan))
    return ""


@work(JobKind.HISTORY_CONFIRM)
def history_confirm(job):
    """Save the sheet a preview job showed, with the replacements ticked; refused if a rating changed since."""
    preview = Job.objects.of(job.user).filter(pk=job.params["preview"], kind=JobKind.HISTORY_PREVIEW).first()
    kept = uploads.kept_upload(user=job.user, token=job.params["token"])
    if preview is None or kept is None:
        raise ImportRefused(_("Tệp đã tải lên không còn; hãy tải lên lại."))
    meta, replace = kept.meta, job.params["replace"]
    plan = history.plan_history(
        file=kept.path, scope=meta["scope"], stage=meta["stage"], user=job.user, picks=preview.params["picks"],
        replace=True if replace is True else set(replace), name=meta["name"],
    )
    job.report(0, total=len(plan.rows))
    report = services.apply_excel_ratings(plan=plan, seen=preview.result["snapshot"])
    job.report(len(plan.rows))
    uploads.discard_upload(user=job.user, token=job.params["token"])
    message = _(
        "Đã lưu kết quả các năm trước: %(created)s mới, %(updated)s thay đổi, %(kept)s giữ như đã lưu, "
        "%(unchanged)s không đổi."
    ) % vars(report)
    broken = quota.breaches_written(plan)
    if broken:  # never blocks, as in the request: said with the first groups
        message += " " + " ".join(str(finding.message) for finding in broken[:3])
        if len(broken) > 3:
            message += " " + _("… và %(n)s nhóm khác vượt tỷ lệ.") % {"n": len(broken) - 3}
    Job.objects.filter(pk=job.pk).update(result=vars(report), message=message[:2000])
    return ""


@work(JobKind.ARTICLES)
def articles(job):
    """A batch of articles kept as one zip by the admin; each imported in its own transaction."""
    kept = uploads.kept_upload(user=job.user, token=job.params["token"])
    if kept is None:
        raise ImportRefused(_("Tệp đã tải lên không còn; hãy tải lên lại."))
    with zipfile.ZipFile(kept.path) as bundle:
        texts = [(name, bundle.read(name).decode("utf-8")) for name in bundle.namelist()]
    outcomes = services.import_article_batch(
        articles=texts, allowed=Unit.objects.editable_by(job.user), province=job.params.get("province") or None,
        year=job.params.get("year"), progress=job.report,
    )
    uploads.discard_upload(user=job.user, token=job.params["token"])
    created = sum(outcome["created"] for outcome in outcomes)
    failed = sum(1 for outcome in outcomes if outcome["error"])
    Job.objects.filter(pk=job.pk).update(result={"articles": outcomes}, message=_(
        "%(articles)s bài viết: %(created)s số liệu mới lưu, %(failed)s bài không đọc được."
    ) % {"articles": len(outcomes), "created": created, "failed": failed})
    return ""


@work(JobKind.BACKUP)
def backup(job):
    """A full backup as backup_data writes it, gzipped, for an administrator to download."""
    path = jobs.output_path(job, job.params["file_name"])
    call_command("backup_data", output=str(path), with_users=bool(job.params.get("with_users")), verbosity=0)
    return Path(path).name
