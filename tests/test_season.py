"""The season page, its command and its Excel list: what a user checks against the database."""
import io
import json

import openpyxl
import pytest
from django.core.management import call_command
from django.db.models import Q
from django.urls import reverse

from ratings import aggregates, services
from ratings.models import Level, Rating, Stage, Tally, Unit, UnitKind

SEASON = reverse("ratings:season")


def season_json(**options):
    out = io.StringIO()
    call_command("season_progress", "--json", stdout=out, **options)
    return json.loads(out.getvalue())


@pytest.fixture
def season(rate, make_unit):
    """A province in 2023 with two committees: A fully decided, B with one grassroots organization self-rated only."""
    province = make_unit("P", name="Đảng bộ tỉnh Mẫu")
    a = make_unit("A", parent=province, name="Đảng bộ A")
    b = make_unit("B", parent=province, name="Đảng bộ B")
    a1 = make_unit("A1", parent=a, kind=UnitKind.GRASSROOTS, name="Chi bộ A1")
    b1 = make_unit("B1", parent=b, kind=UnitKind.GRASSROOTS, name="Chi bộ B1")
    b2 = make_unit("B2", parent=b, kind=UnitKind.GRASSROOTS, name="Chi bộ B2")
    make_unit("OLD", parent=b, kind=UnitKind.GRASSROOTS, name="Chi bộ đã giải thể", valid_to=2020)
    for unit in (province, a, b, a1):
        rate(unit, 2023, "HTTNV", stage=Stage.SELF)
        rate(unit, 2023, "HTTNV")
    rate(b1, 2023, "HTTNV", stage=Stage.SELF)
    rate(b2, 2022, "HTTNV")
    return province


def test_pages_require_login(client, db):
    response = client.get(SEASON)
    assert response.status_code == 302 and response["Location"].startswith("/login/?next=")


def test_the_json_has_the_documented_shape(season):
    data = season_json(year=2023, scope="P")
    assert data == {
        "year": 2023, "scope": "P", "units": 6,
        "by_stage": {"self": 5, "proposed": 0, "approved": 4}, "missing_approved": 2, "quota": [],
    }


def test_the_page_lists_the_missing_units_under_their_parent(admin_client, season):
    response = admin_client.get(SEASON, {"year": 2023, "scope": "P"})
    assert response.status_code == 200
    assert [unit.code for unit in response.context["page"].object_list] == ["B1", "B2"]
    text = response.content.decode()
    assert "Đảng bộ B" in text and "Chi bộ B1" in text and "Chi bộ đã giải thể" not in text
    shares = {p.code: (p.units, p.missing("approved"), round(p.share_done)) for p in response.context["parents"]}
    assert shares["B"] == (2, 2, 0) and shares["A"] == (1, 0, 100)


def test_the_missing_self_ratings_are_listed_when_asked(admin_client, season):
    response = admin_client.get(SEASON, {"year": 2023, "scope": "P", "missing": "self"})
    assert [unit.code for unit in response.context["page"].object_list] == ["B2"]


def test_junk_parameters_fall_back_to_defaults(admin_client, season):
    response = admin_client.get(SEASON, {"year": "x", "scope": "<nope>", "missing": "all", "page": "-1", "parents": "z"})
    assert response.status_code == 200 and response.context["missing"] == "approved"


def test_the_excel_missing_list_has_one_row_per_missing_unit(admin_client, season, tmp_path):
    response = admin_client.get(SEASON, {"year": 2023, "scope": "P", "_export": "xlsx"})
    path = tmp_path / "missing.xlsx"
    path.write_bytes(b"".join(response.streaming_content))
    sheet = openpyxl.load_workbook(path).active
    rows = list(sheet.iter_rows(min_row=4, values_only=True))
    assert rows[:2] == [(1, "Đảng bộ B", "B1", "Chi bộ B1", "Tổ chức cơ sở đảng"), (2, "Đảng bộ B", "B2", "Chi bộ B2", "Tổ chức cơ sở đảng")]
    assert rows[2][0] == "Cộng: 2 đơn vị"
    assert sheet.print_title_rows in ("3:3", "$3:$3")  # the header repeats on every printed page
    assert int(sheet.page_setup.paperSize) == 9  # A4


def test_a_reported_tally_over_the_quota_shows_on_the_season_page(admin_client, season):
    tally = Tally.objects.create(parent=season, year=2023, stage=Stage.SELF, group="các đảng bộ trực thuộc")
    services.save_tally_counts(
        tally=tally, at_or_above={},
        figures={Level.objects.in_scale_of(2023, "HTXSNV"): (4, None), Level.objects.in_scale_of(2023, "HTTNV"): (14, None)},
    )
    response = admin_client.get(SEASON, {"year": 2023, "scope": "P"})
    assert [f.as_json() for f in response.context["progress"].quota] == [{
        "group": "các đảng bộ trực thuộc – Đảng bộ tỉnh Mẫu", "stage": "self",
        "HTXSNV": 4, "HTTNV": 14, "limit": 2, "source": "tally",
    }]
    assert 'class="breach"' in response.content.decode()
    assert season_json(year=2023, scope="P")["quota"][0]["limit"] == 2


def test_the_counts_equal_the_database_on_demo_data(admin_client, scales, django_assert_max_num_queries):
    call_command("generate_demo_data", units=2000, years=2, seed=1, force=True, stdout=io.StringIO())
    year = 2024
    province = Unit.objects.provinces().existing_in(year).order_by("code").first()
    for scope in (None, province):
        units = Unit.objects.existing_in(year)
        if scope is not None:
            units = units.within(scope)
        progress = aggregates.season_progress(year=year, scope=scope)
        assert progress.units == units.count()
        for stage in aggregates.SEASON_STAGES:
            rated = units.filter(ratings__year=year, ratings__stage=stage).distinct().count()
            assert progress.by_stage[stage] == rated
            assert aggregates.missing_units(year=year, stage=stage, scope=scope).count() == units.count() - rated
        decided = Rating.objects.filter(year=year, stage=Stage.APPROVED, unit__in=units).count()
        assert progress.missing_approved == units.count() - decided
        lacking = units.exclude(Q(ratings__year=year, ratings__stage=Stage.APPROVED))
        by_parent = {p.parent_id: p.missing(Stage.APPROVED) for p in progress.parents if p.missing(Stage.APPROVED)}
        expected = {}
        for parent_id in lacking.values_list("parent", flat=True):
            expected[parent_id] = expected.get(parent_id, 0) + 1
        assert by_parent == expected
    code = province.code
    assert season_json(year=year, scope=code)["units"] == Unit.objects.existing_in(year).within(province).count()
    with django_assert_max_num_queries(20):
        assert admin_client.get(SEASON, {"year": year, "scope": code}).status_code == 200
