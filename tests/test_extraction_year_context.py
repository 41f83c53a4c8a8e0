"""The year rated carries forward from an earlier sentence; a figure stated twice stays one figure."""
from ratings.extraction import extract_article
from ratings.extraction.dates import RatedYears
from ratings.extraction.sentences import Sentences


def years_of(text: str) -> list:
    return [tally["year"] for tally in extract_article(text)["tallies"]]


def cells(text: str) -> list:
    return sorted(
        (tally["year"], tally["subject"], level, value)
        for tally in extract_article(text)["tallies"]
        for values in (tally["counts"], tally["percent"])
        for level, value in values.items()
        if value is not None
    )


def test_year_of_an_earlier_paragraph_carries_to_a_figure_without_one():
    text = (
        "Tin hội nghị Tỉnh ủy\n"
        "Năm 2016, các cấp ủy tiếp tục đổi mới phương thức lãnh đạo.\n"
        "28% chi bộ hoàn thành tốt nhiệm vụ."
    )
    assert years_of(text) == [2016]


def test_year_carries_over_several_sentences_without_rating_words():
    text = (
        "Tin hội nghị Tỉnh ủy\n"
        "Năm 2019, tỉnh tập trung phát triển kinh tế. Đời sống người dân được nâng lên. "
        "An ninh được giữ vững. Công tác dân vận có nhiều đổi mới.\n"
        "Có 12 chi bộ hoàn thành xuất sắc nhiệm vụ."
    )
    assert years_of(text) == [2019]


def test_the_nearest_earlier_year_is_carried():
    text = (
        "Tin hội nghị Tỉnh ủy\n"
        "Năm 2022, tỉnh gặp nhiều khó khăn.\n"
        "Bước sang năm 2023, các cấp ủy nỗ lực vượt bậc.\n"
        "Có 12 chi bộ hoàn thành xuất sắc nhiệm vụ."
    )
    assert years_of(text) == [2023]


def test_every_later_figure_takes_the_carried_year():
    text = (
        "Tin hội nghị Tỉnh ủy\n"
        "Năm 2021, toàn Đảng bộ có nhiều cố gắng.\n"
        "Có 12 chi bộ hoàn thành xuất sắc nhiệm vụ.\n"
        "Về đảng viên, có 300 đảng viên hoàn thành xuất sắc nhiệm vụ."
    )
    assert years_of(text) == [2021, 2021]


def test_a_comparison_year_is_not_carried():
    text = (
        "Kết quả xếp loại năm 2023\n"
        "So với năm 2022, chất lượng có chuyển biến rõ.\n"
        "Có 14 đơn vị hoàn thành xuất sắc nhiệm vụ."
    )
    assert years_of(text) == [2023]


def test_a_run_of_years_is_not_carried():
    text = (
        "Tin hội nghị Tỉnh ủy\n"
        "Trong năm 2021 và năm 2022, tỉnh được tặng cờ thi đua.\n"
        "Có 14 đơn vị hoàn thành xuất sắc nhiệm vụ."
    )
    assert years_of(text) == [None]


def test_the_year_of_a_full_date_is_not_carried():
    text = (
        "Tin hội nghị Tỉnh ủy\n"
        "Ngày 12 tháng 1 năm 2024, Ban Thường vụ Tỉnh ủy họp.\n"
        "Có 14 đơn vị hoàn thành xuất sắc nhiệm vụ."
    )
    assert years_of(text) == [None]


def test_the_meeting_year_early_in_the_publication_year_is_not_carried():
    text = (
        "Tin hội nghị Tỉnh ủy\n18/01/2024 09:00\n"
        "Đầu năm 2024, Ban Thường vụ Tỉnh ủy họp bàn nhiều nội dung.\n"
        "Có 14 đơn vị hoàn thành xuất sắc nhiệm vụ."
    )
    assert years_of(text) == [None]


def test_a_year_after_the_figure_in_an_earlier_sentence_is_still_earlier():
    text = (
        "Tin hội nghị Tỉnh ủy\n"
        "Năm 2022, công tác xây dựng Đảng đạt kết quả tốt.\n"
        "Có 14 đơn vị hoàn thành xuất sắc nhiệm vụ.\n"
        "Năm 2023, tỉnh tiếp tục phấn đấu."
    )
    assert years_of(text) == [2022]


def test_the_sentences_own_year_wins_over_the_carried_one():
    text = (
        "Tin hội nghị Tỉnh ủy\n"
        "Năm 2022, công tác xây dựng Đảng đạt kết quả tốt.\n"
        "Năm 2023 có 14 đơn vị hoàn thành xuất sắc nhiệm vụ."
    )
    assert years_of(text) == [2023]


def test_carried_year_is_read_by_itself():
    text = "Năm 2018, tỉnh có nhiều đổi mới.\nCó 14 đơn vị hoàn thành xuất sắc nhiệm vụ."
    sentences = Sentences(text)
    years = RatedYears(text, sentences, None, None)
    assert years.year_for(text.index("14"), len(text)) == 2018


def test_a_figure_in_the_headline_and_the_body_is_one_figure():
    text = (
        "Năm 2016, 28% chi bộ hoàn thành tốt nhiệm vụ\n"
        "Công tác xây dựng Đảng được chú trọng.\n"
        "Kết quả, 28% chi bộ hoàn thành tốt nhiệm vụ."
    )
    assert cells(text) == [(2016, "collective", "HTTNV", 28.0)]


def test_a_headline_figure_repeated_inside_a_fuller_body_tally_is_one_figure():
    text = (
        "Năm 2016 có 12 chi bộ hoàn thành xuất sắc nhiệm vụ\n"
        "Công tác xây dựng Đảng được chú trọng.\n"
        "Kết quả, có 12 chi bộ hoàn thành xuất sắc nhiệm vụ, 40 chi bộ hoàn thành tốt nhiệm vụ."
    )
    assert cells(text) == [(2016, "collective", "HTTNV", 40), (2016, "collective", "HTXSNV", 12)]


def test_a_headline_figure_without_a_year_is_the_body_figure_with_one():
    text = (
        "28% chi bộ hoàn thành tốt nhiệm vụ\n"
        "Năm 2016, công tác xây dựng Đảng được chú trọng.\n"
        "Kết quả, 28% chi bộ hoàn thành tốt nhiệm vụ."
    )
    assert cells(text) == [(2016, "collective", "HTTNV", 28.0)]


def test_two_different_shares_of_one_year_are_both_kept():
    text = (
        "Tin hội nghị Tỉnh ủy\n"
        "Năm 2020, 28% chi bộ hoàn thành tốt nhiệm vụ.\n"
        "Bên cạnh đó, 9% chi bộ hoàn thành xuất sắc nhiệm vụ."
    )
    assert cells(text) == [(2020, "collective", "HTTNV", 28.0), (2020, "collective", "HTXSNV", 9.0)]
