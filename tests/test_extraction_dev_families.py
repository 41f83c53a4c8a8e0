"""Phrasings met in real articles: old-scale ratios, loose percentages, state bodies, awards, runs of years,
a unit's own title, and the kind of a city's or a district's military committee. All sentences are invented."""
import pytest

from ratings.extraction import extract_article


def counts(tally: dict) -> dict:
    return {level: count for level, count in tally["counts"].items() if count is not None}


# Old scale: "N/M" before the level, and the level before its count.


def test_ratios_of_cells_and_committees_before_and_after_the_level():
    result = extract_article(
        "Năm 2016, có 31/52 chi, đảng bộ cơ sở đạt trong sạch vững mạnh, bằng 59,6%; 15/52 chi, đảng bộ hoàn "
        "thành tốt nhiệm vụ, bằng 28,8%; hoàn thành nhiệm vụ 6/52 chi, đảng bộ, bằng 11,5%."
    )
    [tally] = result["tallies"]
    assert counts(tally) == {"TSVM": 31, "HTTNV": 15, "HTNV": 6}
    assert tally["percent"] == {"TSVM": 59.6, "HTTNV": 28.8, "HTNV": 11.5}
    assert tally["total"] == 52 and tally["year"] == 2016
    assert result["ratings"] == []


def test_ratio_with_the_title_of_the_level():
    result = extract_article(
        "Năm 2015, huyện Đông Lâm có 21/40 tổ chức cơ sở đảng đạt danh hiệu trong sạch vững mạnh, 17 tổ chức cơ "
        "sở đảng hoàn thành tốt nhiệm vụ, không có tổ chức cơ sở đảng yếu kém."
    )
    [tally] = result["tallies"]
    assert counts(tally) == {"TSVM": 21, "HTTNV": 17, "YK": 0}
    assert tally["total"] == 40
    assert result["ratings"] == []


def test_bare_ratios_after_levels_once_the_sentence_names_the_counted():
    [tally] = extract_article(
        "Năm 2016, số tổ chức cơ sở đảng đạt trong sạch vững mạnh 20/45, chiếm 44,4%; hoàn thành tốt nhiệm vụ "
        "19/45, chiếm 42,2%; hoàn thành nhiệm vụ 6/45, chiếm 13,3%."
    )["tallies"]
    assert counts(tally) == {"TSVM": 20, "HTTNV": 19, "HTNV": 6}
    assert tally["percent"] == {"TSVM": 44.4, "HTTNV": 42.2, "HTNV": 13.3}


@pytest.mark.parametrize(
    "sentence",
    ["Năm 2022, xã hoàn thành tốt nhiệm vụ 16/16.", "Năm 2022, xã hoàn thành nhiệm vụ 10/11 chỉ tiêu."],
)
def test_a_bare_ratio_of_tasks_is_no_tally(sentence):
    assert extract_article(sentence)["tallies"] == []


# Percentages after "chiếm" without a comma, with a space before "%".


def test_members_share_after_chiem_without_a_comma():
    [tally] = extract_article(
        "Năm 2022, Đảng bộ xã Tân Lộc có 40 đảng viên hoàn thành tốt nhiệm vụ chiếm 80,5 %; 3 đảng viên hoàn "
        "thành nhiệm vụ chiếm tỷ lệ 6 %."
    )["tallies"]
    assert tally["subject"] == "individual"
    assert counts(tally) == {"HTTNV": 40, "HTNV": 3}
    assert tally["percent"] == {"HTTNV": 80.5, "HTNV": 6.0}


def test_members_count_after_the_level_then_its_share():
    [tally] = extract_article(
        "Năm 2021, đảng viên hoàn thành tốt nhiệm vụ là 52 đảng viên chiếm tỉ lệ 74,3 %."
    )["tallies"]
    assert counts(tally) == {"HTTNV": 52} and tally["percent"] == {"HTTNV": 74.3}


# The government rating its own bodies is no Party rating.


@pytest.mark.parametrize(
    "text",
    [
        "UBND tỉnh Bình Sơn vừa công nhận mức độ hoàn thành nhiệm vụ năm 2023 đối với UBND các huyện. Trong đó "
        "có 3 đơn vị hoàn thành xuất sắc nhiệm vụ, 5 đơn vị hoàn thành tốt nhiệm vụ.",
        "Năm 2023, các sở, ban, ngành của tỉnh có 6 cơ quan hoàn thành xuất sắc nhiệm vụ, 12 cơ quan hoàn thành "
        "tốt nhiệm vụ.",
        "Ủy ban nhân dân huyện Đông Lâm xếp loại năm 2022 có 4 đơn vị hoàn thành xuất sắc nhiệm vụ.",
    ],
)
def test_state_bodies_rated_by_the_government_give_no_figure(text):
    result = extract_article(text)
    assert result["tallies"] == [] and result["ratings"] == []


