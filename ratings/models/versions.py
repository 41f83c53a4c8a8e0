"""The data counter that dates every remembered count."""
import threading
from contextlib import contextmanager

from django.db import models, transaction
from django.db.models import F
from django.db.models.signals import post_delete, post_save, pre_delete, pre_save
from django.utils.translation import gettext_lazy as _

from .decisions import Decision
from .quarters import QuarterRating
from .ratings import CriterionGrade, Rating, Vote
from .scales import Level, Regime
from .sources import Source
from .tallies import Tally, TallyCount
from .units import Unit


class DataVersion(models.Model):
    """A counter raised in the same transaction as every change to what the pages show (COUNTED).

    Remembered counts and rendered pages are keyed by it (aggregates.remembered, the `cache` tag of the
    page templates). The new number becomes visible
    exactly when the change commits, whichever order concurrent transactions commit in; ids
    drawn from sequences cannot tell that order. It is not rating data: backups leave it out.
    """

    number = models.BigIntegerField(default=0)

    class Meta:
        verbose_name = _("phiên bản dữ liệu")
        verbose_name_plural = _("phiên bản dữ liệu")

    @classmethod
    def bump(cls):
        if getattr(_bulk_work, "depth", 0):
            return
        if not cls.objects.filter(pk=1).update(number=F("number") + 1):
            cls.objects.get_or_create(pk=1, defaults={"number": 1})

    @classmethod
    @contextmanager
    def raised_once(cls):
        """Bulk work in a transaction: the counter is raised (and locked) first, its rows' signals raise nothing."""
        if not transaction.get_connection().in_atomic_block:
            raise transaction.TransactionManagementError("DataVersion.raised_once() needs a transaction.")
        cls.bump()
        _bulk_work.depth = getattr(_bulk_work, "depth", 0) + 1
        try:
            yield
        finally:
            _bulk_work.depth -= 1


_bulk_work = threading.local()


# Everything a page shows, its scales included (a quota, a level's name): a remembered count or page keyed by
# the counter is never older than the last commit.
COUNTED = (Rating, Unit, QuarterRating, Vote, CriterionGrade, Tally, TallyCount, Source, Decision, Regime, Level)


def count_a_change(sender, signal, using, raw=False, **kwargs):
    """Inside a transaction the counter is raised before the row is written, so every writer takes its
    lock before any row's and two writers cannot deadlock; in autocommit, after the row is stored, so
    nobody counts the old rows under the new number. Fixtures and restores load raw rows."""
    if raw:
        return
    before = signal in (pre_save, pre_delete)
    if before == transaction.get_connection(using).in_atomic_block:
        DataVersion.bump()


for _model in COUNTED:
    for _signal in (pre_save, pre_delete, post_save, post_delete):
        _signal.connect(count_a_change, sender=_model, dispatch_uid=f"count_a_change:{_model._meta.label}")
