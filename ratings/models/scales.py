"""The regulations in force and the scale of levels each one rates on."""
import re

from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import F, Q, Value
from django.db.models.functions import Concat
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from .. import rules
from .base import year_field


class RegimeQuerySet(models.QuerySet):
    def for_year(self, year):
        return self.filter(first_year__lte=year).filter(Q(last_year__isnull=True) | Q(last_year__gte=year))

    def covering(self, year):
        """The regime of `year`, or a ValidationError saying that no regulation covers it."""
        regime = self.for_year(year).first()
        if regime is None:
            raise ValidationError(_("Không có quy định xếp loại nào áp dụng cho năm %(year)s.") % {"year": year})
        return regime


class Regime(models.Model):
    """A regulation in force for a span of review years, with its scale and rule settings.

    Adding next year's regime is a new row and its levels, not code.
    """

    code = models.CharField(_("mã"), max_length=20, primary_key=True)
    name = models.CharField(_("tên"), max_length=200)
    regulation = models.CharField(_("văn bản quy định"), max_length=200, blank=True)
    guidance = models.CharField(_("văn bản hướng dẫn"), max_length=200, blank=True)
    first_year = year_field(help_text=_("Năm đánh giá đầu tiên áp dụng."))
    last_year = year_field(null=True, blank=True, help_text=_("Để trống nếu còn hiệu lực."))
    max_score = models.PositiveSmallIntegerField(
        _("thang điểm"), null=True, blank=True, help_text=_("Để trống nếu quy định không chấm điểm.")
    )
    quota_ratio = models.DecimalField(
        _("tỷ lệ HTXSNV tối đa so với HTTNV"),
        max_digits=4,
        decimal_places=3,
        null=True,
        blank=True,
        help_text=_("Ví dụ 0,2 (Quy định 124-QĐ/TW, Điều 12). Để trống nếu không áp dụng."),
    )

    quarterly_reviews = models.BooleanField(
        _("có đánh giá theo quý"), default=False, help_text=_("Quy định cho phép xếp loại từng quý, ngoài cả năm.")
    )

    objects = RegimeQuerySet.as_manager()

    class Meta:
        verbose_name = _("quy định xếp loại")
        verbose_name_plural = _("quy định xếp loại")
        ordering = ["first_year"]
        constraints = [
            models.CheckConstraint(
                condition=Q(last_year__isnull=True) | Q(last_year__gte=F("first_year")),
                name="regime_years_ordered",
            ),
        ]

    def __str__(self):
        end = self.last_year or ""
        return f"{self.name} ({self.first_year}–{end})"

    @property
    def scored(self):
        return self.max_score is not None

    def clean(self):
        overlapping = Regime.objects.exclude(pk=self.pk).filter(
            Q(last_year__isnull=True) | Q(last_year__gte=self.first_year)
        )
        if self.last_year is not None:
            overlapping = overlapping.filter(first_year__lte=self.last_year)
        if self.first_year and overlapping.exists():
            raise ValidationError(
                _("Khoảng năm trùng với quy định %(other)s: mỗi năm chỉ áp dụng một quy định."),
                params={"other": overlapping.first()},
            )

    def score_bands(self):
        return [(level.code, level.min_score) for level in self.levels.all()]

    def scorecard_conditions(self):
        """rules.LevelConditions of each level, best first, with the score floors the bands imply."""
        levels = list(self.levels.all())
        floors = dict(rules.effective_min_scores([(level.code, level.min_score) for level in levels]))
        return [
            rules.LevelConditions(
                code=level.code,
                min_score=floors[level.code] if self.scored else None,
                min_on_time_percent=level.min_on_time_percent,
                min_exceeded_percent=level.min_exceeded_percent,
                max_late_percent=level.max_late_percent,
                all_done=level.requires_all_done,
                no_discipline=level.requires_no_discipline,
            )
            for level in levels
        ]

    @property
    def has_scorecard(self):
        """Whether the regime rates tasks and discipline as well as the score (Quy định 366-QĐ/TW)."""
        return any(level.has_task_conditions for level in self.levels.all())


