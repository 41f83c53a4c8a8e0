"""The database refuses what must never happen, even from writes that go around the forms.

Every refused write here bypasses the forms and the models' clean(): objects.create, update(),
bulk_create or raw SQL. A tally's counts and a meeting's ballots span several rows, which a
legitimate change writes one at a time, so the database checks them when the transaction
commits: those tests commit for real.
"""
import importlib
import re
import threading

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, connection, transaction
from django.forms import modelform_factory
from django.urls import reverse

from ratings import services
from ratings.models import CriterionGrade, Level, Rating, Tally, TallyCount, Unit, UnitKind, Vote

from .test_admin import tally_post

committing = pytest.mark.django_db(transaction=True)
GUARDS = importlib.import_module("ratings.migrations.0009_tally_counts_at_or_above")
# The triggers that keep the counts beside the ratings (RatingCount, TransitionCount).
COUNTERS = [importlib.import_module(f"ratings.migrations.{name}") for name in ("0014_rating_counts", "0015_transition_counts")]


def test_every_trigger_is_installed(db):
    """SQLite drops a table's triggers when a migration rebuilds it: the latest guards migration (0009) says how to keep them."""
    install, _remove = GUARDS.GUARDS[connection.vendor]
    install = install + [statement for module in COUNTERS for statement in module.COUNTERS[connection.vendor][0]]
    expected = {name for statement in install for name in re.findall(r"CREATE (?:CONSTRAINT )?TRIGGER (\w+)", statement)}
    with connection.cursor() as cursor:
        if connection.vendor == "sqlite":
            cursor.execute("SELECT name FROM sqlite_master WHERE type = 'trigger'")
        else:
            cursor.execute("SELECT tgname FROM pg_trigger WHERE NOT tgisinternal")
        installed = {name for (name,) in cursor.fetchall()}
    assert expected and expected <= installed, f"missing: {sorted(expected - installed)}"


@pytest.fixture
def tree(make_unit):
    """BP → BP-D1 → BP-D1-C1, and another province HP."""
    province = make_unit("BP")
    district = make_unit("BP-D1", parent=province)
    cell = make_unit("BP-D1-C1", parent=district, kind=UnitKind.CELL)
    return province, district, cell, make_unit("HP")


def stored(unit):
    return Unit.objects.values_list("parent_id", "code", "path").get(pk=unit.pk)


def raw_sql(statement, *params):
    with connection.cursor() as cursor:
        cursor.execute(statement, params)


# Choices


CHOICE_FIELDS = [
    (Unit, "kind", "tinh"),
    (Rating, "stage", "final"),
    (Tally, "subject", "group"),
    (Tally, "member_kind", "xa"),
    (Tally, "stage", "final"),
    (CriterionGrade, "stage", "final"),
    (CriterionGrade, "grade", "gioi"),
]


@pytest.mark.parametrize("model, field, junk", CHOICE_FIELDS, ids=lambda v: getattr(v, "__name__", v))
def test_a_value_outside_the_fields_choices_is_refused_and_the_row_keeps_its_value(reference_data, model, field, junk):
    row = model.objects.first()
    before = getattr(row, field)
    with pytest.raises(IntegrityError), transaction.atomic():
        model.objects.filter(pk=row.pk).update(**{field: junk})
    assert model.objects.values_list(field, flat=True).get(pk=row.pk) == before


def test_a_rating_created_at_an_unknown_stage_is_refused_and_nothing_is_stored(rate, make_unit):
    unit = make_unit("BP")
    with pytest.raises(IntegrityError), transaction.atomic():
        Rating.objects.bulk_create([Rating(unit=unit, year=2023, regime_id="qd124", level_id="qd124:HTTNV", stage="final")])
    assert not Rating.objects.exists()


def test_a_tally_may_leave_the_kind_it_counts_blank(reference_data):
    assert Tally.objects.update(member_kind="") == Tally.objects.count()


# Unit codes


