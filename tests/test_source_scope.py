"""Sources are shared reading, but an editor changes, deletes or cites one only within their subtrees."""
import pytest
from django.db.models import ProtectedError
from django.urls import reverse

from ratings.models import Rating, Source

from .test_permissions import editor, member, provinces  # noqa: F401  (fixtures)


@pytest.fixture
def sourced(provinces):
    """An article about province B only, one about A only, and one naming both."""
    about_b = Source.objects.create(title="Bài về Hà Tĩnh", content_hash="b" * 64)
    about_a = Source.objects.create(title="Bài về Nghệ An", content_hash="a" * 64)
    both = Source.objects.create(title="Bài về hai tỉnh", content_hash="c" * 64)
    for rating, source in ((provinces["a_rating"], about_a), (provinces["b_rating"], about_b)):
        rating.source = source
        rating.save()
    return {**provinces, "about_b": about_b, "about_a": about_a, "both": both}


@pytest.fixture
def administrator(client, django_user_model, provinces):
    client.force_login(member(django_user_model, "quantri", "Quản trị viên"))
    return client


def change_post(source, **changes):
    data = {"title": source.title, "url": source.url, "file_name": source.file_name, "note": source.note, **changes}
    for prefix in ("ratings", "tallys", "votes", "criteriongrades"):
        data.update({f"{prefix}-TOTAL_FORMS": 0, f"{prefix}-INITIAL_FORMS": 0})
    return data


def test_an_editor_reads_another_provinces_source_but_cannot_change_it(editor, sourced):
    url = reverse("admin:ratings_source_change", args=[sourced["about_b"].pk])
    page = editor.get(url)
    assert page.status_code == 200 and 'name="_save"' not in page.content.decode()

    response = editor.post(url, change_post(sourced["about_b"], title="Đã sửa"))

    assert response.status_code == 403
    assert Source.objects.get(pk=sourced["about_b"].pk).title == "Bài về Hà Tĩnh"


def test_an_editor_changes_a_source_whose_figures_are_all_theirs(editor, sourced):
    url = reverse("admin:ratings_source_change", args=[sourced["about_a"].pk])
    editor.post(url, change_post(sourced["about_a"], title="Bài về Nghệ An (sửa)"))
    assert Source.objects.get(pk=sourced["about_a"].pk).title == "Bài về Nghệ An (sửa)"


def test_an_editor_cannot_delete_a_source_with_figures_even_their_own(editor, sourced):
    for source in (sourced["about_a"], sourced["about_b"]):
        url = reverse("admin:ratings_source_delete", args=[source.pk])
        assert editor.get(url).status_code == 403
        assert editor.post(url, {"post": "yes"}).status_code == 403
    assert Source.objects.filter(pk__in=[sourced["about_a"].pk, sourced["about_b"].pk]).count() == 2


def test_bulk_delete_by_an_editor_deletes_nothing(editor, sourced):
    before = Source.objects.count()
    data = {"action": "delete_selected", "_selected_action": [sourced["about_b"].pk, sourced["both"].pk], "post": "yes"}
    editor.post(reverse("admin:ratings_source_changelist"), data)
    assert Source.objects.count() == before
    assert Rating.objects.get(pk=sourced["b_rating"].pk).source_id == sourced["about_b"].pk


def test_an_administrator_sees_the_figures_before_deleting_and_they_keep_their_history(administrator, sourced):
    url = reverse("admin:ratings_source_delete", args=[sourced["about_b"].pk])
    confirmation = administrator.get(url).content.decode()
    assert "Đảng ủy xã Hà Một" in confirmation and "không còn nguồn này" in confirmation

    administrator.post(url, {"post": "yes"})

    rating = Rating.objects.get(pk=sourced["b_rating"].pk)
    assert not Source.objects.filter(pk=sourced["about_b"].pk).exists()
    assert rating.source_id is None and rating.level.code == "HTTNV"
    last = rating.history.first()
    assert last.source_id is None and last.history_user.username == "quantri"
    assert last.prev_record.source_id == sourced["about_b"].pk


def test_a_source_with_figures_is_never_deleted_silently(sourced):
    with pytest.raises(ProtectedError):
        sourced["about_b"].delete()
    assert Rating.objects.get(pk=sourced["b_rating"].pk).source_id == sourced["about_b"].pk


def test_source_changes_are_recorded_in_history(administrator, sourced):
    url = reverse("admin:ratings_source_change", args=[sourced["both"].pk])
    administrator.post(url, change_post(sourced["both"], title="Bài về hai tỉnh (sửa)"))
    titles = list(sourced["both"].history.values_list("title", flat=True))
    assert titles == ["Bài về hai tỉnh (sửa)", "Bài về hai tỉnh"]
    assert administrator.get(reverse("admin:ratings_source_history", args=[sourced["both"].pk])).status_code == 200


def test_an_editor_cannot_cite_another_provinces_source(editor, sourced):
    data = {
        "unit": sourced["a_unit"].pk, "year": 2024, "stage": "approved", "level": "HTTNV",
        "source": sourced["about_b"].pk,
    }
    response = editor.post(reverse("admin:ratings_rating_add"), data)
    assert response.status_code == 200 and "source" in response.context["adminform"].form.errors
    assert not Rating.objects.filter(unit=sourced["a_unit"], year=2024).exists()


def test_the_source_picker_offers_an_editor_only_sources_they_may_cite(editor, sourced):
    params = {"app_label": "ratings", "model_name": "rating", "field_name": "source", "term": "Bài"}
    found = {row["text"] for row in editor.get(reverse("admin:autocomplete"), params).json()["results"]}
    assert found == {"Bài về Nghệ An", "Bài về hai tỉnh"}
