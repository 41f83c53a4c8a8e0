"""The figures pages and reports show, computed by the database.

Every page and every workbook takes its numbers from here, so a count is
computed in one place only.
"""
from dataclasses import dataclass, field

from django.core.cache import cache
from django.db import connection
from django.db.models import Case, Count, Exists, F, FilteredRelation, Max, Min, OuterRef, Prefetch, Q, Value, When, prefetch_related_objects

from . import quota
from .models import (
    CriterionGrade,
    DataVersion,
    Level,
    QuarterRating,
    Rating,
    RatingCount,
    Regime,
    Source,
    Stage,
    Tally,
    TallyCount,
    TransitionCount,
    Unit,
    UnitKind,
    Vote,
)


def data_version():
    """A token that moves with every change to what the pages show (versions.COUNTED), in one query of index lookups.

    DataVersion is raised inside each change's transaction, so it moves exactly when the change
    commits; the newest ids also move for loads that go around it (a shell's bulk_create).
    """
    quote = connection.ops.quote_name
    counter = DataVersion._meta
    columns = [f"(SELECT {quote('number')} FROM {quote(counter.db_table)} WHERE {quote(counter.pk.column)} = 1)"]
    columns += [f"(SELECT MAX({quote(model._meta.pk.column)}) FROM {quote(model._meta.db_table)})" for model in (Rating, Unit)]
    with connection.cursor() as cursor:
        cursor.execute("SELECT " + ", ".join(columns))
        return "-".join(str(value or 0) for value in cursor.fetchone())


def remembered(name, compute, **params):
    """`compute()`, kept in the cache for these parameters until ratings or units change.

    Only counts are kept: names and the regime's quota are read fresh, so editing a scale shows at once.
    """
    parts = [f"{key}={getattr(value, 'pk', value)}" for key, value in sorted(params.items())]
    key = ":".join(["ratings", name, *parts, data_version()])
    value = cache.get(key)
    if value is None:
        value = compute()
        cache.set(key, value)
    return value


def level_columns(years=None):
    """Each level code once (as its latest regime names it), the current scale first, best first."""
    levels = Level.objects.select_related("regime").order_by("-regime__first_year", "rank")
    if years is not None:
        regimes = Regime.objects.filter(
            Q(last_year__isnull=True) | Q(last_year__gte=min(years, default=0)), first_year__lte=max(years, default=0)
        )
        levels = levels.filter(regime__in=regimes)
    seen = {}
    for level in levels:
        seen.setdefault(level.code, level)
    return sorted(seen.values(), key=lambda level: (-level.regime.first_year, level.rank))


# A peer group's finding: kept under its old name for the callers that only need units' ratings.
PeerGroupQuota = quota.QuotaFinding


def peer_group_quotas(*, year, stage=None, parent_id=None, kind=None, scope=None):
    """The quota finding of each peer group of units rated in `year` (no reported tallies)."""
    return quota.quota_findings(year=year, stage=stage, parent=parent_id, kind=kind, scope=scope, tallies=False)


def quota_summary(*, year, stage, scope=None, shown=100):
    """(groups checked, groups in breach, the first `shown` breaches): the dashboard's quota figures,
    reported tallies included."""
    checked, broken = quota_checked(year=year, stage=stage, scope=scope)
    return checked, len(broken), broken[:shown]


def quota_checked(*, year, stage=None, scope=None):
    """(groups checked, the breaches) of ratings.quota for the year, reported tallies included.

    The national check counts tens of thousands of groups, so the units' part is remembered, keyed
    by the regime's quota so that changing it takes effect at once. Tallies are few and the data
    version does not follow them, so they are read each time.
    """
    ratio = quota.quota_ratio(year)
    if ratio is None:
        return 0, []

    def check():
        found = quota.quota_findings(year=year, stage=stage, scope=scope, tallies=False)
        return len(found), quota.breaches(found)

    checked, broken = remembered("quota", check, year=year, stage=stage, scope=scope, ratio=ratio)
    reported = quota.tally_findings(year=year, stage=stage, scope=scope)
    return checked + len(reported), broken + quota.breaches(reported)


def quota_of_peer_group(unit, *, year, stage):
    """The quota finding of the group `unit` is rated in, or None where no quota applies."""
    if unit.parent_id is None:
        return None
    groups = peer_group_quotas(year=year, stage=stage, parent_id=unit.parent_id, kind=unit.kind)
    return groups[0] if groups else None


