"""Named lists as articles lay them out: one unit a line, in the next sentence, grouped by level, and their checks."""
import pytest

from ratings.extraction import extract_article


def ratings(text: str, **fallbacks) -> list[tuple]:
    return [
        (rating["unit"], rating["unit_kind"], rating["year"], rating["level"], rating["stage"])
        for rating in extract_article(text, **fallbacks)["ratings"]
    ]


def units(text: str) -> list[str]:
    return [rating["unit"] for rating in extract_article(text)["ratings"]]


# One unit a line after "gồm:" or "là:"


@pytest.mark.parametrize("bullet", ["- ", "+ ", "• ", "", "{n}. ", "{n}) "])
def test_units_listed_one_a_line_after_gom(bullet):
    lines = ["Đảng bộ huyện Sơn Hà;", "Đảng bộ thị xã Bình Lộc;", "Đảng bộ Công an tỉnh."]
    listed = "\n".join(bullet.format(n=n) + line for n, line in enumerate(lines, 1))
    text = (
        "Năm 2024, Ban Thường vụ Tỉnh ủy xếp loại hoàn thành xuất sắc nhiệm vụ đối với 3 đảng bộ trực thuộc, gồm:\n"
        + listed
    )
    assert ratings(text) == [
        ("Đảng bộ huyện Sơn Hà", "dang_bo_truc_thuoc", 2024, "HTXSNV", "approved"),
        ("Đảng bộ thị xã Bình Lộc", "dang_bo_truc_thuoc", 2024, "HTXSNV", "approved"),
        ("Đảng bộ Công an tỉnh", "dang_bo_truc_thuoc", 2024, "HTXSNV", "approved"),
    ]


def test_grassroots_units_one_a_line_after_la():
    text = (
        "Năm 2024, có 3 tổ chức cơ sở đảng hoàn thành xuất sắc nhiệm vụ là:\n"
        "1. Đảng bộ Công ty Thủy lợi Sơn Hà\n2. Chi bộ Trạm Y tế xã Bình Lộc\n3. Đảng bộ xã Tân Mỹ"
    )
    assert [(unit, kind) for unit, kind, *_ in ratings(text)] == [
        ("Đảng bộ Công ty Thủy lợi Sơn Hà", "to_chuc_co_so_dang"),
        ("Chi bộ Trạm Y tế xã Bình Lộc", "chi_bo"),
        ("Đảng bộ xã Tân Mỹ", "to_chuc_co_so_dang"),
    ]


def test_line_list_stops_at_a_line_that_states_figures():
    text = (
        "Năm 2024, các tập thể được xếp loại “Hoàn thành xuất sắc nhiệm vụ” là:\n"
        "+ Đảng đoàn Hội Cựu chiến binh tỉnh\n+ Ban cán sự đảng Sở Xây dựng\n"
        "Toàn tỉnh có 95,1% đảng viên hoàn thành tốt nhiệm vụ trở lên."
    )
    assert [(unit, kind) for unit, kind, *_ in ratings(text)] == [
        ("Đảng đoàn Hội Cựu chiến binh tỉnh", "dang_doan"),
        ("Ban cán sự đảng Sở Xây dựng", "ban_can_su"),
    ]


def test_the_rater_before_doi_voi_is_not_rated():
    text = "Năm 2024, Ban Thường vụ Tỉnh ủy xếp loại “Hoàn thành tốt nhiệm vụ” đối với Đảng bộ huyện Sơn Hà."
    assert ratings(text) == [("Đảng bộ huyện Sơn Hà", "dang_bo_truc_thuoc", 2024, "HTTNV", "approved")]


# The list in the sentence after the level


@pytest.mark.parametrize("opener", ["Đó là:", "Đó là", "Cụ thể:", "Gồm:", "Các đơn vị đó là:"])
def test_list_in_the_sentence_after_the_level(opener):
    text = (
        "Năm 2024, Huyện ủy Sơn Hà có 2 đơn vị hoàn thành xuất sắc nhiệm vụ. "
        f"{opener} Đảng bộ xã Bình Lộc và Chi bộ Trường THCS Tân Mỹ."
    )
    assert [(unit, kind, level) for unit, kind, _, level, _ in ratings(text)] == [
        ("Đảng bộ xã Bình Lộc", "to_chuc_co_so_dang", "HTXSNV"),
        ("Chi bộ Trường THCS Tân Mỹ", "chi_bo", "HTXSNV"),
    ]


