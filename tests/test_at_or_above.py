"""Counts stated for a level and every level above it ("21 đơn vị hoàn thành tốt nhiệm vụ trở lên,
trong đó 4 hoàn thành xuất sắc"): held as such, shown as such, never added to their parts."""
import re

import openpyxl
import pytest
from django.core.exceptions import ValidationError
from django.db import transaction
from django.urls import reverse

from ratings import rules, services
from ratings.models import Level, Tally, TallyCount, UnitKind
from ratings.reports.export import build_report

from .test_admin import ADD_TALLY, tally_post

committing = pytest.mark.django_db(transaction=True)


def level(code, regime="qd124"):
    return Level.objects.get(regime_id=regime, code=code)


@pytest.fixture
def province(make_unit):
    return make_unit("MAU", name="Đảng bộ tỉnh Mẫu", place="Mẫu")


@pytest.fixture
def split_tally(scales, province):
    """21 committees at HTTNV or above, 4 of them HTXSNV, and 2 at HTNV, out of 23."""
    tally = Tally.objects.create(
        parent=province, year=2023, group="các đảng bộ trực thuộc", stage="approved", total=23,
        member_kind=UnitKind.SUBORDINATE,
    )
    services.save_tally_counts(
        tally=tally,
        figures={level("HTXSNV"): (4, None), level("HTNV"): (2, None)},
        at_or_above={level("HTTNV"): (21, None)},
    )
    return Tally.objects.prefetch_related("counts__level").get(pk=tally.pk)


def test_rules_never_add_a_count_at_or_above_to_its_parts():
    # ranks: 1 HTXSNV, 2 HTTNV, 3 HTNV
    assert rules.units_counted({1: 4, 3: 2}, {2: 21}) == 23
    assert rules.units_counted({1: 4, 2: 17, 3: 2}, {2: 21}) == 23
    assert rules.resolve_at_or_above({1: 4}, {2: 21}) == {1: 4, 2: 17}
    assert rules.resolve_at_or_above({}, {2: 21}) == {}  # how many HTXSNV is unknown: nothing is guessed
    assert rules.at_or_above_short_of_parts({1: 25}, {2: 21}) == (2, 21, 25)
    assert rules.at_or_above_short_of_parts({1: 4}, {2: 21}) is None
    assert rules.counts_within_total({1: 4, 3: 2}, 23, {2: 21})
    assert not rules.counts_within_total({1: 4, 3: 3}, 23, {2: 21})


def test_a_count_at_or_above_gives_the_level_alone_only_with_its_parts(split_tally):
    assert split_tally.count_of("HTTNV") == 17
    assert split_tally.counted_total() == 23
    assert [c.label for c in split_tally.stated_at_or_above()] == ["từ HTTNV trở lên"]


def test_the_quota_is_checked_on_the_level_alone(split_tally):
    """4 HTXSNV against 17 HTTNV breaks the 20% rule; against the 21 stated "or above" it would not."""
    check = split_tally.quota()
    assert (check.excellent, check.good, check.limit, check.broken) == (4, 17, 3, True)


def test_a_count_at_or_above_smaller_than_its_parts_is_refused(scales, province):
    tally = Tally.objects.create(parent=province, year=2023, group="các chi bộ", stage="approved")
    with pytest.raises(ValidationError) as refused:
        services.save_tally_counts(tally=tally, figures={level("HTXSNV"): (25, None)}, at_or_above={level("HTTNV"): (21, None)})
    assert "Số từ HTTNV trở lên (21) nhỏ hơn tổng các mức từ HTTNV trở lên (25)" in str(refused.value)
    assert not tally.counts.exists()


@committing
def test_the_database_adds_up_exact_counts_only(scales, province):
    """The guard of 0007 summed every row; 21 "or above" plus its 4 would have broken a total of 23."""
    tally = Tally.objects.create(parent=province, year=2023, group="các đảng bộ", stage="approved", total=23)
    with transaction.atomic():
        TallyCount.objects.create(tally=tally, level=level("HTTNV"), count=21, or_above=True)
        TallyCount.objects.create(tally=tally, level=level("HTXSNV"), count=4)
        TallyCount.objects.create(tally=tally, level=level("HTNV"), count=2)
    assert tally.counts.count() == 3
    with pytest.raises(Exception), transaction.atomic():
        TallyCount.objects.create(tally=tally, level=level("KHTNV"), count=18)


def test_the_admin_form_takes_a_count_at_or_above(admin_client, scales, province):
    form = admin_client.get(ADD_TALLY + "?year=2023").content.decode()
    assert 'name="count_HTTNV_tro_len"' in form and "Số từ HTTNV trở lên" in form
    assert 'name="count_HTXSNV_tro_len"' not in form  # the top level "or above" is itself
    data = tally_post(province, count_HTXSNV=4, count_HTTNV_tro_len=21, count_HTNV=2, total=23, stage="approved")
    response = admin_client.post(ADD_TALLY, data, follow=True)
    assert response.status_code == 200
    tally = Tally.objects.get()
    stored = {(c.level.code, c.or_above): c.count for c in tally.counts.all()}
    assert stored == {("HTXSNV", False): 4, ("HTTNV", True): 21, ("HTNV", False): 2}
    listing = admin_client.get(reverse("admin:ratings_tally_changelist")).content.decode()
    assert "từ HTTNV trở lên: 21" in listing
    assert '<td class="field-counted_total">23</td>' in listing
    change = admin_client.get(reverse("admin:ratings_tally_change", args=[tally.pk])).content.decode()
    assert 'name="count_HTTNV_tro_len" value="21"' in change


def test_the_admin_form_refuses_parts_larger_than_their_whole(admin_client, scales, province):
    data = tally_post(province, count_HTXSNV=25, count_HTTNV_tro_len=21)
    response = admin_client.post(ADD_TALLY, data)
    assert "Số từ HTTNV trở lên (21) nhỏ hơn tổng các mức từ HTTNV trở lên (25)" in response.content.decode()
    assert not Tally.objects.exists()


def test_the_dashboard_shows_the_figure_as_stated_not_in_the_levels_column(admin_client, split_tally, rate, province):
    rate(province, 2023, "HTTNV")  # the dashboard offers the years that hold ratings
    page = admin_client.get(reverse("ratings:dashboard"), {"year": 2023}).content.decode()
    reported = page[page.index("Số liệu tổng hợp do bài viết báo cáo"):]
    row = reported[reported.index("các đảng bộ trực thuộc"):]
    row = row[: row.index("</tr>")]
    assert "từ HTTNV trở lên: 21" in row
    cells = [re.sub(r"<[^>]+>", "", cell).strip() for cell in re.findall(r"<td[^>]*>(.*?)</td>", row, re.S)]
    assert cells[1:5] == ["4", "", "2", ""]  # after the parent: HTXSNV, HTTNV, HTNV, KHTNV: the 21 is not put under HTTNV


def test_the_excel_report_lists_the_figure_in_its_own_column(tmp_path, split_tally, province):
    path = tmp_path / "bao-cao.xlsx"
    build_report(path, year=2023, scope=province)
    sheet = openpyxl.load_workbook(path)["Số liệu báo cáo"]
    header = [cell.value for cell in sheet[1]]
    row = dict(zip(header, [cell.value for cell in sheet[2]]))
    assert row["Nhóm được đếm"] == "các đảng bộ trực thuộc"
    assert (row["HTXSNV"], row["HTTNV"], row["HTNV"]) == (4, None, 2)
    assert row["Từ một mức trở lên"] == "từ HTTNV trở lên: 21"
    assert row["Tổng số nêu"] == 23
