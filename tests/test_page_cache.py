"""Rendered pages are kept per address, language and data version: a repeat costs a cache read, and
any change to what a page shows moves the version in the same transaction, so no page is ever older
than the last commit."""
from datetime import date

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from ratings import aggregates
from ratings.models import (
    CriterionGrade,
    Decision,
    Level,
    QuarterRating,
    Source,
    Tally,
    TallyCount,
    Vote,
)


@pytest.fixture
def unit(make_unit, rate):
    province = make_unit("P", name="Đảng bộ tỉnh Thử")
    committee = make_unit("A", parent=province, name="Đảng bộ Xã Một")
    rate(committee, 2025, "HTTNV")
    return committee


def queries(client, url):
    with CaptureQueriesContext(connection) as captured:
        assert client.get(url).status_code == 200
    return len(captured)


@pytest.mark.parametrize("page", ["ratings:dashboard", "ratings:season", "ratings:compare_years"])
def test_a_repeated_page_is_served_from_the_cache(admin_client, unit, page):
    url = f"{reverse(page)}?year=2025"
    first = queries(admin_client, url)
    assert queries(admin_client, url) < first


MAKERS = {
    "vote": lambda unit: Vote.objects.create(unit=unit, year=2025, level_id="qd366:HTTNV", votes_for=9, present=10),
    "grade": lambda unit: CriterionGrade.objects.create(unit=unit, year=2025, content="Nội dung thử", grade="tot"),
    "tally": lambda unit: Tally.objects.create(parent=unit, year=2025, group="chi bộ trực thuộc"),
    "count": lambda unit: TallyCount.objects.create(
        tally=Tally.objects.create(parent=unit, year=2025, group="đảng viên"), level_id="qd366:HTTNV", count=5
    ),
    "source": lambda unit: Source.objects.create(title="Bài viết thử"),
    "decision": lambda unit: Decision.objects.create(
        number="12-QĐ/ĐU", issued_on=date(2026, 1, 5), issuer=unit, year=2025, stage="approved"
    ),
    "quarter": lambda unit: QuarterRating.objects.create(unit=unit, year=2025, quarter=1, level=Level.objects.get(pk="qd366:HTTNV")),
}


@pytest.mark.parametrize("kind", MAKERS)
def test_every_change_a_page_shows_moves_the_data_version(unit, kind):
    before = aggregates.data_version()
    MAKERS[kind](unit)
    assert aggregates.data_version() != before


def test_a_ballot_added_after_the_page_was_seen_shows_at_once(admin_client, unit):
    url = reverse("ratings:unit", args=[unit.code])
    assert "Kết quả biểu quyết" not in admin_client.get(url).content.decode()
    Vote.objects.create(unit=unit, year=2025, level_id="qd366:HTTNV", votes_for=47, present=49)
    assert "47/49" in admin_client.get(url).content.decode()


def test_the_same_address_in_english_is_kept_apart(admin_client, unit):
    url = f"{reverse('ratings:dashboard')}?year=2025"
    assert "Kết quả xếp loại năm 2025" in admin_client.get(url).content.decode()
    admin_client.post(reverse("set_language"), {"language": "en", "next": url})
    assert "Ratings of 2025" in admin_client.get(url).content.decode()
