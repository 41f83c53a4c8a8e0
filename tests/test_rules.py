from decimal import Decimal

import pytest

from ratings import rules


@pytest.mark.parametrize(
    ("good", "limit"), [(0, 0), (4, 0), (5, 1), (9, 1), (10, 2), (14, 2), (15, 3), (100, 20)]
)
def test_quota_limit_is_a_fifth_of_htt_rounded_down(good, limit):
    assert rules.quota_limit(good, Decimal("0.2")) == limit


def test_quota_broken_by_binh_phuoc_self_ratings_of_2023():
    check = rules.check_quota(excellent=4, good=14, ratio=Decimal("0.2"))
    assert check.broken
    assert (check.limit, check.excess) == (2, 2)


def test_quota_at_its_limit_is_not_broken():
    assert not rules.check_quota(excellent=2, good=14, ratio=Decimal("0.2")).broken


def test_no_quota_when_the_regime_sets_none():
    assert rules.check_quota(excellent=9, good=1, ratio=None) is None


BANDS_366 = [("HTXSNV", 90), ("HTTNV", 70), ("HTNV", 50), ("KHTNV", 0)]


@pytest.mark.parametrize(
    ("score", "best"), [(100, "HTXSNV"), (90, "HTXSNV"), (89.99, "HTTNV"), (85, "HTTNV"), (70, "HTTNV"), (69, "HTNV"), (49.5, "KHTNV")]
)
def test_score_bands_of_366(score, best):
    assert rules.admissible_by_score(Decimal(str(score)), BANDS_366)[0] == best


def test_a_lower_level_than_the_score_admits_stays_admissible():
    assert "HTNV" in rules.admissible_by_score(95, BANDS_366)


def test_level_without_published_floor_needs_the_floor_below_it():
    bands_27 = [("TSVM", None), ("HTTNV", None), ("HTNV", 50), ("YK", 0)]
    assert rules.admissible_by_score(49, bands_27) == ["YK"]
    assert rules.admissible_by_score(50, bands_27) == ["TSVM", "HTTNV", "HTNV", "YK"]


@pytest.mark.parametrize(
    ("criteria", "task", "level"),
    [
        (["tot", "xuat_sac", "tot"], "xuat_sac", "HTXSNV"),
        (["tot", "trung_binh"], "xuat_sac", "HTTNV"),
        (["xuat_sac", "xuat_sac"], "tot", "HTTNV"),
        (["trung_binh"], "trung_binh", "HTNV"),
        (["xuat_sac", "kem"], "xuat_sac", "KHTNV"),
        (["tot"], "kem", "KHTNV"),
    ],
)
def test_criteria_admit_a_level_under_124(criteria, task, level):
    assert rules.admissible_by_criteria(criteria_grades=criteria, task_grade=task) == level


def test_unknown_grade_is_refused():
    with pytest.raises(ValueError):
        rules.admissible_by_criteria(criteria_grades=["gioi"], task_grade="tot")


def test_votes_never_exceed_those_present():
    assert rules.votes_within_present(48, 49)
    assert rules.votes_within_present(49, 49)
    assert not rules.votes_within_present(50, 49)
    assert rules.votes_within_present(3, None)


def test_ballots_of_one_meeting_add_up_to_at_most_those_present():
    assert rules.ballots_within_present([48, 1], 49)
    assert not rules.ballots_within_present([48, 2], 49)
