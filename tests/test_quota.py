"""The one quota check: its words, its reasons, and every place a user meets it."""
from decimal import Decimal
from types import SimpleNamespace

from django.urls import reverse

from ratings import quota, rules, services
from ratings.models import Level, Rating, Stage, Subject, Tally, quota_message

DASHBOARD = reverse("ratings:dashboard")
ADD_RATING = reverse("admin:ratings_rating_add")
IMPORT_ARTICLE = reverse("admin:ratings_source_import")


def level(code, year=2023):
    return Level.objects.in_scale_of(year, code)


def binh_phuoc_tally(parent, *, stage=Stage.SELF, subject=Subject.COLLECTIVE):
    """Bình Phước 2023: the committees rated themselves 4 HTXSNV against 14 HTTNV."""
    tally = Tally.objects.create(parent=parent, year=2023, stage=stage, subject=subject, group="các đảng bộ trực thuộc")
    services.save_tally_counts(tally=tally, figures={level("HTXSNV"): (4, None), level("HTTNV"): (14, None)}, at_or_above={})
    return tally


def test_the_share_is_written_as_twenty_percent():
    check = rules.check_quota(excellent=4, good=14, ratio=Decimal("0.200"))
    message = quota_message(check, "Nhóm A")
    assert "(20% của 14 đơn vị" in message and "20.000" not in message


def test_a_share_with_a_fraction_keeps_the_vietnamese_comma():
    check = rules.check_quota(excellent=4, good=16, ratio=Decimal("0.125"))
    assert "12,5%" in quota_message(check, "Nhóm A")


def test_the_reason_when_the_regime_sets_no_quota(scales):
    assert quota.quota_findings(year=2025) == []
    assert "không đặt tỷ lệ" in quota.nothing_to_check(year=2025)


def test_the_reason_when_no_group_is_rated_yet(scales):
    assert quota.quota_findings(year=2023) == []
    assert "Chưa có nhóm đơn vị nào" in quota.nothing_to_check(year=2023)


def test_the_reason_for_individuals(scales):
    assert "tập thể" in quota.nothing_to_check(year=2023, subject=Subject.INDIVIDUAL)


def test_a_reported_tally_of_individuals_is_not_checked(scales, make_unit):
    binh_phuoc_tally(make_unit("BP"), subject=Subject.INDIVIDUAL)
    assert quota.quota_findings(year=2023) == []


def test_a_reported_tally_breaks_the_quota_with_limit_two(scales, make_unit):
    binh_phuoc_tally(make_unit("BP", name="Đảng bộ tỉnh Bình Phước"))
    [finding] = quota.quota_findings(year=2023, stage=Stage.SELF)
    assert finding.as_json() == {
        "group": "các đảng bộ trực thuộc – Đảng bộ tỉnh Bình Phước", "stage": "self",
        "HTXSNV": 4, "HTTNV": 14, "limit": 2, "source": "tally",
    }
    assert "4 đơn vị Hoàn thành xuất sắc nhiệm vụ, trong khi tối đa là 2 (20% của 14" in finding.message


def test_the_dashboard_lists_a_reported_tally_as_a_breach_from_a_report(admin_client, rate, make_unit):
    province = make_unit("BP", name="Đảng bộ tỉnh Bình Phước")
    rate(make_unit("D0", parent=province), 2023, "HTTNV", stage=Stage.SELF)
    binh_phuoc_tally(province)
    response = admin_client.get(DASHBOARD, {"year": 2023, "stage": "self"})
    assert response.context["figures"]["quota_breach_count"] == 1
    finding, parent = response.context["figures"]["quota_breaches"][0]
    assert (finding.source, finding.check.limit, parent) == ("tally", 2, province)
    text = response.content.decode()
    assert "các đảng bộ trực thuộc – Đảng bộ tỉnh Bình Phước" in text and "báo cáo" in text


def test_the_admin_warns_after_saving_a_rating_that_breaks_the_quota(admin_client, rate, make_unit):
    province = make_unit("P")
    districts = [make_unit(f"D{i}", parent=province) for i in range(7)]
    for district in districts[:5]:
        rate(district, 2023, "HTTNV")
    rate(districts[5], 2023, "HTXSNV")
    post = {"unit": districts[6].pk, "year": 2023, "stage": "approved", "level": "HTXSNV", "evidence": "", "note": ""}
    response = admin_client.post(ADD_RATING, post, follow=True)
    warnings = [str(m) for m in response.context["messages"] if m.level_tag == "warning"]
    assert Rating.objects.filter(level__code="HTXSNV").count() == 2
    assert len(warnings) == 1
    assert "tối đa là 1 (20% của 5 đơn vị Hoàn thành tốt nhiệm vụ" in warnings[0]


def test_an_upload_is_checked_on_stored_and_planned_levels(rate, make_unit):
    province = make_unit("P")
    districts = [make_unit(f"D{i}", parent=province) for i in range(6)]
    for district in districts[:5]:
        rate(district, 2023, "HTTNV")
    # The upload turns one HTTNV into HTXSNV and adds another: 2 HTXSNV against 4 HTTNV, whose limit is 0.
    rows = [
        SimpleNamespace(status="changed", unit=districts[0], year=2023, stage="approved", level=level("HTXSNV")),
        SimpleNamespace(status="new", unit=districts[5], year=2023, stage="approved", level=level("HTXSNV")),
    ]
    [finding] = quota.planned_breaches(rows)
    assert (finding.check.excellent, finding.check.good, finding.check.limit) == (2, 4, 0)
    assert not Rating.objects.filter(level__code="HTXSNV").exists()


def test_an_upload_within_the_limit_breaks_nothing(rate, make_unit):
    province = make_unit("P")
    districts = [make_unit(f"D{i}", parent=province) for i in range(6)]
    for district in districts[:5]:
        rate(district, 2023, "HTTNV")
    rows = [SimpleNamespace(status="new", unit=districts[5], year=2023, stage="approved", level=level("HTXSNV"))]
    assert quota.planned_breaches(rows) == []


ARTICLE = (
    "Đảng bộ tỉnh Hà Tĩnh đánh giá chất lượng năm 2023\n"
    "Kết quả tự đánh giá, xếp loại các đảng bộ trực thuộc Tỉnh ủy có 4 đơn vị hoàn thành xuất sắc nhiệm vụ, "
    "14 đơn vị hoàn thành tốt nhiệm vụ và 1 đơn vị hoàn thành nhiệm vụ.\n"
)


def test_the_article_preview_shows_a_tally_breaking_the_quota(admin_client, reference_data):
    response = admin_client.post(IMPORT_ARTICLE, {"text": ARTICLE, "preview": "1"})
    assert response.status_code == 200
    text = response.content.decode()
    assert 'class="quota-broken"' in text
    assert "4 đơn vị Hoàn thành xuất sắc nhiệm vụ, trong khi tối đa là 2 (20% của 14" in text
