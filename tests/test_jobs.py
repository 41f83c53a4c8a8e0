"""Background jobs as a user lives them: queued, running with a bar, done with a file only they can
download, expired and removed, interrupted by a restart and run again or failed with the reason.

The worker runs as `manage.py run` starts it (jobs_worker over the database queue), so these tests
commit for real (transactional_db): the worker works outside any test transaction.
"""
import gzip
import json
import os
import signal
import socket
import subprocess
import sys
import time
from datetime import timedelta
from types import SimpleNamespace

import pytest
from django.conf import settings
from django.contrib.auth.models import User
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from ratings import tasks
from ratings.management.commands.jobs_worker import local_worker_name
from ratings.models import Job, JobKind, JobStatus
from ratings.services import jobs


@pytest.fixture(autouse=True)
def jobs_in_tmp(settings, tmp_path):
    settings.VAR_DIR = tmp_path


@pytest.fixture
def boss(transactional_db, client):
    user = User.objects.create_superuser("sep", password="mat-khau-dai-9")
    client.force_login(user)
    return user


def work_the_queue():
    call_command("jobs_worker", batch=True, verbosity=0)


def backup_job(client):
    client.post(reverse("ratings:backup_job"))
    return Job.objects.get()


def test_a_job_is_queued_runs_and_its_file_downloads(boss, client):
    job = backup_job(client)
    assert (job.status, job.kind, job.user) == (JobStatus.QUEUED, JobKind.BACKUP, boss)
    assert DBTaskResult.objects.get(id=job.task_id).status == "READY"
    page = client.get(reverse("ratings:jobs")).content.decode()
    assert "Sao lưu toàn bộ dữ liệu" in page and "Đang chờ" in page

    work_the_queue()

    job.refresh_from_db()
    assert job.status == JobStatus.DONE and job.file_name.endswith(".json.gz")
    assert job.expires_at > timezone.now() + timedelta(hours=settings.JOB_FILE_HOURS - 1)
    status = client.get(reverse("ratings:job_status", args=[job.pk])).json()
    assert (status["status"], status["downloadable"]) == ("done", True)
    response = client.get(reverse("ratings:job_download", args=[job.pk]))
    records = json.loads(gzip.decompress(b"".join(response.streaming_content)))
    assert response["Content-Disposition"].startswith("attachment") and isinstance(records, list)
    assert job.file_name in client.get(reverse("ratings:jobs")).content.decode()


def test_another_user_neither_sees_nor_downloads_the_job(boss, client):
    job = backup_job(client)
    work_the_queue()
    other = User.objects.create_user("khac", password="mat-khau-dai-9", is_staff=True)
    client.force_login(other)
    assert client.get(reverse("ratings:job_status", args=[job.pk])).status_code == 404
    assert client.get(reverse("ratings:job_download", args=[job.pk])).status_code == 404
    assert "Sao lưu" not in client.get(reverse("ratings:jobs")).content.decode()
    assert client.post(reverse("ratings:backup_job")).status_code == 403  # not an administrator of the system
    assert Job.objects.count() == 1


def test_an_expired_job_loses_its_file_and_its_row(boss, client):
    job = backup_job(client)
    work_the_queue()
    job.refresh_from_db()
    folder = job.path.parent
    assert folder.exists()
    Job.objects.filter(pk=job.pk).update(expires_at=timezone.now() - timedelta(minutes=1))
    assert client.get(reverse("ratings:job_download", args=[job.pk])).status_code == 404
    assert jobs.purge_expired() == 1
    assert not folder.exists() and not Job.objects.exists()


def test_progress_is_what_the_status_reports(boss, client):
    job = backup_job(client)
    job.report(1200, total=4800)
    status = client.get(reverse("ratings:job_status", args=[job.pk])).json()
    assert (status["done"], status["total"], status["percent"]) == (1200, 4800, 25)


