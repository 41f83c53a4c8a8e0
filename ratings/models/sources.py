"""Where figures come from: an article, a report or a spreadsheet."""

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from .base import Versioned
from .units import is_unrestricted, scope_filter


def figure_places():
    """Each figure model with the field that places it in the tree; looked up late, as the figures cite sources."""
    from . import FIGURE_PLACES

    return FIGURE_PLACES


class SourceQuerySet(models.QuerySet):
    def get_by_natural_key(self, content_hash):
        return self.get(content_hash=content_hash)

    def editable_by(self, user):
        """Sources whose every figure lies in the user's subtrees: only those may be changed by them or
        given to their figures. An article naming two provinces belongs to neither province's editor."""
        if is_unrestricted(user):
            return self
        outside = Q(pk__in=[])
        for model, field in figure_places():
            limit = scope_filter(user, f"{field}__path")
            elsewhere = model.objects.filter(source__isnull=False).exclude(limit).values("source_id")
            outside |= Q(pk__in=elsewhere)
        return self.exclude(outside)


class Source(Versioned, models.Model):
    """Where figures came from: an article or a file, identified by its content hash."""

    NATURAL_KEY = ("content_hash",)

    title = models.CharField(_("tiêu đề"), max_length=500)
    url = models.URLField(_("địa chỉ"), max_length=1000, blank=True)
    file_name = models.CharField(_("tên tệp"), max_length=255, blank=True)
    published = models.DateField(_("ngày đăng"), null=True, blank=True)
    content_hash = models.CharField(_("mã băm nội dung"), max_length=64, unique=True, null=True, blank=True)
    imported_at = models.DateTimeField(_("thời điểm nhập"), auto_now_add=True)
    note = models.TextField(_("ghi chú"), blank=True)

    objects = SourceQuerySet.as_manager()
    history = HistoricalRecords(excluded_fields=["version"])

    class Meta:
        verbose_name = _("nguồn")
        verbose_name_plural = _("nguồn")
        ordering = ["-published", "title"]

    def __str__(self):
        return self.title

    def natural_key(self):
        return (self.content_hash,)

    def figures(self):
        """Every figure that cites this source, model by model: [(model, queryset)]."""
        return [(model, model.objects.filter(source=self)) for model, _field in figure_places()]

    def has_figures(self):
        return any(figures.exists() for _model, figures in self.figures())
