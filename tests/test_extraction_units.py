"""Named units of every kind, with names that hold capitalised common words."""
import pytest

from ratings.extraction import extract_article


def rating(text: str, **fallbacks) -> tuple:
    [found] = extract_article(text, **fallbacks)["ratings"]
    return found["unit"], found["unit_kind"]


@pytest.mark.parametrize(
    ("unit", "kind"),
    [
        ("Đảng ủy Khối các cơ quan tỉnh", "dang_bo_truc_thuoc"),
        ("Đảng ủy Khối Doanh nghiệp tỉnh", "dang_bo_truc_thuoc"),
        ("Huyện ủy Lộc Ninh", "dang_bo_truc_thuoc"),
        ("Thị ủy Bình Long", "dang_bo_truc_thuoc"),
        ("Thành ủy Đồng Xoài", "dang_bo_truc_thuoc"),
        ("Đảng bộ thành phố Đồng Xoài", "dang_bo_truc_thuoc"),
        ("Đảng bộ quận Ninh Kiều", "dang_bo_truc_thuoc"),
        ("Đảng đoàn HĐND tỉnh", "dang_doan"),
        ("Đảng đoàn Mặt trận Tổ quốc Việt Nam tỉnh", "dang_doan"),
        ("Ban cán sự đảng UBND tỉnh", "ban_can_su"),
        ("Ban cán sự đảng Tòa án nhân dân tỉnh", "ban_can_su"),
        ("Chi bộ thôn Bình Minh", "chi_bo"),
        ("Chi bộ ấp 3", "chi_bo"),
        ("Chi bộ Trường THPT Lê Quý Đôn", "chi_bo"),
        ("Đảng bộ xã Tân Tiến", "to_chuc_co_so_dang"),
        ("Đảng ủy phường 5", "to_chuc_co_so_dang"),
        ("Đảng bộ cơ sở Công ty Cao su Đồng Phú", "to_chuc_co_so_dang"),
        ("Ban Thường vụ Huyện ủy Lộc Ninh", "ban_thuong_vu"),
        ("Ban Thường vụ Đảng ủy Khối các cơ quan tỉnh", "ban_thuong_vu"),
        ("Ban Chấp hành Đảng bộ tỉnh", "dang_bo_tinh"),
        ("Đảng bộ Quân sự tỉnh", "dang_bo_truc_thuoc"),
        ("Đảng ủy Công an tỉnh", "dang_bo_truc_thuoc"),
        ("Đảng bộ Bộ đội Biên phòng tỉnh", "dang_bo_truc_thuoc"),
    ],
)
def test_unit_name_and_kind(unit, kind):
    assert rating(f"Năm 2023, {unit} được xếp loại hoàn thành xuất sắc nhiệm vụ.") == (unit, kind)


def test_commune_after_the_two_level_reform_is_under_the_province():
    assert rating("Năm 2025, Đảng ủy phường Tân Định được xếp loại hoàn thành tốt nhiệm vụ.")[1] == "dang_bo_truc_thuoc"


@pytest.mark.parametrize(
    ("unit", "year"),
    [("Đảng bộ TP. Cần Thơ", 2023), ("Đảng bộ thành phố Hà Nội", 2023), ("Thành ủy Huế", 2025)],
)
def test_centrally_run_city_is_provincial(unit, year):
    assert rating(f"Năm {year}, {unit} được xếp loại hoàn thành tốt nhiệm vụ.")[1] == "dang_bo_tinh"


def test_provincial_organization_named_by_its_committee_takes_the_province_name():
    assert rating("Năm 2023, Tỉnh ủy Bình Phước được Bộ Chính trị xếp loại hoàn thành tốt nhiệm vụ.") == (
        "Đảng bộ tỉnh Bình Phước", "dang_bo_tinh",
    )


def test_unit_in_an_old_tone_spelling():
    assert rating("Năm 2023, Đảng uỷ Khối các cơ quan tỉnh được xếp loại hoàn thành tốt nhiệm vụ.") == (
        "Đảng ủy Khối các cơ quan tỉnh", "dang_bo_truc_thuoc",
    )


@pytest.mark.parametrize(
    "sentence",
    [
        "Năm 2023, Công an tỉnh được xếp loại hoàn thành xuất sắc nhiệm vụ.",
        "Năm 2023, các chi bộ trực thuộc đều được xếp loại hoàn thành tốt nhiệm vụ.",
        "Năm 2023, Phó Bí thư Tỉnh ủy Lê Văn Hai được xếp loại hoàn thành xuất sắc nhiệm vụ.",
    ],
)
def test_non_party_bodies_plural_groups_and_persons_are_not_rated_units(sentence):
    assert extract_article(sentence)["ratings"] == []
