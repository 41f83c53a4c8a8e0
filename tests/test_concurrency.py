"""Two people editing the same figure: the second save is refused with a message, never lost silently."""
import re
import threading
import time

import pytest
from django.contrib.auth import get_user_model
from django.db import connection, transaction
from django.db.models import F
from django.test import Client
from django.urls import reverse

from ratings.aggregates import data_version
from ratings.forms import VersionCheckedForm
from ratings.models import ConcurrentEdit, Rating, Tally

from .test_admin import rating_post, tally_post

REFUSED = "vừa được người khác sửa lúc"
BUSY = "đang được người khác lưu"
LEVELS = ["HTXSNV", "HTNV", "KHTNV", "HTTNV"]


@pytest.fixture
def rating(rate, make_unit):
    return rate(make_unit("BP", name="Đảng bộ tỉnh Thử Nghiệm"), 2023, "HTTNV")


def change_url(rating):
    return reverse("admin:ratings_rating_change", args=[rating.pk])


def opened_version(page):
    return int(re.search(r'name="opened_version" value="(\d+)"', page.content.decode()).group(1))


def staff_client(username):
    user = get_user_model().objects.create_superuser(username, password="x")
    client = Client()
    client.force_login(user)
    return client


def test_the_second_of_two_open_forms_is_refused_and_saves_nothing(rating):
    first, second = staff_client("mot"), staff_client("hai")
    version_one, version_two = opened_version(first.get(change_url(rating))), opened_version(second.get(change_url(rating)))

    first.post(change_url(rating), rating_post(rating.unit, level="HTXSNV", opened_version=version_one), follow=True)
    response = second.post(change_url(rating), rating_post(rating.unit, level="KHTNV", note="của người thứ hai", opened_version=version_two))

    assert response.status_code == 200
    assert "Kết quả này vừa được người khác sửa lúc" in response.content.decode()
    assert "hãy tải lại trang để xem bản mới rồi sửa lại" in response.content.decode()
    saved = Rating.objects.get()
    assert (saved.level.code, saved.note, saved.version) == ("HTXSNV", "", 1)
    assert saved.history.count() == 2


def test_a_change_landing_between_the_check_and_the_save_is_refused_in_the_form(rating, admin_client, monkeypatch):
    """The form's check passed, then someone else's save committed: the database's compare-and-swap refuses."""
    clean = VersionCheckedForm.clean
    checks = []

    def check_that_misses_the_race(form):
        checks.append(form)
        if len(checks) == 1:
            form.instance.version = 0
            return super(VersionCheckedForm, form).clean()
        return clean(form)

    Rating.objects.filter(pk=rating.pk).update(version=F("version") + 1, note="của người khác")
    monkeypatch.setattr(VersionCheckedForm, "clean", check_that_misses_the_race)
    response = admin_client.post(change_url(rating), rating_post(rating.unit, level="KHTNV", opened_version=0))

    assert response.status_code == 200 and len(checks) == 2
    assert "Kết quả này vừa được người khác sửa" in response.content.decode()
    assert (Rating.objects.get().level.code, Rating.objects.get().note) == ("HTTNV", "của người khác")


def test_a_stale_copy_cannot_be_saved_over_a_newer_one(rating):
    stale = Rating.objects.get(pk=rating.pk)
    rating.note = "mới"
    rating.save()
    stale.note = "cũ"
    with pytest.raises(ConcurrentEdit), transaction.atomic():
        stale.save()
    assert Rating.objects.get().note == "mới"


def test_a_tally_opened_before_someone_elses_save_is_refused(admin_client, scales, make_unit):
    province = make_unit("BP")
    admin_client.post(reverse("admin:ratings_tally_add"), tally_post(province, count_HTTNV=14))
    tally = Tally.objects.get()
    url = reverse("admin:ratings_tally_change", args=[tally.pk])
    admin_client.post(url, tally_post(province, count_HTTNV=15, opened_version=0))
    response = admin_client.post(url, tally_post(province, count_HTTNV=16, opened_version=0))
    assert "Số liệu này vừa được người khác sửa lúc" in response.content.decode()
    assert Tally.objects.get().count_of("HTTNV") == 15


