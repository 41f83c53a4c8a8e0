"""Who states the level: the unit itself, a body proposing it, or the body deciding it."""
import pytest

from ratings.extraction import extract_article


def ratings(text: str, **fallbacks) -> list[tuple]:
    return [
        (rating["unit_kind"], rating["year"], rating["level"], rating["stage"])
        for rating in extract_article(text, **fallbacks)["ratings"]
    ]


@pytest.mark.parametrize(
    ("sentence", "stage"),
    [
        ("Ban Chấp hành Đảng bộ tỉnh tự đánh giá, xếp loại Đảng bộ tỉnh năm 2023 đạt mức hoàn thành xuất sắc nhiệm vụ.", "self"),
        ("Năm 2023, Đảng bộ tỉnh tự xếp loại hoàn thành xuất sắc nhiệm vụ.", "self"),
        ("Ban Thường vụ Tỉnh ủy đề nghị Bộ Chính trị xếp loại Đảng bộ tỉnh năm 2023 hoàn thành xuất sắc nhiệm vụ.", "proposed"),
        ("Ban Tổ chức Tỉnh ủy thẩm định, đề xuất xếp loại Đảng bộ tỉnh năm 2023 hoàn thành tốt nhiệm vụ.", "proposed"),
        ("Bộ Chính trị quyết định xếp loại Đảng bộ tỉnh năm 2023 hoàn thành tốt nhiệm vụ.", "approved"),
        ("Đảng bộ tỉnh năm 2023 được công nhận hoàn thành tốt nhiệm vụ.", "approved"),
        ("Với 100% đại biểu có mặt nhất trí, Hội nghị xếp loại Đảng bộ tỉnh năm 2023 hoàn thành tốt nhiệm vụ.", "approved"),
        ("Hội nghị nhất trí xếp loại Đảng bộ tỉnh năm 2023 hoàn thành tốt nhiệm vụ.", "approved"),
    ],
)
def test_stage_of_the_provincial_rating(sentence, stage):
    [(kind, year, _, found)] = ratings(sentence)
    assert (kind, year, found) == ("dang_bo_tinh", 2023, stage)


def test_standing_committee_rating_itself():
    assert ratings("Năm 2023, Ban Thường vụ Tỉnh ủy tự đánh giá, xếp loại ở mức hoàn thành tốt nhiệm vụ.") == [
        ("ban_thuong_vu", 2023, "HTTNV", "self")
    ]


@pytest.mark.parametrize("body", ["Bộ Chính trị", "Trung ương", "Ban Bí thư"])
def test_rated_by_a_named_higher_body_is_the_decision(body):
    assert ratings(f"Đảng bộ tỉnh năm 2023 được {body} xếp loại hoàn thành tốt nhiệm vụ.") == [
        ("dang_bo_tinh", 2023, "HTTNV", "approved")
    ]


def test_the_committee_that_rates_a_district_is_not_the_rated_unit():
    result = extract_article(
        "Năm 2023, Đảng bộ huyện Bù Đốp được Ban Thường vụ Tỉnh ủy xếp loại hoàn thành xuất sắc nhiệm vụ."
    )
    [rating] = result["ratings"]
    assert (rating["unit"], rating["unit_kind"], rating["stage"]) == (
        "Đảng bộ huyện Bù Đốp", "dang_bo_truc_thuoc", "approved",
    )


def test_self_rating_then_decision_of_the_higher_body():
    text = (
        "Năm 2023, Đảng bộ huyện Bù Đăng tự đánh giá hoàn thành xuất sắc nhiệm vụ; "
        "Ban Thường vụ Tỉnh ủy quyết định xếp loại Đảng bộ huyện Bù Đăng hoàn thành tốt nhiệm vụ."
    )
    assert ratings(text) == [
        ("dang_bo_truc_thuoc", 2023, "HTXSNV", "self"),
        ("dang_bo_truc_thuoc", 2023, "HTTNV", "approved"),
    ]


def test_results_list_of_units_after_a_colon():
    text = (
        "Kết quả năm 2023: Ban Thường vụ Tỉnh ủy: hoàn thành tốt nhiệm vụ; "
        "Đảng bộ tỉnh: hoàn thành xuất sắc nhiệm vụ."
    )
    assert ratings(text) == [
        ("ban_thuong_vu", 2023, "HTTNV", "approved"),
        ("dang_bo_tinh", 2023, "HTXSNV", "approved"),
    ]


def test_two_years_rated_alike_give_a_rating_each():
    text = "Năm 2022 và năm 2023, Đảng bộ huyện Lộc Ninh đều được xếp loại hoàn thành xuất sắc nhiệm vụ."
    assert sorted(ratings(text)) == [
        ("dang_bo_truc_thuoc", 2022, "HTXSNV", "unknown"),
        ("dang_bo_truc_thuoc", 2023, "HTXSNV", "unknown"),
    ]


@pytest.mark.parametrize(
    "sentence",
    [
        "Năm 2023, Đảng bộ tỉnh lãnh đạo hoàn thành xuất sắc nhiệm vụ chính trị.",
        "Năm 2023, Đảng bộ tỉnh đạt kết quả tốt trong thực hiện nhiệm vụ.",
        "Năm 2024, Đảng bộ tỉnh phấn đấu hoàn thành xuất sắc nhiệm vụ.",
        "Đảng bộ tỉnh được xếp loại hoàn thành xuất sắc nhiệm vụ trong 3 năm liên tiếp (2021-2023).",
        "Đồng chí Nguyễn Văn Ba, Bí thư Huyện ủy, được xếp loại hoàn thành xuất sắc nhiệm vụ năm 2023.",
        "Năm 2023, không có tổ chức cơ sở đảng không hoàn thành nhiệm vụ.",
    ],
)
def test_prose_about_duties_goals_and_persons_is_not_a_named_rating(sentence):
    assert ratings(sentence) == []


