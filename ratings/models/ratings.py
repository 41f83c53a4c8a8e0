"""Ratings of single units, the ballots of their meetings and the grades per assessed content."""

from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from .. import rules
from .base import YEAR_MAX, YEAR_MIN, Grade, Stage, Versioned, level_in_regime, one_of
from .decisions import Decision
from .figures import Figure
from .scales import Level
from .scorecards import Scorecard, scorecard_constraints
from .units import Unit


class Rating(Versioned, Scorecard, Figure):
    """One unit's level for one year at one stage of the review."""

    NATURAL_KEY = ("unit__code", "year", "stage")

    unit = models.ForeignKey(Unit, models.PROTECT, related_name="ratings", verbose_name=_("đơn vị"))
    stage = models.CharField(_("bước"), max_length=10, choices=Stage.choices, default=Stage.APPROVED)
    level = models.ForeignKey(Level, models.PROTECT, related_name="ratings", verbose_name=_("mức xếp loại"))
    votes_for = models.PositiveIntegerField(_("số phiếu đồng ý"), null=True, blank=True)
    votes_present = models.PositiveIntegerField(_("số người có mặt"), null=True, blank=True)
    decided_on = models.DateField(_("ngày"), null=True, blank=True)
    note = models.TextField(_("ghi chú"), blank=True)
    decision = models.ForeignKey(
        # PROTECT: SET_NULL would rewrite ratings in bulk, past their version, history and the
        # data counter; a decision is deleted only once no rating cites it.
        Decision, models.PROTECT, null=True, blank=True, related_name="ratings", verbose_name=_("quyết định")
    )

    history = HistoricalRecords(excluded_fields=["version"])

    class Meta:
        verbose_name = _("kết quả xếp loại")
        verbose_name_plural = _("kết quả xếp loại")
        ordering = ["-year", "unit__path", "stage"]
        constraints = [
            models.UniqueConstraint(
                fields=["unit", "year", "stage"],
                name="rating_unique_unit_year_stage",
                violation_error_message=_("Đơn vị này đã có kết quả xếp loại ở bước này trong năm này."),
            ),
            models.CheckConstraint(condition=Q(votes_for__lte=F("votes_present")), name="rating_votes_within_present"),
            models.CheckConstraint(condition=Q(year__gte=YEAR_MIN) & Q(year__lte=YEAR_MAX), name="rating_year_range"),
            level_in_regime("rating_level_in_regime"),
            one_of("stage", Stage, "rating_stage_known"),
            *scorecard_constraints("rating"),
        ]
        indexes = [models.Index(fields=["year", "stage", "level"])]

    def __str__(self):
        return f"{self.unit} – {self.year}: {self.level}"

    def clean(self):
        errors = self.rated_errors()
        if not rules.votes_within_present(self.votes_for, self.votes_present):
            errors.setdefault("votes_for", []).append(
                _("Số phiếu đồng ý (%(votes)s) không thể lớn hơn số người có mặt (%(present)s).")
                % {"votes": self.votes_for, "present": self.votes_present}
            )
        if self.decision_id and self.unit_id:
            errors.update(self._decision_errors())
        if errors:
            raise ValidationError(errors)

    def _decision_errors(self):
        """A decision records one year and stage of the units below its issuer; citing it elsewhere is a slip."""
        decision = self.decision
        if decision.year != self.year or decision.stage != self.stage:
            return {"decision": [
                _("%(decision)s ghi nhận bước «%(stage)s» năm %(year)s, không phải kết quả này.")
                % {"decision": decision, "stage": decision.get_stage_display(), "year": decision.year}
            ]}
        if self.unit_id == decision.issuer_id or not self.unit.path.startswith(decision.issuer.path):
            return {"decision": [
                _("%(decision)s do «%(issuer)s» ban hành, không xếp loại «%(unit)s».")
                % {"decision": decision, "issuer": decision.issuer, "unit": self.unit}
            ]}
        return {}


class Vote(Versioned, Figure):
    """A ballot reported for one level in the meeting that rated a unit."""

    NATURAL_KEY = ("unit__code", "year", "level_id")

    unit = models.ForeignKey(Unit, models.PROTECT, related_name="votes", verbose_name=_("đơn vị"))
    level = models.ForeignKey(Level, models.PROTECT, related_name="votes", verbose_name=_("mức được biểu quyết"))
    votes_for = models.PositiveIntegerField(_("số phiếu"))
    present = models.PositiveIntegerField(_("số người có mặt"), null=True, blank=True)

    history = HistoricalRecords(excluded_fields=["version"])

    class Meta:
        verbose_name = _("kết quả biểu quyết")
        verbose_name_plural = _("kết quả biểu quyết")
        ordering = ["-year", "unit__path", "-votes_for"]
        constraints = [
            models.UniqueConstraint(
                fields=["unit", "year", "level"],
                name="vote_one_ballot_per_level",
                violation_error_message=_("Đã có kết quả biểu quyết cho mức này của đơn vị trong năm."),
            ),
            models.CheckConstraint(condition=Q(votes_for__lte=F("present")), name="vote_within_present"),
            level_in_regime("vote_level_in_regime"),
        ]

    def __str__(self):
        present = f"/{self.present}" if self.present is not None else ""
        return f"{self.unit} – {self.year}: {self.votes_for}{present} {self.level}"

    def clean(self):
        self.clean_regime()
        if self.level_id:
            self.check_level_in_regime(self.level)
        if not rules.votes_within_present(self.votes_for, self.present):
            raise ValidationError(
                {
                    "votes_for": _("Số phiếu (%(votes)s) không thể lớn hơn số người có mặt (%(present)s).")
                    % {"votes": self.votes_for, "present": self.present}
                }
            )
        if self.unit_id and self.year and self.present is not None:
            others = Vote.objects.filter(unit=self.unit_id, year=self.year, present=self.present).exclude(pk=self.pk)
            ballots = [*others.values_list("votes_for", flat=True), self.votes_for]
            if not rules.ballots_within_present(ballots, self.present):
                raise ValidationError(
                    {
                        "votes_for": _("Các phiếu của cùng hội nghị cộng lại (%(sum)s) vượt số người có mặt (%(present)s).")
                        % {"sum": sum(b for b in ballots if b is not None), "present": self.present}
                    }
                )


class CriterionGrade(Versioned, Figure):
    """A unit's grade on one assessed content (the provincial self-assessment, HD 25-HD/BTCTW)."""

    NATURAL_KEY = ("unit__code", "year", "stage", "content")

    unit = models.ForeignKey(Unit, models.PROTECT, related_name="criterion_grades", verbose_name=_("đơn vị"))
    stage = models.CharField(_("bước"), max_length=10, choices=Stage.choices, default=Stage.SELF)
    content = models.TextField(_("nội dung đánh giá"))
    grade = models.CharField(_("cấp độ"), max_length=10, choices=Grade.choices)
    position = models.PositiveSmallIntegerField(_("thứ tự"), default=0)

    history = HistoricalRecords(excluded_fields=["version"])

    class Meta:
        verbose_name = _("cấp độ theo nội dung")
        verbose_name_plural = _("cấp độ theo nội dung")
        ordering = ["-year", "unit__path", "position"]
        constraints = [
            models.UniqueConstraint(fields=["unit", "year", "stage", "content"], name="criterion_unique_content"),
            one_of("stage", Stage, "criterion_stage_known"),
            one_of("grade", Grade, "criterion_grade_known"),
        ]

    def __str__(self):
        return f"{self.unit} – {self.year}: {self.get_grade_display()}"

    def clean(self):
        self.clean_regime()


# Each figure model with the field that places it in the tree, for what spans all of them.
