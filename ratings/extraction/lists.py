"""Units named in a list that one level rates.

"7 đảng bộ cấp trên cơ sở được xếp loại hoàn thành xuất sắc nhiệm vụ, gồm:
huyện A, huyện B và Đảng bộ Quân sự tỉnh", "Cụ thể, các đảng bộ: A, B, C được
xếp loại …", "các Đảng bộ Bệnh viện A và Trường Cao đẳng B được xếp loại …".
A list is often announced by a group, a count or "các" before the kind word
its names share; each name is then either a unit phrase of its own ("Đảng bộ
Quân sự tỉnh") or a bare name that the shared kind word completes ("huyện A"
→ "Đảng bộ huyện A"). The group's qualifier gives the kind where the name
cannot ("4 đảng bộ cơ sở, gồm: Đảng bộ Công ty X" is grassroots). The place
word may come with the kind word instead ("Đảng bộ các huyện: A, B"). After a
"gồm:" that ends its line, the names may stand one a line, with or without a
bullet ("- ", "+ ", "1. "), until a line that says more than a name.

The announced count is checked against the names but never overrides them:
a list that names fewer units than it announces ("… và 2 đơn vị khác") or
more keeps each unit it names, adds no rating for a unit it leaves unnamed,
and marks nothing on the ratings; the count itself is a tally's figure.
``NamedList.agrees`` tells a caller that wants to warn.

"và" joins names and sits inside them ("Sở Tài nguyên và Môi trường"): it
ends a name when a new one plainly starts after it (a place or institution
word, a unit phrase), or when a capitalized word follows a name that is not
an institution's ("Tân Phú và Định Quán").
"""
import re
from dataclasses import dataclass

from . import numbers
from .units import NAME_ENDERS, Unit, unit_at, unit_named

# The shared kind word of a group, with the kind its qualifier states and the
# words that complete a bare name; None where the names must tell the kind.
_HEADS = (
    ("dang_bo_truc_thuoc", "Đảng bộ", r"đảng bộ (?:cấp trên cơ sở|trực thuộc (?:tỉnh|thành) ủy)"),
    ("dang_bo_truc_thuoc", "Đảng ủy", r"đảng ủy (?:cấp trên cơ sở|trực thuộc (?:tỉnh|thành) ủy)"),
    ("to_chuc_co_so_dang", "Đảng bộ", r"đảng bộ cơ sở"),
    ("to_chuc_co_so_dang", "Chi bộ", r"chi bộ cơ sở"),
    ("to_chuc_co_so_dang", "", r"tổ chức cơ sở đảng|tccsđ"),
    ("chi_bo", "Chi bộ", r"chi bộ(?: trực thuộc)?"),
    (None, "Đảng bộ", r"đảng bộ(?: trực thuộc)?"),
    (None, "Đảng ủy", r"đảng ủy(?: trực thuộc)?"),
    ("ban_thuong_vu", "Ban Thường vụ", r"ban thường vụ"),
    ("dang_doan", "Đảng đoàn", r"đảng đoàn"),
    ("ban_can_su", "Ban cán sự đảng", r"ban cán sự đảng"),
    (None, "", r"đơn vị|tập thể|tổ chức đảng|cấp ủy"),
)
_GROUP = re.compile(
    rf"(?P<marker>(?i:các|những)|{numbers.COUNT})\s+(?i:"
    + "|".join(f"(?P<head{index}>{pattern})" for index, (_, _, pattern) in enumerate(_HEADS)).replace(" ", r"\s+")
    + r")(?![^\W\d_])"
)
# "Đảng bộ các huyện: A, B" names its kind word first and the place word its names share after it.
_PLACE_GROUP = re.compile(
    r"(?P<head>(?i:đảng\s+bộ|đảng\s+ủy|chi\s+bộ))\s+(?i:các|những)\s+"
    r"(?P<place>(?i:huyện|thị\s+xã|thành\s+phố|quận|xã|phường|thị\s+trấn|ấp|khóm|thôn|bản))(?![^\W\d_])"
)
_GROUP_TO_NAMES = re.compile(r"\s*:?\s*[\"']?")
# "… nhiệm vụ, gồm 3 đảng bộ: …", "… nhiệm vụ có 2 chi bộ: …", "… nhiệm vụ” đối với 3 đảng bộ, gồm: …",
# "… nhiệm vụ: 2 đơn vị (A, B)".
_GROUP_OPENER = re.compile(
    r"[\s\"']*(?:\([^()]*\))?\s*(?:(?i:năm)\s+\d{4})?\s*,?\s*(?:(?i:gồm\s+có|gồm|có|là|đối\s+với|cho|trong\s+đó(?:\s+có)?)\s+|:\s*)"
)
_GROUP_CLOSER = re.compile(r"\s*,?\s*(?:(?i:là|gồm(?:\s+có)?)\s*)?[:(]\s*[\"']?")

