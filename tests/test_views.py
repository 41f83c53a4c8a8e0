import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from ratings.models import Rating, Unit, UnitKind

DASHBOARD = reverse("ratings:dashboard")
PAGES = [DASHBOARD, reverse("ratings:compare_years"), reverse("ratings:compare_units"), reverse("ratings:compare_provinces")]


@pytest.mark.parametrize("url", PAGES + ["/units/X/"])
def test_pages_require_login(client, db, url):
    response = client.get(url)
    assert response.status_code == 302 and response["Location"].startswith("/login/?next=")


def counts_of(distribution):
    return {row.kind: dict(row.counts) for row in distribution.rows}


def test_dashboard_counts_equal_the_stored_ratings_of_the_fixtures(admin_client, reference_data):
    for year in (2023, 2024):
        for stage in ("approved", "self"):
            context = admin_client.get(DASHBOARD, {"year": year, "stage": stage}).context
            expected = {}
            for rating in Rating.objects.filter(year=year, stage=stage).select_related("unit", "level"):
                kind_counts = expected.setdefault(rating.unit.kind, {})
                kind_counts[rating.level.code] = kind_counts.get(rating.level.code, 0) + 1
            assert counts_of(context["figures"]["distribution"]) == expected


def test_dashboard_shows_the_reported_tallies_marked_as_reported(admin_client, reference_data):
    text = admin_client.get(DASHBOARD, {"year": 2023}).content.decode()
    assert "Số liệu tổng hợp do bài viết báo cáo" in text
    assert "đảng bộ, ban thường vụ các đảng ủy trực thuộc Tỉnh ủy" in text


@pytest.fixture
def two_years(rate, make_unit):
    """Five districts rated in 2023 and 2024, one new in 2024."""
    province = make_unit("P", name="Đảng bộ tỉnh Mẫu")
    d = [make_unit(f"D{i}", parent=province, name=f"Huyện ủy {i}") for i in range(6)]
    moves = [("HTTNV", "HTXSNV"), ("HTTNV", "HTTNV"), ("HTTNV", "HTTNV"), ("HTNV", "HTTNV"), ("HTXSNV", "HTNV")]
    for unit, (before, after) in zip(d, moves):
        rate(unit, 2023, before)
        rate(unit, 2024, after)
    rate(d[5], 2024, "KHTNV")
    return province


def test_transition_matrix_of_two_years_is_exact(admin_client, two_years):
    matrix = admin_client.get(reverse("ratings:compare_years"), {"year": 2024}).context["matrix"]
    assert [level.code for level in matrix.levels] == ["HTXSNV", "HTTNV", "HTNV", "KHTNV"]
    rows = {(prev.code if prev else None): counts for prev, counts in matrix.rows}
    assert rows == {
        "HTXSNV": [0, 0, 1, 0],
        "HTTNV": [1, 2, 0, 0],
        "HTNV": [0, 1, 0, 0],
        "KHTNV": [0, 0, 0, 0],
        None: [0, 0, 0, 1],
    }
    assert matrix.column_totals == [1, 3, 1, 1]


def test_dashboard_table_shows_last_years_level_and_the_change(admin_client, two_years):
    table = admin_client.get(DASHBOARD, {"year": 2024}).context["table"]
    changes = {row.record.unit.code: (row.record.previous_code, row.record.change) for row in table.rows}
    assert changes["D0"] == ("HTTNV", "up")
    assert changes["D4"] == ("HTXSNV", "down")
    assert changes["D1"] == ("HTTNV", "same")
    assert changes["D5"] == (None, "new")


def test_dashboard_filters_on_change_kind_and_level(admin_client, two_years):
    table = admin_client.get(DASHBOARD, {"year": 2024, "change": "changed"}).context["table"]
    assert sorted(r.record.unit.code for r in table.rows) == ["D0", "D3", "D4"]
    table = admin_client.get(DASHBOARD, {"year": 2024, "level": "HTTNV", "kind": "dang_bo_truc_thuoc"}).context["table"]
    assert sorted(r.record.unit.code for r in table.rows) == ["D1", "D2", "D3"]


