"""Figures for a level and every level above it: floors ("… trở lên") and counts split with "trong đó"."""
import pytest

from ratings.extraction import extract_article


def tallies(text: str, **fallbacks) -> list[dict]:
    return extract_article(text, **fallbacks)["tallies"]


def counts(tally: dict) -> dict:
    return {level: count for level, count in tally["counts"].items() if count is not None}


def test_count_of_a_floor_is_at_or_above_its_level():
    [tally] = tallies("Năm 2024, toàn huyện có 64 tổ chức cơ sở đảng hoàn thành tốt nhiệm vụ trở lên.")
    assert counts(tally) == {"HTTNV+": 64}
    assert tally["year"] == 2024 and tally["subject"] == "collective"


def test_share_of_a_floor_keeps_its_decimal_comma():
    found = extract_article("Năm 2024, Đảng bộ xã Hòa Tiến có 91,8% đảng viên hoàn thành tốt nhiệm vụ trở lên.")
    [tally] = found["tallies"]
    assert tally["percent"] == {"HTTNV+": 91.8} and tally["subject"] == "individual"
    assert found["ratings"] == []


def test_floor_written_with_the_abbreviation_and_a_share_after_it():
    [tally] = tallies("Năm 2024, có 75 TCCSĐ đạt HTTNV trở lên (chiếm 90,4%).")
    assert counts(tally) == {"HTTNV+": 75} and tally["percent"] == {"HTTNV+": 90.4}


def test_higher_level_inside_a_count_makes_the_count_at_or_above():
    [tally] = tallies(
        "Năm 2024, Đảng ủy Khối Cơ quan có 17 chi bộ hoàn thành tốt nhiệm vụ; trong đó 3 chi bộ hoàn thành xuất "
        "sắc nhiệm vụ."
    )
    assert counts(tally) == {"HTTNV+": 17, "HTXSNV": 3}


@pytest.mark.parametrize(
    "text",
    [
        "Năm 2024, có 52 TCCSĐ đạt HTTNV (trong đó có 9 TCCSĐ HTXSNV), 4 TCCSĐ HTNV.",
        "Năm 2024, có 52 TCCSĐ đạt HTTNV, trong số đó có 9 TCCSĐ HTXSNV; 4 TCCSĐ HTNV.",
        "Năm 2024, có 52 TCCSĐ đạt HTTNV, trong đó: 9 TCCSĐ HTXSNV; 4 TCCSĐ HTNV.",
    ],
)
def test_higher_part_in_brackets_or_after_trong_so_do(text):
    [tally] = tallies(text)
    assert counts(tally) == {"HTTNV+": 52, "HTXSNV": 9, "HTNV": 4}


def test_old_scale_model_subset_named_by_its_adjective():
    [tally] = tallies("Năm 2013, huyện có 87 tổ chức cơ sở đảng đạt trong sạch vững mạnh, trong đó 21 tiêu biểu.")
    assert counts(tally) == {"TSVM+": 87, "TSVMTB": 21}


def test_floor_with_a_higher_part_as_shares():
    [tally] = tallies(
        "Năm 2024, 96,3% tổ chức đảng được xếp loại hoàn thành tốt nhiệm vụ trở lên, trong đó 17,6% hoàn thành "
        "xuất sắc nhiệm vụ."
    )
    assert tally["percent"] == {"HTTNV+": 96.3, "HTXSNV": 17.6}


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # A lower level after "trong đó" is a part of another kind, not a breakdown upwards.
        (
            "Năm 2024, có 130 đảng viên hoàn thành xuất sắc nhiệm vụ, trong đó 12 đảng viên hoàn thành tốt nhiệm vụ "
            "ở cấp ủy.",
            {"HTXSNV": 130, "HTTNV": 12},
        ),
        # An unrelated breakdown of the same count ("trong đó 35 đảng viên là nữ") states no level.
        ("Năm 2024, có 140 đảng viên hoàn thành tốt nhiệm vụ, trong đó 35 đảng viên là nữ.", {"HTTNV": 140}),
        # Levels listed one after another are each their own count.
        (
            "Năm 2024, có 9 chi bộ hoàn thành xuất sắc nhiệm vụ, 30 chi bộ hoàn thành tốt nhiệm vụ.",
            {"HTXSNV": 9, "HTTNV": 30},
        ),
    ],
)
def test_no_at_or_above_without_a_higher_part(text, expected):
    [tally] = tallies(text)
    assert counts(tally) == expected


