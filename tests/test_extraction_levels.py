"""Level phrases: longest first, any case, quoted or abbreviated, and the look-alikes."""
import pytest

from ratings.extraction.levels import find_levels
from ratings.extraction.normalize import normalize_text


def levels(text: str) -> list[str]:
    return [mention.level for mention in find_levels(normalize_text(text))]


@pytest.mark.parametrize(
    ("text", "level"),
    [
        ("xếp loại hoàn thành xuất sắc nhiệm vụ", "HTXSNV"),
        ("xếp loại hoàn thành tốt nhiệm vụ", "HTTNV"),
        ("xếp loại hoàn thành nhiệm vụ", "HTNV"),
        ("xếp loại không hoàn thành nhiệm vụ", "KHTNV"),
    ],
)
def test_the_four_levels_in_full(text, level):
    assert levels(text) == [level]


def test_longest_phrase_wins_over_the_phrase_inside_it():
    assert levels("có 2 đơn vị hoàn thành xuất sắc nhiệm vụ và 5 đơn vị hoàn thành tốt nhiệm vụ") == ["HTXSNV", "HTTNV"]


def test_abbreviations_are_levels():
    assert levels("đạt HTXSNV, 14 đơn vị HTTNV, 1 đơn vị HTNV và không có đơn vị KHTNV") == [
        "HTXSNV", "HTTNV", "HTNV", "KHTNV",
    ]


def test_capitals_and_typographic_quotes_are_read():
    assert levels("ĐẠT MỨC “HOÀN THÀNH XUẤT SẮC NHIỆM VỤ” VÀ «Hoàn thành tốt nhiệm vụ»") == ["HTXSNV", "HTTNV"]


def test_abbreviation_in_parentheses_after_the_phrase_is_one_mention():
    mentions = find_levels("đạt mức hoàn thành tốt nhiệm vụ (HTTNV) năm 2023")
    assert [m.level for m in mentions] == ["HTTNV"]
    assert "HTTNV)" in "đạt mức hoàn thành tốt nhiệm vụ (HTTNV) năm 2023"[mentions[0].start : mentions[0].end]


def test_abbreviation_glued_to_other_letters_is_not_a_level():
    assert levels("mã số XHTNV2 và đường dẫn htxsnv-2023") == []


def test_goals_are_not_levels():
    assert levels("phấn đấu hoàn thành xuất sắc nhiệm vụ năm 2024; quyết tâm hoàn thành tốt nhiệm vụ") == []


def test_measures_of_progress_are_not_levels():
    assert levels("đánh giá mức độ hoàn thành nhiệm vụ và kết quả hoàn thành nhiệm vụ của từng người") == []


def test_duty_phrases_are_not_levels():
    assert levels("cán bộ hoàn thành tốt nhiệm vụ được giao và nhiệm vụ chính trị") == []


def test_floors_are_levels_at_or_above():
    [mention] = find_levels(normalize_text("100% chi bộ hoàn thành nhiệm vụ trở lên"))
    assert (mention.level, mention.or_above, mention.key) == ("HTNV", True, "HTNV+")


def test_runs_of_years_are_commendations_not_levels():
    assert levels("tặng giấy khen cho chi bộ hoàn thành xuất sắc nhiệm vụ 5 năm liền") == []


def test_old_scale_is_found_but_not_in_building_slogans():
    assert levels("có 40 tổ chức đạt trong sạch, vững mạnh tiêu biểu") == ["TSVMTB"]
    assert levels("xây dựng Đảng và hệ thống chính trị trong sạch vững mạnh") == []


def test_weak_only_counts_in_a_rating_context():
    assert levels("có 3 tổ chức cơ sở đảng yếu kém") == ["YK"]
    assert levels("khắc phục những hạn chế, yếu kém đã chỉ ra") == []


def test_old_scale_abbreviations_with_and_without_the_model_subset():
    assert levels("212 TCCSĐ đạt TSVM, trong đó 40 đạt TSVMTB và 12 đạt TSVM tiêu biểu") == ["TSVM", "TSVMTB", "TSVMTB"]
