"""Phrasings of a second set of real articles: figures given "tương ứng" or "lần lượt" (an earlier year's
shares, levels listed before their figures, one level over several years), a member's standing set off by a
comma, what "còn" remains, "số chi bộ" as a count, an award named before its receivers, and a cell rated by
its commune's committee. All sentences are invented."""
from ratings.extraction import extract_article


def counts(tally: dict) -> dict:
    return {level: count for level, count in tally["counts"].items() if count is not None}


def by_year(result: dict) -> dict:
    return {tally["year"]: tally for tally in result["tallies"]}


# "tương ứng": the same levels for another year, in the order just stated.


def test_earlier_year_shares_given_respectively_after_a_split_count():
    result = extract_article(
        "Năm 2021, Đảng bộ khối có 3.120 đảng viên hoàn thành tốt nhiệm vụ, chiếm 95,2%, trong đó 640 đảng viên "
        "hoàn thành xuất sắc nhiệm vụ, chiếm 19,5% (năm 2020 đạt tỷ lệ tương ứng là 93,1% và 18%)."
    )
    tallies = by_year(result)
    assert counts(tallies[2021]) == {"HTTNV+": 3120, "HTXSNV": 640}
    assert tallies[2021]["percent"] == {"HTTNV+": 95.2, "HTXSNV": 19.5}
    assert counts(tallies[2020]) == {}
    assert tallies[2020]["percent"] == {"HTTNV+": 93.1, "HTXSNV": 18.0}
    assert tallies[2020]["subject"] == "individual"


def test_respective_shares_that_do_not_match_the_levels_are_left_out():
    result = extract_article(
        "Năm 2022, 88,4% tổ chức cơ sở đảng hoàn thành tốt nhiệm vụ (năm 2021 tỷ lệ tương ứng là 85%, 12% và 3%)."
    )
    assert [tally["year"] for tally in result["tallies"]] == [2022]


# "lần lượt": levels listed first, their figures after them in the same order.


def test_levels_listed_then_their_shares_in_order():
    [tally] = extract_article(
        "Năm 2023, tỷ lệ đảng viên hoàn thành xuất sắc nhiệm vụ, hoàn thành tốt nhiệm vụ và hoàn thành nhiệm vụ "
        "lần lượt là 17,4%, 77,1% và 5,5%."
    )["tallies"]
    assert tally["percent"] == {"HTXSNV": 17.4, "HTTNV": 77.1, "HTNV": 5.5}
    assert tally["subject"] == "individual" and tally["year"] == 2023


def test_levels_listed_then_their_counts_in_order():
    [tally] = extract_article(
        "Năm 2020, số tổ chức cơ sở đảng hoàn thành xuất sắc nhiệm vụ và hoàn thành tốt nhiệm vụ lần lượt là "
        "24 và 118."
    )["tallies"]
    assert counts(tally) == {"HTXSNV": 24, "HTTNV": 118}
    assert tally["subject"] == "collective"


def test_one_level_over_the_years_named_before_it():
    result = extract_article(
        "Năm 2021 và năm 2022, số tổ chức cơ sở đảng hoàn thành xuất sắc nhiệm vụ lần lượt là 29 và 33."
    )
    tallies = by_year(result)
    assert counts(tallies[2021]) == {"HTXSNV": 29}
    assert counts(tallies[2022]) == {"HTXSNV": 33}


def test_one_level_over_the_years_named_after_it():
    tallies = by_year(
        extract_article(
            "Tỷ lệ đảng viên hoàn thành xuất sắc nhiệm vụ các năm 2020, 2021, 2022 lần lượt là 13,8%, 15% và 16,4%."
        )
    )
    assert {year: tally["percent"] for year, tally in tallies.items()} == {
        2020: {"HTXSNV": 13.8},
        2021: {"HTXSNV": 15.0},
        2022: {"HTXSNV": 16.4},
    }


def test_respective_targets_are_not_figures():
    result = extract_article(
        "Năm 2024, Đảng bộ phấn đấu tỷ lệ đảng viên hoàn thành xuất sắc nhiệm vụ và hoàn thành tốt nhiệm vụ lần "
        "lượt là 20% và 75%; tỷ lệ tổ chức cơ sở đảng hoàn thành xuất sắc nhiệm vụ năm 2024 và 2025 lần lượt là "
        "18% và 20%."
    )
    assert result["tallies"] == []


# A member's standing, what remains, and a count of cells.


def test_standing_set_off_by_a_comma_before_the_floor():
    [tally] = extract_article(
        "Năm 2016, chi bộ có 11/11 đảng viên đủ tư cách, hoàn thành tốt nhiệm vụ trở lên (trong đó có 02 đảng "
        "viên hoàn thành xuất sắc nhiệm vụ)."
    )["tallies"]
    assert counts(tally) == {"HTTNV+": 11, "HTXSNV": 2}
    assert tally["total"] == 11 and tally["subject"] == "individual"


def test_what_only_remains_is_a_share():
    result = extract_article("Đến cuối năm 2015, số chi bộ xếp loại yếu kém chỉ còn 1,2%.")
    [tally] = result["tallies"]
    assert tally["percent"] == {"YK": 1.2} and tally["year"] == 2015
    assert result["ratings"] == []


# Awards and a cell rated by its commune's committee.


def test_award_named_before_its_receivers_counts_nothing():
    result = extract_article(
        "Dịp này, Đảng ủy xã tặng giấy khen cho 7 chi bộ và 41 đảng viên hoàn thành xuất sắc nhiệm vụ năm 2022."
    )
    assert result["tallies"] == [] and result["ratings"] == []


