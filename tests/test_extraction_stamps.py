"""Publication stamps in the formats news sites print, and the year each figure rates."""
import pytest

from ratings.extraction import extract_article

HEADLINE = "Xếp loại chất lượng tổ chức đảng năm 2023"
BODY = "Sáng 16/1, Ban Thường vụ Tỉnh ủy Tây Ninh họp theo Quy định 124-QĐ/TW ngày 4-10-2023 của Bộ Chính trị."


@pytest.mark.parametrize(
    "stamp",
    [
        "Thứ Tư, 17/01/2024 - 08:45",
        "17/01/2024 08:45 GMT+7",
        "Cập nhật: 17-01-2024",
        "Cập nhật: 08:45 | 17/01/2024",
        "Ngày đăng: 17/01/2024 | Lượt xem: 342",
        "Đăng lúc: 17/01/2024 08:45 (GMT+07:00)",
        "Thứ tư, 17/1/2024, 08:45 (GMT+7)",
        "Ngày 17 tháng 01 năm 2024",
        "2024-01-17T08:45:00+07:00",
        "17.01.2024 | 08:45",
    ],
)
def test_stamp_under_the_headline(stamp):
    assert extract_article(f"{HEADLINE}\n{stamp}\n{BODY}")["published"] == "2024-01-17"


@pytest.mark.parametrize("stamp", ["Cập nhật lúc 08:45, ngày 17/01/2024", "17/1/2024", "Minh Anh - 17/01/2024"])
def test_stamp_at_the_bottom(stamp):
    assert extract_article(f"{HEADLINE}\n{BODY}\nMinh Anh\n{stamp}")["published"] == "2024-01-17"


def test_dates_inside_the_prose_are_not_the_publication_date():
    assert extract_article(f"{HEADLINE}\n{BODY}\nMinh Anh")["published"] is None


def test_year_rated_from_the_sentence_wins_over_the_title():
    text = "Kết quả xếp loại năm 2022\nNăm 2023, có 12 chi bộ hoàn thành xuất sắc nhiệm vụ."
    assert extract_article(text)["tallies"][0]["year"] == 2023


def test_year_rated_from_the_title_only():
    text = "Tổng kết công tác xây dựng Đảng năm 2023\nKết quả, có 12 chi bộ hoàn thành xuất sắc nhiệm vụ."
    assert extract_article(text)["tallies"][0]["year"] == 2023


@pytest.mark.parametrize(("stamp", "year"), [("20/01/2024 09:00", 2023), ("28/12/2023 09:00", 2023)])
def test_the_past_year_is_read_from_the_publication_date(stamp, year):
    text = f"Hội nghị Tỉnh ủy tổng kết\n{stamp}\nTrong năm qua, có 12 chi bộ hoàn thành xuất sắc nhiệm vụ."
    assert extract_article(text)["tallies"][0]["year"] == year


def test_the_past_year_without_a_publication_date_is_unknown():
    text = "Hội nghị Tỉnh ủy tổng kết\nTrong năm qua, có 12 chi bộ hoàn thành xuất sắc nhiệm vụ."
    assert extract_article(text)["tallies"][0]["year"] is None


def test_past_years_in_the_plural_are_not_one_year():
    text = "Hội nghị Tỉnh ủy tổng kết\n20/01/2024 09:00\nNhững năm qua, có 12 chi bộ hoàn thành xuất sắc nhiệm vụ."
    assert extract_article(text)["tallies"][0]["year"] is None


def test_the_publication_year_is_not_the_year_rated():
    text = "Hội nghị Tỉnh ủy tổng kết\n20/01/2024 09:00\nCó 12 chi bộ hoàn thành xuất sắc nhiệm vụ."
    assert extract_article(text)["tallies"][0]["year"] is None


def test_year_of_a_cited_regulation_is_not_the_year_rated():
    text = (
        "Hội nghị Tỉnh ủy tổng kết\nThực hiện Quy định 124-QĐ/TW ngày 4-10-2023, "
        "có 12 chi bộ hoàn thành xuất sắc nhiệm vụ."
    )
    assert extract_article(text)["tallies"][0]["year"] is None
