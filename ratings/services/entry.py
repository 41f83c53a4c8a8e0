"""Writes behind the admin forms and the setup."""
import secrets

from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from ..models import (
    TallyCount,
)


@transaction.atomic
def save_tally_counts(*, tally, figures):
    """Make the tally's per-level rows exactly `figures` ({Level: (count, percent)}).

    Counts above the stated total are refused here with the form's message: an article's
    figures come without a form, and the database would refuse them only at commit.
    """
    counted = sum(count for count, _percent in figures.values() if count is not None)
    if tally.total is not None and counted > tally.total:
        raise ValidationError(
            _("Tổng các mức (%(counted)s) lớn hơn tổng số nêu trong nguồn (%(total)s).")
            % {"counted": counted, "total": tally.total}
        )
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
