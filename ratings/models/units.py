"""The tree of Party organizations, and the subtrees an editor may change."""

from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import F, Q, Value
from django.db.models.functions import Concat, Substr
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from .base import UnitKind, Versioned, one_of, year_field

ADMINISTRATORS = "Quản trị viên"


def is_unrestricted(user):
    """Superusers and administrators work on every unit; editors only inside their scopes."""
    return user.is_superuser or user.groups.filter(name=ADMINISTRATORS).exists()


def scope_filter(user, field="path"):
    """A Q that keeps the rows whose unit lies in one of the user's subtrees (None: no limit)."""
    if is_unrestricted(user):
        return None
    q = Q(pk__in=[])
    for path in scope_paths(user):
        q |= Q(**{f"{field}__startswith": path})
    return q


def scope_paths(user):
    return EditorScope.objects.filter(user=user).values_list("unit__path", flat=True)


def covers(user, path):
    """Whether a unit at `path` lies in the user's subtrees; a deleted unit is judged by its recorded path."""
    if is_unrestricted(user):
        return True
    return any(path.startswith(scope) for scope in scope_paths(user))


# Letters, digits, - and _: a code is a segment of the materialized path, so "/" would put
# the unit inside another subtree. \A and \Z rather than ^ and $: Python's $, which SQLite's
# REGEXP uses, also matches before a final newline; PostgreSQL's does not.
UNIT_CODE = r"\A[A-Za-z0-9_-]+\Z"


class UnitQuerySet(models.QuerySet):
    def get_by_natural_key(self, code):
        return self.get(code=code)

    def editable_by(self, user):
        q = scope_filter(user)
        return self if q is None else self.filter(q)

    def within(self, unit):
        """The unit and its whole subtree."""
        return self.filter(path__startswith=unit.path)

    def provinces(self):
        return self.filter(kind=UnitKind.PROVINCE)

    def province_named(self, place, year):
        """The provincial unit an article of `year` means by `place`: old names resolve to the unit of that time."""
        return self.provinces().existing_in(year).filter(place__iexact=place).order_by("valid_from").last()

    def existing_in(self, year):
        return self.filter(Q(valid_from__isnull=True) | Q(valid_from__lte=year)).filter(
            Q(valid_to__isnull=True) | Q(valid_to__gte=year)
        )


