"""Counts laid out as a list over several lines or sentences belong to one tally per group."""
from ratings.extraction import extract_article


def tallies(text: str, **fallbacks) -> list[tuple]:
    return [
        (t["year"], t["subject"], {level: count for level, count in t["counts"].items() if count is not None})
        for t in extract_article(text, **fallbacks)["tallies"]
    ]


def test_bulleted_lines_for_organizations_then_for_members():
    text = (
        "Kết quả xếp loại chất lượng năm 2023\n"
        "Về tổ chức cơ sở đảng:\n"
        "- Hoàn thành xuất sắc nhiệm vụ: 118 tổ chức (17,3%).\n"
        "- Hoàn thành tốt nhiệm vụ: 486 tổ chức (71,2%).\n"
        "- Hoàn thành nhiệm vụ: 74 tổ chức.\n"
        "- Không hoàn thành nhiệm vụ: 4 tổ chức.\n"
        "Về đảng viên:\n"
        "- Hoàn thành xuất sắc nhiệm vụ: 6.015 đảng viên (15,1%);\n"
        "- Hoàn thành tốt nhiệm vụ: 31.240 đảng viên (78,4%);\n"
        "- Không hoàn thành nhiệm vụ: 288 đảng viên (0,7%)."
    )
    assert tallies(text) == [
        (2023, "collective", {"HTXSNV": 118, "HTTNV": 486, "HTNV": 74, "KHTNV": 4}),
        (2023, "individual", {"HTXSNV": 6015, "HTTNV": 31240, "KHTNV": 288}),
    ]


def test_list_continued_in_the_next_sentence():
    text = (
        "Năm 2023, có 118 tổ chức cơ sở đảng hoàn thành xuất sắc nhiệm vụ, chiếm 17,3%. "
        "Có 486 tổ chức cơ sở đảng hoàn thành tốt nhiệm vụ, chiếm 71,2%."
    )
    assert tallies(text) == [(2023, "collective", {"HTXSNV": 118, "HTTNV": 486})]


def test_numbered_lines_with_counts_before_the_levels():
    text = (
        "Kết quả năm 2023 đối với chi bộ trực thuộc:\n"
        "1. 12 chi bộ hoàn thành xuất sắc nhiệm vụ;\n"
        "2. 40 chi bộ hoàn thành tốt nhiệm vụ;\n"
        "3. 2 chi bộ hoàn thành nhiệm vụ."
    )
    assert tallies(text) == [(2023, "collective", {"HTXSNV": 12, "HTTNV": 40, "HTNV": 2})]


def test_a_new_sentence_about_another_group_starts_a_new_tally():
    text = (
        "Năm 2023, có 118 tổ chức cơ sở đảng hoàn thành xuất sắc nhiệm vụ. "
        "Về đảng viên, có 6.015 đảng viên hoàn thành tốt nhiệm vụ."
    )
    assert tallies(text) == [
        (2023, "collective", {"HTXSNV": 118}),
        (2023, "individual", {"HTTNV": 6015}),
    ]


def test_a_new_sentence_repeating_a_level_starts_a_new_tally():
    text = (
        "Năm 2023, có 118 tổ chức cơ sở đảng hoàn thành xuất sắc nhiệm vụ. "
        "Có 21 chi bộ hoàn thành xuất sắc nhiệm vụ."
    )
    assert len(tallies(text)) == 2


def test_sentences_far_apart_are_not_one_list():
    text = (
        "Năm 2023, có 118 tổ chức cơ sở đảng hoàn thành xuất sắc nhiệm vụ.\n"
        "Hội nghị cũng bàn nhiệm vụ năm 2024.\n"
        "Có 486 tổ chức cơ sở đảng hoàn thành tốt nhiệm vụ."
    )
    assert len(tallies(text)) == 2
