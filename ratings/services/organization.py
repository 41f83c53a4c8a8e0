"""A department's own unit tree from a table (.xlsx or .csv): plan what importing it would do, then do
all of it or nothing.

The file names units by code; a parent may come before or after its children in the file or be
stored already. plan_units() reads the file and the stored units it touches and says, row by row,
what would be new, changed (with old → new) or unchanged, and why a row cannot be taken; it writes
nothing. apply_units() writes a plan without errors in tree order with bulk statements: Unit.save()
computes path and province one row at a time, so here they are computed for the whole tree first,
and a moved unit's stored subtree follows it as Unit._move_descendants would move it.
"""
import csv
import io
import random
import re
import unicodedata
from dataclasses import dataclass, field

import pandas as pd
from django.db import IntegrityError, transaction
from django.db.models import F, Q
from django.utils import translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from simple_history.utils import get_history_manager_for_model

from ..frames import cell_text, header_key, read_table
from ..models import UNIT_CODE, YEAR_MAX, YEAR_MIN, DataVersion, Unit, UnitKind, is_unrestricted, scope_paths
from .articles import ImportRefused

UNIT_MAX_ROWS = 50_000
UNIT_MAX_BYTES = 10 * 1024 * 1024
BATCH = 500
CODE_LENGTH = Unit._meta.get_field("code").max_length
NAME_LENGTH = Unit._meta.get_field("name").max_length
PLACE_LENGTH = Unit._meta.get_field("place").max_length
PATH_LENGTH = Unit._meta.get_field("path").max_length

# (key, the header the template writes, other headers people type, column width). Headers match
# ignoring case, spacing and accents' encoding; the English ones are also accepted.
UNIT_COLUMNS = (
    ("code", gettext_lazy("Mã đơn vị"), ("Mã", "Code", "Unit code"), 20),
    ("name", gettext_lazy("Tên đơn vị"), ("Tên", "Name", "Unit name"), 50),
    ("kind", gettext_lazy("Loại đơn vị"), ("Loại", "Kind", "Unit kind", "Type"), 26),
    ("parent", gettext_lazy("Mã đơn vị cấp trên"), ("Mã cấp trên", "Parent code", "Parent"), 20),
    ("place", gettext_lazy("Địa danh"), ("Place",), 18),
    ("valid_from", gettext_lazy("Từ năm"), ("From year", "Valid from"), 10),
    ("valid_to", gettext_lazy("Đến năm"), ("To year", "Valid to"), 10),
    ("successor", gettext_lazy("Mã đơn vị kế thừa"), ("Mã kế thừa", "Successor code", "Successor"), 20),
)
UNIT_REQUIRED = ("code", "name", "kind")

# Which kinds a unit may sit under. A province is a root; a cell is the lowest organization; a
# standing committee, đảng đoàn or ban cán sự đảng leads, it has no organizations under it.
# Cells may sit directly under a committee (chi bộ cơ sở); "Khác" is free except under those.
_LEAVES = {UnitKind.CELL, UnitKind.STANDING_COMMITTEE, UnitKind.PARTY_DELEGATION, UnitKind.PARTY_CADRE_COMMITTEE}
_ORGANIZATIONS = {UnitKind.PROVINCE, UnitKind.SUBORDINATE, UnitKind.OTHER}
ALLOWED_PARENTS = {
    UnitKind.PROVINCE: set(),
    UnitKind.STANDING_COMMITTEE: _ORGANIZATIONS | {UnitKind.GRASSROOTS},
    UnitKind.PARTY_DELEGATION: _ORGANIZATIONS,
    UnitKind.PARTY_CADRE_COMMITTEE: _ORGANIZATIONS,
    UnitKind.SUBORDINATE: _ORGANIZATIONS,
    UnitKind.GRASSROOTS: _ORGANIZATIONS,
    UnitKind.CELL: _ORGANIZATIONS | {UnitKind.GRASSROOTS},
    UnitKind.OTHER: set(UnitKind) - _LEAVES,
}

UNIT_REFUSALS = {
    "has_errors": gettext_lazy("Tệp còn %(count)s dòng lỗi; chưa lưu đơn vị nào. Sửa các dòng lỗi rồi tải lên lại."),
    "changed_since_preview": gettext_lazy(
        "Các đơn vị %(codes)s đã có người sửa, thêm hoặc xóa sau khi bạn xem trước; chưa lưu gì. "
        "Hãy tải tệp lên lại để xem trước theo dữ liệu mới."
    ),
    "changed_meanwhile": gettext_lazy("Dữ liệu đơn vị đã thay đổi trong lúc nhập; chưa lưu gì. Hãy tải tệp lên lại."),
}

