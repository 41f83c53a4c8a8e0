"""Measure what the targets are set on, and print the figures."""
import argparse
import io
import json
import os
import random
import resource
import statistics
import subprocess
import sys
import tempfile
import time
import tracemalloc
import zipfile
from pathlib import Path

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.cache import cache
from django.core.management import call_command
from django.core.management.base import BaseCommand
from django.db import connection
from django.db.models import Count
from django.test import Client
from django.test.utils import CaptureQueriesContext, override_settings, setup_test_environment
from django.urls import reverse
from openpyxl import Workbook

from ratings import sheets
from ratings.reports.export import build_report
from ratings.sample_sheets import SAMPLES

from ratings.extraction import PROVINCES, extract_article

LEVEL_PHRASES = ["hoàn thành xuất sắc nhiệm vụ", "hoàn thành tốt nhiệm vụ", "hoàn thành nhiệm vụ", "không hoàn thành nhiệm vụ"]
FILLER = [
    "Hội nghị đã thảo luận, cho ý kiến vào dự thảo báo cáo kết quả thực hiện nhiệm vụ chính trị năm {year}.",
    "Trong năm, toàn tỉnh kết nạp {n} đảng viên mới, đạt {p},{d}% kế hoạch.",
    "Đồng chí Bí thư đề nghị các cấp ủy tiếp tục nâng cao chất lượng sinh hoạt chi bộ, thực hiện {n}/{m} chỉ tiêu.",
    "Thu ngân sách trên địa bàn ước đạt {n}.{m:03d} tỷ đồng, tăng {p},{d}% so với cùng kỳ.",
    "Sáng {day}/{month}, Ban Thường vụ Tỉnh ủy tổ chức hội nghị sơ kết công tác xây dựng Đảng.",
]
RATING = [
    "Kết quả xếp loại các đảng bộ trực thuộc có {a} đơn vị {l0}, {b} đơn vị {l1} và {c} đơn vị {l2}.",
    "Trong tổng số {t} tổ chức cơ sở đảng, có {a} tổ chức {l0}, chiếm {p},{d}%.",
    "Ban Chấp hành Đảng bộ tỉnh {province} thống nhất xếp loại Đảng bộ tỉnh năm {year} mức {l1}.",
    "Có {v}/{w} đại biểu có mặt đồng ý xếp loại Đảng bộ tỉnh {l1} năm {year}.",
    "Về cá nhân, xếp loại {l0} có {a} người, {l1} có {b} người.",
]


def synthetic_articles(count, seed=7):
    """Article-length texts mixing rating sentences with the numbers that are not ratings."""
    rng = random.Random(seed)
    provinces = sorted(PROVINCES)
    texts = []
    for _ in range(count):
        year, province = rng.randint(2018, 2025), rng.choice(provinces)
        values = lambda: {  # noqa: E731 - fresh numbers for each sentence
            "year": year, "province": province, "n": rng.randint(2, 900), "m": rng.randint(1, 999),
            "p": rng.randint(1, 99), "d": rng.randint(0, 9), "day": rng.randint(1, 28), "month": rng.randint(1, 12),
            "a": rng.randint(1, 9), "b": rng.randint(10, 40), "c": rng.randint(0, 5), "t": rng.randint(100, 900),
            "v": rng.randint(40, 49), "w": 49, "l0": LEVEL_PHRASES[0], "l1": LEVEL_PHRASES[1], "l2": LEVEL_PHRASES[2],
        }
        lines = [f"Tỉnh ủy {province} đánh giá, xếp loại chất lượng năm {year}"]
        for _paragraph in range(14):
            sentences = [rng.choice(FILLER).format(**values()) for _ in range(4)]
            if rng.random() < 0.3:
                sentences.append(rng.choice(RATING).format(**values()))
            lines.append(" ".join(sentences))
        texts.append("\n".join(lines))
    return texts


def shared_articles():
    folder = settings.SHARED_DIR / "articles"
    return [path.read_text(encoding="utf-8") for path in sorted(folder.glob("*.txt"))] if folder.is_dir() else []