_PLACES = "huyện|thị xã|thành phố|quận|xã|phường|thị trấn|đặc khu|ấp|khóm|thôn|xóm|bản|tổ dân phố|khu phố"
# Institutions whose names may hold "và": "Sở Kế hoạch và Đầu tư", "Khối Cơ quan và Doanh nghiệp".
_INSTITUTIONS = "sở|bộ|ban|ủy ban|hội|liên đoàn|viện|học viện|trường|khối|cục|chi cục|văn phòng|tổng công ty"
_OPENERS = (
    f"{_PLACES}|{_INSTITUTIONS}|bệnh viện|công ty|tập đoàn|trung tâm|cơ quan|báo|đài|ngân hàng|kho bạc|tòa án"
    "|viện kiểm sát|công an|quân sự|bộ chỉ huy|bộ đội|đại học|đảng bộ|đảng ủy|chi bộ|huyện ủy|thị ủy|thành ủy"
    "|quận ủy|tỉnh ủy|ban thường vụ|ban chấp hành|đảng đoàn|ban cán sự|tổ chức cơ sở đảng|tccsđ|tập thể lãnh đạo"
    "|cấp ủy"
)
# Longest first, so that "ban thường vụ" is one opener and not "ban".
_OPENER = re.compile(
    rf"(?i:{'|'.join(sorted(_OPENERS.split('|'), key=len, reverse=True))})(?![^\W\d_])".replace(" ", r"\s+")
)
_PLACE = re.compile(rf"(?i:{_PLACES})(?![^\W\d_])".replace(" ", r"\s+"))
_INSTITUTION = re.compile(rf"(?i:{_INSTITUTIONS})(?![^\W\d_])".replace(" ", r"\s+"))
_WORD = re.compile(r" *((?i:tp)\. ?[^\s,.;:()\"']+|[^\s,.;:()\"']+)")
_AND = re.compile(r" +(?i:và) +")
_SEPARATOR = re.compile(r"\s*(?:[,;]\s*(?:(?i:và)\s+)?|(?i:và)\s+)")
_NAME_WORDS = 10
# Words that open the rest of a sentence, or a level, even when capitalized at
# the start of a line: "Xếp loại HTXSNV: …", "Hoàn thành tốt nhiệm vụ: …".
_NOT_A_NAME = re.compile(
    r"(?i:(?:xếp\s+loại|hoàn\s+thành|không\s+(?:hoàn|có)|tự\s+(?:đánh|xếp)|đánh\s+giá|kết\s+quả|tổng\s+số"
    r"|trong\s+(?:đó|số)|năm\s+\d|t[ỷỉ]\s+lệ|được|đạt|gồm|là|có|chiếm)(?![^\W\d_]))"
    r"|K?HT(?:XS|T)?NV(?![^\W\d_])|TSVM"
)
# The mark opening an item on a line of its own: "- ", "+ ", "• ", "1. ", "a) ".
_BULLET = re.compile(r"(?:[-+•*]|\d{1,2}[.)]|[a-zđ]\))?\s*")
# A line that states a level or a figure is no item of a list of names.
_STATES_A_LEVEL = re.compile(r"(?i:nhiệm\s+vụ|trong\s+sạch|xếp\s+loại)|K?HT(?:XS|T)?NV|\d+\s*%")
_LINES_LIMIT = 80
# What may follow the names on an item line: punctuation or a note in brackets. A line with more is prose.
_LINE_REST = re.compile(r"\s*(?:\([^()\n]*\))?\s*[,;.]?\s*")
# "các chi bộ Đảng trực thuộc": the word "Đảng" qualifies the kind word, it names no one.
_PARTY = re.compile(r"(?i:đảng)(?![^\W\d_])")
# "Tỉnh ủy" names the province's Party organization without a name of its own.
_NAMED_BY_CONTEXT = ("dang_bo_tinh", "ban_thuong_vu")


# The unit kinds a group's qualifier overrides: any group settles "other"; a list of grassroots
# organizations ("10 tổ chức cơ sở đảng … gồm: Chi bộ Trường A, …") names chi bộ cơ sở.
_KINDS_A_GROUP_SETTLES = {
    kind: ("other", "chi_bo") if kind == "to_chuc_co_so_dang" else ("other",)
    for kind, _, _ in _HEADS
    if kind
}