FIELD_LABELS = {
    "name": gettext_lazy("tên"),
    "kind": gettext_lazy("loại"),
    "place": gettext_lazy("địa danh"),
    "parent": gettext_lazy("cấp trên"),
    "valid_from": gettext_lazy("từ năm"),
    "valid_to": gettext_lazy("đến năm"),
    "successor": gettext_lazy("đơn vị kế thừa"),
}


class UnitsRefused(ImportRefused):
    """The unit table cannot be imported as it is; nothing was saved."""


@dataclass
class UnitRow:
    """One row of the file: the unit it describes, its status, what would change, or why it cannot."""

    number: int
    code: str
    name: str = ""
    kind: str | None = None
    parent: str = ""
    values: dict = field(default_factory=dict)
    stored: Unit | None = None
    changes: list = field(default_factory=list)  # [(field label, old, new)]
    errors: list = field(default_factory=list)

    @property
    def status(self):
        if self.errors:
            return "error"
        if self.stored is None:
            return "new"
        return "changed" if self.changes else "unchanged"

    @property
    def kind_label(self):
        return UnitKind(self.kind).label if self.kind in UnitKind.values else ""


@dataclass
class UnitPlan:
    """Every row of a unit table with its status; apply_units() writes it only when no row has an error."""

    name: str
    header_row: int = 0
    columns: tuple = ()
    rows: list = field(default_factory=list)
    state: dict = field(default_factory=dict)  # {code: [version, path]} of every stored unit read
    moved_paths: list = field(default_factory=list)  # stored paths whose subtree moves
    followers: list = field(default_factory=list)  # stored units outside the file that move with a parent
    final: dict = field(default_factory=dict)  # {code: (parent code, path, kind)} of file units and followers
    keys: dict = field(default_factory=dict)  # {code: (pk, province pk)} of every stored unit read

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

    def snapshot(self):
        """What the plan was based on, to refuse applying it once the stored units have moved on."""
        return dict(self.state)


@dataclass
class UnitReport:
    created: int
    updated: int
    unchanged: int
    moved_below: int  # stored units that followed a moved parent


def plan_units(*, file, user=None, name=None):
    """Read a unit table and say, row by row, what importing it would do; writes nothing.

    `file` is an upload, a path, bytes or a binary file; `user` limits the rows to the units the
    user may edit (None: everything, as for an administrator). Raises TableRefused (an
    ImportRefused) with a Vietnamese message when the file cannot be read as a unit table.
    """
    headers = _header_lookup()
    table = read_table(
        file,
        is_header=lambda cells: set(UNIT_REQUIRED) <= {headers.get(_loose(c)) for c in cells},
        required_columns=[str(label) for key, label, _o, _w in UNIT_COLUMNS if key in UNIT_REQUIRED],
        max_rows=UNIT_MAX_ROWS,
        max_bytes=UNIT_MAX_BYTES,
        name=name,
    )
    frame = _clean_frame(table.frame, headers)
    plan = UnitPlan(name=table.name, header_row=table.header_row, columns=tuple(c for c in frame.columns if c != "number"))
    _Planner(plan, frame, user).run()
    return plan


def unit_plan_summary(plan, *, shown):
    """What the preview shows, as plain data a background job can keep: counts, the first `shown` new,
    changed and refused rows, and the snapshot the confirmation compares."""
    def row_data(row):
        return {
            "number": row.number, "code": row.code, "name": row.name, "kind_label": str(row.kind_label),
            "parent": row.parent, "changes": [(str(label), str(old), str(new)) for label, old, new in row.changes],
            "errors": [str(error) for error in row.errors],
        }
    return {
        "name": plan.name, "counts": plan.counts, "followers": len(plan.followers), "snapshot": plan.snapshot(),
        **{f"{status}_rows": [row_data(row) for row in plan.with_status(status)[:shown]] for status in ("new", "changed", "error")},
    }