def run_in_threads(work, n, *, prepare=lambda i: None):
    """Run work(i, prepared) in n threads at once, each after its own prepare(i), each on its own connection."""
    barrier = threading.Barrier(n)
    results = [None] * n

    def run(i):
        try:
            prepared = prepare(i)
            barrier.wait()
            results[i] = work(i, prepared)
        finally:
            connection.close()

    threads = [threading.Thread(target=run, args=(i,)) for i in range(n)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(60)
    return results


@pytest.mark.django_db(transaction=True)
def test_parallel_saves_of_one_version_land_once_and_the_rest_are_refused(rating):
    """Each thread read the rating at the same version; the database lets exactly one save through."""
    from ratings.forms import RatingForm

    def open_and_check(i):
        instance = Rating.objects.get(pk=rating.pk)
        form = RatingForm(rating_post(rating.unit, level=LEVELS[i % 4], note=f"luồng {i}", opened_version=0), instance=instance)
        assert form.is_valid(), form.errors
        return form

    def save(i, form):
        return form if form.save_or_refuse() is None else "saved"

    n = 8
    results = run_in_threads(save, n, prepare=open_and_check)
    refused = [r for r in results if r != "saved"]
    assert results.count("saved") == 1 and len(refused) == n - 1
    assert all(REFUSED in str(f.non_field_errors()) or BUSY in str(f.non_field_errors()) for f in refused)
    saved = Rating.objects.get()
    assert saved.version == 1 and saved.note == f"luồng {results.index('saved')}"


@pytest.mark.django_db(transaction=True)
def test_parallel_admin_posts_land_once_and_every_other_user_sees_the_message(rating):
    n = 6
    clients = [staff_client(f"canbo{i}") for i in range(n)]

    def post(i, _prepared):
        response = clients[i].post(change_url(rating), rating_post(rating.unit, level=LEVELS[i % 4], note=f"người {i}", opened_version=0))
        if response.status_code == 302:
            return "saved"
        text = clients[i].get(change_url(rating)).content.decode() if response.status_code != 200 else response.content.decode()
        return "refused" if REFUSED in text or BUSY in text else text[:2000]

    results = run_in_threads(post, n)
    assert results.count("saved") == 1 and results.count("refused") == n - 1, results
    saved = Rating.objects.get()
    assert saved.version == 1 and saved.note == f"người {results.index('saved')}"


@pytest.mark.django_db(transaction=True)
def test_two_transactions_writing_ratings_in_opposite_orders_queue_and_never_deadlock(rate, make_unit):
    """Each writer locks the data-version counter before any rating, so crossing writers wait in turn."""
    province = make_unit("BP")
    pks = [rate(province, year, "HTTNV").pk for year in (2023, 2024)]

    def write(i, _prepared):
        try:
            with transaction.atomic():
                for step, pk in enumerate(pks if i == 0 else pks[::-1]):
                    rating = Rating.objects.get(pk=pk)
                    rating.note = f"luồng {i}"
                    rating.save()
                    if step == 0:
                        time.sleep(0.5)  # the other writer starts on its first rating meanwhile
        except ConcurrentEdit:
            return "refused"
        return "saved"

    results = run_in_threads(write, 2)
    assert sorted(results) in (["refused", "saved"], ["saved", "saved"]), results
    notes = set(Rating.objects.values_list("note", flat=True))
    assert len(notes) == 1  # one writer's whole transaction, never half of each


def counter():
    return int(data_version().split("-")[0])


@pytest.mark.django_db(transaction=True)
def test_a_save_outside_any_transaction_moves_the_data_version_once(rating):
    before = counter()
    rating.note = "sửa ngoài giao dịch"
    rating.save()
    assert counter() == before + 1


def test_a_save_inside_a_transaction_moves_the_data_version_once(rating):
    before = counter()
    with transaction.atomic():
        rating.note = "sửa trong giao dịch"
        rating.save()
    assert counter() == before + 1
