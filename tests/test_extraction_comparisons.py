"""Several years in one sentence: each count belongs to the year it is stated for; changes are not counts."""
import pytest

from ratings.extraction import extract_article


def tallies(text: str, **fallbacks) -> list[dict]:
    return extract_article(text, **fallbacks)["tallies"]


def by_year(text: str) -> dict:
    return {
        tally["year"]: {level: count for level, count in tally["counts"].items() if count is not None}
        for tally in tallies(text)
    }


@pytest.mark.parametrize(
    "change",
    [
        "tăng 3 đơn vị so với năm 2022",
        "giảm 2 đơn vị so với năm 2022",
        "tăng 3 đơn vị so với năm trước",
        "nhiều hơn năm 2022 là 3 đơn vị",
        "tăng 2,5% so với cùng kỳ",
    ],
)
def test_a_change_against_an_earlier_year_is_not_a_count_of_that_year(change):
    assert by_year(f"Năm 2023 có 14 đơn vị hoàn thành xuất sắc nhiệm vụ, {change}.") == {2023: {"HTXSNV": 14}}


def test_a_count_after_a_comparison_keeps_the_year_of_the_sentence():
    assert by_year(
        "Năm 2023 có 14 đơn vị hoàn thành xuất sắc nhiệm vụ, giảm 2 đơn vị so với năm 2022, "
        "31 đơn vị hoàn thành tốt nhiệm vụ."
    ) == {2023: {"HTXSNV": 14, "HTTNV": 31}}


def test_comparison_stated_first_does_not_give_its_year():
    assert by_year(
        "So với năm 2022, năm 2023 có 14 đơn vị hoàn thành xuất sắc nhiệm vụ (tăng 3 đơn vị)."
    ) == {2023: {"HTXSNV": 14}}


def test_comparison_year_opening_a_sentence_without_its_own_year_is_not_the_year_rated():
    [tally] = tallies(
        "Kết quả xếp loại năm 2023\nSo với năm 2022, có 14 đơn vị hoàn thành xuất sắc nhiệm vụ, tăng 3 đơn vị."
    )
    assert tally["year"] == 2023


def test_each_year_with_its_own_level():
    assert by_year(
        "Năm 2023 có 14 đơn vị hoàn thành xuất sắc nhiệm vụ, năm 2022 có 11 đơn vị hoàn thành xuất sắc nhiệm vụ."
    ) == {2023: {"HTXSNV": 14}, 2022: {"HTXSNV": 11}}


@pytest.mark.parametrize(
    "earlier",
    [
        " (năm 2022 là 11 đơn vị)",
        " (năm 2022: 11 đơn vị)",
        ", năm 2022 có 11 đơn vị",
        "; năm 2022 là 11 đơn vị",
    ],
)
def test_an_earlier_years_count_stated_without_repeating_the_level(earlier):
    assert by_year(f"Năm 2023 có 14 đơn vị hoàn thành xuất sắc nhiệm vụ{earlier}.") == {
        2023: {"HTXSNV": 14},
        2022: {"HTXSNV": 11},
    }


def test_earlier_years_in_one_parenthesis():
    assert by_year(
        "Năm 2023 có 14 đơn vị hoàn thành xuất sắc nhiệm vụ (năm 2022: 11 đơn vị; năm 2021: 9 đơn vị)."
    ) == {2023: {"HTXSNV": 14}, 2022: {"HTXSNV": 11}, 2021: {"HTXSNV": 9}}


def test_interleaved_years_gather_into_one_tally_per_year():
    assert by_year(
        "Năm 2023 có 14 đơn vị hoàn thành xuất sắc nhiệm vụ (năm 2022: 11 đơn vị), "
        "52 đơn vị hoàn thành tốt nhiệm vụ (năm 2022: 55 đơn vị)."
    ) == {2023: {"HTXSNV": 14, "HTTNV": 52}, 2022: {"HTXSNV": 11, "HTTNV": 55}}


def test_share_of_an_earlier_year_is_not_a_count():
    text = "Năm 2023 có 14 đơn vị hoàn thành xuất sắc nhiệm vụ, chiếm 17,1% (năm 2022 là 14,6%)."
    assert by_year(text) == {2023: {"HTXSNV": 14}, 2022: {}}
    shares = {tally["year"]: tally["percent"] for tally in tallies(text)}
    assert shares == {2023: {"HTXSNV": 17.1}, 2022: {"HTXSNV": 14.6}}


def test_two_years_in_two_clauses_with_their_own_lists():
    assert by_year(
        "Năm 2022 có 11 đơn vị hoàn thành xuất sắc nhiệm vụ, 55 đơn vị hoàn thành tốt nhiệm vụ; "
        "năm 2023 có 14 đơn vị hoàn thành xuất sắc nhiệm vụ, 52 đơn vị hoàn thành tốt nhiệm vụ."
    ) == {2022: {"HTXSNV": 11, "HTTNV": 55}, 2023: {"HTXSNV": 14, "HTTNV": 52}}


def test_a_period_of_years_is_not_one_year():
    assert tallies("Giai đoạn 2020-2023, có 46 lượt tổ chức hoàn thành xuất sắc nhiệm vụ.") == []


@pytest.mark.parametrize(
    "tail",
    ["; năm 2024 có 17 đơn vị", ", năm 2022 có 3.200 đảng viên", ", năm 2024 có 17 đơn vị đăng ký thi đua"],
)
def test_a_later_year_or_another_subject_is_not_an_earlier_count_of_the_level(tail):
    assert by_year(f"Năm 2023 có 14 đơn vị hoàn thành xuất sắc nhiệm vụ{tail}.") == {2023: {"HTXSNV": 14}}
