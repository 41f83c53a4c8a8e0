"""Actions that write, each one atomic, called by the admin, commands and tests alike."""
import hashlib
import io
import re
import secrets
import time
from dataclasses import dataclass, field
from pathlib import Path

import openpyxl
from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import translation
from django.utils.text import Truncator, slugify
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from .extraction import ArticleError, extract_article, normalize_text, read_article
from .models import (
    CriterionGrade,
    Level,
    Rating,
    Regime,
    Source,
    Stage,
    Subject,
    Tally,
    TallyCount,
    Unit,
    UnitKind,
    Vote,
)


@transaction.atomic
def save_tally_counts(*, tally, figures):
    """Make the tally's per-level rows exactly `figures` ({Level: (count, percent)})."""
    tally.counts.exclude(level__in=list(figures)).delete()
    for level, (count, percent) in figures.items():
        TallyCount.objects.update_or_create(tally=tally, level=level, defaults={"count": count, "percent": percent})


@transaction.atomic
def ensure_admin(*, username="admin"):
    """Create the first administrator with a generated password; return it, or None if one exists."""
    User = get_user_model()
    if User.objects.filter(is_superuser=True).exists():
        return None
    password = secrets.token_urlsafe(12)
    User.objects.create_superuser(username=username, email="", password=password)
    return password


# Importing the figures of an article


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
    source: Source | None = None
    created: list = field(default_factory=list)
    unchanged: list = field(default_factory=list)
    conflicts: list = field(default_factory=list)
    skipped: list = field(default_factory=list)


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


def import_article(*, plan, dry_run=False):
    """Store the kept figures of a planned article in one transaction; never overwrite a stored figure.

    A figure that contradicts one already stored is reported and left out; with
    dry_run the same report is made and everything rolled back.
    """
    report = ImportReport(plan=plan)
    if plan.already_imported:
        return report
    with transaction.atomic():
        report.source = Source.objects.create(
            title=(plan.result.get("title") or plan.name)[:500],
            file_name=Path(plan.name).name[:255],
            published=plan.result.get("published"),
            content_hash=plan.content_hash,
        )
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
    if planned.unit is None and planned.new_unit_name and report.plan.province:
        planned.unit = _create_unit(planned, report.plan.province)
    if planned.unit is None:
        report.skipped.append(_("%(figure)s: chưa xác định được đơn vị.") % {"figure": label})
        return
    try:
        with transaction.atomic():
            outcome = STORERS[planned.kind](planned, report.source)
    except Conflict as conflict:
        report.conflicts.append(f"{label}: {conflict}")
    except ValidationError as error:
        report.skipped.append(f"{label}: {' '.join(error.messages)}")
    else:
        getattr(report, outcome).append(label)


def _create_unit(planned, province):
    name = planned.new_unit_name
    code = f"{province.code}-{slugify(name).upper()}"[:40]
    unit, _created = Unit.objects.get_or_create(
        code=code, defaults={"name": name[:255], "kind": planned.unit_kind or UnitKind.OTHER, "parent": province}
    )
    return unit


def _level(year, code):
    regime = Regime.objects.for_year(year).first()
    level = regime.levels.filter(code=code).first() if regime else None
    if level is None:
        raise ValidationError(_("Mức %(code)s không thuộc thang xếp loại năm %(year)s.") % {"code": code, "year": year})
    return level


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


def _store_rating(planned, source):
    figure = planned.figure
    level = _level(planned.year, figure["level"])
    stage = figure.get("stage") or Stage.UNKNOWN
    stored = Rating.objects.filter(unit=planned.unit, year=planned.year, stage=stage).select_related("level").first()
    if stored:
        return _unchanged_or_conflict(stored.level_id == level.pk, stored.level.code, level.code)
    rating = Rating(unit=planned.unit, year=planned.year, stage=stage, level=level, source=source, evidence=figure.get("evidence", ""))
    rating.full_clean()
    rating.save()
    return "created"


def _store_vote(planned, source):
    figure = planned.figure
    level = _level(planned.year, figure["for_level"])
    stored = Vote.objects.filter(unit=planned.unit, year=planned.year, level=level).first()
    found = f"{figure['votes']}/{figure.get('present') or '?'}"
    if stored:
        same = (stored.votes_for, stored.present) == (figure["votes"], figure.get("present"))
        return _unchanged_or_conflict(same, f"{stored.votes_for}/{stored.present or '?'}", found)
    vote = Vote(
        unit=planned.unit, year=planned.year, level=level, votes_for=figure["votes"],
        present=figure.get("present"), source=source, evidence=figure.get("evidence", ""),
    )
    vote.full_clean()
    vote.save()
    return "created"