def test_a_count_after_an_award_in_another_clause_still_counts():
    [tally] = extract_article(
        "Năm 2022, Đảng ủy xã tặng giấy khen cho 7 chi bộ; qua đánh giá có 41 đảng viên hoàn thành xuất sắc "
        "nhiệm vụ."
    )["tallies"]
    assert counts(tally) == {"HTXSNV": 41}


def test_cell_recognized_by_the_commune_committee():
    [rating] = extract_article(
        "Năm 2023, Chi bộ Trường Tiểu học Hòa Bình được Đảng ủy xã công nhận đạt danh hiệu hoàn thành xuất sắc "
        "nhiệm vụ."
    )["ratings"]
    assert (rating["unit_kind"], rating["level"], rating["year"], rating["stage"]) == (
        "chi_bo",
        "HTXSNV",
        2023,
        "approved",
    )
    assert rating["unit"] == "Chi bộ Trường Tiểu học Hòa Bình"


# A level said short, without "nhiệm vụ", right after its count.


def test_short_higher_level_inside_a_split_count():
    [tally] = extract_article(
        "Năm 2022, Đảng bộ khối có 17 đơn vị hoàn thành tốt nhiệm vụ; trong đó 3 đơn vị hoàn thành xuất sắc."
    )["tallies"]
    assert counts(tally) == {"HTTNV+": 17, "HTXSNV": 3}


def test_short_levels_listed_with_their_counts():
    [tally] = extract_article(
        "Năm 2023, Đảng ủy xã có 4 chi bộ hoàn thành xuất sắc, 10 chi bộ hoàn thành tốt và 2 chi bộ hoàn thành "
        "nhiệm vụ."
    )["tallies"]
    assert counts(tally) == {"HTXSNV": 4, "HTTNV": 10, "HTNV": 2}


def test_short_level_with_its_share_after_trong_do():
    [tally] = extract_article(
        "Năm 2021, 93,4% đảng viên hoàn thành tốt nhiệm vụ trở lên, trong đó hoàn thành xuất sắc chiếm 15,2%."
    )["tallies"]
    assert tally["percent"] == {"HTTNV+": 93.4, "HTXSNV": 15.2}


def test_short_words_in_prose_are_no_level():
    result = extract_article(
        "Năm 2022, Đảng bộ huyện lãnh đạo hoàn thành xuất sắc, toàn diện các nhiệm vụ; 12 xã hoàn thành tốt, "
        "3 xã hoàn thành xuất sắc các chỉ tiêu nông thôn mới."
    )
    assert result["tallies"] == [] and result["ratings"] == []


# Several years compared in one sentence.


def test_earlier_year_share_after_the_same_level():
    tallies = by_year(
        extract_article("Tỷ lệ đảng viên hoàn thành xuất sắc nhiệm vụ năm 2022 là 16,9%, năm 2021 là 15,4%.")
    )
    assert {year: tally["percent"] for year, tally in tallies.items()} == {
        2022: {"HTXSNV": 16.9},
        2021: {"HTXSNV": 15.4},
    }


def test_counts_compared_from_one_year_to_the_next():
    tallies = by_year(
        extract_article(
            "Số tổ chức cơ sở đảng hoàn thành xuất sắc nhiệm vụ tăng từ 26 (năm 2020) lên 31 (năm 2021)."
        )
    )
    assert {year: counts(tally) for year, tally in tallies.items()} == {2020: {"HTXSNV": 26}, 2021: {"HTXSNV": 31}}


def test_shares_compared_from_one_year_to_the_next():
    tallies = by_year(
        extract_article("Tỷ lệ đảng viên không hoàn thành nhiệm vụ giảm từ 0,9% năm 2019 xuống 0,6% năm 2020.")
    )
    assert {year: tally["percent"] for year, tally in tallies.items()} == {
        2019: {"KHTNV": 0.9},
        2020: {"KHTNV": 0.6},
    }


def test_a_targeted_rise_is_not_a_figure():
    result = extract_article(
        "Năm 2024, Đảng bộ phấn đấu tỷ lệ đảng viên hoàn thành xuất sắc nhiệm vụ tăng từ 15% năm 2023 lên 18% "
        "năm 2024."
    )
    assert result["tallies"] == []


# Commune-level committees under the province (2025) and the 100-point score.


def test_commune_committees_counted_by_the_province():
    [tally] = extract_article(
        "Năm 2025, Ban Thường vụ Tỉnh ủy xếp loại 21/118 đảng bộ xã, phường hoàn thành xuất sắc nhiệm vụ, 89 "
        "đảng bộ hoàn thành tốt nhiệm vụ, 8 đảng bộ hoàn thành nhiệm vụ."
    )["tallies"]
    assert counts(tally) == {"HTXSNV": 21, "HTTNV": 89, "HTNV": 8}
    assert tally["total"] == 118 and tally["subject"] == "collective"


def test_a_score_is_not_a_count():
    result = extract_article(
        "Đảng bộ xã Tân Phước năm 2025 được Ban Thường vụ Tỉnh ủy xếp loại hoàn thành xuất sắc nhiệm vụ với 93 điểm."
    )
    assert result["tallies"] == []
    [rating] = result["ratings"]
    assert (rating["unit_kind"], rating["level"], rating["year"], rating["stage"]) == (
        "dang_bo_truc_thuoc",
        "HTXSNV",
        2025,
        "approved",
    )


def test_a_rule_limit_is_not_a_share():
    result = extract_article(
        "Theo quy định, tập thể được xếp loại hoàn thành xuất sắc nhiệm vụ khi đạt từ 90 điểm trở lên; số tập thể "
        "hoàn thành xuất sắc nhiệm vụ không vượt quá 20% số tập thể hoàn thành tốt nhiệm vụ."
    )
    assert result["tallies"] == [] and result["ratings"] == []
