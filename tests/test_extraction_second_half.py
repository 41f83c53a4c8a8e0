"""Families found on the second half of the real articles; every sentence here is invented."""
from ratings.extraction import extract_article


def ratings(text: str, **fallbacks) -> list[tuple]:
    return [
        (rating["unit"], rating["unit_kind"], rating["year"], rating["level"], rating["stage"])
        for rating in extract_article(text, **fallbacks)["ratings"]
    ]


def cells(text: str, **fallbacks) -> set[tuple]:
    found = set()
    for tally in extract_article(text, **fallbacks)["tallies"]:
        for level, count in tally["counts"].items():
            if count is not None:
                found.add((tally["year"], tally["subject"], level, count))
        for level, percent in tally["percent"].items():
            found.add((tally["year"], tally["subject"], level, f"{percent:.1f}%"))
    return found


# 1. "N … hoàn thành tốt nhiệm vụ, trong đó M … hoàn thành xuất sắc"


def test_subset_level_followed_by_task_words_is_still_counted():
    text = (
        "Năm 2024, Đảng bộ xã Vân Khê có 12/14 chi bộ hoàn thành tốt nhiệm vụ, "
        "trong đó có 3 chi bộ hoàn thành xuất sắc nhiệm vụ được giao."
    )
    assert cells(text) == {(2024, "collective", "HTTNV+", 12), (2024, "collective", "HTXSNV", 3)}


def test_task_words_after_a_level_without_a_count_still_void_it():
    assert extract_article("Năm 2024, xã Vân Khê luôn hoàn thành xuất sắc nhiệm vụ được giao.")["tallies"] == []


def test_one_trong_do_splits_two_coordinated_subjects():
    text = (
        "Qua đánh giá năm 2024, có 93,5% tổ chức cơ sở đảng và 96% đảng viên hoàn thành tốt nhiệm vụ "
        "(trong đó, có 18,2% tổ chức cơ sở đảng và 15,4% đảng viên hoàn thành xuất sắc nhiệm vụ)."
    )
    assert cells(text) == {
        (2024, "collective", "HTTNV+", "93.5%"),
        (2024, "collective", "HTXSNV", "18.2%"),
        (2024, "individual", "HTTNV+", "96.0%"),
        (2024, "individual", "HTXSNV", "15.4%"),
    }


# 2. A named list after "trong năm … gồm có:"


def test_list_after_gom_co_following_the_year():
    text = (
        "Với kết quả nổi bật, 3 tổ chức cơ sở đảng được Huyện ủy Vân Khê xếp loại hoàn thành xuất sắc nhiệm vụ "
        "trong năm 2024 gồm có: Đảng bộ xã Phú Lạc, Chi bộ Trường THCS Vân Khê và Chi bộ Bưu điện Vân Khê."
    )
    assert ratings(text) == [
        ("Đảng bộ xã Phú Lạc", "to_chuc_co_so_dang", 2024, "HTXSNV", "approved"),
        ("Chi bộ Trường THCS Vân Khê", "to_chuc_co_so_dang", 2024, "HTXSNV", "approved"),
        ("Chi bộ Bưu điện Vân Khê", "to_chuc_co_so_dang", 2024, "HTXSNV", "approved"),
    ]


def test_a_name_cut_by_a_common_word_runs_on_to_the_next_item():
    text = (
        "Năm 2024, 2 tổ chức cơ sở đảng được xếp loại hoàn thành xuất sắc nhiệm vụ gồm: "
        "Chi bộ Hội Người có công huyện Vân Khê, Chi bộ Trường THPT Phú Lạc."
    )
    assert [unit for unit, *_ in ratings(text)] == [
        "Chi bộ Hội Người có công huyện Vân Khê",
        "Chi bộ Trường THPT Phú Lạc",
    ]


def test_committee_agencies_are_rated_as_bodies_of_their_own():
    text = (
        "Năm 2024, đối với 12 cơ quan cấp tỉnh, Ban Tuyên giáo Tỉnh ủy, Ủy ban Kiểm tra Tỉnh ủy và "
        "Văn phòng Tỉnh ủy được xếp loại hoàn thành xuất sắc nhiệm vụ."
    )
    assert [(unit, kind) for unit, kind, *_ in ratings(text, province="Hà Giang")] == [
        ("Ban Tuyên giáo Tỉnh ủy", "other"),
        ("Ủy ban Kiểm tra Tỉnh ủy", "other"),
        ("Văn phòng Tỉnh ủy", "other"),
    ]