def test_bare_names_in_the_next_sentence_take_the_kind_word_of_the_group():
    text = (
        "Năm 2024, 3 đảng bộ trực thuộc hoàn thành xuất sắc nhiệm vụ. Cụ thể: huyện Sơn Hà, thị xã Bình Lộc "
        "và Đảng bộ Quân sự tỉnh."
    )
    assert [(unit, kind) for unit, kind, *_ in ratings(text)] == [
        ("Đảng bộ huyện Sơn Hà", "dang_bo_truc_thuoc"),
        ("Đảng bộ thị xã Bình Lộc", "dang_bo_truc_thuoc"),
        ("Đảng bộ Quân sự tỉnh", "dang_bo_truc_thuoc"),
    ]


@pytest.mark.parametrize(
    "following",
    [
        "Đó là kết quả của sự đoàn kết trong toàn Đảng bộ.",
        "Cụ thể Đảng bộ xã Bình Lộc tăng 12 đảng viên mới.",
        "Tỉnh ủy tặng Bằng khen cho Đảng bộ xã Bình Lộc.",
    ],
)
def test_a_next_sentence_that_lists_nothing_rates_nobody(following):
    text = f"Năm 2024, Huyện ủy Sơn Hà có 2 đơn vị hoàn thành xuất sắc nhiệm vụ. {following}"
    assert ratings(text) == []


def test_next_sentence_list_after_an_award_is_no_rating():
    text = (
        "Năm 2024, Tỉnh ủy tặng Bằng khen cho 2 đơn vị hoàn thành xuất sắc nhiệm vụ. "
        "Đó là: Huyện ủy Sơn Hà, Thị ủy Bình Lộc."
    )
    assert ratings(text) == []


# Groups by level


def test_groups_by_level_in_one_paragraph():
    text = (
        "Năm 2024, Xếp loại HTXSNV: Huyện ủy Sơn Hà, Thị ủy Bình Lộc; HTTNV: Huyện ủy Tân Mỹ, Đảng ủy Khối "
        "Doanh nghiệp tỉnh; HTNV: Huyện ủy Đông Giang."
    )
    assert [(unit, level) for unit, _, _, level, _ in ratings(text)] == [
        ("Huyện ủy Sơn Hà", "HTXSNV"),
        ("Thị ủy Bình Lộc", "HTXSNV"),
        ("Huyện ủy Tân Mỹ", "HTTNV"),
        ("Đảng ủy Khối Doanh nghiệp tỉnh", "HTTNV"),
        ("Huyện ủy Đông Giang", "HTNV"),
    ]
    assert {kind for _, kind, *_ in ratings(text)} == {"dang_bo_truc_thuoc"}


def test_groups_by_level_on_lines_take_the_stage_of_their_heading():
    text = (
        "Ban Thường vụ Huyện ủy Sơn Hà thông báo kết quả xếp loại năm 2024:\n"
        "- Hoàn thành xuất sắc nhiệm vụ: Đảng bộ xã Bình Lộc, Đảng bộ xã Tân Mỹ.\n"
        "- Hoàn thành tốt nhiệm vụ: Chi bộ Trường THCS Đông Giang.\n"
        "- Hoàn thành nhiệm vụ: Đảng bộ thị trấn Sơn Hà."
    )
    assert ratings(text) == [
        ("Đảng bộ xã Bình Lộc", "to_chuc_co_so_dang", 2024, "HTXSNV", "approved"),
        ("Đảng bộ xã Tân Mỹ", "to_chuc_co_so_dang", 2024, "HTXSNV", "approved"),
        ("Chi bộ Trường THCS Đông Giang", "chi_bo", 2024, "HTTNV", "approved"),
        ("Đảng bộ thị trấn Sơn Hà", "to_chuc_co_so_dang", 2024, "HTNV", "approved"),
    ]


# Units of several kinds, and the kind from the words around a list


def test_units_of_different_kinds_joined_by_va():
    text = "Năm 2024, Ban cán sự đảng UBND tỉnh và Đảng đoàn HĐND tỉnh được xếp loại hoàn thành tốt nhiệm vụ."
    assert [(unit, kind) for unit, kind, *_ in ratings(text)] == [
        ("Ban cán sự đảng UBND tỉnh", "ban_can_su"),
        ("Đảng đoàn HĐND tỉnh", "dang_doan"),
    ]


