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
# rest of the sentence: a verb, a preposition or a word of rating. Such a word
# written with a capital inside a name is part of it ("Công an", "Tổ quốc",
# "Cần Thơ"); in text set all in capitals it still ends the name.
_NAME_OPENERS = (
    "các|cơ quan|tỉnh|thành phố|huyện|thị xã|quận|xã|phường|thị trấn|ấp|khóm|thôn|xóm|bản|tổ dân phố"
    "|khu phố|trường|công ty|bệnh viện|sở|trung tâm|khối|cơ sở|trực thuộc|số"
)
_NAME_ENDERS = (
    "đạt|mức|được|bị|xếp|loại|năm|tự|đánh|hoàn|không|chưa|trong|với|là|ở|theo|có|kết|thống|tập|chất|đề"
    "|quyết|công|biểu|đã|đang|sẽ|luôn|đều|cũng|vẫn|tiếp|lãnh|thực|triển|chỉ|tổ|về|cho|tại|của|từ|nhằm|để"
    "|vì|do|qua|trên|dưới|sau|trước|khi|nhiều|gồm|như|nhưng|mà|thì|nên|vừa|cùng|phải|cần|liên"
)
NAME_ENDERS = frozenset(_NAME_ENDERS.split("|"))
_NAME_TOKEN = (
    rf"(?!(?:{_NAME_ENDERS}|{_NAME_ENDERS.upper()})(?![^\W\d_]))(?:(?i:tp)\.[ ]?)?[^\s,.;:()\"]+"
)
_NAME_LIMIT = 8
# A name also ends where the next unit starts: "Thị ủy A và Đảng ủy Khối B".
_NEXT_UNIT = (
    r"(?!(?i:(?:và\s+)?(?:đảng\s+bộ|đảng\s+ủy|chi\s+bộ|huyện\s+ủy|thị\s+ủy|thành\s+ủy|tỉnh\s+ủy|quận\s+ủy"
    r"|ban\s+thường\s+vụ|đảng\s+đoàn|ban\s+cán\s+sự))(?![^\W\d_]))"
)
_NAME = (
    rf"(?P<name>[ ]+(?:(?=[{_UPPER}0-9]){_NAME_TOKEN}|(?:{_NAME_OPENERS})(?![^\W\d_]))"
    rf"(?:[ ]+{_NEXT_UNIT}{_NAME_TOKEN}){{0,{_NAME_LIMIT - 1}}})?"
)
_PERSON_BEFORE = re.compile(
    r"(?i:\b(?:bí thư|phó bí thư|chủ tịch|phó chủ tịch|ủy viên|trưởng ban|phó trưởng ban|giám đốc|đồng chí|ông|bà)\s+)$"
)

