"""Ratings of one named unit: its kind, the stage of the review, and what is not one."""
import pytest

from ratings.extraction import extract_article, normalize_text


def ratings(text: str, **fallbacks) -> list[tuple]:
    return [
        (rating["unit_kind"], rating["year"], rating["level"], rating["stage"])
        for rating in extract_article(text, **fallbacks)["ratings"]
    ]


@pytest.mark.parametrize(
    ("sentence", "kind"),
    [
        ("Hội nghị thống nhất xếp loại Đảng bộ tỉnh năm 2023 hoàn thành tốt nhiệm vụ.", "dang_bo_tinh"),
        ("Tập thể Ban Thường vụ Tỉnh ủy năm 2023 được quyết định xếp loại hoàn thành tốt nhiệm vụ.", "ban_thuong_vu"),
        ("Kết quả xếp loại Huyện ủy Châu Thành năm 2023 hoàn thành xuất sắc nhiệm vụ.", "dang_bo_truc_thuoc"),
        ("Kết quả xếp loại Đảng ủy Khối các cơ quan tỉnh năm 2023 hoàn thành tốt nhiệm vụ.", "dang_bo_truc_thuoc"),
        ("Kết quả xếp loại Đảng đoàn Hội đồng nhân dân tỉnh năm 2023 hoàn thành xuất sắc nhiệm vụ.", "dang_doan"),
        ("Kết quả xếp loại Ban cán sự đảng UBND tỉnh năm 2023 hoàn thành tốt nhiệm vụ.", "ban_can_su"),
        ("Kết quả xếp loại Chi bộ ấp Tân Lập năm 2023 hoàn thành xuất sắc nhiệm vụ.", "chi_bo"),
        ("Kết quả xếp loại Đảng bộ cơ sở Trường Chính trị năm 2023 hoàn thành tốt nhiệm vụ.", "to_chuc_co_so_dang"),
    ],
)
def test_unit_phrase_gives_the_kind(sentence, kind):
    [(found_kind, year, _, stage)] = ratings(sentence)
    assert (found_kind, year, stage) == (kind, 2023, "approved")


def test_self_rating_of_the_provincial_organization():
    text = "Căn cứ kết quả năm 2023, Ban Chấp hành tự xếp loại Đảng bộ tỉnh Kiên Giang ở mức “Hoàn thành xuất sắc nhiệm vụ”."
    result = extract_article(text)
    [rating] = result["ratings"]
    assert (rating["unit"], rating["unit_kind"], rating["level"], rating["stage"], rating["year"]) == (
        "Đảng bộ tỉnh Kiên Giang", "dang_bo_tinh", "HTXSNV", "self", 2023,
    )
    assert rating["evidence"] in normalize_text(text)


@pytest.mark.parametrize(
    ("verb", "stage"),
    [
        ("tự đánh giá", "self"),
        ("tự nhận mức", "self"),
        ("đề xuất xếp loại", "proposed"),
        ("thẩm định, đề nghị xếp loại", "proposed"),
        ("quyết định xếp loại", "approved"),
        ("công nhận", "approved"),
        ("biểu quyết xếp loại", "approved"),
        # The standing committee rating a unit below it decides its level.
        ("xếp loại", "approved"),
    ],
)
def test_words_before_the_unit_give_the_stage(verb, stage):
    text = f"Năm 2023, Ban Thường vụ Tỉnh ủy {verb} Đảng bộ huyện Mỹ Tú hoàn thành xuất sắc nhiệm vụ."
    assert ratings(text)[0][3] == stage


def test_several_units_rated_in_one_sentence():
    text = (
        "Ban Thường vụ Tỉnh ủy thống nhất xếp loại năm 2023: Đảng bộ huyện A Lưới hoàn thành xuất sắc nhiệm vụ; "
        "Đảng bộ thị xã Hương Trà hoàn thành tốt nhiệm vụ."
    )
    assert ratings(text) == [
        ("dang_bo_truc_thuoc", 2023, "HTXSNV", "approved"),
        ("dang_bo_truc_thuoc", 2023, "HTTNV", "approved"),
    ]


