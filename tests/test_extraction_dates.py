"""Publication stamps, and the year each figure rates."""
from ratings.extraction import extract_article


def published(text: str) -> str | None:
    return extract_article(text)["published"]


def test_stamp_with_time_after_the_date():
    assert published(
        "Hội nghị Ban Chấp hành Đảng bộ tỉnh lần thứ 15\n\n12/03/2021 08:45 "
        "Số lượt xem: 1024\n\nNội dung."
    ) == "2021-03-12"


def test_stamp_with_time_before_the_date():
    assert published("Sơ kết công tác xây dựng Đảng quý I\n\n09:30 05/04/2024\nNội dung bài viết.") == "2024-04-05"


def test_stamp_with_weekday():
    assert published("Tổng kết công tác tổ chức xây dựng Đảng\nThứ Tư, 10/01/2024 - 14:20\nNội dung.") == "2024-01-10"


def test_stamp_at_the_bottom_of_the_page():
    assert published(
        "Tổng kết công tác kiểm tra, "
        "giám sát năm 2023\nNội dung chính.\nThu Hà - 18/01/2024"
    ) == "2024-01-18"


def test_day_and_month_without_a_year_give_no_date():
    assert published(
        "Cho ý kiến về xếp loại Đảng bộ tỉnh năm 2023\nSáng nay (22/01), "
        "Ban Thường vụ Tỉnh ủy họp."
    ) is None


def test_dates_of_cited_regulations_are_not_the_publication_date():
    text = (
        "Kiểm điểm, xếp loại chất lượng Đảng bộ tỉnh\n"
        "Quy định số 124-QĐ/TW ngày 04/10/2023\n"
        "Thực hiện Hướng dẫn số 25-HD/BTCTW ngày 10-11-2023, sáng 18-2, hội nghị được tổ chức."
    )
    assert published(text) is None


def test_impossible_dates_are_ignored():
    assert published("Tin hội nghị Tỉnh ủy mở rộng cuối năm\n31/02/2024 10:00\nNội dung.") is None


def test_year_rated_comes_from_the_title_when_the_sentence_has_none():
    text = (
        "Kết quả xếp loại chất lượng tổ chức đảng năm 2022\nCó 7 chi bộ hoàn thành xuất sắc "
        "nhiệm vụ, 30 chi bộ hoàn thành tốt nhiệm vụ."
    )
    assert extract_article(text)["tallies"][0]["year"] == 2022


def test_year_rated_is_not_the_publication_year():
    text = (
        "Hội nghị Ban Chấp hành Đảng bộ tỉnh\n20/01/2024 09:00\nCó 7 chi bộ hoàn thành xuất "
        "sắc nhiệm vụ, 30 chi bộ hoàn thành tốt nhiệm vụ."
    )
    result = extract_article(text)
    assert result["published"] == "2024-01-20" and result["tallies"][0]["year"] is None


def test_year_rated_comes_from_an_earlier_sentence_about_the_rating():
    text = (
        "Tin hội nghị Ban Thường vụ Tỉnh ủy\n"
        "Hội nghị đánh giá, xếp loại chất lượng tổ chức đảng năm 2023. Kết quả có 11 "
        "đơn vị hoàn thành xuất sắc nhiệm vụ."
    )
    assert extract_article(text)["tallies"][0]["year"] == 2023


def test_year_of_comparison_does_not_carry_over():
    text = (
        "Năm 2023 có 40 chi bộ hoàn thành xuất sắc nhiệm vụ, "
        "nhiều hơn so với năm 2022; 120 chi bộ hoàn thành tốt nhiệm vụ."
    )
    [tally] = extract_article(text)["tallies"]
    assert tally["year"] == 2023