def ratings_in(*, year, scope=None, stage=Stage.APPROVED):
    """The ratings of one year and stage within a scope (a unit's subtree, or everything)."""
    ratings = Rating.objects.filter(year=year)
    if stage:
        ratings = ratings.filter(stage=stage)
    if scope is not None:
        ratings = ratings.filter(unit__path__startswith=scope.path)
    return ratings


def dashboard_ratings(*, year, scope=None, stage=Stage.APPROVED):
    """The dashboard table's rows before its filters: every stage of the year in the scope, with last
    year's level at `stage`; the page, its CSV and its Excel report (in a request or a job) start here."""
    ratings = with_previous_level(ratings_in(year=year, scope=scope, stage=None), year=year, stage=stage)
    return ratings.select_related("unit", "unit__parent", "level", "source").order_by("unit__path")


def with_previous_level(ratings, *, year, stage, previous=None):
    """Annotate last year's level at the same stage, and the change since.

    Last year's rating is joined, not looked up row by row, so the national
    table stays fast. A unit with no rating last year is "merged" when other
    units were merged into it, else "new".
    """
    earlier = previous or year - 1
    joined = FilteredRelation("unit__ratings", condition=Q(unit__ratings__year=earlier, unit__ratings__stage=stage))
    took_in = Exists(Unit.objects.filter(successor=OuterRef("unit")))
    return ratings.annotate(previous=joined).annotate(
        previous_code=F("previous__level__code"),
        previous_rank=F("previous__level__rank"),
        change=Case(
            When(previous_rank__isnull=True, then=Case(When(took_in, then=Value("merged")), default=Value("new"))),
            When(previous_rank__gt=F("level__rank"), then=Value("up")),
            When(previous_rank__lt=F("level__rank"), then=Value("down")),
            default=Value("same"),
        ),
    )


def scale_of(year):
    """The levels of the year's scale, best first."""
    regime = Regime.objects.for_year(year).first()
    return list(regime.levels.all()) if regime else []


@dataclass
class DistributionRow:
    label: str
    counts: dict
    levels: list
    kind: str = ""

    @property
    def segments(self):
        """(level, count, percent, offset percent) for drawing a stacked bar."""
        offset, out = 0.0, []
        for level, count, percent in self.cells:
            out.append((level, count, percent, offset))
            offset += percent
        return out

    @property
    def total(self):
        return sum(self.counts.values())

    @property
    def cells(self):
        """(level, count, percent) for each level of the scale, in order."""
        total = self.total
        return [
            (level, self.counts.get(level.code, 0), 100 * self.counts.get(level.code, 0) / total if total else 0)
            for level in self.levels
        ]


@dataclass
class Distribution:
    levels: list
    rows: list = field(default_factory=list)

    @property
    def total(self):
        counts = {}
        for row in self.rows:
            for code, n in row.counts.items():
                counts[code] = counts.get(code, 0) + n
        return DistributionRow(label="", counts=counts, levels=self.levels)


def level_counts(*, year, scope=None, stage=Stage.APPROVED, by_kind=False):
    """{([kind,] level code): ratings} of one year and stage: summed from the counts the database keeps
    (RatingCount) for the country or a province, counted from the ratings for a smaller subtree."""
    if RatingCount.answers(scope):
        return RatingCount.objects.of(year=year, stage=stage, scope=scope).by_level(*(["kind"] if by_kind else []))
    keys = ["unit__kind", "level__code"] if by_kind else ["level__code"]
    rows = ratings_in(year=year, scope=scope, stage=stage).values(*keys).annotate(n=Count("id")).order_by()
    return {tuple(row[key] for key in keys): row["n"] for row in rows}


def distribution_by_kind(*, year, scope=None, stage=Stage.APPROVED):
    """Counts per level for each unit kind: one grouped query."""
    levels = scale_of(year)

    def count():
        by_kind = {}
        for (kind, code), n in level_counts(year=year, scope=scope, stage=stage, by_kind=True).items():
            by_kind.setdefault(kind, {})[code] = n
        return by_kind

    by_kind = remembered("by-kind", count, year=year, scope=scope, stage=stage)
    return Distribution(
        levels=levels,
        rows=[
            DistributionRow(label=kind.label, kind=kind.value, counts=by_kind[kind.value], levels=levels)
            for kind in UnitKind
            if kind.value in by_kind
        ],
    )


def distribution(*, year, scope=None, stage=Stage.APPROVED):
    """Counts per level of one year, all kinds together."""
    def count():
        return {code: n for (code,), n in level_counts(year=year, scope=scope, stage=stage).items()}

    counts = remembered("by-level", count, year=year, scope=scope, stage=stage)
    return DistributionRow(label=str(year), counts=counts, levels=scale_of(year))


