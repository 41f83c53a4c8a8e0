"""Figures in headlines and captions are counted once; a province only where the text names one."""
import pytest

from ratings.extraction import extract_article


def cells(tally: dict) -> dict:
    found = {level: count for level, count in tally["counts"].items() if count is not None}
    found.update({f"{level} %": share for level, share in tally["percent"].items()})
    return found


def test_figure_in_the_headline_and_the_body_is_one_figure():
    text = (
        "Sơn Hà: 21 tổ chức cơ sở đảng hoàn thành xuất sắc nhiệm vụ\n"
        "Năm 2024, Đảng bộ huyện có 21 tổ chức cơ sở đảng hoàn thành xuất sắc nhiệm vụ, 64 tổ chức hoàn thành tốt "
        "nhiệm vụ."
    )
    [tally] = extract_article(text)["tallies"]
    assert cells(tally) == {"HTXSNV": 21, "HTTNV": 64} and tally["year"] == 2024


def test_floor_in_the_headline_and_the_body_is_one_figure():
    text = (
        "Huyện Sơn Hà: 95,7% đảng viên hoàn thành tốt nhiệm vụ trở lên\n"
        "Năm 2024, toàn Đảng bộ huyện có 95,7% đảng viên hoàn thành tốt nhiệm vụ trở lên, trong đó 16,1% hoàn thành "
        "xuất sắc nhiệm vụ."
    )
    [tally] = extract_article(text)["tallies"]
    assert cells(tally) == {"HTTNV+ %": 95.7, "HTXSNV %": 16.1}


def test_figure_repeated_in_a_caption_is_one_figure():
    text = (
        "Tổng kết công tác xây dựng Đảng năm 2024\n"
        "Năm 2024, toàn Đảng bộ có 37 chi bộ hoàn thành xuất sắc nhiệm vụ; 112 chi bộ hoàn thành tốt nhiệm vụ.\n"
        "Ảnh: Quang cảnh hội nghị. Năm 2024 có 37 chi bộ hoàn thành xuất sắc nhiệm vụ."
    )
    [tally] = extract_article(text)["tallies"]
    assert cells(tally) == {"HTXSNV": 37, "HTTNV": 112}


def test_figure_only_in_the_headline_is_kept():
    text = (
        "Năm 2024, Sơn Hà có 14 chi bộ hoàn thành xuất sắc nhiệm vụ\n"
        "Sáng 12/1, Huyện ủy Sơn Hà tổ chức hội nghị tổng kết công tác xây dựng Đảng."
    )
    [tally] = extract_article(text)["tallies"]
    assert cells(tally) == {"HTXSNV": 14} and tally["year"] == 2024


def test_rating_in_the_headline_and_the_body_is_one_rating():
    text = (
        "Đảng bộ xã Bình Lộc được xếp loại hoàn thành xuất sắc nhiệm vụ năm 2024\n"
        "Năm 2024, Đảng bộ xã Bình Lộc được Ban Thường vụ Huyện ủy xếp loại hoàn thành xuất sắc nhiệm vụ."
    )
    found = extract_article(text)["ratings"]
    assert [(r["unit_kind"], r["year"], r["level"], r["stage"]) for r in found] == [
        ("to_chuc_co_so_dang", 2024, "HTXSNV", "approved")
    ]


@pytest.mark.parametrize(
    ("headline", "place"),
    [
        ("Huyện Châu Thành tổng kết công tác Đảng năm 2024", "huyện Châu Thành"),
        ("Thành phố Thủ Đức xếp loại tổ chức đảng năm 2024", "thành phố Thủ Đức"),
        ("Thị trấn Hòa Bình tổng kết công tác Đảng năm 2024", "thị trấn Hòa Bình"),
        ("Xã Quảng Trị tổng kết công tác Đảng năm 2024", "xã Quảng Trị"),
    ],
)
def test_district_city_or_site_names_are_no_province(headline, place):
    body = f"Năm 2024, Đảng bộ {place} có 12 chi bộ hoàn thành tốt nhiệm vụ."
    assert extract_article(f"{headline}\n{body}")["province"] is None


def test_province_named_in_the_body_only():
    text = (
        "Tổng kết công tác xây dựng Đảng năm 2024 ở huyện miền núi\n"
        "Sáng 10/1, Ban Thường vụ Huyện ủy Sơn Hà, tỉnh Quảng Trị tổ chức hội nghị. Năm 2024, huyện có 25 tổ chức cơ "
        "sở đảng hoàn thành xuất sắc nhiệm vụ."
    )
    assert extract_article(text)["province"] == "Quảng Trị"


def test_province_bare_in_the_headline():
    text = (
        "Quảng Trị: 120 tổ chức cơ sở đảng hoàn thành xuất sắc nhiệm vụ\n"
        "Năm 2024, toàn Đảng bộ có 120 tổ chức cơ sở đảng hoàn thành xuất sắc nhiệm vụ."
    )
    assert extract_article(text)["province"] == "Quảng Trị"
