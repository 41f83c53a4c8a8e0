"""Past years' ratings from a department's own sheet: one row per unit, one column per year.

The sheet is read as it is kept (title rows, an STT column, levels spelt as people spell them),
reshaped into one row per unit and year, and turned into an ExcelPlan, so it is checked against
what is stored and saved by apply_excel_ratings like every other spreadsheet. Units are found by
code where the sheet has a code column, else by name within the scope; a name that matches no
unit or several is an error the user resolves by picking the unit (`picks`).
"""
import difflib
from dataclasses import dataclass, field

import pandas as pd
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from .. import spellings
from ..frames import TableRefused, cell_text, header_key, read_table
from ..models import SCORECARD_FIELDS, Rating, Regime, Stage, Unit
from .articles import ImportRefused
from .excel import ExcelPlan, ExcelRow, stored_values

HISTORY_MAX_ROWS = 20_000
HISTORY_MAX_BYTES = 10 * 1024 * 1024
CODE_HEADERS = {"mã", "mã đơn vị", "mã số", "mã tổ chức đảng"}
NAME_HEADERS = {
    "tên", "tên đơn vị", "đơn vị", "tổ chức đảng", "tên tổ chức đảng", "tổ chức cơ sở đảng",
    "tên tổ chức cơ sở đảng", "chi bộ", "tên chi bộ",
}
ALL_CANDIDATES = 200  # a scope this small offers every unit for a name that matched none
CLOSE_CANDIDATES = 10
MAX_PICKS = 50  # rows whose unit a preview asks for at once
HISTORY_REFUSALS = {
    "no_scope": gettext_lazy("Không có đơn vị nào mã «%(code)s»."),
    "outside": gettext_lazy("Đơn vị «%(code)s» ngoài phạm vi được giao."),
    "same_year": gettext_lazy("Hai cột «%(first)s» và «%(second)s» cùng là năm %(year)s; hãy bỏ bớt một cột."),
}


class HistoryRefused(ImportRefused):
    """The sheet or the scope cannot be imported at all; nothing was saved."""


@dataclass(eq=False)
class HistoryRow(ExcelRow):
    """One unit's rating of one year as the sheet gives it, or a sheet row whose unit is not found."""

    name: str = ""
    column: str = ""
    text: str = ""
    candidates: list = field(default_factory=list)


@dataclass
class HistoryPlan(ExcelPlan):
    scope: Unit | None = None
    stage: str = Stage.APPROVED
    years: list = field(default_factory=list)
    header_row: int = 0

    @property
    def unresolved(self):
        """The sheet rows whose unit the user must pick, one each."""
        return [row for row in self.rows if row.year is None and row.errors and row.candidates is not None]

    def by_year(self):
        """[(year, {status: count})] for the preview's summary."""
        counts = {year: dict.fromkeys(("new", "changed", "kept", "unchanged", "error"), 0) for year in self.years}
        for row in self.rows:
            if row.year in counts:
                counts[row.year][row.status] += 1
        return list(counts.items())

    @property
    def other_errors(self):
        """The errors the user cannot resolve by picking a unit: they need the file corrected."""
        picked = set(map(id, self.unresolved))
        return [row for row in self.errors if id(row) not in picked]

    @property
    def new_rows(self):
        return self.with_status("new")

    @property
    def differing(self):
        """Stored ratings the file would change: replaced ("changed") or kept as they are ("kept")."""
        return [row for row in self.rows if row.status in ("changed", "kept")]

    @property
    def unresolved_count(self):
        return len(self.unresolved)

    @property
    def other_errors_count(self):
        return len(self.other_errors)

    @property
    def differing_count(self):
        return len(self.differing)


def history_plan_summary(plan):
    """What the preview shows, as plain data a background job can keep (the lists cut to what the page
    shows, with their lengths), and the snapshot the confirmation compares."""
    def unit_data(unit):
        return {"pk": unit.pk, "name": unit.name, "code": unit.code, "parent": {"name": unit.parent.name} if unit.parent_id else None}

    def row_data(row):
        return {
            "number": row.number, "key": row.key if row.unit is not None else "", "unit": str(row.unit or row.unit_code),
            "year": row.year,
            "text": row.text, "level": str(row.level or ""), "old_level": str(row.old_level or ""),
            "errors": [str(error) for error in row.errors],
            "candidates": [unit_data(unit) for unit in row.candidates or []],
        }
    return {
        "name": plan.name, "scope": str(plan.scope), "stage": plan.stage, "counts": plan.counts,
        "by_year": plan.by_year(), "errors": len(plan.errors), "snapshot": plan.snapshot(),
        "unresolved": [row_data(row) for row in plan.unresolved[:50]], "unresolved_count": plan.unresolved_count,
        "other_errors": [row_data(row) for row in plan.other_errors[:200]], "other_errors_count": plan.other_errors_count,
        "differing": [row_data(row) for row in plan.differing[:200]], "differing_count": plan.differing_count,
        "new_rows": [row_data(row) for row in plan.new_rows[:100]],
    }


