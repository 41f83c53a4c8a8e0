"""The province of an article however it is introduced, before and after the 2025 merger."""
import pytest

from ratings.extraction import extract_article

HEADLINE = "Hội nghị Ban Chấp hành Đảng bộ lần thứ 15"


def province(text: str, **fallbacks) -> str | None:
    return extract_article(text, **fallbacks)["province"]


@pytest.mark.parametrize(
    ("sentence", "name"),
    [
        ("Sáng 16/1, Tỉnh ủy Lạng Sơn tổ chức hội nghị.", "Lạng Sơn"),
        ("Sáng 16/1, Tỉnh uỷ Thanh Hoá tổ chức hội nghị.", "Thanh Hóa"),
        ("Sáng 16/1, tại TP. Hải Phòng, Thành ủy tổ chức hội nghị.", "Hải Phòng"),
        ("Sáng 16/1, Thành ủy Hà Nội tổ chức hội nghị.", "Hà Nội"),
        ("Sáng 16/1, Thành ủy TP.HCM tổ chức hội nghị.", "Hồ Chí Minh"),
        ("Sáng 16/1, Ban Thường vụ Thành ủy thành phố Hồ Chí Minh họp.", "Hồ Chí Minh"),
        ("Sáng 16/1, Tỉnh ủy Bà Rịa-Vũng Tàu tổ chức hội nghị.", "Bà Rịa - Vũng Tàu"),
        ("Sáng 16/1, Tỉnh ủy Thừa Thiên Huế tổ chức hội nghị.", "Thừa Thiên Huế"),
        ("Sáng 16/1, Thành ủy Huế tổ chức hội nghị tổng kết năm 2025.", "Huế"),
        ("Sáng 16/1, Ban Chấp hành Đảng bộ tỉnh Đồng Nai (mới) họp phiên đầu tiên.", "Đồng Nai"),
        ("Sáng 16/1, tại thành phố Thủ Dầu Một, Tỉnh ủy Bình Dương tổ chức hội nghị.", "Bình Dương"),
        ("Huyện ủy Hòa Bình (tỉnh Bạc Liêu) tổ chức hội nghị.", "Bạc Liêu"),
        ("SÁNG 16/1, TỈNH ỦY QUẢNG NAM TỔ CHỨC HỘI NGHỊ.", "Quảng Nam"),
    ],
)
def test_province_introduced_in_the_text(sentence, name):
    assert province(f"{HEADLINE}\n{sentence}") == name


def test_province_in_the_headline_before_a_colon():
    assert province("Đắk Lắk: Xếp loại chất lượng tổ chức đảng năm 2023\nSáng 16/1, hội nghị diễn ra.") == "Đắk Lắk"


@pytest.mark.parametrize(
    "sentence",
    [
        "Đồng chí Nguyễn Văn Long An, Bí thư, phát biểu.",
        "(QNO) - Sáng 16/1, hội nghị diễn ra tại hội trường.",
        "Sáng 16/1, đồng chí Trần Thanh Hóa, Phó Bí thư Tỉnh ủy, phát biểu.",
        "Đồng chí Lê Bình Định dự hội nghị tại Hội trường Tỉnh ủy.",
    ],
)
def test_peoples_names_and_abbreviations_are_not_provinces(sentence):
    assert province(f"{HEADLINE}\n{sentence}") is None


def test_the_headline_province_outweighs_one_mention_in_the_body():
    assert province("Tin tức tỉnh Hà Nam\nĐoàn công tác làm việc tại tỉnh Thái Bình.") == "Hà Nam"