def test_a_source_named_before_a_comma_is_not_rated_with_the_unit():
    text = "Theo Ban Thường vụ Tỉnh ủy, Đảng bộ huyện Sơn Hà năm 2024 được xếp loại hoàn thành tốt nhiệm vụ."
    assert units(text) == ["Đảng bộ huyện Sơn Hà"]


def test_party_organization_and_its_standing_committee():
    text = "Năm 2024, Đảng bộ, Ban Thường vụ Thị ủy Bình Lộc được xếp loại hoàn thành xuất sắc nhiệm vụ."
    assert [(unit, kind) for unit, kind, *_ in ratings(text)] == [
        ("Đảng bộ thị xã Bình Lộc", "dang_bo_truc_thuoc"),
        ("Ban Thường vụ Thị ủy Bình Lộc", "ban_thuong_vu"),
    ]


def test_bare_names_take_the_kind_the_sentence_before_states():
    text = (
        "Năm 2024, Tỉnh ủy đánh giá, xếp loại 22 đảng bộ trực thuộc Tỉnh ủy. Cụ thể, các đảng bộ: Sơn Hà, Bình Lộc "
        "được xếp loại hoàn thành xuất sắc nhiệm vụ."
    )
    assert {(unit, kind) for unit, kind, *_ in ratings(text)} == {
        ("Đảng bộ Sơn Hà", "dang_bo_truc_thuoc"),
        ("Đảng bộ Bình Lộc", "dang_bo_truc_thuoc"),
    }


def test_bare_names_without_context_keep_an_unknown_kind():
    text = "Cụ thể, các đảng bộ: Sơn Hà, Bình Lộc được xếp loại hoàn thành xuất sắc nhiệm vụ năm 2024."
    assert {kind for _, kind, *_ in ratings(text)} == {"other"}


@pytest.mark.parametrize(
    ("sentence", "stage"),
    [
        ("Năm 2024, Ban Thường vụ Huyện ủy quyết định xếp loại Đảng ủy xã Bình Lộc hoàn thành tốt nhiệm vụ.",
         "approved"),
        ("Năm 2024, Đảng ủy xã Bình Lộc tự đánh giá, xếp loại hoàn thành tốt nhiệm vụ.", "self"),
        ("Năm 2024, Ban Tổ chức Huyện ủy đề nghị xếp loại Đảng ủy xã Bình Lộc hoàn thành tốt nhiệm vụ.", "proposed"),
        ("Năm 2024, Huyện ủy xếp loại Đảng ủy xã Bình Lộc hoàn thành tốt nhiệm vụ.", "approved"),
    ],
)
def test_stage_of_a_commune_committee(sentence, stage):
    assert ratings(sentence) == [("Đảng ủy xã Bình Lộc", "to_chuc_co_so_dang", 2024, "HTTNV", stage)]


# The announced count against the names


def test_count_and_names_that_agree_leave_no_note():
    text = "Năm 2024, 2 đảng bộ trực thuộc được xếp loại hoàn thành tốt nhiệm vụ, gồm: Huyện ủy Sơn Hà, Thị ủy Tân Mỹ."
    found = extract_article(text)
    assert len(found["ratings"]) == 2 and found["notes"] is None


def test_count_larger_than_the_names_keeps_the_names_and_notes_the_gap():
    text = "Năm 2024, 18 đảng bộ trực thuộc được xếp loại hoàn thành tốt nhiệm vụ, gồm: Huyện ủy Sơn Hà, Thị ủy Tân Mỹ."
    found = extract_article(text)
    assert [rating["unit"] for rating in found["ratings"]] == ["Huyện ủy Sơn Hà", "Thị ủy Tân Mỹ"]
    assert "18" in found["notes"] and "2 tên" in found["notes"]
    [tally] = found["tallies"]
    assert tally["counts"]["HTTNV"] == 18


def test_count_before_a_list_that_precedes_its_level_is_checked_too():
    text = "Năm 2024, 3 đảng bộ cấp trên cơ sở: Sơn Hà và Bình Lộc được xếp loại hoàn thành tốt nhiệm vụ."
    found = extract_article(text)
    assert len(found["ratings"]) == 2
    assert "3" in found["notes"] and "2 tên" in found["notes"]


