"""Provinces and centrally-run cities, before and after the 2025 merger.

Nghị quyết 202/2025/QH15 reduced the 63 provincial units to 34 from
1 July 2025 (28 provinces, 6 cities). Articles written before keep naming the
old units, so both lists are kept, each old unit with the one it became part
of. A province is read from the text only where a word such as "tỉnh",
"Tỉnh ủy" or "thành phố" introduces it (bare names are people's names too:
"Trần Thái Bình"); a bare name counts only in the headline, and not after a
word naming a place inside a province ("thị trấn Hòa Bình", "huyện Châu Thành").
"""
import collections
import functools
import re
from dataclasses import dataclass


@dataclass(frozen=True)
class Province:
    """A provincial unit; ``successor`` is the unit it belongs to from 1 July 2025."""

    name: str
    city: bool
    before_merger: bool
    after_merger: bool
    successor: str
    aliases: tuple[str, ...] = ()


# name, centrally-run city, unit from 1 July 2025 (Nghị quyết 202/2025/QH15), aliases
_TABLE = (
    ("Hà Nội", True, "Hà Nội", ()),
    ("Thừa Thiên Huế", False, "Huế", ("Thừa Thiên - Huế",)),
    ("Lai Châu", False, "Lai Châu", ()),
    ("Điện Biên", False, "Điện Biên", ()),
    ("Sơn La", False, "Sơn La", ()),
    ("Lạng Sơn", False, "Lạng Sơn", ()),
    ("Quảng Ninh", False, "Quảng Ninh", ()),
    ("Thanh Hóa", False, "Thanh Hóa", ()),
    ("Nghệ An", False, "Nghệ An", ()),
    ("Hà Tĩnh", False, "Hà Tĩnh", ()),
    ("Cao Bằng", False, "Cao Bằng", ()),
    ("Tuyên Quang", False, "Tuyên Quang", ()),
    ("Hà Giang", False, "Tuyên Quang", ()),
    ("Lào Cai", False, "Lào Cai", ()),
    ("Yên Bái", False, "Lào Cai", ()),
    ("Thái Nguyên", False, "Thái Nguyên", ()),
    ("Bắc Kạn", False, "Thái Nguyên", ("Bắc Cạn",)),
    ("Phú Thọ", False, "Phú Thọ", ()),
    ("Vĩnh Phúc", False, "Phú Thọ", ()),
    ("Hòa Bình", False, "Phú Thọ", ()),
    ("Bắc Ninh", False, "Bắc Ninh", ()),
    ("Bắc Giang", False, "Bắc Ninh", ()),
    ("Hưng Yên", False, "Hưng Yên", ()),
    ("Thái Bình", False, "Hưng Yên", ()),
    ("Hải Phòng", True, "Hải Phòng", ()),
    ("Hải Dương", False, "Hải Phòng", ()),
    ("Ninh Bình", False, "Ninh Bình", ()),
    ("Hà Nam", False, "Ninh Bình", ()),
    ("Nam Định", False, "Ninh Bình", ()),
    ("Quảng Trị", False, "Quảng Trị", ()),
    ("Quảng Bình", False, "Quảng Trị", ()),
    ("Đà Nẵng", True, "Đà Nẵng", ()),
    ("Quảng Nam", False, "Đà Nẵng", ()),
    ("Quảng Ngãi", False, "Quảng Ngãi", ()),
    ("Kon Tum", False, "Quảng Ngãi", ("Kontum",)),
    ("Gia Lai", False, "Gia Lai", ()),
    ("Bình Định", False, "Gia Lai", ()),
    ("Khánh Hòa", False, "Khánh Hòa", ()),
    ("Ninh Thuận", False, "Khánh Hòa", ()),
    ("Lâm Đồng", False, "Lâm Đồng", ()),
    ("Đắk Nông", False, "Lâm Đồng", ("Đăk Nông", "Đắc Nông", "Dak Nong")),
    ("Bình Thuận", False, "Lâm Đồng", ()),
    ("Đắk Lắk", False, "Đắk Lắk", ("Đắc Lắc", "Đăk Lăk", "Đắk Lăk", "Đăk Lắk", "Daklak", "Dak Lak")),
    ("Phú Yên", False, "Đắk Lắk", ()),
    ("Hồ Chí Minh", True, "Hồ Chí Minh", ("HCM",)),
    ("Bình Dương", False, "Hồ Chí Minh", ()),
    ("Bà Rịa - Vũng Tàu", False, "Hồ Chí Minh", ("Bà Rịa Vũng Tàu", "BR-VT")),
    ("Đồng Nai", False, "Đồng Nai", ()),
    ("Bình Phước", False, "Đồng Nai", ()),
    ("Tây Ninh", False, "Tây Ninh", ()),
    ("Long An", False, "Tây Ninh", ()),
    ("Cần Thơ", True, "Cần Thơ", ()),
    ("Sóc Trăng", False, "Cần Thơ", ()),
    ("Hậu Giang", False, "Cần Thơ", ()),
    ("Vĩnh Long", False, "Vĩnh Long", ()),
    ("Bến Tre", False, "Vĩnh Long", ()),
    ("Trà Vinh", False, "Vĩnh Long", ()),
    ("Đồng Tháp", False, "Đồng Tháp", ()),
    ("Tiền Giang", False, "Đồng Tháp", ()),
    ("Cà Mau", False, "Cà Mau", ()),
    ("Bạc Liêu", False, "Cà Mau", ()),
    ("An Giang", False, "An Giang", ()),
    ("Kiên Giang", False, "An Giang", ()),
)
# Huế became a centrally-run city on 1 January 2025, in place of the province
# Thừa Thiên Huế, and was left whole by the merger.
_RENAMED = (("Huế", True, "Huế", ()),)

