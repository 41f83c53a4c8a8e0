"""A user's walk through the pages in a real browser."""
import pytest

from .conftest import SCREENSHOTS

pytestmark = pytest.mark.browser


@pytest.fixture
def data(reference_data, make_unit, rate):
    """The article figures plus one province's committees rated in 2023 and 2024."""
    province = make_unit("MAU", name="Đảng bộ tỉnh Mẫu Sơn", place="Mẫu Sơn")
    levels = [("HTTNV", "HTXSNV"), ("HTTNV", "HTTNV"), ("HTNV", "HTTNV"), ("HTTNV", "HTNV"), ("HTXSNV", "HTTNV"), ("HTTNV", "HTTNV")]
    for i, (before, after) in enumerate(levels):
        unit = make_unit(f"MAU-{i}", parent=province, name=f"Đảng ủy xã Mẫu {i}")
        rate(unit, 2023, before)
        rate(unit, 2024, after)
    return province


def test_dashboard_year_and_province_switch(page, live_server, data, shot):
    page.goto(f"{live_server.url}/")
    assert "Kết quả xếp loại năm 2024" in page.inner_text("h1")
    shot("dashboard")
    page.select_option("select[name=year]", "2023")
    page.wait_for_url("**year=2023**")
    assert "Kết quả xếp loại năm 2023" in page.inner_text("h1")
    page.select_option("select[name=province]", label="Đảng bộ tỉnh Mẫu Sơn")
    page.click("#filters button[type=submit]")
    page.wait_for_load_state()
    assert "Đảng bộ tỉnh Mẫu Sơn" in page.inner_text("h1")
    assert page.locator(".ratings-table tbody tr").count() == 6
    shot("dashboard-province")


def test_filter_and_sort_the_table(page, live_server, data, shot):
    page.goto(f"{live_server.url}/?year=2024&province={data.pk}")
    page.select_option("select[name=level]", "HTTNV")
    page.click("#filters button[type=submit]")
    page.wait_for_load_state()
    rows = page.locator(".ratings-table tbody tr")
    assert rows.count() == 4
    assert all("HTTNV" in text for text in rows.all_inner_texts())
    page.goto(f"{live_server.url}/?year=2024&province={data.pk}")
    page.click(".ratings-table thead th.orderable >> text=Mức xếp loại")
    page.wait_for_url("**sort=level**")
    assert "HTXSNV" in page.locator(".ratings-table tbody tr").first.inner_text()
    shot("dashboard-sorted")


def test_open_a_unit_page_from_the_table(page, live_server, data, shot):
    page.goto(f"{live_server.url}/?year=2024&province={data.pk}")
    page.click("text=Đảng ủy xã Mẫu 0")
    page.wait_for_url("**/units/MAU-0/")
    assert page.inner_text("h1").startswith("Đảng ủy xã Mẫu 0")
    assert page.locator("table.history tbody tr").count() == 2
    shot("unit")


@pytest.mark.parametrize(
    ("path", "heading", "name"),
    [
        ("/compare/years/?year=2024", "So sánh năm 2023 với năm 2024", "compare-years"),
        ("/compare/units/?year=2024", "Đơn vị qua các năm", "compare-units"),
        ("/compare/provinces/?year=2023", "So sánh các tỉnh, thành phố năm 2023", "compare-provinces"),
        ("/units/TRA-VINH/", "Đảng bộ tỉnh Trà Vinh", "unit-tra-vinh"),
    ],
)
def test_each_comparison_page_opens(page, live_server, data, shot, path, heading, name):
    page.goto(live_server.url + path)
    assert heading in page.inner_text("h1")
    shot(name)


def test_csv_download(page, live_server, data):
    page.goto(f"{live_server.url}/?year=2024&province={data.pk}")
    with page.expect_download() as download_info:
        page.click("text=Tải CSV")
    raw = open(download_info.value.path(), "rb").read()
    assert raw.startswith(b"\xef\xbb\xbf")  # the byte-order mark Excel needs to read Vietnamese
    assert download_info.value.suggested_filename == f"xep-loai-2024-{data.code}.csv"
    content = raw.decode("utf-8-sig")
    lines = content.strip().splitlines()
    assert lines[0].startswith("Đơn vị,") and len(lines) == 7
    assert "Đảng ủy xã Mẫu 0" in content


def test_dashboard_reads_on_a_phone(browser, live_server, data, page, shot):
    page.set_viewport_size({"width": 390, "height": 844})
    page.goto(f"{live_server.url}/?year=2024")
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= 400
    shot("dashboard-phone")


CSP_PAGES = [
    "/?year=2024", "/compare/years/?year=2024", "/compare/units/?year=2024", "/compare/provinces/?year=2024",
    "/units/MAU-1/", "/admin/", "/admin/ratings/unit/", "/admin/ratings/rating/?year=2024", "/admin/ratings/rating/add/",
    "/admin/ratings/tally/add/", "/admin/ratings/source/", "/admin/ratings/source/import/",
]


