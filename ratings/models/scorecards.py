"""The scorecard of Quy định 366-QĐ/TW that a rating may carry: a score out of 100, the year's tasks
and whether anyone was disciplined. The level stays the primary fact; the card can only warn."""
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import F, Q
from django.db.models.functions import Coalesce
from django.utils import formats
from django.utils.translation import gettext_lazy as _

from .. import rules

# The card's fields in the order forms, templates and spreadsheets show them.
SCORECARD_FIELDS = (
    "score", "tasks_assigned", "tasks_on_time", "tasks_exceeded", "tasks_late", "tasks_not_done", "disciplined",
)
TASK_FIELDS = SCORECARD_FIELDS[1:]


def scorecard_constraints(prefix):
    """The database's own guards of a card: tasks done on time, late and not done fit in those assigned,
    and those beyond the requirement are among the tasks completed. Unknown values pass."""
    zero = models.Value(0)
    parts = Coalesce("tasks_on_time", zero) + Coalesce("tasks_late", zero) + Coalesce("tasks_not_done", zero)
    return [
        models.CheckConstraint(condition=Q(tasks_assigned__gte=parts), name=f"{prefix}_tasks_within_assigned"),
        models.CheckConstraint(
            condition=Q(tasks_exceeded__lte=F("tasks_assigned") - Coalesce("tasks_not_done", zero)),
            name=f"{prefix}_exceeded_within_completed",
        ),
        models.CheckConstraint(condition=Q(score__gte=0) & Q(score__lte=1000), name=f"{prefix}_score_non_negative"),
    ]


