"""Prepare the database and serve: migrate, load the reference data once, ensure an admin, and work the
background jobs beside the server (the database queue's worker, one child process; Ctrl-C stops both)."""
import subprocess
import sys
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
        parser.add_argument("--no-worker", action="store_true", help="Serve without the background jobs' worker.")

    def handle(self, *args, addrport, no_serve, no_worker, **options):
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
        if no_serve:
            return
        worker = None if no_worker or settings.TASKS_BACKEND != "db" else self.start_worker()
        try:
            call_command("runserver", addrport, use_reloader=False)
        finally:
            if worker is not None:
                self.stop_worker(worker)

    def start_worker(self):
        self.stdout.write("Công việc chạy nền: đã khởi động bộ xử lý (jobs_worker).")
        return subprocess.Popen([sys.executable, str(Path(settings.BASE_DIR) / "manage.py"), "jobs_worker", "-v", "0"])

    def stop_worker(self, worker):
        """Ctrl-C reaches the worker too (same process group): it ends its current job's step and exits."""
        try:
            worker.wait(timeout=10)
        except subprocess.TimeoutExpired:
            worker.terminate()
            try:
                worker.wait(timeout=10)
            except subprocess.TimeoutExpired:
                worker.kill()
