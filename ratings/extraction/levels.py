"""Rating levels named in a text, minus the phrases that only look like one.

"hoàn thành nhiệm vụ" sits inside the two higher levels and inside plain
prose ("mức độ hoàn thành nhiệm vụ", "phấn đấu hoàn thành xuất sắc nhiệm vụ",
"hoàn thành tốt nhiệm vụ chính trị"), so the longest phrase is taken first and
phrases stating a goal, a measure, a floor ("... trở lên") or a run of years
are dropped. The older scale (TSVM, YK) is found here and kept or dropped by
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

_PHRASES = {
    "KHTNV": "không hoàn thành nhiệm vụ",
    "HTXSNV": "hoàn thành xuất sắc nhiệm vụ",
    "HTTNV": "hoàn thành tốt nhiệm vụ",
    "HTNV": "hoàn thành nhiệm vụ",
    "TSVMTB": "trong sạch,? vững mạnh tiêu biểu",
    "TSVM": "trong sạch,? vững mạnh",
    "YK": "yếu kém",
}
_ABBREVIATIONS = "KHTNV|HTXSNV|HTTNV|HTNV|TSVMTB|TSVM"
_PHRASE_ALTERNATIVES = "|".join(f"(?P<{code}>{phrase})" for code, phrase in _PHRASES.items()).replace(" ", r"\s+")
_LEVEL = re.compile(
    rf"(?:(?i:\b(?:{_PHRASE_ALTERNATIVES})\b)|\b(?P<abbreviation>{_ABBREVIATIONS})\b)"
    rf"(?:\s*\(\s*(?:{_ABBREVIATIONS}|YK)\s*\))?"
)
_GOAL_BEFORE = re.compile(
    r"(?i:\b(?:phấn đấu|quyết tâm|để|nhằm|cố gắng|sẽ|cần|phải|tiếp tục|góp phần|giúp|chưa)\s*\"?\s*)$"
)
_MEASURE_BEFORE = re.compile(r"(?i:\b(?:mức độ|việc|kết quả|tỷ lệ|khả năng|tiến độ)\s*)$")
_VOID_AFTER = re.compile(
    r"(?i:\s*\"?\s*(?:trở lên|chính trị|được giao|trọng tâm|đột phá|đề ra|của mình|chuyên môn"
    r"|(?:\d+|\w+)\s+năm\s+(?:liền|liên tục|liên tiếp)))"
)
_BUILDING_BEFORE = re.compile(r"(?i:xây dựng)")
_WEAK_CONTEXT = re.compile(r"(?i:xếp loại|loại|tổ chức|chi bộ|đảng bộ|đơn vị|đảng viên|TCCSĐ|\d)")
_WEAK_VOID = re.compile(r"(?i:hạn chế|khắc phục|tồn tại|khuyết điểm|yếu kém)")


@dataclass(frozen=True, slots=True)
class LevelMention:
    """A level phrase at [start, end) of the normalized text."""

    start: int
    end: int
    level: str


def find_levels(text: str) -> list[LevelMention]:
    """Every level phrase of ``text`` that can carry a rating, in order."""
    mentions = []
    for match in _LEVEL.finditer(text):
        level = match.group("abbreviation") or match.lastgroup
        mention = LevelMention(match.start(), match.end(), level.upper())
        if _is_rating_phrase(text, mention):
            mentions.append(mention)
    return mentions


def _is_rating_phrase(text: str, mention: LevelMention) -> bool:
    before = text[max(0, mention.start - 60) : mention.start]
    if mention.level == "TSVM" or mention.level == "TSVMTB":
        return not _BUILDING_BEFORE.search(before)
    if mention.level == "YK":
        near = before[-40:]
        return bool(_WEAK_CONTEXT.search(near)) and not _WEAK_VOID.search(near)
    if _GOAL_BEFORE.search(before) or _VOID_AFTER.match(text, mention.end):
        return False
    return not (mention.level == "HTNV" and _MEASURE_BEFORE.search(before))
