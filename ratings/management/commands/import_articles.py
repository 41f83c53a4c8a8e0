"""Import the rating figures of news articles (.txt or saved .html pages), one transaction each."""
import json
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from ratings import services

ARTICLE_SUFFIXES = {".txt", ".html", ".htm"}


def article_paths(paths):
    """Files as given, and the articles inside folders given, in a stable order."""
    for given in paths:
        path = Path(given)
        if path.is_dir():
            yield from (str(p) for p in sorted(path.rglob("*")) if p.suffix.lower() in ARTICLE_SUFFIXES)
        else:
            yield given


class Command(BaseCommand):
    help = "Đọc số liệu xếp loại từ bài báo và lưu kèm nguồn, trích dẫn. --dry-run --json chỉ trích xuất, không cần cơ sở dữ liệu."

    def add_arguments(self, parser):
        parser.add_argument("paths", nargs="+", help="Tệp .txt/.html hoặc thư mục")
        parser.add_argument("--dry-run", action="store_true", help="Không lưu gì, chỉ báo cáo")
        parser.add_argument("--json", dest="as_json", action="store_true", help="In mảng JSON các số liệu theo SCHEMA")
        parser.add_argument("--province", help="Tỉnh, thành phố khi bài viết không nêu")
        parser.add_argument("--year", type=int, help="Năm được xếp loại khi bài viết không nêu")

    def handle(self, *args, paths, dry_run, as_json, province, year, **options):
        results, failures = [], 0
        extract_only = dry_run and as_json
        for path in article_paths(paths):
            try:
                text = services.read_article_file(Path(path).read_bytes(), path)
            except (OSError, services.ImportRefused) as error:
                failures += 1
                self.stderr.write(f"{path}: {error}")
                continue
            if extract_only:
                results.append(services.extract_figures(text=text, name=path, province=province, year=year))
                continue
            plan = services.plan_article(text=text, name=path, province=province, year=year)
            report = services.import_article(plan=plan, dry_run=dry_run)
            results.append({**plan.result, "source": path})
            if not as_json:
                self.describe(path, report, dry_run)
        if as_json:
            self.stdout.write(json.dumps(results, ensure_ascii=False, indent=2))
        if failures:
            raise CommandError(_("%(n)s tệp không nhập được.") % {"n": failures})

    def describe(self, path, report, dry_run):
        if report.plan.already_imported:
            self.stdout.write(_("%(path)s: đã nhập trước đây (nguồn «%(source)s»), không thay đổi gì.")
                              % {"path": path, "source": report.plan.already_imported})
            return
        summary = _("%(path)s: %(created)s số liệu mới, %(unchanged)s không đổi, %(conflicts)s mâu thuẫn, %(skipped)s bỏ qua") % {
            "path": path, "created": len(report.created), "unchanged": len(report.unchanged),
            "conflicts": len(report.conflicts), "skipped": len(report.skipped),
        }
        self.stdout.write(summary + (_(" (chạy thử, không lưu)") if dry_run else ""))
        for line in report.conflicts:
            self.stdout.write(self.style.WARNING("  " + _("Mâu thuẫn: ") + line))
        for line in report.skipped:
            self.stdout.write("  " + _("Bỏ qua: ") + line)
