"""Shares per level: "chiếm 17,5%", "(15,2%)", "đạt tỷ lệ 81%", and the floors that are not one level."""
import pytest

from ratings.extraction import extract_article


def tallies(text: str, **fallbacks) -> list[dict]:
    return extract_article(text, **fallbacks)["tallies"]


def counts(tally: dict) -> dict:
    return {level: count for level, count in tally["counts"].items() if count is not None}


@pytest.mark.parametrize(
    "share",
    [
        ", chiếm 18,2%",
        " (chiếm 18,2%)",
        " (18,2%)",
        ", chiếm tỷ lệ 18,2%",
        ", đạt tỷ lệ 18,2%",
        ", bằng 18,2%",
        " - chiếm 18,2%",
        " (chiếm 18,2%, tăng 1,4% so với năm 2022)",
        " (chiếm 18,2 %)",
    ],
)
def test_share_written_after_the_level_belongs_to_its_count(share):
    [tally] = tallies(f"Năm 2023, toàn Đảng bộ có 134 tổ chức cơ sở đảng hoàn thành xuất sắc nhiệm vụ{share}.")
    assert counts(tally) == {"HTXSNV": 134}
    assert tally["percent"] == {"HTXSNV": 18.2}


def test_share_between_count_and_level():
    [tally] = tallies("Năm 2023 có 57 chi bộ, chiếm 22,6%, được xếp loại hoàn thành xuất sắc nhiệm vụ.")
    assert counts(tally) == {"HTXSNV": 57} and tally["percent"] == {"HTXSNV": 22.6}


def test_share_in_parentheses_between_count_and_level():
    [tally] = tallies(
        "Năm 2023 có 57 chi bộ (22,6%) hoàn thành xuất sắc nhiệm vụ; 180 chi bộ (71,4%) hoàn thành tốt nhiệm vụ."
    )
    assert counts(tally) == {"HTXSNV": 57, "HTTNV": 180}
    assert tally["percent"] == {"HTXSNV": 22.6, "HTTNV": 71.4}


def test_shares_without_counts_make_a_tally_of_percentages():
    [tally] = tallies(
        "Năm 2022, 16,8% tổ chức cơ sở đảng hoàn thành xuất sắc nhiệm vụ; 76,1% hoàn thành tốt nhiệm vụ."
    )
    assert counts(tally) == {}
    assert tally["percent"] == {"HTXSNV": 16.8, "HTTNV": 76.1}
    assert tally["subject"] == "collective"


@pytest.mark.parametrize("verb", ["chiếm", "đạt", "đạt tỷ lệ", "là"])
def test_level_then_its_share(verb):
    [tally] = tallies(
        f"Về tổ chức cơ sở đảng năm 2023, hoàn thành xuất sắc nhiệm vụ {verb} 19,3%; "
        f"hoàn thành tốt nhiệm vụ {verb} 74,5%."
    )
    assert tally["percent"] == {"HTXSNV": 19.3, "HTTNV": 74.5}


def test_share_of_the_level_stated_as_a_rate():
    [tally] = tallies("Năm 2023, tổ chức cơ sở đảng hoàn thành xuất sắc nhiệm vụ đạt tỷ lệ 17,9%.")
    assert tally["percent"] == {"HTXSNV": 17.9} and tally["subject"] == "collective"


def test_share_of_members_at_or_above_a_floor_with_a_higher_part():
    [tally] = tallies(
        "Năm 2023, 98,6% đảng viên hoàn thành nhiệm vụ trở lên, trong đó 14,1% hoàn thành xuất sắc nhiệm vụ."
    )
    assert tally["percent"] == {"HTNV+": 98.6, "HTXSNV": 14.1}
    assert tally["subject"] == "individual"


@pytest.mark.parametrize(
    ("sentence", "share"),
    [
        ("Năm 2023, tỷ lệ tổ chức cơ sở đảng hoàn thành tốt nhiệm vụ trở lên đạt 91,7%.", {"HTTNV+": 91.7}),
        ("Năm 2023, có 93,4% tổ chức cơ sở đảng hoàn thành tốt nhiệm vụ trở lên.", {"HTTNV+": 93.4}),
        ("Năm 2023, 99% đảng viên được xếp loại từ hoàn thành nhiệm vụ trở lên.", {"HTNV+": 99.0}),
    ],
)
def test_floors_are_shares_at_or_above_a_level(sentence, share):
    [tally] = tallies(sentence)
    assert tally["percent"] == share


def test_coverage_is_not_a_share_of_one_level():
    assert tallies("Năm 2023, 100% tổ chức cơ sở đảng được đánh giá, xếp loại chất lượng.") == []


@pytest.mark.parametrize(
    "sentence",
    [
        "Năm 2024, phấn đấu có 20% tổ chức cơ sở đảng hoàn thành xuất sắc nhiệm vụ.",
        "Năm 2024, phấn đấu có trên 90% tổ chức cơ sở đảng hoàn thành tốt nhiệm vụ trở lên; 20% tổ chức hoàn thành xuất sắc nhiệm vụ.",
        "Chỉ tiêu năm 2024: có 18% tổ chức cơ sở đảng hoàn thành xuất sắc nhiệm vụ.",
        "Mục tiêu đến năm 2025 có 25% chi bộ hoàn thành xuất sắc nhiệm vụ.",
    ],
)
def test_targets_are_not_tallies(sentence):
    assert tallies(sentence) == []


def test_result_then_target_keeps_only_the_result():
    [tally] = tallies(
        "Năm 2023 có 15,2% tổ chức cơ sở đảng hoàn thành xuất sắc nhiệm vụ; "
        "năm 2024 phấn đấu có 18% tổ chức hoàn thành xuất sắc nhiệm vụ."
    )
    assert (tally["year"], tally["percent"]) == (2023, {"HTXSNV": 15.2})


def test_exceeding_a_target_is_still_a_result():
    [tally] = tallies(
        "Năm 2023, vượt chỉ tiêu đề ra, toàn tỉnh có 41 tổ chức cơ sở đảng hoàn thành xuất sắc nhiệm vụ."
    )
    assert counts(tally) == {"HTXSNV": 41}


def test_a_target_of_none_at_the_lowest_level_is_neither_a_tally_nor_a_rating():
    result = extract_article(
        "Bí thư Tỉnh ủy đề nghị phấn đấu để năm 2024 có trên 20% tổ chức cơ sở đảng hoàn thành xuất sắc nhiệm vụ, "
        "không có tổ chức cơ sở đảng không hoàn thành nhiệm vụ."
    )
    assert result["tallies"] == [] and result["ratings"] == []
