"""Counts per level, as the articles write them, and the numbers that are not counts."""
from ratings.extraction import extract_article, normalize_text


def tallies(text: str, **fallbacks) -> list[dict]:
    return extract_article(text, **fallbacks)["tallies"]


def counts(tally: dict) -> dict:
    return {level: count for level, count in tally["counts"].items() if count is not None}


def test_counts_before_their_levels_make_one_tally():
    text = (
        "Năm 2023, toàn tỉnh có 12 đơn vị hoàn thành xuất sắc nhiệm vụ, "
        "40 đơn vị hoàn thành tốt nhiệm vụ và 3 đơn vị hoàn thành nhiệm vụ."
    )
    [tally] = tallies(text)
    assert counts(tally) == {"HTXSNV": 12, "HTTNV": 40, "HTNV": 3}
    assert tally["year"] == 2023 and tally["subject"] == "collective"
    assert tally["counts"]["KHTNV"] is None


def test_counts_after_their_levels_make_one_tally():
    [tally] = tallies(
        "Về đảng viên năm 2022, hoàn thành xuất sắc nhiệm vụ có 215 người, "
        "hoàn thành tốt nhiệm vụ có 1.830 người."
    )
    assert counts(tally) == {"HTXSNV": 215, "HTTNV": 1830}
    assert tally["subject"] == "individual"


def test_level_then_colon_then_count_with_percentages():
    text = (
        "Kết quả năm 2023: hoàn thành xuất sắc nhiệm vụ: 31 tổ chức (16,4%); hoàn thành tốt nhiệm vụ: "
        "150 tổ chức (79,4%); không hoàn thành nhiệm vụ: 2 tổ chức."
    )
    [tally] = tallies(text)
    assert counts(tally) == {"HTXSNV": 31, "HTTNV": 150, "KHTNV": 2}
    assert tally["percent"] == {"HTXSNV": 16.4, "HTTNV": 79.4}


def test_totals_first_give_the_total():
    text = (
        "Năm 2021, trong tổng số 512 tổ chức cơ sở đảng, "
        "có 98 tổ chức (chiếm 19,1%) hoàn thành xuất sắc nhiệm vụ; 380 tổ chức hoàn thành tốt nhiệm vụ."
    )
    [tally] = tallies(text)
    assert tally["total"] == 512
    assert counts(tally) == {"HTXSNV": 98, "HTTNV": 380}
    assert tally["percent"] == {"HTXSNV": 19.1}


def test_count_then_in_which_gives_the_total():
    text = (
        "Đảng bộ huyện có 42 chi bộ, trong đó 9 chi bộ được xếp loại hoàn thành xuất sắc nhiệm vụ, "
        "30 chi bộ hoàn thành tốt nhiệm vụ."
    )
    [tally] = tallies(text, year=2023)
    assert tally["total"] == 42
    assert counts(tally) == {"HTXSNV": 9, "HTTNV": 30}


def test_ratio_of_a_count_gives_its_total():
    [tally] = tallies("Năm 2023 có 27/160 tổ chức cơ sở đảng hoàn thành xuất sắc nhiệm vụ.")
    assert counts(tally) == {"HTXSNV": 27} and tally["total"] == 160


def test_abbreviated_levels_with_zero_padded_counts():
    [tally] = tallies("Năm 2023, Đảng bộ có 08 TCCSĐ đạt HTXSNV; 45 TCCSĐ HTTNV; 03 TCCSĐ HTNV; 01 TCCSĐ KHTNV.")
    assert counts(tally) == {"HTXSNV": 8, "HTTNV": 45, "HTNV": 3, "KHTNV": 1}


def test_number_words_are_counts():
    [tally] = tallies(
        "Năm 2023, hai đơn vị hoàn thành xuất sắc nhiệm vụ, "
        "mười bốn đơn vị hoàn thành tốt nhiệm vụ, một đơn vị hoàn thành nhiệm vụ."
    )
    assert counts(tally) == {"HTXSNV": 2, "HTTNV": 14, "HTNV": 1}


def test_levels_in_capitals_and_quotes():
    [tally] = tallies(
        "NĂM 2023 CÓ 17 CHI BỘ ĐẠT “HOÀN THÀNH XUẤT SẮC NHIỆM VỤ” VÀ 52 CHI BỘ "
        "ĐẠT “HOÀN THÀNH TỐT NHIỆM VỤ”."
    )
    assert counts(tally) == {"HTXSNV": 17, "HTTNV": 52}


def test_members_in_thousands_are_individuals():
    [tally] = tallies("Năm 2022 có 3.456 đảng viên hoàn thành xuất sắc nhiệm vụ, chiếm 14,8%.")
    assert counts(tally) == {"HTXSNV": 3456}
    assert tally["percent"] == {"HTXSNV": 14.8}
    assert tally["subject"] == "individual"


def test_leaders_named_with_their_posts_are_individuals():
    [tally] = tallies("Năm 2023 có 36 cán bộ lãnh đạo, quản lý hoàn thành xuất sắc nhiệm vụ.")
    assert tally["subject"] == "individual" and counts(tally) == {"HTXSNV": 36}


