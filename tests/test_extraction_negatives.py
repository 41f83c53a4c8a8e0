"""Texts full of numbers and duty phrases that state no rating figure."""
import pytest

from ratings.extraction import extract_article


def nothing(text: str) -> bool:
    result = extract_article(text)
    return not (result["ratings"] or result["tallies"] or result["votes"] or result["criteria"])


@pytest.mark.parametrize(
    "sentence",
    [
        "Năm 2023, Đảng bộ huyện đạt kết quả tốt, hoàn thành 18/20 chỉ tiêu, thu ngân sách 5,8 tỷ đồng.",
        "Thực hiện Quy định 124-QĐ/TW ngày 2/2/2018 của Ban Bí thư, Mặt trận đã giám sát 45 tổ chức đảng và 312 đảng viên.",
        "Năm 2023, toàn tỉnh đã kiểm điểm 2.325 tập thể và 39.700 đảng viên; 100% tổ chức đảng kiểm điểm đúng quy định.",
        "Năm 2023, Ủy ban Kiểm tra Tỉnh ủy đã kiểm tra 12 tổ chức đảng, thi hành kỷ luật 3 tổ chức đảng và 25 đảng viên.",
        "Các đồng chí Tỉnh ủy viên đã có 218 lượt đi dự sinh hoạt chi bộ; cấp huyện có 1.532 lượt.",
        "Tính đến ngày 29/3/2024, các Đảng bộ đã vận động được trên 5,8 tỷ đồng, hỗ trợ 1.068 đảng viên vay vốn.",
        "Hội nghị có 52/55 đại biểu tham dự; thông qua Nghị quyết 05/NQ-TU ngày 21/01/2024 với 100% đại biểu tán thành.",
        "Năm 2023, tỉnh đã hoàn thành 20/22 chỉ tiêu chủ yếu; 16/16 nhiệm vụ trọng tâm hoàn thành tốt.",
        "Năm 2023, 100% cán bộ, công chức hoàn thành nhiệm vụ được giao.",
        "Năm 2023, Đảng bộ tỉnh lãnh đạo hoàn thành xuất sắc nhiệm vụ chính trị, tăng trưởng đạt 8,2%.",
        "Năm 2023, lực lượng vũ trang tỉnh hoàn thành xuất sắc nhiệm vụ; 35 đơn vị hoàn thành xuất sắc nhiệm vụ huấn luyện.",
        "Năm 2023, Ban Thường vụ Tỉnh ủy đã kiểm tra 15 tổ chức đảng hoàn thành tốt nhiệm vụ kiểm tra, giám sát.",
        "Năm 2023, Tỉnh ủy tặng Bằng khen cho 25 tổ chức cơ sở đảng hoàn thành xuất sắc nhiệm vụ tiêu biểu.",
        "Năm 2023, biểu dương 120 đảng viên hoàn thành xuất sắc nhiệm vụ tiêu biểu 5 năm liền.",
        "Năm 2023, tỉnh đã củng cố, kiện toàn 14 tổ chức cơ sở đảng hoàn thành nhiệm vụ ở mức thấp.",
        "Tỉnh ủy sẽ tổ chức kiểm điểm, đánh giá, xếp loại chất lượng năm 2023 đối với 19 đảng bộ trực thuộc.",
        "Trong 3 năm (2021-2023), bình quân mỗi năm có 40 tổ chức hoàn thành xuất sắc nhiệm vụ.",
    ],
)
def test_sentences_without_rating_figures(sentence):
    assert nothing(f"Tin hội nghị\n{sentence}")


def test_a_meeting_report_full_of_numbers():
    text = (
        "Hội nghị giao ban quý I/2024\n"
        "Chiều 12/4, Thường trực Tỉnh ủy tổ chức hội nghị giao ban với 11 huyện ủy, thị ủy, thành ủy.\n"
        "Trong quý, các cấp ủy đã kết nạp 412 đảng viên, đạt 27,5% kế hoạch năm; rà soát 2.140 tập thể và "
        "35.600 đảng viên theo Nghị quyết Trung ương 4 khóa XII.\n"
        "Toàn tỉnh có 1.986 mô hình tập thể, 727 mô hình cá nhân; MTTQ phản biện 5 dự thảo.\n"
        "Hội nghị thống nhất các nhiệm vụ trọng tâm quý II, phấn đấu hoàn thành xuất sắc nhiệm vụ năm 2024."
    )
    assert nothing(text)