# More layouts: in brackets, the place word after "các", a count between level and list


def test_units_in_brackets_after_their_level():
    text = (
        "Năm 2024, có 3 đảng bộ hoàn thành xuất sắc nhiệm vụ (Đảng bộ huyện Sơn Hà, Đảng bộ Công an tỉnh, "
        "Đảng bộ Quân sự tỉnh)."
    )
    assert units(text) == ["Đảng bộ huyện Sơn Hà", "Đảng bộ Công an tỉnh", "Đảng bộ Quân sự tỉnh"]


def test_share_in_brackets_after_a_level_names_no_unit():
    assert extract_article("Năm 2024, có 3 đảng bộ hoàn thành xuất sắc nhiệm vụ (chiếm 15,8%).")["ratings"] == []


def test_place_word_shared_after_cac():
    text = "Năm 2024, Đảng bộ các huyện: Sơn Hà, Tân Mỹ, Đông Giang được xếp loại hoàn thành tốt nhiệm vụ."
    assert units(text) == ["Đảng bộ huyện Sơn Hà", "Đảng bộ huyện Tân Mỹ", "Đảng bộ huyện Đông Giang"]
    assert {kind for _, kind, *_ in ratings(text)} == {"dang_bo_truc_thuoc"}


def test_count_between_the_level_and_its_list_on_lines_under_a_heading():
    text = (
        "Kết quả đánh giá, xếp loại năm 2024:\n"
        '- "Hoàn thành xuất sắc nhiệm vụ": 2 đơn vị, gồm: Huyện ủy Sơn Hà, Thị ủy Bình Lộc.\n'
        '- "Hoàn thành tốt nhiệm vụ": 1 đơn vị, gồm: Đảng ủy Khối Doanh nghiệp tỉnh.'
    )
    found = extract_article(text)
    assert [(r["unit"], r["level"]) for r in found["ratings"]] == [
        ("Huyện ủy Sơn Hà", "HTXSNV"),
        ("Thị ủy Bình Lộc", "HTXSNV"),
        ("Đảng ủy Khối Doanh nghiệp tỉnh", "HTTNV"),
    ]
    assert [t["counts"]["HTXSNV"] or t["counts"]["HTTNV"] for t in found["tallies"]] == [2, 1]


def test_the_parent_named_after_truc_thuoc_is_not_rated():
    text = (
        "Năm 2024, 2 chi bộ trực thuộc Đảng ủy xã Tân Mỹ được xếp loại hoàn thành xuất sắc nhiệm vụ là Chi bộ ấp 1 "
        "và Chi bộ ấp 3."
    )
    found = extract_article(text)
    assert [r["unit"] for r in found["ratings"]] == ["Chi bộ ấp 1", "Chi bộ ấp 3"]
    assert found["notes"] is None


def test_grassroots_organizations_listed_by_their_institutions_names():
    text = "Năm 2024, có 2 TCCSĐ hoàn thành xuất sắc nhiệm vụ: Trường THPT Sơn Hà và Công ty Cấp nước Bình Lộc."
    assert [(unit, kind) for unit, kind, *_ in ratings(text)] == [
        ("Trường THPT Sơn Hà", "to_chuc_co_so_dang"),
        ("Công ty Cấp nước Bình Lộc", "to_chuc_co_so_dang"),
    ]


def test_units_after_cho_are_rated_and_the_rater_is_not():
    text = "Năm 2024, Tỉnh ủy xếp loại mức “Hoàn thành tốt nhiệm vụ” cho 2 đảng bộ: Huyện ủy Sơn Hà, Thị ủy Tân Mỹ."
    assert [(unit, stage) for unit, _, _, _, stage in ratings(text)] == [
        ("Huyện ủy Sơn Hà", "approved"),
        ("Thị ủy Tân Mỹ", "approved"),
    ]


def test_counts_per_level_with_their_units_in_brackets():
    text = (
        "Năm 2024, hoàn thành xuất sắc nhiệm vụ: 2 đơn vị (Huyện ủy Sơn Hà, Thị ủy Bình Lộc); hoàn thành tốt "
        "nhiệm vụ: 1 đơn vị (Huyện ủy Tân Mỹ)."
    )
    assert [(unit, level) for unit, _, _, level, _ in ratings(text)] == [
        ("Huyện ủy Sơn Hà", "HTXSNV"),
        ("Thị ủy Bình Lộc", "HTXSNV"),
        ("Huyện ủy Tân Mỹ", "HTTNV"),
    ]


