"""Versions on units, sources, ballots and content grades (optimistic locking, models.Versioned),
the history of sources, and figures protecting their source from a plain delete.

Adding a column rebuilds the table on SQLite, which drops its triggers: the guards of 0007 are
taken down first and put back last.
"""
import importlib

import django.db.models.deletion
import simple_history.models
from django.conf import settings
from django.db import migrations, models

guards = importlib.import_module("ratings.migrations.0007_database_guards")


class Migration(migrations.Migration):

    dependencies = [
        ('ratings', '0007_database_guards'),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.RunPython(guards.remove_guards, guards.install_guards),
        migrations.AddField(
            model_name='criteriongrade',
            name='version',
            field=models.PositiveIntegerField(default=0, editable=False, verbose_name='phiên bản'),
        ),
        migrations.AddField(
            model_name='source',
            name='version',
            field=models.PositiveIntegerField(default=0, editable=False, verbose_name='phiên bản'),
        ),
        migrations.AddField(
            model_name='unit',
            name='version',
            field=models.PositiveIntegerField(default=0, editable=False, verbose_name='phiên bản'),
        ),
        migrations.AddField(
            model_name='vote',
            name='version',
            field=models.PositiveIntegerField(default=0, editable=False, verbose_name='phiên bản'),
        ),
        migrations.AlterField(
            model_name='criteriongrade',
            name='source',
            field=models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='%(class)ss', to='ratings.source', verbose_name='nguồn'),
        ),
        migrations.AlterField(
            model_name='rating',
            name='source',
            field=models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='%(class)ss', to='ratings.source', verbose_name='nguồn'),
        ),
        migrations.AlterField(
            model_name='tally',
            name='source',
            field=models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='%(class)ss', to='ratings.source', verbose_name='nguồn'),
        ),
        migrations.AlterField(
            model_name='vote',
            name='source',
            field=models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='%(class)ss', to='ratings.source', verbose_name='nguồn'),
        ),
        migrations.CreateModel(
            name='HistoricalSource',
            fields=[
                ('id', models.BigIntegerField(auto_created=True, blank=True, db_index=True, verbose_name='ID')),
                ('title', models.CharField(max_length=500, verbose_name='tiêu đề')),
                ('url', models.URLField(blank=True, max_length=1000, verbose_name='địa chỉ')),
                ('file_name', models.CharField(blank=True, max_length=255, verbose_name='tên tệp')),
                ('published', models.DateField(blank=True, null=True, verbose_name='ngày đăng')),
                ('content_hash', models.CharField(blank=True, db_index=True, max_length=64, null=True, verbose_name='mã băm nội dung')),
                ('imported_at', models.DateTimeField(blank=True, editable=False, verbose_name='thời điểm nhập')),
                ('note', models.TextField(blank=True, verbose_name='ghi chú')),
                ('history_id', models.AutoField(primary_key=True, serialize=False)),
                ('history_date', models.DateTimeField(db_index=True)),
                ('history_change_reason', models.CharField(max_length=100, null=True)),
                ('history_type', models.CharField(choices=[('+', 'Created'), ('~', 'Changed'), ('-', 'Deleted')], max_length=1)),
                ('history_user', models.ForeignKey(null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL)),
            ],
            options={
                'verbose_name': 'historical nguồn',
                'verbose_name_plural': 'historical nguồn',
                'ordering': ('-history_date', '-history_id'),
                'get_latest_by': ('history_date', 'history_id'),
            },
            bases=(simple_history.models.HistoricalChanges, models.Model),
        ),
        migrations.RunPython(guards.install_guards, guards.remove_guards),
    ]
