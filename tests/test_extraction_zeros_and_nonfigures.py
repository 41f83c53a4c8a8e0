"""Zeros the text states are counts; approximations, targets, estimates, coverage and awards are not figures."""
import pytest

from ratings.extraction import extract_article


def counts(tally: dict) -> dict:
    return {level: count for level, count in tally["counts"].items() if count is not None}


def nothing(text: str) -> bool:
    result = extract_article(f"Tin hội nghị\n{text}")
    return not (result["ratings"] or result["tallies"] or result["votes"])


@pytest.mark.parametrize(
    "zero",
    [
        "không có tổ chức cơ sở đảng nào không hoàn thành nhiệm vụ",
        "không tổ chức cơ sở đảng nào bị xếp loại không hoàn thành nhiệm vụ",
        "không TCCSĐ nào bị xếp loại không hoàn thành nhiệm vụ",
        "không có TCCSĐ nào được xếp loại không hoàn thành nhiệm vụ",
    ],
)
def test_a_stated_zero_joins_the_tally_of_its_sentence(zero):
    result = extract_article(
        f"Năm 2024, toàn Đảng bộ có 52 tổ chức cơ sở đảng hoàn thành xuất sắc nhiệm vụ, "
        f"310 tổ chức cơ sở đảng hoàn thành tốt nhiệm vụ; {zero}."
    )
    assert result["ratings"] == []
    [tally] = result["tallies"]
    assert counts(tally) == {"HTXSNV": 52, "HTTNV": 310, "KHTNV": 0}
    assert (tally["year"], tally["subject"]) == (2024, "collective")


def test_a_stated_zero_in_the_next_sentence_joins_the_tally_it_closes():
    result = extract_article(
        "Năm 2024, có 27 chi bộ hoàn thành xuất sắc nhiệm vụ, 140 chi bộ hoàn thành tốt nhiệm vụ. "
        "Không có chi bộ nào không hoàn thành nhiệm vụ."
    )
    [tally] = result["tallies"]
    assert counts(tally) == {"HTXSNV": 27, "HTTNV": 140, "KHTNV": 0}


def test_a_stated_zero_on_the_old_scale_counts_the_weak_level():
    result = extract_article(
        "Năm 2016, có 61 chi bộ đạt trong sạch, vững mạnh; không có chi bộ nào xếp loại yếu kém."
    )
    assert result["ratings"] == []
    [tally] = result["tallies"]
    assert counts(tally) == {"TSVM": 61, "YK": 0}


@pytest.mark.parametrize("who", ["đảng bộ, chi bộ", "đảng bộ cơ sở và chi bộ cơ sở", "tổ chức đảng"])
def test_a_stated_zero_of_several_kinds_of_organization_is_a_count_and_not_a_rating(who):
    result = extract_article(f"Năm 2017, có 36 tổ chức cơ sở đảng đạt trong sạch, vững mạnh; không có {who} yếu kém.")
    assert result["ratings"] == []
    [tally] = result["tallies"]
    assert counts(tally) == {"TSVM": 36, "YK": 0}


def test_a_stated_zero_alone_is_a_tally_of_zero():
    result = extract_article("Năm 2024, không có đảng viên nào không hoàn thành nhiệm vụ.")
    assert result["ratings"] == []
    [tally] = result["tallies"]
    assert counts(tally) == {"KHTNV": 0}
    assert tally["subject"] == "individual"


def test_a_zero_among_individuals_stays_out_of_the_collective_tally():
    result = extract_article(
        "Năm 2024, có 33 tổ chức cơ sở đảng hoàn thành xuất sắc nhiệm vụ; "
        "không có đảng viên nào không hoàn thành nhiệm vụ."
    )
    by_subject = {tally["subject"]: counts(tally) for tally in result["tallies"]}
    assert by_subject == {"collective": {"HTXSNV": 33}, "individual": {"KHTNV": 0}}


