"""Quarterly reviews, which Quy định 366-QĐ/TW allows beside the year's. The year's Rating stays the main
fact: no count, dashboard or report reads these; the unit page lists them under the year."""
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from .base import YEAR_MAX, YEAR_MIN, Stage, Versioned, level_in_regime, one_of
from .figures import Figure
from .scales import Level
from .scorecards import Scorecard, scorecard_constraints
from .units import Unit


class Quarter(models.IntegerChoices):
    FIRST = 1, _("Quý I")
    SECOND = 2, _("Quý II")
    THIRD = 3, _("Quý III")
    FOURTH = 4, _("Quý IV")


class QuarterRating(Versioned, Scorecard, Figure):
    """One unit's level for one quarter of a year at one stage of the review."""

    NATURAL_KEY = ("unit__code", "year", "quarter", "stage")

    unit = models.ForeignKey(Unit, models.PROTECT, related_name="quarter_ratings", verbose_name=_("đơn vị"))
    quarter = models.PositiveSmallIntegerField(_("quý"), choices=Quarter.choices)
    stage = models.CharField(_("bước"), max_length=10, choices=Stage.choices, default=Stage.APPROVED)
    level = models.ForeignKey(Level, models.PROTECT, related_name="quarter_ratings", verbose_name=_("mức xếp loại"))
    decided_on = models.DateField(_("ngày"), null=True, blank=True)
    note = models.TextField(_("ghi chú"), blank=True)

    history = HistoricalRecords(excluded_fields=["version"])

    class Meta:
        verbose_name = _("kết quả xếp loại quý")
        verbose_name_plural = _("kết quả xếp loại quý")
        ordering = ["-year", "unit__path", "quarter", "stage"]
        constraints = [
            models.UniqueConstraint(
                fields=["unit", "year", "quarter", "stage"],
                name="quarter_rating_unique",
                violation_error_message=_("Đơn vị này đã có kết quả xếp loại quý này ở bước này."),
            ),
            models.CheckConstraint(condition=Q(quarter__gte=1) & Q(quarter__lte=4), name="quarter_rating_quarter_known"),
            models.CheckConstraint(
                condition=Q(year__gte=YEAR_MIN) & Q(year__lte=YEAR_MAX), name="quarter_rating_year_range"
            ),
            level_in_regime("quarter_rating_level_in_regime"),
            one_of("stage", Stage, "quarter_rating_stage_known"),
            *scorecard_constraints("quarter_rating"),
        ]

    def __str__(self):
        return f"{self.unit} – {self.period_text()}: {self.level}"

    def period_text(self):
        return _("%(quarter)s năm %(year)s") % {"quarter": self.get_quarter_display(), "year": self.year}

    def clean(self):
        errors = self.rated_errors()
        if "year" not in errors and self.regime_id and not self.regime.quarterly_reviews:
            errors["quarter"] = [
                _("%(regime)s không có xếp loại theo quý (năm %(year)s).") % {"regime": self.regime.name, "year": self.year}
            ]
        if errors:
            raise ValidationError(errors)