_AGENCY = (
    r"(?:ban (?:tổ chức|tuyên giáo(?: và dân vận)?|dân vận|nội chính|kinh tế|bảo vệ,? chăm sóc sức khỏe cán bộ)"
    r"|ủy ban kiểm tra|văn phòng|trường chính trị|báo) (?:tỉnh|thành|huyện|thị|quận) ủy"
)
_KIND_PATTERNS = (
    # A committee's own agencies ("Ban Tổ chức Tỉnh ủy", "Ủy ban Kiểm tra Huyện ủy") are rated as bodies of
    # their own, not as the committee whose name they carry.
    ("agency", _AGENCY),
    ("ban_thuong_vu", r"ban thường vụ (?:tỉnh ủy|thành ủy|huyện ủy|thị ủy|quận ủy|đảng ủy|đảng bộ)"),
    ("dang_bo_tinh", r"ban chấp hành đảng bộ (?:tỉnh|thành phố)|đảng bộ tỉnh|tỉnh ủy"),
    ("city", r"đảng bộ (?:thành phố|tp\.?)|thành ủy"),
    # A district's or a town's military and police committees are grassroots organizations under it.
    (
        "to_chuc_co_so_dang",
        r"đảng bộ cơ sở|tổ chức cơ sở đảng|tccsđ|(?:đảng bộ|đảng ủy) (?:quân sự|công an) (?:huyện|quận|thị xã)",
    ),
    ("commune", r"(?:đảng bộ|đảng ủy) (?:xã|phường|thị trấn|đặc khu)"),
    # A city's military and police committees are grassroots too, unless the city is a province of its own.
    ("armed_city", r"(?:đảng bộ|đảng ủy) (?:quân sự|công an) (?:thành phố|tp\.?)"),
    # The provincial military, police and border-guard committees sit directly under the province.
    (
        "dang_bo_truc_thuoc",
        r"(?:đảng bộ|đảng ủy) (?:huyện|quận|thị xã|khối)|huyện ủy|thị ủy|quận ủy"
        r"|(?:đảng bộ|đảng ủy) (?:quân sự|công an) tỉnh"
        r"|(?:đảng bộ|đảng ủy) (?:bộ đội biên phòng|biên phòng) (?:tỉnh|thành phố)",
    ),
    ("dang_doan", r"đảng đoàn"),
    ("ban_can_su", r"ban cán sự đảng|ban cán sự"),
    ("chi_bo", r"chi bộ"),
    ("other", rf"ban chấp hành|đảng ủy|đảng bộ|tập thể lãnh đạo(?: {_AGENCY})?|cấp ủy"),
)
# A committee's agency names its own kind ("other") whatever group it is listed in.
AGENCY = re.compile(rf"(?i:(?:tập thể lãnh đạo )?{_AGENCY})(?![^\W\d_])".replace(" ", r"\s+"))
_UNIT = re.compile(
    r"(?<![^\W\d_])(?i:"
    + "|".join(f"(?P<{kind}>{pattern})" for kind, pattern in _KIND_PATTERNS).replace(" ", r"\s+")
    + rf")(?![^\W\d_]){_NAME}"
)
# Not one named unit: "các chi bộ", "12 chi bộ", "không có chi bộ nào".
# Counts in words too ("bảy đảng bộ"), but not "năm", which is as often "year" ("cuối năm Đảng bộ …").
_PLURAL_BEFORE = re.compile(
    r"(?i:\b(?:các|những|mọi|nhiều|không\s+có|hai|ba|bốn|sáu|bảy|bẩy|tám|chín|mười|mươi|mốt|lăm|tư|trăm)\s+"
    # "số chi bộ xếp loại yếu kém" is the number of cells so rated, not one cell.
    r"|(?<!năm )\b\d+ +|%\s*|\bt[ỷỉ]\s+lệ\s+|(?<![^\W\d_])số\s+)$"
)
_PAIRED_COMMITTEE = re.compile(
    r"(?i:ban\s+thường\s+vụ\s+(?P<level>tỉnh|thành|huyện|thị|quận|đảng)\s+ủy)(?:\s+(?P<name>.+))?"
)
_COMMITTEE_PLACES = {
    "tỉnh": "tỉnh", "thành": "thành phố", "huyện": "huyện", "thị": "thị xã", "quận": "quận", "đảng": "",
}
_PAIR_GAP = re.compile(r"\s*(?:,|(?i:và))\s*")
# Communes were grassroots organizations until the two-level local government
# of 1 July 2025 put their Party committees directly under the province.
_COMMUNES_UNDER_PROVINCE_FROM = 2025

# Bodies above the rated unit that rate it: "được Bộ Chính trị xếp loại".
RATING_BODY = (
    r"(?i:bộ\s+chính\s+trị|ban\s+bí\s+thư|trung\s+ương|cấp\s+ủy\s+cấp\s+trên|cấp\s+trên"
    r"|ban\s+thường\s+vụ\s+(?:tỉnh|thành|huyện|thị|quận|đảng)\s+ủy(?:\s+[^\W\d_]+){0,4}?"
    r"|(?:tỉnh|thành|huyện|thị|quận)\s+ủy(?:\s+[^\W\d_]+){0,3}?|ban\s+chấp\s+hành(?:\s+đảng\s+bộ\s+tỉnh)?"
    # The commune's or bloc's committee rates the cells under it: "được Đảng ủy xã công nhận …".
    r"|đảng\s+ủy(?:\s+(?:xã|phường|thị\s+trấn|khối|cơ\s+sở))?(?:\s+[^\W\d_]+){0,3}?)"
)
RATED_BY_BODY = rf"(?i:được)\s+{RATING_BODY}\s+(?i:xếp\s+loại|công\s+nhận|đánh\s+giá|quyết\s+định)"
# A higher body as the subject of "xếp loại"; the one asked to decide ("đề nghị Bộ Chính trị xếp loại") has not.
_DECIDING_BODY = (
    r"(?<!nghị )(?<!xuất )(?<!trình )(?i:bộ\s+chính\s+trị|ban\s+bí\s+thư|ban\s+chấp\s+hành\s+trung\s+ương"
    r"|ban\s+thường\s+vụ\s+(?:tỉnh|thành|huyện|thị|quận)\s+ủy|(?:tỉnh|thành|huyện|thị|quận)\s+ủy)"
)
# A vote carried in the meeting ("nhất trí", "tán thành") decides the level, and
# so does a higher body rating a unit ("Ban Thường vụ Tỉnh ủy xếp loại …").
_STAGES = re.compile(
    r"(?i:(?P<self>tự\s+(?:xếp\s+loại|đánh\s+giá|nhận\s+mức|nhận|chấm|kiểm\s+điểm))"
    # "cơ quan tham mưu, giúp việc" names advisory agencies; it proposes nothing.
    r"|(?P<proposed>đề\s+xuất|đề\s+nghị|thẩm\s+định|dự\s+kiến|(?<!quan )tham\s+mưu(?!,?\s+giúp\s+việc))"
    r"|(?P<approved>quyết\s+định|thống\s+nhất|kết\s+quả|công\s+nhận|biểu\s+quyết|phê\s+duyệt|nhất\s+trí"
    r"|công\s+bố|thông\s+báo"
    rf"|tán\s+thành|đồng\s+ý|{RATED_BY_BODY}"
    rf"|{_DECIDING_BODY}\s+(?:(?i:đã)\s+)?(?i:xếp\s+loại|đánh\s+giá,?\s+xếp\s+loại)))"
)