@pytest.mark.parametrize("code", ["BP/HP", "BP HP", "Đắk-Lắk", "BP.1", "BP\n", ""])
def test_a_unit_code_other_than_letters_digits_dash_and_underscore_is_refused(db, code):
    with pytest.raises(IntegrityError), transaction.atomic():
        Unit.objects.create(code=code, name="Đảng bộ thử", kind=UnitKind.PROVINCE)
    assert not Unit.objects.exists()


def test_a_slash_written_into_a_code_by_raw_sql_is_refused(tree):
    *_rest, other = tree
    with pytest.raises(IntegrityError), transaction.atomic():
        raw_sql("UPDATE ratings_unit SET code = %s, path = %s WHERE id = %s", "BP/HP", "/BP/HP/", other.pk)
    assert stored(other) == (None, "HP", "/HP/")


def test_the_unit_form_says_which_characters_a_code_may_hold(db):
    form = modelform_factory(Unit, fields=["code", "name", "kind"])({"code": "BP/HP", "name": "Đảng bộ thử", "kind": UnitKind.PROVINCE})
    assert not form.is_valid()
    assert "Mã đơn vị chỉ gồm chữ cái không dấu, chữ số, dấu gạch ngang (-) và gạch dưới (_)." in form.non_field_errors()


def test_every_unit_of_the_fixtures_loads(reference_data):
    assert Unit.objects.filter(code="AN-GIANG-2025-BTV", path="/AN-GIANG-2025/AN-GIANG-2025-BTV/").exists()


# The unit tree


def test_a_parent_cycle_made_by_update_is_refused_and_nothing_moves(tree):
    province, _district, cell, _other = tree
    with pytest.raises(IntegrityError), transaction.atomic():
        Unit.objects.filter(pk=province.pk).update(parent=cell)
    assert stored(province) == (None, "BP", "/BP/")


def test_a_cycle_is_refused_even_with_a_path_that_follows_the_new_parent(tree):
    province, _district, cell, _other = tree
    with pytest.raises(IntegrityError), transaction.atomic():
        raw_sql(
            "UPDATE ratings_unit SET parent_id = %s, path = %s WHERE id = %s", cell.pk, "/BP/BP-D1/BP-D1-C1/BP/", province.pk
        )
    assert stored(province) == (None, "BP", "/BP/")


def test_a_unit_moved_by_update_without_its_path_is_refused(tree):
    province, district, _cell, other = tree
    with pytest.raises(IntegrityError), transaction.atomic():
        Unit.objects.filter(pk=district.pk).update(parent=other)
    assert stored(district) == (province.pk, "BP-D1", "/BP/BP-D1/")


def test_a_code_changed_by_update_without_its_path_is_refused(tree):
    province, district, _cell, _other = tree
    with pytest.raises(IntegrityError), transaction.atomic():
        Unit.objects.filter(pk=district.pk).update(code="BP-D2")
    assert stored(district) == (province.pk, "BP-D1", "/BP/BP-D1/")


def test_moving_a_unit_with_descendants_through_save_carries_their_paths(tree):
    _province, district, cell, other = tree
    district.parent = other
    district.save()
    assert stored(district) == (other.pk, "BP-D1", "/HP/BP-D1/")
    assert stored(cell) == (district.pk, "BP-D1-C1", "/HP/BP-D1/BP-D1-C1/")


def test_renaming_a_unit_with_descendants_through_save_carries_their_paths(tree):
    province, district, cell, _other = tree
    district.code = "BP-D9"
    district.save()
    assert stored(district) == (province.pk, "BP-D9", "/BP/BP-D9/")
    assert stored(cell) == (district.pk, "BP-D1-C1", "/BP/BP-D9/BP-D1-C1/")


def test_a_unit_detached_by_update_with_a_path_into_another_subtree_is_refused(tree):
    province, district, _cell, _other = tree
    with pytest.raises(IntegrityError), transaction.atomic():
        Unit.objects.filter(pk=district.pk).update(parent=None, path="/HP/BP-D1/")
    assert stored(district) == (province.pk, "BP-D1", "/BP/BP-D1/")


