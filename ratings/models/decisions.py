"""The documents that record a stage of the review for the units below their issuer."""

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy
from simple_history.models import HistoricalRecords

from .base import Stage, Versioned, one_of, year_field
from .units import Unit, scope_filter


class DecisionKind(models.TextChoices):
    DECISION = "quyet_dinh", pgettext_lazy("document", "Quyết định")
    NOTICE = "thong_bao", pgettext_lazy("document", "Thông báo")


# A decision records the outcome of appraisal or of the competent level, never a self-assessment.
DECISION_STAGES = [Stage.PROPOSED, Stage.APPROVED]


class DecisionQuerySet(models.QuerySet):
    def editable_by(self, user):
        q = scope_filter(user, "issuer__path")
        return self if q is None else self.filter(q)

    def of_group(self, parent, year, stage):
        return self.filter(issuer=parent, year=year, stage=stage)


class Decision(Versioned, models.Model):
    """The document (Quyết định or Thông báo) by which a unit records the levels of the units under it,
    so a rating can cite the act that made it official."""

    kind = models.CharField(_("loại văn bản"), max_length=12, choices=DecisionKind.choices, default=DecisionKind.DECISION)
    number = models.CharField(_("số"), max_length=60)
    issued_on = models.DateField(_("ngày ban hành"))
    issuer = models.ForeignKey(Unit, models.PROTECT, related_name="decisions", verbose_name=_("đơn vị ban hành"))
    year = year_field(verbose_name=_("năm đánh giá"))
    stage = models.CharField(
        _("bước"), max_length=10, choices=[(s.value, s.label) for s in DECISION_STAGES], default=Stage.APPROVED
    )
    file_name = models.CharField(_("tên tệp"), max_length=255, blank=True)
    note = models.TextField(_("ghi chú"), blank=True)

    objects = DecisionQuerySet.as_manager()
    history = HistoricalRecords(excluded_fields=["version"])

    class Meta:
        verbose_name = _("quyết định, thông báo")
        verbose_name_plural = _("quyết định, thông báo")
        ordering = ["-year", "issuer__path", "-issued_on", "number"]
        constraints = [
            models.UniqueConstraint(
                fields=["issuer", "number", "issued_on"],
                name="decision_unique_number",
                violation_error_message=_("Đơn vị này đã có văn bản cùng số và ngày."),
            ),
            models.CheckConstraint(condition=Q(stage__in=DECISION_STAGES), name="decision_stage_known"),
            one_of("kind", DecisionKind, "decision_kind_known"),
        ]

    def __str__(self):
        return _("%(kind)s số %(number)s ngày %(date)s") % {
            "kind": self.get_kind_display(),
            "number": self.number,
            "date": self.issued_on.strftime("%d/%m/%Y") if self.issued_on else "—",
        }
