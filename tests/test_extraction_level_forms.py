"""Levels however they are typed, and the task phrases that only look like a level."""
import pytest

from ratings.extraction import extract_article
from ratings.extraction.levels import find_levels
from ratings.extraction.normalize import normalize_text


def levels(text: str) -> list[str]:
    return [mention.level for mention in find_levels(normalize_text(text))]


def counts(tally: dict) -> dict:
    return {level: count for level, count in tally["counts"].items() if count is not None}


@pytest.mark.parametrize(
    "written",
    [
        "“HOÀN THÀNH XUẤT SẮC NHIỆM VỤ”",
        "HTXSNV",
        "«hoàn thành xuất sắc nhiệm vụ»",
        "Hoàn thành Xuất sắc Nhiệm vụ",
        "\"Hoàn thành xuất sắc nhiệm vụ\"",
        "‘hoàn thành xuất sắc nhiệm vụ’",
        "hoàn thành xuất sắc nhiệm vụ (HTXSNV)",
        "hoàn  thành\u00a0xuất sắc  nhiệm\u200b vụ",
    ],
)
def test_every_way_of_writing_the_top_level_counts(written):
    [tally] = extract_article(f"Năm 2023 có 23 chi bộ đạt {written}, 71 chi bộ đạt HTTNV.")["tallies"]
    assert counts(tally) == {"HTXSNV": 23, "HTTNV": 71}


def test_a_named_rating_in_capitals():
    [rating] = extract_article("NĂM 2023, TỈNH ỦY TỰ XẾP LOẠI ĐẢNG BỘ TỈNH HOÀN THÀNH XUẤT SẮC NHIỆM VỤ.")["ratings"]
    assert (rating["unit_kind"], rating["level"], rating["stage"], rating["year"]) == (
        "dang_bo_tinh", "HTXSNV", "self", 2023,
    )


@pytest.mark.parametrize(
    "phrase",
    [
        "hoàn thành tốt nhiệm vụ kiểm tra, giám sát",
        "hoàn thành xuất sắc nhiệm vụ huấn luyện sẵn sàng chiến đấu",
        "hoàn thành tốt nhiệm vụ phòng, chống dịch",
        "hoàn thành xuất sắc nhiệm vụ diễn tập khu vực phòng thủ",
        "hoàn thành tốt nhiệm vụ trong việc lãnh đạo phát triển kinh tế",
        "hoàn thành xuất sắc nhiệm vụ năm học 2023-2024",
        "hoàn thành tốt nhiệm vụ bảo đảm an ninh trật tự",
        "hoàn thành tốt nhiệm vụ tham mưu cho Tỉnh ủy",
    ],
)
def test_a_level_phrase_naming_a_particular_task_is_not_a_level(phrase):
    assert levels(f"Năm 2023, 15 đơn vị {phrase}.") == []


@pytest.mark.parametrize(
    "phrase",
    [
        "hoàn thành xuất sắc nhiệm vụ tiêu biểu",
        "hoàn thành xuất sắc nhiệm vụ 5 năm liền",
        "hoàn thành xuất sắc nhiệm vụ trong 3 năm liên tiếp",
        "hoàn thành xuất sắc nhiệm vụ nhiều năm liền",
    ],
)
def test_commendations_are_not_levels(phrase):
    assert levels(f"Tỉnh ủy tặng Bằng khen cho 25 tổ chức cơ sở đảng {phrase}.") == []


@pytest.mark.parametrize(
    "after",
    ["", " năm 2023", " (HTXSNV)", ", chiếm 16%", " với 45/47 phiếu", " và 40 chi bộ", ": 12 tổ chức", " có 12 tổ chức"],
)
def test_what_may_follow_a_real_level(after):
    assert levels(f"xếp loại hoàn thành xuất sắc nhiệm vụ{after}") == ["HTXSNV"]