def test_party_organizations_of_state_bodies_are_still_counted():
    [tally] = extract_article(
        "Năm 2023, Ban Thường vụ Tỉnh ủy xếp loại các tổ chức đảng trong khối UBND tỉnh: 4 đơn vị hoàn thành "
        "xuất sắc nhiệm vụ, 9 đơn vị hoàn thành tốt nhiệm vụ."
    )["tallies"]
    assert counts(tally) == {"HTXSNV": 4, "HTTNV": 9}


# Awards are no tallies.


@pytest.mark.parametrize(
    "sentence",
    [
        'Đồng chí Bí thư Huyện ủy trao Giấy khen tặng 7 tập thể "Hoàn thành xuất sắc nhiệm vụ" năm 2023.',
        "Ảnh: Huyện ủy tặng Giấy khen cho 4 tập thể hoàn thành xuất sắc nhiệm vụ năm 2022.",
        "Năm 2023, Huyện ủy khen thưởng 5 chi bộ hoàn thành xuất sắc nhiệm vụ.",
    ],
)
def test_awards_to_collectives_are_no_tally(sentence):
    result = extract_article(sentence)
    assert result["tallies"] == [] and result["ratings"] == []


# Years are not counts; a run of years or "hằng năm" rates no year.


@pytest.mark.parametrize(
    "sentence",
    [
        "Lực lượng vũ trang huyện liên tục 3 năm 2019, 2021, 2022 hoàn thành xuất sắc nhiệm vụ.",
        "Các năm 2019, 2021, 2022 hoàn thành xuất sắc nhiệm vụ, được tặng Cờ thi đua.",
        "Hằng năm, Chi bộ thôn Đông Hà đều đạt hoàn thành tốt nhiệm vụ.",
        "Chi bộ thôn Đông Hà nhiều năm liền đạt hoàn thành xuất sắc nhiệm vụ.",
        "Chi bộ thôn Đông Hà hoàn thành tốt nhiệm vụ hàng năm.",
        "Đảng bộ xã Tân Lộc 5 năm liền được xếp loại hoàn thành xuất sắc nhiệm vụ.",
    ],
)
def test_years_and_recurring_levels_give_no_figure(sentence):
    result = extract_article(sentence)
    assert result["tallies"] == [] and result["ratings"] == []


def test_a_year_of_the_review_after_yearly_work_still_counts():
    [tally] = extract_article(
        "Hằng năm, Đảng ủy đều tổ chức đánh giá, xếp loại, năm 2022 có 5 chi bộ hoàn thành xuất sắc nhiệm vụ."
    )["tallies"]
    assert counts(tally) == {"HTXSNV": 5} and tally["year"] == 2022


# A unit's own level: "đạt danh hiệu …", "liên tục đạt …".


@pytest.mark.parametrize(
    "sentence",
    [
        "Kết quả năm 2021: Chi bộ Trường Tiểu học Sen Vàng đạt danh hiệu “Hoàn thành xuất sắc nhiệm vụ”.",
        "Năm 2021, Chi bộ Trường Tiểu học Sen Vàng liên tục đạt hoàn thành xuất sắc nhiệm vụ.",
    ],
)
def test_a_cell_with_the_title_of_its_level(sentence):
    [rating] = extract_article(sentence)["ratings"]
    assert (rating["unit"], rating["unit_kind"], rating["year"], rating["level"]) == (
        "Chi bộ Trường Tiểu học Sen Vàng",
        "chi_bo",
        2021,
        "HTXSNV",
    )


# Military and police committees: a district's or a city's is grassroots; a province's, or a provincial city's,
# sits directly under the province.


@pytest.mark.parametrize(
    ("sentence", "kind"),
    [
        ("Năm 2016, Đảng bộ Quân sự thành phố Bình Sơn được xếp loại trong sạch vững mạnh.", "to_chuc_co_so_dang"),
        ("Năm 2016, Đảng bộ Quân sự huyện Đông Lâm được xếp loại trong sạch vững mạnh.", "to_chuc_co_so_dang"),
        ("Năm 2022, Đảng ủy Công an thị xã Bình Sơn được xếp loại hoàn thành tốt nhiệm vụ.", "to_chuc_co_so_dang"),
        ("Năm 2022, Đảng bộ Quân sự thành phố Đà Nẵng được xếp loại hoàn thành tốt nhiệm vụ.", "dang_bo_truc_thuoc"),
        ("Năm 2022, Đảng bộ Công an tỉnh Bình Sơn được xếp loại hoàn thành tốt nhiệm vụ.", "dang_bo_truc_thuoc"),
        (
            "Năm 2022, Đảng bộ Bộ đội Biên phòng thành phố Hải Phòng được xếp loại hoàn thành tốt nhiệm vụ.",
            "dang_bo_truc_thuoc",
        ),
    ],
)
def test_kind_of_armed_forces_committees(sentence, kind):
    [rating] = extract_article(sentence)["ratings"]
    assert rating["unit_kind"] == kind


def test_city_military_committee_of_a_province_named_in_the_article():
    [rating] = extract_article(
        "Tỉnh Quảng Nam. Năm 2017, Đảng bộ Quân sự thành phố đạt TSVM."
    )["ratings"]
    assert rating["unit_kind"] == "to_chuc_co_so_dang" and rating["level"] == "TSVM"
