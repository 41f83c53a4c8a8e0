"""Named lists: one rating per unit a list names, the kind from the sentence, and what is no list of ratings."""
from ratings.extraction import extract_article, normalize_text
from ratings.extraction.lists import find_groups, read_list


def ratings(text: str, **fallbacks) -> list[tuple]:
    return [
        (rating["unit"], rating["unit_kind"], rating["year"], rating["level"], rating["stage"])
        for rating in extract_article(text, **fallbacks)["ratings"]
    ]


def units(text: str, **fallbacks) -> list[str]:
    return [rating["unit"] for rating in extract_article(text, **fallbacks)["ratings"]]


def kinds(text: str, **fallbacks) -> set[str]:
    return {rating["unit_kind"] for rating in extract_article(text, **fallbacks)["ratings"]}


def named_list(text: str):
    [group] = find_groups(text, 0, len(text))
    start = text.index(":") + 1
    return read_list(text, start, len(text), group=group, province=None, year=2023)


# Lists announced with a count


def test_count_announced_list_rates_each_named_unit():
    text = (
        "Năm 2023, 7 đảng bộ cấp trên cơ sở được xếp loại hoàn thành xuất sắc nhiệm vụ, gồm: Đảng bộ huyện An Lạc, "
        "Đảng bộ huyện Bình Sơn, Đảng bộ thị xã Hòa Mỹ, Đảng bộ Quân sự tỉnh, Đảng bộ Công an tỉnh, "
        "Đảng bộ Khối Doanh nghiệp tỉnh và Đảng bộ huyện Cát Tiên."
    )
    found = ratings(text)
    assert len(found) == 7
    assert {(kind, year, level) for _, kind, year, level, _ in found} == {("dang_bo_truc_thuoc", 2023, "HTXSNV")}


def test_bare_place_names_are_completed_by_the_kind_word_of_the_group():
    text = (
        "Năm 2023, 2 đảng bộ cấp trên cơ sở được xếp loại hoàn thành tốt nhiệm vụ, gồm: huyện An Lạc và "
        "thị xã Hòa Mỹ."
    )
    assert units(text) == ["Đảng bộ huyện An Lạc", "Đảng bộ thị xã Hòa Mỹ"]


def test_bare_proper_names_take_the_kind_the_group_states():
    text = (
        "Năm 2023, 3 đảng bộ cấp trên cơ sở được xếp loại hoàn thành xuất sắc nhiệm vụ, gồm: An Lạc, Bình Sơn "
        "và Hòa Mỹ."
    )
    assert units(text) == ["Đảng bộ An Lạc", "Đảng bộ Bình Sơn", "Đảng bộ Hòa Mỹ"]
    assert kinds(text) == {"dang_bo_truc_thuoc"}


def test_a_count_larger_than_the_names_rates_only_the_units_named():
    text = (
        "Năm 2023, 7 đảng bộ cấp trên cơ sở được xếp loại hoàn thành xuất sắc nhiệm vụ, gồm: An Lạc, Bình Sơn "
        "và Hòa Mỹ."
    )
    assert len(ratings(text)) == 3


def test_a_count_smaller_than_the_names_keeps_every_name():
    text = (
        "Năm 2023, 2 đảng bộ cấp trên cơ sở được xếp loại hoàn thành tốt nhiệm vụ, gồm: An Lạc, Bình Sơn "
        "và Hòa Mỹ."
    )
    assert len(ratings(text)) == 3


def test_list_step_says_when_the_count_matches_the_names():
    found = named_list("3 đảng bộ cấp trên cơ sở: An Lạc, Bình Sơn và Hòa Mỹ")
    assert (found.group.announced, len(found.units), found.agrees) == (3, 3, True)


def test_list_step_reports_a_mismatch_without_dropping_names():
    found = named_list("5 đảng bộ cấp trên cơ sở: An Lạc và Bình Sơn")
    assert (found.agrees, [unit.name for unit in found.units]) == (False, ["Đảng bộ An Lạc", "Đảng bộ Bình Sơn"])


