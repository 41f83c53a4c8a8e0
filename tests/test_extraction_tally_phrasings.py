"""Tallies as the articles phrase them: "được công nhận", a level before its count, a list running on."""
from ratings.extraction import extract_article


def tallies(text: str, **fallbacks) -> list[dict]:
    return extract_article(text, **fallbacks)["tallies"]


def counts(tally: dict) -> dict:
    return {level: count for level, count in tally["counts"].items() if count is not None}


def test_recognized_count_with_percentage_after_equal_to():
    [tally] = tallies("Năm 2023, toàn huyện có 210 chi bộ được công nhận hoàn thành tốt nhiệm vụ, bằng 61,2%.")
    assert counts(tally) == {"HTTNV": 210}
    assert tally["percent"] == {"HTTNV": 61.2}
    assert tally["subject"] == "collective"


def test_recognized_clean_and_strong_on_the_old_scale():
    [tally] = tallies("Năm 2016, có 210 chi bộ được công nhận trong sạch vững mạnh, bằng 61,2%.")
    assert counts(tally) == {"TSVM": 210}
    assert tally["percent"] == {"TSVM": 61.2}


def test_level_before_its_count_with_a_space_before_the_percent_sign():
    [tally] = tallies(
        "Năm 2023, kết quả đánh giá chi bộ: hoàn thành xuất sắc nhiệm vụ 8 chi bộ, chiếm 20 %; "
        "Hoàn thành tốt nhiệm vụ 12 chi bộ, chiếm 30 %."
    )
    assert counts(tally) == {"HTXSNV": 8, "HTTNV": 12}
    assert tally["percent"] == {"HTXSNV": 20.0, "HTTNV": 30.0}


def test_hyphenated_old_scale_levels_with_spaces():
    [tally] = tallies(
        "Năm 2015, có 30 tổ chức cơ sở đảng xếp loại Trong sạch - vững mạnh, "
        "6 tổ chức xếp loại Trong sạch - vững mạnh tiêu biểu và 2 tổ chức yếu kém."
    )
    assert counts(tally) == {"TSVM": 30, "TSVMTB": 6, "YK": 2}


def test_level_colon_count_with_share_in_parentheses():
    [tally] = tallies(
        "Năm 2023, về tổ chức cơ sở đảng: hoàn thành xuất sắc nhiệm vụ: 9 tổ chức (chiếm 16,1%); "
        "hoàn thành tốt nhiệm vụ: 45 tổ chức (chiếm 80,4%)."
    )
    assert counts(tally) == {"HTXSNV": 9, "HTTNV": 45}
    assert tally["percent"] == {"HTXSNV": 16.1, "HTTNV": 80.4}


def test_tally_runs_on_over_a_clause_and_the_next_sentence():
    [tally] = tallies(
        "Năm 2023, có 50 tổ chức hoàn thành tốt nhiệm vụ, chiếm 83%; hoàn thành nhiệm vụ 5 tổ chức, "
        "chiếm 8%. Không hoàn thành nhiệm vụ 1 tổ chức."
    )
    assert counts(tally) == {"HTTNV": 50, "HTNV": 5, "KHTNV": 1}
    assert tally["percent"] == {"HTTNV": 83.0, "HTNV": 8.0}


def test_remaining_organizations_that_failed_are_a_count():
    [tally] = tallies(
        "Năm 2023, có 40 tổ chức hoàn thành tốt nhiệm vụ, 7 tổ chức hoàn thành nhiệm vụ, "
        "còn 2 tổ chức không hoàn thành nhiệm vụ."
    )
    assert counts(tally) == {"HTTNV": 40, "HTNV": 7, "KHTNV": 2}


def test_cases_of_members_that_failed_are_individuals():
    [tally] = tallies(
        "Về đảng viên, năm 2023 có 1.200 đảng viên hoàn thành tốt nhiệm vụ, "
        "có 3 trường hợp không hoàn thành nhiệm vụ."
    )
    assert counts(tally) == {"HTTNV": 1200, "KHTNV": 3}
    assert tally["subject"] == "individual"


def test_cases_alone_are_individuals():
    [tally] = tallies("Năm 2023, toàn Đảng bộ có 3 trường hợp không hoàn thành nhiệm vụ.")
    assert counts(tally) == {"KHTNV": 3}
    assert tally["subject"] == "individual"


def test_total_actually_rated_out_of_all():
    [tally] = tallies(
        "Năm 2023, có 540 trong tổng số 557 TCCSĐ được đánh giá, xếp loại; trong đó "
        "98 TCCSĐ hoàn thành xuất sắc nhiệm vụ, 400 TCCSĐ hoàn thành tốt nhiệm vụ."
    )
    assert counts(tally) == {"HTXSNV": 98, "HTTNV": 400}
    assert tally["total"] == 540


def test_a_decrease_to_a_count_is_still_not_read_as_a_change():
    [tally] = tallies(
        "Năm 2023, có 60 tổ chức hoàn thành tốt nhiệm vụ, tăng 10 tổ chức hoàn thành tốt nhiệm vụ so với năm trước."
    )
    assert counts(tally) == {"HTTNV": 60}


def test_party_bases_with_shares_followed_by_a_comparison():
    [tally] = tallies(
        "Năm 2014, có 12 cơ sở đảng được công nhận trong sạch vững mạnh tiêu biểu (bằng 10,5% so với tổng số "
        "cơ sở đảng được đánh giá); 50 cơ sở đảng được công nhận trong sạch vững mạnh (bằng 43,9% và tăng 1,2%)."
    )
    assert counts(tally) == {"TSVMTB": 12, "TSVM": 50}
    assert tally["percent"] == {"TSVMTB": 10.5, "TSVM": 43.9}


def test_a_change_in_parentheses_is_not_a_share():
    [tally] = tallies("Năm 2023, có 300 đảng viên hoàn thành xuất sắc nhiệm vụ (tăng 1,5% so với năm trước).")
    assert counts(tally) == {"HTXSNV": 300}
    assert tally["percent"] == {}


def test_letter_grades_with_the_level_in_parentheses():
    [tally] = tallies(
        "Năm 2023, về cán bộ lãnh đạo, quản lý, có 9 đồng chí xếp loại A (hoàn thành xuất sắc nhiệm vụ); "
        "80 đồng chí xếp loại B (hoàn thành tốt nhiệm vụ) và 2 đồng chí xếp loại C (hoàn thành nhiệm vụ)."
    )
    assert counts(tally) == {"HTXSNV": 9, "HTTNV": 80, "HTNV": 2}
    assert tally["subject"] == "individual"

