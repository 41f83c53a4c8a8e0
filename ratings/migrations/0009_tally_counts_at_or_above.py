"""Counts stated "at or above" a level ("21 hoàn thành tốt nhiệm vụ trở lên, trong đó 4 xuất sắc").

Such a count includes the counts of the levels above it, so the guard that a tally's counts stay
within its total (0007) now adds up the exact counts only; models.counts_over_total_message checks
the rest before anything is written. The table is rebuilt on SQLite, which drops its triggers:
the old guards are taken down first and these put back last. A later migration that rebuilds a
guarded table does the same with this module's functions.
"""
import importlib

from django.db import migrations, models

previous = importlib.import_module("ratings.migrations.0007_database_guards")

EXACT_COUNTS = [
    # PostgreSQL: the sum in ratings_tally_adds_up(), and the columns that fire its trigger.
    ('SELECT sum("count") INTO counted FROM ratings_tallycount WHERE tally_id = tally.id;',
     'SELECT sum("count") INTO counted FROM ratings_tallycount WHERE tally_id = tally.id AND NOT or_above;'),
    ('AFTER INSERT OR UPDATE OF tally_id, level_id, "count"\n        ON ratings_tallycount',
     'AFTER INSERT OR UPDATE OF tally_id, level_id, "count", or_above\n        ON ratings_tallycount'),
    # SQLite: the sum in settle_tally(), and the columns of the update trigger.
    ('FROM ratings_tallycount c WHERE c.tally_id = t.id) > t.total',
     'FROM ratings_tallycount c WHERE c.tally_id = t.id AND NOT c.or_above) > t.total'),
    ('AFTER UPDATE OF tally_id, level_id, "count" ON ratings_tallycount',
     'AFTER UPDATE OF tally_id, level_id, "count", or_above ON ratings_tallycount'),
]


def _exact_counts_only(statements):
    changed = []
    for statement in statements:
        for old, new in EXACT_COUNTS:
            statement = statement.replace(old, new)
        changed.append(statement)
    return changed


GUARDS = {
    vendor: (_exact_counts_only(install), remove) for vendor, (install, remove) in previous.GUARDS.items()
}
# Every replacement must have found its text, or a guard would silently keep counting twice.
assert all(
    sum(new in statement for install, _remove in GUARDS.values() for statement in install) >= 1
    for _old, new in EXACT_COUNTS
)


def install_guards(apps, schema_editor):
    previous.run_guards(GUARDS, schema_editor, install=True)


def remove_guards(apps, schema_editor):
    previous.run_guards(GUARDS, schema_editor, install=False)


class Migration(migrations.Migration):

    dependencies = [
        ("ratings", "0008_versions_everywhere_and_source_history"),
    ]

    operations = [
        migrations.RunPython(previous.remove_guards, previous.install_guards),
        migrations.AddField(
            model_name="tallycount",
            name="or_above",
            field=models.BooleanField(
                default=False,
                help_text="Số này gồm cả các mức cao hơn (“hoàn thành tốt nhiệm vụ trở lên”).",
                verbose_name="trở lên",
            ),
        ),
        migrations.AddField(
            model_name="historicaltallycount",
            name="or_above",
            field=models.BooleanField(
                default=False,
                help_text="Số này gồm cả các mức cao hơn (“hoàn thành tốt nhiệm vụ trở lên”).",
                verbose_name="trở lên",
            ),
        ),
        migrations.RemoveConstraint(model_name="tallycount", name="tallycount_one_per_level"),
        migrations.AddConstraint(
            model_name="tallycount",
            constraint=models.UniqueConstraint(fields=("tally", "level", "or_above"), name="tallycount_one_per_level"),
        ),
        migrations.RunPython(install_guards, previous.remove_guards),
    ]
