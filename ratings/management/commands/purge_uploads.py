"""Remove uploads kept for a confirmation that never came: run it hourly (cron or a systemd timer)."""
from django.core.management.base import BaseCommand

from ratings.services import uploads


class Command(BaseCommand):
    help = "Remove kept uploads older than UPLOADS_KEPT['MAX_AGE'] (6 hours unless set)."

    def handle(self, *args, **options):
        removed = uploads.purge_uploads()
        self.stdout.write(f"Đã xóa {removed} tệp chờ xác nhận quá hạn.")
