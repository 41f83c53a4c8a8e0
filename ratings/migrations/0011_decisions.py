"""Decisions (Quyết định, Thông báo) that record a stage of the review, and the rating's link to one.

Adding the rating's column may rebuild its table on SQLite, which drops the guard triggers: they are
taken down first and put back last with 0009's functions. The roles get the new model's permissions
as they have the figures'.
"""
import importlib

import django.core.validators
import django.db.models.deletion
import ratings.models
import simple_history.models
from django.conf import settings
from django.db import migrations, models

guards = importlib.import_module("ratings.migrations.0009_tally_counts_at_or_above")

ROLES = {
    "Quản trị viên": ["add", "change", "delete", "view"],
    "Biên tập viên": ["add", "change", "delete", "view"],
    "Người xem": ["view"],
}


def grant(apps, schema_editor):
    from django.contrib.auth.management import create_permissions

    config = apps.get_app_config("ratings")
    config.models_module = True
    create_permissions(config, apps=apps, verbosity=0)
    config.models_module = None
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    for name, actions in ROLES.items():
        group = Group.objects.filter(name=name).first()
        if group is not None:
            codenames = [f"{action}_decision" for action in actions]
            group.permissions.add(*Permission.objects.filter(content_type__app_label="ratings", codename__in=codenames))


def revoke(apps, schema_editor):
    Permission = apps.get_model("auth", "Permission")
    for permission in Permission.objects.filter(content_type__app_label="ratings", codename__endswith="_decision"):
        permission.group_set.clear()


class Migration(migrations.Migration):

    dependencies = [
        ('ratings', '0010_editors_keep_their_units'),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.RunPython(guards.remove_guards, guards.install_guards),
        migrations.CreateModel(
            name='Decision',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('version', models.PositiveIntegerField(default=0, editable=False, verbose_name='phiên bản')),
                ('kind', models.CharField(choices=[('quyet_dinh', 'Quyết định'), ('thong_bao', 'Thông báo')], default='quyet_dinh', max_length=12, verbose_name='loại văn bản')),
                ('number', models.CharField(max_length=60, verbose_name='số')),
                ('issued_on', models.DateField(verbose_name='ngày ban hành')),
                ('year', models.PositiveSmallIntegerField(choices=ratings.models.year_choices, validators=[django.core.validators.MinValueValidator(1930), django.core.validators.MaxValueValidator(2100)], verbose_name='năm đánh giá')),
                ('stage', models.CharField(choices=[('proposed', 'Đề xuất'), ('approved', 'Quyết định')], default='approved', max_length=10, verbose_name='bước')),
                ('file_name', models.CharField(blank=True, max_length=255, verbose_name='tên tệp')),
                ('note', models.TextField(blank=True, verbose_name='ghi chú')),
                ('issuer', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='decisions', to='ratings.unit', verbose_name='đơn vị ban hành')),
            ],
            options={
                'verbose_name': 'quyết định, thông báo',
                'verbose_name_plural': 'quyết định, thông báo',
                'ordering': ['-year', 'issuer__path', '-issued_on', 'number'],
            },
        ),
        migrations.AddField(
            model_name='historicalrating',
            name='decision',
            field=models.ForeignKey(blank=True, db_constraint=False, null=True, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', to='ratings.decision', verbose_name='quyết định'),
        ),
        migrations.AddField(
            model_name='rating',
            name='decision',
            field=models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='ratings', to='ratings.decision', verbose_name='quyết định'),
        ),
        migrations.CreateModel(
            name='HistoricalDecision',
            fields=[
                ('id', models.BigIntegerField(auto_created=True, blank=True, db_index=True, verbose_name='ID')),
                ('kind', models.CharField(choices=[('quyet_dinh', 'Quyết định'), ('thong_bao', 'Thông báo')], default='quyet_dinh', max_length=12, verbose_name='loại văn bản')),
                ('number', models.CharField(max_length=60, verbose_name='số')),
                ('issued_on', models.DateField(verbose_name='ngày ban hành')),
                ('year', models.PositiveSmallIntegerField(choices=ratings.models.year_choices, validators=[django.core.validators.MinValueValidator(1930), django.core.validators.MaxValueValidator(2100)], verbose_name='năm đánh giá')),
                ('stage', models.CharField(choices=[('proposed', 'Đề xuất'), ('approved', 'Quyết định')], default='approved', max_length=10, verbose_name='bước')),
                ('file_name', models.CharField(blank=True, max_length=255, verbose_name='tên tệp')),
                ('note', models.TextField(blank=True, verbose_name='ghi chú')),
                ('history_id', models.AutoField(primary_key=True, serialize=False)),
                ('history_date', models.DateTimeField(db_index=True)),
                ('history_change_reason', models.CharField(max_length=100, null=True)),
                ('history_type', models.CharField(choices=[('+', 'Created'), ('~', 'Changed'), ('-', 'Deleted')], max_length=1)),
                ('history_user', models.ForeignKey(null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL)),
                ('issuer', models.ForeignKey(blank=True, db_constraint=False, null=True, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', to='ratings.unit', verbose_name='đơn vị ban hành')),
            ],
            options={
                'verbose_name': 'historical quyết định, thông báo',
                'verbose_name_plural': 'historical quyết định, thông báo',
                'ordering': ('-history_date', '-history_id'),
                'get_latest_by': ('history_date', 'history_id'),
            },
            bases=(simple_history.models.HistoricalChanges, models.Model),
        ),
        migrations.AddConstraint(
            model_name='decision',
            constraint=models.UniqueConstraint(fields=('issuer', 'number', 'issued_on'), name='decision_unique_number', violation_error_message='Đơn vị này đã có văn bản cùng số và ngày.'),
        ),
        migrations.AddConstraint(
            model_name='decision',
            constraint=models.CheckConstraint(condition=models.Q(('stage__in', ['proposed', 'approved'])), name='decision_stage_known'),
        ),
        migrations.AddConstraint(
            model_name='decision',
            constraint=models.CheckConstraint(condition=models.Q(('kind__in', ['quyet_dinh', 'thong_bao'])), name='decision_kind_known'),
        ),
        migrations.RunPython(guards.install_guards, guards.remove_guards),
        migrations.RunPython(grant, revoke),
    ]
