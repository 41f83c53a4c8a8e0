"""Importing the figures of an article: extract, resolve the units, store each figure once."""
import hashlib
import itertools
from dataclasses import dataclass, field
from pathlib import Path

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.text import Truncator, slugify
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from ..extraction import ArticleError, extract_article, normalize_text, read_article
from ..models import (
    CriterionGrade,
    Level,
    Rating,
    Source,
    Stage,
    Subject,
    Tally,
    Unit,
    UnitKind,
    Vote,
)
from .entry import save_tally_counts


@dataclass
class PlannedFigure:
    """One extracted figure, with where it will be stored; the preview lets the user change these."""

    kind: str
    index: int
    figure: dict
    year: int | None
    unit: Unit | None = None
    new_unit_name: str = ""
    keep: bool = True

    @property
    def key(self):
        return f"{self.kind}-{self.index}"

    @property
    def unit_kind(self):
        return self.figure.get("unit_kind") or (UnitKind.PROVINCE if self.kind in ("vote", "criterion") else "")


@dataclass
class ArticlePlan:
    """What an article holds and where each figure goes, before anything is written."""

    name: str
    text: str
    content_hash: str
    result: dict
    province: Unit | None
    figures: list = field(default_factory=list)
    already_imported: Source | None = None


@dataclass
class ImportReport:
    plan: ArticlePlan
    allowed: object = None
    source: Source | None = None
    created: list = field(default_factory=list)
    unchanged: list = field(default_factory=list)
    conflicts: list = field(default_factory=list)
    skipped: list = field(default_factory=list)

    def cite(self):
        """The article as the source of a figure about to be saved: created with the first such figure,
        so an import that saves nothing leaves no source that would block the article for another editor."""
        if self.source is None:
            self.source = Source.objects.create(
                title=(self.plan.result.get("title") or self.plan.name)[:500],
                file_name=Path(self.plan.name).name[:255],
                published=self.plan.result.get("published"),
                content_hash=self.plan.content_hash,
            )
        return self.source


class ImportRefused(Exception):
    """The file cannot be read as an article; nothing was saved."""


REFUSALS = {
    "empty": gettext_lazy("Tệp rỗng: không có nội dung để nhập."),
    "binary": gettext_lazy("Tệp nhị phân, không phải văn bản hay trang HTML."),
    "too_large": gettext_lazy("Tệp lớn hơn 5 MB."),
    "undecodable": gettext_lazy("Không đọc được bảng mã của tệp (cần UTF-8, UTF-16 hoặc Windows-1258)."),
}
FIGURE_KINDS = (("ratings", "rating"), ("tallies", "tally"), ("votes", "vote"), ("criteria", "criterion"))


def article_hash(text):
    """Identify an article by its text, so the same article saved as .txt or .html is one source."""
    return hashlib.sha256(normalize_text(text).encode("utf-8")).hexdigest()


def read_article_file(data, name):
    try:
        return read_article(data, name)
    except ArticleError as error:
        raise ImportRefused(REFUSALS.get(error.code, str(error))) from error


def extract_figures(*, text, name, province=None, year=None):
    """The figures of an article in the schema of the annotations, touching no database."""
    return extract_article(text, source=name, province=province, year=year)


def plan_article(*, text, name, province=None, year=None):
    """Extract the figures of an article and resolve where each would be stored."""
    result = extract_figures(text=text, name=name, province=province, year=year)
    content_hash = article_hash(text)
    plan = ArticlePlan(
        name=name,
        text=normalize_text(text),
        content_hash=content_hash,
        result=result,
        province=None,
        already_imported=Source.objects.filter(content_hash=content_hash).first(),
    )
    for key, kind in FIGURE_KINDS:
        for index, figure in enumerate(result.get(key) or []):
            plan.figures.append(PlannedFigure(kind=kind, index=index, figure=figure, year=figure.get("year") or year))
    place = result.get("province") or province
    resolve_units(plan, place)
    return plan


def resolve_units(plan, place):
    """Point each figure at the unit of its province and year, or name the unit to create."""
    for planned in plan.figures:
        province = Unit.objects.province_named(place, planned.year) if place and planned.year else None
        plan.province = plan.province or province
        planned.unit, planned.new_unit_name = _unit_for(planned, province)


