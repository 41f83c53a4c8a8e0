"""Work the background jobs of the database queue (TASKS_BACKEND=db), as `manage.py run` does beside the server."""
import hashlib
import os
import socket

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError

from ratings import tasks
from ratings.services import jobs


def local_worker_name():
    """One name per machine and data folder: a restart knows the jobs its previous run left unfinished."""
    folder = hashlib.sha1(str(settings.VAR_DIR).encode()).hexdigest()[:8]
    return f"{socket.gethostname()[:40]}:{folder}"


class Command(BaseCommand):
    help = "Recover the jobs a stop interrupted, remove expired job files, then run the database queue's worker."

    def add_arguments(self, parser):
        parser.add_argument("--batch", action="store_true", help="run what is queued, then stop")

    def handle(self, *args, batch, **options):
        if settings.TASKS_BACKEND != "db":
            raise CommandError(
                "TASKS_BACKEND=rq: run the RQ workers instead: manage.py rqworker --job-class django_tasks_rq.Job default"
            )
        name = local_worker_name()
        os.environ[tasks.WORKER_ENV] = name
        requeued, failed = tasks.recover_interrupted(worker=name)
        purged = jobs.purge_expired()
        if requeued or failed or purged:
            self.stdout.write(f"Jobs: {requeued} interrupted and queued again, {failed} failed, {purged} expired and removed.")
        call_command(
            "db_worker", batch=batch, reload=False, startup_delay=False, interval=1, worker_id=name[:64],
            verbosity=options["verbosity"],
        )
