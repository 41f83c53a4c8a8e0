"""What every model here shares: the choices, the year field, natural keys and optimistic locking."""
from datetime import date

from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import OperationalError, models
from django.db.models import F, Q, Value
from django.db.models.functions import Cast, Concat
from django.db.models.lookups import StartsWith
from django.utils.translation import gettext_lazy as _

YEAR_MIN, YEAR_MAX = 1930, 2100


class UnitKind(models.TextChoices):
    PROVINCE = "dang_bo_tinh", _("Đảng bộ tỉnh, thành phố")
    STANDING_COMMITTEE = "ban_thuong_vu", _("Ban Thường vụ")
    SUBORDINATE = "dang_bo_truc_thuoc", _("Đảng bộ trực thuộc")
    PARTY_DELEGATION = "dang_doan", _("Đảng đoàn")
    PARTY_CADRE_COMMITTEE = "ban_can_su", _("Ban cán sự đảng")
    GRASSROOTS = "to_chuc_co_so_dang", _("Tổ chức cơ sở đảng")
    CELL = "chi_bo", _("Chi bộ")
    OTHER = "other", _("Khác")


class Stage(models.TextChoices):
    SELF = "self", _("Tự đánh giá")
    PROPOSED = "proposed", _("Đề xuất")
    APPROVED = "approved", _("Quyết định")
    UNKNOWN = "unknown", _("Chưa rõ")


class Subject(models.TextChoices):
    COLLECTIVE = "collective", _("Tập thể")
    INDIVIDUAL = "individual", _("Cá nhân")


class Grade(models.TextChoices):
    EXCELLENT = "xuat_sac", _("Xuất sắc")
    GOOD = "tot", _("Tốt")
    AVERAGE = "trung_binh", _("Trung bình")
    POOR = "kem", _("Kém")


def year_choices():
    """Years up to next year, newest first; as choices they also show as 2023, not 2.023."""
    return [(year, str(year)) for year in range(date.today().year + 1, YEAR_MIN - 1, -1)]


def year_field(verbose_name=_("năm"), **kwargs):
    return models.PositiveSmallIntegerField(
        verbose_name,
        choices=year_choices,
        validators=[MinValueValidator(YEAR_MIN), MaxValueValidator(YEAR_MAX)],
        **kwargs,
    )


class NaturalKeyManager(models.Manager):
    """Lets fixtures name rows by their stable keys, so loading them twice updates, never duplicates."""

    def get_by_natural_key(self, *key):
        return self.get(**dict(zip(self.model.NATURAL_KEY, key)))


class ConcurrentEdit(Exception):
    """Someone else saved the row after this copy of it was read; nothing was written."""

    def __init__(self, instance, *, busy=False):
        super().__init__(f"{instance._meta.label} {instance.pk}: version {instance.version} is stale")
        self.instance = instance
        self.busy = busy

    @property
    def changed_at(self):
        last = self.instance.history.order_by("-history_date").values_list("history_date", flat=True).first()
        return last


class Versioned(models.Model):
    """Optimistic locking: every update is `UPDATE … SET …, version = version + 1
    WHERE pk = … AND version = <the version this copy was read at>`.

    The database decides the race, so of two saves from the same version exactly
    one matches a row; the other matches none and raises ConcurrentEdit instead
    of overwriting what it never saw.
    """

    version = models.PositiveIntegerField(_("phiên bản"), default=0, editable=False)

    class Meta:
        abstract = True

    def _do_update(self, base_qs, using, pk_val, values, update_fields, forced_update, *args, **kwargs):
        if self._state.adding:  # a new or deserialized object: nothing was read to compare with
            return super()._do_update(base_qs, using, pk_val, values, update_fields, forced_update, *args, **kwargs)
        opened = self.version
        version = self._meta.get_field("version")
        values = [value for value in values if value[0] is not version] + [(version, None, F("version") + 1)]
        try:
            matched = base_qs.filter(pk=pk_val, version=opened)._update(values)
        except OperationalError as error:
            if "locked" not in str(error):  # SQLite's busy timeout ran out: refused, the user can retry
                raise
            raise ConcurrentEdit(self, busy=True) from error
        if not matched:
            raise ConcurrentEdit(self)
        self.version = opened + 1
        return True


def one_of(field, choices, name, *, blank=False):
    """The database's own guard that a choices field holds one of its choices (or nothing, where it may be blank)."""
    values = [""] * blank + choices.values
    return models.CheckConstraint(condition=Q(**{f"{field}__in": values}), name=name)


def level_in_regime(name):
    """The database's own guard that a figure's level belongs to the figure's regime."""
    as_text = models.CharField()
    return models.CheckConstraint(
        condition=StartsWith(
            Cast("level", output_field=as_text),
            Concat(Cast("regime", output_field=as_text), Value(":"), output_field=as_text),
        ),
        name=name,
    )
