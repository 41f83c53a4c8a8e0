"""Writes behind the admin forms and the setup."""
import secrets

from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q

from ..models import (
    TallyCount,
    counts_over_total_message,
)


@transaction.atomic
def save_tally_counts(*, tally, figures, at_or_above=None):
    """Make the tally's per-level rows exactly `figures` and `at_or_above` ({Level: (count, percent)};
    the second holds the counts of a level and every level above it).

    Counts above the stated total, or an "at or above" count smaller than its parts, are refused
    here with the form's message: an article's figures come without a form, and the database
    would refuse only the first, and only at commit.
    """
    at_or_above = at_or_above or {}
    refusal = counts_over_total_message(figures, tally.total, at_or_above)
    if refusal:
        raise ValidationError(refusal)
    wanted = [(level, False, figure) for level, figure in figures.items()]
    wanted += [(level, True, figure) for level, figure in at_or_above.items()]
    keep = Q(pk__in=[])
    for level, or_above, _figure in wanted:
        keep |= Q(level=level, or_above=or_above)
    tally.counts.exclude(keep).delete()
    for level, or_above, (count, percent) in wanted:
        TallyCount.objects.update_or_create(
            tally=tally, level=level, or_above=or_above, defaults={"count": count, "percent": percent}
        )


@transaction.atomic
def ensure_admin(*, username="admin"):
    """Create the first administrator with a generated password; return it, or None if one exists."""
    User = get_user_model()
    if User.objects.filter(is_superuser=True).exists():
        return None
    password = secrets.token_urlsafe(12)
    User.objects.create_superuser(username=username, email="", password=password)
    return password