@dataclass
class Transitions:
    """Units by their level in year N−1 (rows) and in year N (columns)."""

    previous_levels: list
    levels: list
    counts: dict

    def row(self, previous_code):
        return [self.counts.get((previous_code, level.code), 0) for level in self.levels]

    @property
    def rows(self):
        rows = [(level, self.row(level.code)) for level in self.previous_levels]
        return rows + [(None, self.row(None))]

    @property
    def column_totals(self):
        return [sum(n for (_prev, code), n in self.counts.items() if code == level.code) for level in self.levels]


def transitions(*, year, scope=None, stage=Stage.APPROVED, previous=None):
    """The transition matrix from `previous` (default year−1) to year: from the counts the database keeps
    (TransitionCount) for the year before in the country or a province, else joined from the ratings."""
    previous = previous or year - 1

    def count():
        if previous == year - 1 and stage and RatingCount.answers(scope):
            return TransitionCount.objects.of(year=year, stage=stage, scope=scope).matrix()
        rows = (
            with_previous_level(ratings_in(year=year, scope=scope, stage=stage), year=year, stage=stage, previous=previous)
            .values("previous_code", "level__code")
            .annotate(n=Count("id"))
            .order_by()
        )
        return {(row["previous_code"], row["level__code"]): row["n"] for row in rows}

    counts = remembered("transitions", count, year=year, scope=scope, stage=stage, previous=previous)
    return Transitions(previous_levels=scale_of(previous), levels=scale_of(year), counts=counts)


def reported_tallies(*, year, scope=None):
    """Counts the articles reported for groups within the scope, beside the named ratings."""
    tallies = Tally.objects.filter(year=year).select_related("parent", "source")
    if scope is not None:
        tallies = tallies.filter(parent__path__startswith=scope.path)
    return tallies.prefetch_related(Prefetch("counts", queryset=TallyCount.objects.select_related("level")))


@dataclass
class UnitRow:
    """One unit of the units × years table, with the units merged into it."""

    unit: Unit
    cells: list
    merged: list = field(default_factory=list)


def unit_histories(units, *, years, stage=Stage.APPROVED):
    """Levels per year for these units and their predecessors, in one query.

    A predecessor is shown under its successor, so a committee merged in 2025
    is followed into the unit that replaced it.
    """
    units = list(units)
    predecessors = {}
    for predecessor in Unit.objects.filter(successor__in=units).order_by("name"):
        predecessors.setdefault(predecessor.successor_id, []).append(predecessor)
    everyone = units + [p for group in predecessors.values() for p in group]
    levels = {
        (r.unit_id, r.year): r.level
        for r in Rating.objects.filter(unit__in=everyone, year__in=years, stage=stage).select_related("level")
    }

    def cells(unit):
        return [levels.get((unit.pk, year)) for year in years]

    return [
        UnitRow(
            unit=unit,
            cells=cells(unit),
            merged=[UnitRow(unit=p, cells=cells(p)) for p in predecessors.get(unit.pk, [])],
        )
        for unit in units
    ]


@dataclass
class ProvinceRow:
    province: Unit
    ratings: dict
    votes: list
    tallies: list


def province_comparison(*, year):
    """Each provincial unit of the year with its ratings per stage, ballots and reported tallies."""
    provinces = list(Unit.objects.provinces().existing_in(year).order_by("place", "name"))
    ratings = {}
    for rating in Rating.objects.filter(year=year, unit__in=provinces).select_related("level", "source"):
        ratings.setdefault(rating.unit_id, {})[rating.stage] = rating
    votes = {}
    for vote in Vote.objects.filter(year=year, unit__in=provinces).select_related("level").order_by("-votes_for"):
        votes.setdefault(vote.unit_id, []).append(vote)
    tallies = {}
    for tally in reported_tallies(year=year).filter(parent__province__in=provinces):
        tallies.setdefault(tally.parent.province_id, []).append(tally)
    return [
        ProvinceRow(province=p, ratings=ratings.get(p.pk, {}), votes=votes.get(p.pk, []), tallies=tallies.get(p.pk, []))
        for p in provinces
    ]


