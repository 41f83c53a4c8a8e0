"""Write every rating record to one JSON file (gzip when the name ends in .gz), for restore_data.

The ratings app keeps its primary keys: a source entered in the admin has no
content hash, so its natural key would be ambiguous, and kept keys also keep
every admin address valid after a restore. Users and groups, when included,
go by username and group name (permissions by their natural keys), and editor
scopes name their user and unit the same way, so they land on the right
accounts of the database they are restored into.
"""
import gzip
from io import StringIO
from pathlib import Path

from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError
from django.db import connection, transaction

from ratings.models import MACHINERY

SUFFIXES = (".json", ".json.gz")


def dump(*labels, natural=False, exclude=()):
    out = StringIO()
    options = {"use_natural_foreign_keys": natural, "use_natural_primary_keys": natural, "exclude": list(exclude)}
    call_command("dumpdata", *labels, stdout=out, verbosity=0, **options)
    return out.getvalue().strip()


def join_json_lists(parts):
    """One JSON list from dumpdata's lists, without parsing hundreds of thousands of records again."""
    items = [part[1:-1].strip() for part in parts]
    return "[" + ",\n".join(item for item in items if item) + "]\n"


class Command(BaseCommand):
    help = "Back up all rating data (and with --with-users the accounts and groups) to FILE.json or FILE.json.gz."

    def add_arguments(self, parser):
        parser.add_argument("-o", "--output", required=True, help="FILE.json or FILE.json.gz")
        parser.add_argument("--with-users", action="store_true", help="also users and groups (password hashes included)")

    def handle(self, *args, output, with_users, **options):
        path = Path(output)
        if not path.name.endswith(SUFFIXES):
            raise CommandError(f"The backup file must end in .json or .json.gz, not «{path.name}».")
        outermost = not connection.in_atomic_block
        with transaction.atomic():
            if connection.vendor == "postgresql" and outermost:
                # One snapshot for the three dumps, so a concurrent edit cannot split the backup.
                with connection.cursor() as cursor:
                    cursor.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ READ ONLY")
            parts = [dump("auth.group", "auth.user", natural=True)] if with_users else []
            parts.append(dump("ratings", exclude=["ratings.EditorScope", *(model._meta.label for model in MACHINERY)]))
            parts.append(dump("ratings.EditorScope", natural=True))
        text = join_json_lists(parts)
        records = text.count('{"model": ')
        opener = gzip.open if path.name.endswith(".gz") else open
        with opener(path, "wt", encoding="utf-8") as file:
            file.write(text)
        self.stdout.write(f"{path}: {records} records.")