class Command(BaseCommand):
    help = (
        "Đo hiệu năng: import (trích xuất bài viết), dashboard (các trang), excel (báo cáo toàn quốc một năm), "
        "sheets (đọc các tệp Excel độc hại và hai tệp thật 20.000 dòng), "
        "organization (nhập 5.000 đơn vị, rồi kết quả 10 năm của 1.500 đơn vị), "
        "season (trang tiến độ của một tỉnh, mục tiêu ≤ 200 ms), "
        "csv (tệp CSV toàn quốc của bảng kết quả, tải từng dòng; mục tiêu ≥ 50.000 dòng/giây), "
        "national (toàn quốc 300.000 đơn vị × 10 năm: các trang, CSV, báo cáo Excel qua công việc chạy nền)."
    )

    def add_arguments(self, parser):
        parser.add_argument("target", choices=["import", "dashboard", "excel", "sheets", "organization", "season", "csv", "national"])
        parser.add_argument("--articles", type=int, default=1000)
        parser.add_argument("--units", type=int, default=60000)
        parser.add_argument("--years", type=int, default=5)
        parser.add_argument("--requests", type=int, default=20)
        parser.add_argument("--rows", type=int, default=20_000, help="sheets: units in the honest template and report")
        parser.add_argument("--old-rows", type=int, default=5000, help="csv: rows the old per-cell export is timed on")
        parser.add_argument("--read", help=argparse.SUPPRESS)  # sheets: the child that reads one file
        parser.add_argument("--limits", default="{}", help=argparse.SUPPRESS)

    def handle(self, *args, target, **options):
        getattr(self, f"bench_{target}")(**options)

    def demo_client(self, label, *, units, years):
        """Build the demo data in the fresh database, say how long it took, and sign a staff user in."""
        from ratings.models import Rating

        started = time.perf_counter()
        call_command("generate_demo_data", units=units, years=years, seed=1, force=True, stdout=io.StringIO())
        self.stdout.write(
            f"database: {label}; built {units:,} units × {years} years ({Rating.objects.count():,} ratings) "
            f"in {time.perf_counter() - started:.1f} s"
        )
        client = Client()
        client.force_login(get_user_model().objects.create_user("benchmark", is_staff=True))
        return client

    def bench_import(self, *, articles, **options):
        real = shared_articles()
        texts = (real * (articles // 10 + 1))[: articles // 10] + synthetic_articles(articles - articles // 10)
        size = statistics.mean(len(t) for t in texts)
        tracemalloc.start()
        started = time.process_time()
        figures = sum(len(r["ratings"]) + len(r["tallies"]) + len(r["votes"]) for r in map(extract_article, texts))
        elapsed = time.process_time() - started
        _current, peak = tracemalloc.get_traced_memory()
        tracemalloc.stop()
        traced = elapsed
        started = time.process_time()
        for text in texts:
            extract_article(text)
        untraced = time.process_time() - started
        self.stdout.write(f"articles: {len(texts)} (mean {size:,.0f} characters, {len(real)} real ones repeated)")
        self.stdout.write(f"figures found: {figures}")
        self.stdout.write(f"extraction: {len(texts) / untraced:,.0f} articles/s on one core ({untraced:.2f} s CPU)")
        self.stdout.write(f"peak traced memory during extraction: {peak / 2**20:.1f} MB (run with tracing: {traced:.2f} s)")
        self.stdout.write(f"process peak RSS: {resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024:.0f} MB")

    def bench_dashboard(self, *, units, years, requests, **options):
        """Build the national demo data in a fresh database and time the pages as the server renders them."""
        with fresh_database() as label:
            client = self.demo_client(label, units=units, years=years)
            for name, url in benchmark_pages():
                self.stdout.write(time_page(client, name, url, requests))


    def bench_season(self, *, units, requests, **options):
        """The season page of one province on the national demo data (2 years), cold and warm; target ≤ 200 ms."""
        with fresh_database() as label:
            client = self.demo_client(label, units=units, years=2)
            from ratings.models import Unit

            years = aggregates_years()
            province = Unit.objects.provinces().existing_in(years[0]).order_by("code").first()
            page = reverse("ratings:season")
            client.get(f"{page}?year={years[-1]}")  # the process's first request loads templates and translations
            for year in years:  # the older year is under 124-QĐ/TW, so its page checks the quota too
                url = f"{page}?year={year}&scope={province.code}"
                self.stdout.write(time_page(client, f"season {year}, one province", url, requests))
            self.stdout.write(time_page(client, f"season {years[0]}, national", f"{page}?year={years[0]}", requests))

    def bench_csv(self, *, units, old_rows, **options):
        """The dashboard's national CSV streamed through the view, on the demo data (2 years);
        then the old export (the table rendered cell by cell, tablib) on its first `old_rows` rows.

        Rows/s from the wall time of one request read to the end; memory twice: the peak RSS while
        the response streams (VmHWM reset first) and, in a second run, the peak traced by tracemalloc.
        """
        with fresh_database() as label:
            client = self.demo_client(label, units=units, years=2)
            year = aggregates_years()[0]
            url = f"{reverse('ratings:dashboard')}?year={year}&_export=csv"
            client.get(f"{reverse('ratings:dashboard')}?year={year}")  # templates and translations loaded, as in a running server
            reset = reset_peak_rss()
            rss_before = current_rss_mb()
            started = time.perf_counter()
            response = client.get(url)
            size, rows, bom = streamed_size_and_rows(response)
            seconds = time.perf_counter() - started
            rss = peak_rss_mb()
            tracemalloc.start()
            streamed_size_and_rows(client.get(url))
            traced = tracemalloc.get_traced_memory()[1]
            tracemalloc.stop()
            self.stdout.write(
                f"streamed CSV, national {year}: {rows:,} rows, {size / 2**20:.1f} MB in {seconds:.2f} s = {rows / seconds:,.0f} rows/s; "
                f"{type(response).__name__}, byte-order mark first: {bom}"
            )
            self.stdout.write(
                f"  memory: peak RSS {rss:.0f} MB, {rss_before:.0f} MB before the request "
                f"({'VmHWM reset before the request' if reset else 'VmHWM not resettable: the peak includes building the data'}), "
                f"peak traced (tracemalloc, second run) {traced / 2**20:.1f} MB"
            )
            seconds, traced, written = old_table_export(year, old_rows)
            self.stdout.write(
                f"old per-cell export (RatingTable + tablib), first {written:,} rows: {seconds:.2f} s = {written / seconds:,.0f} rows/s; "
                f"peak traced {traced / 2**20:.1f} MB ({traced / max(written, 1) / 1024:.1f} KB a row, growing with the rows)"
            )

    def bench_national(self, *, units, years, requests, **options):
        """The whole country in one run (defaults 300,000 units × 10 years; --units/--years change it): every main
        page cold and warm beside the bare SQL aggregate the dashboard needs, the national CSV, the national
        Excel request (answered by queuing a job) and that job beside plain write-only openpyxl."""
        from ratings import tasks
        from ratings.models import Job

        units = 300_000 if units == 60000 else units
        years = 10 if years == 5 else years
        with fresh_database() as label:
            client = self.demo_client(label, units=units, years=years)
            year = aggregates_years()[0]
            client.get(f"{reverse('ratings:dashboard')}?year={year}")  # templates and translations loaded
            self.stdout.write(f"bare SQL aggregate of the dashboard (counts per kind and level): {bare_aggregate_ms(year):.1f} ms")
            for name, url in benchmark_pages():
                self.stdout.write(time_page(client, name, url, requests))
            url = f"{reverse('ratings:dashboard')}?year={year}&_export=csv"
            reset_peak_rss()
            before = current_rss_mb()
            started = time.perf_counter()
            size, rows, _bom = streamed_size_and_rows(client.get(url))
            seconds = time.perf_counter() - started
            self.stdout.write(
                f"national CSV: {rows:,} rows, {size / 2**20:.0f} MB in {seconds:.2f} s = {rows / seconds:,.0f} rows/s; "
                f"peak RSS {peak_rss_mb():.0f} MB ({before:.0f} MB before)"
            )
            xlsx = f"{reverse('ratings:dashboard')}?year={year}&_export=xlsx"
            started = time.perf_counter()
            response = client.get(xlsx)
            answered = time.perf_counter() - started
            how = "a job queued" if response.status_code == 302 else "the file itself, small enough"
            self.stdout.write(f"national Excel request: answered in {answered * 1000:.0f} ms ({response.status_code}, {how})")
            if response.status_code != 302:
                with override_settings(REPORT_IMMEDIATE_ROWS=0):  # time the job all the same
                    client.get(xlsx)
            job = Job.objects.latest("pk")
            started = time.perf_counter()
            tasks.run_job.call(job.pk)
            job_seconds = time.perf_counter() - started
            job.refresh_from_db()
            plain_seconds = plain_write_seconds(detail_values(year))
            self.stdout.write(
                f"national Excel job: {job.status}, {job_seconds:.1f} s; plain write-only openpyxl, same detail cells: "
                f"{plain_seconds:.1f} s; ratio {job_seconds / plain_seconds:.2f}"
            )

    def bench_excel(self, *, units, **options):
        """The national report of one year against plain write-only openpyxl writing the same detail cells."""
        with fresh_database() as label:
            call_command("generate_demo_data", units=units, years=2, seed=1, force=True, stdout=io.StringIO())
            year = aggregates_years()[0]
            with tempfile.TemporaryDirectory() as folder:
                started = time.perf_counter()
                build_report(Path(folder) / "report.xlsx", year=year)
                report_seconds = time.perf_counter() - started
                size = (Path(folder) / "report.xlsx").stat().st_size
                tracemalloc.start()
                build_report(Path(folder) / "traced.xlsx", year=year)
                peak = tracemalloc.get_traced_memory()[1]
                tracemalloc.stop()
            rows = detail_values(year)
            plain_seconds = plain_write_seconds(rows)
        self.stdout.write(f"database: {label}; {len(rows):,} ratings in {year} × {len(rows[0]) if rows else 0} columns")
        self.stdout.write(f"report workbook: {report_seconds:.2f} s, {size / 2**20:.1f} MB, peak traced memory {peak / 2**20:.0f} MB")
        self.stdout.write(f"plain write-only openpyxl, same detail cells: {plain_seconds:.2f} s")
        self.stdout.write(f"ratio: {report_seconds / plain_seconds:.2f}")
        rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
        self.stdout.write(f"process peak RSS (building the demo data included): {rss:.0f} MB")

    def bench_organization(self, *, units, years, **options):
        """A department's first day: its unit tree from a spreadsheet, then its past years from another,
        each previewed then saved, in a fresh database; and each file imported a second time (no change).

        --units and --years are the history sheet's size (default 1,500 × 10 when left at the
        dashboard's defaults); the tree is always 5,000 units: 50 committees, 950 grassroots, 4,000 cells.
        """
        from ratings.services.excel import apply_excel_ratings
        from ratings.services.history import plan_history, sample_history_table
        from ratings.services.organization import apply_units, plan_units, sample_unit_table

        history_units = 1500 if units == 60000 else units
        history_years = 10 if years == 5 else years
        with fresh_database() as label:
            self.stdout.write(f"database: {label}")
            call_command("loaddata", Path(settings.BASE_DIR) / "fixtures" / "scales.json", verbosity=0)
            tree = sample_unit_table(units=5000)
            for attempt in ("first", "again"):
                started = time.perf_counter()
                plan = plan_units(file=tree, name="don-vi.xlsx")
                planned = time.perf_counter()
                report = apply_units(plan=plan)
                done = time.perf_counter()
                self.stdout.write(
                    f"import_units 5,000 units ({attempt}): preview {planned - started:.2f} s, "
                    f"save {done - planned:.2f} s, total {done - started:.2f} s; "
                    f"{report.created:,} new, {report.updated:,} changed, {report.unchanged:,} unchanged"
                )
            sheet, setup = sample_history_table(units=history_units, years=history_years)
            scope = setup()
            for attempt in ("first", "again"):
                started = time.perf_counter()
                plan = plan_history(file=sheet, scope=scope, name="lich-su.xlsx")
                planned = time.perf_counter()
                report = apply_excel_ratings(plan=plan)
                done = time.perf_counter()
                self.stdout.write(
                    f"import_history {history_units:,} units × {history_years} years ({attempt}): "
                    f"preview {planned - started:.2f} s, save {done - planned:.2f} s, total {done - started:.2f} s; "
                    f"{report.created:,} new, {report.updated:,} changed, {report.unchanged:,} unchanged"
                )

    def bench_sheets(self, *, rows, read=None, limits="{}", **options):
        """Every sample spreadsheet, and the template and report of `rows` demo units, each read in a fresh process.

        A fresh process each, so its peak RSS is the read's alone; the time is the read's wall time.
        """
        if read:
            self.stdout.write(json.dumps(measure_read(Path(read), sheets.Limits(**json.loads(limits)))))
            return
        with tempfile.TemporaryDirectory() as folder:
            folder = Path(folder)
            files = [
                (name, sample.build(folder / f"{n:02d}.xlsx"), sample.limits)
                for n, (name, sample) in enumerate(SAMPLES.items())
            ]
            files += honest_sheets(folder, units=rows)
            self.stdout.write(f"{'file':48} {'size':>8} {'ratio':>6} {'read':>6} {'traced':>8} {'peak RSS':>8}  outcome")
            for name, path, limits in files:
                child = subprocess.run(
                    [sys.executable, str(Path(settings.BASE_DIR) / "manage.py"), "benchmark", "sheets",
                     "--read", str(path), "--limits", json.dumps(limits)],
                    capture_output=True, text=True, timeout=120,
                    env={**os.environ, "DJANGO_SETTINGS_MODULE": settings.SETTINGS_MODULE},
                )
                if child.returncode:
                    self.stdout.write(f"{name:48} the reader crashed: {child.stderr.strip().splitlines()[-1:]}")
                    continue
                report = json.loads(child.stdout.strip().splitlines()[-1])
                self.stdout.write(
                    f"{name:48} {path.stat().st_size / 1024:5.0f} KB {largest_ratio(path):>6} {report['seconds']:5.2f}s"
                    f" {report['traced_mb']:5.1f} MB {report['rss_mb']:5.0f} MB  {report['outcome']}"
                )


def largest_ratio(path):
    """The compression ratio of the largest part, as the zip declares it ("-" for what is no zip)."""
    try:
        with zipfile.ZipFile(path) as book:
            part = max(book.infolist(), key=lambda info: info.file_size)
    except (zipfile.BadZipFile, ValueError):
        return "-"
    return f"{part.file_size / max(part.compress_size, 1):.0f}:1"


def measure_read(path, limits):
    """Read `path` as an upload would be: outcome, wall time and peak RSS; then once more traced, for the peak."""
    started = time.perf_counter()
    outcome = read_outcome(path, limits)
    seconds = time.perf_counter() - started
    rss = peak_rss_mb()
    tracemalloc.start()
    read_outcome(path, limits)
    traced = tracemalloc.get_traced_memory()[1] / 2**20
    tracemalloc.stop()
    return {"outcome": outcome, "seconds": seconds, "rss_mb": rss, "traced_mb": traced}


def peak_rss_mb():
    """This process's peak RSS since it started: VmHWM, as ru_maxrss would also count the parent's peak before exec."""
    with open("/proc/self/status") as status:
        return next(int(line.split()[1]) for line in status if line.startswith("VmHWM:")) / 1024


def current_rss_mb():
    with open("/proc/self/status") as status:
        return next(int(line.split()[1]) for line in status if line.startswith("VmRSS:")) / 1024


def reset_peak_rss():
    """Set VmHWM back to the current RSS (Linux ≥ 4.0), so the next peak is the next work's alone."""
    try:
        with open("/proc/self/clear_refs", "w") as refs:
            refs.write("5")
    except OSError:
        return False
    return True


def streamed_size_and_rows(response):
    """Bytes and data rows of a streamed CSV, read chunk by chunk as a client would, and whether a BOM leads."""
    assert response.status_code == 200 and response.streaming, response
    size = lines = 0
    first = b""
    for chunk in response.streaming_content:
        first = first or chunk[:3]
        size += len(chunk)
        lines += chunk.count(b"\r\n")
    response.close()
    return size, lines - 1, first == "\ufeff".encode()


def old_table_export(year, rows):
    """The export the dashboard's CSV used to be: RatingTable's values cell by cell into tablib, safe_dataset."""
    from ratings import aggregates
    from ratings.tables import RatingTable, SafeExport

    ratings = aggregates.with_previous_level(aggregates.ratings_in(year=year), year=year, stage="approved")
    ratings = ratings.select_related("unit", "unit__parent", "level", "source").order_by("unit__path")[:rows]
    started = time.perf_counter()
    text = SafeExport(export_format="csv", table=RatingTable(ratings)).export()
    seconds = time.perf_counter() - started
    tracemalloc.start()
    SafeExport(export_format="csv", table=RatingTable(ratings)).export()
    traced = tracemalloc.get_traced_memory()[1]
    tracemalloc.stop()
    return seconds, traced, text.count("\r\n") - 1


def read_outcome(path, limits):
    try:
        with sheets.open_workbook(path, limits=limits) as book:
            count = sum(1 for index in range(len(book.sheet_names)) for _row in book.rows(index))
        return f"read {count:,} rows"
    except sheets.SheetRefused as refusal:
        return f"refused: {refusal}"


def honest_sheets(folder, *, units):
    """The import template and the yearly report of `units` demo units, built in a fresh database."""
    from ratings.reports.template import build_template

    files = []
    with fresh_database():
        call_command("generate_demo_data", units=units, years=1, seed=1, force=True, stdout=io.StringIO())
        year = aggregates_years()[0]
        for name, build in (
            (f"the template, {units:,} units", lambda path: build_template(year=year).save(path)),
            (f"the report, {units:,} ratings", lambda path: build_report(path, year=year)),
        ):
            path = folder / f"honest-{len(files)}.xlsx"
            build(path)
            files.append((name, path, {}))
    return files


def aggregates_years():
    from ratings import aggregates

    return aggregates.years_held()


def detail_values(year):
    """The detail sheet's cells as plain values, in its columns (the decision as the number it cites),
    read before the plain write is timed."""
    from ratings.reports.export import detail_ratings

    fields = [
        "unit__code", "unit__name", "unit__parent__name", "level__code", "score", "votes_for", "votes_present",
        "previous_code", "change", "decision__number", "unit__kind", "unit__province__name", "year", "stage",
        "source__title",
    ]
    return [[number, *values] for number, values in enumerate(detail_ratings(year, None, "approved").values_list(*fields), 1)]


def plain_write_seconds(rows):
    """Seconds plain write-only openpyxl takes to write and save `rows`: the floor a report is measured against."""
    with tempfile.TemporaryDirectory() as folder:
        started = time.perf_counter()
        plain = Workbook(write_only=True)
        sheet = plain.create_sheet("plain")
        for row in rows:
            sheet.append(row)
        plain.save(Path(folder) / "plain.xlsx")
        return time.perf_counter() - started


def bare_aggregate_ms(year):
    """The counts the dashboard shows, as one plain SQL query: the floor a page cannot go under without a summary."""
    from ratings.models import Rating

    query = Rating.objects.filter(year=year, stage="approved").values("unit__kind", "level_id").annotate(n=Count("id"))
    sql, params = query.query.sql_with_params()
    with connection.cursor() as cursor:
        started = time.perf_counter()
        cursor.execute(sql, params)
        cursor.fetchall()
        return (time.perf_counter() - started) * 1000


def benchmark_pages():
    from ratings import aggregates
    from ratings.models import Unit

    year = aggregates.years_held()[0]
    province = Unit.objects.provinces().existing_in(year).order_by("code").first()
    unit = Unit.objects.filter(parent=province).exclude(ratings=None).order_by("code").first()
    return [
        ("dashboard, national", f"{reverse('ratings:dashboard')}?year={year}"),
        ("season, national", f"{reverse('ratings:season')}?year={year}"),
        ("dashboard, one province", f"{reverse('ratings:dashboard')}?year={year}&province={province.pk}"),
        ("compare years, national", f"{reverse('ratings:compare_years')}?year={year}"),
        ("units × years, national", f"{reverse('ratings:compare_units')}?year={year}"),
        ("provinces, national", f"{reverse('ratings:compare_provinces')}?year={year}"),
        ("unit page", reverse("ratings:unit", args=[unit.code])),
    ]


def time_page(client, name, url, requests):
    """The first request with nothing remembered (cold), then `requests` more as users repeat it."""
    cache.clear()
    started = time.perf_counter()
    client.get(url)
    cold = (time.perf_counter() - started) * 1000
    times = []
    for _ in range(requests):
        started = time.perf_counter()
        response = client.get(url)
        times.append((time.perf_counter() - started) * 1000)
        assert response.status_code == 200, (url, response.status_code)
    with CaptureQueriesContext(connection) as queries:
        client.get(url)
    times.sort()
    p95 = times[min(len(times) - 1, round(0.95 * (len(times) - 1)))]
    return (
        f"{name:28} cold {cold:7.1f} ms   median {statistics.median(times):7.1f} ms   p95 {p95:7.1f} ms"
        f"   {len(queries):3} queries"
    )


class fresh_database:
    """A new, migrated database beside the configured one (a temporary file for SQLite), removed afterwards."""

    def __enter__(self):
        setup_test_environment()
        db = settings.DATABASES["default"]
        if connection.vendor == "sqlite":
            self.folder = tempfile.TemporaryDirectory()
            db.setdefault("TEST", {})["NAME"] = str(Path(self.folder.name) / "benchmark.sqlite3")
        self.old_name = connection.creation.create_test_db(verbosity=0, autoclobber=True)
        return f"{connection.vendor} {connection.settings_dict['NAME']}"

    def __exit__(self, *exc):
        connection.creation.destroy_test_db(self.old_name, verbosity=0)
        return False