def apply_units(*, plan, user=None, seen=None):
    """Write every new and changed unit of the plan in one transaction; refuse a plan with any error.

    `seen` is the snapshot the user's preview showed (UnitPlan.snapshot()): the stored units are
    locked and compared with it, so a unit someone changed, added or deleted after the preview
    refuses the whole file rather than being overwritten unseen.
    """
    if plan.errors:
        raise UnitsRefused(UNIT_REFUSALS["has_errors"] % {"count": len(plan.errors)})
    new, changed = plan.with_status("new"), plan.with_status("changed")
    report = UnitReport(len(new), len(changed), len(plan.with_status("unchanged")), len(plan.followers))
    expected = plan.snapshot() if seen is None else seen
    try:
        with transaction.atomic():
            if new or changed:
                DataVersion.bump()  # first, as every writer does (models.count_a_change); bulk writes send no signals
            moved = _moved_since(plan, expected)
            if moved:
                codes = ", ".join(moved[:10]) + (" …" if len(moved) > 10 else "")
                raise UnitsRefused(UNIT_REFUSALS["changed_since_preview"] % {"codes": codes})
            if new or changed:
                _Writer(plan, user).write(new, changed)
    except IntegrityError as error:
        raise UnitsRefused(UNIT_REFUSALS["changed_meanwhile"]) from error
    return report


def import_units(*, file, user=None, dry_run=False, name=None):
    """Plan and, unless `dry_run` or the plan has errors, apply: what the command does. Returns the plan."""
    plan = plan_units(file=file, user=user, name=name)
    if not dry_run and not plan.errors:
        apply_units(plan=plan, user=user)
    return plan


# Reading the table


def _loose(text):
    """A header or label as compared: composed accents, case and every space ignored."""
    return header_key(unicodedata.normalize("NFC", str(text or ""))).replace(" ", "")


def _both_languages(label):
    with translation.override("vi"):
        vietnamese = str(label)
    with translation.override("en"):
        english = str(label)
    return {vietnamese, english, str(label)}


def _header_lookup():
    lookup = {}
    for key, label, others, _width in UNIT_COLUMNS:
        for text in (*_both_languages(label), *others):
            lookup[_loose(text)] = key
    return lookup


def kind_lookup():
    """{label, English label or code, loosely: kind code}."""
    lookup = {}
    for kind in UnitKind:
        for text in (kind.value, *_both_languages(kind.label)):
            lookup[_loose(text)] = kind.value
    return lookup


def _clean_frame(frame, headers):
    """The table's known columns under their keys, every cell as trimmed composed text; `number`: the file row."""
    columns = {}
    for column in frame.columns:
        key = headers.get(_loose(column))
        if key and key not in columns:
            columns[key] = column
    clean = pd.DataFrame(index=frame.index)
    for key, _label, _others, _width in UNIT_COLUMNS:
        if key in columns:
            clean[key] = frame[columns[key]].map(lambda v: unicodedata.normalize("NFC", cell_text(v)))
    clean["number"] = clean.index
    return clean


def _year(text):
    if not text:
        return None
    if not re.fullmatch(r"\d{4}", text):
        raise ValueError(text)
    year = int(text)
    if not YEAR_MIN <= year <= YEAR_MAX:
        raise ValueError(text)
    return year