def test_the_part_does_not_count_twice_against_the_total():
    [tally] = tallies(
        "Năm 2024, trong tổng số 60 chi bộ, có 52 chi bộ hoàn thành tốt nhiệm vụ, trong đó 9 chi bộ hoàn thành "
        "xuất sắc nhiệm vụ; 8 chi bộ hoàn thành nhiệm vụ."
    )
    assert counts(tally) == {"HTTNV+": 52, "HTXSNV": 9, "HTNV": 8}
    assert tally["total"] == 60


def test_floor_rates_no_single_unit():
    found = extract_article("Năm 2024, Đảng bộ xã Hòa Tiến đạt hoàn thành tốt nhiệm vụ trở lên theo hướng dẫn.")
    assert found["ratings"] == [] and found["votes"] == []


def test_target_floor_is_no_figure():
    assert tallies("Năm 2025, phấn đấu 95% tổ chức cơ sở đảng hoàn thành tốt nhiệm vụ trở lên.") == []


@pytest.mark.parametrize(
    "share",
    [
        " (chiếm 21,4%)",
        " (đạt 21,4%)",
        " (bằng 21,4%)",
        " (tỷ lệ 21,4%)",
        " (tỉ lệ 21,4%)",
        " (tỷ lệ: 21,4%)",
        " (= 21,4%)",
        " (21,4 %)",
        ", chiếm tỷ lệ 21,4%,",
    ],
)
def test_share_in_brackets_between_the_count_and_its_level(share):
    [tally] = tallies(f"Năm 2024, có 33 TCCSĐ{share} hoàn thành xuất sắc nhiệm vụ.")
    assert counts(tally) == {"HTXSNV": 33} and tally["percent"] == {"HTXSNV": 21.4}


@pytest.mark.parametrize(
    "share",
    [" (tỉ lệ 21,4%)", ", chiếm tỉ lệ 21,4%", " (= 21,4%)", " = 21,4%", ", bằng 21,4%", " (đạt tỷ lệ 21,4 %)"],
)
def test_share_after_the_level(share):
    [tally] = tallies(f"Năm 2024, có 33 TCCSĐ hoàn thành xuất sắc nhiệm vụ{share}.")
    assert counts(tally) == {"HTXSNV": 33} and tally["percent"] == {"HTXSNV": 21.4}


def test_share_after_a_count_that_follows_its_level():
    [tally] = tallies("Năm 2024, hoàn thành xuất sắc nhiệm vụ: 33 TCCSĐ = 21,4%; hoàn thành tốt nhiệm vụ: 110 TCCSĐ.")
    assert counts(tally) == {"HTXSNV": 33, "HTTNV": 110} and tally["percent"] == {"HTXSNV": 21.4}


def test_one_floor_for_organizations_and_members_gives_each_its_share():
    found = tallies("Năm 2024, 96% tổ chức đảng và 94,5% đảng viên hoàn thành tốt nhiệm vụ trở lên.")
    assert [(tally["subject"], tally["percent"]) for tally in found] == [
        ("collective", {"HTTNV+": 96.0}),
        ("individual", {"HTTNV+": 94.5}),
    ]


def test_a_rough_first_share_of_a_shared_floor_is_dropped():
    found = tallies("Năm 2024, trên 96% tổ chức đảng và 94,5% đảng viên hoàn thành tốt nhiệm vụ trở lên.")
    assert [(tally["subject"], tally["percent"]) for tally in found] == [("individual", {"HTTNV+": 94.5})]
