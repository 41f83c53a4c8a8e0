"""Ballots written every way, the attendance they are counted against, and ratios that are not ballots."""
import pytest

from ratings.extraction import extract_article


def votes(text: str, **fallbacks) -> list[tuple]:
    return [
        (vote["year"], vote["for_level"], vote["votes"], vote["present"])
        for vote in extract_article(text, **fallbacks)["votes"]
    ]


@pytest.mark.parametrize(
    "ballot",
    [
        "với số phiếu tán thành 43/46",
        "với 43/46 phiếu",
        "với 43/46 phiếu tán thành",
        "với 43/46 đại biểu có mặt đồng ý",
        "với 43 trên 46 đại biểu có mặt tán thành",
        "với 43 trong tổng số 46 đại biểu tán thành",
        "với 43/46 (93,5%) đại biểu tán thành",
    ],
)
def test_ballot_after_the_level(ballot):
    assert votes(f"Hội nghị xếp loại Đảng bộ tỉnh năm 2023 hoàn thành xuất sắc nhiệm vụ {ballot}.") == [
        (2023, "HTXSNV", 43, 46)
    ]


@pytest.mark.parametrize(
    "ballot",
    [
        "Có 43 trên 46 đại biểu có mặt đồng ý",
        "Có 43/46 Ủy viên Ban Chấp hành Đảng bộ tỉnh đồng ý",
        "Có 43/46 đại biểu có mặt bỏ phiếu đồng ý",
        "Ngày 21/01, 43/46 đại biểu bỏ phiếu đồng ý",
    ],
)
def test_ballot_before_the_level(ballot):
    assert votes(f"{ballot} xếp loại Đảng bộ tỉnh năm 2023 hoàn thành xuất sắc nhiệm vụ.") == [
        (2023, "HTXSNV", 43, 46)
    ]


def test_unanimity_counts_everyone_present_stated_earlier():
    text = (
        "Hội nghị có 46 ủy viên Ban Chấp hành dự. Với 100% đại biểu có mặt nhất trí, "
        "Hội nghị xếp loại Đảng bộ tỉnh năm 2023 hoàn thành tốt nhiệm vụ."
    )
    assert votes(text) == [(2023, "HTTNV", 46, 46)]


def test_attendance_of_members_of_the_provincial_committee():
    text = (
        "Có 46 đồng chí Ủy viên Ban Chấp hành Đảng bộ tỉnh dự hội nghị. Kết quả, 100% đồng chí có mặt "
        "đồng ý xếp loại Đảng bộ tỉnh năm 2023 hoàn thành tốt nhiệm vụ."
    )
    assert votes(text) == [(2023, "HTTNV", 46, 46)]


def test_attendance_ratio_of_the_committee_gives_the_number_present_to_later_ballots():
    text = (
        "Hội nghị có 46/48 Ủy viên Ban Chấp hành Đảng bộ tỉnh dự họp. Kết quả, 44 phiếu đồng ý xếp loại "
        "Đảng bộ tỉnh năm 2023 hoàn thành xuất sắc nhiệm vụ, 2 phiếu hoàn thành tốt nhiệm vụ."
    )
    assert votes(text) == [(2023, "HTXSNV", 44, 46), (2023, "HTTNV", 2, 46)]


def test_ballots_written_after_each_level_belong_to_that_level():
    text = (
        "Kết quả bỏ phiếu xếp loại Đảng bộ tỉnh năm 2023: hoàn thành xuất sắc nhiệm vụ 44/46 phiếu, "
        "hoàn thành tốt nhiệm vụ 2/46 phiếu."
    )
    assert votes(text) == [(2023, "HTXSNV", 44, 46), (2023, "HTTNV", 2, 46)]


def test_unanimity_without_attendance_gives_no_vote_but_the_decision():
    result = extract_article(
        "Với 100% đại biểu có mặt nhất trí, Hội nghị xếp loại Đảng bộ tỉnh năm 2023 hoàn thành tốt nhiệm vụ."
    )
    assert result["votes"] == []
    assert [(r["level"], r["stage"]) for r in result["ratings"]] == [("HTTNV", "approved")]


def test_share_of_delegates_without_counts_is_not_a_vote():
    assert votes(
        "Hội nghị biểu quyết xếp loại Đảng bộ tỉnh năm 2023 hoàn thành tốt nhiệm vụ với tỷ lệ 95,7% đại biểu tán thành."
    ) == []


def test_ballot_on_a_resolution_in_another_clause_is_not_a_vote_on_the_level():
    text = (
        "Có 43/46 đại biểu tán thành thông qua Nghị quyết về nhiệm vụ năm 2024; "
        "hội nghị cũng xếp loại Đảng bộ tỉnh năm 2023 hoàn thành tốt nhiệm vụ."
    )
    assert votes(text) == []


@pytest.mark.parametrize(
    "sentence",
    [
        "Năm 2023, tỉnh đạt 18/20 chỉ tiêu chủ yếu và Đảng bộ tỉnh được xếp loại hoàn thành tốt nhiệm vụ.",
        "Năm 2023, ngành hoàn thành 16/16 nhiệm vụ trọng tâm; Đảng bộ tỉnh được xếp loại hoàn thành tốt nhiệm vụ.",
        "Ngày 21/01, Hội nghị xếp loại Đảng bộ tỉnh năm 2023 hoàn thành tốt nhiệm vụ.",
        "Theo Nghị quyết 05/NQ-TU, Hội nghị xếp loại Đảng bộ tỉnh năm 2023 hoàn thành tốt nhiệm vụ.",
        "Hội nghị có 52/55 đại biểu tham dự; Đảng bộ tỉnh năm 2023 được xếp loại hoàn thành tốt nhiệm vụ.",
    ],
)
def test_ratios_that_are_not_ballots(sentence):
    assert votes(sentence) == []


@pytest.mark.parametrize(
    "ballot",
    [
        "Kết quả có 100% đại biểu (46/46) đồng ý",
        "Có 46/46 đại biểu (100%) đồng ý",
        "Kết quả bỏ phiếu: 46/46 phiếu (đạt 100%)",
    ],
)
def test_unanimous_ballot_with_its_count_in_parentheses(ballot):
    assert votes(f"{ballot} xếp loại Đảng bộ tỉnh năm 2023 hoàn thành xuất sắc nhiệm vụ.") == [
        (2023, "HTXSNV", 46, 46)
    ]


def test_number_of_ballots_without_a_verb():
    assert votes("Hội nghị xếp loại Đảng bộ tỉnh năm 2023 hoàn thành xuất sắc nhiệm vụ với số phiếu 44/46 (95,7%).") == [
        (2023, "HTXSNV", 44, 46)
    ]


def test_total_present_stated_before_the_ballot():
    text = (
        "Tổng số đại biểu có mặt là 46 đồng chí. Kết quả có 44 phiếu đồng ý xếp loại Đảng bộ tỉnh "
        "năm 2023 hoàn thành xuất sắc nhiệm vụ."
    )
    assert votes(text) == [(2023, "HTXSNV", 44, 46)]