def test_units_detached_where_they_stand_can_then_be_deleted(tree):
    """restore_data --force clears the tree this way before loading the backup."""
    Unit.objects.update(parent=None, successor=None, province=None)
    Unit.objects.all().delete()
    assert not Unit.objects.exists()


# Tallies: counts within the stated total, levels of the tally's regime


@pytest.fixture
def tally(scales, make_unit):
    return Tally.objects.create(parent=make_unit("BP"), year=2023, group="các đảng bộ trực thuộc", total=17)


def counts(tally, **by_code):
    return [TallyCount(tally=tally, level_id=f"{tally.regime_id}:{code}", count=n) for code, n in by_code.items()]


def stored_counts(tally):
    return dict(TallyCount.objects.filter(tally=tally).values_list("level__code", "count"))


@committing
def test_counts_adding_up_to_the_total_are_stored(tally):
    TallyCount.objects.bulk_create(counts(tally, HTXSNV=2, HTTNV=14, HTNV=1))
    assert stored_counts(tally) == {"HTXSNV": 2, "HTTNV": 14, "HTNV": 1}


@committing
def test_counts_above_the_total_are_refused_at_commit_and_nothing_is_stored(tally):
    with pytest.raises(IntegrityError), transaction.atomic():
        TallyCount.objects.bulk_create(counts(tally, HTXSNV=2, HTTNV=14, HTNV=2))
    assert stored_counts(tally) == {}


@committing
def test_a_count_raised_by_raw_sql_above_the_total_is_refused(tally):
    TallyCount.objects.bulk_create(counts(tally, HTXSNV=2, HTTNV=14))
    with pytest.raises(IntegrityError), transaction.atomic():
        raw_sql("UPDATE ratings_tallycount SET count = 16 WHERE tally_id = %s AND level_id = 'qd124:HTTNV'", tally.pk)
    assert stored_counts(tally) == {"HTXSNV": 2, "HTTNV": 14}


@committing
def test_a_total_lowered_by_update_below_its_counts_is_refused(tally):
    TallyCount.objects.bulk_create(counts(tally, HTXSNV=2, HTTNV=14))
    with pytest.raises(IntegrityError), transaction.atomic():
        Tally.objects.filter(pk=tally.pk).update(total=15)
    assert Tally.objects.get().total == 17


@committing
def test_a_tally_without_a_total_takes_any_counts(tally):
    Tally.objects.update(total=None)
    TallyCount.objects.bulk_create(counts(tally, HTXSNV=20, HTTNV=140))
    assert sum(stored_counts(tally).values()) == 160


@committing
def test_lowering_a_total_together_with_its_counts_in_one_transaction_passes(tally):
    TallyCount.objects.bulk_create(counts(tally, HTXSNV=2, HTTNV=14, HTNV=1))
    levels = {level.code: level for level in Level.objects.filter(regime=tally.regime)}
    with transaction.atomic():  # the tally first, then its counts, as the admin saves them
        tally.total = 10
        tally.save()
        services.save_tally_counts(tally=tally, figures={levels["HTXSNV"]: (1, None), levels["HTTNV"]: (9, None)})
    assert (Tally.objects.get().total, stored_counts(tally)) == (10, {"HTXSNV": 1, "HTTNV": 9})


@committing
def test_the_admin_lowers_a_total_together_with_its_counts(admin_client, scales, make_unit):
    province = make_unit("BP")
    admin_client.post(reverse("admin:ratings_tally_add"), tally_post(province, count_HTXSNV=2, count_HTTNV=14, total=17))
    tally = Tally.objects.get()
    change = reverse("admin:ratings_tally_change", args=[tally.pk])
    response = admin_client.post(change, tally_post(province, count_HTXSNV=1, count_HTTNV=9, total=10, opened_version=tally.version))
    assert response.status_code == 302
    assert (Tally.objects.get().total, stored_counts(tally)) == (10, {"HTXSNV": 1, "HTTNV": 9})


