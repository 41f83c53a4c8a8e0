"""The article preview: what each figure would do beside what is stored, the user's choices, the kept text."""
import io
import os
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest
from django.contrib.auth.models import Group
from django.core.management import call_command
from django.test import override_settings
from django.urls import reverse

from ratings import services
from ratings.models import EditorScope, Level, Rating, Source, Stage, Subject, Tally, TallyCount, Unit, Vote
from ratings.services import uploads
from ratings.services.articles import assess_plan

from .conftest import FIXTURES

IMPORT = reverse("admin:ratings_source_import")
ARTICLE = (
    "Đảng bộ tỉnh Hà Tĩnh đánh giá chất lượng năm 2023\n"
    "Ngày 25-1, Ban Chấp hành Đảng bộ tỉnh Hà Tĩnh họp và thống nhất xếp loại Đảng bộ tỉnh Hà Tĩnh "
    "năm 2023 đạt mức hoàn thành tốt nhiệm vụ.\n"
    "Kết quả xếp loại các đảng bộ trực thuộc Tỉnh ủy có 3 đơn vị hoàn thành xuất sắc nhiệm vụ, "
    "15 đơn vị hoàn thành tốt nhiệm vụ và 1 đơn vị hoàn thành nhiệm vụ.\n"
)
GROUP = "các đảng bộ trực thuộc Tỉnh ủy"
AT_OR_ABOVE = (
    "Đảng bộ tỉnh Hà Tĩnh đánh giá chất lượng tổ chức cơ sở đảng năm 2023\n"
    "Toàn tỉnh có 412 tổ chức cơ sở đảng hoàn thành tốt nhiệm vụ trở lên, "
    "trong đó 98 tổ chức hoàn thành xuất sắc nhiệm vụ.\n"
)


@pytest.fixture
def ha_tinh(scales):
    """The article units without the article figures, so every stored figure here comes from the test."""
    call_command("loaddata", FIXTURES / "units.json", verbosity=0)
    return Unit.objects.get(code="HA-TINH")


@pytest.fixture
def bloc(ha_tinh, make_unit):
    return make_unit("HA-TINH-KHOI", parent=ha_tinh, name="Đảng bộ Khối các cơ quan tỉnh Hà Tĩnh")


def level(code, year=2023):
    return Level.objects.in_scale_of(year, code)


def preview(client, text=ARTICLE, **data):
    response = client.post(IMPORT, {"text": text, "preview": "1", **data})
    assert response.status_code == 200
    return response


def defaults(response):
    """What the preview form posts when the user changes nothing: each figure ticked with its year, stage and unit."""
    data = {"token": response.context["token"]}
    for row in response.context["rows"]:
        planned, key = row["planned"], row["planned"].key
        data.update({f"keep-{key}": "on", f"year-{key}": planned.year or ""})
        if planned.stage:
            data[f"stage-{key}"] = planned.stage
        if planned.unit is not None:
            data[f"unit-{key}"] = planned.unit.pk
        if planned.kind == "tally":
            data.update({f"group-{key}": planned.group, f"subject-{key}": planned.subject})
    return data


def confirm(client, response, **changes):
    """Post the preview form with `changes`; a change to None unticks or leaves out that field."""
    data = {key: value for key, value in {**defaults(response), "confirm": "1", **changes}.items() if value is not None}
    return client.post(IMPORT, data, follow=True)


def editor_of(client, django_user_model, unit):
    user = django_user_model.objects.create_user("bientap", password="x-pass-12345", is_staff=True)
    user.groups.add(Group.objects.get(name="Biên tập viên"))
    EditorScope.objects.create(user=user, unit=unit)
    client.force_login(user)
    return client


def stored_tally(parent, counts, *, group=GROUP, stage=Stage.UNKNOWN, at_or_above=None):
    tally = Tally.objects.create(parent=parent, year=2023, stage=stage, group=group)
    services.save_tally_counts(
        tally=tally,
        figures={level(code): (n, None) for code, n in counts.items()},
        at_or_above={level(code): (n, None) for code, n in (at_or_above or {}).items()},
    )
    return tally


# Duplicates and contradictions, on screen before anything is saved


def test_preview_lists_a_contradicting_level_with_the_stored_one_and_saves_nothing(admin_client, ha_tinh, rate):
    stored = rate(ha_tinh, 2023, "HTXSNV")

    page = preview(admin_client).content.decode()

    assert "Mâu thuẫn" in page and "đã lưu «HTXSNV», bài viết ghi «HTTNV»" in page
    assert reverse("admin:ratings_rating_change", args=[stored.pk]) in page
    assert Rating.objects.get() == stored and not Source.objects.exists()