def plan_history(*, file, scope, stage=Stage.APPROVED, user=None, picks=None, replace=(), name=None):
    """Read a sheet of past years and say, per unit and year, what saving it would do; writes nothing.

    `scope` is the code of the unit whose subtree the sheet covers; a `user` must be allowed to edit
    it. `picks` maps a sheet row to the id of the unit the user chose for it. A stored rating that the
    file changes is kept unless its key (ExcelRow.key) is in `replace`, or `replace` is True.
    Raises HistoryRefused for a file or a scope that cannot be read at all.
    """
    scope_unit = scope_for(scope, user)
    header = _Header()
    try:
        table = read_table(
            file,
            is_header=header,
            required_columns=[_("«Mã đơn vị» hoặc «Tên đơn vị»"), _("các năm («2019», «Năm 2019», «XL 2019»…)")],
            max_rows=HISTORY_MAX_ROWS,
            max_bytes=HISTORY_MAX_BYTES,
            name=name,
        )
    except TableRefused as error:
        raise HistoryRefused(str(error)) from error
    table.frame = table.frame.rename(columns=header.names_above(table.frame.columns))
    code_column, name_column, year_columns = _columns(table)
    plan = HistoryPlan(
        name=table.name, scope=scope_unit, stage=stage, years=sorted(year_columns.values()), header_row=table.header_row
    )
    cells = _cells(table.frame, year_columns)
    if cells.empty:
        return plan
    identity = _identity(table.frame, code_column, name_column, cells["row"].unique())
    units = _units_of(scope_unit)
    matches, row_errors = _match(identity, units, picks or {}, scope_unit)
    plan.rows = _rows(cells, identity, matches, row_errors, units, stage=stage, replace=replace)
    plan.rows.sort(key=lambda row: (row.number, row.year or 0))
    return plan


def scope_for(code, user):
    """The unit of the scope code, refused (HistoryRefused) when unknown or outside what `user` may edit."""
    scope = Unit.objects.filter(code=str(code or "").strip()).first()
    if scope is None:
        raise HistoryRefused(HISTORY_REFUSALS["no_scope"] % {"code": code})
    if user is not None and not Unit.objects.editable_by(user).filter(pk=scope.pk).exists():
        raise HistoryRefused(HISTORY_REFUSALS["outside"] % {"code": code})
    return scope


class _Header:
    """Finds the header row: one naming the units (by code or name) and the years.

    Sheets often split it in two: "STT | Tên đơn vị | Kết quả xếp loại" over merged cells, and the
    years in the row below. Then the row of years is the header and the row above names its other columns.
    """

    def __init__(self):
        self.above = []

    def __call__(self, texts):
        names_units = _names_units(texts)
        has_years = any(spellings.year_of_header(text) for text in texts)
        if has_years and (names_units or _names_units(self.above)):
            self.above = self.above if not names_units else []
            return True
        self.above = texts
        return False

    def names_above(self, columns):
        """{"cột N": the text above it} for the header's blank cells under a two-row header."""
        return {
            column: self.above[index]
            for index, column in enumerate(columns)
            if column == f"cột {index + 1}" and index < len(self.above) and self.above[index]
        }


def _names_units(texts):
    return any(header_key(text) in CODE_HEADERS | NAME_HEADERS for text in texts)


def _columns(table):
    """(code column or None, name column or None, {column: year})."""
    columns = list(table.frame.columns)
    code_column = next((c for c in columns if header_key(c) in CODE_HEADERS), None)
    name_column = next((c for c in columns if header_key(c) in NAME_HEADERS), None)
    year_columns = _year_columns({column: column for column in columns})
    seen = {}
    for column, year in year_columns.items():
        if year in seen:
            raise HistoryRefused(HISTORY_REFUSALS["same_year"] % {"first": seen[year], "second": column, "year": year})
        seen[year] = column
    return code_column, name_column, year_columns