def test_percentage_alone_is_a_tally_without_counts():
    [tally] = tallies("Năm 2023, tỷ lệ đảng viên hoàn thành tốt nhiệm vụ đạt 81,5%.")
    assert counts(tally) == {} and tally["percent"] == {"HTTNV": 81.5}
    assert tally["subject"] == "individual"


def test_collectives_and_individuals_in_one_sentence_are_two_tallies():
    text = (
        "Năm 2023 có 6 tập thể hoàn thành xuất sắc nhiệm vụ, "
        "20 tập thể hoàn thành tốt nhiệm vụ; 40 cá nhân hoàn thành xuất sắc nhiệm vụ."
    )
    first, second = tallies(text)
    assert (first["subject"], counts(first)) == ("collective", {"HTXSNV": 6, "HTTNV": 20})
    assert (second["subject"], counts(second)) == ("individual", {"HTXSNV": 40})


def test_two_years_compared_in_one_sentence_are_two_tallies():
    earlier, later = tallies(
        "Năm 2022 có 88 chi bộ hoàn thành xuất sắc nhiệm vụ, "
        "năm 2023 có 95 chi bộ hoàn thành xuất sắc nhiệm vụ."
    )
    assert (earlier["year"], counts(earlier)) == (2022, {"HTXSNV": 88})
    assert (later["year"], counts(later)) == (2023, {"HTXSNV": 95})


def test_a_change_is_not_a_count():
    [tally] = tallies(
        "Năm 2023 có 64 tổ chức hoàn thành xuất sắc nhiệm vụ, "
        "tăng 7 tổ chức so với năm 2022; 210 tổ chức hoàn thành tốt nhiệm vụ."
    )
    assert counts(tally) == {"HTXSNV": 64, "HTTNV": 210} and tally["year"] == 2023


def test_group_is_named_as_the_text_names_it():
    [tally] = tallies(
        "Năm 2023, kết quả xếp loại các đảng bộ trực thuộc có 5 đơn vị hoàn thành xuất sắc "
        "nhiệm vụ và 11 đơn vị hoàn thành tốt nhiệm vụ."
    )
    assert tally["group"] == "các đảng bộ trực thuộc"


def test_tally_evidence_is_quoted_from_the_normalized_text():
    text = "Năm 2023, có 4 đơn vị “hoàn thành xuất sắc nhiệm vụ”, 9 đơn vị “hoàn thành tốt nhiệm vụ”."
    [tally] = tallies(text)
    assert tally["evidence"] in normalize_text(text)
    assert tally["evidence"].endswith('9 đơn vị "hoàn thành tốt nhiệm vụ"')


def test_old_scale_counts_for_years_up_to_2017():
    [tally] = tallies(
        "Năm 2016 có 380 tổ chức cơ sở đảng đạt trong sạch, "
        "vững mạnh; 45 tổ chức hoàn thành tốt nhiệm vụ; 4 tổ chức yếu kém."
    )
    assert counts(tally) == {"TSVM": 380, "HTTNV": 45, "YK": 4}


def test_old_scale_words_after_2018_are_not_levels():
    assert tallies("Năm 2023 có 120 tổ chức cơ sở đảng đạt trong sạch, vững mạnh.") == []


def test_floors_are_tallies_at_or_above_their_level():
    found = tallies(
        "Năm 2023, 99,2% tổ chức cơ sở đảng hoàn thành nhiệm vụ trở lên; 100% "
        "đảng viên hoàn thành nhiệm vụ trở lên."
    )
    assert [(tally["subject"], tally["percent"]) for tally in found] == [
        ("collective", {"HTNV+": 99.2}),
        ("individual", {"HTNV+": 100.0}),
    ]


def test_commendations_for_runs_of_years_are_not_tallies():
    assert tallies("Tỉnh ủy khen thưởng 18 tổ chức cơ sở đảng hoàn thành xuất sắc nhiệm vụ 5 năm liền.") == []


def test_task_ratios_money_and_reviews_are_not_tallies():
    text = (
        "Năm 2023, ngành đã hoàn thành 14/14 nhiệm vụ trọng tâm, đạt 19/21 chỉ tiêu, vận động 3,2 tỷ đồng "
        "và rà soát 1.845 tập thể, 27.300 đảng viên; đội ngũ cán bộ đạt kết quả tốt."
    )
    assert tallies(text) == []


def test_total_stated_after_the_count():
    [tally] = tallies("Năm 2023 có 54 tổ chức cơ sở đảng hoàn thành xuất sắc nhiệm vụ trên tổng số 301 tổ chức.")
    assert counts(tally) == {"HTXSNV": 54} and tally["total"] == 301


def test_share_of_delegates_voting_is_not_a_tally():
    text = "Năm 2023, Hội nghị xếp loại Đảng bộ tỉnh hoàn thành xuất sắc nhiệm vụ với 100% đại biểu có mặt tán thành."
    assert tallies(text) == []