def test_dashboard_sorts_by_level(admin_client, two_years):
    table = admin_client.get(DASHBOARD, {"year": 2024, "sort": "level"}).context["table"]
    assert [r.record.level.code for r in table.rows][:2] == ["HTXSNV", "HTTNV"]


def peer_group(make_unit, rate, *, good, excellent, year=2023):
    """A province whose committees are rated `good` times HTTNV and `excellent` times HTXSNV."""
    province = make_unit("P", name="Đảng bộ tỉnh Mẫu")
    for i, code in enumerate(["HTTNV"] * good + ["HTXSNV"] * excellent):
        rate(make_unit(f"D{i}", parent=province), year, code)
    return province


def test_dashboard_quota_breach_is_shown_with_its_numbers(admin_client, rate, make_unit):
    province = peer_group(make_unit, rate, good=5, excellent=2)
    response = admin_client.get(DASHBOARD, {"year": 2023})
    assert response.context["figures"]["quota_breach_count"] == 1
    group, parent = response.context["figures"]["quota_breaches"][0]
    assert (group.check.excellent, group.check.good, group.check.limit, parent) == (2, 5, 1, province)
    assert 'class="breach"' in response.content.decode()


def distribution_queries(client, **params):
    with CaptureQueriesContext(connection) as captured:
        context = client.get(DASHBOARD, {"year": 2024, **params}).context
    # Counted from the ratings, or summed from the counts the database keeps beside them.
    counted = [q for q in captured if "COUNT(" in q["sql"] or "ratings_ratingcount" in q["sql"]]
    return counts_of(context["figures"]["distribution"]), counted


def test_dashboard_counts_once_and_then_answers_from_memory(admin_client, two_years):
    first, counted = distribution_queries(admin_client)
    assert counted
    again, counted = distribution_queries(admin_client)
    assert (again, counted) == (first, [])


def test_dashboard_sees_a_changed_rating_at_its_next_request(admin_client, two_years, scales):
    from ratings.models import Level

    before, _ = distribution_queries(admin_client)
    rating = Rating.objects.get(unit__code="D1", year=2024)
    rating.level = Level.objects.get(regime=rating.regime, code="KHTNV")
    rating.save()
    after, counted = distribution_queries(admin_client)
    assert counted
    assert after["dang_bo_truc_thuoc"]["HTTNV"] == before["dang_bo_truc_thuoc"]["HTTNV"] - 1
    assert after["dang_bo_truc_thuoc"]["KHTNV"] == before["dang_bo_truc_thuoc"]["KHTNV"] + 1


def test_dashboard_sees_a_deleted_rating(admin_client, two_years):
    before, _ = distribution_queries(admin_client)
    Rating.objects.filter(unit__code="D5", year=2024).delete()
    after, _ = distribution_queries(admin_client)
    assert "KHTNV" in before["dang_bo_truc_thuoc"] and "KHTNV" not in after["dang_bo_truc_thuoc"]


def test_dashboard_sees_ratings_loaded_in_bulk_without_history(admin_client, two_years, make_unit):
    distribution_queries(admin_client)
    late = make_unit("LATE", parent=two_years, kind=UnitKind.GRASSROOTS)
    existing = Rating.objects.get(unit__code="D1", year=2024)
    Rating.objects.bulk_create([Rating(unit=late, year=2024, stage="approved", level=existing.level, regime=existing.regime)])
    after, _ = distribution_queries(admin_client)
    assert after["to_chuc_co_so_dang"] == {"HTTNV": 1}


def test_dashboard_sees_a_rating_stored_under_an_older_id(admin_client, two_years, make_unit):
    """A transaction that drew its ids first may commit last: the newest id alone would miss it."""
    late = make_unit("LATE", parent=two_years, kind=UnitKind.GRASSROOTS)
    level = Rating.objects.get(unit__code="D1", year=2024).level
    first = Rating.objects.order_by("pk").first()
    free_pk = first.pk
    first.delete()
    distribution_queries(admin_client)
    Rating.objects.create(pk=free_pk, unit=late, year=2024, stage="approved", level=level)
    after, _ = distribution_queries(admin_client)
    assert after["to_chuc_co_so_dang"] == {"HTTNV": 1}