def _year_columns(headers):
    found = {column: spellings.year_of_header(text) for column, text in headers.items()}
    return {column: year for column, year in found.items() if year}


def _cells(frame, year_columns):
    """One row per sheet row and year that holds something: row, column, year, text, level code (None: unreadable)."""
    long = (
        frame[list(year_columns)]
        .rename_axis("row")
        .reset_index()
        .melt(id_vars="row", var_name="column", value_name="value")
    )
    long["text"] = long["value"].map(cell_text)
    long["year"] = long["column"].map(year_columns)
    readings = {text: _reading(text) for text in long["text"].unique()}
    long["level"] = long["text"].map(lambda text: readings[text][0])
    long["readable"] = long["text"].map(lambda text: readings[text][1])
    # A blank, "-" or "x" is no rating: dropped here, before any unit is looked for.
    return long[long["readable"].eq(False) | long["level"].notna()].drop(columns="value")


def _reading(text):
    try:
        return spellings.read_level(text), True
    except spellings.UnreadableLevel:
        return None, False


def _identity(frame, code_column, name_column, rows):
    """Per sheet row that holds a rating: its code and name as written, and the name's keys."""
    frame = frame.loc[rows]
    identity = pd.DataFrame(index=frame.index)
    identity["code"] = frame[code_column].map(cell_text) if code_column else ""
    identity["name"] = frame[name_column].map(cell_text) if name_column else ""
    identity["key"] = identity["name"].map(spellings.name_key)
    identity["loose"] = identity["name"].map(spellings.loose_name_key)
    return identity


@dataclass
class _Units:
    """The scope's units, as objects for the plan and as a frame for the joins."""

    by_pk: dict
    frame: pd.DataFrame


def _units_of(scope):
    units = list(
        Unit.objects.within(scope)
        .select_related("parent")
        .only("pk", "code", "name", "kind", "path", "valid_from", "valid_to", "parent__name", "parent__code")
    )
    frame = pd.DataFrame.from_records(
        [(u.pk, u.code, spellings.name_key(u.name), u.valid_from, u.valid_to) for u in units],
        columns=["unit", "unit_code", "key", "valid_from", "valid_to"],
    )
    frame["loose"] = frame["key"].map(spellings.fold)
    frame[["valid_from", "valid_to"]] = frame[["valid_from", "valid_to"]].astype(float)
    return _Units(by_pk={u.pk: u for u in units}, frame=frame)


def _match(identity, units, picks, scope):
    """(row → unit candidates frame [row, unit, valid_from, valid_to], {row: (errors, candidates)})."""
    frame = units.frame
    row_errors = {}
    picked = {int(row): int(pk) for row, pk in picks.items() if int(row) in identity.index}
    by_code = identity[(identity["code"] != "") & ~identity.index.isin(list(picked))]
    by_name = identity[(identity["code"] == "") & ~identity.index.isin(list(picked))]
    parts = []

    found = by_code.reset_index().merge(frame, left_on="code", right_on="unit_code")
    parts.append(found)
    missing = by_code.index.difference(found["row"])
    elsewhere = set(Unit.objects.filter(code__in=list(by_code.loc[missing, "code"])).values_list("code", flat=True))
    for row in missing:
        code = by_code.at[row, "code"]
        if code in elsewhere:
            message = _("Dòng %(row)s: đơn vị mã «%(code)s» không thuộc %(scope)s.")
        else:
            message = _("Dòng %(row)s: không có đơn vị nào mã «%(code)s».")
        row_errors[row] = ([message % {"row": row, "code": code, "scope": scope}], None)

    named = by_name.reset_index().merge(frame.drop(columns="loose"), on="key")
    loose = by_name[~by_name.index.isin(named["row"]) & (by_name["loose"] != "")]
    named_loosely = loose.reset_index().merge(frame.drop(columns="key"), on="loose")
    parts += [named, named_loosely]
    for row in by_name.index.difference(named["row"]).difference(named_loosely["row"]):
        text = by_name.at[row, "name"]
        if not text:
            row_errors[row] = ([_("Dòng %(row)s: thiếu tên đơn vị.") % {"row": row}], None)
        else:
            message = _("Dòng %(row)s: không tìm thấy đơn vị «%(name)s» trong %(scope)s; hãy chọn đơn vị.") % {
                "row": row, "name": text, "scope": scope,
            }
            # Candidates only for the rows a preview shows at once: a sheet of the wrong scope has thousands.
            shown = sum(1 for _errors, candidates in row_errors.values() if candidates) < MAX_PICKS
            row_errors[row] = ([message], _candidates_for(by_name.at[row, "key"], units) if shown else [])

    for row, pk in picked.items():
        if pk not in units.by_pk:
            row_errors[row] = ([_("Dòng %(row)s: đơn vị đã chọn không thuộc %(scope)s.") % {"row": row, "scope": scope}], [])
    chosen = [(row, pk) for row, pk in picked.items() if pk in units.by_pk]
    parts.append(pd.DataFrame(chosen, columns=["row", "unit"]).merge(frame, on="unit"))
    matches = pd.concat([part[["row", "unit", "valid_from", "valid_to"]] for part in parts], ignore_index=True)
    return matches, row_errors


