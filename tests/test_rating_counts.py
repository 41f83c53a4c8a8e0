"""The counts the database keeps beside the ratings (RatingCount) always equal a count of the ratings,
whatever wrote them, and the pages' figures read from them equal the figures counted from the ratings."""
import io

import pytest
from django.db import connection, transaction
from django.db.models import Count

from ratings import aggregates, quota
from ratings.models import Level, Rating, RatingCount, Regime, TransitionCount, Unit, UnitKind


def counted_from_ratings():
    rows = Rating.objects.values("year", "stage", "unit__province", "unit__parent", "unit__kind", "level").annotate(n=Count("id"))
    return {
        (r["year"], r["stage"], r["unit__province"] or 0, r["unit__parent"] or 0, r["unit__kind"], r["level"]): r["n"]
        for r in rows
    }


def kept_counts():
    rows = RatingCount.objects.filter(n__gt=0).values_list("year", "stage", "province", "parent", "kind", "level", "n")
    return {tuple(row[:6]): row[6] for row in rows}


def transitions_from_ratings():
    """{(year, stage, province, last year's level id or "", level id): units}, joined from the ratings."""
    found = {}
    levels = {(r.unit_id, r.year, r.stage): r.level_id for r in Rating.objects.all()}
    provinces = dict(Unit.objects.values_list("pk", "province"))
    for (unit, year, stage), level_id in levels.items():
        key = (year, stage, provinces[unit] or 0, levels.get((unit, year - 1, stage), ""), level_id)
        found[key] = found.get(key, 0) + 1
    return found


def kept_transitions():
    rows = TransitionCount.objects.filter(n__gt=0).values_list("year", "stage", "province", "previous", "level", "n")
    return {tuple(row[:5]): row[5] for row in rows}


def assert_kept():
    assert RatingCount.objects.filter(n__lt=0).count() == 0
    assert TransitionCount.objects.filter(n__lt=0).count() == 0
    assert kept_counts() == counted_from_ratings()
    assert kept_transitions() == transitions_from_ratings()


@pytest.fixture
def tree(make_unit, scales):
    north = make_unit("BAC")
    south = make_unit("NAM")
    district = make_unit("BAC-H1", parent=north)
    other = make_unit("BAC-H2", parent=north)
    cells = [make_unit(f"BAC-H1-C{i}", parent=district, kind=UnitKind.GRASSROOTS) for i in range(4)]
    return {"north": north, "south": south, "district": district, "other": other, "cells": cells}


def level(year, code):
    return Level.objects.get(regime=Regime.objects.for_year(year).get(), code=code)


def test_counts_follow_every_kind_of_write(tree, rate):
    cells = tree["cells"]
    for cell, code in zip(cells, ["HTXSNV", "HTTNV", "HTTNV", "HTNV"]):
        rate(cell, 2024, code)
    rate(tree["district"], 2024, "HTTNV", stage="self")
    assert_kept()
    assert RatingCount.objects.of(year=2024, stage="approved").by_level("kind") == {
        (UnitKind.GRASSROOTS, "HTXSNV"): 1, (UnitKind.GRASSROOTS, "HTTNV"): 2, (UnitKind.GRASSROOTS, "HTNV"): 1,
    }

    # A save, a queryset update, a change of stage, a change of year.
    first = Rating.objects.get(unit=cells[0], year=2024)
    first.level = level(2024, "HTNV")
    first.save()
    Rating.objects.filter(unit=cells[1]).update(level=level(2024, "KHTNV"))
    Rating.objects.filter(unit=cells[2]).update(stage="proposed")
    Rating.objects.filter(unit=cells[3]).update(year=2023)
    assert_kept()

    # Bulk writes and deletes, in one statement each.
    Rating.objects.bulk_create(
        [Rating(unit=unit, year=2025, stage="approved", level=level(2025, "HTTNV"), regime=level(2025, "HTTNV").regime)
         for unit in cells]
    )
    assert_kept()
    Rating.objects.filter(year=2025, unit__in=cells[:2]).delete()
    Rating.objects.filter(unit=tree["district"]).delete()
    assert_kept()
    assert RatingCount.objects.of(year=2025, stage="approved").by_level("kind") == {(UnitKind.GRASSROOTS, "HTTNV"): 2}


