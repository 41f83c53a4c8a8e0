"""The quota check (124-QĐ/TW Điều 12: HTXSNV ≤ 20% of HTTNV per peer group), in one place.

Every page, workbook, import preview and admin warning takes its findings from
`quota_findings` and its words from `describe`, so a group over the limit reads
the same wherever it shows. Units' ratings are counted by the database; the
reported tallies are few and are checked one by one (Tally.quota).
"""
from dataclasses import dataclass

from django.db.models import Count, Q
from django.utils.translation import gettext as _

from . import rules
from .models import Level, Rating, RatingCount, Regime, Stage, Subject, Tally, Unit, UnitKind, quota_message

RATINGS, TALLY = "ratings", "tally"
CHECKED_STAGES = (Stage.SELF, Stage.PROPOSED, Stage.APPROVED)


@dataclass(frozen=True)
class QuotaFinding:
    """One peer group's HTXSNV count against its limit, from stored ratings or from a reported tally."""

    year: int
    stage: str
    parent_id: int
    parent_name: str
    kind: str
    check: rules.QuotaCheck
    source: str = RATINGS
    group: str = ""

    @property
    def broken(self):
        return self.check.broken

    @property
    def kind_label(self):
        return UnitKind(self.kind).label if self.kind in UnitKind.values else ""

    @property
    def label(self):
        """The group as a reader names it: "Tổ chức cơ sở đảng – Đảng bộ X", or the tally's own words."""
        if self.source == TALLY:
            return f"{self.group} – {self.parent_name}"
        return f"{self.kind_label} – {self.parent_name}"

    @property
    def stage_label(self):
        return Stage(self.stage).label if self.stage in Stage.values else self.stage

    @property
    def source_label(self):
        return _("báo cáo") if self.source == TALLY else _("kết quả đã nhập")

    @property
    def message(self):
        return describe(self)

    def as_json(self):
        return {
            "group": self.label, "stage": self.stage, "HTXSNV": self.check.excellent,
            "HTTNV": self.check.good, "limit": self.check.limit, "source": self.source,
        }


def describe(finding):
    """The finding in words with its arithmetic (models.quota_message), naming the group, year and stage."""
    label = _("Nhóm %(group)s, năm %(year)s (%(stage)s)") % {
        "group": finding.label, "year": finding.year, "stage": finding.stage_label,
    }
    if finding.source == TALLY:
        label = f"{label} [{finding.source_label}]"
    return quota_message(finding.check, label)


def within(scope, field="unit__"):
    """A Q for the rows of `scope`'s subtree. A province's subtree is every unit that names it as its
    province, an indexed equality; a prefix match on the path cannot use an index on SQLite."""
    if scope.kind == UnitKind.PROVINCE and scope.province_id == scope.pk:
        return Q(**{f"{field}province": scope.pk})
    return Q(**{f"{field}path__startswith": scope.path})


def quota_ratio(year):
    regime = Regime.objects.for_year(year).first()
    return regime.quota_ratio if regime is not None else None


def rating_counts(*, year, stage=None, scope=None, parent=None, kind=None, parents=None):
    """{(parent id, kind, stage): [HTXSNV, HTTNV, parent's name]} of the stored ratings: one grouped query
    (names joined in, so a national check needs no second query with tens of thousands of ids), over
    the kept counts (RatingCount) for the country or a province."""
    if parent is None and parents is None and not kind and RatingCount.answers(scope):
        return {
            (r["parent"], r["kind"], r["stage"]): [r["excellent"], r["good"], r["parent__name"]]
            for r in RatingCount.objects.of(year=year, stage=stage, scope=scope).quota_counts()
        }
    ratings = Rating.objects.filter(year=year, unit__parent__isnull=False)
    if stage:
        ratings = ratings.filter(stage=stage)
    if scope is not None:
        ratings = ratings.filter(within(scope))
    if parent is not None:
        ratings = ratings.filter(unit__parent_id=getattr(parent, "pk", parent))
    if parents is not None:
        ratings = ratings.filter(unit__parent_id__in=parents)
    if kind:
        ratings = ratings.filter(unit__kind=kind)
    rows = (
        ratings.values("unit__parent", "unit__parent__name", "unit__kind", "stage")
        .annotate(excellent=Count("id", filter=Q(level__code="HTXSNV")), good=Count("id", filter=Q(level__code="HTTNV")))
        .order_by()
    )
    return {
        (r["unit__parent"], r["unit__kind"], r["stage"]): [r["excellent"], r["good"], r["unit__parent__name"]] for r in rows
    }


def apply_planned(counts, planned, *, year, stage=None):
    """The counts as they would be once `planned` is saved: each (unit, stage, level code) replaces
    the unit's stored rating of that stage, so a changed row is counted once, at its new level."""
    planned = [(unit, s, code) for unit, s, code in planned if unit.parent_id and (not stage or s == stage)]
    if not planned:
        return counts
    stored = dict(
        ((unit_id, s), code)
        for unit_id, s, code in Rating.objects.filter(year=year, unit__in=[u.pk for u, _s, _c in planned])
        .values_list("unit", "stage", "level__code")
    )
    counts = {key: list(value) for key, value in counts.items()}
    missing = {unit.parent_id for unit, _s, _c in planned} - {key[0] for key in counts}
    names = dict(Unit.objects.filter(pk__in=missing).values_list("pk", "name")) if missing else {}
    for unit, s, code in planned:
        cell = counts.setdefault((unit.parent_id, unit.kind, s), [0, 0, names.get(unit.parent_id, "")])
        for shift, level in ((-1, stored.get((unit.pk, s))), (1, code)):
            if level == "HTXSNV":
                cell[0] += shift
            elif level == "HTTNV":
                cell[1] += shift
    return counts


