"""Importing ratings from an Excel upload (the template of ratings/reports/template.py), all or nothing."""
import re
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from functools import cached_property
from pathlib import Path

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from simple_history.utils import bulk_create_with_history, bulk_update_with_history

from .. import quota, sheets
from ..models import (
    SCORECARD_FIELDS,
    DataVersion,
    Level,
    Rating,
    Regime,
    Stage,
    Unit,
)
from .articles import ImportRefused

EXCEL_SHEET = gettext_lazy("Nhập liệu")
EXCEL_REPORT_SHEET = gettext_lazy("Chi tiết")  # the report's detail sheet reads back as an upload
EXCEL_MAX_BYTES = 5 * 1024 * 1024
EXCEL_MAX_ROWS = 20_000
EXCEL_HEADER_SEARCH = 20
# An upload larger than this is previewed and saved as a background job: about 2,000 rows, a few seconds' work.
EXCEL_JOB_BYTES = 200 * 1024
PROGRESS_EVERY = 250
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
    # The Quy định 366-QĐ/TW scorecard: optional and last, and a column left out of the file keeps what is stored.
    ("score", gettext_lazy("Điểm"), 9),
    ("tasks_assigned", gettext_lazy("Số nhiệm vụ được giao"), 13),
    ("tasks_on_time", gettext_lazy("Hoàn thành đúng hạn"), 13),
    ("tasks_exceeded", gettext_lazy("Hoàn thành vượt yêu cầu"), 13),
    ("tasks_late", gettext_lazy("Hoàn thành chậm"), 13),
    ("tasks_not_done", gettext_lazy("Không hoàn thành"), 13),
    ("disciplined", gettext_lazy("Có kỷ luật trong năm"), 13),
)
# "Có kỷ luật trong năm" as people fill it: a word, a mark, or a checkbox's TRUE/FALSE.
YES_WORDS = {"có", "co", "x", "yes", "y", "true", "1"}
NO_WORDS = {"không", "khong", "no", "n", "false", "0"}
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
    "changed_since_preview": gettext_lazy(
        "Kết quả ở dòng %(rows)s đã có người sửa, thêm hoặc xóa sau khi bạn xem trước; chưa lưu gì. "
        "Hãy tải tệp lên lại để xem trước theo dữ liệu mới."
    ),
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
    card: dict = field(default_factory=dict)  # {scorecard field: value} the row writes
    existing: Rating | None = None
    old: tuple | None = None  # stored_values() of the rating before this upload
    rating: Rating | None = None
    errors: list = field(default_factory=list)
    # A stored rating this row would change, left as it is unless the user chose to replace it.
    keep_stored: bool = False

    @property
    def status(self):
        if self.errors:
            return "error"
        if self.existing is None:
            return "new"
        if self.old == self.values:
            return "unchanged"
        return "kept" if self.keep_stored else "changed"

    @property
    def values(self):
        return (self.level, self.votes_for, self.votes_present, self.note, *(self.card.get(name) for name in SCORECARD_FIELDS))

    @cached_property
    def warning(self):
        """The scorecard's unmet condition for the level of this row, if any (a warning, never a refusal)."""
        return self.rating.scorecard_warning() if self.rating is not None and not self.errors else None

    @property
    def key(self):
        """unit:year:stage, as the preview's snapshot names the rating this row writes."""
        return f"{self.unit.pk}:{self.year}:{self.stage}"

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

    def snapshot(self):
        """{row key: version of the stored rating, None where there is none}: what the preview was based on."""
        return {row.key: row.existing.version if row.existing else None for row in self.rows if not row.errors}

    @cached_property
    def quota_breaches(self):
        """The peer groups saving this upload would put over the quota (a warning, never a refusal)."""
        return quota.planned_breaches(self.rows)

    @property
    def warnings(self):
        return [row for row in self.rows if row.warning]

    @property
    def counts(self):
        counts = dict.fromkeys(("new", "changed", "unchanged", "error"), 0)
        for row in self.rows:
            counts[row.status] = counts.get(row.status, 0) + 1  # "kept" only where a plan keeps stored ratings
        return counts


def stored_values(rating):
    """What a row compares with the stored rating to say whether it changes it (ExcelRow.values)."""
    return (rating.level, rating.votes_for, rating.votes_present, rating.note, *(getattr(rating, name) for name in SCORECARD_FIELDS))


@dataclass
class ExcelReport:
    created: int
    updated: int
    unchanged: int
    kept: int = 0  # stored ratings that differ from the file, left as they were


