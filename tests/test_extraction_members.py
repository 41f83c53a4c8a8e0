"""Counts of Party members and leaders: individuals, in thousands, before or after their level."""
import pytest

from ratings.extraction import extract_article


def tallies(text: str, **fallbacks) -> list[dict]:
    return extract_article(text, **fallbacks)["tallies"]


def counts(tally: dict) -> dict:
    return {level: count for level, count in tally["counts"].items() if count is not None}


def test_members_rated_then_in_which_each_level():
    [tally] = tallies(
        "Năm 2023, có 38.604 đảng viên được đánh giá, xếp loại; trong đó 5.917 đảng viên hoàn thành xuất sắc "
        "nhiệm vụ (15,3%), 30.122 đảng viên hoàn thành tốt nhiệm vụ (78%), 2.301 đảng viên hoàn thành nhiệm vụ "
        "(6%), 264 đảng viên không hoàn thành nhiệm vụ (0,7%)."
    )
    assert counts(tally) == {"HTXSNV": 5917, "HTTNV": 30122, "HTNV": 2301, "KHTNV": 264}
    assert tally["percent"] == {"HTXSNV": 15.3, "HTTNV": 78.0, "HTNV": 6.0, "KHTNV": 0.7}
    assert tally["subject"] == "individual" and tally["total"] == 38604


def test_member_noun_before_the_level_and_a_bare_count_after_it():
    [tally] = tallies(
        "Về đảng viên năm 2023: đảng viên hoàn thành xuất sắc nhiệm vụ 5.917 (15,3%); đảng viên hoàn thành "
        "tốt nhiệm vụ 30.122 (78%); đảng viên không hoàn thành nhiệm vụ 264 (0,7%)."
    )
    assert counts(tally) == {"HTXSNV": 5917, "HTTNV": 30122, "KHTNV": 264}
    assert tally["subject"] == "individual"


def test_member_noun_before_the_level_and_a_bare_count_ending_the_clause():
    [tally] = tallies("Năm 2023, đảng viên không hoàn thành nhiệm vụ 264, giảm 31 so với năm 2022.")
    assert counts(tally) == {"KHTNV": 264} and tally["year"] == 2023


@pytest.mark.parametrize(
    "sentence",
    [
        "Năm 2023, hoàn thành xuất sắc nhiệm vụ: 17 tổ chức; hoàn thành tốt nhiệm vụ: 58 tổ chức.",
        "Năm 2023, hoàn thành xuất sắc nhiệm vụ có 17 tổ chức, hoàn thành tốt nhiệm vụ có 58 tổ chức.",
        "Năm 2023, hoàn thành xuất sắc nhiệm vụ là 17 tổ chức, hoàn thành tốt nhiệm vụ là 58 tổ chức.",
        "Năm 2023, hoàn thành xuất sắc nhiệm vụ 17 tổ chức, hoàn thành tốt nhiệm vụ 58 tổ chức.",
    ],
)
def test_count_after_its_level(sentence):
    [tally] = tallies(sentence)
    assert counts(tally) == {"HTXSNV": 17, "HTTNV": 58} and tally["subject"] == "collective"


def test_comrades_with_their_title_are_individuals():
    [tally] = tallies("Năm 2023, có 9 đồng chí Tỉnh ủy viên hoàn thành xuất sắc nhiệm vụ.")
    assert counts(tally) == {"HTXSNV": 9} and tally["subject"] == "individual"


def test_members_of_the_standing_committee_are_individuals():
    [tally] = tallies(
        "Năm 2023, có 3 đồng chí Ủy viên Ban Thường vụ hoàn thành xuất sắc nhiệm vụ, "
        "10 đồng chí hoàn thành tốt nhiệm vụ."
    )
    assert counts(tally) == {"HTXSNV": 3, "HTTNV": 10} and tally["subject"] == "individual"


def test_leading_collectives_and_leading_individuals_are_two_tallies():
    collective, individual = tallies(
        "Năm 2023, 41 tập thể lãnh đạo, quản lý hoàn thành xuất sắc nhiệm vụ; "
        "126 cá nhân lãnh đạo hoàn thành xuất sắc nhiệm vụ."
    )
    assert (collective["subject"], counts(collective)) == ("collective", {"HTXSNV": 41})
    assert (individual["subject"], counts(individual)) == ("individual", {"HTXSNV": 126})


def test_members_counted_as_persons():
    [tally] = tallies("Năm 2023, có 2.103 người hoàn thành xuất sắc nhiệm vụ, chiếm 12,4% số đảng viên.")
    assert tally["subject"] == "individual" and counts(tally) == {"HTXSNV": 2103}


@pytest.mark.parametrize(
    "sentence",
    [
        "Năm 2023, toàn tỉnh kết nạp 2.150 đảng viên mới, đạt 107% chỉ tiêu.",
        "Năm 2023, trao Huy hiệu Đảng cho 1.896 đảng viên; 312 đảng viên được miễn sinh hoạt.",
        "Năm 2023, toàn tỉnh đã kiểm điểm 2.325 tập thể và 39.700 đảng viên.",
        "Năm 2023, thi hành kỷ luật 3 tổ chức đảng và 25 đảng viên.",
    ],
)
def test_member_counts_that_are_not_ratings(sentence):
    assert tallies(sentence) == []


def test_members_on_the_old_scale_qualified_as_fit():
    [tally] = tallies(
        "Năm 2016, có 2.810 đảng viên đủ tư cách hoàn thành xuất sắc nhiệm vụ, "
        "9.420 đảng viên đủ tư cách hoàn thành tốt nhiệm vụ."
    )
    assert counts(tally) == {"HTXSNV": 2810, "HTTNV": 9420} and tally["subject"] == "individual"


def test_comrades_abbreviated():
    [tally] = tallies("Năm 2023, đảng viên: HTXSNV 5.917 đ/c (15,3%), HTTNV 30.122 đ/c (78%), KHTNV 264 đ/c.")
    assert counts(tally) == {"HTXSNV": 5917, "HTTNV": 30122, "KHTNV": 264} and tally["subject"] == "individual"