def test_confirming_a_contradiction_keeps_the_stored_level(admin_client, ha_tinh, rate):
    rate(ha_tinh, 2023, "HTXSNV")

    page = confirm(admin_client, preview(admin_client)).content.decode()

    assert Rating.objects.get(unit=ha_tinh, year=2023).level.code == "HTXSNV"
    assert "Mâu thuẫn, không ghi đè" in page


def test_choosing_another_stage_saves_the_articles_level_beside_the_stored_one(admin_client, ha_tinh, rate):
    rate(ha_tinh, 2023, "HTXSNV")

    confirm(admin_client, preview(admin_client), **{"stage-rating-0": Stage.PROPOSED})

    levels = dict(Rating.objects.filter(unit=ha_tinh, year=2023).values_list("stage", "level__code"))
    assert levels == {Stage.APPROVED: "HTXSNV", Stage.PROPOSED: "HTTNV"}


def test_preview_marks_a_figure_already_stored_as_unchanged(admin_client, ha_tinh, rate):
    stored = rate(ha_tinh, 2023, "HTTNV")

    page = preview(admin_client).content.decode()

    assert "đã có, không đổi" in page
    assert reverse("admin:ratings_rating_change", args=[stored.pk]) in page


def test_preview_shows_a_stored_tally_with_other_counts(admin_client, ha_tinh):
    stored = stored_tally(ha_tinh, {"HTXSNV": 2, "HTTNV": 16, "HTNV": 1})

    page = preview(admin_client).content.decode()

    assert "đã lưu «2 HTXSNV, 16 HTTNV, 1 HTNV», bài viết ghi «3 HTXSNV, 15 HTTNV, 1 HTNV»" in page
    assert reverse("admin:ratings_tally_change", args=[stored.pk]) in page


def test_preview_shows_a_stored_ballot_with_other_numbers(admin_client, ha_tinh):
    stored = Vote.objects.create(unit=ha_tinh, year=2023, level=level("HTTNV"), votes_for=47, present=50)
    text = ARTICLE + "Biểu quyết, 48/50 đồng chí có mặt tán thành mức hoàn thành tốt nhiệm vụ.\n"

    page = preview(admin_client, text).content.decode()

    assert "đã lưu «47/50», bài viết ghi «48/50»" in page
    assert reverse("admin:ratings_vote_change", args=[stored.pk]) in page


def test_the_preview_verdicts_are_what_the_import_does(ha_tinh, rate):
    rate(ha_tinh, 2023, "HTXSNV")
    plan = assess_plan(services.plan_article(text=ARTICLE, name="bai.txt"))
    promised = {planned.key: planned.verdict.status for planned in plan.figures}

    services.import_article(plan=plan)

    assert promised == {"rating-0": "conflict", "tally-0": "new"}
    assert {planned.key: planned.verdict.status for planned in plan.figures} == promised


def test_nothing_saved_leaves_no_source(admin_client, ha_tinh, rate):
    rate(ha_tinh, 2023, "HTXSNV")
    response = preview(admin_client)

    confirm(admin_client, response, **{"keep-tally-0": None})

    assert not Source.objects.exists()


def test_an_article_imported_before_previews_as_changing_nothing(admin_client, ha_tinh):
    confirm(admin_client, preview(admin_client))
    response = preview(admin_client)

    assert "Bài viết này đã được nhập" in response.content.decode()
    assert {row["status"] for row in response.context["rows"]} == {"skipped"}
    confirm(admin_client, response)
    assert Source.objects.count() == 1 and Rating.objects.count() == 1


# The user's choices


def test_the_preview_shows_each_tallys_group_subject_and_parent_choices(admin_client, ha_tinh, bloc):
    response = preview(admin_client)
    page = response.content.decode()

    assert f'name="group-tally-0" value="{GROUP}"' in page
    assert 'name="subject-tally-0"' in page and 'name="stage-rating-0"' in page
    parents = response.context["rows"][1]["options"]
    assert {u.code for u in parents} == {"HA-TINH", "HA-TINH-BTV", "HA-TINH-KHOI"}