def _store_tally(planned, source):
    figure = planned.figure
    counts = {code: n for code, n in (figure.get("counts") or {}).items() if n is not None}
    percents = {code: p for code, p in (figure.get("percent") or {}).items() if p is not None}
    levels = {code: _level(planned.year, code) for code in {*counts, *percents}}
    key = {
        "parent": planned.unit, "year": planned.year, "stage": figure.get("stage") or Stage.UNKNOWN,
        "subject": figure.get("subject") or Subject.COLLECTIVE, "group": (figure.get("group") or "")[:300],
    }
    stored = Tally.objects.filter(**key).prefetch_related("counts__level").first()
    if stored:
        have = {c.level.code: c.count for c in stored.counts.all() if c.count is not None}
        return _unchanged_or_conflict(have == counts, have, counts)
    tally = Tally(**key, total=figure.get("total"), source=source, evidence=figure.get("evidence", ""))
    tally.full_clean()
    tally.save()
    save_tally_counts(
        tally=tally,
        figures={levels[code]: (counts.get(code), percents.get(code)) for code in levels},
    )
    return "created"


def _store_criterion(planned, source):
    figure = planned.figure
    stage = figure.get("stage") or Stage.SELF
    content = figure.get("content") or ""
    stored = CriterionGrade.objects.filter(unit=planned.unit, year=planned.year, stage=stage, content=content).first()
    if stored:
        return _unchanged_or_conflict(stored.grade == figure["grade"], stored.grade, figure["grade"])
    grade = CriterionGrade(
        unit=planned.unit, year=planned.year, stage=stage, content=content, grade=figure["grade"],
        position=planned.index + 1, source=source, evidence=figure.get("evidence", ""),
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


# Importing ratings from an Excel upload (the template of ratings/reports/template.py)

EXCEL_SHEET = gettext_lazy("Nhập liệu")
EXCEL_REPORT_SHEET = gettext_lazy("Chi tiết")  # the report's detail sheet reads back as an upload
EXCEL_MAX_BYTES = 5 * 1024 * 1024
EXCEL_MAX_ROWS = 20_000
EXCEL_HEADER_SEARCH = 20
# (key, header label, column width); the template writes these and the upload finds its columns by them.
EXCEL_COLUMNS = (
    ("unit_code", gettext_lazy("Mã đơn vị"), 22),
    ("unit_name", gettext_lazy("Tên đơn vị"), 48),
    ("kind", gettext_lazy("Loại đơn vị"), 22),
    ("parent", gettext_lazy("Cấp trên"), 36),
    ("year", gettext_lazy("Năm"), 8),
    ("stage", gettext_lazy("Bước"), 16),
    ("level", gettext_lazy("Mức xếp loại"), 34),
    ("votes_for", gettext_lazy("Số phiếu đồng ý"), 16),
    ("votes_present", gettext_lazy("Số người có mặt"), 16),
    ("note", gettext_lazy("Ghi chú"), 40),
)
EXCEL_REQUIRED = ("unit_code", "year", "level")
EXCEL_REFUSALS = {
    "not_xlsx": gettext_lazy(
        "Tệp không phải bảng tính Excel .xlsx (tệp .csv, .xls hay văn bản đổi đuôi đều không đọc được). "
        "Hãy tải mẫu nhập liệu, điền rồi tải lên lại."
    ),
    "empty": gettext_lazy("Bảng tính không có dữ liệu."),
    "no_header": gettext_lazy(
        "Không tìm thấy dòng tiêu đề có các cột «Mã đơn vị», «Năm» và «Mức xếp loại». Hãy dùng mẫu nhập liệu."
    ),
    "too_many_rows": gettext_lazy("Tệp có hơn %(max)s dòng; hãy chia thành nhiều tệp."),
    "has_errors": gettext_lazy("Tệp còn %(count)s dòng lỗi; chưa lưu kết quả nào. Sửa các dòng lỗi rồi tải lên lại."),
    "changed_meanwhile": gettext_lazy(
        "Dữ liệu đã thay đổi trong lúc nhập (có người vừa lưu cùng kết quả); chưa lưu gì. Hãy tải tệp lên lại."
    ),
}


class ExcelRefused(ImportRefused):
    """The upload cannot be imported as it is; nothing was saved."""


@dataclass
class ExcelRow:
    """One filled row of the upload: what it would store, or why it cannot."""

    number: int
    unit_code: str
    unit: Unit | None = None
    year: int | None = None
    stage: str = Stage.APPROVED
    level: Level | None = None
    votes_for: int | None = None
    votes_present: int | None = None
    note: str | None = ""
    existing: Rating | None = None
    old: tuple | None = None  # (level, votes_for, votes_present, note) as stored before this upload
    rating: Rating | None = None
    errors: list = field(default_factory=list)

    @property
    def status(self):
        if self.errors:
            return "error"
        if self.existing is None:
            return "new"
        return "changed" if self.old != self.values else "unchanged"

    @property
    def values(self):
        return (self.level, self.votes_for, self.votes_present, self.note)

    @property
    def old_level(self):
        return self.old[0] if self.old else None

    @property
    def stage_label(self):
        return Stage(self.stage).label if self.stage in Stage.values else self.stage


@dataclass
class ExcelPlan:
    """Every filled row of an upload with its status; apply_excel_ratings saves it only without errors."""

    name: str
    rows: list = field(default_factory=list)
    blank: int = 0

    def with_status(self, status):
        return [row for row in self.rows if row.status == status]

    @property
    def errors(self):
        return self.with_status("error")

    @property
    def counts(self):
        counts = dict.fromkeys(("new", "changed", "unchanged", "error"), 0)
        for row in self.rows:
            counts[row.status] += 1
        return counts


@dataclass
class ExcelReport:
    created: int
    updated: int
    unchanged: int


def plan_excel_ratings(*, file):
    """Read an uploaded workbook and say, row by row, what saving it would do; writes nothing.

    `file` is an uploaded file, a binary file object or a path. A file that is
    not a readable .xlsx with the template's header raises ExcelRefused.
    """
    name = Path(str(getattr(file, "name", file) or "")).name
    raw_rows = _excel_data_rows(_read_excel_upload(file))
    plan = ExcelPlan(name=name)
    filled = []
    for number, values in raw_rows:
        if _is_filled(values):
            filled.append((number, values))
        elif _text(values.get("unit_code")):
            plan.blank += 1
    units = Unit.objects.in_bulk({_text(v.get("unit_code")) for _n, v in filled} - {""}, field_name="code")
    years = {_whole_or_none(v.get("year")) for _n, v in filled}
    stored = {
        (r.unit_id, r.year, r.stage): r
        for r in Rating.objects.filter(unit__in=[u.pk for u in units.values()], year__in=years - {None}).select_related("level")
    }
    reader = _ExcelRowReader(units=units, stored=stored)
    plan.rows = [reader.read(number, values) for number, values in filled]
    return plan


def apply_excel_ratings(*, plan):
    """Save every new and changed row of the plan in one transaction; refuse a plan with any error."""
    if plan.errors:
        raise ExcelRefused(EXCEL_REFUSALS["has_errors"] % {"count": len(plan.errors)})
    created = [row.rating for row in plan.with_status("new")]
    updated = [row.rating for row in plan.with_status("changed")]
    try:
        with transaction.atomic():
            Rating.objects.bulk_create(created, batch_size=500)
            Rating.objects.bulk_update(
                updated, ["level", "regime", "votes_for", "votes_present", "note"], batch_size=500
            )
    except IntegrityError as error:
        raise ExcelRefused(EXCEL_REFUSALS["changed_meanwhile"]) from error
    return ExcelReport(created=len(created), updated=len(updated), unchanged=len(plan.with_status("unchanged")))


def _read_excel_upload(file):
    if isinstance(file, (str, Path)):
        with open(file, "rb") as handle:
            data = handle.read(EXCEL_MAX_BYTES + 1)
    else:
        if hasattr(file, "seek"):
            file.seek(0)
        data = file.read(EXCEL_MAX_BYTES + 1)
    if len(data) > EXCEL_MAX_BYTES:
        raise ExcelRefused(REFUSALS["too_large"])
    if not data:
        raise ExcelRefused(REFUSALS["empty"])
    if not data.startswith(b"PK\x03\x04"):  # every .xlsx is a zip archive
        raise ExcelRefused(EXCEL_REFUSALS["not_xlsx"])
    return data


def _excel_data_rows(data):
    """[(row number, {column key: value})] below the header row of the data sheet."""
    try:
        workbook = openpyxl.load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except Exception as error:  # a damaged or foreign zip must end in a message, never a server error
        raise ExcelRefused(EXCEL_REFUSALS["not_xlsx"]) from error
    try:
        return _rows_of(_data_sheet(workbook))
    except ExcelRefused:
        raise
    except Exception as error:
        raise ExcelRefused(EXCEL_REFUSALS["not_xlsx"]) from error
    finally:
        workbook.close()


def _data_sheet(workbook):
    names = {_header_key(name) for label in (EXCEL_SHEET, EXCEL_REPORT_SHEET) for name in _both_languages(label)}
    for sheet in workbook.worksheets:
        if _header_key(sheet.title) in names:
            return sheet
    return workbook.worksheets[0]


def _rows_of(sheet):
    columns, seen_any, result = None, False, []
    for number, values in enumerate(sheet.iter_rows(values_only=True), start=1):
        if columns is None:
            seen_any = seen_any or any(_text(v) for v in values)
            columns = _header_columns(values)
            if columns is None and number >= EXCEL_HEADER_SEARCH:
                break
            continue
        if not any(_text(v) for v in values):
            continue
        if len(result) >= EXCEL_MAX_ROWS:
            raise ExcelRefused(EXCEL_REFUSALS["too_many_rows"] % {"max": EXCEL_MAX_ROWS})
        result.append((number, {key: values[i] if i < len(values) else None for key, i in columns.items()}))
    if columns is None:
        raise ExcelRefused(EXCEL_REFUSALS["no_header" if seen_any else "empty"])
    return result


def _header_columns(values):
    """{column key: index} if these cells are the header row, else None."""
    labels = {}
    for key, label, _width in EXCEL_COLUMNS:
        for text in _both_languages(label):
            labels[_header_key(text)] = key
    columns = {}
    for index, value in enumerate(values):
        key = labels.get(_header_key(_text(value)))
        if key and key not in columns:
            columns[key] = index
    return columns if all(key in columns for key in EXCEL_REQUIRED) else None


def _both_languages(label):
    """The Vietnamese text and the active language's translation, since either may be in a file."""
    with translation.override("vi"):
        vietnamese = str(label)
    return {vietnamese, str(label)}


def _header_key(text):
    return " ".join(str(text).replace("*", " ").split()).casefold()


def _text(value):
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return str(value).strip()


def _whole(value):
    """An int from a cell, None for an empty one; ValueError for anything else."""
    if value is None or _text(value) == "":
        return None
    if isinstance(value, bool):
        raise ValueError(value)
    if isinstance(value, float):
        if not value.is_integer():
            raise ValueError(value)
        return int(value)
    if isinstance(value, int):
        return value
    text = _text(value)
    if not re.fullmatch(r"[+-]?\d+", text):
        raise ValueError(value)
    return int(text)


def _whole_or_none(value):
    try:
        return _whole(value)
    except ValueError:
        return None


def _is_filled(values):
    """A template row the user left without a level (nor votes, nor note) is not an entry."""
    return any(_text(values.get(key)) for key in ("level", "votes_for", "votes_present", "note"))


class _ExcelRowReader:
    """Turns one row's cells into an ExcelRow, with the lookups of the whole file cached."""

    def __init__(self, *, units, stored):
        self.units, self.stored = units, stored
        self.seen = {}
        self.scales = {}
        self.levels = {}
        self.stages = {}
        for stage in Stage:
            for text in {stage.value, *_both_languages(stage.label)}:
                self.stages[_header_key(text)] = stage.value

    def read(self, number, values):
        note = _text(values["note"]) if "note" in values else None  # no note column: keep the stored note
        row = ExcelRow(number=number, unit_code=_text(values.get("unit_code")), note=note)
        self._unit(row)
        self._year(row, values.get("year"))
        self._stage(row, values.get("stage"))
        self._level(row, values.get("level"))
        self._votes(row, values)
        self._duplicate(row)
        if not row.errors:
            self._check_with_model(row)
        return row

    def _unit(self, row):
        row.unit = self.units.get(row.unit_code)
        if not row.unit_code:
            row.errors.append(_("Thiếu mã đơn vị."))
        elif row.unit is None:
            row.errors.append(_("Không có đơn vị nào mã «%(code)s».") % {"code": row.unit_code})

    def _year(self, row, value):
        try:
            row.year = _whole(value)
        except ValueError:
            row.year = None
        if row.year is None:
            row.errors.append(_("Năm trống hoặc không phải là số: «%(value)s».") % {"value": _text(value)})

    def _stage(self, row, value):
        text = _text(value)
        if not text:
            return
        stage = self.stages.get(_header_key(text))
        if stage is None:
            labels = ", ".join(str(label) for label in Stage.labels)
            row.errors.append(_("Bước «%(stage)s» không có; chọn một trong: %(labels)s.") % {"stage": text, "labels": labels})
        else:
            row.stage = stage

    def _level(self, row, value):
        text = _text(value)
        if not text:
            row.errors.append(_("Chưa chọn mức xếp loại."))
            return
        if row.year is None:
            return
        code = self._scale(row.year).get(_header_key(text), text)
        if (row.year, code) not in self.levels:
            from .forms import resolve_level  # forms imports this module

            try:
                self.levels[row.year, code] = resolve_level(row.year, code)
            except ValidationError as error:
                self.levels[row.year, code] = error
        found = self.levels[row.year, code]
        if isinstance(found, ValidationError):
            row.errors.extend(found.messages)
        else:
            row.level = found

    def _scale(self, year):
        """{code, label or English label, folded: level code} of the year's scale."""
        if year not in self.scales:
            regime = Regime.objects.for_year(year).first()
            levels = regime.levels.all() if regime else []
            self.scales[year] = {
                _header_key(text): level.code
                for level in levels
                for text in (level.code, level.label, level.label_en)
                if text
            }
        return self.scales[year]

    def _votes(self, row, values):
        for key, label in (("votes_for", _("Số phiếu đồng ý")), ("votes_present", _("Số người có mặt"))):
            try:
                number = _whole(values.get(key))
            except ValueError:
                row.errors.append(
                    _("%(field)s phải là số nguyên: «%(value)s».") % {"field": label, "value": _text(values.get(key))}
                )
                continue
            if number is not None and number < 0:
                row.errors.append(_("%(field)s không thể âm (%(value)s).") % {"field": label, "value": number})
                continue
            setattr(row, key, number)

    def _duplicate(self, row):
        if row.unit is None or row.year is None:
            return
        key = (row.unit.pk, row.year, row.stage)
        if key in self.seen:
            row.errors.append(
                _("Trùng với dòng %(other)s: cùng đơn vị, năm và bước.") % {"other": self.seen[key]}
            )
        else:
            self.seen[key] = row.number

    def _check_with_model(self, row):
        """The model's own clean() decides the rest (unit existing that year, votes ≤ present).

        Uniqueness was checked over the whole file above and the database
        constraints still guard the save, so they are not queried row by row.
        """
        row.existing = self.stored.get((row.unit.pk, row.year, row.stage))
        if row.note is None:
            row.note = row.existing.note if row.existing else ""
        rating = row.existing or Rating(unit=row.unit, year=row.year, stage=row.stage)
        if row.existing:
            row.old = (rating.level, rating.votes_for, rating.votes_present, rating.note)
        rating.level, rating.votes_for, rating.votes_present, rating.note = row.values
        try:
            rating.full_clean(exclude=["unit", "level", "regime", "source"], validate_constraints=False)
        except ValidationError as error:
            row.errors.extend(error.messages)
        row.rating = rating


# Keeping an upload between the preview and the confirmation

EXCEL_UPLOAD_DIR = "excel-uploads"
EXCEL_UPLOAD_MAX_AGE = 24 * 3600
_TOKEN = re.compile(r"[A-Za-z0-9_-]{20,64}")


def _upload_dir():
    return Path(settings.VAR_DIR) / EXCEL_UPLOAD_DIR


def stash_excel_upload(*, file):
    """Keep an upload for its confirmation; returns the random token that names it.

    The file goes under VAR_DIR, which is never served, named only by the token
    (never by anything the user sent), and uploads older than a day are removed.
    """
    folder = _upload_dir()
    folder.mkdir(parents=True, exist_ok=True)
    for old in folder.glob("*.xlsx"):
        if old.stat().st_mtime < time.time() - EXCEL_UPLOAD_MAX_AGE:
            old.unlink(missing_ok=True)
    token = secrets.token_urlsafe(24)
    file.seek(0)
    (folder / f"{token}.xlsx").write_bytes(file.read(EXCEL_MAX_BYTES + 1))
    return token


def stashed_excel_upload(token):
    """The path of a kept upload, or None for an unknown, expired or malformed token."""
    if not isinstance(token, str) or not _TOKEN.fullmatch(token):
        return None
    path = _upload_dir() / f"{token}.xlsx"
    return path if path.is_file() else None


def discard_excel_upload(token):
    path = stashed_excel_upload(token)
    if path:
        path.unlink(missing_ok=True)