def tally_findings(*, year, stage=None, scope=None, parent=None):
    """The findings of the reported tallies of collectives; a tally that lets neither count be known is left out."""
    tallies = Tally.objects.filter(year=year, subject=Subject.COLLECTIVE).select_related("parent", "regime")
    if stage:
        tallies = tallies.filter(stage=stage)
    if scope is not None:
        tallies = tallies.filter(within(scope, "parent__"))
    if parent is not None:
        tallies = tallies.filter(parent_id=getattr(parent, "pk", parent))
    findings = []
    for tally in tallies.prefetch_related("counts__level").order_by("parent__path", "group"):
        excellent, good = tally.count_of("HTXSNV"), tally.count_of("HTTNV")
        check = tally.quota()
        if check is None or (excellent is None and good is None):
            continue
        findings.append(QuotaFinding(
            year=year, stage=tally.stage, parent_id=tally.parent_id, parent_name=tally.parent.name,
            kind=tally.member_kind, check=check, source=TALLY, group=tally.group,
        ))
    return findings


def quota_findings(*, year, stage=None, scope=None, parent=None, kind=None, planned=None, tallies=True, counts=None):
    """Every peer group's quota finding in `year` (one stage, or all), from units' ratings and reported tallies.

    `scope` limits to a subtree, `parent` to the children of one unit; `planned` is an iterable of
    (unit, stage, level code) about to be saved (the Excel preview, the grid), counted in place of
    what is stored. `counts` takes rating counts already computed (a remembered result). Empty when
    the year's regime sets no quota: `nothing_to_check` says why.
    """
    ratio = quota_ratio(year)
    if ratio is None:
        return []
    if counts is None:
        parents = None
        if planned is not None and parent is None and scope is None:
            planned = list(planned)
            parents = {unit.parent_id for unit, _s, _c in planned}
        counts = rating_counts(year=year, stage=stage, scope=scope, parent=parent, kind=kind, parents=parents)
    if planned is not None:
        counts = apply_planned(counts, planned, year=year, stage=stage)
    findings = [
        QuotaFinding(
            year=year, stage=s, parent_id=parent_id, parent_name=name or "", kind=unit_kind,
            check=rules.check_quota(excellent=excellent, good=good, ratio=ratio),
        )
        for (parent_id, unit_kind, s), (excellent, good, name) in sorted(counts.items(), key=lambda item: (item[1][2] or "", item[0]))
    ]
    if tallies and not kind:
        findings += tally_findings(year=year, stage=stage, scope=scope, parent=parent)
    return findings


def breaches(findings):
    return [finding for finding in findings if finding.broken]


def breaches_written(plan):
    """The peer groups of an imported sheet's scope that break the quota in a year it wrote (new or changed rows)."""
    years = sorted({row.year for row in plan.rows if row.status in ("new", "changed")})
    return [
        finding
        for year in years
        for finding in breaches(quota_findings(year=year, stage=plan.stage, scope=plan.scope, tallies=False))
    ]


def nothing_to_check(*, year, findings=(), subject=Subject.COLLECTIVE):
    """Why there is no quota finding, in words, or None when there are findings."""
    if subject == Subject.INDIVIDUAL:
        return _("Tỷ lệ chỉ áp dụng cho tập thể; số liệu cá nhân không được kiểm tra.")
    if quota_ratio(year) is None:
        return _("Quy định áp dụng cho năm %(year)s không đặt tỷ lệ Hoàn thành xuất sắc nhiệm vụ.") % {"year": year}
    if not findings:
        return _("Chưa có nhóm đơn vị nào được xếp loại trong năm %(year)s để kiểm tra tỷ lệ.") % {"year": year}
    return None


def planned_breaches(rows):
    """The peer groups an upload would put over the quota, on stored levels with the upload's in their place.

    `rows` are the upload's rows (services.excel.ExcelRow); only those it would write count.
    """
    planned = {}
    for row in rows:
        if row.status in ("new", "changed") and row.unit is not None and row.level is not None:
            planned.setdefault((row.year, row.stage), []).append((row.unit, row.stage, row.level.code))
    found = []
    for (year, stage), entries in sorted(planned.items()):
        touched = {(unit.parent_id, unit.kind) for unit, _s, _c in entries}
        found += [
            finding for finding in breaches(quota_findings(year=year, stage=stage, planned=entries, tallies=False))
            if (finding.parent_id, finding.kind) in touched
        ]
    return found


def planned_tally_finding(planned):
    """The quota finding of a tally an article import is about to store, or None where none applies.

    Counts "at or above" a level are resolved as Tally.count_of resolves them once stored.
    """
    if planned.year is None or planned.subject != Subject.COLLECTIVE:
        return None
    ratio = quota_ratio(planned.year)
    if ratio is None:
        return None
    ranks = dict(Level.objects.filter(regime__in=Regime.objects.for_year(planned.year)).values_list("code", "rank"))
    exact, above = {}, {}
    for code, count in (planned.figure.get("counts") or {}).items():
        rank = ranks.get(code.removesuffix("+"))
        if rank is not None and count is not None:
            (above if code.endswith("+") else exact)[rank] = count
    resolved = rules.resolve_at_or_above(exact, above)
    excellent, good = resolved.get(ranks.get("HTXSNV")), resolved.get(ranks.get("HTTNV"))
    if excellent is None and good is None:
        return None
    parent = planned.unit
    return QuotaFinding(
        year=planned.year, stage=planned.stage, parent_id=getattr(parent, "pk", None),
        parent_name=parent.name if parent is not None else planned.new_unit_name, kind=planned.figure.get("member_kind") or "",
        check=rules.check_quota(excellent=excellent, good=good, ratio=ratio), source=TALLY, group=planned.group,
    )
