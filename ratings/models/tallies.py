"""Counts per level reported for a group of units or members, and their checks."""

from django.db import models
from django.db.models import Q
from django.utils import formats
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from .. import rules
from .base import Stage, Subject, UnitKind, Versioned, one_of
from .figures import Figure
from .scales import Level
from .units import Unit


class Tally(Versioned, Figure):
    """Counts per level for a group under a parent unit, as reported (no per-unit records).

    Individuals exist only here, as counts.
    """

    NATURAL_KEY = ("parent__code", "year", "stage", "subject", "group")

    parent = models.ForeignKey(Unit, models.PROTECT, related_name="tallies", verbose_name=_("đơn vị cấp trên"))
    group = models.CharField(_("nhóm"), max_length=300, help_text=_("Nhóm được đếm, như nguồn gọi tên."))
    subject = models.CharField(_("đối tượng"), max_length=12, choices=Subject.choices, default=Subject.COLLECTIVE)
    member_kind = models.CharField(
        _("loại đơn vị được đếm"), max_length=20, choices=UnitKind.choices, blank=True
    )
    stage = models.CharField(_("bước"), max_length=10, choices=Stage.choices, default=Stage.APPROVED)
    total = models.PositiveIntegerField(_("tổng số nêu trong nguồn"), null=True, blank=True)

    history = HistoricalRecords(excluded_fields=["version"])

    class Meta:
        verbose_name = _("số liệu tổng hợp")
        verbose_name_plural = _("số liệu tổng hợp")
        ordering = ["-year", "parent__path", "subject", "group"]
        constraints = [
            models.UniqueConstraint(
                fields=["parent", "year", "stage", "subject", "group"],
                name="tally_unique_group_year_stage",
                violation_error_message=_("Nhóm này đã có số liệu tổng hợp ở bước này trong năm này."),
            ),
            one_of("subject", Subject, "tally_subject_known"),
            one_of("member_kind", UnitKind, "tally_member_kind_known", blank=True),
            one_of("stage", Stage, "tally_stage_known"),
        ]

    def __str__(self):
        return f"{self.group} – {self.year}"

    def clean(self):
        self.clean_regime()

    def counted_total(self):
        """The fewest units the stated counts imply: a count "at or above" a level is never added to its parts."""
        exact, at_or_above = self._counts_by_rank()
        return rules.units_counted(exact, at_or_above)

    def level_counts(self):
        """{level code: count} of each level on its own, completed from counts stated "at or above"
        a level where the higher levels are stated too (rules.resolve_at_or_above)."""
        exact, at_or_above = self._counts_by_rank()
        codes = {c.level.rank: c.level.code for c in self.counts.all()}
        return {codes[rank]: count for rank, count in rules.resolve_at_or_above(exact, at_or_above).items() if rank in codes}

    def count_of(self, code):
        """The count of level `code` alone, None when the source gives no way to know it."""
        return self.level_counts().get(code)

    def stated_at_or_above(self):
        """The counts the source states for a level and every level above it."""
        return [c for c in self.counts.all() if c.or_above]

    def _counts_by_rank(self):
        exact, at_or_above = {}, {}
        for c in self.counts.all():
            (at_or_above if c.or_above else exact)[c.level.rank] = c.count
        return exact, at_or_above

    def quota(self):
        """The quota check of this group's counts, or None where it does not apply."""
        if self.subject != Subject.COLLECTIVE:
            return None
        return check_regime_quota(self.regime, self.count_of("HTXSNV"), self.count_of("HTTNV"))


class TallyCountManager(models.Manager):
    def get_by_natural_key(self, *key):
        # The key of a count stored before counts "at or above" a level existed ends with its level.
        *tally, level, or_above = key if isinstance(key[-1], bool) else (*key, False)
        return self.get(tally=Tally.objects.get_by_natural_key(*tally), level_id=level, or_above=or_above)


