"""The peer-group grid: one parent's children, one year and stage, read together and saved all or nothing.

Reading gathers what the form shows (last year's level beside the current one); saving is the one
write every row of the grid goes through, checked by the model as the single-rating form is.
"""
from dataclasses import dataclass, field

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from .. import quota
from ..models import ConcurrentEdit, DataVersion, Decision, Rating, Regime, Stage, Unit, UnitKind


class GridRefused(Exception):
    """The grid was not saved, for a reason the user reads: nothing of it was written."""


class GridInvalid(Exception):
    """Some rows (or the new decision) do not pass the model's checks: nothing was written."""

    def __init__(self, rows, decision=None):
        super().__init__(f"{len(rows)} invalid rows")
        self.rows = rows  # {unit pk: ValidationError}
        self.decision = decision  # ValidationError or None


@dataclass
class PeerRow:
    unit: Unit
    rating: Rating | None
    previous: object  # last year's Level at the same stage, or None


@dataclass
class PeerGroup:
    parent: Unit
    year: int
    stage: str
    regime: Regime | None
    rows: list
    levels: list
    decisions: list
    findings: dict = field(default_factory=dict)  # {kind: QuotaFinding}

    @property
    def kinds(self):
        return [(kind, UnitKind(kind).label) for kind in dict.fromkeys(row.unit.kind for row in self.rows)]


def peer_group(*, parent, year, stage):
    """The children of `parent` that existed in `year`, grouped by kind, with their ratings of `stage`
    this year and last year, the year's scale, the parent's decisions and the quota as stored."""
    units = list(parent.children.existing_in(year).order_by("kind", "name", "pk"))
    current = {
        r.unit_id: r for r in Rating.objects.filter(unit__in=units, year=year, stage=stage).select_related("level", "decision")
    }
    previous = {
        r.unit_id: r.level for r in Rating.objects.filter(unit__in=units, year=year - 1, stage=stage).select_related("level")
    }
    regime = Regime.objects.for_year(year).first()
    findings = quota.quota_findings(year=year, stage=stage, parent=parent, tallies=False)
    return PeerGroup(
        parent=parent, year=year, stage=stage, regime=regime,
        rows=[PeerRow(unit=u, rating=current.get(u.pk), previous=previous.get(u.pk)) for u in units],
        levels=list(regime.levels.order_by("rank")) if regime else [],
        decisions=list(Decision.objects.of_group(parent, year, stage).order_by("-issued_on", "number")),
        findings={f.kind: f for f in findings},
    )


@dataclass
class GridReport:
    created: int
    updated: int
    unchanged: int
    decision: Decision | None
    breaches: list  # quota findings of the group after the save that break the quota
    scorecard_warnings: list = field(default_factory=list)  # levels above what a stored scorecard admits


def save_peer_group(*, parent, year, stage, rows, decision=None, new_decision=None, user=None, seen_versions):
    """Save the levels of a peer group in one transaction, or nothing.

    `rows` are dicts with unit, level (a Level, or None to leave the unit as it is), score, votes_for,
    votes_present and note. `decision` is one of the parent's decisions of that year and stage, or
    `new_decision` ({kind, number, issued_on}) creates one; every saved rating cites it.
    `seen_versions` ({unit pk: version, None where there was no rating}) is what the form showed:
    a rating saved by someone else since refuses the whole grid, naming the units.
    """
    if stage not in Stage.values or stage == Stage.UNKNOWN:
        raise GridRefused(_("Chọn bước tự đánh giá, đề xuất hoặc quyết định."))
    units = {u.pk: u for u in parent.children.existing_in(year)}
    if user is not None and not Unit.objects.editable_by(user).filter(pk=parent.pk).exists():
        raise GridRefused(_("Đơn vị «%(unit)s» không thuộc phạm vi được giao.") % {"unit": parent})
    strangers = [row["unit"] for row in rows if row["unit"].pk not in units]
    if strangers:
        raise GridRefused(
            _("Không thuộc nhóm của «%(parent)s» trong năm %(year)s: %(units)s.")
            % {"parent": parent, "year": year, "units": ", ".join(str(u) for u in strangers)}
        )
    chosen = [row for row in rows if row.get("level") is not None]
    with transaction.atomic():
        DataVersion.bump()
        stored = {
            r.unit_id: r
            for r in Rating.objects.select_for_update(of=("self",)).filter(unit__in=[row["unit"].pk for row in chosen], year=year, stage=stage)
            .select_related("unit", "level", "decision")
        }
        moved = [row["unit"] for row in chosen if _version(stored.get(row["unit"].pk)) != seen_versions.get(row["unit"].pk)]
        if moved:
            raise GridRefused(_changed_since(moved))
        decision = _decision(parent=parent, year=year, stage=stage, decision=decision, new_decision=new_decision, user=user)
        created, updated, unchanged, errors = [], [], 0, {}
        for row in chosen:
            rating = stored.get(row["unit"].pk) or Rating(unit=row["unit"], year=year, stage=stage)
            before = _entered(rating)
            rating.level = row["level"]
            rating.score = row.get("score")
            rating.votes_for, rating.votes_present = row.get("votes_for"), row.get("votes_present")
            rating.note = row.get("note") or ""
            rating.decision = decision if decision is not None else rating.decision
            try:
                rating.full_clean(exclude=["regime"])
            except ValidationError as error:
                errors[row["unit"].pk] = error
                continue
            if rating.pk is None:
                created.append(rating)
            elif before != _entered(rating):
                updated.append(rating)
            else:
                unchanged += 1
        if errors:
            raise GridInvalid(errors)
        for rating in [*created, *updated]:
            rating._history_user = user
            try:
                rating.save()
            except ConcurrentEdit as error:
                raise GridRefused(_changed_since([error.instance.unit])) from error
    breaches = quota.breaches(quota.quota_findings(year=year, stage=stage, parent=parent, tallies=False))
    warnings = [text for text in (rating.scorecard_warning() for rating in [*created, *updated]) if text]
    return GridReport(
        created=len(created), updated=len(updated), unchanged=unchanged, decision=decision, breaches=breaches,
        scorecard_warnings=warnings,
    )


def _entered(rating):
    """What the grid can change on a rating, to leave an unchanged one (and its history) alone."""
    return [rating.level_id, rating.score, rating.votes_for, rating.votes_present, rating.note, rating.decision_id]


def _version(rating):
    return None if rating is None else rating.version


def _changed_since(units):
    return _(
        "Không lưu gì: kết quả của %(units)s vừa được người khác lưu sau khi bảng này được mở. "
        "Hãy tải lại trang để xem bản mới rồi nhập lại."
    ) % {"units": ", ".join(f"«{unit}»" for unit in units)}


def _decision(*, parent, year, stage, decision, new_decision, user):
    """The decision the ratings cite: a chosen one of this group, a new one checked by the model, or None."""
    if decision is not None and new_decision:
        raise GridInvalid({}, ValidationError(_("Chọn một quyết định có sẵn hoặc nhập quyết định mới, không cả hai.")))
    if decision is not None:
        if (decision.issuer_id, decision.year, decision.stage) != (parent.pk, year, stage):
            raise GridInvalid({}, ValidationError(_("Quyết định đã chọn không thuộc nhóm, năm và bước này.")))
        return decision
    if not new_decision:
        return None
    created = Decision(issuer=parent, year=year, stage=stage, **new_decision)
    try:
        created.full_clean()
    except ValidationError as error:
        raise GridInvalid({}, error) from error
    created._history_user = user
    created.save()
    return created
