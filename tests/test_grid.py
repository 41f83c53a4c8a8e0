"""The peer-group grid: one form for every unit under a parent, saved all or nothing."""
from datetime import date

import pytest
from django.contrib.auth.models import Group
from django.urls import reverse

from ratings.models import DataVersion, Decision, EditorScope, Level, Rating, UnitKind
from ratings.services import grid

GRID = reverse("admin:ratings_rating_grid")


@pytest.fixture
def group(make_unit, rate):
    """A province with six committees and two đảng đoàn in 2023 (one committee closed in 2022),
    rated last year."""
    province = make_unit("P", name="Đảng bộ tỉnh Mẫu")
    committees = [make_unit(f"C{i}", parent=province, name=f"Đảng ủy xã {i}") for i in range(6)]
    delegations = [
        make_unit(f"DD{i}", parent=province, kind=UnitKind.PARTY_DELEGATION, name=f"Đảng đoàn {i}") for i in range(2)
    ]
    closed = make_unit("OLD", parent=province, name="Đảng ủy xã Đã Giải Thể", valid_to=2022)
    for unit in committees:
        rate(unit, 2022, "HTTNV")
    rate(delegations[0], 2022, "HTXSNV")
    return {"province": province, "committees": committees, "delegations": delegations, "closed": closed}


def open_grid(client, parent, year=2023, stage="approved"):
    return client.get(GRID, {"parent": parent.pk, "year": year, "stage": stage})


def grid_post(response, levels, **extra):
    """The form as the page was rendered, with `levels` ({unit code: level code}) and `extra` fields filled."""
    rows = response.context["group"].rows
    data = {"rows-TOTAL_FORMS": len(rows), "rows-INITIAL_FORMS": len(rows), "rows-MIN_NUM_FORMS": 0, "rows-MAX_NUM_FORMS": 1000}
    for i, row in enumerate(rows):
        data[f"rows-{i}-unit"] = row.unit.pk
        data[f"rows-{i}-opened_version"] = row.rating.version if row.rating else ""
        data[f"rows-{i}-level"] = levels.get(row.unit.code, row.rating.level.code if row.rating else "")
    for key, value in extra.items():
        data[key.replace("__", "-") if key.startswith(("rows", "decision")) else key] = value
    return data


def row_index(response, code):
    return next(i for i, row in enumerate(response.context["group"].rows) if row.unit.code == code)


def url_of(parent, year=2023, stage="approved"):
    return f"{GRID}?parent={parent.pk}&year={year}&stage={stage}"


def test_grid_lists_every_unit_of_the_group_existing_in_the_year_with_last_years_level(admin_client, group):
    response = open_grid(admin_client, group["province"])
    text = response.content.decode()
    for unit in group["committees"] + group["delegations"]:
        assert unit.name in text
    assert "Đảng ủy xã Đã Giải Thể" not in text
    rows = {row.unit.code: row for row in response.context["group"].rows}
    assert rows["C0"].previous.code == "HTTNV" and rows["DD0"].previous.code == "HTXSNV" and rows["DD1"].previous is None
    assert "Đảng đoàn" in text and "Đảng bộ trực thuộc" in text  # grouped by kind
    assert 'HTXSNV – Hoàn thành xuất sắc nhiệm vụ' in text  # code first: typing "HTT" picks HTTNV


def test_saving_sets_every_level_and_the_new_decision(admin_client, group):
    opened = open_grid(admin_client, group["province"])
    levels = {u.code: "HTTNV" for u in group["committees"]} | {"C0": "HTXSNV", "DD0": "HTTNV", "DD1": "HTNV"}
    data = grid_post(opened, levels, decision__number="123-QĐ/TU", decision__issued_on="2024-01-15", decision__kind="quyet_dinh")
    response = admin_client.post(url_of(group["province"]), data, follow=True)
    assert "Đã lưu nhóm: 8 mới" in response.content.decode()
    decision = Decision.objects.get()
    assert (decision.issuer, decision.year, decision.stage, decision.issued_on) == (group["province"], 2023, "approved", date(2024, 1, 15))
    saved = {r.unit.code: (r.level.code, r.decision_id) for r in Rating.objects.filter(year=2023).select_related("unit", "level")}
    assert saved == {code: (level, decision.pk) for code, level in levels.items()}
    assert {r.history_user.username for r in Rating.history.filter(year=2023)} == {"admin"}


def test_an_existing_decision_of_the_group_can_be_chosen(admin_client, group):
    decision = Decision.objects.create(issuer=group["province"], year=2023, stage="approved", number="9-TB/TU", issued_on=date(2024, 1, 3))
    opened = open_grid(admin_client, group["province"])
    assert "9-TB/TU" in opened.content.decode()
    admin_client.post(url_of(group["province"]), grid_post(opened, {"C1": "HTNV"}, decision__decision=decision.pk))
    assert Rating.objects.get(unit__code="C1", year=2023).decision == decision


def test_one_invalid_row_saves_nothing(admin_client, group):
    opened = open_grid(admin_client, group["province"])
    bad = row_index(opened, "C3")
    data = grid_post(opened, {u.code: "HTTNV" for u in group["committees"]},
                     decision__number="5-QĐ/TU", decision__issued_on="2024-01-15",
                     **{f"rows__{bad}__votes_for": 30, f"rows__{bad}__votes_present": 20})
    response = admin_client.post(url_of(group["province"]), data)
    text = response.content.decode()
    assert "Số phiếu đồng ý (30) không thể lớn hơn số người có mặt (20)" in text
    assert "Không lưu gì" in text
    assert not Rating.objects.filter(year=2023).exists() and not Decision.objects.exists()