def test_leadership_of_an_agency_is_not_the_provincial_organization():
    text = (
        "Trong 5 tập thể cơ quan giúp việc Huyện ủy, tập thể lãnh đạo Ban Dân vận Huyện ủy được xếp loại "
        "hoàn thành xuất sắc nhiệm vụ năm 2024."
    )
    assert [(unit, kind) for unit, kind, *_ in ratings(text)] == [
        ("tập thể lãnh đạo Ban Dân vận Huyện ủy", "other")
    ]


# 4. Habits and shares that rate no year and no unit


def test_a_sentence_opening_on_a_habit_states_no_figure():
    text = (
        "Đại hội Chi bộ thôn Nà Lẹng\nHằng năm chi bộ có 10,5% đảng viên xếp loại hoàn thành xuất sắc "
        "nhiệm vụ, 88,6% đảng viên của chi bộ đều hoàn thành tốt nhiệm vụ."
    )
    result = extract_article(text)
    assert result["tallies"] == [] and result["ratings"] == []


def test_a_share_of_grassroots_organizations_is_no_named_rating():
    text = (
        "Đối với tổ chức cơ sở đảng, tỷ lệ tổ chức cơ sở đảng hoàn thành tốt nhiệm vụ đạt trên 40% "
        "số tổ chức được đánh giá."
    )
    assert extract_article(text)["ratings"] == []


# 3. Counts written in other layouts


def test_a_count_with_a_leading_zero_and_a_colon_after_xep_loai():
    text = (
        "Năm 2024, 12/12 đồng chí được đánh giá, trong đó có: 03/12 đồng chí xếp loại: Hoàn thành xuất sắc "
        "nhiệm vụ, 09/12 đồng chí xếp loại hoàn thành tốt nhiệm vụ."
    )
    assert {(2024, "individual", "HTXSNV", 3), (2024, "individual", "HTTNV", 9)} <= cells(text)


def test_members_not_yet_passing_counted_after_their_standing():
    text = "Năm 2024, số đảng viên chưa hoàn thành nhiệm vụ, vi phạm tư cách có 17 trường hợp (giảm 0,2%)."
    assert cells(text) == {(2024, "individual", "KHTNV", 17)}


def test_not_yet_without_a_counted_subject_stays_prose():
    text = "Năm 2024, một số công trình chưa hoàn thành nhiệm vụ đề ra, có 3 đơn vị phải làm lại."
    assert extract_article(text)["tallies"] == []


# 4. Counts of those commended or put up for an award


def test_counts_in_a_commendation_are_not_a_tally():
    text = (
        "Năm 2024, Đảng ủy xã Lộc Hà đã biểu dương, khen thưởng đối với 04 tập thể, 57 đảng viên hoàn thành "
        "xuất sắc nhiệm vụ, 9 tập thể hoàn thành tốt nhiệm vụ."
    )
    assert extract_article(text)["tallies"] == []


def test_a_rating_sentence_after_a_commendation_still_counts():
    text = (
        "Năm 2024, Đảng ủy khen thưởng 5 tập thể; kết quả xếp loại có 12 chi bộ hoàn thành xuất sắc nhiệm vụ."
    )
    assert cells(text) == {(2024, "collective", "HTXSNV", 12)}


def test_units_put_up_for_an_award_are_not_counted_again():
    text = (
        "Năm 2016, Đảng bộ huyện Kim Lư có 41/45 tổ chức cơ sở (TCCS) đảng đạt trong sạch, vững mạnh, "
        "chiếm 91,1%. Trong đó có 6 TCCS đảng hoàn thành xuất sắc nhiệm vụ được đề nghị Tỉnh ủy khen thưởng."
    )
    assert cells(text) == {(2016, "collective", "TSVM", 41), (2016, "collective", "TSVM", "91.1%")}


# 3. Shares of "số" / "tổng số" units, and the later items of a list of shares