@committing
def test_the_admin_moves_a_tally_to_a_year_of_another_regime_with_its_counts(admin_client, scales, make_unit):
    province = make_unit("BP")
    admin_client.post(reverse("admin:ratings_tally_add"), tally_post(province, count_HTTNV=14))
    tally = Tally.objects.get()
    change = reverse("admin:ratings_tally_change", args=[tally.pk])
    response = admin_client.post(change, tally_post(province, year=2020, count_HTTNV=12, opened_version=tally.version))
    assert response.status_code == 302
    assert list(TallyCount.objects.values_list("level_id", "count")) == [("qd132:HTTNV", 12)]


@committing
def test_a_count_at_a_level_of_another_regime_is_refused_at_commit(tally):
    with pytest.raises(IntegrityError), transaction.atomic():
        TallyCount.objects.create(tally=tally, level_id="qd132:HTTNV", count=3)
    assert stored_counts(tally) == {}


@committing
def test_a_tally_moved_by_update_to_another_regime_away_from_its_counts_is_refused(tally):
    TallyCount.objects.bulk_create(counts(tally, HTTNV=14))
    with pytest.raises(IntegrityError), transaction.atomic():
        Tally.objects.filter(pk=tally.pk).update(year=2020, regime_id="qd132")
    assert Tally.objects.values_list("year", "regime_id").get() == (2023, "qd124")


def test_saving_counts_above_the_total_says_why_and_stores_nothing(tally):
    """An article's tally reaches the service without a form: it is skipped with this message."""
    level = Level.objects.get(regime=tally.regime, code="HTTNV")
    with pytest.raises(ValidationError, match=r"Tổng các mức \(18\) lớn hơn tổng số nêu trong nguồn \(17\)"):
        services.save_tally_counts(tally=tally, figures={level: (18, None)})
    assert stored_counts(tally) == {}


# Ballots: one meeting's votes add up to no more than those present


def ballot(unit, code, votes, present, year=2023):
    return Vote(unit=unit, year=year, regime_id="qd124", level_id=f"qd124:{code}", votes_for=votes, present=present)


@pytest.fixture
def unit(scales, make_unit):
    return make_unit("BP")


@committing
def test_ballots_of_one_meeting_above_those_present_are_refused_at_commit(unit):
    with pytest.raises(IntegrityError), transaction.atomic():
        Vote.objects.bulk_create([ballot(unit, "HTTNV", 30, 49), ballot(unit, "HTXSNV", 20, 49)])
    assert not Vote.objects.exists()


@committing
def test_a_ballot_raised_by_raw_sql_above_those_present_is_refused(unit):
    Vote.objects.bulk_create([ballot(unit, "HTTNV", 30, 49), ballot(unit, "HTXSNV", 19, 49)])
    with pytest.raises(IntegrityError), transaction.atomic():
        raw_sql("UPDATE ratings_vote SET votes_for = 20 WHERE level_id = 'qd124:HTXSNV'")
    assert sorted(Vote.objects.values_list("votes_for", flat=True)) == [19, 30]


@committing
def test_ballots_of_two_meetings_with_different_numbers_present_are_stored(unit):
    Vote.objects.bulk_create([ballot(unit, "HTTNV", 30, 49), ballot(unit, "HTXSNV", 30, 50)])
    assert Vote.objects.count() == 2


@committing
@pytest.mark.skipif(connection.vendor != "postgresql", reason="SQLite lets one writer in at a time")
def test_two_transactions_adding_ballots_to_one_meeting_cannot_both_commit(unit):
    both_written = threading.Barrier(2)
    results = {}

    def add(code):
        try:
            with transaction.atomic():
                # Around the application's data counter, whose lock would queue the second writer behind the
                # first: the database alone must refuse the pair.
                Vote.objects.bulk_create([ballot(unit, code, 30, 49)])
                both_written.wait(10)  # neither has committed when the other checks
            results[code] = "saved"
        except IntegrityError:
            results[code] = "refused"
        finally:
            connection.close()

    threads = [threading.Thread(target=add, args=(code,)) for code in ("HTTNV", "HTXSNV")]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(30)
    assert sorted(results.values()) == ["refused", "saved"]
    assert list(Vote.objects.values_list("votes_for", flat=True)) == [30]