class _Planner:
    """Works out one plan: rows checked alone, then against each other and the stored tree."""

    def __init__(self, plan, frame, user):
        self.plan, self.frame = plan, frame
        self.scopes = None if user is None or is_unrestricted(user) else list(scope_paths(user))
        self.kinds = kind_lookup()
        self.stored = {}  # code: Unit

    def run(self):
        plan, frame = self.plan, self.frame
        plan.rows = [self._row(record) for record in frame.to_dict("records")]
        self._duplicates()
        self._load([*frame["code"], *frame.get("parent", []), *frame.get("successor", [])])
        by_code = {row.code: row for row in plan.rows if row.code and not any(e[0] == "code" for e in row.errors)}
        self.by_code, self.in_file = by_code, set(frame["code"]) - {""}
        self._load_ancestors()
        self._place(by_code)
        self._load_followers()
        self._check_tree(by_code)
        self._check_scope(by_code)
        self._compare(by_code)
        self._settle_followers(by_code)
        for row in plan.rows:
            row.errors = [message for _key, message in row.errors]
        plan.state = {code: [unit.version, unit.path] for code, unit in self.stored.items()}
        plan.keys = {code: (unit.pk, unit.province_id) for code, unit in self.stored.items()}

    def _row(self, record):
        row = UnitRow(number=int(record["number"]), code=record.get("code", ""))
        errors = row.errors
        if not row.code:
            errors.append(("code", _("Thiếu mã đơn vị.")))
        elif not re.match(UNIT_CODE, row.code) or len(row.code) > CODE_LENGTH:
            errors.append(("code", _(
                "Mã «%(code)s» không hợp lệ: mã chỉ gồm chữ cái không dấu, chữ số, dấu gạch ngang (-) và gạch "
                "dưới (_), tối đa %(max)s ký tự."
            ) % {"code": row.code, "max": CODE_LENGTH}))
        row.name = record.get("name", "")
        if not row.name:
            errors.append(("name", _("Thiếu tên đơn vị.")))
        elif len(row.name) > NAME_LENGTH:
            errors.append(("name", _("Tên đơn vị dài quá %(max)s ký tự.") % {"max": NAME_LENGTH}))
        kind_text = record.get("kind", "")
        row.kind = self.kinds.get(_loose(kind_text))
        if row.kind is None:
            labels = ", ".join(str(label) for label in UnitKind.labels)
            if kind_text:
                errors.append(("kind", _("Loại đơn vị «%(kind)s» không có; chọn một trong: %(labels)s.") % {"kind": kind_text, "labels": labels}))
            else:
                errors.append(("kind", _("Thiếu loại đơn vị; chọn một trong: %(labels)s.") % {"labels": labels}))
        row.parent = record.get("parent", "")
        if "place" in record:
            row.values["place"] = record["place"]
            if len(record["place"]) > PLACE_LENGTH:
                errors.append(("place", _("Địa danh dài quá %(max)s ký tự.") % {"max": PLACE_LENGTH}))
        for key in ("valid_from", "valid_to"):
            if key in record:
                try:
                    row.values[key] = _year(record[key])
                except ValueError:
                    errors.append((key, _("%(field)s phải là một năm từ %(min)s đến %(max)s: «%(value)s».") % {
                        "field": str(FIELD_LABELS[key]).capitalize(), "min": YEAR_MIN, "max": YEAR_MAX, "value": record[key],
                    }))
        first, last = row.values.get("valid_from"), row.values.get("valid_to")
        if first and last and last < first:
            errors.append(("valid_to", _("Năm kết thúc (%(to)s) phải từ năm bắt đầu (%(from)s) trở đi.") % {"to": last, "from": first}))
        if "successor" in record:
            row.values["successor"] = record["successor"]
            if record["successor"] and record["successor"] == row.code:
                errors.append(("successor", _("Đơn vị kế thừa phải là một đơn vị khác.")))
        return row

    def _duplicates(self):
        codes = self.frame["code"]
        repeated = codes[(codes != "") & codes.duplicated(keep=False)]
        numbers = repeated.groupby(repeated).groups
        for row in self.plan.rows:
            if row.code in numbers:
                others = ", ".join(str(n) for n in numbers[row.code] if n != row.number)
                row.errors.append(("code", _("Mã «%(code)s» có nhiều lần trong tệp (cả ở dòng %(rows)s).") % {"code": row.code, "rows": others}))

    def _load(self, codes):
        wanted = sorted({code for code in codes if code} - set(self.stored))
        for start in range(0, len(wanted), BATCH * 4):
            for unit in Unit.objects.filter(code__in=wanted[start : start + BATCH * 4]).select_related("successor", "parent"):
                self.stored[unit.code] = unit

    def _load_ancestors(self):
        """The stored units above those read: the tree above decides province, scope and cycles."""
        codes = {code for unit in list(self.stored.values()) for code in unit.path.strip("/").split("/")}
        self._load(codes)

    def stored_parent(self, code):
        unit = self.stored.get(code)
        if unit is None:
            return None
        segments = unit.path.strip("/").split("/")
        return segments[-2] if len(segments) > 1 else ""

    def _place(self, by_code):
        """The final parent, path and kind of every unit of the file; errors for unknown parents and cycles."""
        self.parent_of, self.path_of, self.kind_of = {}, {}, {}
        for code, row in by_code.items():
            self.parent_of[code] = row.parent
            if row.kind:
                self.kind_of[code] = row.kind
        for row in by_code.values():
            if row.parent and row.parent not in self.in_file and row.parent not in self.stored:
                row.errors.append(("parent", _("Không có đơn vị cấp trên mã «%(parent)s» trong tệp hay trong dữ liệu.") % {"parent": row.parent}))
                self.parent_of[row.code] = None
        for code in by_code:
            self._path(code)

    def _final_parent(self, code):
        if code in self.parent_of:
            return self.parent_of[code]
        return self.stored_parent(code)

    def _path(self, code):
        """The unit's path in the tree after the import; None where it cannot be placed (a cycle, an unknown parent)."""
        chain, at = [], code
        while at and at not in self.path_of:
            if at in chain:
                cycle = chain[chain.index(at):] + [at]
                for member in set(cycle):
                    if member in self.by_code:
                        self.by_code[member].errors.append(("parent", _("Vòng lặp cấp trên: %(chain)s.") % {"chain": " → ".join(cycle)}))
                    self.path_of[member] = None
                break
            chain.append(at)
            parent = self._final_parent(at)
            if parent is None:  # unknown, or a stored unit missing
                self.path_of[at] = None
                break
            at = parent
        for member in reversed(chain):
            if member in self.path_of:
                continue
            parent = self._final_parent(member)
            above = self.path_of.get(parent) if parent else ""
            self.path_of[member] = None if above is None else Unit.path_for(above or None, member)
        return self.path_of.get(code)

    def _load_followers(self):
        """Stored units below a unit whose path or province changes: they move with it."""
        starts = []
        for code, row in self.by_code.items():
            unit, path = self.stored.get(code), self.path_of.get(code)
            if unit is None or path is None:
                continue
            province_flip = (row.kind == UnitKind.PROVINCE) != (unit.kind == UnitKind.PROVINCE)
            if path != unit.path or province_flip:
                starts.append(unit.path)
        outermost = []
        for path in sorted(starts):
            if not outermost or not path.startswith(outermost[-1]):
                outermost.append(path)
        self.plan.moved_paths = outermost
        self.below = {}
        for start in range(0, len(outermost), 100):
            query = Q()
            for path in outermost[start : start + 100]:
                query |= Q(path__startswith=path)
            for unit in Unit.objects.filter(query).select_related("successor", "parent").order_by("path"):
                self.below[unit.code] = unit
        for code, unit in self.below.items():
            self.stored.setdefault(code, unit)
            self.kind_of.setdefault(code, unit.kind)
            self._path(code)

    def _settle_followers(self, by_code):
        """Units that only follow a moved parent: those outside the file and the file's unchanged ones."""
        self.plan.followers = [
            self.stored[code] for code in self.below if code not in by_code or by_code[code].status == "unchanged"
        ]
        self.plan.final = {
            code: (self._final_parent(code) or "", self.path_of.get(code), self.kind_of.get(code))
            for code in [*by_code, *self.below]
        }

    def _check_tree(self, by_code):
        """Kinds under their parents and paths that fit the column, for the file's units and stored children of a changed kind."""
        for code, row in by_code.items():
            path = self.path_of.get(code)
            if path is not None and len(path) > PATH_LENGTH:
                row.errors.append(("parent", _("Đơn vị nằm quá sâu trong cây: đường dẫn dài hơn %(max)s ký tự.") % {"max": PATH_LENGTH}))
            unit = self.stored.get(code)
            if not row.kind:
                continue
            if not row.parent and row.kind != UnitKind.PROVINCE and not (unit and unit.parent_id is None):
                row.errors.append(("parent", _("Thiếu mã đơn vị cấp trên: chỉ đảng bộ tỉnh, thành phố mới không có cấp trên.")))
                continue
            if row.parent:
                parent_kind = self.kind_of.get(row.parent) or getattr(self.stored.get(row.parent), "kind", None)
                self._check_kind(row, row.kind, parent_kind, row.parent)
        changed_kind = [code for code, row in by_code.items() if code in self.stored and row.kind and row.kind != self.stored[code].kind]
        if changed_kind:
            children = Unit.objects.filter(parent__code__in=changed_kind).exclude(code__in=list(by_code))
            for code, kind, parent in children.values_list("code", "kind", "parent__code"):
                row = by_code[parent]
                if row.kind not in ALLOWED_PARENTS.get(kind, set()):
                    row.errors.append(("kind", _("Không thể đổi loại thành «%(kind)s»: đơn vị cấp dưới %(child)s («%(child_kind)s») không thể trực thuộc loại này.") % {
                        "kind": UnitKind(row.kind).label, "child": code, "child_kind": UnitKind(kind).label if kind in UnitKind.values else kind,
                    }))

    def _check_kind(self, row, kind, parent_kind, parent_code):
        if kind == UnitKind.PROVINCE:
            row.errors.append(("parent", _("Đảng bộ tỉnh, thành phố không trực thuộc đơn vị nào; để trống mã đơn vị cấp trên.")))
        elif parent_kind and parent_kind not in ALLOWED_PARENTS[kind]:
            row.errors.append(("parent", _("«%(kind)s» không thể trực thuộc «%(parent_kind)s» (%(parent)s).") % {
                "kind": UnitKind(kind).label, "parent_kind": UnitKind(parent_kind).label, "parent": parent_code,
            }))

    def _check_scope(self, by_code):
        if self.scopes is None:
            return

        def covered(path):
            return path is not None and any(path.startswith(scope) for scope in self.scopes)

        for code, row in by_code.items():
            unit = self.stored.get(code)
            if unit is not None and not covered(unit.path):
                row.errors.append(("scope", _("Đơn vị «%(code)s» ngoài phạm vi được giao.") % {"code": code}))
            elif self.path_of.get(code) is not None and not covered(self.path_of[code]):
                row.errors.append(("scope", _("Cấp trên «%(parent)s» ngoài phạm vi được giao: không thể đặt đơn vị dưới đó.") % {"parent": row.parent}))
            successor = row.values.get("successor")
            if successor and successor not in by_code and successor in self.stored and not covered(self.stored[successor].path):
                row.errors.append(("scope", _("Đơn vị kế thừa «%(code)s» ngoài phạm vi được giao.") % {"code": successor}))

    def _compare(self, by_code):
        """Old → new for stored units; unknown successors are errors."""
        for code, row in by_code.items():
            successor = row.values.get("successor")
            if successor and successor not in by_code and successor not in self.stored:
                row.errors.append(("successor", _("Không có đơn vị kế thừa mã «%(code)s» trong tệp hay trong dữ liệu.") % {"code": successor}))
            unit = self.stored.get(code)
            if unit is None:
                continue
            row.stored = unit
            if row.errors:
                continue
            pairs = [("name", unit.name, row.name), ("kind", unit.kind, row.kind)]
            pairs.append(("parent", unit.parent.code if unit.parent_id else "", row.parent))
            for key in ("place", "valid_from", "valid_to"):
                if key in row.values:
                    pairs.append((key, getattr(unit, key), row.values[key]))
            if "successor" in row.values:
                pairs.append(("successor", unit.successor.code if unit.successor_id else "", row.values["successor"]))
            for key, old, new in pairs:
                if (old or None) != (new or None):
                    if key == "kind":
                        old, new = UnitKind(old).label if old in UnitKind.values else old, UnitKind(new).label
                    row.changes.append((FIELD_LABELS[key], old or "—", new or "—"))


