"""Build synthetic national demo data (DEMO- codes) for demonstrations and benchmarks."""
import time

from django.core.management.base import BaseCommand, CommandError
from django.db import connection

from ratings import demo
from ratings.models import Stage, UnitKind


class Command(BaseCommand):
    help = "Tạo dữ liệu mẫu: cây đơn vị toàn quốc (mã DEMO-) và kết quả xếp loại nhiều năm; thay dữ liệu mẫu cũ."

    def add_arguments(self, parser):
        parser.add_argument("--units", type=int, default=60000, help="Tổng số đơn vị (mặc định 60000).")
        parser.add_argument("--years", type=int, default=5, help="Số năm đánh giá (mặc định 5).")
        parser.add_argument("--seed", type=int, default=1, help="Hạt giống ngẫu nhiên: cùng hạt giống, cùng dữ liệu.")
        parser.add_argument("--last-year", type=int, default=2025, help="Năm đánh giá cuối (mặc định 2025).")
        parser.add_argument("--force", action="store_true", help="Vẫn tạo khi cơ sở dữ liệu đã có dữ liệu thật.")

    def handle(self, *args, units, years, seed, last_year, force, **options):
        started = time.perf_counter()
        try:
            summary = demo.build_demo_data(units=units, years=years, seed=seed, last_year=last_year, force=force)
        except demo.DemoDataError as error:
            raise CommandError(str(error)) from error
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")  # fresh planner statistics after a bulk load, or the first pages scan everything
        elapsed = time.perf_counter() - started
        self.stdout.write(f"Đơn vị: {sum(summary.units_by_kind.values()):,}")
        for kind in UnitKind:
            if summary.units_by_kind[kind]:
                self.stdout.write(f"  {kind.label} ({kind.value}): {summary.units_by_kind[kind]:,}")
        self.stdout.write("Kết quả xếp loại theo năm:")
        for year, stages in summary.ratings_by_year.items():
            levels = summary.levels_by_year[year]
            total = sum(levels.values()) or 1
            mix = ", ".join(f"{code} {count / total:.1%}" for code, count in levels.most_common())
            self_rated = f", {stages[Stage.SELF]:,} tự đánh giá" if stages[Stage.SELF] else ""
            self.stdout.write(f"  {year}: {stages[Stage.APPROVED]:,} quyết định ({mix}){self_rated}")
        self.stdout.write(self.style.SUCCESS(f"Xong trong {elapsed:.1f} giây."))