def interrupted(user, *, attempts, worker):
    """A job its worker held when it was stopped: running, last heard of long ago."""
    job = tasks.submit(user=user, kind=JobKind.BACKUP, title="Sao lưu", params={"file_name": "sao-luu.json.gz"})
    quiet = timezone.now() - timedelta(seconds=settings.JOB_STALE_SECONDS + 60)
    Job.objects.filter(pk=job.pk).update(status=JobStatus.RUNNING, attempts=attempts, worker=worker, heartbeat_at=quiet)
    DBTaskResult.objects.all().delete()  # the stopped worker's claim is gone with it
    return job


def test_a_job_interrupted_by_a_restart_runs_again(boss):
    job = interrupted(boss, attempts=1, worker=local_worker_name())
    work_the_queue()  # the restarted worker recovers what it held, then works the queue
    job.refresh_from_db()
    assert (job.status, job.attempts) == (JobStatus.DONE, 2)


def test_a_job_interrupted_again_fails_with_the_reason(boss):
    job = interrupted(boss, attempts=settings.JOB_ATTEMPTS, worker="another-host:1")
    assert tasks.recover_interrupted() == (0, 1)
    job.refresh_from_db()
    assert job.status == JobStatus.FAILED and "bị gián đoạn 2 lần" in job.message


def test_a_job_that_breaks_fails_with_a_message_and_leaves_no_file(boss):
    job = tasks.submit(user=boss, kind=JobKind.REPORT, title="Báo cáo", params={"year": 2024})  # no file name, no stage
    work_the_queue()
    job.refresh_from_db()
    assert job.status == JobStatus.FAILED and "lỗi ngoài dự kiến" in job.message
    assert not (settings.VAR_DIR / "jobs" / str(job.pk)).exists()


def free_port():
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def manage(args, env, **kwargs):
    return subprocess.run([sys.executable, "manage.py", *args], cwd=settings.BASE_DIR, env=env, capture_output=True,
                          text=True, timeout=120, **kwargs)


def test_manage_py_run_serves_and_works_the_jobs_until_ctrl_c(tmp_path):
    env = {key: value for key, value in os.environ.items() if key not in ("DATABASE_URL", "DJANGO_SETTINGS_MODULE")}
    env.update(RATINGS_VAR_DIR=str(tmp_path / "var"), DJANGO_SETTINGS_MODULE="config.settings", TASKS_BACKEND="db")
    port = free_port()
    server = subprocess.Popen([sys.executable, "manage.py", "run", f"127.0.0.1:{port}"], cwd=settings.BASE_DIR, env=env,
                              stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True, start_new_session=True)
    try:
        for _ in range(120):
            try:
                socket.create_connection(("127.0.0.1", port), timeout=1).close()
                break
            except OSError:
                time.sleep(0.5)
        submit = (
            "from django.contrib.auth.models import User; from ratings import tasks; from ratings.models import JobKind;"
            "job = tasks.submit(user=User.objects.get(username='admin'), kind=JobKind.BACKUP, title='x',"
            " params={'file_name': 'b.json.gz'}); print(job.pk)"
        )
        pk = manage(["shell", "-c", submit], env).stdout.strip().splitlines()[-1]
        status = ""
        for _ in range(90):
            status = manage(["shell", "-c", f"from ratings.models import Job; print(Job.objects.get(pk={pk}).status)"], env)
            status = status.stdout.strip().splitlines()[-1]
            if status in ("done", "failed"):
                break
            time.sleep(1)
        assert status == "done"
        children = [int(pid) for pid in subprocess.run(["pgrep", "-P", str(server.pid)], capture_output=True, text=True).stdout.split()]
        assert children  # the worker runs beside the server
    finally:
        os.killpg(server.pid, signal.SIGINT)  # Ctrl-C reaches the whole group, as in a terminal
        output, _ = server.communicate(timeout=60)
    assert "jobs_worker" in output and server.returncode is not None
    for pid in children:
        with pytest.raises(ProcessLookupError):
            os.kill(pid, 0)


