"""Prepare the database and serve: migrate, load the reference data once, ensure an admin."""
from pathlib import Path

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand

from ratings import demo, services
from ratings.services import uploads
from ratings.models import Regime, Source, Unit

FIXTURES = [
    ("scales.json", Regime.objects.all()),
    ("units.json", Unit.objects.exclude(code__startswith=demo.PREFIX)),
    ("articles.json", Source.objects.all()),
]


class Command(BaseCommand):
    help = "Migrate, load the fixtures that are not loaded yet, ensure an administrator, then serve."

    def add_arguments(self, parser):
        parser.add_argument("addrport", nargs="?", default="127.0.0.1:8000")
        parser.add_argument("--no-serve", action="store_true", help="Prepare the database only.")

    def handle(self, *args, addrport, no_serve, **options):
        call_command("migrate", interactive=False, verbosity=0)
        fixtures_dir = Path(settings.BASE_DIR) / "fixtures"
        for name, held in FIXTURES:
            if held.exists():
                self.stdout.write(f"{name}: đã có dữ liệu, bỏ qua.")
                continue
            call_command("loaddata", fixtures_dir / name, verbosity=0)
            self.stdout.write(self.style.SUCCESS(f"{name}: đã nạp."))
        uploads.purge_uploads()
        password = services.ensure_admin()
        if password:
            self.stdout.write(self.style.WARNING(f"Tài khoản quản trị: admin / {password}  (chỉ hiện một lần)"))
        if not no_serve:
            call_command("runserver", addrport, use_reloader=False)
