"""Quy định 366-QĐ/TW scorecards and quarterly reviews.

A rating gains the card's tasks and discipline; a level, what it asks of them; a regime, whether it
reviews by quarter; quarterly ratings get a table of their own. The rating's new checks rebuild its
table on SQLite, which drops the guard triggers: they are taken down first and put back last with
0009's functions. The roles get the new model's permissions as they have the ratings'.
"""
import importlib
from decimal import Decimal

import django.core.validators
import django.db.models.deletion
import django.db.models.expressions
import django.db.models.functions.comparison
import django.db.models.functions.text
import django.db.models.lookups
import ratings.models.base
import simple_history.models
from django.conf import settings
from django.db import migrations, models

guards = importlib.import_module("ratings.migrations.0009_tally_counts_at_or_above")

ROLES = {
    "Quản trị viên": ["add", "change", "delete", "view"],
    "Biên tập viên": ["add", "change", "delete", "view"],
    "Người xem": ["view"],
}

# HD 43-HD/BTCTW, as DOMAIN.md reads it: HTXSNV every task on time, at least 30% beyond the requirement
# and nobody disciplined; HTTNV every task on time; HTNV every task done, at most 20% late.
CONDITIONS_366 = {
    "HTXSNV": {"min_on_time_percent": Decimal(100), "min_exceeded_percent": Decimal(30),
               "requires_all_done": True, "requires_no_discipline": True},
    "HTTNV": {"min_on_time_percent": Decimal(100), "requires_all_done": True},
    "HTNV": {"max_late_percent": Decimal(20), "requires_all_done": True},
}


def conditions_of_366(apps, schema_editor):
    Regime = apps.get_model("ratings", "Regime")
    Level = apps.get_model("ratings", "Level")
    Regime.objects.filter(pk="qd366").update(quarterly_reviews=True)
    for code, fields in CONDITIONS_366.items():
        Level.objects.filter(regime_id="qd366", code=code).update(**fields)


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
            codenames = [f"{action}_quarterrating" for action in actions]
            group.permissions.add(*Permission.objects.filter(content_type__app_label="ratings", codename__in=codenames))


def revoke(apps, schema_editor):
    Permission = apps.get_model("auth", "Permission")
    for permission in Permission.objects.filter(content_type__app_label="ratings", codename__endswith="_quarterrating"):
        permission.group_set.clear()