def test_list_step_without_a_count_neither_agrees_nor_disagrees():
    assert named_list("các đảng bộ: huyện An Lạc, huyện Bình Sơn").agrees is None


def test_the_announced_count_stays_a_tally():
    text = (
        "Năm 2023, 3 đảng bộ cấp trên cơ sở được xếp loại hoàn thành xuất sắc nhiệm vụ, gồm: An Lạc, Bình Sơn "
        "và Hòa Mỹ."
    )
    [tally] = extract_article(text)["tallies"]
    assert tally["counts"]["HTXSNV"] == 3


def test_count_written_in_words_announces_the_list_and_is_no_unit():
    text = (
        "Năm 2023, bảy đảng bộ cấp trên cơ sở được xếp loại hoàn thành xuất sắc nhiệm vụ, gồm: TP. Hòa Mỹ, "
        "TP. Lạc Sơn."
    )
    assert units(text) == ["Đảng bộ TP. Hòa Mỹ", "Đảng bộ TP. Lạc Sơn"]


def test_grassroots_group_gives_its_kind_to_generic_party_organizations():
    text = (
        "Năm 2023, có 2 đảng bộ cơ sở hoàn thành tốt nhiệm vụ, gồm: Đảng bộ Công ty Cấp nước Hòa Mỹ "
        "và Đảng bộ Trường Chính trị tỉnh."
    )
    assert [(unit, kind) for unit, kind, *_ in ratings(text)] == [
        ("Đảng bộ Công ty Cấp nước Hòa Mỹ", "to_chuc_co_so_dang"),
        ("Đảng bộ Trường Chính trị tỉnh", "to_chuc_co_so_dang"),
    ]


def test_cells_named_after_their_level_with_la():
    text = "Năm 2023, có 2 chi bộ được xếp loại hoàn thành nhiệm vụ là Chi bộ ấp Phước Hòa và Chi bộ ấp Long Điền."
    assert [(unit, kind, level) for unit, kind, _, level, _ in ratings(text)] == [
        ("Chi bộ ấp Phước Hòa", "chi_bo", "HTNV"),
        ("Chi bộ ấp Long Điền", "chi_bo", "HTNV"),
    ]


def test_group_announced_right_after_the_level_opens_the_list():
    text = "Năm 2023, hoàn thành xuất sắc nhiệm vụ có 2 đảng bộ: huyện An Lạc và huyện Bình Sơn."
    assert units(text) == ["Đảng bộ huyện An Lạc", "Đảng bộ huyện Bình Sơn"]


# Lists before their level


def test_colon_list_before_the_level_rates_each_name():
    text = (
        "Năm 2023, công tác xây dựng Đảng có nhiều chuyển biến. Cụ thể, các đảng bộ: huyện An Lạc, huyện Bình Sơn, "
        "thị xã Hòa Mỹ được xếp loại hoàn thành tốt nhiệm vụ."
    )
    assert ratings(text) == [
        ("Đảng bộ huyện An Lạc", "dang_bo_truc_thuoc", 2023, "HTTNV", "unknown"),
        ("Đảng bộ huyện Bình Sơn", "dang_bo_truc_thuoc", 2023, "HTTNV", "unknown"),
        ("Đảng bộ thị xã Hòa Mỹ", "dang_bo_truc_thuoc", 2023, "HTTNV", "unknown"),
    ]


def test_shared_kind_word_before_several_names_rates_each():
    text = (
        "Năm 2023, các Đảng bộ Bệnh viện Đa khoa tỉnh và Trường Cao đẳng Sư phạm được xếp loại hoàn thành tốt "
        "nhiệm vụ."
    )
    assert units(text) == ["Đảng bộ Bệnh viện Đa khoa tỉnh", "Đảng bộ Trường Cao đẳng Sư phạm"]


def test_kind_word_and_place_word_carry_to_the_following_names():
    text = "Năm 2023, Đảng bộ huyện An Lạc, Bình Sơn và thị xã Hòa Mỹ được xếp loại hoàn thành tốt nhiệm vụ."
    assert units(text) == ["Đảng bộ huyện An Lạc", "Đảng bộ huyện Bình Sơn", "Đảng bộ thị xã Hòa Mỹ"]