def test_the_body_deciding_on_an_unnamed_unit_is_not_rated_itself():
    text = (
        "Năm 2023, Đảng bộ huyện Bù Đăng tự đánh giá hoàn thành xuất sắc nhiệm vụ, "
        "nhưng Ban Thường vụ Tỉnh ủy quyết định xếp loại hoàn thành tốt nhiệm vụ."
    )
    found = ratings(text)
    assert ("dang_bo_truc_thuoc", 2023, "HTXSNV", "self") in found
    assert all(kind != "ban_thuong_vu" for kind, *_ in found)


def test_a_level_followed_by_two_years_gives_a_rating_each():
    text = "Đảng bộ tỉnh được xếp loại hoàn thành xuất sắc nhiệm vụ năm 2022 và năm 2023."
    assert sorted(ratings(text)) == [
        ("dang_bo_tinh", 2022, "HTXSNV", "unknown"),
        ("dang_bo_tinh", 2023, "HTXSNV", "unknown"),
    ]


def test_units_listed_as_labels_under_a_heading_about_rating():
    text = (
        "Kết quả xếp loại năm 2023\n"
        "Đảng bộ huyện Lộc Ninh: hoàn thành xuất sắc nhiệm vụ.\n"
        "Đảng bộ huyện Bù Đốp: hoàn thành tốt nhiệm vụ."
    )
    assert [(r["unit"], r["level"]) for r in extract_article(text)["ratings"]] == [
        ("Đảng bộ huyện Lộc Ninh", "HTXSNV"),
        ("Đảng bộ huyện Bù Đốp", "HTTNV"),
    ]


def test_a_label_without_any_rating_context_is_not_a_rating():
    text = "Phân công nhiệm vụ\nĐảng bộ huyện Lộc Ninh: hoàn thành tốt nhiệm vụ được giao trong quý I."
    assert extract_article(text)["ratings"] == []


def test_units_enumerated_before_one_level_are_each_rated():
    text = (
        "Ban Thường vụ Tỉnh ủy quyết định xếp loại năm 2023: Đảng bộ huyện Lộc Ninh, Đảng bộ huyện Bù Đốp "
        "và Đảng bộ huyện Hớn Quản hoàn thành xuất sắc nhiệm vụ."
    )
    assert [(r["unit"], r["level"], r["stage"]) for r in extract_article(text)["ratings"]] == [
        ("Đảng bộ huyện Lộc Ninh", "HTXSNV", "approved"),
        ("Đảng bộ huyện Bù Đốp", "HTXSNV", "approved"),
        ("Đảng bộ huyện Hớn Quản", "HTXSNV", "approved"),
    ]


def test_a_body_named_before_the_rated_unit_is_not_enumerated_with_it():
    text = "Theo Ban Thường vụ Tỉnh ủy, Đảng bộ huyện Lộc Ninh năm 2023 được xếp loại hoàn thành xuất sắc nhiệm vụ."
    assert [r["unit"] for r in extract_article(text)["ratings"]] == ["Đảng bộ huyện Lộc Ninh"]


def test_units_listed_after_a_counted_level():
    result = extract_article(
        "Năm 2023, có 3 đơn vị hoàn thành xuất sắc nhiệm vụ, gồm: Huyện ủy Lộc Ninh, Thị ủy Bình Long "
        "và Đảng ủy Khối các cơ quan tỉnh."
    )
    assert [(r["unit"], r["unit_kind"], r["level"]) for r in result["ratings"]] == [
        ("Huyện ủy Lộc Ninh", "dang_bo_truc_thuoc", "HTXSNV"),
        ("Thị ủy Bình Long", "dang_bo_truc_thuoc", "HTXSNV"),
        ("Đảng ủy Khối các cơ quan tỉnh", "dang_bo_truc_thuoc", "HTXSNV"),
    ]
    assert [t["counts"]["HTXSNV"] for t in result["tallies"]] == [3]


def test_unit_named_after_its_level_with_la():
    [rating] = extract_article(
        "Đơn vị duy nhất hoàn thành nhiệm vụ năm 2023 là Đảng bộ huyện Bù Gia Mập."
    )["ratings"]
    assert (rating["unit"], rating["level"], rating["year"]) == ("Đảng bộ huyện Bù Gia Mập", "HTNV", 2023)


@pytest.mark.parametrize(
    "sentence",
    [
        "Với mục tiêu xây dựng Đảng bộ vững mạnh, năm 2023 Đảng bộ huyện Lộc Ninh được xếp loại hoàn thành xuất sắc nhiệm vụ.",
        "Phấn đấu không ngừng, năm 2023 Đảng bộ huyện Lộc Ninh đã được xếp loại hoàn thành xuất sắc nhiệm vụ.",
    ],
)
def test_a_result_after_a_clause_about_goals_is_still_a_rating(sentence):
    assert ratings(sentence) == [("dang_bo_truc_thuoc", 2023, "HTXSNV", "unknown")]


def test_a_goal_of_being_rated_is_not_a_rating():
    assert ratings("Năm 2024, Đảng bộ huyện Lộc Ninh phấn đấu được xếp loại hoàn thành xuất sắc nhiệm vụ.") == []