def upload_of(year, rows):
    import io

    import openpyxl
    from django.core.files.uploadedfile import SimpleUploadedFile

    workbook = openpyxl.Workbook()
    sheet = workbook.active
    sheet.append(["Mã đơn vị", "Năm", "Mức xếp loại"])
    for code, level in rows:
        sheet.append([code, year, level])
    buffer = io.BytesIO()
    workbook.save(buffer)
    return SimpleUploadedFile("ket-qua-lon.xlsx", buffer.getvalue())


@pytest.fixture
def committees(boss):
    from django.core.management import call_command as load

    from ratings.models import Unit

    load("loaddata", settings.BASE_DIR / "fixtures" / "scales.json", verbosity=0)
    province = Unit.objects.create(code="P", name="Đảng bộ tỉnh P", kind="dang_bo_tinh")
    return [Unit.objects.create(code=f"P-{i}", name=f"Đảng bộ {i}", kind="dang_bo_truc_thuoc", parent=province) for i in range(30)]


def test_a_large_upload_is_previewed_and_saved_by_jobs(boss, client, committees, monkeypatch):
    from ratings import services
    from ratings.models import Rating

    monkeypatch.setattr(services, "EXCEL_JOB_BYTES", 1024)
    file = upload_of(2024, [(unit.code, "HTTNV") for unit in committees])
    response = client.post(reverse("admin:ratings_rating_excel_import"), {"file": file, "preview": "1"})
    assert response.status_code == 302 and response["Location"] == reverse("ratings:jobs")
    preview = Job.objects.get()
    assert preview.kind == JobKind.EXCEL_PREVIEW and not Rating.objects.exists()

    work_the_queue()
    preview.refresh_from_db()
    assert (preview.status, preview.done, preview.total) == (JobStatus.DONE, 30, 30)
    assert "Xem trước và xác nhận" in client.get(reverse("ratings:jobs")).content.decode()
    page = client.get(reverse("admin:ratings_rating_excel_job", args=[preview.pk])).content.decode()
    assert 'id="count-new">30<' in page and "ket-qua-lon.xlsx" in page

    client.post(reverse("admin:ratings_rating_excel_job", args=[preview.pk]))
    work_the_queue()
    confirm = Job.objects.get(kind=JobKind.EXCEL_CONFIRM)
    assert confirm.status == JobStatus.DONE and "30 mới" in confirm.message
    assert Rating.objects.filter(year=2024).count() == 30


def test_a_rating_changed_after_the_preview_refuses_the_whole_upload(boss, client, committees, monkeypatch):
    from ratings import services
    from ratings.models import Level, Rating

    monkeypatch.setattr(services, "EXCEL_JOB_BYTES", 1024)
    client.post(reverse("admin:ratings_rating_excel_import"), {"file": upload_of(2024, [(u.code, "HTTNV") for u in committees]), "preview": "1"})
    work_the_queue()
    preview = Job.objects.get()
    Rating.objects.create(unit=committees[3], year=2024, level=Level.objects.get(pk="qd124:HTXSNV"))  # someone else, meanwhile
    client.post(reverse("admin:ratings_rating_excel_job", args=[preview.pk]))
    work_the_queue()
    confirm = Job.objects.get(kind=JobKind.EXCEL_CONFIRM)
    assert confirm.status == JobStatus.FAILED and "sau khi bạn xem trước" in confirm.message
    assert Rating.objects.count() == 1