def test_and_inside_a_department_name_does_not_split_it():
    text = (
        "Năm 2023, có 2 đảng bộ cơ sở hoàn thành tốt nhiệm vụ, gồm: Đảng bộ Sở Tài nguyên và Môi trường "
        "và Đảng bộ Sở Y tế."
    )
    assert units(text) == ["Đảng bộ Sở Tài nguyên và Môi trường", "Đảng bộ Sở Y tế"]


def test_communes_listed_in_2025_are_directly_under_the_province():
    text = "Năm 2025, các Đảng ủy xã Tân An, xã Phú Lộc được xếp loại hoàn thành xuất sắc nhiệm vụ."
    assert units(text) == ["Đảng ủy xã Tân An", "Đảng ủy xã Phú Lộc"]
    assert kinds(text) == {"dang_bo_truc_thuoc"}


def test_military_police_and_bloc_committees_in_a_list_are_directly_under_the_province():
    text = (
        "Năm 2023, các đảng bộ: Quân sự tỉnh, Công an tỉnh, Khối các cơ quan tỉnh được xếp loại hoàn thành tốt "
        "nhiệm vụ."
    )
    assert units(text) == ["Đảng bộ Quân sự tỉnh", "Đảng bộ Công an tỉnh", "Đảng bộ Khối các cơ quan tỉnh"]
    assert kinds(text) == {"dang_bo_truc_thuoc"}


# Single units, quoted levels, pairs


def test_single_named_unit_completing_its_tasks():
    assert ratings("Năm 2023, Đảng bộ huyện Cát Tiên được xếp loại hoàn thành nhiệm vụ.") == [
        ("Đảng bộ huyện Cát Tiên", "dang_bo_truc_thuoc", 2023, "HTNV", "unknown")
    ]


def test_level_in_typographic_quotes():
    assert ratings("Năm 2023, Đảng bộ huyện Cát Tiên được xếp loại “Hoàn thành tốt nhiệm vụ”.")[0][3] == "HTTNV"


def test_level_in_straight_quotes():
    assert ratings('Năm 2023, Đảng bộ huyện Cát Tiên được xếp loại "Hoàn thành tốt nhiệm vụ".')[0][3] == "HTTNV"


def test_quoted_level_after_a_list():
    text = "Năm 2023, các đảng bộ: huyện An Lạc, huyện Bình Sơn được xếp loại “Hoàn thành xuất sắc nhiệm vụ”."
    assert [level for *_, level, _ in ratings(text)] == ["HTXSNV", "HTXSNV"]


def test_party_organization_and_its_standing_committee_are_two_units():
    text = "Năm 2023, Đảng bộ, Ban Thường vụ Huyện ủy Cát Tiên được xếp loại hoàn thành xuất sắc nhiệm vụ."
    assert [(unit, kind) for unit, kind, *_ in ratings(text)] == [
        ("Đảng bộ huyện Cát Tiên", "dang_bo_truc_thuoc"),
        ("Ban Thường vụ Huyện ủy Cát Tiên", "ban_thuong_vu"),
    ]


def test_provincial_pair_names_the_provincial_organization():
    text = "Năm 2023, Đảng bộ, Ban Thường vụ Tỉnh ủy được xếp loại hoàn thành tốt nhiệm vụ."
    assert [(unit, kind) for unit, kind, *_ in ratings(text, province="Đồng Nai")] == [
        ("Đảng bộ tỉnh Đồng Nai", "dang_bo_tinh"),
        ("Ban Thường vụ Tỉnh ủy Đồng Nai", "ban_thuong_vu"),
    ]


# Stage, year and evidence come from the sentence


def test_decision_of_the_standing_committee_approves_every_unit_listed():
    text = (
        "Ban Thường vụ Tỉnh ủy quyết định xếp loại các đảng bộ: huyện An Lạc, huyện Bình Sơn hoàn thành tốt "
        "nhiệm vụ năm 2023."
    )
    assert {(year, stage) for *_, year, _, stage in ratings(text)} == {(2023, "approved")}
    assert len(ratings(text)) == 2


