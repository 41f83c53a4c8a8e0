"""Counts of ratings kept by the database itself, so that a page at the country's size sums a few
thousand rows instead of reading millions of ratings.

The rows are written by triggers (migration 0014) in the same statement as every insert, update or
delete of a rating, and of a unit's parent, province or kind: whatever the entry path (forms, the
services, bulk loads, raw SQL), a sum of these rows is the count of the ratings as committed.
Nothing in Python writes them.
"""
from contextlib import contextmanager
from importlib import import_module

from django.db import connection, models, transaction
from django.db.models import Q, Sum
from django.utils.translation import gettext_lazy as _

from .scales import Level
from .units import Unit, UnitKind


class CountQuerySet(models.QuerySet):
    def of(self, *, year, stage=None, scope=None):
        """The rows of one year (and stage) within a scope the counts can answer (RatingCount.answers)."""
        rows = self.filter(year=year, n__gt=0)
        if stage:
            rows = rows.filter(stage=stage)
        if scope is not None:
            rows = rows.filter(province=scope.pk)
        return rows


class RatingCountQuerySet(CountQuerySet):
    def totals(self, *keys):
        """{(values of keys): ratings}, summed in the database."""
        rows = self.values(*keys).annotate(total=Sum("n")).order_by()
        return {tuple(row[key] for key in keys): row["total"] for row in rows}

    def by_level(self, *keys):
        """{(*keys, level code): ratings}."""
        return self.totals(*keys, "level__code")

    def quota_counts(self):
        """Rows per peer group (parent, kind, stage) with its HTXSNV and HTTNV counts and the parent's name."""
        return (
            self.exclude(parent=0)
            .values("parent", "parent__name", "kind", "stage")
            .annotate(
                excellent=Sum("n", filter=Q(level__code="HTXSNV"), default=0),
                good=Sum("n", filter=Q(level__code="HTTNV"), default=0),
            )
            .order_by()
        )


class RatingCount(models.Model):
    """How many ratings of one year and stage have one level, counted per province, parent and unit kind.

    0 stands for "none" in province and parent, so that the key is unique on both databases (NULLs
    are never equal). A row that fell to 0 stays; readers skip it.
    """

    year = models.PositiveSmallIntegerField(_("năm"))
    stage = models.CharField(_("bước"), max_length=10)
    # No database constraint: 0 is not a unit, and units and levels with ratings are protected anyway.
    province = models.ForeignKey(
        Unit, models.DO_NOTHING, db_constraint=False, db_index=False, related_name="+", verbose_name=_("tỉnh, thành phố")
    )
    parent = models.ForeignKey(
        Unit, models.DO_NOTHING, db_constraint=False, db_index=False, related_name="+", verbose_name=_("cấp trên")
    )
    kind = models.CharField(_("loại"), max_length=20, choices=UnitKind.choices)
    level = models.ForeignKey(
        Level, models.DO_NOTHING, db_constraint=False, db_index=False, related_name="+", verbose_name=_("mức xếp loại")
    )
    n = models.IntegerField(_("số đơn vị"))

    objects = RatingCountQuerySet.as_manager()

    class Meta:
        verbose_name = _("số kết quả xếp loại")
        verbose_name_plural = _("số kết quả xếp loại")
        constraints = [
            models.UniqueConstraint(
                fields=["year", "stage", "province", "parent", "kind", "level"], name="ratingcount_key"
            ),
        ]

    @staticmethod
    def answers(scope):
        """Whether the table can count within `scope`: everything, or one province's whole subtree.
        A smaller subtree is counted from its ratings, which are few."""
        return scope is None or (scope.kind == UnitKind.PROVINCE and scope.province_id == scope.pk)


class TransitionCountQuerySet(CountQuerySet):
    def matrix(self):
        """{(last year's level code or None, this year's level code): ratings}."""
        rows = self.values("previous__code", "level__code").annotate(total=Sum("n")).order_by()
        return {(row["previous__code"], row["level__code"]): row["total"] for row in rows}


class TransitionCount(models.Model):
    """How many units of one province had one level in a year after another (or none) the year before,
    at the same stage: the year comparison's matrix, kept by triggers (migration 0015) as RatingCount is.
    `previous` is "" where the unit had no rating of that stage the year before."""

    year = models.PositiveSmallIntegerField(_("năm"))
    stage = models.CharField(_("bước"), max_length=10)
    province = models.ForeignKey(
        Unit, models.DO_NOTHING, db_constraint=False, db_index=False, related_name="+", verbose_name=_("tỉnh, thành phố")
    )
    previous = models.ForeignKey(
        Level, models.DO_NOTHING, db_constraint=False, db_index=False, null=True, related_name="+",
        verbose_name=_("mức năm trước"),
    )
    level = models.ForeignKey(
        Level, models.DO_NOTHING, db_constraint=False, db_index=False, related_name="+", verbose_name=_("mức xếp loại")
    )
    n = models.IntegerField(_("số đơn vị"))

    objects = TransitionCountQuerySet.as_manager()

    class Meta:
        verbose_name = _("số đơn vị chuyển mức")
        verbose_name_plural = _("số đơn vị chuyển mức")
        constraints = [
            models.UniqueConstraint(fields=["year", "stage", "province", "previous", "level"], name="transitioncount_key"),
        ]


# The migrations that install the counting triggers; each holds COUNTERS {vendor: (install, remove)},
# its counts table T and the RECOUNT that rebuilds it from the ratings.
COUNTER_MIGRATIONS = ("0014_rating_counts", "0015_transition_counts")


def counter_migrations():
    return [import_module(f"ratings.migrations.{name}") for name in COUNTER_MIGRATIONS]


@contextmanager
def counted_after_bulk_load():
    """A bulk load of ratings (demo data, a restore) inside a transaction: the counting triggers are set aside
    and both counts tables rebuilt from all the ratings once at the end, before the transaction commits.

    A million single-row triggers would cost more than the load; the rebuild is one grouped query per
    table, and since it runs in the same transaction nobody sees counts older than the ratings. On
    PostgreSQL the ratings table is locked against other writers until the commit.
    """
    if not transaction.get_connection().in_atomic_block:
        raise transaction.TransactionManagementError("counted_after_bulk_load() needs a transaction.")
    modules = counter_migrations()
    with connection.cursor() as cursor:
        for module in modules:
            for statement in module.COUNTERS[connection.vendor][1]:
                cursor.execute(statement)
        yield
        for module in modules:
            install, remove = module.COUNTERS[connection.vendor]
            cursor.execute(f"DELETE FROM {module.T}")
            cursor.execute(module.RECOUNT)
            for statement in install:
                cursor.execute(statement)