def test_changing_a_tallys_group_subject_parent_and_stage_changes_what_is_stored(admin_client, ha_tinh, bloc):
    confirm(admin_client, preview(admin_client), **{
        "group-tally-0": "các chi bộ trực thuộc", "subject-tally-0": Subject.INDIVIDUAL,
        "unit-tally-0": bloc.pk, "stage-tally-0": Stage.APPROVED,
    })

    tally = Tally.objects.get()
    assert (tally.parent, tally.group, tally.subject, tally.stage) == (bloc, "các chi bộ trực thuộc", Subject.INDIVIDUAL, Stage.APPROVED)
    assert tally.level_counts() == {"HTXSNV": 3, "HTTNV": 15, "HTNV": 1}


def test_a_parent_outside_the_editors_scope_is_refused_and_nothing_saved(client, django_user_model, ha_tinh):
    editor = editor_of(client, django_user_model, ha_tinh)
    response = preview(editor)

    page = confirm(editor, response, **{"unit-tally-0": Unit.objects.get(code="NGHE-AN").pk}).content.decode()

    assert "nằm ngoài phạm vi được giao" in page
    assert not Rating.objects.exists() and not Tally.objects.exists() and not Source.objects.exists()


def test_an_editor_import_of_another_provinces_article_saves_none_of_its_figures(client, django_user_model, ha_tinh):
    editor = editor_of(client, django_user_model, Unit.objects.get(code="NGHE-AN"))
    response = preview(editor)
    assert "ngoài phạm vi được giao" in response.content.decode()

    page = confirm(editor, response).content.decode()

    assert "ngoài phạm vi được giao" in page
    assert not Rating.objects.exists() and not Source.objects.exists()


def test_confirm_saves_only_the_ticked_figures(admin_client, ha_tinh):
    page = confirm(admin_client, preview(admin_client), **{"keep-tally-0": None}).content.decode()

    assert Rating.objects.count() == 1 and not Tally.objects.exists()
    assert "Đã lưu 1 số liệu" in page


def test_confirm_takes_the_corrected_year(admin_client, ha_tinh):
    confirm(admin_client, preview(admin_client), **{"year-rating-0": "2024"})

    assert Rating.objects.get().year == 2024


# Counts of a level and every level above it


def test_a_count_at_or_above_a_level_is_shown_and_stored_as_such(admin_client, ha_tinh):
    response = preview(admin_client, AT_OR_ABOVE)
    assert "từ HTTNV trở lên: 412" in response.content.decode()

    confirm(admin_client, response)

    counts = {(c.level.code, c.or_above): c.count for c in TallyCount.objects.select_related("level")}
    assert counts == {("HTXSNV", False): 98, ("HTTNV", True): 412}


def test_a_stored_count_at_or_above_with_the_same_figures_is_unchanged(admin_client, ha_tinh):
    stored_tally(ha_tinh, {"HTXSNV": 98}, group="tổ chức cơ sở đảng", at_or_above={"HTTNV": 412})

    page = preview(admin_client, AT_OR_ABOVE).content.decode()

    assert "đã có, không đổi" in page


# The text waits on the server between preview and confirm


def test_the_preview_keeps_the_text_on_the_server_not_in_the_page(admin_client, ha_tinh):
    response = preview(admin_client)
    page = response.content.decode()

    assert 'name="token"' in page and 'name="text"' not in page
    kept = uploads.kept_upload(user=response.wsgi_request.user, token=response.context["token"])
    assert kept.path.read_text(encoding="utf-8").startswith("Đảng bộ tỉnh Hà Tĩnh")


