"""Rating levels named in a text, minus the phrases that only look like one.

"hoàn thành nhiệm vụ" sits inside the two higher levels and inside plain
prose ("mức độ hoàn thành nhiệm vụ", "phấn đấu hoàn thành xuất sắc nhiệm vụ",
"hoàn thành tốt nhiệm vụ chính trị"), so the longest phrase is taken first and
phrases stating a goal, a measure or a run of years are dropped. A floor
("hoàn thành tốt nhiệm vụ trở lên") is kept as a mention of the level and
every level above it: a share at or above a level is a figure, though no unit
is rated so. The older scale (TSVM, YK) is found here and kept or dropped by
the year it rates, which only the assembling steps know.
"""
import re
from dataclasses import dataclass

NEW_SCALE = ("HTXSNV", "HTTNV", "HTNV", "KHTNV")
OLD_SCALE = ("TSVMTB", "TSVM", "HTTNV", "HTNV", "YK")
OLD_ONLY = frozenset({"TSVMTB", "TSVM", "YK"})
# HD 27-HD/BTCTW (2014) was the last guidance with these levels; from the
# 2018 review "trong sạch, vững mạnh" is a commendation, not a level.
LAST_OLD_SCALE_YEAR = 2017

# Scanned on the lower-cased text, where each pattern starts with a literal.
_PHRASE = re.compile(
    r"hoàn\s+thành\s+(?:(?P<grade>xuất\s+sắc|tốt)\s+)?nhiệm\s+vụ(?![^\W\d_])"
    r"|trong\s+sạch(?:\s*-\s*|,?\s+)vững\s+mạnh(?P<model>\s+tiêu\s+biểu)?(?![^\W\d_])"
    r"|yếu(?:\s*,\s*|\s+)kém(?![^\W\d_])"
)
# "Có 11 chi bộ thành nhiệm vụ": a dropped "hoàn" right after a count of units.
_DROPPED_HOAN = re.compile(
    r"\d\s+(?:chi\s+bộ|đảng\s+viên|tổ\s+chức\s+cơ\s+sở\s+đảng|tccsđ)\s+(?P<level>thành\s+nhiệm\s+vụ)(?![^\W\d_])"
)
_PHRASE_LEVELS = {"xuất": "HTXSNV", "tốt": "HTTNV", None: "HTNV"}
# "21 đơn vị hoàn thành tốt nhiệm vụ; trong đó 4 đơn vị hoàn thành xuất sắc": the level said short, without
# "nhiệm vụ", once the count before it and a full level near it show a rating is meant.
_ELLIPTIC = re.compile(
    r"hoàn\s+thành\s+(?P<grade>xuất\s+sắc|tốt)(?=\s*(?:[,;.)(]|và(?![^\W\d_])|chiếm(?![^\W\d_])|$))"
)
_ELLIPTIC_COUNTED_BEFORE = re.compile(
    r"(?:\d\s*%?\s+(?:[^\W\d_]+\s+){1,4}?(?:được\s+|đạt\s+|xếp\s+loại\s+)?|trong\s+(?:số\s+)?đó,?\s+)$"
)
_ELLIPTIC_REACH = 200
_NEGATION_BEFORE = re.compile(r"(?<![^\W\d_])không\s+$")
# "số đảng viên chưa hoàn thành nhiệm vụ": members not (yet) meeting the lowest passing level.
_NOT_YET_BEFORE = re.compile(r"(?<![^\W\d_])(?:đảng viên|tổ chức(?: cơ sở)? đảng|chi bộ|tccsđ)\s+(?P<negation>chưa)\s+$")
_ABBREVIATION = re.compile(r"K?HT(?:XS|T)?NV|TSVM(?:TB|\s+(?i:tiêu\s+biểu))?")
_ABBREVIATION_PAREN = re.compile(r"\s*\(\s*(?:K?HT(?:XS|T)?NV|TSVM(?:TB)?|YK)\s*\)")
_GOAL_BEFORE = re.compile(
    r"\b(?:phấn đấu|quyết tâm|để|nhằm|cố gắng|sẽ|cần|phải|tiếp tục|góp phần|giúp|chưa)\s*\"?\s*$"
)
# A level held "hằng năm" or "nhiều năm liền" names no year: a run of years is a commendation, not a rating.
_RECURRING_BEFORE = re.compile(
    r"(?:(?<![^\W\d_])(?:hằng|hàng)\s+năm|nhiều\s+năm\s+(?:liền|liên\s+tục|liên\s+tiếp)"
    r"|\d+\s+năm\s+(?:liền|liên\s+tục|liên\s+tiếp)|liên\s+tục\s+(?:\d+|nhiều)\s+năm"
    r"(?:\s*(?:,|và)?\s*(?:năm\s+)?(?:19|20)\d\d)*)(?![^\W\d_])(?:(?!năm\s+\d{4})[^;.:()]){0,60}$"
)
_RECURRING_REACH = 100
# "Hàng năm chi bộ có 8% đảng viên … xuất sắc nhiệm vụ, 91% hoàn thành tốt nhiệm vụ": a sentence opening on
# a habit states no year's figure anywhere in it.
_HABIT_OPENS_SENTENCE = re.compile(
    r"(?:^|[.!?\n]\s*)[\"']?(?:(?:hằng|hàng)\s+năm|nhiều\s+năm\s+(?:liền|qua))(?![^\W\d_])"
    r"(?:(?!năm\s+\d{4})[^.!?\n]){0,240}$"
)
_HABIT_REACH = 260
_RECURRING_AFTER = re.compile(r"\s*[\"']?\s*(?:hằng|hàng)\s+năm(?![^\W\d_])")
# "đạt trong sạch vững mạnh nhiều năm liền": a run of unnamed years is a commendation, not one year's level.
_RUN_OF_YEARS_AFTER = re.compile(r"\s*[\"']?\s*(?:trong\s+)?(?:\d+|nhiều)\s+năm\s+(?:liền|liên tục|liên tiếp)(?![^\W\d_])")
_MEASURE_BEFORE = re.compile(r"\b(?:mức độ|việc|kết quả|t[ỷỉ] lệ|khả năng|tiến độ)\s*$")
# After a level, words naming one particular task ("… nhiệm vụ huấn luyện",
# "… nhiệm vụ kiểm tra, giám sát"), a commendation ("… tiêu biểu", "… 5 năm
# liền") or remedial work ("… yếu kém được củng cố") show that the phrase
# is not the year's level.
_VOID_AFTER = re.compile(
    r"\s*[\"']?\s*(?:(?:chính trị|được giao|trọng tâm|đột phá|đề ra|của mình|chuyên môn|tiêu biểu"
    r"|kiểm tra|giám sát|huấn luyện|sẵn sàng|chiến đấu|diễn tập|quân sự|quốc phòng|an ninh|phòng,?\s+chống"
    r"|bảo đảm|đảm bảo|bảo vệ|công tác|tuyên truyền|phát triển|tham mưu|phục vụ|cứu hộ|cứu nạn|năm học"
    r"|học tập|trong việc|giải ngân|đối ngoại|lãnh đạo|chỉ đạo|xây dựng|hỗ trợ|chuyên đề|cấp trên giao)"
    r"(?![^\W\d_])"
    r"|(?:trong\s+)?(?:\d+|\w+)\s+năm\s+(?:liền|liên tục|liên tiếp)"
    r"|(?:(?:đã\s+)?được\s+|cần\s+|phải\s+)?(?:củng cố|kiện toàn))"
)
# After these words, levels are targets, averages or estimates made before the
# review, not its results ("phấn đấu có 20% …; 90% …", "dự ước có 45 …"),
# until a later clause states a result ("Với mục tiêu …, Đảng bộ tỉnh được
# xếp loại …"); "vượt chỉ tiêu" reports one. "chỉ tiêu" right before the
# figure ("đặt chỉ tiêu 80% …") ends the searched span, where "$" matches.
_TARGET = re.compile(
    r"(?i:\b(?:phấn\s+đấu|mục\s+tiêu|bình\s+quân|trung\s+bình\s+mỗi\s+năm|dự\s+ước|ước\s+(?:đạt|tính))\b"
    r"|(?<!vượt )(?<!đạt )(?<!thành )\bchỉ\s+tiêu(?:\s+năm\s+\d{4})?\s*(?::|là\b|đề\s+ra|đặt\s+ra|$))"
)
_RESULT_CLAUSE = re.compile(
    r"(?i:[,;]\s*[^,;]*?\b(?:được\s+(?:xếp\s+loại|công\s+nhận|đánh\s+giá)|tự\s+(?:xếp\s+loại|đánh\s+giá)"
    r"|kết\s+quả|đã)\b)"
)
# "hoàn thành tốt nhiệm vụ trở lên", "… (HTTNV) trở lên": the level and every level above it.
_OR_ABOVE = re.compile(r"\s*[\"']?\s*trở\s+lên(?![^\W\d_])")
_COUNTED_TASK_WORDS = frozenset({"được giao"})
_COUNTED_BEFORE = re.compile(
    r"(?<![\d/.,])\d+(?:\s*/\s*\d+)?\s+(?:chi\s+bộ|đảng\s+bộ(?:\s+cơ\s+sở)?|tổ\s+chức\s+cơ\s+sở\s+đảng|tổ\s+chức\s+đảng"
    r"|tccsđ|đảng\s+viên|cán\s+bộ|đơn\s+vị)(?:\s+(?:được\s+)?(?:xếp\s+loại|đạt))?\s*$"
)
_BUILDING = "xây dựng"
_WEAK_CONTEXT = re.compile(r"xếp loại|loại|tổ chức|chi bộ|đảng bộ|đơn vị|đảng viên|tccsđ|\d")
_WEAK_VOID = re.compile(r"hạn chế|khắc phục|tồn tại|khuyết điểm|yếu kém")