def test_a_large_unit_table_is_previewed_and_saved_by_jobs(boss, client, settings):
    from django.core.files.uploadedfile import SimpleUploadedFile

    from ratings.models import Unit
    from ratings.services.organization import sample_unit_table

    settings.UNIT_TABLE_JOB_BYTES = 1024
    table = SimpleUploadedFile("cay-don-vi.xlsx", sample_unit_table(units=300, committees=5, grassroots=45))
    response = client.post(reverse("admin:ratings_unit_import"), {"file": table, "preview": "1"})
    assert response.status_code == 302 and response["Location"] == reverse("ratings:jobs")
    preview = Job.objects.get()
    assert preview.kind == JobKind.UNITS_PREVIEW and not Unit.objects.exists()

    work_the_queue()
    preview.refresh_from_db()
    assert (preview.status, preview.done, preview.total) == (JobStatus.DONE, 300, 300)
    jobs_page = client.get(reverse("ratings:jobs")).content.decode()
    assert reverse("admin:ratings_unit_import_job", args=[preview.pk]) in jobs_page
    page = client.get(reverse("admin:ratings_unit_import_job", args=[preview.pk])).content.decode()
    assert 'id="count-new">300<' in page and "cay-don-vi.xlsx" in page and "Xác nhận và lưu tất cả" in page

    client.post(reverse("admin:ratings_unit_import_job", args=[preview.pk]))
    work_the_queue()
    confirm = Job.objects.get(kind=JobKind.UNITS_CONFIRM)
    assert confirm.status == JobStatus.DONE and "300 mới" in confirm.message
    assert Unit.objects.count() == 300


def test_a_unit_changed_after_the_preview_refuses_the_whole_table(boss, client, settings):
    from django.core.files.uploadedfile import SimpleUploadedFile

    from ratings.models import Unit
    from ratings.services.organization import sample_unit_table

    settings.UNIT_TABLE_JOB_BYTES = 1024
    first = SimpleUploadedFile("cay.xlsx", sample_unit_table(units=300, committees=5, grassroots=45))
    client.post(reverse("admin:ratings_unit_import"), {"file": first, "preview": "1"})
    work_the_queue()
    client.post(reverse("admin:ratings_unit_import_job", args=[Job.objects.get().pk]))
    work_the_queue()
    # The same table with one name changed, previewed; then someone renames that unit before the save.
    data = sample_unit_table(units=300, committees=5, grassroots=45)
    Unit.objects.filter(code="BM-D001").update(name="Đảng ủy xã Đổi Tên")
    client.post(reverse("admin:ratings_unit_import"), {"file": SimpleUploadedFile("cay.xlsx", data), "preview": "1"})
    work_the_queue()
    preview = Job.objects.filter(kind=JobKind.UNITS_PREVIEW).latest("pk")
    assert preview.result["counts"]["changed"] == 1
    unit = Unit.objects.get(code="BM-D001")
    unit.name = "Đảng ủy xã Người Khác Sửa"
    unit.save()
    client.post(reverse("admin:ratings_unit_import_job", args=[preview.pk]))
    work_the_queue()
    confirm = Job.objects.filter(kind=JobKind.UNITS_CONFIRM).latest("pk")
    assert confirm.status == JobStatus.FAILED and "BM-D001" in confirm.message
    assert Unit.objects.get(code="BM-D001").name == "Đảng ủy xã Người Khác Sửa"


def test_another_user_cannot_open_or_confirm_a_unit_preview(boss, client, settings):
    from django.core.files.uploadedfile import SimpleUploadedFile

    from ratings.models import Unit
    from ratings.services.organization import sample_unit_table

    settings.UNIT_TABLE_JOB_BYTES = 1024
    table = SimpleUploadedFile("cay.xlsx", sample_unit_table(units=300, committees=5, grassroots=45))
    client.post(reverse("admin:ratings_unit_import"), {"file": table, "preview": "1"})
    work_the_queue()
    preview = Job.objects.get()
    other = User.objects.create_superuser("khac", password="mat-khau-dai-8")
    client.force_login(other)
    url = reverse("admin:ratings_unit_import_job", args=[preview.pk])
    assert client.get(url).status_code == 404
    assert client.post(url).status_code == 404
    assert not Unit.objects.exists() and Job.objects.count() == 1


@pytest.fixture
def district(boss):
    from ratings.models import Unit

    call_command("loaddata", settings.BASE_DIR / "fixtures" / "scales.json", verbosity=0)
    province = Unit.objects.create(code="BD", name="Đảng bộ tỉnh Bình Dương", kind="dang_bo_tinh")
    district = Unit.objects.create(code="DT", name="Đảng bộ huyện Dầu Tiếng", kind="dang_bo_truc_thuoc", parent=province)
    for n in (3, 4):
        Unit.objects.create(code=f"T{n}", name=f"Chi bộ thôn {n}", kind="chi_bo", parent=district)
    return district


