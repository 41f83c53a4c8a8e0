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

from .. import quota
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
    counts_over_total_message,
)
from .entry import save_tally_counts


DEFAULT_STAGES = {"rating": Stage.UNKNOWN, "tally": Stage.UNKNOWN, "criterion": Stage.SELF}


@dataclass
class PlannedFigure:
    """One extracted figure, with where it will be stored; the preview lets the user change these.

    `chosen` holds what the user set in the preview (stage, and a tally's group and subject) over
    what the article says, so the figure itself stays the article's reading.
    """

    kind: str
    index: int
    figure: dict
    year: int | None
    unit: Unit | None = None
    new_unit_name: str = ""
    keep: bool = True
    chosen: dict = field(default_factory=dict)
    verdict: "Verdict | None" = None

    @property
    def key(self):
        return f"{self.kind}-{self.index}"

    @property
    def unit_kind(self):
        return self.figure.get("unit_kind") or (UnitKind.PROVINCE if self.kind in ("vote", "criterion") else "")

    @property
    def stage(self):
        """The stage of the review; votes have none."""
        if self.kind not in DEFAULT_STAGES:
            return ""
        return self.chosen.get("stage") or self.figure.get("stage") or DEFAULT_STAGES[self.kind]

    @property
    def group(self):
        return (self.chosen.get("group") or self.figure.get("group") or "")[:300]

    @property
    def subject(self):
        return self.chosen.get("subject") or self.figure.get("subject") or Subject.COLLECTIVE

    @property
    def quota(self):
        """A tally's quota finding (ratings.quota), for the preview to warn before anything is stored."""
        return quota.planned_tally_finding(self) if self.kind == "tally" else None


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
    url: str = ""


NEW, UNCHANGED, CONFLICT, SKIPPED = "new", "unchanged", "conflict", "skipped"


@dataclass
class Verdict:
    """What saving one figure does: computed by `assess_figure` for the preview and again, the same
    way, by the import itself, so the preview never promises what the confirmation does not do."""

    status: str
    message: str = ""
    stored: object = None
    key: tuple = ()


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
                url=self.plan.url[:1000],
                file_name="" if self.plan.url else Path(self.plan.name).name[:255],
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


def plan_article(*, text, name, province=None, year=None, url=""):
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
        url=url,
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

    Each figure goes through `assess_figure`, as in the preview: one that repeats or
    contradicts a stored figure is reported and left out; with dry_run the same report
    is made and everything rolled back. `allowed` (a Unit queryset) limits an editor to
    their subtrees: figures elsewhere are skipped. The source is created with the first
    saved figure: when nothing is saved, `report.source` stays None.
    """
    report = ImportReport(plan=plan, allowed=allowed)
    if plan.already_imported:
        return report
    with transaction.atomic():
        claimed = {}
        for planned in plan.figures:
            if planned.keep:
                _store(planned, report, claimed)
        if dry_run:
            transaction.set_rollback(True)
    return report


def assess_plan(plan, *, allowed=None):
    """Give each kept figure the verdict that confirming would reach, writing nothing."""
    claimed = {}
    for planned in plan.figures:
        if not planned.keep:
            planned.verdict = None
        elif plan.already_imported:
            planned.verdict = Verdict(SKIPPED, _("bài viết này đã được nhập trước đây."))
        else:
            planned.verdict = assess_figure(planned, plan=plan, allowed=allowed, claimed=claimed)
    return plan


def assess_figure(planned, *, plan, allowed=None, claimed=None):
    """Whether saving `planned` creates a figure, repeats or contradicts a stored one, or cannot be done.

    `claimed` maps the row each earlier figure of the same article takes to its reading,
    so a second figure for the same row is judged against the first, as it would be
    once the first is saved.
    """
    claimed = {} if claimed is None else claimed
    if planned.year is None:
        return Verdict(SKIPPED, _("bài viết không nêu năm được xếp loại."))
    if allowed is not None and not allowed.filter(pk=(planned.unit or plan.province or Unit()).pk).exists():
        return Verdict(SKIPPED, _("đơn vị ngoài phạm vi được giao."))
    new_unit = planned.unit is None and bool(planned.new_unit_name) and plan.province is not None
    if planned.unit is None and not new_unit:
        return Verdict(SKIPPED, _("chưa xác định được đơn vị."))
    kind = FIGURE_TYPES[planned.kind]
    try:
        reading = kind.read(planned)
    except ValidationError as error:
        return Verdict(SKIPPED, " ".join(error.messages))
    unit_key = ("new", planned.new_unit_name.casefold()) if new_unit else planned.unit.pk
    key = (planned.kind, unit_key, *((name, getattr(value, "pk", value)) for name, value in reading.lookup.items()))
    if key in claimed:
        return _compare(claimed[key], reading, stored=None, key=key)
    stored = None if new_unit else kind.stored(planned, reading)
    if stored is not None:
        return _compare(kind.reading_of(stored), reading, stored=stored, key=key)
    try:
        kind.check(planned, reading, new_unit)
    except ValidationError as error:
        return Verdict(SKIPPED, " ".join(error.messages))
    claimed[key] = reading
    return Verdict(NEW, _("mới"), key=key)


def _compare(have, found, *, stored, key):
    """`have` is the stored row's reading, or, with no stored row, an earlier figure of the same article."""
    if have.value == found.value:
        message = _("đã có, không đổi") if stored else _("trùng với một số liệu trước trong bài, không lưu lần nữa")
        return Verdict(UNCHANGED, message, stored=stored, key=key)
    if stored is None:
        message = _("bài viết đã nêu «%(stored)s» cho cùng đơn vị, năm và bước, ở đây ghi «%(found)s»; chỉ lưu số liệu trước.") % {
            "stored": have.text, "found": found.text,
        }
        return Verdict(CONFLICT, message, key=key)
    return Verdict(CONFLICT, str(Conflict(have.text, found.text)), stored=stored, key=key)