def test_an_article_of_almost_five_megabytes_previews_and_confirms(admin_client, ha_tinh):
    filler = "Các đại biểu thảo luận về công tác xây dựng Đảng và phát triển kinh tế - xã hội của tỉnh.\n"
    body = ARTICLE + filler * ((int(4.9 * 1024 * 1024) - len(ARTICLE.encode())) // len(filler.encode()))
    upload = io.BytesIO(body.encode("utf-8"))
    upload.name = "bai-dai.txt"
    assert 4.8 * 1024 * 1024 < len(upload.getvalue()) < 5 * 1024 * 1024

    response = admin_client.post(IMPORT, {"file": upload, "preview": "1"})
    assert "thống nhất xếp loại Đảng bộ tỉnh Hà Tĩnh" in response.content.decode()

    confirm(admin_client, response)
    assert Rating.objects.get(unit=ha_tinh, year=2023).source == Source.objects.get(file_name="bai-dai.txt")


def test_a_pasted_article_of_almost_five_megabytes_previews_and_confirms(admin_client, ha_tinh):
    filler = "Hội nghị bàn về công tác kiểm tra, giám sát trong năm tới.\n"
    body = ARTICLE + filler * ((int(4.9 * 1024 * 1024) - len(ARTICLE.encode())) // len(filler.encode()))

    response = admin_client.post(IMPORT, {"text": body, "preview": "1"})
    assert response.status_code == 200 and "thống nhất xếp loại Đảng bộ tỉnh Hà Tĩnh" in response.content.decode()

    confirm(admin_client, response)
    assert Rating.objects.filter(unit=ha_tinh, year=2023).exists()


def test_a_confirm_without_a_token_says_so_and_saves_nothing(admin_client, ha_tinh):
    response = admin_client.post(IMPORT, {"text": ARTICLE, "confirm": "1", "keep-rating-0": "on"}, follow=True)

    assert "Bài viết chờ xác nhận không còn" in response.content.decode()
    assert not Rating.objects.exists() and not Source.objects.exists()


def test_another_users_token_says_so_and_saves_nothing(admin_client, client, django_user_model, ha_tinh):
    response = preview(admin_client)
    other = django_user_model.objects.create_superuser("khac", password="x-pass-12345")
    client.force_login(other)

    page = confirm(client, response).content.decode()

    assert "Bài viết chờ xác nhận không còn" in page
    assert not Rating.objects.exists() and not Source.objects.exists()


def test_an_expired_token_says_so_and_saves_nothing(admin_client, ha_tinh, settings):
    response = preview(admin_client)
    kept = uploads.kept_upload(user=response.wsgi_request.user, token=response.context["token"])
    old = time.time() - settings.UPLOADS_KEPT["MAX_AGE"] - 60
    os.utime(kept.path.parent, (old, old))

    page = confirm(admin_client, response).content.decode()

    assert "Bài viết chờ xác nhận không còn" in page
    assert not Rating.objects.exists() and not Source.objects.exists()


def test_a_confirmed_token_cannot_save_twice(admin_client, ha_tinh):
    response = preview(admin_client)
    confirm(admin_client, response)

    page = confirm(admin_client, response).content.decode()

    assert "Bài viết chờ xác nhận không còn" in page
    assert Source.objects.count() == 1


# An article given by its address


class ArticlePage(BaseHTTPRequestHandler):
    def do_GET(self):
        if self.path != "/bai-viet.html":
            self.send_error(404)
            return
        paragraphs = "".join(f"<p>{line}</p>" for line in ARTICLE.splitlines()[1:])
        body = (
            f"<html><head><meta charset='utf-8'><title>{ARTICLE.splitlines()[0]}</title></head>"
            f"<body><article><h1>{ARTICLE.splitlines()[0]}</h1>{paragraphs}</article></body></html>"
        ).encode("utf-8")
        self.send_response(200)
        self.send_header("Content-Type", "text/html; charset=utf-8")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args):
        pass


@pytest.fixture
def news_site():
    server = ThreadingHTTPServer(("127.0.0.1", 0), ArticlePage)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    with override_settings(ARTICLE_FETCH_ALLOW_PRIVATE=True):
        yield f"http://127.0.0.1:{server.server_address[1]}"
    server.shutdown()
    server.server_close()


def test_an_article_from_a_link_gives_its_source_the_address(admin_client, ha_tinh, news_site):
    url = f"{news_site}/bai-viet.html"
    response = admin_client.post(IMPORT, {"url": url, "preview": "1"})
    assert "thống nhất xếp loại Đảng bộ tỉnh Hà Tĩnh" in response.content.decode()

    confirm(admin_client, response)

    source = Source.objects.get()
    assert source.url == url and Rating.objects.get(unit=ha_tinh).source == source


def test_a_link_that_cannot_be_fetched_shows_why_on_the_form(admin_client, ha_tinh, news_site):
    page = admin_client.post(IMPORT, {"url": f"{news_site}/khong-co.html", "preview": "1"}).content.decode()

    assert "Máy chủ trả lời lỗi HTTP 404" in page
    assert not Source.objects.exists()


def test_a_pasted_text_with_a_link_beside_it_keeps_no_address(admin_client, ha_tinh):
    confirm(admin_client, preview(admin_client, url="https://example.org/bai-khac.html"))

    assert Source.objects.get().url == ""