# A name that a word like "có" cut short ("Chi bộ Người có công với cách mạng"), in a list whose next
# item plainly starts a unit phrase after a comma: the words up to that comma still belong to the name.
_RUN_ON = re.compile(
    r"[ ]+[^,;.:()\n\d]{1,60}?(?=\s*[,;]\s*(?:(?i:và)\s+)?(?i:đảng\s+bộ|chi\s+bộ|đảng\s+ủy)(?![^\W\d_]))"
)
# A chi bộ of a commune's body ("Chi bộ Trạm Y tế xã A") stands under the commune's Party committee,
# not directly under the district: a cell, whatever the list's group.
_UNDER_COMMUNE = re.compile(r"(?i:(?<!thị )(?<![^\W\d_])(?:xã|phường|thị\s+trấn|thôn|ấp|bản|khóm|xóm)(?![^\W\d_]))")


@dataclass(frozen=True, slots=True)
class Group:
    """ "7 đảng bộ cấp trên cơ sở" at [start, end): the count announced, the kind, the words that complete a name."""

    start: int
    end: int
    announced: int | None
    kind: str | None
    prefix: str
    place: str | None = None


@dataclass(frozen=True, slots=True)
class NamedList:
    """The units a list names, in order, and the group that announced it."""

    group: Group | None
    units: tuple[Unit, ...]
    end: int

    @property
    def agrees(self) -> bool | None:
        """Whether the count announced matches the names found; None when no count is announced."""
        if self.group is None or self.group.announced is None:
            return None
        return self.group.announced == len(self.units)


def find_groups(text: str, start: int, end: int) -> list[Group]:
    """The groups announced within [start, end), in order."""
    groups = [_group(match) for match in _GROUP.finditer(text, start, end)]
    if "các" in text[start:end] or "những" in text[start:end]:
        groups += [_place_group(match) for match in _PLACE_GROUP.finditer(text, start, end)]
        groups.sort(key=lambda group: group.start)
    return groups


def group_opening_list(text: str, start: int, end: int) -> tuple[Group, int] | None:
    """A group announced right after a level ("…, gồm 3 đảng bộ: "), and where its names start."""
    opener = _GROUP_OPENER.match(text, start, end)
    match = opener and _GROUP.match(text, opener.end(), end)
    closer = match and _GROUP_CLOSER.match(text, match.end(), end)
    return (_group(match), closer.end()) if closer else None


def names_after(text: str, group: Group, end: int) -> int:
    """Where the names of a group start: "các đảng bộ: A, B", "các Đảng bộ Bệnh viện A và …"."""
    return _GROUP_TO_NAMES.match(text, group.end, end).end()


def read_list(text: str, start: int, end: int, *, group: Group | None, province, year) -> NamedList:
    """The names listed from ``start`` (before ``end``), each one a unit of the group's kind where it has none."""
    units, position = [], _skip_spaces(text, start)
    prefix, place = (group.prefix, group.place) if group else ("", None)
    while (item := _read_item(text, position, end, province, year)) is not None:
        name_end, unit = item
        if unit is None:
            unit, place = _completed(text, position, name_end, group, prefix, place, province, year)
            if unit is None:
                break
        else:
            if unit.kind == "person":
                break
            head = _OPENER.match(text, position)
            if not (group and group.prefix) and head:
                prefix = _title(head.group())
            place = _place(text, head.end() if head else position)
            kind = unit.kind
            if unit.kind in _KINDS_A_GROUP_SETTLES.get(group and group.kind, ()) and not (
                unit.kind == "chi_bo" and _UNDER_COMMUNE.search(unit.name)
            ):
                kind = group.kind
            unit = Unit(position, name_end, unit.name, kind, False)
        separator = _SEPARATOR.match(text, name_end, end)
        run_on = None if separator else _RUN_ON.match(text, name_end, end)
        if run_on and group and not _STATES_A_LEVEL.search(run_on.group()):
            name_end = run_on.end()
            name = f"{unit.name} {' '.join(run_on.group().split())}"
            unit = Unit(unit.start, name_end, name, unit.kind, unit.plural)
            separator = _SEPARATOR.match(text, name_end, end)
        units.append(unit)
        if separator is None:
            break
        position = separator.end()
    return NamedList(group, tuple(units), units[-1].end if units else start)


