"""Vietnamese numerals as news articles write them.

Counts come as digits ("04", "1.532" where the dot groups thousands, or
"1 532" where a non-breaking space did, as Word documents write it) or as
words ("mười bốn", "hai mươi mốt", "một trăm linh năm"); percentages carry a
decimal comma ("15,5%"). The pattern fragments here are shared by the steps
that read tallies and votes, so that every step reads numbers alike.
"""
import re

# Not glued to a word, a decimal, a code ("124-QĐ") or a ratio ("48/49").
START = r"(?<![\w.,/%-])"
# A count is whole: not the start of a decimal ("15,5") nor of a percentage.
_DIGITS = r"(?:\d{1,3}(?:\.\d{3})+|\d{1,3}(?: \d{3})+(?![\d.,])|\d+)(?!\d)(?![.,]\d)(?!\s*%)"
_FIRST_WORDS = "một|hai|ba|bốn|năm|sáu|bảy|bẩy|tám|chín|mười"
_NEXT_WORDS = _FIRST_WORDS + "|mốt|tư|lăm|nhăm|mươi|trăm|nghìn|ngàn|linh|lẻ"
# "năm 2023" is a year, not five; "một số" is "some", not one.
_WORDS = rf"(?i:\b(?:{_FIRST_WORDS})(?:\s+(?:{_NEXT_WORDS})\b)*)(?!\s+(?:\d|số\b))"

COUNT = rf"{START}(?:{_DIGITS}|{_WORDS})"
DIGITS = rf"{START}{_DIGITS}"
DENOMINATOR = _DIGITS
PERCENT = rf"{START}\d{{1,3}}(?:[.,]\d+)?\s*%"
# Words that make the number after them a rough one ("gần 150", "trên 85%"):
# the text states no figure there.
APPROXIMATE_BEFORE = r"(?i:(?<![^\W\d_])(?:gần|trên|hơn|khoảng|chừng|ngót|xấp\s+xỉ|ước)\s+)$"

_UNITS = {
    "một": 1, "mốt": 1, "hai": 2, "ba": 3, "bốn": 4, "tư": 4, "năm": 5, "lăm": 5,
    "nhăm": 5, "sáu": 6, "bảy": 7, "bẩy": 7, "tám": 8, "chín": 9,
}
_DIGITS_RE = re.compile(rf"{_DIGITS}$")


def parse_count(token: str) -> int | None:
    """Read a count written in digits or in words; None when it is not one."""
    token = token.strip()
    if _DIGITS_RE.match(token):
        return int(token.replace(".", "").replace(" ", ""))
    return _parse_words(token.lower().split())


def parse_percent(token: str) -> float:
    """Read "15,5%" or "15.5 %" as 15.5."""
    return float(token.rstrip("% ").replace(",", "."))


def _parse_words(words: list[str]) -> int | None:
    total = below_thousand = pending = 0
    previous = ""
    for word in words:
        if word in _UNITS:
            if previous in _UNITS:
                return None
            pending = _UNITS[word]
        elif word == "mười":
            below_thousand += 10
        elif word == "mươi":
            below_thousand += pending * 10
            pending = 0
        elif word == "trăm":
            below_thousand = (below_thousand + pending) * 100
            pending = 0
        elif word in ("nghìn", "ngàn"):
            total += (below_thousand + pending) * 1000
            below_thousand = pending = 0
        elif word not in ("linh", "lẻ"):
            return None
        previous = word
    value = total + below_thousand + pending
    return value or None
