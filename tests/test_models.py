from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from ratings.models import Level, Rating, Regime, Tally, TallyCount, Unit, UnitKind, Vote


def test_regime_is_chosen_by_the_year(scales):
    assert Regime.objects.for_year(2012).get().code == "hd20"
    assert Regime.objects.for_year(2017).get().code == "hd27"
    assert Regime.objects.for_year(2018).get().code == "qd132"
    assert Regime.objects.for_year(2023).get().code == "qd124"
    assert Regime.objects.for_year(2024).get().code == "qd124"
    assert Regime.objects.for_year(2031).get().code == "qd366"
    assert not Regime.objects.for_year(2005).exists()


def test_every_scale_since_2018_has_the_four_levels(scales):
    for code in ("qd132", "qd124", "qd366"):
        assert list(Level.objects.filter(regime=code).values_list("code", flat=True)) == ["HTXSNV", "HTTNV", "HTNV", "KHTNV"]


def test_next_regime_is_data_a_rating_takes_it_by_year(scales, make_unit):
    Regime.objects.filter(code="qd366").update(last_year=2026)
    regime = Regime.objects.create(code="qd2027", name="Quy định mới", first_year=2027)
    top = Level.objects.create(regime=regime, code="XS", label="Xuất sắc", rank=1)
    unit = make_unit("AA")
    rating = Rating(unit=unit, year=2027, level=top)
    rating.full_clean()
    rating.save()
    assert rating.regime == regime


def test_overlapping_regime_years_are_refused(scales):
    regime = Regime(code="x", name="Trùng", first_year=2024, last_year=2026)
    with pytest.raises(ValidationError, match="Quy định 124-QĐ/TW"):
        regime.full_clean()


def test_unit_path_and_province_follow_the_tree(make_unit):
    province = make_unit("P")
    district = make_unit("D", parent=province)
    cell = make_unit("C", parent=district, kind=UnitKind.CELL)
    assert cell.path == "/P/D/C/"
    assert cell.province == province
    assert province.province == province
    assert set(Unit.objects.within(district)) == {district, cell}


def test_moving_a_unit_moves_its_subtree(make_unit):
    old, new = make_unit("OLD"), make_unit("NEW")
    district = make_unit("D", parent=old)
    make_unit("C", parent=district, kind=UnitKind.CELL)
    district.parent = new
    district.save()
    cell = Unit.objects.get(code="C")
    assert cell.path == "/NEW/D/C/"
    assert cell.province_id == new.pk


def test_a_unit_cannot_be_put_under_its_own_subtree(make_unit):
    province = make_unit("P")
    district = make_unit("D", parent=province)
    province.parent = district
    with pytest.raises(ValidationError, match="cấp dưới"):
        province.full_clean()


def test_lineage_follows_successors_through_a_merger(make_unit):
    merged = make_unit("NEW", valid_from=2025)
    old = make_unit("OLD", valid_to=2025, successor=merged)
    assert old.lineage() == [old, merged]


def test_database_refuses_votes_above_present(rate, make_unit):
    rating = rate(make_unit("A"), 2023, "HTTNV", votes_for=48, votes_present=49)
    with pytest.raises(IntegrityError), transaction.atomic():
        Rating.objects.filter(pk=rating.pk).update(votes_for=50)


def test_database_refuses_a_level_of_another_regime(rate, make_unit):
    rating = rate(make_unit("A"), 2023, "HTTNV")
    with pytest.raises(IntegrityError), transaction.atomic():
        Rating.objects.filter(pk=rating.pk).update(level_id="hd20:TSVM")


def test_database_refuses_a_duplicate_rating(rate, make_unit):
    unit = make_unit("A")
    rate(unit, 2023, "HTTNV")
    with pytest.raises(IntegrityError), transaction.atomic():
        rate(unit, 2023, "HTNV")


def test_database_refuses_negative_counts(scales, make_unit):
    tally = Tally.objects.create(parent=make_unit("A"), year=2023, group="các chi bộ")
    with pytest.raises(IntegrityError), transaction.atomic():
        TallyCount.objects.create(tally=tally, level_id="qd124:HTTNV", count=-1)


def test_database_refuses_a_ballot_above_present(scales, make_unit):
    with pytest.raises(IntegrityError), transaction.atomic():
        Vote.objects.create(unit=make_unit("A"), year=2023, level_id="qd124:HTTNV", votes_for=50, present=49)


def test_score_above_what_it_admits_is_refused_with_a_message(rate, make_unit):
    rating = Rating(unit=make_unit("A"), year=2025, level=Level.objects.get(pk="qd366:HTXSNV"), score=Decimal("85"))
    with pytest.raises(ValidationError) as error:
        rating.full_clean()
    assert "85 điểm" in str(error.value.message_dict["level"])
    assert "Hoàn thành tốt nhiệm vụ" in str(error.value.message_dict["level"])


def test_a_lower_level_than_the_score_admits_is_allowed(scales, make_unit):
    rating = Rating(unit=make_unit("A"), year=2025, level=Level.objects.get(pk="qd366:HTNV"), score=Decimal("95"))
    rating.full_clean()


def test_a_score_under_a_regime_that_does_not_score_is_refused(scales, make_unit):
    rating = Rating(unit=make_unit("A"), year=2023, level=Level.objects.get(pk="qd124:HTTNV"), score=Decimal("80"))
    with pytest.raises(ValidationError, match="không chấm điểm"):
        rating.full_clean()


def test_a_unit_cannot_be_rated_after_it_was_merged(scales, make_unit):
    rating = Rating(unit=make_unit("A", valid_to=2025), year=2026, level=Level.objects.get(pk="qd366:HTTNV"))
    with pytest.raises(ValidationError, match="không tồn tại trong năm 2026"):
        rating.full_clean()


def test_tally_quota_reads_its_counts(scales, make_unit):
    tally = Tally.objects.create(parent=make_unit("A"), year=2023, group="các đảng bộ trực thuộc")
    TallyCount.objects.create(tally=tally, level_id="qd124:HTXSNV", count=4)
    TallyCount.objects.create(tally=tally, level_id="qd124:HTTNV", count=14)
    check = Tally.objects.prefetch_related("counts__level").get().quota()
    assert check.broken and check.limit == 2
