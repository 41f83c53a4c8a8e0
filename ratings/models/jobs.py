"""Long work done in the background for one user: what was asked, how far it has come, and its file.

The task queue (django-tasks) only runs the work; this row is what the user's jobs page reads, so it
survives a queue that forgets (Redis restarted) and says why a job failed in the user's language.
"""
from datetime import timedelta
from pathlib import Path

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class JobKind(models.TextChoices):
    REPORT = "report", _("Báo cáo Excel")
    EXCEL_PREVIEW = "excel_preview", _("Xem trước tệp Excel")
    EXCEL_CONFIRM = "excel_confirm", _("Lưu tệp Excel")
    UNITS_PREVIEW = "units_preview", _("Xem trước danh sách đơn vị")
    UNITS_CONFIRM = "units_confirm", _("Lưu danh sách đơn vị")
    HISTORY_PREVIEW = "history_preview", _("Xem trước kết quả các năm trước")
    HISTORY_CONFIRM = "history_confirm", _("Lưu kết quả các năm trước")
    ARTICLES = "articles", _("Nhập nhiều bài báo")
    BACKUP = "backup", _("Sao lưu dữ liệu")


class JobStatus(models.TextChoices):
    QUEUED = "queued", _("Đang chờ")
    RUNNING = "running", _("Đang chạy")
    DONE = "done", _("Xong")
    FAILED = "failed", _("Lỗi")


class JobQuerySet(models.QuerySet):
    def of(self, user):
        """A user sees and downloads only the jobs they asked for."""
        return self.filter(user=user)

    def unfinished(self):
        return self.filter(status__in=[JobStatus.QUEUED, JobStatus.RUNNING])

    def interrupted(self, *, worker=None):
        """Running jobs whose worker has gone quiet for JOB_STALE_SECONDS, or that `worker` (restarting
        now) held: their process was stopped or killed before it could say so."""
        quiet = timezone.now() - timedelta(seconds=settings.JOB_STALE_SECONDS)
        held = Q(worker=worker) if worker else Q(pk__in=[])
        return self.filter(status=JobStatus.RUNNING).filter(Q(heartbeat_at__lt=quiet) | held)

    def expired(self):
        return self.filter(expires_at__lt=timezone.now())


class Job(models.Model):
    user = models.ForeignKey("auth.User", models.CASCADE, related_name="jobs", verbose_name=_("người dùng"))
    kind = models.CharField(_("loại công việc"), max_length=20, choices=JobKind.choices)
    title = models.CharField(_("tiêu đề"), max_length=300)
    params = models.JSONField(_("tham số"), default=dict, blank=True)
    status = models.CharField(_("trạng thái"), max_length=10, choices=JobStatus.choices, default=JobStatus.QUEUED)
    done = models.PositiveIntegerField(_("đã xử lý"), default=0)
    total = models.PositiveIntegerField(_("tổng số"), null=True, blank=True)
    message = models.TextField(_("thông báo"), blank=True)
    file_name = models.CharField(_("tên tệp"), max_length=200, blank=True)
    result = models.JSONField(_("kết quả"), default=dict, blank=True)
    attempts = models.PositiveSmallIntegerField(_("số lần chạy"), default=0)
    task_id = models.CharField(max_length=64, blank=True, editable=False)
    worker = models.CharField(max_length=100, blank=True, editable=False)
    created_at = models.DateTimeField(_("tạo lúc"), auto_now_add=True)
    started_at = models.DateTimeField(_("bắt đầu"), null=True, blank=True)
    heartbeat_at = models.DateTimeField(null=True, blank=True, editable=False)
    finished_at = models.DateTimeField(_("xong lúc"), null=True, blank=True)
    expires_at = models.DateTimeField(_("hết hạn"), null=True, blank=True)

    objects = JobQuerySet.as_manager()

    class Meta:
        verbose_name = _("công việc chạy nền")
        verbose_name_plural = _("công việc chạy nền")
        ordering = ["-created_at", "-pk"]
        indexes = [models.Index(fields=["user", "-created_at"]), models.Index(fields=["status", "heartbeat_at"])]
        constraints = [
            models.CheckConstraint(condition=Q(total__isnull=True) | Q(done__lte=F("total")), name="job_done_within_total"),
        ]

    def __str__(self):
        return self.title

    @property
    def finished(self):
        return self.status in (JobStatus.DONE, JobStatus.FAILED)

    @property
    def percent(self):
        """Share of the rows done, None while the total is unknown."""
        if not self.total:
            return 100 if self.status == JobStatus.DONE else None
        return min(100, self.done * 100 // self.total)

    @property
    def path(self):
        """Where the job's file lies: var/jobs/<id>/<name>, never a name the user typed alone."""
        return Path(settings.VAR_DIR) / "jobs" / str(self.pk) / self.file_name if self.file_name else None

    @property
    def downloadable(self):
        return self.status == JobStatus.DONE and self.path is not None and not self.has_expired and self.path.exists()

    @property
    def has_expired(self):
        return self.expires_at is not None and self.expires_at < timezone.now()

    def report(self, done, total=None):
        """Progress, written straight to the row (no signals, no version) so the page can poll it."""
        fields = {"done": done, "heartbeat_at": timezone.now()}
        if total is not None:
            fields["total"] = total
            self.total = total
        self.done = min(done, self.total) if self.total is not None else done
        fields["done"] = self.done
        Job.objects.filter(pk=self.pk).update(**fields)