def _unit_for(planned, province):
    if province is None:
        return None, ""
    figure, kind = planned.figure, planned.unit_kind
    if planned.kind == "tally":
        standing = "ban thường vụ" in (figure.get("group") or "").casefold() and figure.get("subject") == Subject.INDIVIDUAL
        kind = UnitKind.STANDING_COMMITTEE if standing else UnitKind.PROVINCE
    if kind == UnitKind.PROVINCE:
        return province, ""
    if kind == UnitKind.STANDING_COMMITTEE:
        return province.children.filter(kind=UnitKind.STANDING_COMMITTEE).first(), ""
    name = figure.get("unit") or ""
    found = Unit.objects.within(province).filter(name__iexact=name).first()
    return found, "" if found else name


def import_article(*, plan, dry_run=False, allowed=None):
    """Store the kept figures of a planned article in one transaction; never overwrite a stored figure.

    A figure that contradicts one already stored is reported and left out; with
    dry_run the same report is made and everything rolled back. `allowed` (a
    Unit queryset) limits an editor to their subtrees: figures elsewhere are skipped.
    The source is created with the first saved figure: when nothing is saved,
    `report.source` stays None.
    """
    report = ImportReport(plan=plan, allowed=allowed)
    if plan.already_imported:
        return report
    with transaction.atomic():
        for planned in plan.figures:
            if planned.keep:
                _store(planned, report)
        if dry_run:
            transaction.set_rollback(True)
    return report


def _store(planned, report):
    label = describe_figure(planned)
    if planned.year is None:
        report.skipped.append(_("%(figure)s: bài viết không nêu năm được xếp loại.") % {"figure": label})
        return
    outside = report.allowed is not None and not report.allowed.filter(
        pk=(planned.unit or report.plan.province or Unit()).pk
    ).exists()
    if outside:
        report.skipped.append(_("%(figure)s: đơn vị ngoài phạm vi được giao.") % {"figure": label})
        return
    if planned.unit is None and planned.new_unit_name and report.plan.province:
        planned.unit = _create_unit(planned, report.plan.province)
    if planned.unit is None:
        report.skipped.append(_("%(figure)s: chưa xác định được đơn vị.") % {"figure": label})
        return
    source_before = report.source
    try:
        with transaction.atomic():
            outcome = STORERS[planned.kind](planned, report.cite)
    except (Conflict, ValidationError) as error:
        # A source created for this figure went with its rolled-back savepoint.
        report.source = source_before
        if isinstance(error, Conflict):
            report.conflicts.append(f"{label}: {error}")
        else:
            report.skipped.append(f"{label}: {' '.join(error.messages)}")
    else:
        getattr(report, outcome).append(label)


def _create_unit(planned, province):
    """The unit a new name stands for: the same name reuses its unit, another name never does."""
    name = planned.new_unit_name[:255]
    defaults = {"name": name, "kind": planned.unit_kind or UnitKind.OTHER, "parent": province}
    for code in _unit_codes(province.code, name):
        unit, _created = Unit.objects.get_or_create(code=code, defaults=defaults)
        if unit.parent_id == province.pk and unit.name.casefold() == name.casefold():
            return unit


def _unit_codes(prefix, name):
    """Codes for a new unit, readable first, then with a suffix taken from the name.

    Names that differ only in tones or in Đ/D slugify alike; the suffix, a hash of
    the name, tells them apart and gives the same name the same code every time.
    """
    # slugify drops "Đ", which has no ASCII decomposition.
    base = f"{prefix}-{slugify(name.replace('Đ', 'D').replace('đ', 'd')).upper()}"[:40]
    yield base
    for attempt in itertools.count():
        salted = f"{name.casefold()}#{attempt}" if attempt else name.casefold()
        suffix = hashlib.sha256(salted.encode("utf-8")).hexdigest()[:6].upper()
        yield f"{base[:33]}-{suffix}"


class Conflict(Exception):
    """The article says otherwise than a figure already stored."""

    def __init__(self, stored, found):
        super().__init__(
            _("đã lưu «%(stored)s», bài viết ghi «%(found)s»; giữ nguyên số liệu đã lưu.")
            % {"stored": stored, "found": found}
        )


def _unchanged_or_conflict(same, stored, found):
    if not same:
        raise Conflict(stored, found)
    return "unchanged"