class TallyCount(models.Model):
    tally = models.ForeignKey(Tally, models.CASCADE, related_name="counts", verbose_name=_("số liệu tổng hợp"))
    level = models.ForeignKey(Level, models.PROTECT, related_name="+", verbose_name=_("mức xếp loại"))
    count = models.PositiveIntegerField(_("số lượng"), null=True, blank=True)
    percent = models.DecimalField(_("tỷ lệ (%)"), max_digits=5, decimal_places=2, null=True, blank=True)
    or_above = models.BooleanField(
        _("trở lên"), default=False,
        help_text=_("Số này gồm cả các mức cao hơn (“hoàn thành tốt nhiệm vụ trở lên”)."),
    )

    objects = TallyCountManager()
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("số lượng theo mức")
        verbose_name_plural = _("số lượng theo mức")
        ordering = ["level__rank"]
        constraints = [
            models.UniqueConstraint(fields=["tally", "level", "or_above"], name="tallycount_one_per_level"),
            models.CheckConstraint(condition=Q(percent__gte=0) & Q(percent__lte=100), name="tallycount_percent_range"),
            models.CheckConstraint(
                condition=Q(count__isnull=False) | Q(percent__isnull=False), name="tallycount_has_a_figure"
            ),
        ]

    def __str__(self):
        return f"{self.label}: {self.count}"

    @property
    def label(self):
        """The level as the figure means it: "từ HTTNV trở lên" for a count that includes the levels above."""
        if self.or_above:
            return _("từ %(code)s trở lên") % {"code": self.level.code}
        return self.level.code

    @property
    def figure(self):
        """The count, or the share where the source gives only that, as a reader writes it."""
        if self.count is not None:
            return formats.number_format(self.count, force_grouping=True)
        if self.percent is not None:
            places = len(f"{self.percent:f}".rstrip("0").partition(".")[2])
            return f"{formats.number_format(self.percent, decimal_pos=places)}%"
        return "—"

    def natural_key(self):
        return self.tally.natural_key() + (self.level_id, self.or_above)


def check_regime_quota(regime, excellent, good):
    return rules.check_quota(excellent=excellent, good=good, ratio=regime.quota_ratio if regime else None)


def counts_over_total_message(figures, total, at_or_above=None):
    """Why counts ({level: (count, percent)}, and those "at or above" a level) cannot be stored
    under `total`, or None when they can."""
    exact, above = _by_rank(figures), _by_rank(at_or_above or {})
    short = rules.at_or_above_short_of_parts(exact, above)
    if short:
        rank, stated, parts = short
        code = next(level.code for level in (at_or_above or {}) if level.rank == rank)
        return _("Số từ %(code)s trở lên (%(stated)s) nhỏ hơn tổng các mức từ %(code)s trở lên (%(parts)s).") % {
            "code": code, "stated": stated, "parts": parts,
        }
    if rules.counts_within_total(exact, total, above):
        return None
    return _("Tổng các mức (%(counted)s) lớn hơn tổng số nêu trong nguồn (%(total)s).") % {
        "counted": rules.units_counted(exact, above),
        "total": total,
    }


def _by_rank(figures):
    """{rank: count} of {Level: (count, percent)}; a level not of the scale (a str code) has no rank and is skipped."""
    return {level.rank: count for level, (count, _percent) in figures.items() if isinstance(level, Level)}


def percent_text(ratio):
    """A ratio as Vietnamese readers write the share: 0,2 → "20", 0,125 → "12,5" (no trailing zeros)."""
    return f"{(ratio * 100).normalize():f}".replace(".", ",")


def quota_message(check, group):
    """The quota finding in words, with its arithmetic, for a warning the user can act on."""
    return _(
        "%(group)s vượt tỷ lệ: %(excellent)s đơn vị Hoàn thành xuất sắc nhiệm vụ, trong khi tối đa là "
        "%(limit)s (%(percent)s%% của %(good)s đơn vị Hoàn thành tốt nhiệm vụ, làm tròn xuống)."
    ) % {
        "group": group,
        "excellent": check.excellent,
        "limit": check.limit,
        "percent": percent_text(check.ratio),
        "good": check.good,
    }
