"""The canonical text that every evidence quote is taken from."""
import unicodedata

from ratings.extraction import normalize_text
from ratings.extraction.sentences import Sentences


def test_decomposed_input_is_composed():
    decomposed = unicodedata.normalize("NFD", "Đảng bộ xã Tân Hưng")
    assert normalize_text(decomposed) == "Đảng bộ xã Tân Hưng"


def test_odd_spaces_zero_width_and_crlf_become_plain():
    text = "Chi bộ\u00a0ấp\u2009Một\u200b đạt\r\nkết quả\u3000tốt"
    assert normalize_text(text) == "Chi bộ ấp Một đạt\nkết quả tốt"


def test_typographic_quotes_and_dashes_become_ascii():
    text = "xếp loại “Hoàn thành tốt nhiệm vụ” – theo «kết luận» của ‘Tỉnh ủy’"
    assert normalize_text(text) == "xếp loại \"Hoàn thành tốt nhiệm vụ\" - theo \"kết luận\" của 'Tỉnh ủy'"


def test_old_tone_placement_moves_to_the_first_vowel():
    assert normalize_text("Tỉnh uỷ Khánh Hoà và Thanh Hoá, sức khoẻ") == "Tỉnh ủy Khánh Hòa và Thanh Hóa, sức khỏe"


def test_tone_placement_leaves_closed_syllables_and_qu_alone():
    assert normalize_text("hoàn thành quý báu") == "hoàn thành quý báu"


def test_blank_lines_collapse_to_one_paragraph_break():
    assert normalize_text("  Dòng một  \n\n\n\n  Dòng   hai ") == "Dòng một\n\nDòng hai"


def test_normalizing_twice_changes_nothing():
    once = normalize_text("Tỉnh uỷ\u00a0“HTXSNV”\r\n\r\n\r\nÐảng bộ")
    assert normalize_text(once) == once


def test_lower_case_keeps_every_offset():
    text = normalize_text("İSTANBUL VÀ ĐẢNG BỘ TỈNH")
    assert len(text.lower()) == len(text)


def test_sentences_do_not_break_after_abbreviations_or_thousands():
    text = "Đoàn công tác làm việc tại TP. Cần Thơ với 1.532 đảng viên. Hội nghị kết thúc."
    spans = [text[s.start : s.end] for s in Sentences(text).items]
    assert spans == ["Đoàn công tác làm việc tại TP. Cần Thơ với 1.532 đảng viên.", "Hội nghị kết thúc."]


def test_sentences_end_at_line_breaks():
    text = "Các nội dung: A;\nB; C."
    sentences = Sentences(text).items
    assert [text[s.start : s.end] for s in sentences] == ["Các nội dung: A;", "B; C."]
    assert sentences[0].last_in_paragraph