def unit_history(unit):
    """Everything held on one unit and the units merged into it, newest year first, with the sources quoted."""
    lineage = [unit, *Unit.objects.filter(successor=unit)]
    history = {
        "ratings": list(
            Rating.objects.filter(unit__in=lineage).select_related("unit", "level", "source", "decision", "regime")
            .order_by("-year", "stage")
        ),
        "quarters": list(
            QuarterRating.objects.filter(unit__in=lineage).select_related("unit", "level", "source", "regime")
            .order_by("-year", "quarter", "stage")
        ),
        "votes": list(Vote.objects.filter(unit__in=lineage).select_related("level", "source").order_by("-year", "-votes_for")),
        "criteria": list(CriterionGrade.objects.filter(unit__in=lineage).select_related("source").order_by("-year", "position")),
        "tallies": list(
            Tally.objects.filter(parent__in=lineage).select_related("source").prefetch_related("counts__level").order_by("-year")
        ),
        "predecessors": lineage[1:],
    }
    quotes = {}
    history["scorecards"] = [rating for rating in history["ratings"] if rating.has_card]
    # What a card admits reads its regime's levels: one query for all the cards shown.
    prefetch_related_objects([*history["scorecards"], *history["quarters"]], "regime__levels")
    for figures in (history["ratings"], history["quarters"], history["votes"], history["criteria"], history["tallies"]):
        for figure in figures:
            if figure.source is not None:
                quotes.setdefault(figure.source, {}).setdefault(figure.evidence, None)
    history["sources"] = [(source, [q for q in found if q]) for source, found in quotes.items()]
    return history


def years_held():
    """The span of years that hold ratings, newest first: two index lookups, not a scan (SQLite reads
    MIN or MAX from an index only when the query asks for that one aggregate)."""
    first = Rating.objects.aggregate(first=Min("year"))["first"]
    if first is None:
        return []
    last = Rating.objects.aggregate(last=Max("year"))["last"]
    return list(range(last, first - 1, -1))


def dashboard(*, year, scope=None, stage=Stage.APPROVED):
    """The figures of the yearly dashboard besides its table."""
    groups, breach_count, breaches = quota_summary(year=year, stage=stage, scope=scope)
    parents = Unit.objects.in_bulk([g.parent_id for g in breaches])
    return {
        "distribution": distribution_by_kind(year=year, scope=scope, stage=stage),
        "quota_groups": groups,
        "quota_reason": quota.nothing_to_check(year=year, findings=groups),
        "quota_breaches": [(g, parents.get(g.parent_id)) for g in breaches],
        "quota_breach_count": breach_count,
        "tallies": reported_tallies(year=year, scope=scope),
    }


def current_units(*, year, scope=None):
    """The units that existed in `year` within the scope, in tree order: the rows of units × years."""
    units = Unit.objects.existing_in(year)
    if scope is not None:
        units = units.within(scope)
    return units.order_by("path")


def units_by_id(ids):
    return Unit.objects.in_bulk(set(ids))


def sources_of_year(*, year, scope=None):
    """The sources of the year's figures within the scope, each with its distinct quotes."""
    quotes = {}
    figures = [
        ratings_in(year=year, scope=scope, stage=None).filter(source__isnull=False),
        reported_tallies(year=year, scope=scope).filter(source__isnull=False),
    ]
    for model in (Vote, CriterionGrade):
        found = model.objects.filter(year=year, source__isnull=False)
        figures.append(found.filter(unit__path__startswith=scope.path) if scope is not None else found)
    for queryset in figures:
        for source_id, evidence in queryset.values_list("source", "evidence"):
            quotes.setdefault(source_id, {}).setdefault(evidence, None)
    sources = Source.objects.in_bulk(list(quotes))
    return [(sources[pk], [q for q in found if q]) for pk, found in quotes.items()]


SEASON_STAGES = (Stage.SELF, Stage.PROPOSED, Stage.APPROVED)


@dataclass
class ParentProgress:
    """The units directly under one parent that exist in the year, and how many have each stage."""

    parent_id: int | None
    name: str
    code: str
    units: int
    done: dict

    def missing(self, stage):
        return self.units - self.done.get(stage, 0)

    @property
    def missing_by_stage(self):
        return [(stage, self.missing(stage)) for stage in SEASON_STAGES]

    @property
    def share_done(self):
        """The share of units decided, in percent (0–100)."""
        return 100 * self.done.get(Stage.APPROVED, 0) / self.units if self.units else 0


