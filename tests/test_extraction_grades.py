"""Per-content grades written as a self-assessment "ở mức"/"đạt mức", and grade words that are prose."""
import pytest

from ratings.extraction import extract_article


def criteria(text: str) -> list[tuple]:
    return [(c["year"], c["grade"], c["content"]) for c in extract_article(text)["criteria"]]


def test_content_named_first_then_its_self_assessed_grade():
    text = (
        "Tỉnh ủy Bến Tre tự đánh giá năm 2024\n"
        "Về công tác chính trị, tư tưởng: tự đánh giá đạt mức xuất sắc. "
        "Về công tác tổ chức, cán bộ: tự đánh giá đạt mức tốt."
    )
    assert criteria(text) == [
        (2024, "xuat_sac", "công tác chính trị, tư tưởng"),
        (2024, "tot", "công tác tổ chức, cán bộ"),
    ]


def test_self_assessed_grade_then_the_listed_contents():
    text = (
        "Tỉnh ủy Bến Tre tự đánh giá năm 2024\n"
        "Ban Chấp hành tự đánh giá ở mức xuất sắc đối với các nội dung: công tác dân vận; công tác nội chính."
    )
    assert criteria(text) == [(2024, "xuat_sac", "công tác dân vận"), (2024, "xuat_sac", "công tác nội chính")]


@pytest.mark.parametrize(
    "sentence",
    [
        "Năm 2023, công tác cán bộ được đánh giá ở mức tốt; tỉnh xếp hạng chỉ số PCI ở mức khá.",
        "Chất lượng sinh hoạt chi bộ được nâng lên, nhiều chi bộ đạt mức tốt.",
        "Ban Thường vụ Tỉnh ủy tự đánh giá ở mức hoàn thành tốt nhiệm vụ năm 2023.",
    ],
)
def test_grade_words_in_prose_are_not_criteria(sentence):
    assert criteria(f"Hội nghị Tỉnh ủy\n{sentence}") == []