def _store_rating(planned, cite):
    figure = planned.figure
    level = Level.objects.in_scale_of(planned.year, figure["level"])
    stage = figure.get("stage") or Stage.UNKNOWN
    stored = Rating.objects.filter(unit=planned.unit, year=planned.year, stage=stage).select_related("level").first()
    if stored:
        return _unchanged_or_conflict(stored.level_id == level.pk, stored.level.code, level.code)
    rating = Rating(unit=planned.unit, year=planned.year, stage=stage, level=level, source=cite(), evidence=figure.get("evidence", ""))
    rating.full_clean()
    rating.save()
    return "created"


def _store_vote(planned, cite):
    figure = planned.figure
    level = Level.objects.in_scale_of(planned.year, figure["for_level"])
    stored = Vote.objects.filter(unit=planned.unit, year=planned.year, level=level).first()
    found = f"{figure['votes']}/{figure.get('present') or '?'}"
    if stored:
        same = (stored.votes_for, stored.present) == (figure["votes"], figure.get("present"))
        return _unchanged_or_conflict(same, f"{stored.votes_for}/{stored.present or '?'}", found)
    vote = Vote(
        unit=planned.unit, year=planned.year, level=level, votes_for=figure["votes"],
        present=figure.get("present"), source=cite(), evidence=figure.get("evidence", ""),
    )
    vote.full_clean()
    vote.save()
    return "created"


def _store_tally(planned, cite):
    figure = planned.figure
    counts = {code: n for code, n in (figure.get("counts") or {}).items() if n is not None}
    percents = {code: p for code, p in (figure.get("percent") or {}).items() if p is not None}
    levels = {code: Level.objects.in_scale_of(planned.year, code) for code in {*counts, *percents}}
    key = {
        "parent": planned.unit, "year": planned.year, "stage": figure.get("stage") or Stage.UNKNOWN,
        "subject": figure.get("subject") or Subject.COLLECTIVE, "group": (figure.get("group") or "")[:300],
    }
    stored = Tally.objects.filter(**key).prefetch_related("counts__level").first()
    if stored:
        have = {c.level.code: c.count for c in stored.counts.all() if c.count is not None}
        return _unchanged_or_conflict(have == counts, have, counts)
    tally = Tally(**key, total=figure.get("total"), source=cite(), evidence=figure.get("evidence", ""))
    tally.full_clean()
    tally.save()
    save_tally_counts(
        tally=tally,
        figures={levels[code]: (counts.get(code), percents.get(code)) for code in levels},
    )
    return "created"


def _store_criterion(planned, cite):
    figure = planned.figure
    stage = figure.get("stage") or Stage.SELF
    content = figure.get("content") or ""
    stored = CriterionGrade.objects.filter(unit=planned.unit, year=planned.year, stage=stage, content=content).first()
    if stored:
        return _unchanged_or_conflict(stored.grade == figure["grade"], stored.grade, figure["grade"])
    grade = CriterionGrade(
        unit=planned.unit, year=planned.year, stage=stage, content=content, grade=figure["grade"],
        position=planned.index + 1, source=cite(), evidence=figure.get("evidence", ""),
    )
    grade.full_clean()
    grade.save()
    return "created"


STORERS = {"rating": _store_rating, "vote": _store_vote, "tally": _store_tally, "criterion": _store_criterion}


def evidence_in_context(text, evidence, around=160):
    """The quote with the text around it, for a preview that shows where a figure came from."""
    start = text.find(evidence) if evidence else -1
    if start < 0:
        return "", evidence, ""
    end = start + len(evidence)
    before = text[max(0, start - around):start]
    after = text[end:end + around]
    return ("…" if start > around else "") + before, evidence, after + ("…" if end + around < len(text) else "")


def describe_figure(planned):
    """A short line naming a figure, for reports and the preview."""
    figure = planned.figure
    year = planned.year or "?"
    if planned.kind == "rating":
        return f"{figure.get('unit') or '?'} {year}: {figure.get('level')}"
    if planned.kind == "vote":
        return f"{figure.get('unit') or '?'} {year}: {figure.get('votes')}/{figure.get('present') or '?'} {figure.get('for_level')}"
    if planned.kind == "tally":
        counts = ", ".join(f"{n} {code}" for code, n in (figure.get("counts") or {}).items() if n is not None)
        return f"{figure.get('group') or '?'} {year}: {counts}"
    return f"{figure.get('unit') or '?'} {year}: {figure.get('grade')} – {Truncator(figure.get('content') or '').chars(60)}"