_RENAMED_NAMES = {name for name, *_ in _RENAMED}
_SUCCESSORS = {successor for _, _, successor, _ in _TABLE + _RENAMED}
PROVINCES = {
    name: Province(
        name=name,
        city=city,
        before_merger=name not in _RENAMED_NAMES,
        after_merger=name in _SUCCESSORS,
        successor=successor,
        aliases=aliases,
    )
    for name, city, successor, aliases in _TABLE + _RENAMED
}

_UPPER = "A-ZĐÀÁẢÃẠĂẰẮẲẴẶÂẦẤẨẪẬÈÉẺẼẸÊỀẾỂỄỆÌÍỈĨỊÒÓỎÕỌÔỒỐỔỖỘƠỜỚỞỠỢÙÚỦŨỤƯỪỨỬỮỰỲÝỶỸỴ"
_SPELLINGS = {
    spelling: province.name
    for province in PROVINCES.values()
    for written in (province.name, *province.aliases)
    for spelling in (written, written.upper())
}
_NEVER_BARE = {"HCM", "Hồ Chí Minh", "HỒ CHÍ MINH"}
_NOT_LETTERS = re.compile(r"[\s-]+")


def _folded(spelling: str) -> str:
    return _NOT_LETTERS.sub("", spelling).casefold()


_BY_FOLDED = {_folded(spelling): name for spelling, name in _SPELLINGS.items()}


def _alternation(spellings) -> str:
    ordered = sorted(spellings, key=len, reverse=True)
    return "|".join(re.escape(s).replace(r"\ \-\ ", r"\s*-?\s*").replace(r"\ ", r"\s+") for s in ordered)


_NAMES = _alternation(_SPELLINGS)
# Scanned on the lower-cased text; the name is then read from the text itself.
_PREFIX = re.compile(r"t(?:ỉnh\s+ủy|hành\s+ủy|ỉnh|hành\s+phố|p\.?)\s*")
_NAME = re.compile(rf"(?P<name>{_NAMES})(?![^\W\d_])")
_BARE = re.compile(
    rf"(?<![^\W\d_])(?P<name>{_alternation(set(_SPELLINGS) - _NEVER_BARE)})(?![^\W\d_])(?!\s+[{_UPPER}])"
)
_CAPITALIZED_WORD_BEFORE = re.compile(rf"[{_UPPER}][^\s]*\s+$")
# "huyện Châu Thành", "thị trấn Hòa Bình", "xã Quảng Trị": a place inside a province, named like one.
_PLACE_WORD_BEFORE = re.compile(
    r"(?i:(?<![^\W\d_])(?:huyện|quận|thị\s+xã|thị\s+trấn|xã|phường|đặc\s+khu|ấp|thôn|xóm|bản|khóm|làng"
    r"|đường|phố|chợ|cầu|sông|núi|hồ|khu|trường|bệnh\s+viện|công\s+ty|hợp\s+tác\s+xã)\s+)$"
)
_LEAD_LENGTH = 800
_WEIGHT_TITLE, _WEIGHT_LEAD, _WEIGHT_BODY = 3, 2, 1


def find_province(text: str, title: str | None = None) -> str | None:
    """The province the article is about, or None when the text names none."""
    title_start = text.find(title) if title else -1
    title_end = title_start + len(title) if title_start >= 0 else 0
    scores = collections.Counter()
    first_seen = {}
    lowered = text.lower()
    for prefix in _PREFIX.finditer(lowered):
        if prefix.start() and lowered[prefix.start() - 1].isalpha():
            continue
        match = _NAME.match(text, prefix.end())
        if match is None:
            continue
        if title_start <= match.start() < title_end:
            weight = _WEIGHT_TITLE
        elif match.start() < title_end + _LEAD_LENGTH:
            weight = _WEIGHT_LEAD
        else:
            weight = _WEIGHT_BODY
        _count(scores, first_seen, match, weight)
    if title_start >= 0:
        for match in _BARE.finditer(text, title_start, title_end):
            before = (title_start, match.start())
            if not (_CAPITALIZED_WORD_BEFORE.search(text, *before) or _PLACE_WORD_BEFORE.search(text, *before)):
                _count(scores, first_seen, match, _WEIGHT_LEAD)
    if not scores:
        return None
    return max(scores, key=lambda name: (scores[name], -first_seen[name]))


# Called for every unit phrase of every article: the names repeat, so their answers are kept.
@functools.lru_cache(maxsize=4096)
def canonical_province(name: str | None) -> str | None:
    """The table's spelling of a province a user typed ("tỉnh trà vinh" -> "Trà Vinh")."""
    if not name or not name.strip():
        return None
    wanted = " ".join(name.split()).casefold()
    for prefix in ("tỉnh ", "thành phố ", "tp. ", "tp "):
        wanted = wanted.removeprefix(prefix)
    return _BY_FOLDED.get(_folded(wanted), name.strip())


def successor_of(name: str) -> str | None:
    """The unit a province belongs to from 1 July 2025, or None when unknown."""
    province = PROVINCES.get(canonical_province(name) or "")
    return province.successor if province else None


def _count(scores, first_seen, match, weight):
    name = _BY_FOLDED[_folded(match.group("name"))]
    scores[name] += weight
    first_seen.setdefault(name, match.start())