def test_counts_follow_a_unit_moved_to_another_province(tree, rate):
    """Moving a district moves its cells' ratings to the new parent and province, through the path update."""
    for cell in tree["cells"]:
        rate(cell, 2024, "HTTNV")
    rate(tree["district"], 2024, "HTXSNV")
    district = tree["district"]
    district.parent = tree["south"]
    district.save()
    assert Unit.objects.get(pk=tree["cells"][0].pk).province_id == tree["south"].pk
    assert_kept()
    south = RatingCount.objects.of(year=2024, stage="approved", scope=tree["south"])
    assert south.by_level("kind") == {(UnitKind.GRASSROOTS, "HTTNV"): 4, (UnitKind.SUBORDINATE, "HTXSNV"): 1}
    assert not RatingCount.objects.of(year=2024, scope=tree["north"]).exists()

    cell = Unit.objects.get(pk=tree["cells"][0].pk)
    cell.kind = UnitKind.CELL
    cell.save()
    assert_kept()


@pytest.mark.django_db(transaction=True)
def test_a_rolled_back_write_leaves_the_counts_as_they_were(make_unit, rate):
    province = make_unit("TINH")
    district = make_unit("TINH-H1", parent=province)
    rate(district, 2024, "HTTNV")
    before = kept_counts()
    with pytest.raises(RuntimeError), transaction.atomic():
        rate(make_unit("TINH-H2", parent=province), 2024, "HTXSNV")
        Rating.objects.filter(unit=district).delete()
        raise RuntimeError("stop")
    assert kept_counts() == before
    assert_kept()


def test_the_year_before_follows_changes_of_neighbouring_years(tree, rate):
    """A rating decides the "year before" of the next year's: inserting, moving and deleting a year in
    the middle of a unit's history, one row or many in one statement."""
    cell, other = tree["cells"][:2]
    for year, code in [(2021, "HTTNV"), (2022, "HTXSNV"), (2024, "HTNV")]:
        rate(cell, year, code)
        rate(other, year, code)
    assert_kept()
    Rating.objects.filter(unit=cell, year=2022).update(year=2023)  # 2022 → 2023: 2024 now follows it
    assert_kept()
    Rating.objects.filter(unit=cell, year=2023).update(year=2022)  # and back
    assert_kept()
    rate(cell, 2023, "KHTNV")  # the gap filled: 2024 follows 2023, 2023 follows 2022
    assert_kept()
    Rating.objects.filter(unit=cell, year__in=[2022, 2023]).delete()  # two neighbours in one statement
    assert_kept()
    Rating.objects.filter(unit__in=[cell, other]).update(stage="proposed")
    assert_kept()
    Rating.objects.filter(unit=other, year=2022).update(unit=cell)  # now between 2021 and 2024 of the cell
    assert_kept()
    Rating.objects.all().delete()
    assert_kept()
    assert not TransitionCount.objects.filter(n__gt=0).exists()


def test_raw_sql_is_counted_too(tree, rate):
    rating = rate(tree["cells"][0], 2024, "HTTNV")
    with connection.cursor() as cursor:
        cursor.execute("UPDATE ratings_rating SET level_id = %s WHERE id = %s", [level(2024, "HTXSNV").pk, rating.pk])
    assert_kept()
    with connection.cursor() as cursor:
        cursor.execute("DELETE FROM ratings_rating WHERE id = %s", [rating.pk])
    assert_kept()
    assert not RatingCount.objects.of(year=2024).exists()


@pytest.fixture
def rated_country(make_unit, rate):
    """Two provinces with grassroots units under districts, some over the quota, at two stages."""
    codes = ["HTXSNV", "HTXSNV", "HTTNV", "HTTNV", "HTTNV", "HTNV", "KHTNV"]
    provinces = [make_unit("P1"), make_unit("P2")]
    for p, province in enumerate(provinces):
        for d in range(2):
            district = make_unit(f"P{p + 1}-D{d}", parent=province)
            rate(district, 2024, codes[d + p])
            for i, code in enumerate(codes[d:] if p else codes[: 5 + d]):
                unit = make_unit(f"P{p + 1}-D{d}-U{i}", parent=district, kind=UnitKind.GRASSROOTS)
                rate(unit, 2024, code)
                rate(unit, 2024, "HTXSNV", stage="self")
                if i % 3:  # the rest have no rating yet in 2025
                    rate(unit, 2025, codes[(i + p) % len(codes)])
                    rate(unit, 2025, "HTTNV", stage="self")
            rate(make_unit(f"P{p + 1}-D{d}-NEW", parent=district, kind=UnitKind.GRASSROOTS), 2025, "HTNV")
    return provinces