def test_no_page_trips_the_content_security_policy(page, live_server, data, django_user_model):
    """Every script and style the pages need comes from the site: Chromium reports no refusal, the
    badges keep their colours and the admin's unit picker still opens."""
    django_user_model.objects.filter(username="canbo").update(is_superuser=True)
    refused = []
    page.on("console", lambda message: refused.append(message.text) if "Content Security Policy" in message.text else None)
    for url in CSP_PAGES:
        page.goto(f"{live_server.url}{url}")
        page.wait_for_load_state("networkidle")
    page.goto(f"{live_server.url}/admin/ratings/rating/add/")
    page.click(".field-unit .select2-selection")
    page.wait_for_selector(".select2-results__option")
    page.goto(f"{live_server.url}/?year=2024")
    badge = page.locator(".level-badge").first
    assert badge.evaluate("element => getComputedStyle(element).backgroundColor") != "rgba(0, 0, 0, 0)"
    assert refused == []


def test_a_viewer_signs_in_on_the_site_and_reads_a_page(browser, live_server, data, django_user_model):
    from django.contrib.auth.models import Group

    viewer = django_user_model.objects.create_user("nguoixem", password="xem-thu-2026-an-toan")
    # Live-server tests empty the tables after each test, the groups of the roles migration included.
    viewer.groups.add(Group.objects.get_or_create(name="Người xem")[0])
    context = browser.new_context(viewport={"width": 1366, "height": 900})
    page = context.new_page()
    page.goto(f"{live_server.url}/compare/years/?year=2024")
    assert "/login/" in page.url
    SCREENSHOTS.mkdir(exist_ok=True)
    page.screenshot(path=SCREENSHOTS / "login.png", full_page=True)
    page.fill("#id_username", "nguoixem")
    page.fill("#id_password", "xem-thu-2026-an-toan")
    page.click(".login-form button[type=submit]")
    page.wait_for_url("**/compare/years/**")
    assert "Nhập liệu" not in page.inner_text(".main-nav")
    context.close()


def test_an_administrator_sees_a_sources_figures_before_deleting_it(page, live_server, data, django_user_model, shot):
    from ratings.models import Rating, Source

    django_user_model.objects.filter(username="canbo").update(is_superuser=True)
    source = Source.objects.filter(ratings__isnull=False).first()
    page.goto(f"{live_server.url}/admin/ratings/source/{source.pk}/delete/")
    shot("source-delete")
    assert "không còn nguồn này" in page.inner_text("#content")
    page.click("input[type=submit]")
    page.wait_for_load_state()
    assert not Source.objects.filter(pk=source.pk).exists()
    assert Rating.objects.filter(source__isnull=True).exists()


def test_unit_page_shows_the_scorecard_and_the_quarters(page, live_server, scales, make_unit, rate, shot):
    from decimal import Decimal

    from ratings.models import Level, QuarterRating

    unit = make_unit("XA", name="Đảng ủy xã Thử Điểm")
    rate(unit, 2025, "HTXSNV", score=Decimal("93.5"), tasks_assigned=24, tasks_on_time=22, tasks_late=2,
         tasks_exceeded=9, disciplined=False)
    for quarter, code, score in ((1, "HTTNV", 82), (2, "HTXSNV", 91), (3, "HTTNV", 88)):
        QuarterRating.objects.create(unit=unit, year=2025, quarter=quarter, level=Level.objects.get(pk=f"qd366:{code}"),
                                     score=Decimal(score), tasks_assigned=6, tasks_on_time=6, tasks_exceeded=2)
    page.goto(f"{live_server.url}/units/XA/")
    cards = page.locator("table.scorecards").first
    assert "91,67% nhiệm vụ hoàn thành đúng hạn, cần 100%" in cards.inner_text()
    assert page.locator("table.scorecards").nth(1).locator("tbody tr").count() == 3
    shot("unit-scorecard")


def test_jobs_page_shows_each_jobs_progress_and_file(page, live_server, transactional_db, shot):
    from django.contrib.auth.models import User

    from ratings import tasks
    from ratings.models import Job, JobKind, JobStatus
    from ratings.services import jobs

    user = User.objects.get(username="canbo")
    running = tasks.submit(user=user, kind=JobKind.REPORT, title="Báo cáo Excel năm 2025", params={}, total=297_817)
    Job.objects.filter(pk=running.pk).update(status=JobStatus.RUNNING)
    running.report(119_000)
    ready = tasks.submit(user=user, kind=JobKind.ARTICLES, title="Nhập 3 bài viết", params={}, total=3)
    Job.objects.filter(pk=ready.pk).update(result={"articles": [
        {"name": "bai-1.txt", "created": 4, "unchanged": 0, "conflicts": 0, "skipped": 1, "already": False, "error": ""},
        {"name": "bai-2.txt", "created": 0, "unchanged": 0, "conflicts": 0, "skipped": 0, "already": True, "error": ""},
        {"name": "anh.txt", "created": 0, "unchanged": 0, "conflicts": 0, "skipped": 0, "already": False, "error": "Không đọc được"},
    ]})
    jobs.finish(ready)
    page.goto(f"{live_server.url}/jobs/")
    rows = page.locator("table.jobs tbody tr")
    assert rows.count() == 2
    assert rows.nth(1).locator("progress").get_attribute("value") == "39"  # the newest job first
    page.click("summary")
    assert "Không đọc được" in page.inner_text("table.jobs")
    shot("jobs")
