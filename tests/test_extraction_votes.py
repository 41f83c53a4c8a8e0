"""Ballots on a level, told apart from task ratios and dates."""
from ratings.extraction import extract_article, normalize_text


def votes(text: str, **fallbacks) -> list[tuple]:
    return [
        (vote["year"], vote["for_level"], vote["votes"], vote["present"])
        for vote in extract_article(text, **fallbacks)["votes"]
    ]


def test_ratio_of_delegates_present_is_a_vote():
    text = "Kết quả bỏ phiếu: 51/53 đại biểu có mặt đồng ý xếp loại Đảng bộ tỉnh năm 2023 ở mức hoàn thành tốt nhiệm vụ."
    assert votes(text) == [(2023, "HTTNV", 51, 53)]


def test_second_ballot_takes_the_number_present_from_the_first():
    text = (
        "Tại hội nghị, 44/47 ủy viên tán thành xếp loại Đảng bộ tỉnh năm 2022 hoàn thành xuất sắc nhiệm vụ, "
        "3 phiếu đề xuất hoàn thành tốt nhiệm vụ."
    )
    assert votes(text) == [(2022, "HTXSNV", 44, 47), (2022, "HTTNV", 3, 47)]


def test_ballots_after_the_level_belong_to_it():
    assert votes("Đảng bộ tỉnh được xếp loại hoàn thành xuất sắc nhiệm vụ năm 2023 với 39/40 phiếu tán thành.") == [
        (2023, "HTXSNV", 39, 40)
    ]


def test_count_of_approving_ballots_written_before_the_ratio():
    text = "Với số phiếu tán thành 45/47, Ban Chấp hành xếp loại Đảng bộ tỉnh năm 2023 hoàn thành tốt nhiệm vụ."
    assert votes(text) == [(2023, "HTTNV", 45, 47)]


def test_attendance_stated_in_an_earlier_sentence_is_the_number_present():
    text = (
        "Hội nghị có 50/52 ủy viên Ban Chấp hành dự. "
        "Kết quả, 48 đại biểu đồng ý xếp loại Đảng bộ tỉnh năm 2023 hoàn thành xuất sắc nhiệm vụ."
    )
    assert votes(text) == [(2023, "HTXSNV", 48, 50)]


def test_unanimous_vote_without_attendance_is_read_as_the_decision():
    text = "100% đại biểu có mặt biểu quyết xếp loại Đảng bộ tỉnh năm 2023 hoàn thành xuất sắc nhiệm vụ."
    result = extract_article(text)
    assert result["votes"] == []
    assert [(r["unit_kind"], r["level"], r["stage"]) for r in result["ratings"]] == [
        ("dang_bo_tinh", "HTXSNV", "approved")
    ]


def test_unanimous_vote_counts_everyone_present():
    text = (
        "Hội nghị có 47 đại biểu có mặt. 100% đại biểu biểu quyết xếp loại Đảng bộ "
        "tỉnh năm 2023 hoàn thành tốt nhiệm vụ."
    )
    assert votes(text) == [(2023, "HTTNV", 47, 47)]


def test_a_carrying_vote_also_decides_the_rating():
    result = extract_article("Có 30/31 ủy viên nhất trí xếp loại Đảng bộ tỉnh năm 2023 hoàn thành tốt nhiệm vụ.")
    assert [(r["unit_kind"], r["level"], r["stage"]) for r in result["ratings"]] == [("dang_bo_tinh", "HTTNV", "approved")]
    assert len(result["votes"]) == 1


def test_a_minority_ballot_decides_nothing():
    result = extract_article(
        "Kết quả có 40/47 đại biểu đồng ý xếp loại Đảng bộ tỉnh năm 2023 hoàn thành tốt nhiệm vụ, "
        "7 phiếu đề xuất Đảng bộ tỉnh hoàn thành xuất sắc nhiệm vụ."
    )
    assert [r["level"] for r in result["ratings"]] == ["HTTNV"]
    assert sorted((v["for_level"], v["votes"]) for v in result["votes"]) == [("HTTNV", 40), ("HTXSNV", 7)]


def test_a_decision_stated_twice_is_one_rating():
    result = extract_article(
        "Hội nghị thống nhất xếp loại Đảng bộ tỉnh năm 2023 mức hoàn thành tốt nhiệm vụ. "
        "Có 44/45 đại biểu đồng ý xếp loại Đảng bộ tỉnh hoàn thành tốt nhiệm vụ năm 2023."
    )
    assert len(result["ratings"]) == 1


def test_vote_names_its_unit_with_the_province():
    result = extract_article(
        "Ban Chấp hành Đảng bộ tỉnh Hậu Giang họp.\n41/42 đại biểu đồng ý xếp loại Đảng "
        "bộ tỉnh hoàn thành tốt nhiệm vụ năm 2023."
    )
    assert result["votes"][0]["unit"] == "Đảng bộ tỉnh Hậu Giang"


def test_more_votes_than_present_is_not_a_vote():
    assert votes("Có 50/49 đại biểu đồng ý xếp loại Đảng bộ tỉnh hoàn thành tốt nhiệm vụ năm 2023.") == []


def test_task_ratios_and_dates_are_not_votes():
    text = (
        "Ngày 21/01 và ngày 15/02/2024, Tỉnh ủy đánh giá đã hoàn thành 16/16 nhiệm vụ, đạt 20/22 chỉ tiêu; "
        "tập thể Ban Thường vụ hoàn thành tốt nhiệm vụ năm 2023."
    )
    assert votes(text) == []


def test_vote_evidence_is_quoted_from_the_normalized_text():
    text = "Hội nghị ghi nhận 36/37 ủy viên có mặt tán thành xếp loại Đảng bộ tỉnh “hoàn thành tốt nhiệm vụ” năm 2023."
    [vote] = extract_article(text)["votes"]
    assert vote["evidence"] in normalize_text(text)
    assert vote["evidence"].startswith("36/37") and vote["evidence"].endswith("năm 2023")
