import io
from datetime import date
from collections import Counter, defaultdict

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from ratings import aggregates, rules
from ratings.extraction import PROVINCES
from ratings.models import (
    Decision,
    QuarterRating,
    CriterionGrade,
    Level,
    Rating,
    Regime,
    Source,
    Stage,
    Tally,
    TallyCount,
    Unit,
    UnitKind,
    Vote,
)

UNITS, YEARS = 2000, 3


def build(*args, seed=1, units=UNITS, years=YEARS):
    out = io.StringIO()
    call_command(
        "generate_demo_data", "--units", str(units), "--years", str(years), "--seed", str(seed), *args, stdout=out
    )
    return out.getvalue()


def snapshot():
    codes = set(Unit.objects.values_list("code", flat=True))
    ratings = set(Rating.objects.values_list("unit__code", "year", "stage", "level_id"))
    return codes, ratings


@pytest.fixture
def built(scales):
    build()


def decisions():
    return Rating.objects.filter(stage=Stage.APPROVED)


def test_same_seed_builds_identical_data_and_another_seed_different(scales):
    build(seed=7)
    first = snapshot()
    build(seed=7)
    assert snapshot() == first
    build(seed=8)
    other = snapshot()
    assert other[0] != first[0]
    assert other[1] != first[1]


def test_unit_count_is_within_one_percent_with_34_provinces_and_every_kind(built):
    assert abs(Unit.objects.count() - UNITS) <= UNITS / 100
    provinces = Unit.objects.filter(kind=UnitKind.PROVINCE)
    assert provinces.count() == 34
    today = {p.name for p in PROVINCES.values() if p.after_merger}
    assert set(provinces.values_list("place", flat=True)) == today
    for province in provinces:
        assert province.name in (f"Đảng bộ tỉnh {province.place}", f"Đảng bộ thành phố {province.place}")
    kinds = set(Unit.objects.values_list("kind", flat=True))
    assert kinds == set(UnitKind) - {UnitKind.OTHER}


def test_every_province_has_its_standing_committee_and_a_handful_of_delegations(built):
    for province in Unit.objects.filter(kind=UnitKind.PROVINCE):
        below = Counter(province.children.values_list("kind", flat=True))
        assert below[UnitKind.STANDING_COMMITTEE] == 1
        assert 3 <= below[UnitKind.PARTY_DELEGATION] + below[UnitKind.PARTY_CADRE_COMMITTEE] <= 8
        assert below[UnitKind.SUBORDINATE] >= 3


def test_provinces_differ_in_size_and_level_mix(built):
    sizes = Counter(Unit.objects.values_list("province_id", flat=True))
    assert max(sizes.values()) >= 2 * min(sizes.values())
    excellent = Counter(decisions().filter(year=2025, level__code="HTXSNV").values_list("unit__province_id", flat=True))
    decided = Counter(decisions().filter(year=2025).values_list("unit__province_id", flat=True))
    shares = [excellent[province] / count for province, count in decided.items()]
    assert max(shares) - min(shares) >= 0.05


def test_codes_are_unique_short_and_start_with_demo(built):
    codes = list(Unit.objects.values_list("code", flat=True))
    assert len(codes) == len(set(codes))
    assert all(code.startswith("DEMO-") and len(code) <= 40 for code in codes)


def test_paths_and_provinces_are_what_unit_save_computes(built):
    stored = {unit.pk: (unit.path, unit.province_id) for unit in Unit.objects.all()}
    for unit in Unit.objects.order_by("path"):
        unit.path, unit.province_id = "", None
        unit.save()
    assert {unit.pk: (unit.path, unit.province_id) for unit in Unit.objects.all()} == stored


def test_each_rating_level_belongs_to_the_regime_of_its_year(built):
    regimes = {year: Regime.objects.for_year(year).get().pk for year in range(2023, 2026)}
    for year, regime, level_regime in Rating.objects.values_list("year", "regime_id", "level__regime_id"):
        assert regime == level_regime == regimes[year]


def test_each_unit_has_one_decision_for_each_year_it_existed(built):
    rated = Counter(decisions().values_list("unit_id", "year"))
    assert set(rated.values()) == {1}
    years = range(2023, 2026)
    expected = {(unit.pk, year) for unit in Unit.objects.all() for year in years if unit.existed_in(year)}
    assert set(rated) == expected
    assert Unit.objects.filter(valid_from__gt=2023).exists()


def test_merged_committee_stops_being_rated_and_its_successor_goes_on(built):
    merged = Unit.objects.filter(successor__isnull=False).select_related("successor")
    assert merged.exists()
    for unit in merged:
        assert unit.kind == UnitKind.SUBORDINATE and unit.valid_to == 2024
        assert unit.successor.parent_id == unit.parent_id and unit.successor.successor_id is None
        assert not unit.ratings.filter(year__gt=unit.valid_to).exists()
        assert unit.successor.ratings.filter(year=2025, stage=Stage.APPROVED).exists()


def test_decided_level_mix_is_like_published_results(built):
    counts = Counter(decisions().values_list("level__code", flat=True))
    share = {code: count / sum(counts.values()) for code, count in counts.items()}
    assert 0.60 <= share["HTTNV"] <= 0.80
    assert 0.05 <= share["HTXSNV"] <= 0.18
    assert 0.08 <= share["HTNV"] <= 0.22
    assert 0 < share["KHTNV"] <= 0.05