def _store(planned, report, claimed):
    label = describe_figure(planned)
    verdict = planned.verdict = assess_figure(planned, plan=report.plan, allowed=report.allowed, claimed=claimed)
    if verdict.status != NEW:
        lines = {UNCHANGED: report.unchanged, CONFLICT: report.conflicts, SKIPPED: report.skipped}[verdict.status]
        lines.append(label if verdict.status == UNCHANGED else f"{label}: {verdict.message}")
        return
    if planned.unit is None:
        planned.unit = _create_unit(planned, report.plan.province)
    source_before = report.source
    try:
        with transaction.atomic():
            STORERS[planned.kind](planned, report.cite())
    except ValidationError as error:
        # A source created for this figure went with its rolled-back savepoint.
        report.source = source_before
        claimed.pop(verdict.key, None)
        report.skipped.append(f"{label}: {' '.join(error.messages)}")
    else:
        report.created.append(label)


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


@dataclass
class Reading:
    """A figure as its row would hold it: the fields that name the row (besides the unit), the value
    compared with a stored row, that value as the user reads it, and the levels it refers to."""

    lookup: dict
    value: object
    text: str
    levels: dict = field(default_factory=dict)


@dataclass(frozen=True)
class FigureType:
    """How one kind of figure is read from the article, found among stored rows, checked and saved.

    `counts`, for a tally, splits a reading into the per-level rows save_tally_counts takes.
    """

    model: type
    unit_field: str
    read: object
    reading_of: object
    build: object
    related: tuple = ()
    counts: object = None

    def stored(self, planned, reading):
        rows = self.model.objects.filter(**{self.unit_field: planned.unit}, **reading.lookup)
        if self.related:
            rows = rows.prefetch_related(*self.related)
        return rows.first()

    def check(self, planned, reading, new_unit):
        """The model's own checks, before anything is saved; a unit still to be created is not checked."""
        figure = self.build(planned, reading, None)
        figure.full_clean(exclude=[self.unit_field] if new_unit else None)
        if self.counts:
            exact, above = self.counts(reading)
            refusal = counts_over_total_message(exact, figure.total, above)
            if refusal:
                raise ValidationError(refusal)

    def store(self, planned, source):
        reading = self.read(planned)
        figure = self.build(planned, reading, source)
        figure.full_clean()
        figure.save()
        if self.counts:
            exact, above = self.counts(reading)
            save_tally_counts(tally=figure, figures=exact, at_or_above=above)
        return figure


def _read_rating(planned):
    level = Level.objects.in_scale_of(planned.year, planned.figure["level"])
    return Reading({"year": planned.year, "stage": planned.stage}, level.code, level.code, {"level": level})


def _rating_reading(rating):
    return Reading({}, rating.level.code, rating.level.code)


def _build_rating(planned, reading, source):
    return Rating(
        unit=planned.unit, year=planned.year, stage=planned.stage, level=reading.levels["level"],
        source=source, evidence=planned.figure.get("evidence", ""),
    )


def _ballot(votes, present):
    return f"{votes}/{present if present is not None else '?'}"


def _read_vote(planned):
    figure = planned.figure
    level = Level.objects.in_scale_of(planned.year, figure["for_level"])
    value = (figure["votes"], figure.get("present"))
    return Reading({"year": planned.year, "level": level}, value, _ballot(*value), {"level": level})


def _vote_reading(vote):
    return Reading({}, (vote.votes_for, vote.present), _ballot(vote.votes_for, vote.present))


def _build_vote(planned, reading, source):
    votes, present = reading.value
    return Vote(
        unit=planned.unit, year=planned.year, level=reading.levels["level"], votes_for=votes, present=present,
        source=source, evidence=planned.figure.get("evidence", ""),
    )


def _percent(value):
    return round(float(value), 2)


def _read_tally(planned):
    """Counts and shares by level code; a code ending in "+" counts that level and every level above."""
    figure = planned.figure
    counts = {code: n for code, n in (figure.get("counts") or {}).items() if n is not None}
    percents = {code: _percent(p) for code, p in (figure.get("percent") or {}).items() if p is not None}
    levels = {code: Level.objects.in_scale_of(planned.year, code.removesuffix("+")) for code in {*counts, *percents}}
    lookup = {"year": planned.year, "stage": planned.stage, "subject": planned.subject, "group": planned.group}
    return Reading(lookup, (counts, percents), describe_counts(counts, percents), levels)


