"""backup_data and restore_data: a round trip loses nothing and changes nothing."""
import gzip
import json
from datetime import date, datetime
from decimal import Decimal

import pytest
from django.apps import apps
from django.contrib.auth.models import Group, User
from django.core.management import call_command
from django.core.management.base import CommandError

from ratings.models import (
    Decision,
    CriterionGrade,
    DataVersion,
    RatingCount,
    TransitionCount,
    EditorScope,
    Level,
    Rating,
    Source,
    Tally,
    TallyCount,
    Unit,
    UnitKind,
    Vote,
)


def stored(value):
    """Django's JSON keeps times to the millisecond; Source.imported_at is the only time stored."""
    if isinstance(value, datetime):
        return value.replace(microsecond=value.microsecond // 1000 * 1000)
    return value


COUNT_KEYS = {
    RatingCount: ("year", "stage", "province", "parent", "kind", "level"),
    TransitionCount: ("year", "stage", "province", "previous", "level"),
}


def rating_rows():
    """Every row of every ratings model, field by field, keyed by model."""
    rows = {}
    for model in apps.get_app_config("ratings").get_models():
        if model in (RatingCount, TransitionCount):  # not in the backup: rebuilt by the triggers as ratings load
            rows[model._meta.label] = sorted(model.objects.filter(n__gt=0).values_list(*COUNT_KEYS[model], "n"))
            continue
        if model is DataVersion:  # the cache counter, not rating data
            continue
        names = [field.attname for field in model._meta.concrete_fields]
        keyed = hasattr(model, "natural_key")
        rows[model._meta.label] = [
            ((obj.natural_key() if keyed else None), tuple(stored(getattr(obj, name)) for name in names))
            for obj in model._default_manager.order_by("pk")
        ]
    return rows


def account_rows():
    return sorted(
        (u.username, u.password, u.is_staff, u.is_superuser, tuple(sorted(u.groups.values_list("name", flat=True))))
        for u in User.objects.all()
    ) + sorted((g.name, tuple(sorted(g.permissions.values_list("codename", flat=True)))) for g in Group.objects.all())


def rating_tables_empty():
    return not any(m._default_manager.exists() for m in apps.get_app_config("ratings").get_models())


def delete_ratings_tables():
    """What a fresh, migrated database holds: no ratings rows, no history of them."""
    for model in (EditorScope, TallyCount, Tally, Vote, CriterionGrade, Rating, Decision, Source):
        model.objects.all().delete()
    Unit.objects.update(parent=None, successor=None)
    Unit.objects.all().delete()
    Level.objects.all().delete()
    apps.get_model("ratings", "Regime").objects.all().delete()
    for model in apps.get_app_config("ratings").get_models():
        model._default_manager.all().delete()
    assert rating_tables_empty()


@pytest.fixture
def rich_data(reference_data, make_unit, rate):
    """The article data plus a merged province, nested units, sources entered by hand and an editor."""
    old = make_unit("TEST-OLD", valid_to=2025)
    new = make_unit("TEST-NEW", valid_from=2025)
    old.successor = new
    old.save()
    district = make_unit("TEST-OLD-D1", parent=old)
    cell = make_unit("TEST-OLD-D1-C1", parent=district, kind=UnitKind.CELL)
    typed = [Source.objects.create(title=f"Nhập tay {n}") for n in (1, 2)]  # no content hash
    rate(old, 2024, "HTXSNV", votes_for=40, votes_present=45, source=typed[0], evidence="«đạt 40/45 phiếu»")
    rate(district, 2024, "HTTNV", stage="self", note="tự đánh giá")
    decision = Decision.objects.create(issuer=old, year=2024, stage="approved", number="1-QĐ/TU", issued_on=date(2025, 1, 10))
    rate(cell, 2024, "HTNV", source=typed[1], decision=decision)
    rate(new, 2025, "HTTNV")
    tally = Tally.objects.create(parent=old, year=2024, group="Tổ chức cơ sở đảng", total=120, source=typed[1])
    for code, count, percent in (("HTXSNV", 20, Decimal("16.67")), ("HTTNV", 90, None)):
        TallyCount.objects.create(tally=tally, level=Level.objects.get(regime=tally.regime, code=code), count=count, percent=percent)
    Vote.objects.create(unit=old, year=2024, level=Level.objects.get(id="qd124:HTXSNV"), votes_for=40, present=45)
    CriterionGrade.objects.create(unit=new, year=2025, content="Công tác kiểm tra", grade="tot", position=3)
    editor = User.objects.create_user("bientap", password="mat-khau-dai-123", is_staff=True)
    editor.groups.add(Group.objects.get_or_create(name="Biên tập viên")[0])
    EditorScope.objects.create(user=editor, unit=district)


@pytest.mark.parametrize("name", ["backup.json", "backup.json.gz"])
def test_round_trip_keeps_every_row(rich_data, tmp_path, name):
    before = rating_rows()
    assert Source.objects.filter(content_hash=None).count() == 2
    path = tmp_path / name
    call_command("backup_data", "-o", str(path), verbosity=0)

    delete_ratings_tables()
    call_command("restore_data", str(path), verbosity=0)

    assert rating_rows() == before
    assert Unit.objects.get(code="TEST-OLD-D1-C1").path == "/TEST-OLD/TEST-OLD-D1/TEST-OLD-D1-C1/"


def test_a_restore_moves_the_data_version_and_the_backup_leaves_it_out(rich_data, tmp_path):
    from ratings.aggregates import data_version

    path = tmp_path / "backup.json"
    call_command("backup_data", "-o", str(path), verbosity=0)
    assert "ratings.dataversion" not in {record["model"] for record in json.loads(path.read_text())}
    before = data_version()
    call_command("restore_data", str(path), "--force", verbosity=0)
    assert data_version() != before


def test_restored_database_accepts_new_rows(rich_data, tmp_path, make_unit):
    path = tmp_path / "backup.json"
    call_command("backup_data", "-o", str(path), verbosity=0)
    delete_ratings_tables()
    call_command("restore_data", str(path), verbosity=0)
    assert make_unit("TEST-AFTER").pk > Unit.objects.exclude(code="TEST-AFTER").order_by("pk").last().pk


def test_users_and_groups_only_with_the_flag(rich_data, tmp_path):
    plain, with_users = tmp_path / "plain.json", tmp_path / "users.json"
    call_command("backup_data", "-o", str(plain), verbosity=0)
    call_command("backup_data", "-o", str(with_users), "--with-users", verbosity=0)
    assert not {r["model"] for r in json.loads(plain.read_text())} & {"auth.user", "auth.group"}
    assert {"auth.user", "auth.group"} <= {r["model"] for r in json.loads(with_users.read_text())}

    ratings_before, accounts_before = rating_rows(), account_rows()
    delete_ratings_tables()
    User.objects.all().delete()
    Group.objects.all().delete()
    call_command("restore_data", str(with_users), verbosity=0)

    assert account_rows() == accounts_before
    scope = EditorScope.objects.get()
    assert (scope.user.username, scope.unit.code) == ("bientap", "TEST-OLD-D1")
    restored = rating_rows()
    restored.pop("ratings.EditorScope"), ratings_before.pop("ratings.EditorScope")  # the user's id is new
    assert restored == ratings_before


def test_scopes_of_users_missing_here_are_refused(rich_data, tmp_path):
    path = tmp_path / "plain.json"
    call_command("backup_data", "-o", str(path), verbosity=0)
    delete_ratings_tables()
    User.objects.filter(username="bientap").delete()
    with pytest.raises(CommandError, match="users this database does not have: bientap"):
        call_command("restore_data", str(path), verbosity=0)
    assert not Unit.objects.exists()


def test_restore_refuses_a_database_with_rating_data(rich_data, tmp_path):
    path = tmp_path / "backup.json"
    call_command("backup_data", "-o", str(path), verbosity=0)
    Unit.objects.filter(code="TEST-NEW").update(name="Đã sửa sau sao lưu")
    before = rating_rows()
    with pytest.raises(CommandError, match="already holds rating data"):
        call_command("restore_data", str(path), verbosity=0)
    assert rating_rows() == before


def test_force_replaces_the_data_with_the_backup(rich_data, tmp_path, make_unit):
    path = tmp_path / "backup.json"
    before = rating_rows()
    call_command("backup_data", "-o", str(path), verbosity=0)
    Unit.objects.filter(code="TEST-NEW").update(name="Đã sửa sau sao lưu")
    make_unit("TEST-LATER")
    call_command("restore_data", str(path), "--force", verbosity=0)
    assert rating_rows() == before


@pytest.mark.parametrize(
    "name, content",
    [
        ("cut.json", b'[{"model": "ratings.unit", "pk": 1, "fields": {"code": "X"'),
        ("cut.json.gz", gzip.compress(b"[" + b'{"model": "ratings.regime"}, ' * 50 + b"]")[:-20]),
        ("text.json.gz", b"not gzip at all"),
        ("other.json", b'{"units": []}'),
        ("alien.json", b'[{"model": "shop.order", "pk": 1, "fields": {}}]'),
    ],
)
def test_damaged_file_gives_a_clear_message_and_changes_nothing(reference_data, tmp_path, name, content):
    delete_ratings_tables()
    path = tmp_path / name
    path.write_bytes(content)
    with pytest.raises(CommandError, match="nothing was changed"):
        call_command("restore_data", str(path), verbosity=0)
    assert rating_tables_empty()


def test_a_file_failing_half_way_leaves_nothing(scales, tmp_path):
    path = tmp_path / "broken.json"
    call_command("backup_data", "-o", str(path), verbosity=0)
    records = json.loads(path.read_text())
    records.append({"model": "ratings.unit", "pk": 99, "fields": {"code": "X", "name": "X", "kind": "nope", "parent": 12345, "path": "/X/"}})
    path.write_text(json.dumps(records))
    delete_ratings_tables()
    with pytest.raises(CommandError, match="could not be loaded, nothing was changed"):
        call_command("restore_data", str(path), verbosity=0)
    assert rating_tables_empty()


def test_backup_names_must_say_json(db, tmp_path):
    with pytest.raises(CommandError, match=r"must end in \.json or \.json\.gz"):
        call_command("backup_data", "-o", str(tmp_path / "backup.txt"), verbosity=0)
