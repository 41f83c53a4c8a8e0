"""A background job's life on its row: started, progressing, finished with a file, failed with a reason,
interrupted, expired. The queue runs the work (ratings.tasks); these say what the user sees."""
import shutil
from datetime import timedelta
from pathlib import Path

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from ..models import Job, JobStatus


def job_dir(job):
    return Path(settings.VAR_DIR) / "jobs" / str(job.pk)


def output_path(job, file_name):
    """Where the job writes its file; the name is the one the user downloads."""
    folder = job_dir(job)
    folder.mkdir(parents=True, exist_ok=True)
    return folder / file_name


@transaction.atomic
def start(job, *, worker=""):
    """Mark the job running, or return False when it is no longer waiting (finished, or taken by another run)."""
    now = timezone.now()
    taken = Job.objects.filter(pk=job.pk, status=JobStatus.QUEUED).update(
        status=JobStatus.RUNNING, started_at=now, heartbeat_at=now, attempts=job.attempts + 1, worker=worker, message=""
    )
    if taken:
        job.refresh_from_db()
    return bool(taken)


def finish(job, *, file_name=""):
    """Done: the file (if any) is kept JOB_FILE_HOURS; what the work put in `result` and `message` stays."""
    now = timezone.now()
    Job.objects.filter(pk=job.pk).update(
        status=JobStatus.DONE, finished_at=now, heartbeat_at=now, file_name=file_name,
        expires_at=now + timedelta(hours=settings.JOB_FILE_HOURS),
        done=job.total if job.total is not None else job.done,
    )
    job.refresh_from_db()


def fail(job, message):
    """The job stops with the reason the user reads; a half-written file is removed."""
    now = timezone.now()
    shutil.rmtree(job_dir(job), ignore_errors=True)
    Job.objects.filter(pk=job.pk).update(
        status=JobStatus.FAILED, finished_at=now, heartbeat_at=now, message=message, file_name="",
        expires_at=now + timedelta(hours=settings.JOB_FILE_HOURS),
    )
    job.refresh_from_db()


def requeue(job, *, task_id):
    """Put an interrupted job back in the queue under its new task."""
    Job.objects.filter(pk=job.pk).update(
        status=JobStatus.QUEUED, task_id=task_id, worker="", done=0, heartbeat_at=None,
        message=_("Công việc bị gián đoạn khi máy chủ khởi động lại; đang chạy lại."),
    )


def give_up(job):
    fail(job, _(
        "Công việc bị gián đoạn %(attempts)s lần (máy chủ dừng hoặc khởi động lại giữa chừng) nên đã dừng; "
        "hãy tạo lại yêu cầu."
    ) % {"attempts": job.attempts})


def purge_expired():
    """Remove the rows and files of jobs past their expiry; return how many."""
    expired = list(Job.objects.expired().values_list("pk", flat=True))
    for pk in expired:
        shutil.rmtree(Path(settings.VAR_DIR) / "jobs" / str(pk), ignore_errors=True)
    Job.objects.filter(pk__in=expired).delete()
    return len(expired)