class Unit(Versioned, models.Model):
    """A Party organization in the tree, with the years it existed and its successor.

    `path` is the chain of codes from the root, kept by save(), so a subtree is
    one indexed prefix filter however deep the tree.
    """

    code = models.CharField(_("mã"), max_length=40, unique=True)
    name = models.CharField(_("tên"), max_length=255)
    place = models.CharField(
        _("địa danh"), max_length=100, blank=True, help_text=_("Tên tỉnh, thành phố như các bài viết gọi, ví dụ «Bình Phước».")
    )
    kind = models.CharField(_("loại"), max_length=20, choices=UnitKind.choices)
    parent = models.ForeignKey(
        "self", models.PROTECT, null=True, blank=True, related_name="children", verbose_name=_("cấp trên")
    )
    province = models.ForeignKey(
        "self",
        models.DO_NOTHING,  # a provincial unit is its own province; the parent chain already protects the rest
        null=True,
        blank=True,
        editable=False,
        related_name="+",
        verbose_name=_("tỉnh, thành phố"),
    )
    path = models.CharField(max_length=500, editable=False, db_index=True)
    valid_from = year_field(verbose_name=_("từ năm"), null=True, blank=True)
    valid_to = year_field(verbose_name=_("đến năm"), null=True, blank=True)
    successor = models.ForeignKey(
        "self",
        models.SET_NULL,
        null=True,
        blank=True,
        related_name="predecessors",
        verbose_name=_("đơn vị kế thừa"),
        help_text=_("Đơn vị nhận sáp nhập hoặc tên mới sau khi đổi tên."),
    )

    objects = UnitQuerySet.as_manager()
    history = HistoricalRecords(excluded_fields=["version"])

    class Meta:
        verbose_name = _("đơn vị")
        verbose_name_plural = _("đơn vị")
        ordering = ["path"]
        # The province lists on every page pick ~100 provincial units out of tens of thousands.
        indexes = [models.Index(fields=["kind", "name"], name="unit_kind_name")]
        constraints = [
            models.CheckConstraint(
                condition=Q(valid_to__isnull=True) | Q(valid_from__isnull=True) | Q(valid_to__gte=F("valid_from")),
                name="unit_years_ordered",
            ),
            models.CheckConstraint(condition=~Q(parent=F("id")), name="unit_not_own_parent"),
            models.CheckConstraint(
                condition=Q(code__regex=UNIT_CODE),
                name="unit_code_characters",
                violation_error_message=_("Mã đơn vị chỉ gồm chữ cái không dấu, chữ số, dấu gạch ngang (-) và gạch dưới (_)."),
            ),
            one_of("kind", UnitKind, "unit_kind_known"),
        ]

    def __str__(self):
        return self.name

    def natural_key(self):
        return (self.code,)

    @property
    def depth(self):
        return self.path.count("/") - 1

    def existed_in(self, year):
        return (self.valid_from is None or self.valid_from <= year) and (self.valid_to is None or year <= self.valid_to)

    def clean(self):
        if self.parent_id and self.pk:
            if self.parent.path.startswith(self.path):
                raise ValidationError({"parent": _("Cấp trên không thể là chính đơn vị hoặc đơn vị cấp dưới của nó.")})
        if self.successor_id and self.successor_id == self.pk:
            raise ValidationError({"successor": _("Đơn vị kế thừa phải là một đơn vị khác.")})
        if self.valid_from and self.valid_to and self.valid_to < self.valid_from:
            raise ValidationError({"valid_to": _("Năm kết thúc phải từ năm bắt đầu trở đi.")})

    @staticmethod
    def path_for(parent_path, code):
        """The materialized path of a unit with this code under a parent with that path (None: a root)."""
        return f"{parent_path or '/'}{code}/"

    def save(self, *args, **kwargs):
        old_path = self.path
        parent = Unit.objects.only("path", "province_id").get(pk=self.parent_id) if self.parent_id else None
        self.path = Unit.path_for(parent.path if parent else None, self.code)
        if parent:
            self.province_id = parent.province_id
        super().save(*args, **kwargs)
        if self.kind == UnitKind.PROVINCE and self.province_id != self.pk:
            self.province_id = self.pk
            Unit.objects.filter(pk=self.pk).update(province_id=self.pk)
        if old_path and old_path != self.path:
            self._move_descendants(old_path)

    def _move_descendants(self, old_path):
        Unit.objects.filter(path__startswith=old_path).exclude(pk=self.pk).update(
            path=Concat(Value(self.path), Substr("path", len(old_path) + 1)),
            province_id=self.province_id,
        )

    def lineage(self):
        """The unit followed by its successors, to follow it through mergers."""
        seen, unit = [], self
        while unit is not None and unit not in seen:
            seen.append(unit)
            unit = unit.successor
        return seen


class EditorScope(models.Model):
    """A subtree an editor may change: the unit and everything below it."""

    user = models.ForeignKey(
        "auth.User", models.CASCADE, related_name="editor_scopes", verbose_name=_("người dùng")
    )
    unit = models.ForeignKey(Unit, models.CASCADE, related_name="+", verbose_name=_("đơn vị"))

    class Meta:
        verbose_name = _("phạm vi biên tập")
        verbose_name_plural = _("phạm vi biên tập")
        constraints = [models.UniqueConstraint(fields=["user", "unit"], name="editor_scope_once")]

    def __str__(self):
        return f"{self.user} – {self.unit}"
