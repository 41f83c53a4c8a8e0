"""How people write levels and unit names in their own sheets, read into what the tracker stores.

Pure functions on text, with the spellings in tables: a new spelling found in a department's
file is one more entry, and tests/test_import_history.py checks every entry.
"""
import re
import unicodedata

# Each level code with the spellings seen in departments' sheets. Case, spaces, commas, dots,
# hyphens and diacritics do not matter (see level_key), so "HTXS NV", "HT XSNV" and "htxsnv"
# are one entry, as are "Trong sạch, vững mạnh" and "Trong sach vung manh".
LEVEL_SPELLINGS = {
    "HTXSNV": (
        "Hoàn thành xuất sắc nhiệm vụ", "HTXSNV", "HTXS NV", "HT XSNV", "HT xuất sắc NV",
        "Hoàn thành xuất sắc NV", "HT xuất sắc nhiệm vụ", "HTXS",
    ),
    "HTTNV": (
        "Hoàn thành tốt nhiệm vụ", "HTTNV", "HTT NV", "HT tốt NV", "Hoàn thành tốt NV", "HT tốt nhiệm vụ", "HTT",
    ),
    "HTNV": ("Hoàn thành nhiệm vụ", "HTNV", "HT NV", "Hoàn thành NV", "HT nhiệm vụ"),
    "KHTNV": (
        "Không hoàn thành nhiệm vụ", "KHTNV", "K HTNV", "Không HTNV", "Không HT NV", "Không hoàn thành NV",
        "Không HT nhiệm vụ",
    ),
    "TSVMTB": (
        "Trong sạch, vững mạnh tiêu biểu", "TSVMTB", "TSVM TB", "TSVM tiêu biểu", "Trong sạch vững mạnh tiêu biểu",
    ),
    "TSVM": ("Trong sạch, vững mạnh", "TSVM", "Trong sạch vững mạnh"),
    "YK": ("Yếu kém", "YK"),
}
# A cell that says "not rated": left blank, a dash, an "x", or these words.
NO_RATING = ("", "-", "–", "—", "x", "/", "Không xếp loại", "KXL", "Chưa xếp loại")

# Words a unit's name starts with that sheets add or drop at will; longest first, so
# "Đảng bộ cơ sở" goes before "Đảng bộ". Abbreviations may carry a dot: "TP. Thủ Dầu Một".
LEADING_WORDS = (
    "đảng bộ cơ sở", "đảng ủy xã", "đảng bộ", "đảng ủy", "chi bộ", "huyện", "thị xã", "tx", "thành phố", "tp",
    "xã", "phường", "thị trấn", "tt", "quận", "tỉnh",
)

LEADING = re.compile(
    r"\A(?:(?:" + "|".join(map(re.escape, LEADING_WORDS)) + r")\.?(?:\s+|(?<=\.))(?=\S))+"
)

# A year column's header: the year, maybe with these words around it ("Năm 2019", "XL 2019", "2019 (*)").
YEAR_WORDS = {"nam", "xl", "xep", "loai", "ket", "qua", "kq", "kqxl", "danh", "gia", "muc"}
YEAR = re.compile(r"(?<!\d)((?:19|20)\d\d)(?!\d)")


class UnreadableLevel(ValueError):
    """A cell that is neither a level nor a blank."""


def fold(text):
    """Text without diacritics, case or anything but letters and digits: "Trong sạch, vững mạnh" → "trongsachvungmanh"."""
    text = unicodedata.normalize("NFKD", str(text)).replace("đ", "d").replace("Đ", "D")
    return re.sub(r"[^a-z0-9]", "", "".join(c for c in text if not unicodedata.combining(c)).casefold())


LEVEL_KEYS = {fold(spelling): code for code, spellings in LEVEL_SPELLINGS.items() for spelling in spellings}
NO_RATING_KEYS = {text.casefold() for text in NO_RATING} | {fold(text) for text in NO_RATING if fold(text)}


def read_level(text):
    """The level code a cell means, None for a cell that gives no rating; UnreadableLevel otherwise."""
    text = " ".join(str(text if text is not None else "").split())
    if text.casefold() in NO_RATING_KEYS or fold(text) in NO_RATING_KEYS:
        return None
    code = LEVEL_KEYS.get(fold(text))
    if code is None:
        raise UnreadableLevel(text)
    return code


def year_of_header(text):
    """The year a column header names ("2019", "Năm 2019", "XL 2019", "Xếp loại 2019", "2019 (*)"), else None."""
    text = str(text if text is not None else "")
    years = YEAR.findall(text)
    if len(years) != 1:
        return None
    rest = YEAR.sub(" ", text)
    if all(fold(word) in YEAR_WORDS for word in rest.split() if fold(word)):
        return int(years[0])
    return None


def name_key(text):
    """A unit's name as sheets are compared: case, spacing and the leading words ignored.

    "Đảng ủy TP Thủ Dầu Một" and "Đảng bộ thành phố Thủ Dầu Một" both give "thủ dầu một";
    a name that is nothing but leading words keeps its last one.
    """
    key = " ".join(unicodedata.normalize("NFC", str(text)).replace("uỷ", "ủy").replace("Uỷ", "Ủy").split()).casefold()
    return LEADING.sub("", key, count=1)


def loose_name_key(text):
    """The name key without diacritics: the fallback for "Tân Hoà" against "Tân Hòa" when nothing matches exactly."""
    return fold(name_key(text))
