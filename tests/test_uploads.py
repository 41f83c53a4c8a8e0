"""Uploads waiting for their confirmation: bounded per user and in total, swept when expired."""
import os
import time

import pytest
from django.contrib.auth.models import User
from django.core.management import call_command
from django.urls import reverse

from ratings.models import Rating
from ratings.reports.template import build_template
from ratings.services import uploads

from .test_excel_import import YEAR, fill, sheet_of, xlsx

IMPORT_URL = reverse("admin:ratings_rating_excel_import")


@pytest.fixture(autouse=True)
def store_in_tmp(settings, tmp_path):
    settings.VAR_DIR = tmp_path
    settings.UPLOADS_KEPT = {"PER_USER": 3, "TOTAL_BYTES": 10_000, "MAX_AGE": 3600}


@pytest.fixture
def people(db):
    return User.objects.create_user("an"), User.objects.create_user("binh")


def keep(user, size=100):
    return uploads.keep_upload(user=user, data=b"x" * size, meta={"seen": {}})


def age(token_owner, token, seconds):
    entry = uploads.store() / str(token_owner.pk) / token
    past = time.time() - seconds
    os.utime(entry, (past, past))


def test_a_user_keeps_only_the_newest_few_uploads(people):
    an, binh = people
    tokens = [keep(an) for _ in range(3)]
    for n, token in enumerate(tokens):
        age(an, token, 100 - n)  # the first kept is the oldest
    others = keep(binh)
    newest = keep(an)

    kept = [t for t in [*tokens, newest] if uploads.kept_upload(user=an, token=t)]
    assert kept == [*tokens[1:], newest]
    assert uploads.kept_upload(user=binh, token=others) is not None


def test_a_full_store_refuses_a_new_upload_with_a_message_and_keeps_nothing(people):
    an, binh = people
    keep(an, 6_000)
    with pytest.raises(uploads.UploadRefused, match="quá nhiều tệp chờ xác nhận"):
        keep(binh, 5_000)
    assert not (uploads.store() / str(binh.pk)).exists() or not any((uploads.store() / str(binh.pk)).iterdir())


def test_expired_uploads_make_room_again(people):
    an, binh = people
    old = keep(an, 6_000)
    age(an, old, 2 * 3600)
    assert keep(binh, 5_000)
    assert uploads.kept_upload(user=an, token=old) is None


def test_one_user_cannot_reach_anothers_upload(people):
    an, binh = people
    token = keep(an)
    assert uploads.kept_upload(user=binh, token=token) is None
    uploads.discard_upload(user=binh, token=token)
    assert uploads.kept_upload(user=an, token=token) is not None


def test_the_hourly_purge_removes_what_expired_and_keeps_the_rest(people):
    an, binh = people
    old, fresh = keep(an), keep(binh)
    age(an, old, 2 * 3600)

    call_command("purge_uploads", verbosity=0)

    assert uploads.kept_upload(user=an, token=old) is None
    assert not (uploads.store() / str(an.pk)).exists()
    assert uploads.kept_upload(user=binh, token=fresh) is not None


def test_an_expired_preview_cannot_be_confirmed(tree_for_uploads, admin_client, admin_user):
    workbook = build_template(year=YEAR, scope=tree_for_uploads)
    fill(sheet_of(workbook), "A", level="HTTNV")
    token = admin_client.post(IMPORT_URL, {"file": xlsx(workbook)}).context["token"]
    age(admin_user, token, 2 * 3600)

    response = admin_client.post(IMPORT_URL, {"confirm": "1", "token": token}, follow=True)

    assert "Tệp đã tải lên không còn" in response.content.decode()
    assert not Rating.objects.exists()


def test_the_preview_says_when_the_store_is_full(tree_for_uploads, admin_client, people, settings):
    settings.UPLOADS_KEPT = {"PER_USER": 3, "TOTAL_BYTES": 1_000, "MAX_AGE": 3600}
    workbook = build_template(year=YEAR, scope=tree_for_uploads)
    fill(sheet_of(workbook), "A", level="HTTNV")

    response = admin_client.post(IMPORT_URL, {"file": xlsx(workbook)})

    assert "quá nhiều tệp chờ xác nhận" in response.content.decode()
    assert "token" not in response.context or not response.context["token"]
    assert 'name="confirm"' not in response.content.decode()


@pytest.fixture
def tree_for_uploads(scales, make_unit):
    province = make_unit("P")
    make_unit("A", parent=province)
    return province
