"""Deleting a source: its figures stay, lose their link to it, and say so in their history."""
from django.db import transaction
from django.db.models import F
from simple_history.utils import bulk_update_with_history

from ..models import DataVersion, Source, Versioned

UNLINK_REASON = "source deleted"


@transaction.atomic
def delete_sources(*, sources, user=None):
    """Delete `sources` (a queryset or a list); every figure citing one keeps its values and quote, its
    source becomes empty, and its history records that change with the user who made it.

    Returns how many figures were unlinked. Who may do it is the caller's check (an administrator,
    the admin's delete confirmation having listed the figures first).
    """
    sources = list(sources)
    unlinked = 0
    with DataVersion.raised_once():
        for source in sources:
            for model, figures in source.figures():
                rows = list(figures.select_for_update())
                for row in rows:
                    row.source = None
                if not rows:
                    continue
                bulk_update_with_history(
                    rows, model, ["source"], batch_size=500, default_user=user, default_change_reason=UNLINK_REASON
                )
                if issubclass(model, Versioned):  # a form opened before the unlinking must not write it back
                    model.objects.filter(pk__in=[row.pk for row in rows]).update(version=F("version") + 1)
                unlinked += len(rows)
        Source.objects.filter(pk__in=[source.pk for source in sources]).delete()
    return unlinked