def test_dashboard_sees_a_unit_moved_to_another_kind(admin_client, two_years):
    distribution_queries(admin_client)
    unit = Unit.objects.get(code="D5")
    unit.kind = UnitKind.GRASSROOTS
    unit.save()
    after, _ = distribution_queries(admin_client)
    assert after["to_chuc_co_so_dang"] == {"KHTNV": 1}


def test_quota_ratio_changed_in_the_scale_applies_at_once(admin_client, rate, make_unit):
    from ratings.models import Regime

    peer_group(make_unit, rate, good=5, excellent=1)
    before = admin_client.get(DASHBOARD, {"year": 2023})
    assert before.context["figures"]["quota_breach_count"] == 0 and 'class="breach"' not in before.content.decode()
    regime = Regime.objects.get(code="qd124")
    regime.quota_ratio = "0.1"
    regime.save()  # as the admin's scale form saves it
    after = admin_client.get(DASHBOARD, {"year": 2023})
    assert after.context["figures"]["quota_breach_count"] == 1 and 'class="breach"' in after.content.decode()


@pytest.fixture
def merger(rate, make_unit):
    """A district committee rated in 2023, merged into a commune committee rated from 2024."""
    province = make_unit("P", name="Đảng bộ tỉnh Mẫu")
    new = make_unit("NEW", parent=province, name="Đảng ủy xã Hợp Nhất", valid_from=2024)
    old = make_unit("OLD", parent=province, name="Huyện ủy Cũ", valid_to=2023, successor=new)
    rate(old, 2023, "HTTNV")
    rate(new, 2024, "HTXSNV")


def test_merged_unit_appears_under_its_successor(admin_client, merger):
    response = admin_client.get(reverse("ratings:compare_units"), {"year": 2024})
    rows = {row.unit.code: row for row in response.context["rows"]}
    assert "OLD" not in rows
    merged = rows["NEW"].merged
    assert [m.unit.code for m in merged] == ["OLD"]
    years = response.context["shown_years"]
    assert merged[0].cells[years.index(2023)].code == "HTTNV"
    assert rows["NEW"].cells[years.index(2024)].code == "HTXSNV"
    assert "đã hợp nhất vào Đảng ủy xã Hợp Nhất" in response.content.decode()


def test_province_comparison_shows_ratings_votes_and_tallies(admin_client, reference_data):
    response = admin_client.get(reverse("ratings:compare_provinces"), {"year": 2023})
    rows = {row.province.code: row for row in response.context["rows"]}
    assert rows["BINH-PHUOC"].ratings["approved"].level.code == "HTTNV"
    assert [(v.votes_for, v.present) for v in rows["BINH-PHUOC"].votes] == [(48, 49), (1, 49)]
    assert len(rows["BINH-PHUOC"].tallies) == 3
    assert "48/49 HTTNV" in response.content.decode()


def test_unit_page_shows_history_criteria_and_quotes(admin_client, reference_data):
    text = admin_client.get(reverse("ratings:unit", args=["TRA-VINH"])).content.decode()
    assert "Hoàn thành xuất sắc nhiệm vụ" in text and "Tự đánh giá" in text
    assert "năng lực lãnh đạo của cấp ủy" in text
    assert "<blockquote>Tỉnh ủy tự xếp loại Đảng bộ tỉnh Trà Vinh" in text


def test_unknown_unit_page_is_404(admin_client, db):
    assert admin_client.get(reverse("ratings:unit", args=["NOPE"])).status_code == 404


@pytest.mark.parametrize("url", PAGES)
@pytest.mark.parametrize(
    "query",
    [{"year": "abc"}, {"year": "1900"}, {"scope": "<script>"}, {"province": "x"}, {"stage": "zz"}, {"sort": "drop table"},
     {"page": "-5"}, {"page": "999"}, {"change": "sideways"}, {"level": "X" * 300}, {"kind": "%00"}],
)
def test_junk_parameters_give_a_normal_page(admin_client, two_years, url, query):
    assert admin_client.get(url, query).status_code == 200


def test_csv_download_of_the_table(admin_client, two_years):
    response = admin_client.get(DASHBOARD, {"year": 2024, "_export": "csv"})
    assert response["Content-Type"].startswith("text/csv")
    body = b"".join(response.streaming_content).decode("utf-8-sig")
    lines = body.strip().splitlines()
    assert lines[0].startswith("Đơn vị,")
    assert len(lines) == 7
    assert any("Huyện ủy 0" in line and "HTXSNV" in line for line in lines)