@dataclass(frozen=True, slots=True)
class LevelMention:
    """A level phrase at [start, end) of the normalized text."""

    start: int
    end: int
    level: str
    or_above: bool = False

    @property
    def key(self) -> str:
        """The level's key in a tally: "HTTNV+" for "hoàn thành tốt nhiệm vụ trở lên"."""
        return f"{self.level}+" if self.or_above else self.level


def find_levels(text: str) -> list[LevelMention]:
    """Every level phrase of ``text`` that can carry a rating, in order."""
    lowered = text.lower()
    found = sorted(_phrases(lowered) + _abbreviations(text))
    mentions, covered_until = [], -1
    for start, end, level in found:
        if start < covered_until:
            continue
        paren = _ABBREVIATION_PAREN.match(text, end)
        end = paren.end() if paren else end
        floor = _OR_ABOVE.match(lowered, end)
        mention = LevelMention(start, floor.end() if floor else end, level, or_above=bool(floor))
        covered_until = mention.end
        if _is_rating_phrase(lowered, mention):
            mentions.append(mention)
    return mentions


def _phrases(lowered: str) -> list[tuple[int, int, str]]:
    found = []
    for match in _PHRASE.finditer(lowered):
        start = match.start()
        if start and lowered[start - 1].isalpha():
            continue
        phrase = match.group()
        if phrase.startswith("hoàn"):
            grade = match.group("grade")
            level = _PHRASE_LEVELS[grade.split()[0] if grade else None]
            negation = _NEGATION_BEFORE.search(lowered, max(0, start - 8), start)
            not_yet = None if grade or negation else _NOT_YET_BEFORE.search(lowered, max(0, start - 30), start)
            if negation or not_yet:
                start, level = negation.start() if negation else not_yet.start("negation"), "KHTNV"
        elif phrase.startswith("trong"):
            level = "TSVMTB" if match.group("model") else "TSVM"
        else:
            level = "YK"
        found.append((start, match.end(), level))
    found += _elliptic(lowered, found)
    if "thành nhiệm vụ" in lowered:
        found += [(match.start("level"), match.end(), "HTNV") for match in _DROPPED_HOAN.finditer(lowered)]
    return found


