"""Two sessions editing the same ballot, content grade, source or unit: the second save is refused, never silent."""
import pytest
from django.db import transaction
from django.urls import reverse

from ratings.models import CriterionGrade, Source, Unit, Vote

from .test_concurrency import opened_version, staff_client

REFUSED = "vừa được người khác sửa lúc"


def unit_post(obj, **changes):
    data = {
        "code": obj.code, "name": obj.name, "place": obj.place, "kind": obj.kind,
        "parent": obj.parent_id or "", "valid_from": "", "valid_to": "", "successor": "",
        "ratings-TOTAL_FORMS": 0, "ratings-INITIAL_FORMS": 0,
    }
    return {**data, **changes}


def vote_post(obj, **changes):
    data = {"unit": obj.unit_id, "year": obj.year, "level": obj.level.code, "votes_for": obj.votes_for,
            "present": obj.present, "evidence": ""}
    return {**data, **changes}


def grade_post(obj, **changes):
    data = {"unit": obj.unit_id, "year": obj.year, "stage": obj.stage, "position": obj.position,
            "content": obj.content, "grade": obj.grade, "evidence": ""}
    return {**data, **changes}


def source_post(obj, **changes):
    data = {"title": obj.title, "url": "", "file_name": "", "published": "", "note": ""}
    for prefix in ("ratings", "tallys", "votes", "criteriongrades"):
        data.update({f"{prefix}-TOTAL_FORMS": 0, f"{prefix}-INITIAL_FORMS": 0})
    return {**data, **changes}


@pytest.fixture
def edited(scales, make_unit):
    from ratings.models import Level

    province = make_unit("BP", name="Đảng bộ tỉnh Thử Nghiệm")
    unit = make_unit("BP-1", parent=province, name="Đảng ủy xã Một")
    return {
        "unit": (unit, unit_post, {"name": "Đảng ủy xã Một (A)"}, {"name": "Đảng ủy xã Một (B)"}, "name", "Đơn vị này"),
        "vote": (
            Vote.objects.create(unit=unit, year=2023, level=Level.objects.get(id="qd124:HTTNV"), votes_for=40, present=45),
            vote_post, {"votes_for": 41}, {"votes_for": 30}, "votes_for", "Kết quả biểu quyết này",
        ),
        "criteriongrade": (
            CriterionGrade.objects.create(unit=unit, year=2023, stage="self", content="Chính trị tư tưởng", grade="tot"),
            grade_post, {"grade": "xuat_sac"}, {"grade": "kem"}, "grade", "Cấp độ này",
        ),
        "source": (
            Source.objects.create(title="Bài viết gốc", content_hash="s" * 64),
            source_post, {"title": "Bài viết (A)"}, {"title": "Bài viết (B)"}, "title", "Nguồn này",
        ),
    }


@pytest.mark.parametrize("model", ["unit", "vote", "criteriongrade", "source"])
def test_the_second_of_two_open_forms_is_refused_and_the_first_save_stays(edited, model):
    obj, post, first_change, second_change, field, named = edited[model]
    url = reverse(f"admin:ratings_{model}_change", args=[obj.pk])
    first, second = staff_client("mot"), staff_client("hai")
    one, two = opened_version(first.get(url)), opened_version(second.get(url))

    first.post(url, post(obj, opened_version=one, **first_change))
    response = second.post(url, post(obj, opened_version=two, **second_change))

    assert response.status_code == 200
    assert f"{named} {REFUSED}" in response.content.decode()
    stored = type(obj).objects.get(pk=obj.pk)
    assert getattr(stored, field) == list(first_change.values())[0]
    assert stored.version == 1 and stored.history.count() == 2


def test_a_stale_unit_copy_saved_by_code_is_refused_too(edited):
    from ratings.models import ConcurrentEdit

    unit = edited["unit"][0]
    stale = Unit.objects.get(pk=unit.pk)
    Unit.objects.get(pk=unit.pk).save()
    stale.name = "Tên cũ ghi đè"
    with pytest.raises(ConcurrentEdit), transaction.atomic():
        stale.save()
    assert Unit.objects.get(pk=unit.pk).name == "Đảng ủy xã Một"