def read_lines(text: str, start: int, *, group: Group | None, province, year) -> NamedList:
    """Names listed one a line after "gồm:" ending the line at ``start``, with or without bullets."""
    units, end = [], start
    line_start = text.find("\n", start)
    for _ in range(_LINES_LIMIT):
        if line_start < 0:
            break
        line_start += 1
        line_end = text.find("\n", line_start)
        line_end = len(text) if line_end < 0 else line_end
        item_start = _BULLET.match(text, line_start, line_end).end()
        if item_start == line_end and not units:
            line_start = line_end if line_end < len(text) else -1
            continue  # a blank line between "gồm:" and the first item
        if _STATES_A_LEVEL.search(text, item_start, line_end):
            break
        named = read_list(text, item_start, line_end, group=group, province=province, year=year)
        rest = _LINE_REST.match(text, named.end, line_end)
        if not named.units or rest.end() < line_end:
            break
        units.extend(named.units)
        end = named.end
        line_start = line_end if line_end < len(text) else -1
    return NamedList(group, tuple(units), end)


def _place_group(match: re.Match) -> Group:
    place = " ".join(match.group("place").lower().split())
    return Group(match.start(), match.end(), None, None, _title(match.group("head")), place)


def _group(match: re.Match) -> Group:
    index = next(i for i in range(len(_HEADS)) if match.group(f"head{i}"))
    kind, prefix, _ = _HEADS[index]
    marker = match.group("marker")
    announced = None if marker.casefold() in ("các", "những") else numbers.parse_count(marker)
    return Group(match.start(), match.end(), announced, kind, prefix)


def _read_item(text: str, start: int, end: int, province, year) -> tuple[int, Unit | None] | None:
    """Where the name starting at ``start`` ends, with its unit when it is a unit phrase of its own."""
    if _NOT_A_NAME.match(text, start):
        return None
    unit = unit_at(text, start, end, province=province, year=year)
    if not (unit or ((_capitalized(text, start) or _OPENER.match(text, start)) and not _PARTY.match(text, start))):
        return None
    head = _OPENER.match(text, start) if unit else None
    name_start = _skip_spaces(text, head.end()) if head else start
    opener = _OPENER.match(text, name_start)
    institution = bool(_INSTITUTION.match(text, name_start))
    words_start = opener.end() if opener else name_start
    position, words = words_start, 0
    while words < _NAME_WORDS:
        joined = _AND.match(text, position, end)
        if joined and words:
            following = joined.end()
            if _OPENER.match(text, following) or not (institution and _capitalized(text, following)):
                break
            position = following
        word = _WORD.match(text, position, end)
        if word is None or _ends_name(word.group(1)):
            break
        if not (words or unit or opener is None or _capitalized(text, opener.start()) or _proper(word.group(1))):
            break  # "các đảng bộ huyện đều …", "các chi bộ trường học …" name no one
        position, words = word.end(), words + 1
    if not words and not (unit and unit.kind in _NAMED_BY_CONTEXT):
        return None
    if unit:
        unit = unit_at(text, start, position, province=province, year=year)
    return position, unit


def _ends_name(word: str) -> bool:
    return word in NAME_ENDERS or (word.isupper() and word.lower() in NAME_ENDERS)


def _completed(text, start, end, group, prefix, place, province, year) -> tuple[Unit | None, str | None]:
    """The unit a bare name stands for, completed by the shared kind word and the place word before it."""
    phrase = " ".join(text[start:end].split())
    opens_with_place = _place(text, start)
    if opens_with_place is None and place and _capitalized(text, start):
        phrase = f"{place} {phrase}"
    place = opens_with_place or place
    if not prefix:
        return _body(text, start, end, group), place
    composed = f"{prefix} {phrase}"
    named = unit_named(composed, province=province, year=year)
    kind = (group.kind if group else None) or (named.kind if named else "other")
    return Unit(start, end, named.name if named else composed, kind, False), place


def _body(text: str, start: int, end: int, group: Group | None) -> Unit | None:
    """A Party organization that a group of known kind lists by its institution's name: "2 TCCSĐ:
    Trường THPT A, Công ty B". Under a group of no kind ("các đơn vị: Công an tỉnh") such a name is the
    agency, not its Party organization."""
    if group is None or group.kind is None or not (_capitalized(text, start) and _OPENER.match(text, start)):
        return None
    return Unit(start, end, " ".join(text[start:end].split()), group.kind, False)


def _place(text: str, start: int) -> str | None:
    """The place word a name opens with ("huyện", "thị xã"), lower-cased."""
    match = _PLACE.match(text, _skip_spaces(text, start))
    return " ".join(match.group().lower().split()) if match else None


def _skip_spaces(text: str, position: int) -> int:
    while text.startswith(" ", position):
        position += 1
    return position


def _proper(word: str) -> bool:
    return word[:1].isupper() or word[:1].isdigit()


def _capitalized(text: str, position: int) -> bool:
    return text[position : position + 1].isupper()


def _title(words: str) -> str:
    words = " ".join(words.split())
    return words[:1].upper() + words[1:]
