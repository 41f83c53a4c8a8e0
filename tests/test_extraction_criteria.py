"""Per-content grades of a provincial self-assessment."""
from ratings.extraction import extract_article, normalize_text


def criteria(text: str, **fallbacks) -> list[tuple]:
    return [(c["grade"], c["content"]) for c in extract_article(text, **fallbacks)["criteria"]]


def test_list_after_a_grade_statement_gives_one_entry_per_content():
    text = (
        "Tỉnh ủy Đồng Tháp tự đánh giá năm 2023\n"
        "Theo đó, Ban Chấp hành tự đánh giá ở cấp độ hoàn thành xuất sắc (thang 04 cấp độ: xuất sắc, tốt, "
        "trung bình, kém) đối với những nội dung: công tác chính trị, tư tưởng; công tác kiểm tra, giám sát; "
        "công tác dân vận."
    )
    assert criteria(text) == [
        ("xuat_sac", "công tác chính trị, tư tưởng"),
        ("xuat_sac", "công tác kiểm tra, giám sát"),
        ("xuat_sac", "công tác dân vận"),
    ]


def test_scale_in_parentheses_is_not_four_grades():
    text = (
        "Đảng bộ tỉnh năm 2023\nTự đánh giá cấp độ tốt (có 04 cấp độ: xuất sắc, tốt, "
        "trung bình, kém) đối với nội dung: công tác cán bộ."
    )
    assert criteria(text) == [("tot", "công tác cán bộ")]


def test_list_runs_on_across_paragraphs_ending_in_semicolons():
    text = (
        "Đảng bộ tỉnh tự đánh giá năm 2024\n"
        "Tự đánh giá cấp độ xuất sắc đối với các nội dung: công tác tuyên giáo; công tác tổ chức;\n"
        "công tác nội chính; công tác đối ngoại.\n"
        "Hội nghị cũng bàn các nhiệm vụ khác; không liên quan."
    )
    assert [content for _, content in criteria(text)] == [
        "công tác tuyên giáo", "công tác tổ chức", "công tác nội chính", "công tác đối ngoại",
    ]


def test_bulleted_list_after_a_colon():
    text = (
        "Đảng bộ tỉnh tự đánh giá năm 2024\n"
        "Tự đánh giá cấp độ tốt đối với các nội dung sau:\n"
        "- Kết quả thực hiện nhiệm vụ trọng tâm;\n"
        "- Kết quả thực hiện chỉ tiêu kinh tế - xã hội.\n"
        "Đây là năm thứ hai tỉnh thực hiện việc tự đánh giá."
    )
    assert criteria(text) == [
        ("tot", "Kết quả thực hiện nhiệm vụ trọng tâm"),
        ("tot", "Kết quả thực hiện chỉ tiêu kinh tế - xã hội"),
    ]


def test_single_content_after_the_grade():
    text = "Đảng bộ tỉnh năm 2023\nBan Chấp hành tự đánh giá cấp độ hoàn thành tốt việc khắc phục tồn tại sau kiểm tra."
    [entry] = extract_article(text)["criteria"]
    assert (entry["grade"], entry["content"], entry["year"]) == ("tot", "việc khắc phục tồn tại sau kiểm tra", 2023)
    assert entry["evidence"] in normalize_text(text)


def test_content_named_before_its_grade():
    text = "Đảng bộ tỉnh năm 2024\nVề công tác phòng, chống tham nhũng, Tỉnh ủy tự đánh giá ở cấp độ trung bình."
    assert criteria(text) == [("trung_binh", "công tác phòng, chống tham nhũng")]


def test_two_grade_statements_split_the_contents_between_them():
    text = (
        "Đảng bộ tỉnh năm 2023\n"
        "Tự đánh giá cấp độ xuất sắc đối với nội dung: công tác cán bộ; công tác dân vận. "
        "Tự đánh giá cấp độ kém đối với nội dung: chỉ số cải cách hành chính."
    )
    assert criteria(text) == [
        ("xuat_sac", "công tác cán bộ"), ("xuat_sac", "công tác dân vận"), ("kem", "chỉ số cải cách hành chính"),
    ]


def test_criteria_belong_to_the_provincial_organization():
    text = "Hội nghị Tỉnh ủy Vĩnh Long năm 2024\nTỉnh ủy tự đánh giá cấp độ tốt đối với nội dung: công tác dân vận."
    assert extract_article(text)["criteria"][0]["unit"] == "Đảng bộ tỉnh Vĩnh Long"


def test_ordinary_good_results_are_not_grades():
    text = (
        "Hội nghị năm 2023\nChất lượng sinh hoạt chi bộ được đánh giá ở mức tốt; hội nghị đạt "
        "kết quả tốt; đánh giá mức hoàn thành tốt nhiệm vụ."
    )
    assert criteria(text) == []
