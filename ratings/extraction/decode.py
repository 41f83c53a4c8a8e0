"""Article bytes to clean text, or a refusal the caller can explain.

UTF-8 (with or without a BOM) is the norm. UTF-16 comes from Windows tools,
with a BOM or recognisable by NUL bytes in every other position. Windows-1258
is the legacy Vietnamese code page: it decodes almost any byte string, so it
is accepted only when the result reads as Vietnamese. Pages saved from a
browser are reduced to their visible text.
"""
import re
import unicodedata

from .htmltext import html_to_text, looks_like_html
from .normalize import normalize_text

MAX_BYTES = 5 * 1024 * 1024
_BOMS = (
    (b"\xef\xbb\xbf", "utf-8-sig"),
    (b"\xff\xfe\x00\x00", "utf-32"),
    (b"\x00\x00\xfe\xff", "utf-32"),
    (b"\xff\xfe", "utf-16"),
    (b"\xfe\xff", "utf-16"),
)
_UTF16_NUL_SHARE = 0.3
_UTF16_STRAY_NUL_SHARE = 0.05
_CONTROL_SHARE = 0.02
_MARKED_SHARE = 0.05
_ODD_SHARE = 0.01
_DECLARED_CHARSET = re.compile(rb"""<meta[^>]+charset\s*=\s*["']?([\w-]+)""", re.IGNORECASE)
_VIETNAMESE_MARKED = frozenset(
    "àáảãạăằắẳẵặâầấẩẫậđèéẻẽẹêềếểễệìíỉĩịòóỏõọôồốổỗộơờớởỡợùúủũụưừứửữựỳýỷỹỵ"
    "ÀÁẢÃẠĂẰẮẲẴẶÂẦẤẨẪẬĐÈÉẺẼẸÊỀẾỂỄỆÌÍỈĨỊÒÓỎÕỌÔỒỐỔỖỘƠỜỚỞỠỢÙÚỦŨỤƯỪỨỬỮỰỲÝỶỸỴ"
)
_CONTROLS = re.compile(r"[\x00-\x08\x0e-\x1f\x7f-\x9f]")
_SAMPLE = 65536


class ArticleError(ValueError):
    """An upload that cannot be read as an article; ``code`` names the reason."""

    def __init__(self, code: str, message: str):
        super().__init__(message)
        self.code = code
        self.message = message


def read_article(data: bytes, filename: str = "") -> str:
    """Decode and clean an uploaded article; raise ArticleError when impossible."""
    if len(data) > MAX_BYTES:
        raise ArticleError("too_large", f"The file is larger than {MAX_BYTES // (1024 * 1024)} MB.")
    if not data.strip():
        raise ArticleError("empty", "The file is empty.")
    text = _decode(data)
    if _control_share(text) > _CONTROL_SHARE:
        raise ArticleError("binary", "The file is not text.")
    if looks_like_html(text, filename):
        text = html_to_text(text)
    text = normalize_text(text)
    if not text:
        raise ArticleError("empty", "The file holds no text.")
    return text


def _decode(data: bytes) -> str:
    for bom, codec in _BOMS:
        if data.startswith(bom):
            return _strict(data, codec)
    if b"\x00" in data:
        codec = _utf16_by_nul_bytes(data)
        if codec is None:
            raise ArticleError("binary", "The file is not text.")
        return _strict(data, codec)
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        pass
    for codec in (_declared_charset(data), "cp1258"):
        text = _decode_or_none(data, codec)
        if text is not None and _reads_as_vietnamese(text):
            return text
    raise ArticleError("undecodable", "The file's text encoding is not UTF-8, UTF-16 or Windows-1258.")


def _strict(data: bytes, codec: str) -> str:
    text = _decode_or_none(data, codec)
    if text is None:
        raise ArticleError("undecodable", f"The file is not valid {codec.upper()}.")
    return text


def _decode_or_none(data: bytes, codec: str | None) -> str | None:
    if not codec:
        return None
    try:
        return unicodedata.normalize("NFC", data.decode(codec))
    except (UnicodeDecodeError, LookupError):
        return None


def _utf16_by_nul_bytes(data: bytes) -> str | None:
    if len(data) % 2:
        return None
    even, odd = data[0::2], data[1::2]
    even_nuls, odd_nuls = even.count(0) / len(even), odd.count(0) / len(odd)
    if odd_nuls >= _UTF16_NUL_SHARE and even_nuls <= _UTF16_STRAY_NUL_SHARE:
        return "utf-16-le"
    if even_nuls >= _UTF16_NUL_SHARE and odd_nuls <= _UTF16_STRAY_NUL_SHARE:
        return "utf-16-be"
    return None


def _declared_charset(data: bytes) -> str | None:
    match = _DECLARED_CHARSET.search(data, 0, 4096)
    return match.group(1).decode("ascii").lower() if match else None


def _reads_as_vietnamese(text: str) -> bool:
    sample = text[:_SAMPLE]
    letters = sum(ch.isalpha() for ch in sample)
    if not letters:
        return False
    marked = sum(ch in _VIETNAMESE_MARKED for ch in sample)
    odd = sum(_is_odd(ch) for ch in sample)
    return marked / letters >= _MARKED_SHARE and odd / len(sample) < _ODD_SHARE


def _is_odd(ch: str) -> bool:
    """Symbols and loose marks that text mis-decoded from another code page is full of."""
    if "\u00a1" <= ch <= "\u00bf":
        return ch not in "«»°·"
    return unicodedata.category(ch) in ("Mn", "Co") or bool(_CONTROLS.match(ch))


def _control_share(text: str) -> float:
    sample = text[:_SAMPLE]
    return len(_CONTROLS.findall(sample)) / len(sample) if sample else 0.0