def build_tree(make_unit, rate, size):
    province = make_unit(f"P{size}", name="Đảng bộ tỉnh Lớn")
    for i in range(size):
        district = make_unit(f"P{size}-D{i}", parent=province)
        rate(district, 2023, "HTTNV")
        rate(district, 2024, "HTXSNV" if i % 7 == 0 else "HTTNV")
        cell = make_unit(f"P{size}-C{i}", parent=district, kind=UnitKind.GRASSROOTS)
        rate(cell, 2024, "HTNV")
    return province


@pytest.mark.parametrize("url", PAGES)
def test_query_count_does_not_grow_with_the_data(admin_client, make_unit, rate, url):
    def queries():
        with CaptureQueriesContext(connection) as captured:
            assert admin_client.get(url, {"year": 2024}).status_code == 200
        return len(captured)

    build_tree(make_unit, rate, 6)
    small = queries()
    build_tree(make_unit, rate, 60)
    assert queries() == small


def test_unit_page_query_count_does_not_grow(admin_client, make_unit, rate):
    small = build_tree(make_unit, rate, 3)
    big = build_tree(make_unit, rate, 30)
    for i in range(30):
        Unit.objects.filter(code=f"P30-D{i}").update(successor=big)

    def queries(unit):
        with CaptureQueriesContext(connection) as captured:
            admin_client.get(reverse("ratings:unit", args=[unit.code]))
        return len(captured)

    assert queries(big) == queries(small)


def test_english_is_available(admin_client, reference_data):
    admin_client.post(reverse("set_language"), {"language": "en", "next": DASHBOARD})
    text = admin_client.get(DASHBOARD, {"year": 2023}).content.decode()
    assert '<html lang="en">' in text
    assert "Ratings of 2023" in text
    assert "Well fulfilled tasks" in text


def test_vietnamese_even_when_the_browser_asks_for_english(admin_client, reference_data):
    text = admin_client.get(DASHBOARD, HTTP_ACCEPT_LANGUAGE="en-US,en;q=0.9").content.decode()
    assert '<html lang="vi">' in text and "Kết quả xếp loại năm" in text


def test_numbers_and_percentages_are_written_the_vietnamese_way(admin_client, two_years):
    text = admin_client.get(DASHBOARD, {"year": 2024}).content.decode()
    assert "16,7%" in text


def csv_lines(response):
    assert response["Content-Type"].startswith("text/csv")
    assert "attachment" in response["Content-Disposition"]
    return response.content.decode("utf-8-sig").strip().splitlines()


def test_year_matrix_downloads_as_csv(admin_client, two_years):
    lines = csv_lines(admin_client.get(reverse("ratings:compare_years"), {"year": 2024, "_export": "csv"}))
    assert lines[0] == "2023 \\ 2024,HTXSNV,HTTNV,HTNV,KHTNV"
    assert "HTTNV,1,2,0,0" in lines


def test_units_across_years_download_includes_merged_units(admin_client, merger):
    lines = csv_lines(admin_client.get(reverse("ratings:compare_units"), {"year": 2024, "_export": "csv"}))
    assert lines[0] == "Mã đơn vị,Đơn vị,Hợp nhất vào,2023,2024"
    assert "NEW,Đảng ủy xã Hợp Nhất,,,HTXSNV" in lines
    assert "OLD,Huyện ủy Cũ,NEW,HTTNV," in lines


def test_province_comparison_downloads_as_csv(admin_client, reference_data):
    lines = csv_lines(admin_client.get(reverse("ratings:compare_provinces"), {"year": 2023, "_export": "csv"}))
    assert any(line.startswith("Đảng bộ tỉnh Bình Phước,,,HTTNV,48/49 HTTNV; 1/49 HTXSNV") for line in lines)


def test_unit_history_downloads_as_csv(admin_client, reference_data):
    lines = csv_lines(admin_client.get(reverse("ratings:unit", args=["TRA-VINH"]), {"_export": "csv"}))
    assert lines[1].startswith("2024,Đảng bộ tỉnh Trà Vinh,Tự đánh giá,HTXSNV")
