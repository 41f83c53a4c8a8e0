"""What every figure shares: its year, the regime of that year and its evidence."""
from operator import attrgetter

from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _

from .base import Stage, year_field
from .scales import Regime
from .sources import Source
from .units import scope_filter


class FigureQuerySet(models.QuerySet):
    def get_by_natural_key(self, *key):
        return self.get(**dict(zip(self.model.NATURAL_KEY, key)))

    def for_year(self, year):
        return self.filter(year=year)

    def decided(self):
        return self.filter(stage=Stage.APPROVED)

    def within(self, unit, field="unit"):
        return self.filter(**{f"{field}__path__startswith": unit.path})

    def editable_by(self, user, field="unit"):
        q = scope_filter(user, f"{field}__path")
        return self if q is None else self.filter(q)


class Figure(models.Model):
    """What every figure shares: a year, the regime of that year, and where it came from."""

    year = year_field()
    regime = models.ForeignKey(Regime, models.PROTECT, editable=False, verbose_name=_("quy định"))
    source = models.ForeignKey(
        # PROTECT: a source is deleted only through services.delete_sources, which unlinks its
        # figures with their history first; nothing else may drop their evidence silently.
        Source, models.PROTECT, null=True, blank=True, related_name="%(class)ss", verbose_name=_("nguồn")
    )
    evidence = models.TextField(_("trích dẫn"), blank=True, help_text=_("Câu hoặc đoạn của nguồn nêu số liệu."))

    objects = FigureQuerySet.as_manager()

    class Meta:
        abstract = True

    def natural_key(self):
        return tuple(attrgetter(name.replace("__", "."))(self) for name in self.NATURAL_KEY)

    def clean_regime(self):
        """Set the regime from the year; a year no regulation covers is an error."""
        if self.year is None:
            return
        try:
            self.regime = Regime.objects.covering(self.year)
        except ValidationError as error:
            raise ValidationError({"year": error.messages}) from error

    def check_level_in_regime(self, level, field="level"):
        if level is not None and self.regime_id and level.regime_id != self.regime_id:
            raise ValidationError(
                {
                    field: _("Mức «%(level)s» không thuộc thang xếp loại năm %(year)s (%(regime)s).")
                    % {"level": level.label, "year": self.year, "regime": self.regime.name}
                }
            )

    def save(self, *args, **kwargs):
        if not self.regime_id and self.year:
            regime = Regime.objects.for_year(self.year).first()
            if regime is not None:
                self.regime = regime
        super().save(*args, **kwargs)
