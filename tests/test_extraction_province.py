"""The province an article names, and the table of provinces before and after 2025."""
from ratings.extraction import PROVINCES, canonical_province, extract_article, successor_of


def province(text: str, **fallbacks) -> str | None:
    return extract_article(text, **fallbacks)["province"]


def test_the_table_holds_63_units_before_and_34_after_the_merger():
    assert sum(p.before_merger for p in PROVINCES.values()) == 63
    assert sum(p.after_merger for p in PROVINCES.values()) == 34
    assert sum(p.after_merger and p.city for p in PROVINCES.values()) == 6


def test_merged_provinces_point_to_their_successor():
    assert successor_of("Trà Vinh") == successor_of("Bến Tre") == "Vĩnh Long"
    assert successor_of("Sóc Trăng") == successor_of("Hậu Giang") == "Cần Thơ"
    assert successor_of("Bình Phước") == "Đồng Nai"
    assert successor_of("Thừa Thiên Huế") == "Huế"
    assert successor_of("Nghệ An") == "Nghệ An"


def test_every_successor_is_a_unit_after_the_merger():
    assert all(PROVINCES[p.successor].after_merger for p in PROVINCES.values())


def test_province_named_with_tinh():
    assert province("Hội nghị tổng kết\nĐoàn công tác làm việc tại tỉnh Bạc Liêu.") == "Bạc Liêu"


def test_province_named_by_its_party_committee():
    assert province("Hội nghị Tỉnh ủy lần thứ 12\nBan Thường vụ Tỉnh ủy Quảng Ngãi chủ trì.") == "Quảng Ngãi"


def test_centrally_run_city_written_in_short():
    assert province("Thành ủy TP.HCM họp phiên thường kỳ\nNội dung.") == "Hồ Chí Minh"
    assert province("Hội nghị cán bộ chủ chốt\nTại TP. Cần Thơ, hội nghị diễn ra.") == "Cần Thơ"


def test_spelling_variants_resolve_to_one_name():
    assert province(
        "Hội nghị tổng kết năm\nTỉnh uỷ Khánh Hoà và tỉnh Bà Rịa–Vũng Tàu ký "
        "kết; Tỉnh ủy Khánh Hòa chủ trì."
    ) == "Khánh Hòa"


def test_province_in_capitals():
    assert province("HỘI NGHỊ BAN CHẤP HÀNH ĐẢNG BỘ TỈNH TRÀ VINH\nNội dung.") == "Trà Vinh"


def test_bare_name_counts_in_the_headline():
    assert province("Sóc Trăng tổng kết công tác xây dựng Đảng năm 2023\nNội dung.") == "Sóc Trăng"


def test_most_named_province_wins():
    text = (
        "Hội nghị giao ban khu vực\nĐoàn tỉnh Hậu Giang thăm tỉnh Sóc Trăng. Tỉnh ủy "
        "Sóc Trăng chủ trì; tỉnh Sóc Trăng đăng cai."
    )
    assert province(text) == "Sóc Trăng"


def test_abbreviations_and_peoples_names_are_not_provinces():
    text = (
        "Hội nghị lần thứ 9 Ban Chấp hành\n(BNP) - Đồng chí Trần Thái Bình, "
        "Bí thư Tỉnh ủy, phát biểu về chiến thắng Điện Biên Phủ."
    )
    assert province(text) is None


def test_fallback_applies_only_when_the_text_names_no_province():
    assert province("Hội nghị lần thứ 9 Ban Chấp hành\nNội dung.", province="tỉnh trà vinh") == "Trà Vinh"
    assert province("Hội nghị Tỉnh ủy Long An\nNội dung.", province="Trà Vinh") == "Long An"


def test_unknown_fallback_is_kept_as_typed():
    assert canonical_province("  Tỉnh Mới  ") == "Tỉnh Mới"