def _moved_since(plan, expected):
    """Codes of stored units whose version or path is not what `expected` holds, or that appeared or vanished."""
    codes = sorted(set(expected) | set(plan.state) | {row.code for row in plan.rows})
    current = {}
    for start in range(0, len(codes), BATCH * 4):
        rows = Unit.objects.select_for_update().filter(code__in=codes[start : start + BATCH * 4])
        current.update({code: [version, path] for code, version, path in rows.values_list("code", "version", "path")})
    for start in range(0, len(plan.moved_paths), 100):
        query = Q()
        for path in plan.moved_paths[start : start + 100]:
            query |= Q(path__startswith=path)
        rows = Unit.objects.select_for_update().filter(query)
        current.update({code: [version, path] for code, version, path in rows.values_list("code", "version", "path")})
    return sorted(code for code in set(current) | set(expected) if current.get(code) != (list(expected[code]) if code in expected else None))


class _Writer:
    """The writes of one plan, level by level from the top: each row's parent already holds its final path,
    which the database's guard on units (migration 0007) checks."""

    def __init__(self, plan, user):
        self.plan, self.user = plan, user
        self.pk = {code: pk for code, (pk, _province) in plan.keys.items()}
        self.province = {code: province for code, (_pk, province) in plan.keys.items()}

    def write(self, new, changed):
        plan = self.plan
        rows = {row.code: row for row in [*new, *changed]}
        followers = {unit.code: unit for unit in plan.followers}
        levels = {}
        for code in [*rows, *followers]:
            levels.setdefault(plan.final[code][1].count("/"), []).append(code)
        created, updated = [], []
        for depth in sorted(levels):
            fresh, touched, moved = [], [], []
            for code in levels[depth]:
                parent, path, kind = plan.final[code]
                row = rows.get(code)
                if row is None:
                    unit = followers[code]
                    moved.append(unit)
                else:
                    unit = row.stored or Unit(code=code)
                    (touched if row.stored else fresh).append(unit)
                    unit.name, unit.kind = row.name, row.kind
                    for key in ("place", "valid_from", "valid_to"):
                        if key in row.values:
                            value = row.values[key]
                            setattr(unit, key, "" if key == "place" and value is None else value)
                unit.path = path
                unit.parent_id = self.pk[parent] if parent else None
                unit.province_id = unit.pk if kind == UnitKind.PROVINCE else self.province.get(parent)
            Unit.objects.bulk_create(fresh, batch_size=BATCH)
            provinces = [unit for unit in fresh if unit.kind == UnitKind.PROVINCE]
            for unit in provinces:
                unit.province_id = unit.pk
            if provinces:
                Unit.objects.filter(pk__in=[unit.pk for unit in provinces]).update(province_id=F("pk"))
            for unit in [*fresh, *touched, *moved]:
                self.pk[unit.code], self.province[unit.code] = unit.pk, unit.province_id
            if touched:
                Unit.objects.bulk_update(touched, ["name", "kind", "place", "parent", "path", "province", "valid_from", "valid_to"], batch_size=BATCH)
            if moved:
                Unit.objects.bulk_update(moved, ["parent", "path", "province"], batch_size=BATCH)
            created += fresh
            updated += touched
        self._successors(rows, [*created, *updated])
        if updated:
            Unit.objects.filter(pk__in=[unit.pk for unit in updated]).update(version=F("version") + 1)
            for unit in updated:
                unit.version += 1
        history = get_history_manager_for_model(Unit)
        history.bulk_history_create(created, batch_size=BATCH, default_user=self.user)
        history.bulk_history_create(updated, batch_size=BATCH, update=True, default_user=self.user)

    def _successors(self, rows, units):
        changed = []
        for unit in units:
            values = rows[unit.code].values
            if "successor" not in values:
                continue
            successor = self.pk[values["successor"]] if values["successor"] else None
            if unit.successor_id != successor:
                unit.successor_id = successor
                changed.append(unit)
        Unit.objects.bulk_update(changed, ["successor"], batch_size=BATCH)


