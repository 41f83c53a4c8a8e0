"""Write the yearly report workbook, the same one the dashboard's download gives."""
from django.core.management.base import BaseCommand, CommandError

from ratings.models import Stage, Unit
from ratings.reports.export import build_report


class Command(BaseCommand):
    help = "Xuất báo cáo Excel kết quả xếp loại của một năm (tổng hợp, chi tiết, so sánh, kiểm tra tỷ lệ, nguồn)."

    def add_arguments(self, parser):
        parser.add_argument("--year", type=int, required=True)
        parser.add_argument("--scope", help="Mã đơn vị: báo cáo đơn vị đó và các cấp dưới")
        parser.add_argument("--compare", type=int, help="Năm so sánh (mặc định năm trước)")
        parser.add_argument("--stage", choices=Stage.values, default=Stage.APPROVED)
        parser.add_argument("-o", "--output", required=True, help="Tệp .xlsx sẽ ghi")

    def handle(self, *args, year, scope, compare, stage, output, **options):
        unit = None
        if scope:
            unit = Unit.objects.filter(code=scope).first()
            if unit is None:
                raise CommandError(f"Không có đơn vị mã «{scope}».")
        build_report(output, year=year, scope=unit, stage=stage, compare=compare)
        self.stdout.write(self.style.SUCCESS(f"Đã ghi {output}"))
