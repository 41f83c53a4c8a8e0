import pytest
from django.urls import reverse

from ratings.models import Rating, Tally, TallyCount, UnitKind

ADD_RATING = reverse("admin:ratings_rating_add")
ADD_TALLY = reverse("admin:ratings_tally_add")


@pytest.fixture
def province(make_unit):
    return make_unit("BP", name="Đảng bộ tỉnh Thử Nghiệm")


def rating_post(unit, **overrides):
    data = {"unit": unit.pk, "year": 2023, "stage": "approved", "level": "HTTNV", "note": "", "evidence": ""}
    data.update(overrides)
    return data


def page_text(response):
    return response.content.decode()


def test_added_rating_is_listed_with_its_badge(admin_client, scales, province):
    response = admin_client.post(ADD_RATING, rating_post(province, votes_for=48, votes_present=49), follow=True)
    assert response.status_code == 200
    rating = Rating.objects.get()
    assert (rating.level.code, rating.regime.code) == ("HTTNV", "qd124")
    listing = page_text(admin_client.get(reverse("admin:ratings_rating_changelist")))
    assert "Đảng bộ tỉnh Thử Nghiệm" in listing
    assert 'class="level-badge level-qd124-HTTNV"' in listing and ">HTTNV<" in listing
    assert "48/49" in listing


def test_duplicate_rating_shows_message_and_saves_nothing(admin_client, rate, province):
    rate(province, 2023, "HTTNV")
    response = admin_client.post(ADD_RATING, rating_post(province, level="HTNV"))
    assert response.status_code == 200
    assert "đã có kết quả xếp loại ở bước này trong năm này" in page_text(response)
    assert Rating.objects.count() == 1


def test_votes_above_present_show_message_and_save_nothing(admin_client, scales, province):
    response = admin_client.post(ADD_RATING, rating_post(province, votes_for=50, votes_present=49))
    assert "Số phiếu đồng ý (50) không thể lớn hơn số người có mặt (49)" in page_text(response)
    assert not Rating.objects.exists()


def test_level_outside_the_years_scale_shows_message_and_saves_nothing(admin_client, scales, province):
    response = admin_client.post(ADD_RATING, rating_post(province, level="TSVM"))
    text = page_text(response)
    assert "Mức «TSVM» không thuộc thang xếp loại năm 2023" in text
    assert "Quy định 124-QĐ/TW" in text
    assert not Rating.objects.exists()


def test_old_scale_level_is_accepted_for_an_old_year(admin_client, scales, province):
    admin_client.post(ADD_RATING, rating_post(province, year=2012, level="TSVM"))
    assert Rating.objects.get().level_id == "hd20:TSVM"


def test_negative_vote_count_shows_message_and_saves_nothing(admin_client, scales, province):
    response = admin_client.post(ADD_RATING, rating_post(province, votes_for=-3, votes_present=49))
    assert response.status_code == 200
    assert 'id="id_votes_for"' in page_text(response) and "errorlist" in page_text(response)
    assert not Rating.objects.exists()


def test_score_above_what_it_admits_shows_message(admin_client, scales, province):
    response = admin_client.post(ADD_RATING, rating_post(province, year=2025, level="HTXSNV", score="85"))
    assert "Với 85 điểm" in page_text(response)
    assert not Rating.objects.exists()


def test_quota_warning_when_a_peer_group_breaks_the_rule(admin_client, rate, province, make_unit):
    districts = [make_unit(f"D{i}", parent=province) for i in range(8)]
    for district in districts[:5]:
        rate(district, 2023, "HTTNV")
    rate(districts[5], 2023, "HTXSNV")
    response = admin_client.post(ADD_RATING, rating_post(districts[6], level="HTXSNV"), follow=True)
    text = page_text(response)
    assert Rating.objects.filter(level__code="HTXSNV").count() == 2
    assert "vượt tỷ lệ" in text
    assert "2 đơn vị Hoàn thành xuất sắc nhiệm vụ, trong khi tối đa là 1" in text
    assert "5 đơn vị Hoàn thành tốt nhiệm vụ" in text


def test_no_quota_warning_within_the_limit(admin_client, rate, province, make_unit):
    districts = [make_unit(f"D{i}", parent=province) for i in range(6)]
    for district in districts[:5]:
        rate(district, 2023, "HTTNV")
    response = admin_client.post(ADD_RATING, rating_post(districts[5], level="HTXSNV"), follow=True)
    assert "vượt tỷ lệ" not in page_text(response)


def tally_post(parent, **overrides):
    data = {
        "parent": parent.pk, "year": 2023, "group": "các đảng bộ trực thuộc", "subject": "collective",
        "member_kind": UnitKind.SUBORDINATE, "stage": "self", "evidence": "",
    }
    data.update(overrides)
    return data


def test_tally_form_has_a_field_per_level_of_the_years_scale(admin_client, scales):
    text = page_text(admin_client.get(ADD_TALLY + "?year=2023"))
    for code in ("HTXSNV", "HTTNV", "HTNV", "KHTNV"):
        assert f'name="count_{code}"' in text
    assert 'name="count_TSVM"' not in text
    old = page_text(admin_client.get(ADD_TALLY + "?year=2010"))
    assert 'name="count_TSVM"' in old and 'name="count_HTXSNV"' not in old