# A generated table for the benchmark and the tests


def sample_unit_table(units=5000, *, committees=50, grassroots=950, fmt="xlsx", seed=11, prefix="BM"):
    """A unit table as a department would send it: one province, `committees` subordinate committees,
    `grassroots` grassroots organizations, the rest cells; children listed before some parents.
    Returns the file's bytes (.xlsx, or UTF-8 .csv with fmt="csv")."""
    rng = random.Random(seed)
    province = f"{prefix}-TINH"
    rows = [(province, "Đảng bộ tỉnh Thử Nghiệm", str(UnitKind.PROVINCE.label), "", "Thử Nghiệm", "", "", "")]
    committee_codes = [f"{prefix}-D{n:03d}" for n in range(1, committees + 1)]
    rows += [(code, f"Đảng ủy xã Số {n}", str(UnitKind.SUBORDINATE.label), province, "", "", "", "") for n, code in enumerate(committee_codes, 1)]
    grassroots_codes = [f"{prefix}-C{n:04d}" for n in range(1, grassroots + 1)]
    rows += [
        (code, f"Chi bộ cơ sở thôn {n}", str(UnitKind.GRASSROOTS.label), rng.choice(committee_codes), "", rng.choice(["", "", "2021"]), "", "")
        for n, code in enumerate(grassroots_codes, 1)
    ]
    cells = max(0, units - 1 - committees - grassroots)
    rows += [
        (f"{prefix}-CB{n:05d}", f"Chi bộ {n}", str(UnitKind.CELL.label), rng.choice(grassroots_codes), "", "", "", "")
        for n in range(1, cells + 1)
    ]
    body = rows[1:]
    rng.shuffle(body)  # parents after children, as files come
    rows = [rows[0], *body]
    header = [str(label) for _key, label, _o, _w in UNIT_COLUMNS]
    if fmt == "csv":
        out = io.StringIO()
        writer = csv.writer(out)
        writer.writerow(header)
        writer.writerows(rows)
        return out.getvalue().encode("utf-8")
    from openpyxl import Workbook

    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet()
    sheet.append(header)
    for row in rows:
        sheet.append(list(row))
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()
