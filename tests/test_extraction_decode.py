"""Uploads to text: encodings, HTML pages, and the refusals the user sees."""
import unicodedata

import pytest

from ratings.extraction import MAX_BYTES, ArticleError, read_article

SAMPLE = "Đảng bộ xã Phú Lộc hoàn thành xuất sắc nhiệm vụ năm 2023.\nKết quả được công bố tại hội nghị."
_TONE_MARKS = "\u0300\u0301\u0303\u0309\u0323"


def _cp1258(text: str) -> bytes:
    """Windows-1258 as legacy editors wrote it: base letters plus combining tones."""
    out = b""
    for ch in text:
        try:
            out += ch.encode("cp1258")
        except UnicodeEncodeError:
            parts = unicodedata.normalize("NFD", ch)
            base = unicodedata.normalize("NFC", "".join(c for c in parts if c not in _TONE_MARKS))
            out += base.encode("cp1258") + "".join(c for c in parts if c in _TONE_MARKS).encode("cp1258")
    return out


def _refusal(data: bytes, filename: str = "") -> str:
    with pytest.raises(ArticleError) as caught:
        read_article(data, filename)
    assert caught.value.message and caught.value.message[0].isupper()
    return caught.value.code


@pytest.mark.parametrize("codec", ["utf-8", "utf-8-sig", "utf-16", "utf-16-le", "utf-16-be"])
def test_unicode_encodings_with_and_without_bom_read_alike(codec):
    assert read_article(SAMPLE.encode(codec)) == SAMPLE


def test_windows_1258_bytes_read_as_vietnamese():
    assert read_article(_cp1258(SAMPLE)) == SAMPLE


def test_empty_upload_is_refused_as_empty():
    assert _refusal(b"") == "empty"


def test_blank_upload_is_refused_as_empty():
    assert _refusal(b"  \r\n\t ") == "empty"


def test_html_without_visible_text_is_refused_as_empty():
    assert _refusal(b"<html><body><script>var a = 1;</script></body></html>") == "empty"


def test_file_over_five_megabytes_is_refused_before_decoding():
    assert _refusal(b"a" * (MAX_BYTES + 1)) == "too_large"


def test_image_bytes_are_refused_as_binary():
    assert _refusal(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x01\x00") == "binary"


def test_text_full_of_control_characters_is_refused_as_binary():
    assert _refusal(b"abc\x01\x02\x03\x04\x05\x06def\x07\x08" * 20) == "binary"


def test_bytes_in_no_known_encoding_are_refused_as_undecodable():
    assert _refusal(bytes(range(0x80, 0x100)) * 4) == "undecodable"


def test_html_page_is_reduced_to_its_visible_text_headline_first():
    page = (
        "<!DOCTYPE html><html><head><title>Báo tỉnh - Tin tức</title>"
        "<style>p { color: red }</style><script>var s = '<p>ẩn</p>';</script></head>"
        "<body><nav>Trang chủ | Thời sự</nav><h1>Chi bộ ấp Một tổng kết năm</h1>"
        "<p>Dòng thứ nhất&nbsp;có &amp; ký hiệu<br>dòng thứ hai</p>"
        "<ul><li>Mục A</li><li>Mục B</li></ul><noscript>Bật JavaScript</noscript></body></html>"
    ).encode("utf-8")
    assert read_article(page, "bai.html") == (
        "Chi bộ ấp Một tổng kết năm\nDòng thứ nhất có & ký hiệu\ndòng thứ hai\nMục A\nMục B"
    )


def test_html_is_recognised_by_content_without_an_extension():
    page = "<p>Đoạn một</p><p>Đoạn hai</p>".encode("utf-8")
    assert read_article(page) == "Đoạn một\nĐoạn hai"


def test_title_element_heads_the_text_when_there_is_no_h1():
    page = "<html><head><title>Tin hội nghị Tỉnh ủy</title></head><body><div>Nội dung</div></body></html>"
    assert read_article(page.encode("utf-8"), "tin.htm").split("\n") == ["Tin hội nghị Tỉnh ủy", "Nội dung"]


def test_html_declared_in_windows_1258_is_decoded():
    head = b'<html><head><meta charset="windows-1258"></head><body><p>'
    page = head + _cp1258("Chi bộ hoàn thành tốt") + b"</p></body></html>"
    assert read_article(page, "a.html") == "Chi bộ hoàn thành tốt"


def test_plain_text_keeps_angle_brackets():
    assert read_article("Tỷ lệ < 5% và > 2%".encode("utf-8")) == "Tỷ lệ < 5% và > 2%"