def test_city_party_organization_of_a_centrally_run_city_is_provincial():
    assert ratings(
        "Thành ủy Đà Nẵng tự đánh giá, "
        "xếp loại Đảng bộ thành phố năm 2023 hoàn thành xuất sắc nhiệm vụ."
    ) == [
        ("dang_bo_tinh", 2023, "HTXSNV", "self")
    ]


def test_commune_is_grassroots_before_2025_and_under_the_province_after():
    assert ratings(
        "Kết quả xếp loại Đảng bộ xã Long Hựu năm 2023 hoàn "
        "thành tốt nhiệm vụ."
    )[0][0] == "to_chuc_co_so_dang"
    assert ratings(
        "Kết quả xếp loại Đảng bộ xã Long Hựu năm 2025 hoàn "
        "thành tốt nhiệm vụ."
    )[0][0] == "dang_bo_truc_thuoc"


def test_year_fallback_applies_when_the_text_names_none():
    assert ratings("Hội nghị thống nhất xếp loại Đảng bộ tỉnh hoàn thành tốt nhiệm vụ.", year=2022)[0][1] == 2022


def test_year_in_the_text_wins_over_the_fallback():
    text = "Hội nghị thống nhất xếp loại Đảng bộ tỉnh năm 2023 hoàn thành tốt nhiệm vụ."
    assert ratings(text, year=2020)[0][1] == 2023


def test_old_scale_rating_for_an_old_year():
    assert ratings(
        "Năm 2015, Đảng bộ tỉnh được xếp loại trong sạch, "
        "vững mạnh."
    ) == [("dang_bo_tinh", 2015, "TSVM", "unknown")]


def test_clean_and_strong_after_2018_is_a_commendation():
    assert ratings("Năm 2023, Đảng bộ tỉnh được công nhận đạt trong sạch, vững mạnh.") == []


def test_persons_are_not_rated_units():
    assert ratings("Năm 2023, đồng chí Bí thư Tỉnh ủy Trần Văn Nam được xếp loại hoàn thành xuất sắc nhiệm vụ.") == []
    assert ratings("Năm 2023, Ủy viên Ban Thường vụ Tỉnh ủy Lê Thị Hoa được xếp loại hoàn thành tốt nhiệm vụ.") == []


def test_plural_groups_without_counts_are_not_named_ratings():
    assert ratings("Năm 2023, các chi bộ trực thuộc đều được xếp loại hoàn thành tốt nhiệm vụ.") == []


def test_narrative_about_duties_is_not_a_rating():
    text = (
        "Năm 2023, Đảng bộ tỉnh đã lãnh đạo thực hiện hoàn thành tốt nhiệm vụ. Chi bộ "
        "luôn hoàn thành tốt nhiệm vụ được giao. "
        "Đảng bộ xã nhiều năm liền hoàn thành xuất sắc nhiệm vụ. Tỉnh phấn đấu hoàn thành xuất sắc nhiệm vụ năm 2024."
    )
    assert ratings(text) == []


def test_same_rating_stated_twice_is_kept_once():
    text = (
        "Tỉnh ủy tự xếp loại Đảng bộ tỉnh năm 2023 hoàn thành xuất sắc nhiệm vụ.\n"
        "Như vậy, Tỉnh ủy tự xếp loại Đảng bộ tỉnh năm 2023 hoàn thành xuất sắc nhiệm vụ."
    )
    assert len(ratings(text)) == 1


def test_unit_introduced_by_doi_voi_is_the_rated_one_not_the_deciding_body():
    text = (
        "Năm 2023, đối với tập thể Ban Thường vụ Huyện ủy, "
        "Ban Thường vụ Tỉnh ủy quyết định xếp loại hoàn thành tốt nhiệm vụ."
    )
    [rating] = extract_article(text)["ratings"]
    assert rating["unit"] == "Ban Thường vụ Huyện ủy" and rating["stage"] == "approved"