def _tally_reading(tally):
    counts, percents = {}, {}
    for row in tally.counts.all():
        code = f"{row.level.code}+" if row.or_above else row.level.code
        if row.count is not None:
            counts[code] = row.count
        if row.percent is not None:
            percents[code] = _percent(row.percent)
    return Reading({}, (counts, percents), describe_counts(counts, percents))


def _tally_levels(reading):
    """The reading's cells as save_tally_counts takes them: {Level: (count, percent)}, and the same "at or above"."""
    counts, percents = reading.value
    exact, above = {}, {}
    for code, level in reading.levels.items():
        (above if code.endswith("+") else exact)[level] = (counts.get(code), percents.get(code))
    return exact, above


def _build_tally(planned, reading, source):
    return Tally(
        parent=planned.unit, **reading.lookup, total=planned.figure.get("total"),
        source=source, evidence=planned.figure.get("evidence", ""),
    )


def _read_criterion(planned):
    figure = planned.figure
    grade = figure["grade"]
    lookup = {"year": planned.year, "stage": planned.stage, "content": figure.get("content") or ""}
    return Reading(lookup, grade, grade)


def _criterion_reading(criterion):
    return Reading({}, criterion.grade, criterion.grade)


def _build_criterion(planned, reading, source):
    return CriterionGrade(
        unit=planned.unit, **reading.lookup, grade=reading.value, position=planned.index + 1,
        source=source, evidence=planned.figure.get("evidence", ""),
    )


FIGURE_TYPES = {
    "rating": FigureType(Rating, "unit", _read_rating, _rating_reading, _build_rating, ("level",)),
    "vote": FigureType(Vote, "unit", _read_vote, _vote_reading, _build_vote),
    "tally": FigureType(Tally, "parent", _read_tally, _tally_reading, _build_tally, ("counts__level",), _tally_levels),
    "criterion": FigureType(CriterionGrade, "unit", _read_criterion, _criterion_reading, _build_criterion),
}
STORERS = {kind: figure_type.store for kind, figure_type in FIGURE_TYPES.items()}


def evidence_in_context(text, evidence, around=160):
    """The quote with the text around it, for a preview that shows where a figure came from."""
    start = text.find(evidence) if evidence else -1
    if start < 0:
        return "", evidence, ""
    end = start + len(evidence)
    before = text[max(0, start - around):start]
    after = text[end:end + around]
    return ("…" if start > around else "") + before, evidence, after + ("…" if end + around < len(text) else "")


def describe_counts(counts, percents):
    """A tally's cells as a reader writes them: "4 HTXSNV, từ HTTNV trở lên: 21"; a share where no count is given."""
    cells = []
    for code in dict.fromkeys([*counts, *percents]):
        figure = counts[code] if counts.get(code) is not None else f"{percents[code]:g}%"
        if code.endswith("+"):
            cells.append(_("từ %(level)s trở lên: %(figure)s") % {"level": code.removesuffix("+"), "figure": figure})
        else:
            cells.append(f"{figure} {code}")
    return ", ".join(cells)


def describe_figure(planned):
    """A short line naming a figure, for reports and the preview."""
    figure = planned.figure
    year = planned.year or "?"
    who = figure.get("unit") or planned.unit or planned.new_unit_name or "?"
    if planned.kind == "rating":
        return f"{who} {year}: {figure.get('level')}"
    if planned.kind == "vote":
        return f"{who} {year}: {_ballot(figure.get('votes'), figure.get('present'))} {figure.get('for_level')}"
    if planned.kind == "tally":
        counts = {code: n for code, n in (figure.get("counts") or {}).items() if n is not None}
        percents = {code: p for code, p in (figure.get("percent") or {}).items() if p is not None}
        return f"{planned.group or '?'} {year}: {describe_counts(counts, percents)}"
    return f"{who} {year}: {figure.get('grade')} – {Truncator(figure.get('content') or '').chars(60)}"


def import_article_batch(*, articles, allowed=None, province=None, year=None, progress=None):
    """Import several articles, each in its own transaction as import_article does; one that cannot be read
    or saved is reported and the others go on. `articles` yields (name, text). Returns one line of data per
    article: name, figures created, unchanged, conflicts, skipped, whether it was imported before, and the error."""
    articles = list(articles)
    outcomes = []
    for done, (name, text) in enumerate(articles, 1):
        outcome = {"name": name, "created": 0, "unchanged": 0, "conflicts": 0, "skipped": 0, "already": False, "error": ""}
        try:
            plan = plan_article(text=text, name=name, province=province, year=year)
            report = import_article(plan=plan, allowed=allowed)
        except ImportRefused as refusal:
            outcome["error"] = str(refusal)
        else:
            outcome.update(
                created=len(report.created), unchanged=len(report.unchanged), conflicts=len(report.conflicts),
                skipped=len(report.skipped), already=bool(plan.already_imported),
            )
        outcomes.append(outcome)
        if progress is not None:
            progress(done, len(articles))
    return outcomes