def test_most_units_keep_their_level_and_the_others_move_one_step(built):
    ranks = defaultdict(dict)
    for unit, year, rank in decisions().values_list("unit_id", "year", "level__rank"):
        ranks[unit][year] = rank
    moves = Counter(
        abs(by_year[year + 1] - by_year[year])
        for by_year in ranks.values()
        for year in (2023, 2024)
        if year in by_year and year + 1 in by_year
    )
    assert set(moves) <= {0, 1}
    assert moves[0] / sum(moves.values()) >= 0.8


def test_decided_htxsnv_stays_within_quota_in_every_peer_group(built):
    for year in (2023, 2024):
        groups = aggregates.peer_group_quotas(year=year, stage=Stage.APPROVED)
        assert groups
        assert not [group for group in groups if group.check.broken]


def test_about_a_third_of_last_year_units_rate_themselves_equal_or_one_level_higher(built):
    assert not Rating.objects.filter(stage=Stage.SELF, year__lt=2025).exists()
    decided = dict(decisions().filter(year=2025).values_list("unit_id", "level__rank"))
    selves = dict(Rating.objects.filter(stage=Stage.SELF).values_list("unit_id", "level__rank"))
    assert 0.25 <= len(selves) / len(decided) <= 0.35
    gaps = Counter(decided[unit] - rank for unit, rank in selves.items())
    assert set(gaps) == {0, 1}


def test_scores_fit_the_level_under_a_scored_regime_and_are_absent_otherwise(built):
    assert not Rating.objects.filter(year__lt=2025, score__isnull=False).exists()
    bands = Regime.objects.get(pk="qd366").score_bands()
    for score, code in Rating.objects.filter(year=2025).values_list("score", "level__code"):
        assert score is not None and score <= 100
        assert rules.admissible_by_score(score, bands)[0] == code


def test_years_before_2018_use_the_older_scale_with_scores(scales):
    build("--last-year", "2018", units=1000, seed=3)
    old = Counter(Rating.objects.filter(year__lt=2018).values_list("level__code", flat=True))
    assert set(old) <= {"TSVMTB", "TSVM", "HTTNV", "HTNV", "YK"}
    assert old["TSVM"] > old["TSVMTB"] > 0 and old["HTTNV"] > old["TSVM"]
    bands = Regime.objects.get(pk="hd27").score_bands()
    for score, code in Rating.objects.filter(year__lt=2018).values_list("score", "level__code"):
        assert code in rules.admissible_by_score(score, bands)
    assert set(Rating.objects.filter(year=2018).values_list("regime_id", flat=True)) == {"qd132"}


def test_refuses_with_a_message_when_a_source_exists(scales):
    Source.objects.create(title="Bài báo")
    with pytest.raises(CommandError, match=r"1 nguồn.*--force"):
        build()
    assert not Unit.objects.exists()


def test_refuses_when_a_real_unit_exists_and_builds_beside_it_with_force(scales, make_unit, rate):
    real = make_unit("BINH-PHUOC")
    rate(real, 2024, "HTTNV")
    with pytest.raises(CommandError, match=r"1 đơn vị.*1 kết quả xếp loại.*--force"):
        build()
    build("--force")
    assert Unit.objects.filter(code__startswith="DEMO-").count() == UNITS
    assert real.ratings.count() == 1


def test_rerunning_replaces_earlier_demo_data_with_what_it_points_at(scales):
    build(seed=1)
    province = Unit.objects.get(code="DEMO-HA-NOI")
    htxsnv = Level.objects.get(pk="qd124:HTXSNV")
    Vote.objects.create(unit=province, year=2024, regime_id="qd124", level=htxsnv, votes_for=40, present=45)
    CriterionGrade.objects.create(unit=province, year=2024, regime_id="qd124", content="Đoàn kết", grade="tot")
    tally = Tally.objects.create(parent=province, year=2024, regime_id="qd124", group="Tổ chức cơ sở đảng")
    TallyCount.objects.create(tally=tally, level=htxsnv, count=3)
    QuarterRating.objects.create(unit=province, year=2025, quarter=2, level_id="qd366:HTTNV")
    Decision.objects.create(number="7-QĐ/TU", issued_on=date(2025, 1, 9), issuer=province, year=2024, stage="approved")
    build(seed=2)
    rebuilt = snapshot()
    assert Unit.objects.count() == UNITS
    assert not Vote.objects.exists() and not Tally.objects.exists() and not CriterionGrade.objects.exists()
    assert not QuarterRating.objects.exists() and not Decision.objects.exists()
    build(seed=2)
    assert snapshot() == rebuilt


def test_loads_the_scales_when_no_regime_exists(db):
    build()
    assert Regime.objects.count() == 5
    assert Rating.objects.exists()


def test_prints_units_per_kind_ratings_per_year_and_seconds(scales):
    output = build()
    assert f"Đơn vị: {UNITS:,}" in output
    assert "Chi bộ (chi_bo):" in output and "Đảng bộ tỉnh, thành phố (dang_bo_tinh): 34" in output
    for year in (2023, 2024, 2025):
        assert f"  {year}: " in output
    assert "tự đánh giá" in output and "giây" in output


def test_too_few_units_is_refused_with_a_message(scales):
    with pytest.raises(CommandError, match="ít nhất"):
        build(units=100)
