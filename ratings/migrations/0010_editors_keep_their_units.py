"""Editors add and change units inside their subtrees (a department loads its own tree, by form or
spreadsheet); deleting a unit, and anything at province level, stays with administrators."""
from django.db import migrations

GRANTED = ["add_unit", "change_unit"]


def grant(apps, schema_editor):
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    editors = Group.objects.filter(name="Biên tập viên").first()
    if editors is not None:
        editors.permissions.add(*Permission.objects.filter(content_type__app_label="ratings", codename__in=GRANTED))


def revoke(apps, schema_editor):
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    editors = Group.objects.filter(name="Biên tập viên").first()
    if editors is not None:
        editors.permissions.remove(*Permission.objects.filter(content_type__app_label="ratings", codename__in=GRANTED))


class Migration(migrations.Migration):
    dependencies = [("ratings", "0009_tally_counts_at_or_above")]
    operations = [migrations.RunPython(grant, revoke)]