@dataclass
class SeasonProgress:
    year: int
    scope: Unit | None
    units: int
    by_stage: dict
    parents: "ParentRows"
    quota: list
    quota_reason: str | None = None

    @property
    def missing_approved(self):
        return self.units - self.by_stage.get(Stage.APPROVED, 0)

    @property
    def stage_rows(self):
        """(stage value, label, units with it, units without it, percent done) for each stage."""
        return [
            (stage.value, stage.label, self.by_stage.get(stage, 0), self.units - self.by_stage.get(stage, 0),
             100 * self.by_stage.get(stage, 0) / self.units if self.units else 0)
            for stage in SEASON_STAGES
        ]

    def as_json(self):
        return {
            "year": self.year, "scope": self.scope.code if self.scope is not None else None, "units": self.units,
            "by_stage": {stage.value: self.by_stage.get(stage, 0) for stage in SEASON_STAGES},
            "missing_approved": self.missing_approved,
            "quota": [finding.as_json() for finding in self.quota],
        }


def season_units(*, year, scope=None):
    """The units that existed in `year` within the scope (quota.within: a province by its indexed key)."""
    units = Unit.objects.existing_in(year)
    return units.filter(quota.within(scope, "")) if scope is not None else units


class ParentRows:
    """The season's parents in tree order (units without a parent first), each with its units of the
    year and how many have each stage, as a Paginator reads them: the national list holds tens of
    thousands of parents, so its length is one remembered COUNT and a page reads only its own parents.
    Iterating reads them all in one grouped query."""

    def __init__(self, *, year, scope):
        self.year, self.scope = year, scope

    def units(self):
        return season_units(year=self.year, scope=self.scope)

    def __len__(self):
        return remembered("season-parents", lambda: self.units().values("parent").distinct().count(), year=self.year, scope=self.scope)

    def __iter__(self):
        return iter(self.read(self.units()))

    def __getitem__(self, index):
        if not isinstance(index, slice):
            return list(self)[index]
        start, stop, _step = index.indices(len(self))
        roots = 1 if self.units().filter(parent__isnull=True).exists() else 0
        children = self.units().filter(parent=OuterRef("pk"))
        parents = Unit.objects.filter(Exists(children))
        if self.scope is not None:
            parents = parents.filter(Q(path__startswith=self.scope.path) | Q(pk=self.scope.parent_id))
        ids = list(parents.order_by("path").values_list("pk", flat=True)[max(start - roots, 0) : max(stop - roots, 0)])
        shown = Q(parent__in=ids)
        if roots and start == 0 and stop > 0:
            shown |= Q(parent__isnull=True)
        return self.read(self.units().filter(shown))

    def read(self, units):
        rated = units.annotate(rated=FilteredRelation("ratings", condition=Q(ratings__year=self.year)))
        rows = rated.values("parent", "parent__name", "parent__code", "parent__path").annotate(
            units=Count("id", distinct=True),
            **{f"done_{stage.value}": Count("rated", filter=Q(rated__stage=stage)) for stage in SEASON_STAGES},
        )
        rows = sorted(rows, key=lambda row: (row["parent"] is not None, row["parent__path"] or ""))
        return [
            ParentProgress(
                parent_id=row["parent"], name=row["parent__name"] or "", code=row["parent__code"] or "", units=row["units"],
                done={stage.value: row[f"done_{stage.value}"] for stage in SEASON_STAGES},
            )
            for row in rows
        ]


def season_progress(*, year, scope=None):
    """How far the year's review has come within the scope: units per stage, per parent, and the quota breaches.

    The units of the year are counted beside the ratings per stage the database keeps counted
    (RatingCount; for a subtree smaller than a province, counted from its ratings), remembered until
    ratings or units change; the parents are read a page at a time (ParentRows).
    """
    def count():
        units = season_units(year=year, scope=scope)
        if RatingCount.answers(scope):
            done = RatingCount.objects.of(year=year, scope=scope).totals("stage")
        else:
            done = Rating.objects.filter(year=year, unit__in=units).values("stage").annotate(n=Count("id")).order_by()
            done = {(row["stage"],): row["n"] for row in done}
        return units.count(), {stage.value: done.get((stage.value,), 0) for stage in SEASON_STAGES}

    units, by_stage = remembered("season", count, year=year, scope=scope)
    checked, broken = quota_checked(year=year, scope=scope)
    return SeasonProgress(
        year=year, scope=scope, units=units, by_stage=by_stage, parents=ParentRows(year=year, scope=scope),
        quota=broken, quota_reason=quota.nothing_to_check(year=year, findings=checked),
    )


def missing_units(*, year, stage, scope=None):
    """The units of the year within the scope that have no rating of `stage`, grouped by parent."""
    return (
        season_units(year=year, scope=scope)
        .annotate(staged=FilteredRelation("ratings", condition=Q(ratings__year=year, ratings__stage=stage)))
        .filter(staged__isnull=True)
        .select_related("parent")
        .order_by("parent__path", "path")
    )
