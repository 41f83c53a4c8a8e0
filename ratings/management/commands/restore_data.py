"""Load a backup_data file into a database without rating data, all or nothing.

The file is read and checked before the database is touched; loaddata then
runs inside one transaction, so a file that fails half-way leaves nothing.
"""
import gzip
import json
import zlib
from pathlib import Path

from django.apps import apps
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from ratings.models import (
    counted_after_bulk_load,
    CriterionGrade,
    DataVersion,
    Decision,
    MACHINERY,
    EditorScope,
    QuarterRating,
    Rating,
    Source,
    Tally,
    Unit,
    Vote,
)

from .backup_data import SUFFIXES


def read_backup(path):
    """The records of the file, or a CommandError that says what is wrong with it."""
    if not path.is_file():
        raise CommandError(f"No backup file at {path}.")
    if not path.name.endswith(SUFFIXES):
        raise CommandError(f"«{path.name}» is not a backup_data file: the name must end in .json or .json.gz.")
    opener = gzip.open if path.name.endswith(".gz") else open
    try:
        with opener(path, "rt", encoding="utf-8") as file:
            records = json.load(file)
    except (OSError, EOFError, zlib.error, UnicodeDecodeError, ValueError) as error:
        raise CommandError(f"{path} is damaged or not a backup (nothing was changed): {error}") from error
    if not isinstance(records, list) or not all(isinstance(r, dict) and "model" in r for r in records):
        raise CommandError(f"{path} is not a backup_data file (nothing was changed): expected a list of records.")
    unknown = {r["model"] for r in records} - {m._meta.label_lower for m in apps.get_models()}
    if unknown:
        raise CommandError(f"{path} holds unknown models {sorted(unknown)} (nothing was changed).")
    return records


def missing_users(records):
    """Usernames the editor scopes name that neither the file nor this database holds."""
    named = {r["fields"]["user"][0] for r in records if r["model"] == "ratings.editorscope"}
    in_file = {r["fields"]["username"] for r in records if r["model"] == "auth.user" and "username" in r["fields"]}
    User = get_user_model()
    present = set(User.objects.filter(username__in=named).values_list("username", flat=True))
    return sorted(named - in_file - present)


def rating_models():
    """The models whose rows a backup holds: the ratings app without its machinery (models.MACHINERY)."""
    return [model for model in apps.get_app_config("ratings").get_models() if model not in MACHINERY]


def rating_data_exists():
    return any(model._default_manager.exists() for model in rating_models())


def delete_rating_data():
    """Everything of the ratings app, in the order its protected foreign keys allow.

    The last sweep runs twice: deleting a tracked row writes a history row.
    """
    for model in (EditorScope, Tally, Vote, CriterionGrade, QuarterRating, Rating, Decision, Source):
        model.objects.all().delete()
    Unit.objects.update(parent=None, successor=None, province=None)
    Unit.objects.all().delete()
    for _sweep in range(2):
        for model in rating_models():
            model._default_manager.all().delete()


class Command(BaseCommand):
    help = "Restore a backup_data file into a database that holds no rating data (--force replaces what is there)."

    def add_arguments(self, parser):
        parser.add_argument("file", help="FILE.json or FILE.json.gz written by backup_data")
        parser.add_argument(
            "--force", action="store_true", help="delete the rating data already there and load the backup instead"
        )

    def handle(self, *args, file, force, **options):
        path = Path(file)
        records = read_backup(path)
        count = len(records)
        try:
            with transaction.atomic(), DataVersion.raised_once(), counted_after_bulk_load():
                if rating_data_exists():
                    if not force:
                        raise CommandError(
                            "This database already holds rating data; restore_data loads only into an empty one. "
                            "Use --force to replace the current data with the backup."
                        )
                    delete_rating_data()
                if missing := missing_users(records):
                    raise CommandError(
                        f"The backup's editor scopes name users this database does not have: {', '.join(missing)}. "
                        "Create them first or restore a backup made with --with-users. Nothing was changed."
                    )
                del records  # loaddata reads the file again; do not hold both copies
                call_command("loaddata", str(path), verbosity=0)
        except CommandError:
            raise
        except Exception as error:
            raise CommandError(f"The backup could not be loaded, nothing was changed: {error}") from error
        self.stdout.write(f"Restored {count} records from {path}.")
