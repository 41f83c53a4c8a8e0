"""Writes behind the admin forms and the setup."""
import secrets

from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.db import transaction

from ..models import (
    TallyCount,
    counts_over_total_message,
)


@transaction.atomic
def save_tally_counts(*, tally, figures):
    """Make the tally's per-level rows exactly `figures` ({Level: (count, percent)}).

    Counts above the stated total are refused here with the form's message: an article's
    figures come without a form, and the database would refuse them only at commit.
    """
    over_total = counts_over_total_message(figures, tally.total)
    if over_total:
        raise ValidationError(over_total)
    tally.counts.exclude(level__in=list(figures)).delete()
    for level, (count, percent) in figures.items():
        TallyCount.objects.update_or_create(tally=tally, level=level, defaults={"count": count, "percent": percent})


@transaction.atomic
def ensure_admin(*, username="admin"):
    """Create the first administrator with a generated password; return it, or None if one exists."""
    User = get_user_model()
    if User.objects.filter(is_superuser=True).exists():
        return None
    password = secrets.token_urlsafe(12)
    User.objects.create_superuser(username=username, email="", password=password)
    return password