def test_a_large_sheet_of_past_years_is_previewed_picked_and_saved_by_jobs(boss, client, district, settings):
    from django.core.files.uploadedfile import SimpleUploadedFile

    from ratings.models import Level, Rating

    from .test_import_history import workbook

    settings.HISTORY_JOB_BYTES = 1024
    level = Level.objects.in_scale_of(2021, "HTNV")
    Rating.objects.create(unit_id=district.children.get(code="T3").pk, year=2021, level=level, regime=level.regime)
    sheet = workbook([("Chi bộ thôn 3", "HTTNV", "HTXSNV"), ("Chi bộ thôn 9", "HTNV", "")])
    response = client.post(reverse("admin:ratings_rating_history_import"),
                           {"file": SimpleUploadedFile("lich-su.xlsx", sheet), "scope": "DT", "stage": "approved", "preview": "1"})
    assert response.status_code == 302 and response["Location"] == reverse("ratings:jobs")
    work_the_queue()
    first = Job.objects.get(kind=JobKind.HISTORY_PREVIEW)
    assert first.status == JobStatus.DONE and first.result["unresolved_count"] == 1
    url = reverse("admin:ratings_rating_history_job", args=[first.pk])
    assert url in client.get(reverse("ratings:jobs")).content.decode()
    page = client.get(url).content.decode()
    assert "không tìm thấy đơn vị «Chi bộ thôn 9»" in page and 'name="pick-6"' in page and "Xác nhận và lưu" not in page

    # The unit picked for the unknown name: previewed again by a second job.
    client.post(url, {"repick": "1", "pick-6": district.children.get(code="T4").pk})
    work_the_queue()
    second = Job.objects.filter(kind=JobKind.HISTORY_PREVIEW).latest("pk")
    assert second.result["errors"] == 0 and second.result["differing_count"] == 1
    page = client.get(reverse("admin:ratings_rating_history_job", args=[second.pk])).content.decode()
    assert "1 kết quả đã lưu khác với tệp" in page and "Xác nhận và lưu tất cả" in page

    ticked = second.result["differing"][0]["key"]
    client.post(reverse("admin:ratings_rating_history_job", args=[second.pk]), {"confirm": "1", "replace": [ticked]})
    work_the_queue()
    confirm = Job.objects.get(kind=JobKind.HISTORY_CONFIRM)
    assert confirm.status == JobStatus.DONE, confirm.message
    saved = {(r.unit.code, r.year): r.level.code for r in Rating.objects.select_related("unit", "level")}
    assert saved == {("T3", 2021): "HTTNV", ("T3", 2022): "HTXSNV", ("T4", 2021): "HTNV"}


def test_a_sheet_of_past_years_outside_the_editors_scope_is_refused_before_any_job(boss, client, district, settings):
    from django.core.files.uploadedfile import SimpleUploadedFile

    from .test_import_history import workbook

    settings.HISTORY_JOB_BYTES = 1024
    sheet = workbook([("Chi bộ thôn 3", "HTTNV", "")])
    response = client.post(reverse("admin:ratings_rating_history_import"),
                           {"file": SimpleUploadedFile("lich-su.xlsx", sheet), "scope": "KHONG-CO", "preview": "1"})
    assert response.status_code == 200 and "KHONG-CO" in response.content.decode()
    assert not Job.objects.exists()