def test_shares_of_all_units_of_a_kind():
    text = (
        "Năm 2024, có 7,5% số TCCSĐ hoàn thành nhiệm vụ. Toàn Đảng bộ có 89,4% số đảng viên được đánh giá "
        "xếp loại hoàn thành tốt nhiệm vụ trở lên; 9,9% hoàn thành nhiệm vụ và 0,7% không hoàn thành nhiệm vụ."
    )
    assert cells(text) == {
        (2024, "collective", "HTNV", "7.5%"),
        (2024, "individual", "HTTNV+", "89.4%"),
        (2024, "individual", "HTNV", "9.9%"),
        (2024, "individual", "KHTNV", "0.7%"),
    }


def test_share_of_the_total_number_on_the_older_scale():
    text = "Cuối năm 2016, Đảng bộ có 48,2% tổng số tổ chức cơ sở đảng đạt trong sạch vững mạnh."
    assert cells(text) == {(2016, "collective", "TSVM", "48.2%")}


def test_a_headline_share_repeats_the_bodys_floor():
    text = (
        "90,5% tổ chức cơ sở đảng hoàn thành tốt nhiệm vụ\n\nQua đánh giá năm 2024, có 412 TCCSĐ hoàn thành "
        "tốt nhiệm vụ, đạt 90,5%, trong đó có 21,3% xếp loại hoàn thành xuất sắc nhiệm vụ."
    )
    assert {tally["year"] for tally in extract_article(text)["tallies"]} == {2024}


def test_a_bare_share_after_the_level_closing_its_sentence():
    text = (
        "Năm 2024, đảng viên hoàn thành tốt nhiệm vụ chiếm 80,1%. Đảng viên hoàn thành nhiệm vụ 10,2%. "
        "Đảng viên không hoàn thành nhiệm vụ 0,8% /."
    )
    assert cells(text) == {
        (2024, "individual", "HTTNV", "80.1%"),
        (2024, "individual", "HTNV", "10.2%"),
        (2024, "individual", "KHTNV", "0.8%"),
    }


def test_a_level_missing_hoan_and_a_stated_zero_weak():
    text = (
        "Năm 2015, có 130 Chi bộ hoàn thành tốt nhiệm vụ, tỷ lệ 60,2%. Có 6 Chi bộ thành nhiệm vụ, "
        "chiếm tỷ lệ 2,8%, không có Chi bộ xếp loại yếu, kém."
    )
    assert {(2015, "collective", "HTNV", 6), (2015, "collective", "YK", 0)} <= cells(text)


def test_thanh_nhiem_vu_in_prose_is_no_level():
    assert extract_article("Năm 2024, đơn vị đã hoàn thành nhiệm vụ và trưởng thành nhiệm vụ mới.")["tallies"] == []


def test_the_older_top_level_held_many_years_running_rates_no_year():
    text = "Năm 2015, Đảng bộ xã Tân Lạc đạt danh hiệu trong sạch vững mạnh nhiều năm liền."
    assert extract_article(text)["ratings"] == []


def test_a_clause_after_a_semicolon_names_more_units_of_the_level_it_leaves_out():
    text = (
        "Trong 5 tập thể cơ quan tham mưu, giúp việc Tỉnh ủy, tập thể lãnh đạo Ban Dân vận Tỉnh ủy được xếp loại "
        "hoàn thành xuất sắc nhiệm vụ năm 2024; trong 9 tập thể ban thường vụ cấp ủy huyện và tương đương là "
        "Ban Thường vụ Đảng bộ Quân sự tỉnh và Ban Thường vụ Huyện ủy Lạc Sơn."
    )
    assert [(unit, kind, level) for unit, kind, _, level, _ in ratings(text)] == [
        ("tập thể lãnh đạo Ban Dân vận Tỉnh ủy", "other", "HTXSNV"),
        ("Ban Thường vụ Đảng bộ Quân sự tỉnh", "ban_thuong_vu", "HTXSNV"),
        ("Ban Thường vụ Huyện ủy Lạc Sơn", "ban_thuong_vu", "HTXSNV"),
    ]
    assert {stage for *_, stage in ratings(text)} != {"proposed"}


def test_an_award_to_the_whole_organization_does_not_hide_its_tally():
    text = "Năm 2024, được Tỉnh ủy tặng Cờ thi đua, Đảng bộ huyện có 12 chi bộ hoàn thành xuất sắc nhiệm vụ."
    assert cells(text) == {(2024, "collective", "HTXSNV", 12)}