def _candidates_for(key, units):
    """The units a user may pick for a name that matched none: the closest names first."""
    keys = units.frame["key"].tolist()
    close = difflib.get_close_matches(key, keys, n=CLOSE_CANDIDATES, cutoff=0.5)
    rank = {key: index for index, key in enumerate(close)}
    nearest = units.frame[units.frame["key"].isin(close)]
    chosen = nearest.assign(rank=nearest["key"].map(rank)).sort_values("rank")["unit"].tolist()
    if len(units.by_pk) <= ALL_CANDIDATES:
        chosen += [pk for pk in units.by_pk if pk not in chosen]
    return [units.by_pk[pk] for pk in chosen]


def _rows(cells, identity, matches, row_errors, units, *, stage, replace):
    """HistoryRows for every cell: errors first by sheet row, then per cell; the rest checked against the stored."""
    cells = cells.merge(identity[["code", "name"]], left_on="row", right_index=True)
    rows = []
    for row, (errors, candidates) in row_errors.items():
        rows.append(_error_row(row, identity, errors, candidates=candidates))
    cells = cells[~cells["row"].isin(list(row_errors))]

    joined = cells.merge(matches, on="row", how="left")
    exists = (joined["valid_from"].isna() | (joined["valid_from"] <= joined["year"])) & (
        joined["valid_to"].isna() | (joined["valid_to"] >= joined["year"])
    )
    joined = joined[joined["unit"].isna() | exists]
    per_cell = joined.groupby(["row", "year"])["unit"].nunique()
    ambiguous_rows = per_cell[per_cell > 1].index.get_level_values("row").unique()
    for row in ambiguous_rows:
        candidates = [units.by_pk[pk] for pk in matches.loc[matches["row"] == row, "unit"].unique()]
        years = sorted(per_cell.loc[row][per_cell.loc[row] > 1].index)
        message = _("Dòng %(row)s: tên «%(name)s» ứng với %(count)s đơn vị trong năm %(years)s; hãy chọn đơn vị.") % {
            "row": row, "name": identity.at[row, "name"], "count": len(candidates), "years": ", ".join(map(str, years)),
        }
        rows.append(_error_row(row, identity, [message], candidates=candidates))
    joined = joined[~joined["row"].isin(ambiguous_rows)]
    resolved = cells[~cells["row"].isin(ambiguous_rows)].merge(
        joined.dropna(subset=["unit"])[["row", "year", "unit"]].drop_duplicates(), on=["row", "year"], how="left"
    )
    # Two sheet rows for one unit (a name written twice, or a pick of a unit another row names): one error for the later row.
    found = resolved.dropna(subset=["unit"]).sort_values(["row", "year"])
    twice = found[found.duplicated(["unit", "year"])].drop_duplicates("row")
    first = found.drop_duplicates(["unit", "year"]).set_index(["unit", "year"])["row"]
    for cell in twice.itertuples(index=False):
        message = _("Dòng %(row)s trùng với dòng %(other)s: cùng đơn vị «%(unit)s».") % {
            "row": cell.row, "other": first[cell.unit, cell.year], "unit": units.by_pk[int(cell.unit)],
        }
        key = identity.at[cell.row, "key"]
        rows.append(_error_row(cell.row, identity, [message], candidates=_candidates_for(key, units) if key else None))
    rows += _cell_rows(resolved[~resolved["row"].isin(twice["row"])], units, stage=stage, replace=replace)
    return rows


def _error_row(row, identity, errors, *, candidates):
    return HistoryRow(
        number=int(row), unit_code=identity.at[row, "code"], name=identity.at[row, "name"],
        errors=list(errors), candidates=candidates,
    )