class Migration(migrations.Migration):

    dependencies = [
        ('ratings', '0011_decisions'),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.RunPython(guards.remove_guards, guards.install_guards),
        migrations.CreateModel(
            name='HistoricalQuarterRating',
            fields=[
                ('id', models.BigIntegerField(auto_created=True, blank=True, db_index=True, verbose_name='ID')),
                ('year', models.PositiveSmallIntegerField(choices=ratings.models.base.year_choices, validators=[django.core.validators.MinValueValidator(1930), django.core.validators.MaxValueValidator(2100)], verbose_name='năm')),
                ('evidence', models.TextField(blank=True, help_text='Câu hoặc đoạn của nguồn nêu số liệu.', verbose_name='trích dẫn')),
                ('score', models.DecimalField(blank=True, decimal_places=2, max_digits=5, null=True, verbose_name='điểm')),
                ('tasks_assigned', models.PositiveIntegerField(blank=True, null=True, verbose_name='số nhiệm vụ được giao')),
                ('tasks_on_time', models.PositiveIntegerField(blank=True, null=True, verbose_name='hoàn thành đúng hạn')),
                ('tasks_exceeded', models.PositiveIntegerField(blank=True, null=True, verbose_name='hoàn thành vượt yêu cầu')),
                ('tasks_late', models.PositiveIntegerField(blank=True, null=True, verbose_name='hoàn thành chậm')),
                ('tasks_not_done', models.PositiveIntegerField(blank=True, null=True, verbose_name='không hoàn thành')),
                ('disciplined', models.BooleanField(blank=True, help_text='Tập thể lãnh đạo hoặc đơn vị trực thuộc bị kỷ luật trong năm (để trống nếu chưa rõ).', null=True, verbose_name='có kỷ luật trong năm')),
                ('quarter', models.PositiveSmallIntegerField(choices=[(1, 'Quý I'), (2, 'Quý II'), (3, 'Quý III'), (4, 'Quý IV')], verbose_name='quý')),
                ('stage', models.CharField(choices=[('self', 'Tự đánh giá'), ('proposed', 'Đề xuất'), ('approved', 'Quyết định'), ('unknown', 'Chưa rõ')], default='approved', max_length=10, verbose_name='bước')),
                ('decided_on', models.DateField(blank=True, null=True, verbose_name='ngày')),
                ('note', models.TextField(blank=True, verbose_name='ghi chú')),
                ('history_id', models.AutoField(primary_key=True, serialize=False)),
                ('history_date', models.DateTimeField(db_index=True)),
                ('history_change_reason', models.CharField(max_length=100, null=True)),
                ('history_type', models.CharField(choices=[('+', 'Created'), ('~', 'Changed'), ('-', 'Deleted')], max_length=1)),
            ],
            options={
                'verbose_name': 'historical kết quả xếp loại quý',
                'verbose_name_plural': 'historical kết quả xếp loại quý',
                'ordering': ('-history_date', '-history_id'),
                'get_latest_by': ('history_date', 'history_id'),
            },
            bases=(simple_history.models.HistoricalChanges, models.Model),
        ),
        migrations.CreateModel(
            name='QuarterRating',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('version', models.PositiveIntegerField(default=0, editable=False, verbose_name='phiên bản')),
                ('year', models.PositiveSmallIntegerField(choices=ratings.models.base.year_choices, validators=[django.core.validators.MinValueValidator(1930), django.core.validators.MaxValueValidator(2100)], verbose_name='năm')),
                ('evidence', models.TextField(blank=True, help_text='Câu hoặc đoạn của nguồn nêu số liệu.', verbose_name='trích dẫn')),
                ('score', models.DecimalField(blank=True, decimal_places=2, max_digits=5, null=True, verbose_name='điểm')),
                ('tasks_assigned', models.PositiveIntegerField(blank=True, null=True, verbose_name='số nhiệm vụ được giao')),
                ('tasks_on_time', models.PositiveIntegerField(blank=True, null=True, verbose_name='hoàn thành đúng hạn')),
                ('tasks_exceeded', models.PositiveIntegerField(blank=True, null=True, verbose_name='hoàn thành vượt yêu cầu')),
                ('tasks_late', models.PositiveIntegerField(blank=True, null=True, verbose_name='hoàn thành chậm')),
                ('tasks_not_done', models.PositiveIntegerField(blank=True, null=True, verbose_name='không hoàn thành')),
                ('disciplined', models.BooleanField(blank=True, help_text='Tập thể lãnh đạo hoặc đơn vị trực thuộc bị kỷ luật trong năm (để trống nếu chưa rõ).', null=True, verbose_name='có kỷ luật trong năm')),
                ('quarter', models.PositiveSmallIntegerField(choices=[(1, 'Quý I'), (2, 'Quý II'), (3, 'Quý III'), (4, 'Quý IV')], verbose_name='quý')),
                ('stage', models.CharField(choices=[('self', 'Tự đánh giá'), ('proposed', 'Đề xuất'), ('approved', 'Quyết định'), ('unknown', 'Chưa rõ')], default='approved', max_length=10, verbose_name='bước')),
                ('decided_on', models.DateField(blank=True, null=True, verbose_name='ngày')),
                ('note', models.TextField(blank=True, verbose_name='ghi chú')),
            ],
            options={
                'verbose_name': 'kết quả xếp loại quý',
                'verbose_name_plural': 'kết quả xếp loại quý',
                'ordering': ['-year', 'unit__path', 'quarter', 'stage'],
            },
        ),
        migrations.AddField(
            model_name='historicalrating',
            name='disciplined',
            field=models.BooleanField(blank=True, help_text='Tập thể lãnh đạo hoặc đơn vị trực thuộc bị kỷ luật trong năm (để trống nếu chưa rõ).', null=True, verbose_name='có kỷ luật trong năm'),
        ),
        migrations.AddField(
            model_name='historicalrating',
            name='tasks_assigned',
            field=models.PositiveIntegerField(blank=True, null=True, verbose_name='số nhiệm vụ được giao'),
        ),
        migrations.AddField(
            model_name='historicalrating',
            name='tasks_exceeded',
            field=models.PositiveIntegerField(blank=True, null=True, verbose_name='hoàn thành vượt yêu cầu'),
        ),
        migrations.AddField(
            model_name='historicalrating',
            name='tasks_late',
            field=models.PositiveIntegerField(blank=True, null=True, verbose_name='hoàn thành chậm'),
        ),
        migrations.AddField(
            model_name='historicalrating',
            name='tasks_not_done',
            field=models.PositiveIntegerField(blank=True, null=True, verbose_name='không hoàn thành'),
        ),
        migrations.AddField(
            model_name='historicalrating',
            name='tasks_on_time',
            field=models.PositiveIntegerField(blank=True, null=True, verbose_name='hoàn thành đúng hạn'),
        ),
        migrations.AddField(
            model_name='level',
            name='max_late_percent',
            field=models.DecimalField(blank=True, decimal_places=2, max_digits=5, null=True, verbose_name='tỷ lệ nhiệm vụ chậm tối đa (%)'),
        ),
        migrations.AddField(
            model_name='level',
            name='min_exceeded_percent',
            field=models.DecimalField(blank=True, decimal_places=2, max_digits=5, null=True, verbose_name='tỷ lệ nhiệm vụ vượt yêu cầu tối thiểu (%)'),
        ),
        migrations.AddField(
            model_name='level',
            name='min_on_time_percent',
            field=models.DecimalField(blank=True, decimal_places=2, max_digits=5, null=True, verbose_name='tỷ lệ nhiệm vụ đúng hạn tối thiểu (%)'),
        ),
        migrations.AddField(
            model_name='level',
            name='requires_all_done',
            field=models.BooleanField(default=False, verbose_name='mọi nhiệm vụ phải hoàn thành'),
        ),
        migrations.AddField(
            model_name='level',
            name='requires_no_discipline',
            field=models.BooleanField(default=False, verbose_name='không ai trong tập thể lãnh đạo, đơn vị trực thuộc bị kỷ luật'),
        ),
        migrations.AddField(
            model_name='rating',
            name='disciplined',
            field=models.BooleanField(blank=True, help_text='Tập thể lãnh đạo hoặc đơn vị trực thuộc bị kỷ luật trong năm (để trống nếu chưa rõ).', null=True, verbose_name='có kỷ luật trong năm'),
        ),
        migrations.AddField(
            model_name='rating',
            name='tasks_assigned',
            field=models.PositiveIntegerField(blank=True, null=True, verbose_name='số nhiệm vụ được giao'),
        ),
        migrations.AddField(
            model_name='rating',
            name='tasks_exceeded',
            field=models.PositiveIntegerField(blank=True, null=True, verbose_name='hoàn thành vượt yêu cầu'),
        ),
        migrations.AddField(
            model_name='rating',
            name='tasks_late',
            field=models.PositiveIntegerField(blank=True, null=True, verbose_name='hoàn thành chậm'),
        ),
        migrations.AddField(
            model_name='rating',
            name='tasks_not_done',
            field=models.PositiveIntegerField(blank=True, null=True, verbose_name='không hoàn thành'),
        ),
        migrations.AddField(
            model_name='rating',
            name='tasks_on_time',
            field=models.PositiveIntegerField(blank=True, null=True, verbose_name='hoàn thành đúng hạn'),
        ),
        migrations.AddField(
            model_name='regime',
            name='quarterly_reviews',
            field=models.BooleanField(default=False, help_text='Quy định cho phép xếp loại từng quý, ngoài cả năm.', verbose_name='có đánh giá theo quý'),
        ),
        migrations.AddConstraint(
            model_name='rating',
            constraint=models.CheckConstraint(condition=models.Q(('tasks_assigned__gte', django.db.models.expressions.CombinedExpression(django.db.models.expressions.CombinedExpression(django.db.models.functions.comparison.Coalesce('tasks_on_time', models.Value(0)), '+', django.db.models.functions.comparison.Coalesce('tasks_late', models.Value(0))), '+', django.db.models.functions.comparison.Coalesce('tasks_not_done', models.Value(0))))), name='rating_tasks_within_assigned'),
        ),
        migrations.AddConstraint(
            model_name='rating',
            constraint=models.CheckConstraint(condition=models.Q(('tasks_exceeded__lte', django.db.models.expressions.CombinedExpression(models.F('tasks_assigned'), '-', django.db.models.functions.comparison.Coalesce('tasks_not_done', models.Value(0))))), name='rating_exceeded_within_completed'),
        ),
        migrations.AddField(
            model_name='historicalquarterrating',
            name='history_user',
            field=models.ForeignKey(null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL),
        ),
        migrations.AddField(
            model_name='historicalquarterrating',
            name='level',
            field=models.ForeignKey(blank=True, db_constraint=False, null=True, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', to='ratings.level', verbose_name='mức xếp loại'),
        ),
        migrations.AddField(
            model_name='historicalquarterrating',
            name='regime',
            field=models.ForeignKey(blank=True, db_constraint=False, editable=False, null=True, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', to='ratings.regime', verbose_name='quy định'),
        ),
        migrations.AddField(
            model_name='historicalquarterrating',
            name='source',
            field=models.ForeignKey(blank=True, db_constraint=False, null=True, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', to='ratings.source', verbose_name='nguồn'),
        ),
        migrations.AddField(
            model_name='historicalquarterrating',
            name='unit',
            field=models.ForeignKey(blank=True, db_constraint=False, null=True, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', to='ratings.unit', verbose_name='đơn vị'),
        ),
        migrations.AddField(
            model_name='quarterrating',
            name='level',
            field=models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='quarter_ratings', to='ratings.level', verbose_name='mức xếp loại'),
        ),
        migrations.AddField(
            model_name='quarterrating',
            name='regime',
            field=models.ForeignKey(editable=False, on_delete=django.db.models.deletion.PROTECT, to='ratings.regime', verbose_name='quy định'),
        ),
        migrations.AddField(
            model_name='quarterrating',
            name='source',
            field=models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='%(class)ss', to='ratings.source', verbose_name='nguồn'),
        ),
        migrations.AddField(
            model_name='quarterrating',
            name='unit',
            field=models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='quarter_ratings', to='ratings.unit', verbose_name='đơn vị'),
        ),
        migrations.AddConstraint(
            model_name='quarterrating',
            constraint=models.UniqueConstraint(fields=('unit', 'year', 'quarter', 'stage'), name='quarter_rating_unique', violation_error_message='Đơn vị này đã có kết quả xếp loại quý này ở bước này.'),
        ),
        migrations.AddConstraint(
            model_name='quarterrating',
            constraint=models.CheckConstraint(condition=models.Q(('quarter__gte', 1), ('quarter__lte', 4)), name='quarter_rating_quarter_known'),
        ),
        migrations.AddConstraint(
            model_name='quarterrating',
            constraint=models.CheckConstraint(condition=models.Q(('year__gte', 1930), ('year__lte', 2100)), name='quarter_rating_year_range'),
        ),
        migrations.AddConstraint(
            model_name='quarterrating',
            constraint=models.CheckConstraint(condition=django.db.models.lookups.StartsWith(django.db.models.functions.comparison.Cast('level', output_field=models.CharField()), django.db.models.functions.text.Concat(django.db.models.functions.comparison.Cast('regime', output_field=models.CharField()), models.Value(':'), output_field=models.CharField())), name='quarter_rating_level_in_regime'),
        ),
        migrations.AddConstraint(
            model_name='quarterrating',
            constraint=models.CheckConstraint(condition=models.Q(('stage__in', ['self', 'proposed', 'approved', 'unknown'])), name='quarter_rating_stage_known'),
        ),
        migrations.AddConstraint(
            model_name='quarterrating',
            constraint=models.CheckConstraint(condition=models.Q(('tasks_assigned__gte', django.db.models.expressions.CombinedExpression(django.db.models.expressions.CombinedExpression(django.db.models.functions.comparison.Coalesce('tasks_on_time', models.Value(0)), '+', django.db.models.functions.comparison.Coalesce('tasks_late', models.Value(0))), '+', django.db.models.functions.comparison.Coalesce('tasks_not_done', models.Value(0))))), name='quarter_rating_tasks_within_assigned'),
        ),
        migrations.AddConstraint(
            model_name='quarterrating',
            constraint=models.CheckConstraint(condition=models.Q(('tasks_exceeded__lte', django.db.models.expressions.CombinedExpression(models.F('tasks_assigned'), '-', django.db.models.functions.comparison.Coalesce('tasks_not_done', models.Value(0))))), name='quarter_rating_exceeded_within_completed'),
        ),
        migrations.AddConstraint(
            model_name='quarterrating',
            constraint=models.CheckConstraint(condition=models.Q(('score__gte', 0), ('score__lte', 1000)), name='quarter_rating_score_non_negative'),
        ),
        migrations.RunPython(conditions_of_366, migrations.RunPython.noop),
        migrations.RunPython(guards.install_guards, guards.remove_guards),
        migrations.RunPython(grant, revoke),
    ]