def test_a_rating_saved_by_someone_else_after_opening_refuses_the_whole_save(admin_client, group, rate):
    rate(group["committees"][2], 2023, "HTNV")
    opened = open_grid(admin_client, group["province"])
    other = Rating.objects.get(unit__code="C2", year=2023)
    other.level = Level.objects.get(id="qd124:HTTNV")
    other.save()  # someone else, after the grid was opened
    rate(group["committees"][4], 2023, "HTNV")  # and a rating added meanwhile
    response = admin_client.post(url_of(group["province"]), grid_post(opened, {u.code: "HTXSNV" for u in group["committees"]}), follow=True)
    text = response.content.decode()
    assert "vừa được người khác lưu" in text and "«Đảng ủy xã 2»" in text and "«Đảng ủy xã 4»" in text
    assert not Rating.objects.filter(year=2023, level__code="HTXSNV").exists()


def test_page_carries_the_ratio_and_the_quota_figure_as_stored(admin_client, group, rate):
    for unit in group["committees"][:5]:
        rate(unit, 2023, "HTTNV")
    rate(group["committees"][5], 2023, "HTXSNV")
    text = open_grid(admin_client, group["province"]).content.decode()
    assert 'data-ratio="0.200"' in text and 'data-kind="dang_bo_truc_thuoc"' in text
    assert "HTXSNV: 1, tối đa 1 (20% của 5 HTTNV, làm tròn xuống)" in text
    assert "{excellent}" in text  # the words the script fills in
    assert "ratings/grid.js" in text and "<script>" not in text  # no inline script under the CSP


def test_quota_warning_after_saving_a_group_over_the_limit(admin_client, group):
    opened = open_grid(admin_client, group["province"])
    levels = {u.code: "HTTNV" for u in group["committees"]} | {"C0": "HTXSNV", "C1": "HTXSNV"}
    response = admin_client.post(url_of(group["province"]), grid_post(opened, levels), follow=True)
    text = response.content.decode()
    assert "vượt tỷ lệ: 2 đơn vị Hoàn thành xuất sắc nhiệm vụ, trong khi tối đa là 0" in text
    assert Rating.objects.filter(year=2023).count() == 6  # warned, never blocked


@pytest.fixture
def editor(client, django_user_model, group, make_unit):
    other = make_unit("Q", name="Đảng bộ tỉnh Khác")
    make_unit("Q1", parent=other, name="Đảng ủy xã Khác Một")
    user = django_user_model.objects.create_user("bientap", password="x-pass-12345", is_staff=True)
    user.groups.add(Group.objects.get(name="Biên tập viên"))
    EditorScope.objects.create(user=user, unit=group["province"])
    client.force_login(user)
    return client, other


def test_editor_is_not_offered_a_parent_outside_their_subtrees(editor, group):
    client, other = editor
    chooser = client.get(GRID).content.decode()
    assert "Đảng bộ tỉnh Mẫu" in chooser and "Đảng bộ tỉnh Khác" not in chooser
    response = open_grid(client, other)
    assert "Đảng ủy xã Khác Một" not in response.content.decode()
    assert "group" not in response.context
    client.post(url_of(other), {"rows-TOTAL_FORMS": 0, "rows-INITIAL_FORMS": 0})
    assert not Rating.objects.filter(unit__parent=other).exists()


def test_the_service_refuses_a_parent_outside_the_editors_subtrees(editor, group, django_user_model):
    _client, other = editor
    user = django_user_model.objects.get(username="bientap")
    with pytest.raises(grid.GridRefused):
        grid.save_peer_group(parent=other, year=2023, stage="approved", rows=[], user=user, seen_versions={})


def test_the_service_raises_the_data_version_once_and_saves_through_the_model(group, scales):
    before = DataVersion.objects.filter(pk=1).values_list("number", flat=True).first() or 0
    level = Level.objects.get(id="qd124:HTTNV")
    rows = [{"unit": unit, "level": level} for unit in group["committees"]]
    report = grid.save_peer_group(parent=group["province"], year=2023, stage="proposed", rows=rows, seen_versions={})
    assert (report.created, report.updated) == (6, 0)
    assert DataVersion.objects.get(pk=1).number > before
    assert Rating.objects.filter(year=2023, stage="proposed", level=level).count() == 6


def test_saving_again_unchanged_leaves_the_ratings_and_their_history_alone(admin_client, group, rate):
    rating = rate(group["committees"][0], 2023, "HTTNV")
    opened = open_grid(admin_client, group["province"])
    response = admin_client.post(url_of(group["province"]), grid_post(opened, {}), follow=True)
    assert "0 mới, 0 thay đổi, 1 không đổi" in response.content.decode()
    rating.refresh_from_db()
    assert rating.version == 0 and rating.history.count() == 1


def test_a_negative_vote_count_is_marked_and_saves_nothing(admin_client, group):
    opened = open_grid(admin_client, group["province"])
    data = grid_post(opened, {"C0": "HTTNV"}, **{f"rows__{row_index(opened, 'C0')}__votes_for": -1})
    text = admin_client.post(url_of(group["province"]), data).content.decode()
    assert "Không lưu gì" in text and "errorlist" in text
    assert not Rating.objects.filter(year=2023).exists()