@pytest.mark.parametrize(
    "sentence",
    [
        # approximations
        "Năm 2024, gần 150 tổ chức cơ sở đảng hoàn thành xuất sắc nhiệm vụ.",
        "Năm 2024, trên 85% đảng viên hoàn thành tốt nhiệm vụ.",
        "Năm 2024, hơn 90% tổ chức cơ sở đảng hoàn thành tốt nhiệm vụ.",
        "Năm 2024, khoảng 200 đảng viên hoàn thành xuất sắc nhiệm vụ.",
        "Năm 2024, có gần 40 chi bộ hoàn thành xuất sắc nhiệm vụ và trên 300 chi bộ hoàn thành tốt nhiệm vụ.",
        "Kết quả năm 2024, xấp xỉ 95% tổ chức đảng hoàn thành tốt nhiệm vụ.",
        "Năm 2024, có tới hơn 1.200 đảng viên hoàn thành xuất sắc nhiệm vụ.",
        # targets
        "Năm 2025, phấn đấu có 25% tổ chức cơ sở đảng đạt hoàn thành xuất sắc nhiệm vụ.",
        "Chỉ tiêu năm 2025: 90% đảng viên hoàn thành tốt nhiệm vụ.",
        "Đảng bộ đặt chỉ tiêu 80% chi bộ hoàn thành tốt nhiệm vụ trong năm 2025.",
        # estimates made before the rating
        "Dự ước năm 2024 có 45 tổ chức cơ sở đảng hoàn thành xuất sắc nhiệm vụ.",
        "Năm 2024, ước đạt 92% đảng viên hoàn thành tốt nhiệm vụ.",
        "Năm 2024, ước tính có 38 chi bộ hoàn thành xuất sắc nhiệm vụ.",
        # coverage ratios
        "Năm 2024, 48/48 chi bộ có chi ủy; 16/16 nhiệm vụ trọng tâm hoàn thành.",
        "Năm 2024, 12/12 đảng bộ trực thuộc đã tổ chức hội nghị kiểm điểm đúng quy định.",
        # awards and commendations
        "Năm 2024, Đảng ủy tặng giấy khen cho 30 đảng viên hoàn thành xuất sắc nhiệm vụ.",
        "Năm 2024, Tỉnh ủy tặng bằng khen cho 12 tổ chức cơ sở đảng hoàn thành xuất sắc nhiệm vụ.",
        "Năm 2024, 8 tổ chức cơ sở đảng được tặng cờ thi đua vì hoàn thành xuất sắc nhiệm vụ.",
        "Năm 2024, 15 chi bộ hoàn thành xuất sắc nhiệm vụ 5 năm liền được khen thưởng.",
        "Nhân dịp này, 21 đảng viên hoàn thành xuất sắc nhiệm vụ tiêu biểu được nhận giấy khen.",
        "Năm 2024, khen thưởng 40 đảng viên đạt hoàn thành xuất sắc nhiệm vụ 5 năm liên tục.",
    ],
)
def test_what_is_not_a_rating_figure_yields_nothing(sentence):
    assert nothing(sentence)


def test_an_approximation_leaves_the_exact_counts_of_its_sentence():
    result = extract_article(
        "Năm 2024, có 41 tổ chức cơ sở đảng hoàn thành xuất sắc nhiệm vụ, gần 300 tổ chức cơ sở đảng "
        "hoàn thành tốt nhiệm vụ."
    )
    [tally] = result["tallies"]
    assert counts(tally) == {"HTXSNV": 41}


@pytest.mark.parametrize(
    "sentence",
    [
        "Năm 2024, có 150 tổ chức cơ sở đảng (chiếm gần 20%) hoàn thành xuất sắc nhiệm vụ.",
        "Năm 2024, có 150 tổ chức cơ sở đảng hoàn thành xuất sắc nhiệm vụ (chiếm trên 20%).",
        "Năm 2024, có 150 tổ chức cơ sở đảng hoàn thành xuất sắc nhiệm vụ, chiếm hơn 20%.",
    ],
)
def test_a_rough_percentage_leaves_the_exact_count(sentence):
    [tally] = extract_article(sentence)["tallies"]
    assert (counts(tally), tally["percent"]) == ({"HTXSNV": 150}, {})


def test_an_exact_count_after_a_total_is_not_rough():
    [tally] = extract_article(
        "Năm 2024, có 87 tổ chức cơ sở đảng hoàn thành tốt nhiệm vụ trên tổng số 95 tổ chức cơ sở đảng."
    )["tallies"]
    assert (counts(tally), tally["total"]) == ({"HTTNV": 87}, 95)


def test_an_award_next_to_a_rating_leaves_the_rating():
    result = extract_article(
        "Năm 2024, có 19 tổ chức cơ sở đảng hoàn thành xuất sắc nhiệm vụ; Tỉnh ủy tặng bằng khen cho "
        "7 tổ chức cơ sở đảng hoàn thành xuất sắc nhiệm vụ 5 năm liền."
    )
    [tally] = result["tallies"]
    assert counts(tally) == {"HTXSNV": 19}


@pytest.mark.parametrize(
    "sentence",
    [
        "Năm 2024, trên 90% đảng viên hoàn thành tốt nhiệm vụ trở lên.",
        "Năm 2024, hơn 91% tổ chức cơ sở đảng hoàn thành tốt nhiệm vụ trở lên, trong đó khoảng 20% hoàn thành xuất sắc.",
        "Dự ước năm 2024 có 96% đảng viên hoàn thành tốt nhiệm vụ trở lên.",
        "Chỉ tiêu năm 2025: 90% tổ chức cơ sở đảng hoàn thành tốt nhiệm vụ trở lên.",
        "Năm 2025, phấn đấu có 92% chi bộ hoàn thành tốt nhiệm vụ trở lên, trong đó 20% hoàn thành xuất sắc nhiệm vụ.",
        "Đảng viên được xếp loại từ hoàn thành tốt nhiệm vụ trở lên được xét khen thưởng.",
        "Tặng giấy khen cho các tập thể hoàn thành xuất sắc nhiệm vụ năm 2024, gồm: Chi bộ ấp Tân Mỹ, Chi bộ ấp Sơn Hà.",
        "Tặng giấy khen cho 3 chi bộ hoàn thành xuất sắc nhiệm vụ. Đó là: Chi bộ ấp Tân Mỹ, Chi bộ ấp Sơn Hà.",
    ],
)
def test_floors_and_lists_that_are_targets_estimates_or_awards_yield_nothing(sentence):
    assert nothing(sentence)
