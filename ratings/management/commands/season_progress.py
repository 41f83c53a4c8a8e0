"""Print how far a year's review has come: the season page's figures, as text or JSON."""
import json

from django.core.management.base import BaseCommand, CommandError

from ratings import aggregates
from ratings.models import Unit


class Command(BaseCommand):
    help = "Tiến độ đánh giá, xếp loại của một năm: số đơn vị theo bước, đơn vị chưa có kết quả, nhóm vượt tỷ lệ."

    def add_arguments(self, parser):
        parser.add_argument("--year", type=int, required=True)
        parser.add_argument("--scope", help="Mã đơn vị: đơn vị đó và các cấp dưới")
        parser.add_argument("--json", action="store_true", help="In JSON")

    def handle(self, *args, year, scope, **options):
        unit = None
        if scope:
            unit = Unit.objects.filter(code=scope).first()
            if unit is None:
                raise CommandError(f"Không có đơn vị mã «{scope}».")
        progress = aggregates.season_progress(year=year, scope=unit)
        if options["json"]:
            self.stdout.write(dumps(progress.as_json()))
            return
        self.stdout.write(f"{year} · {unit or 'Toàn quốc'}: {progress.units} đơn vị")
        for _value, label, done, lacking, percent in progress.stage_rows:
            self.stdout.write(f"  {label}: {done} có, {lacking} chưa có ({percent:.1f}%)")
        lagging = sorted((p for p in progress.parents if p.missing("approved")), key=lambda p: p.share_done)[:20]
        if lagging:
            self.stdout.write("Cấp trên còn đơn vị chưa có quyết định (20 đơn vị thấp nhất):")
            for parent in lagging:
                self.stdout.write(f"  {parent.name or '—'}: {parent.missing('approved')}/{parent.units} chưa có, {parent.share_done:.0f}% đã quyết định")
        for finding in progress.quota:
            self.stdout.write(f"Vượt tỷ lệ: {finding.label} ({finding.stage}): {finding.check.excellent} HTXSNV / {finding.check.good} HTTNV, tối đa {finding.check.limit} [{finding.source}]")
        if progress.quota_reason:
            self.stdout.write(str(progress.quota_reason))


def dumps(value):
    return json.dumps(value, ensure_ascii=False, indent=2)