def plan_excel_ratings(*, file, user=None, progress=None):
    """Read an uploaded workbook and say, row by row, what saving it would do; writes nothing.

    `file` is an uploaded file, a binary file object or a path. A file that is
    not a readable .xlsx with the template's header raises ExcelRefused.
    `progress(done, total)`, when given, hears how many filled rows have been checked.
    """
    name = Path(str(getattr(file, "name", file) or "")).name
    raw_rows = _excel_data_rows(file)
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
    allowed = None
    if user is not None:
        allowed = set(Unit.objects.editable_by(user).filter(pk__in=[u.pk for u in units.values()]).values_list("pk", flat=True))
    reader = _ExcelRowReader(units=units, stored=stored, allowed=allowed)
    for done, (number, values) in enumerate(filled, 1):
        plan.rows.append(reader.read(number, values))
        if progress is not None and (done % PROGRESS_EVERY == 0 or done == len(filled)):
            progress(done, len(filled))
    return plan


def plan_summary(plan, *, shown=200):
    """What a preview shows, as plain data a background job can keep: counts, the rows in error and the
    changed ones (the first `shown` of each), the warnings, and the snapshot a confirmation compares."""
    def row_data(row):
        return {
            "number": row.number, "unit_code": row.unit_code, "unit": str(row.unit or row.unit_code),
            "year": row.year, "stage": str(row.stage_label), "errors": [str(e) for e in row.errors],
            "old_level": str(row.old_level or ""), "level": str(row.level or ""), "warning": str(row.warning or ""),
        }
    changed = plan.with_status("changed")
    return {
        "name": plan.name, "counts": plan.counts, "blank": plan.blank,
        "errors": [row_data(row) for row in plan.errors[:shown]],
        "changed": [row_data(row) for row in changed[:shown]], "changed_more": max(len(changed) - shown, 0),
        "warnings": [row_data(row) for row in plan.warnings[:shown]],
        "quota": [str(finding.message) for finding in plan.quota_breaches],
        "snapshot": plan.snapshot(),
    }


def apply_excel_ratings(*, plan, seen=None):
    """Save every new and changed row of the plan in one transaction; refuse a plan with any error.

    `seen` is the snapshot the user's preview showed (ExcelPlan.snapshot). The ratings are locked and
    their versions compared with it, so a rating someone saved, added or deleted after the preview
    refuses the whole upload rather than being overwritten unseen.
    """
    if plan.errors:
        raise ExcelRefused(EXCEL_REFUSALS["has_errors"] % {"count": len(plan.errors)})
    created = [row.rating for row in plan.with_status("new")]
    updated = [row.rating for row in plan.with_status("changed")]
    expected = plan.snapshot() if seen is None else seen
    try:
        with transaction.atomic():
            if created or updated:
                DataVersion.bump()  # first, as every writer does (models.count_a_change); bulk writes send no signals
            moved = _moved_since(plan, expected)
            if moved:
                rows = ", ".join(str(number) for number in moved[:10]) + (" …" if len(moved) > 10 else "")
                raise ExcelRefused(EXCEL_REFUSALS["changed_since_preview"] % {"rows": rows})
            # The history rows go in as one more bulk insert: the audit trail sees the upload
            # (user from the request) and a form opened before it is refused (version moves on).
            bulk_create_with_history(created, Rating, batch_size=500)
            bulk_update_with_history(
                updated, Rating, ["level", "regime", "votes_for", "votes_present", "note", *SCORECARD_FIELDS], batch_size=500
            )
            Rating.objects.filter(pk__in=[rating.pk for rating in updated]).update(version=F("version") + 1)
    except IntegrityError as error:
        raise ExcelRefused(EXCEL_REFUSALS["changed_meanwhile"]) from error
    return ExcelReport(
        created=len(created),
        updated=len(updated),
        unchanged=len(plan.with_status("unchanged")),
        kept=len(plan.with_status("kept")),
    )


def _moved_since(plan, expected):
    """Row numbers whose rating, locked now, is not the version `expected` holds for it."""
    keys = {row.key: row for row in plan.rows}
    units = {row.unit.pk for row in keys.values()}
    years = {row.year for row in keys.values()}
    current = {
        f"{unit}:{year}:{stage}": version
        for unit, year, stage, version in Rating.objects.select_for_update()
        .filter(unit__in=units, year__in=years)
        .values_list("unit", "year", "stage", "version")
    }
    return [row.number for key, row in keys.items() if expected.get(key, "absent") != current.get(key)]


