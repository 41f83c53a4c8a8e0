"""Totals stated before the counts ("Trong tổng số 686 …, có …") and the counts that follow them."""
import pytest

from ratings.extraction import extract_article


def tallies(text: str, **fallbacks) -> list[dict]:
    return extract_article(text, **fallbacks)["tallies"]


def counts(tally: dict) -> dict:
    return {level: count for level, count in tally["counts"].items() if count is not None}


def test_total_first_with_a_noun_on_every_count():
    [tally] = tallies(
        "Năm 2023, trong tổng số 712 tổ chức cơ sở đảng được đánh giá, có 131 tổ chức hoàn thành xuất sắc "
        "nhiệm vụ, 497 tổ chức hoàn thành tốt nhiệm vụ, 79 tổ chức hoàn thành nhiệm vụ, 5 tổ chức không "
        "hoàn thành nhiệm vụ."
    )
    assert counts(tally) == {"HTXSNV": 131, "HTTNV": 497, "HTNV": 79, "KHTNV": 5}
    assert tally["total"] == 712 and tally["year"] == 2023


def test_total_first_with_bare_counts():
    [tally] = tallies(
        "Năm 2023, trong tổng số 712 tổ chức cơ sở đảng được đánh giá, có 131 hoàn thành xuất sắc nhiệm vụ, "
        "497 hoàn thành tốt nhiệm vụ, 79 hoàn thành nhiệm vụ, 5 không hoàn thành nhiệm vụ."
    )
    assert counts(tally) == {"HTXSNV": 131, "HTTNV": 497, "HTNV": 79, "KHTNV": 5}
    assert tally["total"] == 712


def test_total_then_colon_then_levels_with_counts_after_them():
    [tally] = tallies(
        "Năm 2022, tổng số 1.318 chi bộ: hoàn thành xuất sắc nhiệm vụ 236 chi bộ, hoàn thành tốt nhiệm vụ "
        "964 chi bộ, hoàn thành nhiệm vụ 111 chi bộ, không hoàn thành nhiệm vụ 7 chi bộ."
    )
    assert counts(tally) == {"HTXSNV": 236, "HTTNV": 964, "HTNV": 111, "KHTNV": 7}
    assert tally["total"] == 1318


def test_ratio_of_everyone_rated_gives_the_total():
    [tally] = tallies(
        "Năm 2023, có 405/405 tổ chức cơ sở đảng được đánh giá, xếp loại; trong đó có 77 tổ chức "
        "hoàn thành xuất sắc nhiệm vụ."
    )
    assert counts(tally) == {"HTXSNV": 77} and tally["total"] == 405


def test_total_named_by_doi_voi_before_a_colon():
    [tally] = tallies(
        "Kết quả đánh giá, xếp loại năm 2023 đối với 388 tổ chức cơ sở đảng: 70 tổ chức hoàn thành xuất sắc "
        "nhiệm vụ, 290 tổ chức hoàn thành tốt nhiệm vụ."
    )
    assert counts(tally) == {"HTXSNV": 70, "HTTNV": 290} and tally["total"] == 388


def test_total_smaller_than_the_counts_is_not_a_total():
    [tally] = tallies(
        "Năm 2023, tổng số 12 huyện: có 40 tổ chức hoàn thành xuất sắc nhiệm vụ, 90 tổ chức hoàn thành tốt nhiệm vụ."
    )
    assert tally["total"] is None


def test_no_total_is_invented_when_the_text_gives_none():
    [tally] = tallies("Năm 2023 có 19 chi bộ hoàn thành xuất sắc nhiệm vụ và 66 chi bộ hoàn thành tốt nhiệm vụ.")
    assert tally["total"] is None


@pytest.mark.parametrize(
    "none_phrase",
    ["không có tổ chức cơ sở đảng nào", "không có tổ chức nào", "không có chi bộ"],
)
def test_none_at_a_level_is_a_count_of_zero_and_not_a_rating(none_phrase):
    result = extract_article(
        f"Năm 2023, có 64 tổ chức hoàn thành xuất sắc nhiệm vụ, {none_phrase} không hoàn thành nhiệm vụ."
    )
    assert result["ratings"] == []
    [tally] = result["tallies"]
    assert counts(tally) == {"HTXSNV": 64, "KHTNV": 0}


def test_the_deciding_body_is_not_the_name_of_the_counted_group():
    [tally] = tallies(
        "Qua đánh giá, Ban Thường vụ Tỉnh ủy quyết định xếp loại năm 2023: 3 đơn vị hoàn thành xuất sắc nhiệm vụ, "
        "15 đơn vị hoàn thành tốt nhiệm vụ."
    )
    assert "quyết định" not in tally["group"]
