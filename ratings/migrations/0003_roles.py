"""The three roles as groups: administrators, editors (scoped by EditorScope), viewers."""
from django.db import migrations

FIGURES = ["rating", "tally", "tallycount", "vote", "criteriongrade", "source"]
ROLES = {
    "Quản trị viên": {"models": [*FIGURES, "unit", "regime", "level", "editorscope"], "actions": ["add", "change", "delete", "view"]},
    "Biên tập viên": {"models": FIGURES, "actions": ["add", "change", "delete", "view"], "view_only": ["unit", "regime", "level"]},
    "Người xem": {"models": [], "actions": [], "view_only": [*FIGURES, "unit", "regime", "level"]},
}


def create_roles(apps, schema_editor):
    from django.contrib.auth.management import create_permissions

    for config in apps.get_app_configs():
        config.models_module = True
        create_permissions(config, apps=apps, verbosity=0)
        config.models_module = None
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    for name, role in ROLES.items():
        codenames = [f"{action}_{model}" for model in role["models"] for action in role["actions"]]
        codenames += [f"view_{model}" for model in role.get("view_only", [])]
        group, _created = Group.objects.get_or_create(name=name)
        group.permissions.set(Permission.objects.filter(content_type__app_label="ratings", codename__in=codenames))


def remove_roles(apps, schema_editor):
    apps.get_model("auth", "Group").objects.filter(name__in=ROLES).delete()


class Migration(migrations.Migration):
    dependencies = [("ratings", "0002_editor_scope"), ("auth", "0012_alter_user_first_name_max_length")]
    operations = [migrations.RunPython(create_roles, remove_roles)]