def _excel_data_rows(file):
    """[(row number, {column key: value})] below the header row of the data sheet, read through ratings.sheets."""
    limits = sheets.Limits(max_file_bytes=EXCEL_MAX_BYTES, max_rows=EXCEL_MAX_ROWS + EXCEL_HEADER_SEARCH)
    try:
        with sheets.open_workbook(file, limits=limits) as workbook:
            return _rows_of(workbook.rows(_data_sheet(workbook.sheet_names)))
    except sheets.SheetRefused as error:
        # The template's own hint for anything that is not an .xlsx; the reader's words for the rest.
        raise ExcelRefused(EXCEL_REFUSALS["not_xlsx"] if error.code == "not_xlsx" else str(error)) from error


def _data_sheet(names):
    """The index of the template's or the report's detail sheet, found by name, else of the first sheet."""
    wanted = {_header_key(name) for label in (EXCEL_SHEET, EXCEL_REPORT_SHEET) for name in _both_languages(label)}
    for index, name in enumerate(names):
        if _header_key(name) in wanted:
            return index
    if not names:
        raise ExcelRefused(EXCEL_REFUSALS["not_xlsx"])
    return 0


def _rows_of(rows):
    columns, seen_any, result = None, False, []
    for number, values in rows:
        if columns is None:
            if number > EXCEL_HEADER_SEARCH:
                break
            seen_any = seen_any or any(_text(v) for v in values)
            columns = _header_columns(values)
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
    return any(_text(values.get(key)) for key in ("level", "votes_for", "votes_present", "note", *SCORECARD_FIELDS))


class _ExcelRowReader:
    """Turns one row's cells into an ExcelRow, with the lookups of the whole file cached."""

    def __init__(self, *, units, stored, allowed=None):
        self.units, self.stored, self.allowed = units, stored, allowed
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
        self._scorecard(row, values)
        self._duplicate(row)
        if not row.errors:
            self._check_with_model(row)
        return row

    def _unit(self, row):
        row.unit = self.units.get(row.unit_code)
        if row.unit is not None and self.allowed is not None and row.unit.pk not in self.allowed:
            row.errors.append(_("Đơn vị «%(code)s» ngoài phạm vi được giao.") % {"code": row.unit_code})
            row.unit = None
            return
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
            try:
                self.levels[row.year, code] = Level.objects.in_scale_of(row.year, code)
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

    def _scorecard(self, row, values):
        """The card's cells present in the file: a score (87,5 or 87.5), whole task counts, yes or no."""
        labels = {key: label for key, label, _width in EXCEL_COLUMNS}
        for name in SCORECARD_FIELDS:
            if name not in values:
                continue
            text = _text(values[name])
            try:
                row.card[name] = _card_value(name, values[name])
            except ValueError:
                row.errors.append(_card_error(name, labels[name], text))

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
            row.old = stored_values(rating)
        for name in SCORECARD_FIELDS:
            row.card.setdefault(name, getattr(rating, name))  # a column left out keeps what is stored
        rating.level, rating.votes_for, rating.votes_present, rating.note = row.values[:4]
        for name, value in row.card.items():
            setattr(rating, name, value)
        try:
            rating.full_clean(exclude=["unit", "level", "regime", "source"], validate_constraints=False)
        except ValidationError as error:
            row.errors.extend(error.messages)
        row.rating = rating


def _card_value(name, value):
    """A scorecard cell as the model holds it; None for an empty one, ValueError for anything else."""
    text = _text(value)
    if text == "":
        return None
    if name == "disciplined":
        word = text.casefold()
        if word in YES_WORDS:
            return True
        if word in NO_WORDS:
            return False
        raise ValueError(value)
    if name == "score":
        if isinstance(value, bool):
            raise ValueError(value)
        try:
            number = Decimal(text.replace(",", ".")) if not isinstance(value, (int, float)) else Decimal(str(value))
        except InvalidOperation as error:
            raise ValueError(value) from error
        if not number.is_finite() or number < 0 or number != round(number, 2):
            raise ValueError(value)
        return number
    number = _whole(value)
    if number < 0:
        raise ValueError(value)
    return number


def _card_error(name, label, text):
    if name == "disciplined":
        return _("%(field)s phải là «có» hoặc «không»: «%(value)s».") % {"field": label, "value": text}
    if name == "score":
        return _("%(field)s phải là số từ 0, tối đa hai chữ số thập phân: «%(value)s».") % {"field": label, "value": text}
    return _("%(field)s phải là số nguyên không âm: «%(value)s».") % {"field": label, "value": text}
