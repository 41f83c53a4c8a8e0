"""Who is rated, and at which stage of the review a rating was stated.

A named rating belongs to the unit phrase nearest before its level
("... xếp loại Đảng bộ tỉnh Trà Vinh “Hoàn thành xuất sắc nhiệm vụ”"). The
phrase tells the kind of unit; the words before it tell the stage: the unit's
own assessment (self), the appraisal or proposal of a higher body
(proposed), or the decision (approved).
"""
import re
from dataclasses import dataclass

from .provinces import PROVINCES, canonical_province

_UPPER = "A-ZĐÀÁẢÃẠĂẰẮẲẴẶÂẦẤẨẪẬÈÉẺẼẸÊỀẾỂỄỆÌÍỈĨỊÒÓỎÕỌÔỒỐỔỖỘƠỜỚỞỠỢÙÚỦŨỤƯỪỨỬỮỰỲÝỶỸỴ"
# A name opens with a capitalized word or a common noun of unit names ("Chi bộ
# ấp Phú Hòa", "Đảng ủy Khối các cơ quan tỉnh") and runs on, lower-case words
# included ("Đảng đoàn Hội đồng nhân dân tỉnh"), until a word that starts the
# rest of the sentence: a verb, a preposition or a word of rating.
_NAME_OPENERS = (
    "các|cơ quan|tỉnh|thành phố|huyện|thị xã|quận|xã|phường|thị trấn|ấp|khóm|thôn|xóm|bản|tổ dân phố"
    "|khu phố|trường|công ty|bệnh viện|sở|trung tâm|khối|cơ sở|trực thuộc|số"
)
_NAME_ENDERS = (
    "đạt|mức|được|bị|xếp|loại|năm|tự|đánh|hoàn|không|chưa|trong|với|là|ở|theo|có|kết|thống|tập|chất|đề"
    "|quyết|công|biểu|đã|đang|sẽ|luôn|đều|cũng|vẫn|tiếp|lãnh|thực|triển|chỉ|tổ|về|cho|tại|của|từ|nhằm|để"
    "|vì|do|qua|trên|dưới|sau|trước|khi|nhiều|gồm|như|nhưng|mà|thì|nên|vừa|cùng|phải|cần"
)
_NAME_TOKEN = rf"(?!(?i:{_NAME_ENDERS})(?![^\W\d_]))[^\s,.;:()\"]+"
_NAME_LIMIT = 8
_NAME = (
    rf"(?P<name>[ ]+(?:(?=[{_UPPER}0-9]){_NAME_TOKEN}|(?:{_NAME_OPENERS})(?![^\W\d_]))"
    rf"(?:[ ]+{_NAME_TOKEN}){{0,{_NAME_LIMIT - 1}}})?"
)
_PERSON_BEFORE = re.compile(
    r"(?i:\b(?:bí thư|phó bí thư|chủ tịch|phó chủ tịch|ủy viên|trưởng ban|phó trưởng ban|giám đốc|đồng chí|ông|bà)\s+)$"
)

_KIND_PATTERNS = (
    ("ban_thuong_vu", r"ban thường vụ (?:tỉnh ủy|thành ủy|huyện ủy|thị ủy|quận ủy|đảng ủy)"),
    ("dang_bo_tinh", r"ban chấp hành đảng bộ (?:tỉnh|thành phố)|đảng bộ tỉnh|tỉnh ủy"),
    ("city", r"đảng bộ (?:thành phố|tp\.?)|thành ủy"),
    ("to_chuc_co_so_dang", r"đảng bộ cơ sở|tổ chức cơ sở đảng|tccsđ"),
    ("commune", r"(?:đảng bộ|đảng ủy) (?:xã|phường|thị trấn|đặc khu)"),
    ("dang_bo_truc_thuoc", r"(?:đảng bộ|đảng ủy) (?:huyện|quận|thị xã|khối)|huyện ủy|thị ủy|quận ủy"),
    ("dang_doan", r"đảng đoàn"),
    ("ban_can_su", r"ban cán sự đảng|ban cán sự"),
    ("chi_bo", r"chi bộ"),
    ("other", r"ban chấp hành|đảng ủy|đảng bộ|tập thể lãnh đạo|cấp ủy"),
)
_UNIT = re.compile(
    r"(?<![^\W\d_])(?i:"
    + "|".join(f"(?P<{kind}>{pattern})" for kind, pattern in _KIND_PATTERNS).replace(" ", r"\s+")
    + rf")(?![^\W\d_]){_NAME}"
)
_PLURAL_BEFORE = re.compile(r"(?i:\b(?:các|những|mọi)\s+|\d+\s+|%\s*)$")
# Communes were grassroots organizations until the two-level local government
# of 1 July 2025 put their Party committees directly under the province.
_COMMUNES_UNDER_PROVINCE_FROM = 2025

_STAGES = re.compile(
    r"(?i:(?P<self>tự\s+(?:xếp\s+loại|đánh\s+giá|nhận\s+mức|nhận|chấm|kiểm\s+điểm))"
    r"|(?P<proposed>đề\s+xuất|đề\s+nghị|thẩm\s+định|dự\s+kiến|tham\s+mưu)"
    r"|(?P<approved>quyết\s+định|thống\s+nhất|kết\s+quả|công\s+nhận|biểu\s+quyết|phê\s+duyệt))"
)


@dataclass(frozen=True, slots=True)
class Unit:
    """A unit phrase at [start, end): its display name and kind (SCHEMA.md KIND, or "person")."""

    start: int
    end: int
    name: str
    kind: str
    plural: bool


def find_units(text: str, start: int, end: int, *, province: str | None, year: int | None) -> list[Unit]:
    """Unit phrases within [start, end) of ``text``, in order."""
    units = []
    for match in _UNIT.finditer(text, start, end):
        kind = _kind(match, province, year)
        if _PERSON_BEFORE.search(text, max(0, match.start() - 16), match.start()):
            kind = "person"
        plural = bool(_PLURAL_BEFORE.search(text, max(0, match.start() - 8), match.start()))
        units.append(Unit(match.start(), match.end(), _display_name(match, kind, province), kind, plural))
    return units


def stage_before(text: str, start: int, end: int) -> str:
    """The stage named nearest before ``end`` in [start, end), else "unknown"."""
    stage = "unknown"
    for match in _STAGES.finditer(text, start, end):
        stage = match.lastgroup
    return stage


def _kind(match: re.Match, province: str | None, year: int | None) -> str:
    kind = next(kind for kind, _ in _KIND_PATTERNS if match.group(kind))
    if kind == "city":
        return "dang_bo_tinh" if _is_provincial_city(match.group("name") or province) else "dang_bo_truc_thuoc"
    if kind == "commune":
        under_province = year is not None and year >= _COMMUNES_UNDER_PROVINCE_FROM
        return "dang_bo_truc_thuoc" if under_province else "to_chuc_co_so_dang"
    return kind


def _is_provincial_city(name: str | None) -> bool:
    province = PROVINCES.get(canonical_province(name) or "")
    return bool(province and province.city)


def _display_name(match: re.Match, kind: str, province: str | None) -> str:
    phrase = " ".join(match.group(0).split())
    named = canonical_province(match.group("name"))
    if kind == "dang_bo_tinh" and (named in PROVINCES or (not match.group("name") and province)):
        province = named if named in PROVINCES else province
        return f"Đảng bộ {'thành phố' if _is_provincial_city(province) else 'tỉnh'} {province}"
    if kind == "ban_thuong_vu" and province and not match.group("name"):
        if phrase.lower().endswith(("tỉnh ủy", "thành ủy")):
            return f"{phrase} {province}"
    return phrase