def test_a_batch_of_articles_is_imported_by_a_job_article_by_article(boss, client):
    from django.core.files.uploadedfile import SimpleUploadedFile
    from django.core.management import call_command as load

    from ratings.models import Source

    load("loaddata", settings.BASE_DIR / "fixtures" / "scales.json", settings.BASE_DIR / "fixtures" / "units.json", verbosity=0)
    articles = sorted((settings.SHARED_DIR / "articles").glob("*.txt"))
    files = [SimpleUploadedFile(path.name, path.read_bytes()) for path in articles]
    response = client.post(reverse("admin:ratings_source_batch_import"), {"files": files})
    assert response.status_code == 302
    job = Job.objects.get()
    assert (job.kind, job.total) == (JobKind.ARTICLES, len(articles))

    work_the_queue()

    job.refresh_from_db()
    outcomes = {outcome["name"]: outcome for outcome in job.result["articles"]}
    assert job.status == JobStatus.DONE and set(outcomes) == {path.name for path in articles}
    assert sum(outcome["created"] for outcome in outcomes.values()) > 0 and not any(o["error"] for o in outcomes.values())
    assert Source.objects.count() == sum(1 for outcome in outcomes.values() if outcome["created"])
    assert "Từng bài viết" in client.get(reverse("ratings:jobs")).content.decode()


def test_a_batch_with_a_file_that_is_no_article_is_refused_before_anything_is_queued(boss, client):
    from django.core.files.uploadedfile import SimpleUploadedFile

    files = [SimpleUploadedFile("bai.txt", "Nội dung bài viết.".encode()), SimpleUploadedFile("anh.txt", b"\x89PNG\r\n\x1a\n\x00\x00")]
    page = client.post(reverse("admin:ratings_source_batch_import"), {"files": files}).content.decode()
    assert "anh.txt" in page and not Job.objects.exists()


def test_a_job_the_queue_cannot_take_fails_with_the_reason_instead_of_waiting_forever(boss, monkeypatch):
    def refuse(*args, **kwargs):
        raise ConnectionError("Redis is down")

    monkeypatch.setattr(tasks, "run_job", SimpleNamespace(enqueue=refuse))
    job = tasks.submit(user=boss, kind=JobKind.BACKUP, title="Sao lưu", params={"file_name": "b.json.gz"})
    job.refresh_from_db()
    assert job.status == JobStatus.FAILED and "hàng đợi" in job.message


def test_a_large_report_is_made_by_a_job_whose_bar_follows_the_rows(boss, client, committees, settings):
    from ratings.models import Level, Rating

    level = Level.objects.get(pk="qd124:HTTNV")
    Rating.objects.bulk_create([Rating(unit=unit, year=2024, level=level, regime_id="qd124") for unit in committees])
    settings.REPORT_IMMEDIATE_ROWS = 10
    response = client.get(reverse("ratings:dashboard"), {"year": 2024, "_export": "xlsx"})
    assert response.status_code == 302 and response["Location"] == reverse("ratings:jobs")
    job = Job.objects.get()
    assert (job.kind, job.total, job.params["file_name"]) == (JobKind.REPORT, 30, "bao-cao-xep-loai-2024.xlsx")

    work_the_queue()

    job.refresh_from_db()
    assert (job.status, job.done, job.percent) == (JobStatus.DONE, 30, 100)
    import io

    import openpyxl

    workbook = openpyxl.load_workbook(io.BytesIO(b"".join(client.get(reverse("ratings:job_download", args=[job.pk])).streaming_content)))
    assert workbook["Chi tiết"].max_row == 31  # the header and one row per rating


def test_a_small_report_is_sent_at_once(boss, client, committees):
    from ratings.models import Level, Rating

    Rating.objects.create(unit=committees[0], year=2024, level=Level.objects.get(pk="qd124:HTTNV"))
    response = client.get(reverse("ratings:dashboard"), {"year": 2024, "_export": "xlsx"})
    assert response["Content-Type"].startswith("application/vnd.openxmlformats") and not Job.objects.exists()


def test_the_jobs_page_queues_again_a_job_whose_worker_went_quiet(boss, client):
    job = interrupted(boss, attempts=1, worker="another-host:1")
    client.get(reverse("ratings:jobs"))
    job.refresh_from_db()
    assert job.status == JobStatus.QUEUED and "đang chạy lại" in job.message
    assert DBTaskResult.objects.filter(id=job.task_id).exists()
