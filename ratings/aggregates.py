"""The figures pages and reports show, computed by the database.

Every page and every workbook takes its numbers from here, so a count is
computed in one place only.
"""
from dataclasses import dataclass

from django.db.models import Count, Q

from . import rules
from .models import Level, Rating, Regime, UnitKind


@dataclass(frozen=True)
class YearLevelCounts:
    year: int
    stage: str
    counts: dict
    total: int


def level_counts_by_year():
    """Ratings held per year and stage, counted per level code (one query)."""
    rows = (
        Rating.objects.values("year", "stage", "level__code")
        .annotate(n=Count("id"))
        .order_by("-year", "stage", "level__code")
    )
    grouped = {}
    for row in rows:
        counts = grouped.setdefault((row["year"], row["stage"]), {})
        counts[row["level__code"]] = row["n"]
    return [
        YearLevelCounts(year=year, stage=stage, counts=counts, total=sum(counts.values()))
        for (year, stage), counts in grouped.items()
    ]


def level_columns(years):
    """The levels to show as columns for these years: each code once, best first."""
    regimes = Regime.objects.filter(
        Q(last_year__isnull=True) | Q(last_year__gte=min(years, default=0)), first_year__lte=max(years, default=0)
    )
    seen = {}
    for level in Level.objects.filter(regime__in=regimes).order_by("-regime__first_year", "rank"):
        seen.setdefault(level.code, level)
    return sorted(seen.values(), key=lambda level: (level.regime.first_year < 2018, level.rank))


@dataclass(frozen=True)
class PeerGroupQuota:
    """A group of units of similar position (same parent, same kind) and its quota check."""

    parent_id: int
    kind: str
    year: int
    stage: str
    check: rules.QuotaCheck

    @property
    def kind_label(self):
        return UnitKind(self.kind).label


def peer_group_quotas(*, year, stage=None, parent_id=None, kind=None):
    """The quota check of each peer group rated in `year`, counted by the database."""
    regime = Regime.objects.for_year(year).first()
    if regime is None or regime.quota_ratio is None:
        return []
    ratings = Rating.objects.filter(year=year, unit__parent__isnull=False)
    if stage:
        ratings = ratings.filter(stage=stage)
    if parent_id is not None:
        ratings = ratings.filter(unit__parent_id=parent_id)
    if kind:
        ratings = ratings.filter(unit__kind=kind)
    rows = (
        ratings.values("unit__parent", "unit__kind", "stage")
        .annotate(
            excellent=Count("id", filter=Q(level__code="HTXSNV")),
            good=Count("id", filter=Q(level__code="HTTNV")),
        )
        .order_by("unit__parent", "unit__kind", "stage")
    )
    return [
        PeerGroupQuota(
            parent_id=row["unit__parent"],
            kind=row["unit__kind"],
            year=year,
            stage=row["stage"],
            check=rules.check_quota(excellent=row["excellent"], good=row["good"], ratio=regime.quota_ratio),
        )
        for row in rows
    ]


def quota_of_peer_group(unit, *, year, stage):
    """The quota check of the group `unit` is rated in, or None where no quota applies."""
    if unit.parent_id is None:
        return None
    groups = peer_group_quotas(year=year, stage=stage, parent_id=unit.parent_id, kind=unit.kind)
    return groups[0] if groups else None