def test_named_part_of_a_count_after_trong_do():
    text = (
        "Năm 2024, Ban Thường vụ Huyện ủy xếp loại 12 tổ chức cơ sở đảng hoàn thành xuất sắc nhiệm vụ, trong đó "
        "có các đảng bộ: xã Bình Lộc, xã Tân Mỹ."
    )
    found = extract_article(text)
    assert [(r["unit"], r["unit_kind"], r["stage"]) for r in found["ratings"]] == [
        ("Đảng bộ xã Bình Lộc", "to_chuc_co_so_dang", "approved"),
        ("Đảng bộ xã Tân Mỹ", "to_chuc_co_so_dang", "approved"),
    ]
    assert found["tallies"][0]["counts"]["HTXSNV"] == 12


def test_the_nearest_words_about_the_list_give_its_kind():
    text = (
        "Năm 2024, toàn tỉnh có 95,2% tổ chức cơ sở đảng hoàn thành tốt nhiệm vụ trở lên. Tỉnh ủy xếp loại 22 "
        "đảng bộ trực thuộc Tỉnh ủy. Cụ thể, các đảng bộ: Sơn Hà, Bình Lộc được xếp loại hoàn thành xuất sắc nhiệm vụ."
    )
    assert {kind for _, kind, *_ in ratings(text)} == {"dang_bo_truc_thuoc"}


def test_a_paragraph_after_a_line_list_is_not_part_of_it():
    text = (
        "Năm 2024, có 2 đảng bộ cơ sở hoàn thành xuất sắc nhiệm vụ, gồm:\n"
        "- Đảng bộ xã Bình Lộc;\n- Đảng bộ xã Tân Mỹ.\n"
        "Hội nghị cũng thông qua chương trình công tác năm 2025."
    )
    assert units(text) == ["Đảng bộ xã Bình Lộc", "Đảng bộ xã Tân Mỹ"]


def test_numbered_items_each_closed_by_a_full_stop():
    text = (
        "Năm 2024, có 3 chi bộ hoàn thành xuất sắc nhiệm vụ, gồm:\n"
        "1. Chi bộ ấp Bình Lộc.\n2. Chi bộ ấp Tân Mỹ.\n3. Chi bộ Trường Mầm non Sơn Hà (chi bộ mới thành lập).\n"
        "Chi bộ ấp Đông Giang tổ chức sinh hoạt chuyên đề."
    )
    assert units(text) == ["Chi bộ ấp Bình Lộc", "Chi bộ ấp Tân Mỹ", "Chi bộ Trường Mầm non Sơn Hà"]


def test_level_headings_with_units_on_bullet_lines_under_one_announcement():
    text = (
        "Kết quả xếp loại các đảng bộ trực thuộc năm 2024 như sau:\n"
        "* Hoàn thành xuất sắc nhiệm vụ (2 đơn vị):\n- Huyện ủy Sơn Hà\n- Thị ủy Bình Lộc\n"
        "* Hoàn thành tốt nhiệm vụ (1 đơn vị):\n- Đảng ủy Khối Doanh nghiệp tỉnh"
    )
    assert ratings(text) == [
        ("Huyện ủy Sơn Hà", "dang_bo_truc_thuoc", 2024, "HTXSNV", "approved"),
        ("Thị ủy Bình Lộc", "dang_bo_truc_thuoc", 2024, "HTXSNV", "approved"),
        ("Đảng ủy Khối Doanh nghiệp tỉnh", "dang_bo_truc_thuoc", 2024, "HTTNV", "approved"),
    ]


def test_a_paragraph_does_not_take_the_stage_of_an_earlier_heading():
    text = (
        "Hội nghị đã thống nhất đề nghị một số nội dung sau:\n"
        "Tăng cường công tác kiểm tra, giám sát trong toàn Đảng bộ huyện và nâng cao chất lượng sinh hoạt chi bộ "
        "ở các cơ sở trong năm tới.\n"
        "Năm 2024, Đảng bộ xã Bình Lộc được xếp loại hoàn thành tốt nhiệm vụ."
    )
    assert [stage for *_, stage in ratings(text)] == ["unknown"]