class LevelQuerySet(models.QuerySet):
    def in_scale_of(self, year, code):
        """The Level of `code` in the scale of `year`'s regime, or a ValidationError saying why not."""
        regime = Regime.objects.covering(year)
        level = self.filter(regime=regime, code=code).first()
        if level is None:
            labels = ", ".join(regime.levels.values_list("label", flat=True))
            raise ValidationError(
                _("Mức «%(code)s» không thuộc thang xếp loại năm %(year)s theo %(regime)s (gồm: %(labels)s).")
                % {"code": code, "year": year, "regime": regime.name, "labels": labels}
            )
        return level


class Level(models.Model):
    """One level of a regime's scale. Its key starts with the regime's code,
    which lets the database check that a figure's level belongs to its regime."""

    id = models.CharField(max_length=40, primary_key=True, editable=False)
    regime = models.ForeignKey(Regime, models.CASCADE, related_name="levels", verbose_name=_("quy định"))
    code = models.CharField(_("mã mức"), max_length=10)
    label = models.CharField(_("tên mức"), max_length=100)
    label_en = models.CharField(_("tên tiếng Anh"), max_length=100, blank=True)
    rank = models.PositiveSmallIntegerField(_("thứ tự"), help_text=_("1 là mức cao nhất."))
    colour = models.CharField(_("màu"), max_length=7, default="#6c757d")
    min_score = models.DecimalField(
        _("điểm tối thiểu"), max_digits=5, decimal_places=2, null=True, blank=True
    )
    # What the level asks of a scorecard beyond its score (Quy định 366-QĐ/TW); empty asks nothing.
    min_on_time_percent = models.DecimalField(
        _("tỷ lệ nhiệm vụ đúng hạn tối thiểu (%)"), max_digits=5, decimal_places=2, null=True, blank=True
    )
    min_exceeded_percent = models.DecimalField(
        _("tỷ lệ nhiệm vụ vượt yêu cầu tối thiểu (%)"), max_digits=5, decimal_places=2, null=True, blank=True
    )
    max_late_percent = models.DecimalField(
        _("tỷ lệ nhiệm vụ chậm tối đa (%)"), max_digits=5, decimal_places=2, null=True, blank=True
    )
    requires_all_done = models.BooleanField(_("mọi nhiệm vụ phải hoàn thành"), default=False)
    requires_no_discipline = models.BooleanField(
        _("không ai trong tập thể lãnh đạo, đơn vị trực thuộc bị kỷ luật"), default=False
    )

    objects = LevelQuerySet.as_manager()

    class Meta:
        verbose_name = _("mức xếp loại")
        verbose_name_plural = _("mức xếp loại")
        ordering = ["regime__first_year", "rank"]
        constraints = [
            models.UniqueConstraint(fields=["regime", "code"], name="level_code_unique_in_regime"),
            models.UniqueConstraint(fields=["regime", "rank"], name="level_rank_unique_in_regime"),
            models.CheckConstraint(
                condition=Q(id=Concat(F("regime_id"), Value(":"), F("code"))), name="level_id_from_regime"
            ),
        ]

    def __str__(self):
        return self.label

    @property
    def has_task_conditions(self):
        return self.min_on_time_percent is not None or self.min_exceeded_percent is not None or (
            self.max_late_percent is not None or self.requires_all_done or self.requires_no_discipline
        )

    def save(self, *args, **kwargs):
        self.id = f"{self.regime_id}:{self.code}"
        super().save(*args, **kwargs)

    @property
    def css_class(self):
        """The class that gives this level its colour (stylesheets.level_styles), since pages allow no inline styles."""
        return "level-" + re.sub(r"[^A-Za-z0-9_-]", "-", self.id or f"{self.regime_id}:{self.code}")

    @property
    def localized_label(self):
        if self.label_en and (get_language() or "").startswith("en"):
            return self.label_en
        return self.label
