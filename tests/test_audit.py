"""The audit trail: who changed what, when, and the values before and after."""
import pytest
from django.urls import reverse

from ratings import services
from ratings.models import Level, Rating, Tally, TallyCount, Unit
from ratings.reports.template import build_template

from .test_admin import rating_post
from .test_excel_import import fill, sheet_of, xlsx


@pytest.fixture
def province(make_unit):
    return make_unit("BP", name="Đảng bộ tỉnh Thử Nghiệm")


@pytest.fixture
def rating(rate, province):
    return rate(province, 2023, "HTTNV")


def change_rating(client, rating, **overrides):
    data = rating_post(rating.unit, opened_version=rating.version, **overrides)
    return client.post(reverse("admin:ratings_rating_change", args=[rating.pk]), data, follow=True)


def test_changing_a_rating_in_the_admin_records_the_user_and_both_levels(admin_client, admin_user, rating):
    assert change_rating(admin_client, rating, level="HTXSNV").status_code == 200
    changed, created = rating.history.all()[:2]
    assert changed.history_type == "~" and changed.history_user == admin_user
    assert (created.level.code, changed.level.code) == ("HTTNV", "HTXSNV")
    delta = changed.diff_against(created)
    assert delta.changed_fields == ["level"]
    assert [(c.old, c.new) for c in delta.changes] == [(created.level_id, changed.level_id)]


def test_the_history_page_of_a_rating_shows_the_old_and_new_level(admin_client, admin_user, rating):
    change_rating(admin_client, rating, level="HTXSNV")
    page = admin_client.get(reverse("admin:ratings_rating_history", args=[rating.pk])).content.decode()
    old, new = (Level.objects.get(regime_id="qd124", code=code).label for code in ("HTTNV", "HTXSNV"))
    assert old in page and new in page
    assert admin_user.username in page


def test_deleting_a_tally_is_recorded_with_its_counts(admin_client, admin_user, scales, province):
    tally = Tally.objects.create(parent=province, year=2023, group="các đảng bộ trực thuộc")
    TallyCount.objects.create(tally=tally, level_id="qd124:HTTNV", count=14)
    url = reverse("admin:ratings_tally_delete", args=[tally.pk])
    admin_client.post(url, {"post": "yes"}, follow=True)
    assert not Tally.objects.exists()
    deleted = Tally.history.filter(id=tally.pk).latest()
    assert deleted.history_type == "-" and deleted.history_user == admin_user
    assert deleted.group == "các đảng bộ trực thuộc"
    assert TallyCount.history.filter(tally_id=tally.pk, history_type="-").get().count == 14


def test_a_unit_edited_in_the_admin_keeps_its_old_name(admin_client, province):
    data = {"code": "BP", "name": "Đảng bộ tỉnh Mới", "kind": province.kind,
            "ratings-TOTAL_FORMS": 0, "ratings-INITIAL_FORMS": 0}
    admin_client.post(reverse("admin:ratings_unit_change", args=[province.pk]), data, follow=True)
    assert Unit.objects.get().name == "Đảng bộ tỉnh Mới"
    assert list(province.history.values_list("name", flat=True)) == ["Đảng bộ tỉnh Mới", "Đảng bộ tỉnh Thử Nghiệm"]


def test_an_editor_cannot_read_the_history_of_another_provinces_rating(client, django_user_model, rating):
    from django.contrib.auth.models import Group

    editor = django_user_model.objects.create_user("bientap", is_staff=True)
    editor.groups.add(Group.objects.get(name="Biên tập viên"))
    client.force_login(editor)
    assert client.get(reverse("admin:ratings_rating_history", args=[rating.pk])).status_code == 404


@pytest.fixture
def editor_of(client, django_user_model):
    from django.contrib.auth.models import Group

    from ratings.models import EditorScope

    def login(unit):
        editor = django_user_model.objects.create_user(f"bientap-{unit.code}", is_staff=True)
        editor.groups.add(Group.objects.get(name="Biên tập viên"))
        EditorScope.objects.create(user=editor, unit=unit)
        client.force_login(editor)
        return client

    return login


def history_status(client, model, pk):
    url = reverse(f"admin:ratings_{model}_history", args=[pk])
    return client.get(url).status_code, client.get(f"{url}1/").status_code


def test_a_deleted_ratings_history_stays_with_its_province(editor_of, rate, make_unit, province):
    other = make_unit("XX", name="Đảng bộ tỉnh Khác")
    theirs, ours = rate(other, 2023, "HTTNV"), rate(province, 2023, "HTNV")
    pks = {"theirs": theirs.pk, "ours": ours.pk}
    Rating.objects.all().delete()
    client = editor_of(province)
    assert history_status(client, "rating", pks["theirs"])[0] == 404
    assert history_status(client, "rating", pks["ours"])[0] == 200


def test_a_deleted_units_history_stays_with_its_province(editor_of, make_unit, province):
    other = make_unit("XX", name="Đảng bộ tỉnh Khác")
    theirs, ours = make_unit("XX-1", parent=other), make_unit("BP-1", parent=province)
    pks = {"theirs": theirs.pk, "ours": ours.pk}
    theirs.delete()
    ours.delete()
    client = editor_of(province)
    assert history_status(client, "unit", pks["theirs"]) == (404, 404)
    assert history_status(client, "unit", pks["ours"])[0] == 200


def test_a_tally_deleted_with_its_unit_keeps_the_units_recorded_province(editor_of, scales, make_unit, province):
    other = make_unit("XX", name="Đảng bộ tỉnh Khác")
    committee = make_unit("XX-1", parent=other)
    tally = Tally.objects.create(parent=committee, year=2023, group="các chi bộ")
    pk = tally.pk
    tally.delete()
    committee.delete()
    assert history_status(editor_of(province), "tally", pk)[0] == 404


def test_an_excel_upload_leaves_history_and_moves_the_version(rate, make_unit):
    province = make_unit("P", name="Đảng bộ tỉnh P")
    unit = make_unit("A", parent=province)
    stored = rate(unit, 2024, "HTTNV")
    workbook = build_template(year=2024, scope=province)
    fill(sheet_of(workbook), "A", level="HTXSNV")
    fill(sheet_of(workbook), "P", level="HTNV")

    services.apply_excel_ratings(plan=services.plan_excel_ratings(file=xlsx(workbook)))

    changed = Rating.objects.get(pk=stored.pk)
    assert changed.level.code == "HTXSNV" and changed.version == stored.version + 1
    assert [h.level.code for h in changed.history.all()] == ["HTXSNV", "HTTNV"]
    assert Rating.objects.get(unit=province).history.get().history_type == "+"