def direct(function, **kwargs):
    """`function` computed from the ratings themselves, as for a scope the kept counts do not cover."""
    original = RatingCount.answers
    RatingCount.answers = staticmethod(lambda scope: False)
    try:
        return function(**kwargs)
    finally:
        RatingCount.answers = original


@pytest.mark.parametrize("province", [None, 0, 1])
def test_pages_read_the_same_figures_from_the_kept_counts(rated_country, province):
    scope = None if province is None else rated_country[province]
    for stage in ("approved", "self"):
        kept = aggregates.distribution_by_kind(year=2024, scope=scope, stage=stage)
        counted = direct(aggregates.distribution_by_kind, year=2024, scope=scope, stage=stage)
        assert [(row.kind, row.counts) for row in kept.rows] == [(row.kind, row.counts) for row in counted.rows]
        assert kept.rows
    for stage in ("approved", "self", None):
        kept = quota.rating_counts(year=2024, stage=stage, scope=scope)
        counted = direct(quota.rating_counts, year=2024, stage=stage, scope=scope)
        assert kept == counted and kept
    for stage in ("approved", "self"):
        kept = aggregates.transitions(year=2025, scope=scope, stage=stage)
        counted = direct(aggregates.transitions, year=2025, scope=scope, stage=stage)
        assert kept.counts == counted.counts and kept.counts
    kept = aggregates.season_progress(year=2024, scope=scope)
    counted = direct(aggregates.season_progress, year=2024, scope=scope)
    assert [(p.parent_id, p.units, p.done) for p in kept.parents] == [(p.parent_id, p.units, p.done) for p in counted.parents]
    assert kept.by_stage == counted.by_stage and kept.by_stage["approved"]
    assert kept.units == sum(p.units for p in kept.parents)


@pytest.mark.parametrize("scope_code", [None, "P1", "P1-D0"])
def test_a_page_of_the_season_parents_is_that_part_of_the_whole_list(rated_country, scope_code):
    """The season page reads one page of parents at a time; each page is the matching part of the full list."""
    scope = Unit.objects.get(code=scope_code) if scope_code else None
    parents = aggregates.season_progress(year=2024, scope=scope).parents
    whole = [(p.parent_id, p.name, p.units, p.done) for p in parents]
    assert len(parents) == len(whole) >= 2
    assert whole[0][0] is None or scope_code == "P1-D0"
    for start, stop in [(0, 1), (0, 2), (1, 3), (2, 50), (0, 50)]:
        assert [(p.parent_id, p.name, p.units, p.done) for p in parents[start:stop]] == whole[start:stop]


def test_a_district_scope_is_counted_from_its_ratings(rated_country):
    district = Unit.objects.get(code="P1-D0")
    assert not RatingCount.answers(district)
    row = aggregates.distribution(year=2024, scope=district)
    # The district itself (HTXSNV) and its five units (HTXSNV ×2, HTTNV ×3).
    assert row.counts == {"HTXSNV": 3, "HTTNV": 3}



def test_a_bulk_load_is_counted_once_at_its_end_and_the_triggers_come_back(scales):
    """Demo data (and restores) set the triggers aside and count everything before the commit."""
    from django.core.management import call_command

    call_command("generate_demo_data", units=700, years=3, seed=3, stdout=io.StringIO())
    assert Rating.objects.count() > 1000
    assert_kept()
    some = Rating.objects.filter(year=2025, stage="approved").first()
    some.level = level(2025, "KHTNV" if some.level.code != "KHTNV" else "HTNV")
    some.save()
    Rating.objects.filter(year=2024).first().delete()
    assert_kept()
