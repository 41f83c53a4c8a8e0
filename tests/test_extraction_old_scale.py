"""The scale of 2008–2017 (TSVM, TSVMTB, YK) and "trong sạch, vững mạnh" as a commendation after 2018."""
import pytest

from ratings.extraction import extract_article


def counts(tally: dict) -> dict:
    return {level: count for level, count in tally["counts"].items() if count is not None}


def test_old_scale_tally_with_the_model_subset():
    [tally] = extract_article(
        "Năm 2015, có 226 tổ chức cơ sở đảng đạt trong sạch vững mạnh, trong đó 47 tổ chức đạt trong sạch vững "
        "mạnh tiêu biểu; 88 tổ chức hoàn thành tốt nhiệm vụ; 13 tổ chức hoàn thành nhiệm vụ; 2 tổ chức yếu kém."
    )["tallies"]
    assert counts(tally) == {"TSVM+": 226, "TSVMTB": 47, "HTTNV": 88, "HTNV": 13, "YK": 2}
    assert tally["year"] == 2015
    assert set(tally["counts"]) == {"TSVMTB", "TSVM", "TSVM+", "HTTNV", "HTNV", "YK"}


def test_old_scale_abbreviations():
    [tally] = extract_article("Năm 2016, toàn Đảng bộ có 190 TCCSĐ đạt TSVM, 97 TCCSĐ HTTNV và 4 TCCSĐ yếu kém.")[
        "tallies"
    ]
    assert counts(tally) == {"TSVM": 190, "HTTNV": 97, "YK": 4}


@pytest.mark.parametrize(
    ("sentence", "level"),
    [
        ("Năm 2016, Đảng bộ huyện Chơn Thành được xếp loại trong sạch, vững mạnh tiêu biểu.", "TSVMTB"),
        ("Năm 2014, Đảng bộ huyện Chơn Thành được công nhận đạt trong sạch, vững mạnh.", "TSVM"),
        ("Năm 2017, Chi bộ ấp Tân Hòa bị xếp loại yếu kém.", "YK"),
    ],
)
def test_old_scale_named_ratings(sentence, level):
    [rating] = extract_article(sentence)["ratings"]
    assert rating["level"] == level and rating["year"] < 2018


@pytest.mark.parametrize(
    "sentence",
    [
        "Năm 2021, Đảng bộ huyện Chơn Thành được công nhận trong sạch, vững mạnh.",
        "Năm 2023 có 140 tổ chức cơ sở đảng đạt trong sạch, vững mạnh.",
        "Năm 2023, Tỉnh ủy tặng Bằng khen cho 25 tổ chức cơ sở đảng đạt trong sạch, vững mạnh tiêu biểu.",
        "Năm 2023, tập trung xây dựng Đảng bộ tỉnh trong sạch, vững mạnh.",
    ],
)
def test_clean_and_strong_after_2018_is_not_a_level(sentence):
    result = extract_article(sentence)
    assert result["ratings"] == [] and result["tallies"] == []


@pytest.mark.parametrize(
    "sentence",
    [
        "Năm 2015, tỉnh tập trung củng cố 5 chi bộ yếu kém.",
        "Năm 2023, tỉnh tập trung củng cố 5 chi bộ yếu kém.",
        "Năm 2016, Đảng bộ khắc phục những hạn chế, yếu kém ở 3 chi bộ.",
    ],
)
def test_weak_organisations_being_strengthened_are_not_a_tally(sentence):
    assert extract_article(sentence)["tallies"] == []


def test_weak_organisations_strengthened_in_the_passive_are_not_a_tally():
    assert extract_article("Năm 2015, có 5 chi bộ yếu kém được củng cố, kiện toàn.")["tallies"] == []