def test_party_organizations_of_schools_and_hospitals_are_grassroots_by_default():
    text = (
        "Năm 2024, các Đảng bộ Bệnh viện Đa khoa Sơn Hà và Trường Cao đẳng Bình Lộc được xếp loại hoàn thành tốt "
        "nhiệm vụ."
    )
    assert {kind for _, kind, *_ in ratings(text)} == {"to_chuc_co_so_dang"}


def test_party_organizations_of_institutions_listed_as_directly_under_the_province():
    text = (
        "Năm 2024, các đảng bộ trực thuộc Tỉnh ủy: Đảng bộ Bệnh viện Đa khoa tỉnh, Đảng bộ Trường Chính trị tỉnh "
        "được xếp loại hoàn thành tốt nhiệm vụ."
    )
    assert {kind for _, kind, *_ in ratings(text)} == {"dang_bo_truc_thuoc"}


@pytest.mark.parametrize(
    ("committee", "kind"),
    [("Ban Thường vụ Tỉnh ủy", "dang_bo_truc_thuoc"), ("Ban Thường vụ Huyện ủy", "to_chuc_co_so_dang")],
)
def test_bare_names_take_the_kind_of_what_the_rating_committee_rates(committee, kind):
    text = (
        f"Năm 2024, {committee} đã họp xét kết quả đánh giá. Cụ thể, các đảng bộ: Sơn Hà, Bình Lộc được xếp loại "
        "hoàn thành xuất sắc nhiệm vụ."
    )
    assert {found for _, found, *_ in ratings(text)} == {kind}


@pytest.mark.parametrize("verb", ["công bố", "thông báo"])
def test_an_announcement_of_the_standing_committee_is_the_decision(verb):
    text = f"Năm 2024, Ban Thường vụ Tỉnh ủy {verb} Đảng bộ huyện Sơn Hà được xếp loại hoàn thành tốt nhiệm vụ."
    assert [stage for *_, stage in ratings(text)] == ["approved"]


def test_place_names_that_open_like_a_level_are_still_names():
    text = "Năm 2024, các đảng bộ: Hoàn Sơn, Tổng Lâm được xếp loại hoàn thành tốt nhiệm vụ."
    assert units(text) == ["Đảng bộ Hoàn Sơn", "Đảng bộ Tổng Lâm"]


def test_a_blank_line_after_gom_still_opens_the_list():
    text = (
        "Năm 2024, có 2 đảng bộ cơ sở hoàn thành xuất sắc nhiệm vụ, gồm:\n\n"
        "- Đảng bộ xã Bình Lộc\n- Đảng bộ xã Tân Mỹ"
    )
    assert units(text) == ["Đảng bộ xã Bình Lộc", "Đảng bộ xã Tân Mỹ"]


def test_a_decision_in_the_sentence_before_gives_the_stage_of_its_list():
    text = (
        "Năm 2024, Ban Thường vụ Tỉnh ủy quyết định xếp loại chất lượng tổ chức đảng. HOÀN THÀNH XUẤT SẮC NHIỆM VỤ: "
        "Huyện ủy Sơn Hà, Thị ủy Bình Lộc."
    )
    assert [(unit, stage) for unit, *_, stage in ratings(text)] == [
        ("Huyện ủy Sơn Hà", "approved"),
        ("Thị ủy Bình Lộc", "approved"),
    ]


def test_a_decision_cited_after_the_level_rates_and_approves():
    text = "Năm 2024, Đảng bộ thị xã Bình Lộc hoàn thành xuất sắc nhiệm vụ theo quyết định của Ban Thường vụ Tỉnh ủy."
    assert ratings(text) == [("Đảng bộ thị xã Bình Lộc", "dang_bo_truc_thuoc", 2024, "HTXSNV", "approved")]


def test_a_request_in_the_sentence_before_that_is_not_about_rating_gives_no_stage():
    text = (
        "Hội nghị đề nghị các cấp ủy tiếp tục làm tốt công tác phát triển đảng viên. Năm 2024, Đảng bộ xã Bình Lộc "
        "được xếp loại hoàn thành xuất sắc nhiệm vụ."
    )
    assert [stage for *_, stage in ratings(text)] == ["unknown"]
