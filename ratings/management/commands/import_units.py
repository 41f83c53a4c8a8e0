"""Import a unit tree from an .xlsx or .csv table, all or nothing, as an administrator."""
from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from ratings.services.articles import ImportRefused
from ratings.services.organization import apply_units, plan_units

SHOWN = 50  # errors and changes listed; the rest as a count


class Command(BaseCommand):
    help = "Nhập danh sách đơn vị từ tệp .xlsx hoặc .csv (tất cả hoặc không gì cả)."

    def add_arguments(self, parser):
        parser.add_argument("file")
        parser.add_argument("--dry-run", action="store_true", help="Chỉ xem trước, không lưu.")

    def handle(self, *args, file, dry_run, **options):
        try:
            plan = plan_units(file=file)
        except (ImportRefused, OSError) as error:
            raise CommandError(str(error)) from error
        counts = plan.counts
        self.stdout.write(
            _("Mới: %(new)s, thay đổi: %(changed)s, không đổi: %(unchanged)s, lỗi: %(error)s.") % counts
        )
        for row in plan.with_status("changed")[:SHOWN]:
            changes = "; ".join(f"{label}: {old} → {new}" for label, old, new in row.changes)
            self.stdout.write(f"  {row.code}: {changes}")
        for row in plan.errors[:SHOWN]:
            self.stderr.write(_("Dòng %(row)s (%(code)s): %(errors)s") % {"row": row.number, "code": row.code, "errors": " ".join(row.errors)})
        if len(plan.errors) > SHOWN:
            self.stderr.write(_("… và %(n)s dòng lỗi khác.") % {"n": len(plan.errors) - SHOWN})
        if plan.errors:
            raise CommandError(_("Tệp còn %(count)s dòng lỗi; chưa lưu đơn vị nào.") % {"count": len(plan.errors)})
        if dry_run:
            self.stdout.write(_("Chạy thử: chưa lưu gì."))
            return
        try:
            report = apply_units(plan=plan)
        except ImportRefused as error:
            raise CommandError(str(error)) from error
        self.stdout.write(self.style.SUCCESS(
            _("Đã lưu: %(created)s đơn vị mới, %(updated)s thay đổi, %(moved_below)s đơn vị cấp dưới đi theo.") % vars(report)
        ))