@dataclass(frozen=True, slots=True)
class Unit:
    """A unit phrase at [start, end): its display name and kind (SCHEMA.md KIND, or "person")."""

    start: int
    end: int
    name: str
    kind: str
    plural: bool
    paired: bool = False


def find_units(text: str, start: int, end: int, *, province: str | None, year: int | None) -> list[Unit]:
    """Unit phrases within [start, end) of ``text``, in order."""
    units = []
    for match in _UNIT.finditer(text, start, end):
        kind = _kind(match, province, year)
        if _PERSON_BEFORE.search(text, max(0, match.start() - 16), match.start()):
            kind = "person"
        plural = bool(_PLURAL_BEFORE.search(text, max(0, match.start() - 12), match.start()))
        units.append(Unit(match.start(), match.end(), _display_name(match, kind, province), kind, plural))
    for index in range(len(units) - 1):
        units[index] = _paired(text, units[index], units[index + 1], province, year)
    return units


def unit_at(text: str, start: int, end: int, *, province: str | None, year: int | None) -> Unit | None:
    """The unit phrase starting right at ``start`` and ending before ``end``, if one does."""
    match = _UNIT.match(text, start, end)
    if match is None:
        return None
    kind = _kind(match, province, year)
    if _PERSON_BEFORE.search(text, max(0, start - 16), start):
        kind = "person"
    return Unit(start, match.end(), _display_name(match, kind, province), kind, False)


def unit_named(phrase: str, *, province: str | None, year: int | None) -> Unit | None:
    """The unit a whole phrase names ("Đảng bộ huyện Tân Phú"), or None when it names none."""
    match = _UNIT.fullmatch(phrase)
    if match is None:
        return None
    kind = _kind(match, province, year)
    return Unit(0, len(phrase), _display_name(match, kind, province), kind, False)


def _paired(text: str, unit: Unit, following: Unit, province, year) -> Unit:
    """ "Đảng bộ, Ban Thường vụ Huyện ủy X": the bare "Đảng bộ" is the Party organization whose committee follows."""
    committee = _PAIRED_COMMITTEE.fullmatch(following.name)
    if (
        committee is None
        or following.kind != "ban_thuong_vu"
        or unit.kind != "other"
        or unit.name.casefold() != "đảng bộ"
        or not _PAIR_GAP.fullmatch(text, unit.end, following.start)
    ):
        return unit
    place = _COMMITTEE_PLACES[committee.group("level").casefold()]
    phrase = " ".join(part for part in ("Đảng bộ", place, committee.group("name")) if part)
    named = unit_named(phrase, province=province, year=year)
    if named is None:
        return unit
    return Unit(unit.start, unit.end, named.name, named.kind, unit.plural, paired=True)


def stage_before(text: str, start: int, end: int) -> str:
    """The stage named nearest before ``end`` in [start, end), else "unknown"."""
    stage = "unknown"
    for match in _STAGES.finditer(text, start, end):
        stage = match.lastgroup
    return stage


def _kind(match: re.Match, province: str | None, year: int | None) -> str:
    kind = next(kind for kind, _ in _KIND_PATTERNS if match.group(kind))
    if kind == "agency":
        return "other"
    if kind == "city":
        return "dang_bo_tinh" if _is_provincial_city(match.group("name") or province) else "dang_bo_truc_thuoc"
    if kind == "armed_city":
        return "dang_bo_truc_thuoc" if _is_provincial_city(match.group("name") or province) else "to_chuc_co_so_dang"
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
