"""One canonical form of an article's text.

Articles arrive composed or decomposed (NFD from some editors), with
non-breaking and zero-width spaces, typographic quotes and dashes, the
old tone placement ("hoà", "Tỉnh uỷ") and CRLF line ends. Every later step
reads the output of `normalize_text`, and every evidence string is a slice
of it, so the function is idempotent: callers find evidence with
``normalize_text(text).find(evidence)``.
"""
import re
import unicodedata

_SPACES = "\u00a0\u1680\u2000\u2001\u2002\u2003\u2004\u2005\u2006\u2007\u2008\u2009\u200a\u202f\u205f\u3000\t"
_INVISIBLE = "\u200b\u200c\u200d\u2060\ufeff\u00ad\u180e"
_CONTROLS = "".join(chr(c) for c in (*range(0x00, 0x09), *range(0x0E, 0x20), 0x7F))
_REPLACEMENTS = {
    **dict.fromkeys(_SPACES, " "),
    **dict.fromkeys(_INVISIBLE + _CONTROLS, ""),
    **dict.fromkeys("\x0b\x0c\u2028\u2029\x85", "\n"),
    **dict.fromkeys("“”„‟«»″〝〞＂", '"'),
    **dict.fromkeys("‘’‚‛′`", "'"),
    **dict.fromkeys("‐‑‒–—―−﹣－", "-"),
    # The Icelandic eth is a common stand-in for "Đ" in legacy conversions.
    "Ð": "Đ",
    "ð": "đ",
    # The only letter whose lower case is longer; with it gone, str.lower()
    # keeps every offset, so later steps may scan a lower-cased copy.
    "İ": "I",
}
_ODD_CHARACTERS = re.compile("[" + re.escape("".join(_REPLACEMENTS)) + "]")

# Old style puts the tone on the last vowel of an open "oa", "oe", "uy"
# ("hoà", "khoẻ", "uỷ"); the new style, used by the patterns, on the first.
_OLD_TONE = re.compile(r"[oOuU][àáảãạèéẻẽẹÀÁẢÃẠÈÉẺẼẸỳýỷỹỵỲÝỶỸỴ](?![^\W\d_])")
_OLD_TONE_PAIRS = frozenset("oa oe uy".split())
_RUNS_OF_SPACES = re.compile(r" {2,}")
_SPACE_AROUND_NEWLINE = re.compile(r" *\n *")
_BLANK_LINES = re.compile(r"\n{3,}")


def normalize_text(text: str) -> str:
    """Return the canonical form of ``text`` that evidence is quoted from."""
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    text = unicodedata.normalize("NFC", _ODD_CHARACTERS.sub(_replacement, text))
    text = _OLD_TONE.sub(_move_tone, text)
    if "  " in text:
        text = _RUNS_OF_SPACES.sub(" ", text)
    if " \n" in text or "\n " in text:
        text = _SPACE_AROUND_NEWLINE.sub("\n", text)
    if "\n\n\n" in text:
        text = _BLANK_LINES.sub("\n\n", text)
    return text.strip()


def _replacement(match: re.Match) -> str:
    return _REPLACEMENTS[match.group()]


def _move_tone(match: re.Match) -> str:
    first, toned = match.group()
    decomposed = unicodedata.normalize("NFD", toned)
    before = match.string[match.start() - 1 : match.start()]
    if before in ("q", "Q") or (first + decomposed[0]).lower() not in _OLD_TONE_PAIRS:
        return match.group()
    return unicodedata.normalize("NFC", first + decomposed[1:]) + decomposed[0]
