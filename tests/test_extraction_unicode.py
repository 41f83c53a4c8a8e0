"""The same figures whatever the encoding quirks: NFD, odd spaces, zero-width marks, CRLF, old tones."""
import unicodedata

import pytest

from ratings.extraction import extract_article, normalize_text

ARTICLE = (
    "Tỉnh ủy Khánh Hòa đánh giá, xếp loại năm 2023\n"
    "Năm 2023, Tỉnh ủy Khánh Hòa tự xếp loại Đảng bộ tỉnh “Hoàn thành xuất sắc nhiệm vụ”.\n"
    "Có 1.204 đảng viên hoàn thành xuất sắc nhiệm vụ, chiếm 14,6%; 6.980 đảng viên hoàn thành tốt nhiệm vụ.\n"
    "Kết quả, 45/47 đại biểu đồng ý xếp loại Đảng bộ tỉnh hoàn thành xuất sắc nhiệm vụ năm 2023."
)


def figures(text: str) -> tuple:
    result = extract_article(text)
    return (
        result["province"],
        [(r["unit_kind"], r["year"], r["level"], r["stage"]) for r in result["ratings"]],
        [(t["year"], t["subject"], tuple(t["counts"].items()), tuple(t["percent"].items())) for t in result["tallies"]],
        [(v["year"], v["for_level"], v["votes"], v["present"]) for v in result["votes"]],
    )


EXPECTED = figures(ARTICLE)


def test_the_plain_article_gives_its_figures():
    province, ratings, tallies, votes = EXPECTED
    assert province == "Khánh Hòa"
    assert ("dang_bo_tinh", 2023, "HTXSNV", "self") in ratings
    assert tallies == [
        (2023, "individual", (("HTXSNV", 1204), ("HTTNV", 6980), ("HTNV", None), ("KHTNV", None)), (("HTXSNV", 14.6),))
    ]
    assert votes == [(2023, "HTXSNV", 45, 47)]


@pytest.mark.parametrize(
    "variant",
    [
        pytest.param(lambda text: unicodedata.normalize("NFD", text), id="nfd"),
        pytest.param(lambda text: text.replace("\n", "\r\n"), id="crlf"),
        pytest.param(lambda text: text.replace(" ", "\u00a0"), id="nbsp"),
        pytest.param(lambda text: text.replace(" ", " \u200b"), id="zero-width-after-spaces"),
        pytest.param(lambda text: text.replace("ủy", "uỷ").replace("Hòa", "Hoà"), id="old-tones"),
        pytest.param(lambda text: "\ufeff" + text.replace("“", "«").replace("”", "»"), id="bom-and-guillemets"),
        pytest.param(lambda text: text.replace(" ", "  "), id="double-spaces"),
        pytest.param(lambda text: text.replace("\n", "\n\n\n"), id="blank-lines"),
    ],
)
def test_encoding_quirks_change_no_figure(variant):
    assert figures(variant(ARTICLE)) == EXPECTED


def test_evidence_is_quoted_from_the_normalized_text_of_a_quirky_input():
    quirky = unicodedata.normalize("NFD", ARTICLE.replace("\n", "\r\n").replace(" ", "\u00a0"))
    result = extract_article(quirky)
    normalized = normalize_text(quirky)
    for kind in ("ratings", "tallies", "votes"):
        for figure in result[kind]:
            assert figure["evidence"] in normalized


@pytest.mark.parametrize("separator", ["\u00a0", "\u202f", " "])
def test_thousands_grouped_with_spaces_are_one_number(separator):
    [tally] = extract_article(f"Năm 2023, có 1{separator}204 đảng viên hoàn thành xuất sắc nhiệm vụ.")["tallies"]
    assert tally["counts"]["HTXSNV"] == 1204


def test_a_line_wrapped_inside_a_sentence_keeps_its_figures_together():
    [tally] = extract_article(
        "Năm 2023, có 31 chi bộ hoàn thành xuất sắc nhiệm vụ, 88 chi bộ\nhoàn thành tốt nhiệm vụ."
    )["tallies"]
    assert tally["counts"]["HTXSNV"] == 31 and tally["counts"]["HTTNV"] == 88