def test_self_assessment_of_a_list_is_self():
    text = "Năm 2023, các chi bộ: Chi bộ ấp Phước Hòa, Chi bộ ấp Long Điền tự đánh giá hoàn thành tốt nhiệm vụ."
    assert {stage for *_, stage in ratings(text)} == {"self"}


def test_year_of_a_list_comes_from_its_sentence():
    text = "Năm 2024, 2 đảng bộ cấp trên cơ sở được xếp loại hoàn thành tốt nhiệm vụ, gồm: An Lạc và Bình Sơn."
    assert {year for *_, year, _, _ in ratings(text, year=2020)} == {2024}


def test_evidence_of_each_listed_unit_is_a_verbatim_quote():
    text = "Năm 2023, 2 đảng bộ cấp trên cơ sở được xếp loại hoàn thành tốt nhiệm vụ, gồm: An Lạc và Bình Sơn."
    for rating in extract_article(text)["ratings"]:
        assert rating["evidence"] in normalize_text(text)
        assert rating["evidence"].endswith(rating["unit"].removeprefix("Đảng bộ "))


# What is no list of ratings


def test_award_to_a_list_of_units_is_not_a_rating():
    text = (
        "Năm 2023, Tỉnh ủy tặng Bằng khen cho các đảng bộ: huyện An Lạc, huyện Bình Sơn đã hoàn thành xuất sắc "
        "nhiệm vụ."
    )
    assert ratings(text) == []


def test_award_list_named_after_the_level_is_not_a_rating():
    text = (
        "Tỉnh ủy tặng Giấy khen cho 2 đảng bộ hoàn thành xuất sắc nhiệm vụ năm 2023, gồm: huyện An Lạc "
        "và thị xã Hòa Mỹ."
    )
    assert ratings(text) == []


def test_five_years_running_is_a_commendation_not_a_list_of_ratings():
    text = "Năm 2023, có 2 đảng bộ hoàn thành xuất sắc nhiệm vụ 5 năm liền, gồm: huyện An Lạc, huyện Bình Sơn."
    assert ratings(text) == []


def test_target_for_a_list_is_not_a_rating():
    text = "Năm 2024, các đảng bộ: huyện An Lạc, huyện Bình Sơn phấn đấu hoàn thành xuất sắc nhiệm vụ."
    assert ratings(text) == []


def test_units_mentioned_in_another_sentence_are_not_rated():
    text = (
        "Hội nghị có sự tham dự của các đảng bộ: huyện An Lạc, huyện Bình Sơn. "
        "Năm 2023, toàn tỉnh có 12 đảng bộ hoàn thành tốt nhiệm vụ."
    )
    assert ratings(text) == []


def test_units_named_as_helpers_are_not_rated_with_the_unit():
    text = (
        "Năm 2023, nhờ sự hỗ trợ của các đảng bộ: huyện An Lạc, huyện Bình Sơn, Đảng bộ xã Tân An được "
        "xếp loại hoàn thành tốt nhiệm vụ."
    )
    assert units(text) == ["Đảng bộ xã Tân An"]


def test_plural_place_words_name_no_unit():
    assert ratings("Năm 2023, các đảng bộ huyện, thị xã, thành phố đều được xếp loại hoàn thành tốt nhiệm vụ.") == []


def test_parent_named_in_a_group_is_not_rated():
    assert ratings("Năm 2023, các Đảng bộ trực thuộc Tỉnh ủy đều được xếp loại hoàn thành tốt nhiệm vụ.") == []


def test_party_word_after_a_plural_kind_word_names_no_unit():
    assert ratings("Năm 2023, các chi bộ Đảng trực thuộc đều được xếp loại hoàn thành tốt nhiệm vụ.") == []


def test_bare_names_without_a_party_kind_word_are_not_units():
    text = "Năm 2023, các đơn vị: Công an tỉnh, Bộ Chỉ huy Quân sự tỉnh được xếp loại hoàn thành tốt nhiệm vụ."
    assert ratings(text) == []