class Scorecard(models.Model):
    """The fields of a 366 scorecard and what they admit. A subclass is a Figure with `unit` and `level`."""

    score = models.DecimalField(_("điểm"), max_digits=5, decimal_places=2, null=True, blank=True)
    tasks_assigned = models.PositiveIntegerField(_("số nhiệm vụ được giao"), null=True, blank=True)
    tasks_on_time = models.PositiveIntegerField(_("hoàn thành đúng hạn"), null=True, blank=True)
    tasks_exceeded = models.PositiveIntegerField(_("hoàn thành vượt yêu cầu"), null=True, blank=True)
    tasks_late = models.PositiveIntegerField(_("hoàn thành chậm"), null=True, blank=True)
    tasks_not_done = models.PositiveIntegerField(_("không hoàn thành"), null=True, blank=True)
    disciplined = models.BooleanField(
        _("có kỷ luật trong năm"),
        null=True,
        blank=True,
        help_text=_("Tập thể lãnh đạo hoặc đơn vị trực thuộc bị kỷ luật trong năm (để trống nếu chưa rõ)."),
    )

    class Meta:
        abstract = True

    def rated_errors(self):
        """{field: [messages]} of what every rated entry must hold: a level of its year's scale, a unit that
        existed that year, and a card that can be true."""
        errors = {}
        try:
            self.clean_regime()
            if self.level_id:
                self.check_level_in_regime(self.level)
        except ValidationError as error:
            errors.update(error.message_dict)
        if self.unit_id and self.year and not self.unit.existed_in(self.year):
            errors.setdefault("year", []).append(
                _("Đơn vị «%(unit)s» không tồn tại trong năm %(year)s.") % {"unit": self.unit, "year": self.year}
            )
        if "year" not in errors and self.regime_id:
            for found in (self.scorecard_errors(), self.score_level_errors()):
                for name, messages in found.items():
                    errors.setdefault(name, []).extend(messages)
        return errors

    @property
    def card(self):
        return rules.Scorecard(
            score=self.score,
            assigned=self.tasks_assigned,
            on_time=self.tasks_on_time,
            exceeded=self.tasks_exceeded,
            late=self.tasks_late,
            not_done=self.tasks_not_done,
            disciplined=self.disciplined,
        )

    @property
    def has_tasks(self):
        return any(getattr(self, name) is not None for name in TASK_FIELDS)

    def scorecard_errors(self):
        """{field: [message]} for a card that cannot be true, whatever the level."""
        errors = {}
        regime = self.regime
        if self.score is not None:
            if not regime.scored:
                errors["score"] = [_("%(regime)s không chấm điểm; để trống ô điểm.") % {"regime": regime.name}]
            elif self.score > regime.max_score:
                errors["score"] = [_("Điểm không thể vượt quá %(max)s.") % {"max": regime.max_score}]
        if self.has_tasks and not regime.has_scorecard:
            errors["tasks_assigned"] = [
                _("%(regime)s không xét nhiệm vụ và kỷ luật; để trống các ô này.") % {"regime": regime.name}
            ]
        assigned = self.tasks_assigned
        parts = [n for n in (self.tasks_on_time, self.tasks_late, self.tasks_not_done) if n is not None]
        if assigned is not None and sum(parts) > assigned:
            errors["tasks_assigned"] = [
                _("Số nhiệm vụ đúng hạn, chậm và không hoàn thành (%(parts)s) vượt số nhiệm vụ được giao (%(assigned)s).")
                % {"parts": sum(parts), "assigned": assigned}
            ]
        completed = None if assigned is None else assigned - (self.tasks_not_done or 0)
        if self.tasks_exceeded is not None and completed is not None and self.tasks_exceeded > completed:
            errors["tasks_exceeded"] = [
                _("Số nhiệm vụ vượt yêu cầu (%(exceeded)s) vượt số nhiệm vụ đã hoàn thành (%(completed)s).")
                % {"exceeded": self.tasks_exceeded, "completed": completed}
            ]
        return errors

    def score_level_errors(self):
        """A level above what the score alone admits is refused: the bands are arithmetic, not judgement."""
        regime = self.regime
        if self.score is None or not regime.scored or not self.level_id or self.level.regime_id != regime.pk:
            return {}
        admissible = rules.admissible_by_score(self.score, regime.score_bands())
        if self.level.code in admissible:
            return {}
        best = regime.levels.get(code=admissible[0]).label if admissible else "—"
        return {"level": [
            _("Với %(score)s điểm, mức cao nhất có thể là «%(best)s»; không thể xếp «%(level)s».")
            % {"score": number_text(self.score), "best": best, "level": self.level.label}
        ]}

    @property
    def has_card(self):
        return not self.card.is_blank

    def admissible_level(self):
        """The best Level the card admits, None when the regime has no scorecard or the card is blank."""
        if not self.regime_id or self.card.is_blank or not (self.regime.scored or self.regime.has_scorecard):
            return None
        code = rules.admissible_by_scorecard(self.card, self.regime.scorecard_conditions())
        return next((level for level in self.regime.levels.all() if level.code == code), None)

    def unmet_descriptions(self):
        return [describe_unmet(unmet) for unmet in self.unmet_conditions()]

    def unmet_conditions(self):
        """rules.Unmet of the rating's own level that the card is known to fail."""
        if not self.level_id or not self.regime_id or self.card.is_blank:
            return []
        conditions = {c.code: c for c in self.regime.scorecard_conditions()}.get(self.level.code)
        return rules.unmet_conditions(self.card, conditions) if conditions else []

    def scorecard_warning(self):
        """The words of a level above what the card admits, naming each unmet condition; None when none is."""
        unmet = self.unmet_conditions()
        if not unmet:
            return None
        best = self.admissible_level()
        best_label = best.label if best else "—"
        return _(
            "«%(unit)s» %(period)s được xếp «%(level)s» nhưng phiếu chấm điểm chưa đạt điều kiện của mức này: "
            "%(unmet)s. Theo phiếu, mức cao nhất có thể là «%(best)s»."
        ) % {
            "unit": self.unit,
            "period": self.period_text(),
            "level": self.level.label,
            "unmet": "; ".join(str(describe_unmet(u)) for u in unmet),
            "best": best_label,
        }

    def period_text(self):
        return _("năm %(year)s") % {"year": self.year}


def number_text(value):
    """A score or share as Vietnamese readers write it: 85 → "85", 87,5 → "87,5", 66,666… → "66,67"."""
    value = round(value, 2).normalize()
    places = max(-value.as_tuple().exponent, 0)
    return formats.number_format(value, decimal_pos=places)


def describe_unmet(unmet):
    """One unmet condition in words, with the card's figure beside what the level asks."""
    if unmet.condition == "score":
        return _("%(actual)s điểm, dưới mức %(required)s điểm") % {
            "actual": number_text(unmet.actual), "required": number_text(unmet.required)}
    if unmet.condition == "on_time":
        return _("%(actual)s%% nhiệm vụ hoàn thành đúng hạn, cần %(required)s%%") % {
            "actual": number_text(unmet.actual), "required": number_text(unmet.required)}
    if unmet.condition == "exceeded":
        return _("%(actual)s%% nhiệm vụ hoàn thành vượt yêu cầu, cần ít nhất %(required)s%%") % {
            "actual": number_text(unmet.actual), "required": number_text(unmet.required)}
    if unmet.condition == "late":
        return _("%(actual)s%% nhiệm vụ hoàn thành chậm, vượt mức %(required)s%%") % {
            "actual": number_text(unmet.actual), "required": number_text(unmet.required)}
    if unmet.condition == "not_done":
        return _("còn %(count)s nhiệm vụ không hoàn thành") % {"count": unmet.actual}
    return _("có tập thể lãnh đạo hoặc đơn vị trực thuộc bị kỷ luật trong năm")