def _elliptic(lowered: str, full: list[tuple[int, int, str]]) -> list[tuple[int, int, str]]:
    """Short levels counted right before them, with a full level phrase close by."""
    found = []
    for match in _ELLIPTIC.finditer(lowered):
        start = match.start()
        counted = _ELLIPTIC_COUNTED_BEFORE.search(lowered, max(0, start - 40), start)
        near = any(abs(other - start) <= _ELLIPTIC_REACH and level != "YK" for other, _, level in full)
        if counted and near:
            found.append((start, match.end(), _PHRASE_LEVELS[match.group("grade").split()[0]]))
    return found


def _abbreviations(text: str) -> list[tuple[int, int, str]]:
    if "NV" not in text and "TSVM" not in text:
        return []
    return [
        (match.start(), match.end(), _abbreviated_level(match.group()))
        for match in _ABBREVIATION.finditer(text)
        if not _glued(text, match.start(), match.end())
    ]


def _abbreviated_level(written: str) -> str:
    return "TSVMTB" if written.startswith("TSVM") and written != "TSVM" else written


def states_a_target(text: str, start: int, position: int) -> bool:
    """Whether a figure at ``position`` belongs to a target or an average stated since ``start``."""
    target = None
    for target in _TARGET.finditer(text, start, position):
        pass
    return target is not None and not _RESULT_CLAUSE.search(text, target.end(), position)


def _voided_after(lowered: str, mention: LevelMention) -> bool:
    """Words after a level that void it, unless a count of units stands right before it: "2 chi bộ
    hoàn thành xuất sắc nhiệm vụ được giao" counts units by their level, whatever task words follow."""
    void = _VOID_AFTER.match(lowered, mention.end)
    if void is None:
        return False
    task_words = lowered[mention.end : void.end()].strip(" \"'")
    if task_words not in _COUNTED_TASK_WORDS:
        return True
    return not _COUNTED_BEFORE.search(lowered, max(0, mention.start - 40), mention.start)


def _glued(text: str, start: int, end: int) -> bool:
    return (start > 0 and text[start - 1].isalnum()) or (end < len(text) and text[end].isalnum())


def _is_rating_phrase(lowered: str, mention: LevelMention) -> bool:
    before = lowered[max(0, mention.start - 60) : mention.start]
    if mention.level == "TSVM" or mention.level == "TSVMTB":
        return _BUILDING not in before and not _RUN_OF_YEARS_AFTER.match(lowered, mention.end)
    if mention.level == "YK":
        near = before[-40:]
        remedied = _VOID_AFTER.match(lowered, mention.end)
        return bool(_WEAK_CONTEXT.search(near)) and not (_WEAK_VOID.search(near) or remedied)
    if _GOAL_BEFORE.search(before) or _voided_after(lowered, mention):
        return False
    recurring_start = max(0, mention.start - _RECURRING_REACH)
    recurring = _RECURRING_BEFORE.search(lowered, recurring_start, mention.start)
    if recurring or _RECURRING_AFTER.match(lowered, mention.end):
        return False
    if _HABIT_OPENS_SENTENCE.search(lowered, max(0, mention.start - _HABIT_REACH), mention.start):
        return False
    return not (mention.level == "HTNV" and _MEASURE_BEFORE.search(before))