def _cell_rows(cells, units, *, stage, replace):
    levels, regimes = _scales(cells["year"].unique())
    unit_pks = [int(pk) for pk in cells["unit"].dropna().unique()]
    stored = {
        (rating.unit_id, rating.year): rating
        for rating in Rating.objects.filter(unit__in=unit_pks, year__in=[int(y) for y in cells["year"].unique()], stage=stage)
        .select_related("level")
    }
    rows = []
    for cell in cells.sort_values(["row", "year"]).itertuples(index=False):
        year, number = int(cell.year), int(cell.row)
        unit = units.by_pk.get(int(cell.unit)) if pd.notna(cell.unit) else None
        row = HistoryRow(
            number=number, unit_code=unit.code if unit else cell.code, unit=unit, year=year, stage=stage,
            name=cell.name, column=str(cell.column), text=cell.text, candidates=None,
        )
        rows.append(row)
        if not cell.readable:
            row.errors.append(
                _("Dòng %(row)s, cột «%(column)s»: không đọc được mức «%(text)s».")
                % {"row": number, "column": cell.column, "text": cell.text}
            )
            continue
        if unit is None:
            row.errors.append(
                _("Dòng %(row)s: đơn vị «%(name)s» không tồn tại trong năm %(year)s.")
                % {"row": number, "name": cell.name or cell.code, "year": year}
            )
            continue
        level = levels.get((year, cell.level))
        if level is None:
            row.errors.append(_level_error(number, year, cell.text, regimes.get(year)))
            continue
        row.level = level
        _against_stored(row, stored.get((unit.pk, year)), replace)
    return rows


def _scales(years):
    """({(year, code): Level}, {year: Regime}) for the years of the sheet, in two queries."""
    regimes = list(Regime.objects.prefetch_related("levels"))
    levels, covering = {}, {}
    for year in map(int, years):
        regime = next(
            (r for r in regimes if r.first_year <= year and (r.last_year is None or year <= r.last_year)), None
        )
        covering[year] = regime
        for level in regime.levels.all() if regime else ():
            levels[year, level.code] = level
    return levels, covering


def _level_error(number, year, text, regime):
    if regime is None:
        return _("Dòng %(row)s, năm %(year)s: không có quy định xếp loại nào áp dụng cho năm này.") % {
            "row": number, "year": year,
        }
    return _(
        "Dòng %(row)s, năm %(year)s: mức «%(text)s» không thuộc thang xếp loại năm %(year)s theo %(regime)s (gồm: %(labels)s)."
    ) % {
        "row": number, "year": year, "text": text, "regime": regime.name,
        "labels": ", ".join(level.code for level in regime.levels.all()),
    }


def _against_stored(row, existing, replace):
    """Set what saving the row would write: a new rating, or the stored one with only its level changed."""
    row.existing = existing
    if existing is None:
        row.note = ""
        # By ids: setting related objects costs more than the rest of the plan for 15,000 ratings.
        row.rating = Rating(
            unit_id=row.unit.pk, year=row.year, stage=row.stage, level_id=row.level.pk, regime_id=row.level.regime_id
        )
        return
    row.old = stored_values(existing)
    row.votes_for, row.votes_present, row.note = existing.votes_for, existing.votes_present, existing.note
    row.card = {name: getattr(existing, name) for name in SCORECARD_FIELDS}
    row.keep_stored = not (replace is True or row.key in replace)
    if row.status == "changed":
        existing.level, existing.regime_id = row.level, row.level.regime_id
    row.rating = existing


# Level spellings by scale, as the generated sheet writes them; weights follow a typical year.
_SAMPLE_OLD = (("TSVMTB", "TSVM tiêu biểu", 1), ("TSVM", "Trong sạch, vững mạnh", 5), ("TSVM", "TSVM", 10),
               ("HTTNV", "Hoàn thành tốt nhiệm vụ", 12), ("HTTNV", "HT tốt NV", 6), ("HTNV", "HTNV", 3), ("YK", "Yếu kém", 1))
_SAMPLE_NEW = (("HTXSNV", "HTXSNV", 3), ("HTXSNV", "HT xuất sắc NV", 2), ("HTTNV", "Hoàn thành tốt nhiệm vụ", 12),
               ("HTTNV", "HTTNV", 8), ("HTNV", "Hoàn thành nhiệm vụ", 3), ("HTNV", "HTNV", 2), ("KHTNV", "Không HTNV", 1))