def test_tally_is_saved_with_counts_and_listed_with_its_total(admin_client, scales, province):
    data = tally_post(province, count_HTXSNV=2, count_HTTNV=14, count_HTNV=1)
    admin_client.post(ADD_TALLY, data, follow=True)
    tally = Tally.objects.get()
    assert {c.level.code: c.count for c in tally.counts.all()} == {"HTXSNV": 2, "HTTNV": 14, "HTNV": 1}
    listing = page_text(admin_client.get(reverse("admin:ratings_tally_changelist")))
    assert '<td class="field-counted_total">17</td>' in listing


def test_tally_breaking_the_quota_warns_and_is_marked_in_the_list(admin_client, scales, province):
    response = admin_client.post(ADD_TALLY, tally_post(province, count_HTXSNV=4, count_HTTNV=14, count_HTNV=1), follow=True)
    assert "4 đơn vị Hoàn thành xuất sắc nhiệm vụ, trong khi tối đa là 2" in page_text(response)
    listing = page_text(admin_client.get(reverse("admin:ratings_tally_changelist")))
    assert 'class="quota-broken"' in listing


def test_tally_with_negative_count_shows_message_and_saves_nothing(admin_client, scales, province):
    response = admin_client.post(ADD_TALLY, tally_post(province, count_HTXSNV=-1, count_HTTNV=14))
    assert response.status_code == 200 and "errorlist" in page_text(response)
    assert not Tally.objects.exists() and not TallyCount.objects.exists()


def test_tally_counts_above_stated_total_are_refused(admin_client, scales, province):
    response = admin_client.post(ADD_TALLY, tally_post(province, count_HTTNV=14, count_HTNV=3, total=15))
    assert "Tổng các mức (17) lớn hơn tổng số nêu trong nguồn (15)" in page_text(response)
    assert not Tally.objects.exists()


def test_tally_level_outside_the_years_scale_is_refused(admin_client, scales, province):
    response = admin_client.post(ADD_TALLY, tally_post(province, year=2010, count_HTXSNV=3))
    assert "Mức HTXSNV không thuộc thang xếp loại năm 2010" in page_text(response)
    assert not Tally.objects.exists()


def test_unit_list_is_tree_ordered_and_filters_by_province(admin_client, make_unit):
    a, b = make_unit("A", name="Đảng bộ tỉnh An"), make_unit("B", name="Đảng bộ tỉnh Bình")
    make_unit("A1", parent=a, name="Huyện ủy Một")
    make_unit("B1", parent=b, name="Huyện ủy Hai")
    text = page_text(admin_client.get(reverse("admin:ratings_unit_changelist") + f"?province={a.pk}"))
    assert "Huyện ủy Một" in text and "Huyện ủy Hai" not in text
    assert text.index("Đảng bộ tỉnh An") < text.index("Huyện ủy Một")


def test_rating_list_filters_by_year_level_kind_province_and_stage(admin_client, rate, province, make_unit):
    district = make_unit("D", parent=province, name="Huyện ủy Lọc")
    rate(province, 2023, "HTTNV", stage="self")
    rate(district, 2024, "HTXSNV")
    url = reverse("admin:ratings_rating_changelist")
    query = f"?year=2024&level=HTXSNV&unit__kind__exact=dang_bo_truc_thuoc&province={province.pk}&stage__exact=approved"
    text = page_text(admin_client.get(url + query))
    assert '<a href="/admin/ratings/rating/' in text
    assert text.count('<td class="field-year">') == 1
    assert '<td class="field-year">2024</td>' in text and "Huyện ủy Lọc" in text


def test_unit_autocomplete_finds_units_by_name(admin_client, province):
    response = admin_client.get(
        reverse("admin:autocomplete"),
        {"term": "Thử", "app_label": "ratings", "model_name": "rating", "field_name": "unit"},
    )
    assert [r["text"] for r in response.json()["results"]] == ["Đảng bộ tỉnh Thử Nghiệm"]


def test_admin_speaks_vietnamese_by_default(admin_client, scales):
    text = page_text(admin_client.get(reverse("admin:ratings_rating_add")))
    assert "Thêm kết quả xếp loại" in text


def test_rating_list_of_a_year_warns_of_each_group_over_the_quota(admin_client, rate, province, make_unit):
    districts = [make_unit(f"D{i}", parent=province) for i in range(6)]
    for district in districts[:4]:
        rate(district, 2024, "HTTNV", stage="self")
    rate(districts[4], 2024, "HTXSNV", stage="self")
    rate(districts[5], 2024, "HTXSNV", stage="self")
    url = reverse("admin:ratings_rating_changelist")
    text = page_text(admin_client.get(url + "?year=2024"))
    assert "thuộc Đảng bộ tỉnh Thử Nghiệm, năm 2024 (Tự đánh giá) vượt tỷ lệ" in text
    assert "2 đơn vị Hoàn thành xuất sắc nhiệm vụ, trong khi tối đa là 0" in text
    assert "vượt tỷ lệ" not in page_text(admin_client.get(url + "?year=2023"))


def test_ballots_of_one_meeting_cannot_add_up_past_those_present(admin_client, scales, province):
    from ratings.models import Vote

    Vote.objects.create(unit=province, year=2023, level_id="qd124:HTTNV", votes_for=48, present=49)
    response = admin_client.post(
        reverse("admin:ratings_vote_add"),
        {"unit": province.pk, "year": 2023, "level": "HTXSNV", "votes_for": 2, "present": 49, "evidence": ""},
    )
    assert "Các phiếu của cùng hội nghị cộng lại (50) vượt số người có mặt (49)" in page_text(response)
    assert Vote.objects.count() == 1
