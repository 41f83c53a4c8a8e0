"""Import a department's sheet of past years' ratings (one row per unit, one column per year)."""
from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from ratings.models import Stage, Unit
from ratings.services.articles import ImportRefused
from ratings.services.excel import apply_excel_ratings
from ratings.services.history import plan_history

MAX_ERRORS_SHOWN = 200


class Command(BaseCommand):
    help = _("Nhập kết quả xếp loại các năm trước từ bảng tổng hợp (.xlsx hoặc .csv) của một đơn vị và cấp dưới.")

    def add_arguments(self, parser):
        parser.add_argument("file")
        parser.add_argument("--scope", required=True, help=_("Mã đơn vị mà bảng bao gồm (cùng các đơn vị cấp dưới)."))
        parser.add_argument("--stage", default=Stage.APPROVED, choices=Stage.values)
        parser.add_argument("--dry-run", action="store_true", help=_("Chỉ cho biết sẽ lưu gì; không lưu."))
        parser.add_argument(
            "--replace", action="store_true", help=_("Thay các kết quả đã lưu khác với tệp (mặc định: giữ như đã lưu).")
        )
        parser.add_argument(
            "--pick", action="append", default=[], metavar="DÒNG=MÃ",
            help=_("Đơn vị của một dòng có tên không tìm thấy hoặc trùng, ví dụ --pick 12=XA-AN-BINH."),
        )

    def handle(self, *args, file, scope, stage, dry_run, replace, pick, **options):
        picks = self._picks(pick)
        try:
            plan = plan_history(file=file, scope=scope, stage=stage, picks=picks, replace=replace or ())
        except ImportRefused as error:
            raise CommandError(str(error)) from error
        counts = plan.counts
        self.stdout.write(
            _("%(name)s: %(new)s mới, %(changed)s thay, %(kept)s khác đã lưu (giữ), %(unchanged)s không đổi, %(error)s lỗi.")
            % {"name": plan.name, "kept": 0, **counts}
        )
        for row in plan.errors[:MAX_ERRORS_SHOWN]:
            self.stderr.write(" ".join(row.errors))
        if plan.errors:
            raise CommandError(_("Tệp còn %(count)s lỗi; chưa lưu kết quả nào.") % {"count": counts["error"]})
        if dry_run:
            self.stdout.write(_("Chạy thử: chưa lưu gì."))
            return
        try:
            report = apply_excel_ratings(plan=plan)
        except ImportRefused as error:
            raise CommandError(str(error)) from error
        self.stdout.write(self.style.SUCCESS(
            _("Đã lưu: %(created)s mới, %(updated)s thay đổi, %(kept)s giữ như đã lưu, %(unchanged)s không đổi.") % vars(report)
        ))

    def _picks(self, values):
        """{row: unit id} from ROW=CODE pairs; the unit is checked against the scope by the plan."""
        picks = {}
        for value in values:
            row, _sep, code = value.partition("=")
            unit = Unit.objects.filter(code=code.strip()).first()
            if not row.strip().isdigit() or unit is None:
                raise CommandError(_("--pick cần dạng DÒNG=MÃ với mã đơn vị có thật: «%(value)s».") % {"value": value})
            picks[int(row)] = unit.pk
        return picks