_SAMPLE_SYLLABLES = (
    "An Bình Tân Phú Long Hòa Thạnh Mỹ Vĩnh Phước Hưng Lợi Thuận Định Đông Tây Nam Bắc Trung Hiệp "
    "Lộc Thới Khánh Hải Sơn Thủy Lâm Minh Quang Thành Tiến Đức Nghĩa Xuân Hạnh Phong Tường Thọ Cát Lạc"
).split()


def sample_history_table(units=1500, years=10, *, seed=7, scope_code="LSXL"):
    """(xlsx bytes, setup): a department's sheet of `years` years from 2016 for `units` units, and
    setup(), which stores the scope and its units (the scales must be loaded) and returns the scope's code.

    The sheet is laid out as departments keep it: title rows and merged cells above the header, an STT
    column, year headers written several ways, names spelt unlike the stored ones, a few blank cells.
    """
    import io
    import random

    from openpyxl import Workbook

    rng = random.Random(seed)
    districts = max(1, units // 150)
    names = [f"{a} {b}" for a in _SAMPLE_SYLLABLES for b in _SAMPLE_SYLLABLES if a != b]
    rng.shuffle(names)
    plan = [(f"{scope_code}-H{d}", None, f"Đảng bộ huyện {names[d]}", f"Đảng ủy huyện {names[d]}") for d in range(districts)]
    for index in range(units - districts):
        place = names[districts + index]
        stored, written = rng.choice((
            (f"Đảng bộ xã {place}", f"Đảng ủy xã {place}"),
            (f"Đảng bộ xã {place}", f"xã  {place.upper()}"),
            (f"Đảng bộ phường {place}", f"Đảng bộ cơ sở phường {place}"),
            (f"Đảng bộ thị trấn {place}", f"TT {place}"),
            (f"Chi bộ {place}", f"chi bộ {place.lower()}"),
        ))
        plan.append((f"{scope_code}-C{index}", f"{scope_code}-H{index % districts}", stored, written))
    first = 2016
    spelt = ("{}", "Năm {}", "XL {}", "Xếp loại {}", "{} (*)")
    headers = [spelt[i % len(spelt)].format(year) for i, year in enumerate(range(first, first + years))]

    book = Workbook()
    sheet = book.active
    sheet.title = "Tổng hợp"
    width = 2 + years
    titles = ("ĐẢNG BỘ TỈNH MẪU", "BAN TỔ CHỨC TỈNH ỦY", "", f"KẾT QUẢ XẾP LOẠI TỔ CHỨC ĐẢNG {first}–{first + years - 1}")
    for row, text in enumerate(titles, 1):
        if text:
            sheet.cell(row, 1, text)
            sheet.merge_cells(start_row=row, start_column=1, end_row=row, end_column=width)
    sheet.append(["STT", "Tên đơn vị", *[int(h) if h.isdigit() else h for h in headers]])
    for number, (_code, _parent, _stored, written) in enumerate(plan, 1):
        cells = []
        for year in range(first, first + years):
            choices = _SAMPLE_OLD if year < 2018 else _SAMPLE_NEW
            code, text, _weight = rng.choices(choices, weights=[c[2] for c in choices])[0]
            cells.append("-" if rng.random() < 0.02 else text)
        sheet.append([number, written, *cells])
    buffer = io.BytesIO()
    book.save(buffer)

    def setup():
        from ..models import UnitKind

        scope = Unit.objects.filter(code=scope_code).first()
        if scope is None:
            scope = Unit.objects.create(code=scope_code, name="Đảng bộ tỉnh Mẫu", kind=UnitKind.PROVINCE)
        existing = set(Unit.objects.within(scope).values_list("code", flat=True))
        made = {}
        for depth in (None, "child"):
            batch = []
            for code, parent, stored, _written in plan:
                if code in existing or (parent is None) != (depth is None):
                    continue
                above = scope if parent is None else made.get(parent) or Unit.objects.get(code=parent)
                batch.append(Unit(
                    code=code, name=stored, parent=above, province_id=scope.pk, path=Unit.path_for(above.path, code),
                    kind=UnitKind.SUBORDINATE if parent is None else UnitKind.GRASSROOTS,
                ))
            for unit in Unit.objects.bulk_create(batch, batch_size=500):
                made[unit.code] = unit
        return scope_code

    return buffer.getvalue(), setup
