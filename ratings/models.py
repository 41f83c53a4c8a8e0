"""The rating tracker's data: units, regimes with their scales, and the figures.

Every figure (rating, tally, vote, criterion grade) carries the regime of its
year and, when it came from an article, its Source and evidence quote.
"""
import re
import threading
from contextlib import contextmanager
from datetime import date
from operator import attrgetter

from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import OperationalError, models, transaction
from django.db.models import F, Q, Value
from django.db.models.functions import Cast, Concat, Substr
from django.db.models.lookups import StartsWith
from django.db.models.signals import post_delete, post_save, pre_delete, pre_save
from django.dispatch import receiver
from django.utils import formats
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from simple_history.models import HistoricalRecords

from . import rules

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


class SourceQuerySet(models.QuerySet):
    def get_by_natural_key(self, content_hash):
        return self.get(content_hash=content_hash)

    def editable_by(self, user):
        """Sources whose every figure lies in the user's subtrees: only those may be changed by them or
        given to their figures. An article naming two provinces belongs to neither province's editor."""
        if is_unrestricted(user):
            return self
        outside = Q(pk__in=[])
        for model, field in FIGURE_PLACES:
            limit = scope_filter(user, f"{field}__path")
            elsewhere = model.objects.filter(source__isnull=False).exclude(limit).values("source_id")
            outside |= Q(pk__in=elsewhere)
        return self.exclude(outside)


class Source(Versioned, models.Model):
    """Where figures came from: an article or a file, identified by its content hash."""

    NATURAL_KEY = ("content_hash",)

    title = models.CharField(_("tiêu đề"), max_length=500)
    url = models.URLField(_("địa chỉ"), max_length=1000, blank=True)
    file_name = models.CharField(_("tên tệp"), max_length=255, blank=True)
    published = models.DateField(_("ngày đăng"), null=True, blank=True)
    content_hash = models.CharField(_("mã băm nội dung"), max_length=64, unique=True, null=True, blank=True)
    imported_at = models.DateTimeField(_("thời điểm nhập"), auto_now_add=True)
    note = models.TextField(_("ghi chú"), blank=True)

    objects = SourceQuerySet.as_manager()
    history = HistoricalRecords(excluded_fields=["version"])

    class Meta:
        verbose_name = _("nguồn")
        verbose_name_plural = _("nguồn")
        ordering = ["-published", "title"]

    def __str__(self):
        return self.title

    def natural_key(self):
        return (self.content_hash,)

    def figures(self):
        """Every figure that cites this source, model by model: [(model, queryset)]."""
        return [(model, model.objects.filter(source=self)) for model, _field in FIGURE_PLACES]

    def has_figures(self):
        return any(figures.exists() for _model, figures in self.figures())


class RegimeQuerySet(models.QuerySet):
    def for_year(self, year):
        return self.filter(first_year__lte=year).filter(Q(last_year__isnull=True) | Q(last_year__gte=year))

    def covering(self, year):
        """The regime of `year`, or a ValidationError saying that no regulation covers it."""
        regime = self.for_year(year).first()
        if regime is None:
            raise ValidationError(_("Không có quy định xếp loại nào áp dụng cho năm %(year)s.") % {"year": year})
        return regime


class Regime(models.Model):
    """A regulation in force for a span of review years, with its scale and rule settings.

    Adding next year's regime is a new row and its levels, not code.
    """

    code = models.CharField(_("mã"), max_length=20, primary_key=True)
    name = models.CharField(_("tên"), max_length=200)
    regulation = models.CharField(_("văn bản quy định"), max_length=200, blank=True)
    guidance = models.CharField(_("văn bản hướng dẫn"), max_length=200, blank=True)
    first_year = year_field(help_text=_("Năm đánh giá đầu tiên áp dụng."))
    last_year = year_field(null=True, blank=True, help_text=_("Để trống nếu còn hiệu lực."))
    max_score = models.PositiveSmallIntegerField(
        _("thang điểm"), null=True, blank=True, help_text=_("Để trống nếu quy định không chấm điểm.")
    )
    quota_ratio = models.DecimalField(
        _("tỷ lệ HTXSNV tối đa so với HTTNV"),
        max_digits=4,
        decimal_places=3,
        null=True,
        blank=True,
        help_text=_("Ví dụ 0,2 (Quy định 124-QĐ/TW, Điều 12). Để trống nếu không áp dụng."),
    )

    objects = RegimeQuerySet.as_manager()

    class Meta:
        verbose_name = _("quy định xếp loại")
        verbose_name_plural = _("quy định xếp loại")
        ordering = ["first_year"]
        constraints = [
            models.CheckConstraint(
                condition=Q(last_year__isnull=True) | Q(last_year__gte=F("first_year")),
                name="regime_years_ordered",
            ),
        ]

    def __str__(self):
        end = self.last_year or ""
        return f"{self.name} ({self.first_year}–{end})"

    @property
    def scored(self):
        return self.max_score is not None

    def clean(self):
        overlapping = Regime.objects.exclude(pk=self.pk).filter(
            Q(last_year__isnull=True) | Q(last_year__gte=self.first_year)
        )
        if self.last_year is not None:
            overlapping = overlapping.filter(first_year__lte=self.last_year)
        if self.first_year and overlapping.exists():
            raise ValidationError(
                _("Khoảng năm trùng với quy định %(other)s: mỗi năm chỉ áp dụng một quy định."),
                params={"other": overlapping.first()},
            )

    def score_bands(self):
        return [(level.code, level.min_score) for level in self.levels.all()]


class LevelQuerySet(models.QuerySet):
    def in_scale_of(self, year, code):
        """The Level of `code` in the scale of `year`'s regime, or a ValidationError saying why not."""
        regime = Regime.objects.covering(year)
        level = self.filter(regime=regime, code=code).first()
        if level is None:
            labels = ", ".join(regime.levels.values_list("label", flat=True))
            raise ValidationError(
                _("Mức «%(code)s» không thuộc thang xếp loại năm %(year)s theo %(regime)s (gồm: %(labels)s).")
                % {"code": code, "year": year, "regime": regime.name, "labels": labels}
            )
        return level


class Level(models.Model):
    """One level of a regime's scale. Its key starts with the regime's code,
    which lets the database check that a figure's level belongs to its regime."""

    id = models.CharField(max_length=40, primary_key=True, editable=False)
    regime = models.ForeignKey(Regime, models.CASCADE, related_name="levels", verbose_name=_("quy định"))
    code = models.CharField(_("mã mức"), max_length=10)
    label = models.CharField(_("tên mức"), max_length=100)
    label_en = models.CharField(_("tên tiếng Anh"), max_length=100, blank=True)
    rank = models.PositiveSmallIntegerField(_("thứ tự"), help_text=_("1 là mức cao nhất."))
    colour = models.CharField(_("màu"), max_length=7, default="#6c757d")
    min_score = models.DecimalField(
        _("điểm tối thiểu"), max_digits=5, decimal_places=2, null=True, blank=True
    )

    objects = LevelQuerySet.as_manager()

    class Meta:
        verbose_name = _("mức xếp loại")
        verbose_name_plural = _("mức xếp loại")
        ordering = ["regime__first_year", "rank"]
        constraints = [
            models.UniqueConstraint(fields=["regime", "code"], name="level_code_unique_in_regime"),
            models.UniqueConstraint(fields=["regime", "rank"], name="level_rank_unique_in_regime"),
            models.CheckConstraint(
                condition=Q(id=Concat(F("regime_id"), Value(":"), F("code"))), name="level_id_from_regime"
            ),
        ]

    def __str__(self):
        return self.label

    def save(self, *args, **kwargs):
        self.id = f"{self.regime_id}:{self.code}"
        super().save(*args, **kwargs)

    @property
    def css_class(self):
        """The class that gives this level its colour (stylesheets.level_styles), since pages allow no inline styles."""
        return "level-" + re.sub(r"[^A-Za-z0-9_-]", "-", self.id or f"{self.regime_id}:{self.code}")

    @property
    def localized_label(self):
        if self.label_en and (get_language() or "").startswith("en"):
            return self.label_en
        return self.label


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


class FigureQuerySet(models.QuerySet):
    def get_by_natural_key(self, *key):
        return self.get(**dict(zip(self.model.NATURAL_KEY, key)))

    def for_year(self, year):
        return self.filter(year=year)

    def decided(self):
        return self.filter(stage=Stage.APPROVED)

    def within(self, unit, field="unit"):
        return self.filter(**{f"{field}__path__startswith": unit.path})

    def editable_by(self, user, field="unit"):
        q = scope_filter(user, f"{field}__path")
        return self if q is None else self.filter(q)


class Figure(models.Model):
    """What every figure shares: a year, the regime of that year, and where it came from."""

    year = year_field()
    regime = models.ForeignKey(Regime, models.PROTECT, editable=False, verbose_name=_("quy định"))
    source = models.ForeignKey(
        # PROTECT: a source is deleted only through services.delete_sources, which unlinks its
        # figures with their history first; nothing else may drop their evidence silently.
        Source, models.PROTECT, null=True, blank=True, related_name="%(class)ss", verbose_name=_("nguồn")
    )
    evidence = models.TextField(_("trích dẫn"), blank=True, help_text=_("Câu hoặc đoạn của nguồn nêu số liệu."))

    objects = FigureQuerySet.as_manager()

    class Meta:
        abstract = True

    def natural_key(self):
        return tuple(attrgetter(name.replace("__", "."))(self) for name in self.NATURAL_KEY)

    def clean_regime(self):
        """Set the regime from the year; a year no regulation covers is an error."""
        if self.year is None:
            return
        try:
            self.regime = Regime.objects.covering(self.year)
        except ValidationError as error:
            raise ValidationError({"year": error.messages}) from error

    def check_level_in_regime(self, level, field="level"):
        if level is not None and self.regime_id and level.regime_id != self.regime_id:
            raise ValidationError(
                {
                    field: _("Mức «%(level)s» không thuộc thang xếp loại năm %(year)s (%(regime)s).")
                    % {"level": level.label, "year": self.year, "regime": self.regime.name}
                }
            )

    def save(self, *args, **kwargs):
        if not self.regime_id and self.year:
            regime = Regime.objects.for_year(self.year).first()
            if regime is not None:
                self.regime = regime
        super().save(*args, **kwargs)


class DecisionKind(models.TextChoices):
    DECISION = "quyet_dinh", pgettext_lazy("document", "Quyết định")
    NOTICE = "thong_bao", pgettext_lazy("document", "Thông báo")


# A decision records the outcome of appraisal or of the competent level, never a self-assessment.
DECISION_STAGES = [Stage.PROPOSED, Stage.APPROVED]


class DecisionQuerySet(models.QuerySet):
    def editable_by(self, user):
        q = scope_filter(user, "issuer__path")
        return self if q is None else self.filter(q)

    def of_group(self, parent, year, stage):
        return self.filter(issuer=parent, year=year, stage=stage)


class Decision(Versioned, models.Model):
    """The document (Quyết định or Thông báo) by which a unit records the levels of the units under it,
    so a rating can cite the act that made it official."""

    kind = models.CharField(_("loại văn bản"), max_length=12, choices=DecisionKind.choices, default=DecisionKind.DECISION)
    number = models.CharField(_("số"), max_length=60)
    issued_on = models.DateField(_("ngày ban hành"))
    issuer = models.ForeignKey(Unit, models.PROTECT, related_name="decisions", verbose_name=_("đơn vị ban hành"))
    year = year_field(verbose_name=_("năm đánh giá"))
    stage = models.CharField(
        _("bước"), max_length=10, choices=[(s.value, s.label) for s in DECISION_STAGES], default=Stage.APPROVED
    )
    file_name = models.CharField(_("tên tệp"), max_length=255, blank=True)
    note = models.TextField(_("ghi chú"), blank=True)

    objects = DecisionQuerySet.as_manager()
    history = HistoricalRecords(excluded_fields=["version"])

    class Meta:
        verbose_name = _("quyết định, thông báo")
        verbose_name_plural = _("quyết định, thông báo")
        ordering = ["-year", "issuer__path", "-issued_on", "number"]
        constraints = [
            models.UniqueConstraint(
                fields=["issuer", "number", "issued_on"],
                name="decision_unique_number",
                violation_error_message=_("Đơn vị này đã có văn bản cùng số và ngày."),
            ),
            models.CheckConstraint(condition=Q(stage__in=DECISION_STAGES), name="decision_stage_known"),
            one_of("kind", DecisionKind, "decision_kind_known"),
        ]

    def __str__(self):
        return _("%(kind)s số %(number)s ngày %(date)s") % {
            "kind": self.get_kind_display(),
            "number": self.number,
            "date": self.issued_on.strftime("%d/%m/%Y") if self.issued_on else "—",
        }


class Rating(Versioned, Figure):
    """One unit's level for one year at one stage of the review."""

    NATURAL_KEY = ("unit__code", "year", "stage")

    unit = models.ForeignKey(Unit, models.PROTECT, related_name="ratings", verbose_name=_("đơn vị"))
    stage = models.CharField(_("bước"), max_length=10, choices=Stage.choices, default=Stage.APPROVED)
    level = models.ForeignKey(Level, models.PROTECT, related_name="ratings", verbose_name=_("mức xếp loại"))
    score = models.DecimalField(_("điểm"), max_digits=5, decimal_places=2, null=True, blank=True)
    votes_for = models.PositiveIntegerField(_("số phiếu đồng ý"), null=True, blank=True)
    votes_present = models.PositiveIntegerField(_("số người có mặt"), null=True, blank=True)
    decided_on = models.DateField(_("ngày"), null=True, blank=True)
    note = models.TextField(_("ghi chú"), blank=True)
    decision = models.ForeignKey(
        # PROTECT: SET_NULL would rewrite ratings in bulk, past their version, history and the
        # data counter; a decision is deleted only once no rating cites it.
        Decision, models.PROTECT, null=True, blank=True, related_name="ratings", verbose_name=_("quyết định")
    )

    history = HistoricalRecords(excluded_fields=["version"])

    class Meta:
        verbose_name = _("kết quả xếp loại")
        verbose_name_plural = _("kết quả xếp loại")
        ordering = ["-year", "unit__path", "stage"]
        constraints = [
            models.UniqueConstraint(
                fields=["unit", "year", "stage"],
                name="rating_unique_unit_year_stage",
                violation_error_message=_("Đơn vị này đã có kết quả xếp loại ở bước này trong năm này."),
            ),
            models.CheckConstraint(condition=Q(votes_for__lte=F("votes_present")), name="rating_votes_within_present"),
            models.CheckConstraint(condition=Q(score__gte=0) & Q(score__lte=1000), name="rating_score_non_negative"),
            models.CheckConstraint(condition=Q(year__gte=YEAR_MIN) & Q(year__lte=YEAR_MAX), name="rating_year_range"),
            level_in_regime("rating_level_in_regime"),
            one_of("stage", Stage, "rating_stage_known"),
        ]
        indexes = [models.Index(fields=["year", "stage", "level"])]

    def __str__(self):
        return f"{self.unit} – {self.year}: {self.level}"

    def clean(self):
        errors = {}
        try:
            self.clean_regime()
            if self.level_id:
                self.check_level_in_regime(self.level)
        except ValidationError as error:
            errors.update(error.message_dict)
        if self.unit_id and self.year and not self.unit.existed_in(self.year):
            errors.setdefault("year", []).append(
                _("Đơn vị «%(unit)s» không tồn tại trong năm %(year)s.") % {"unit": self.unit, "year": self.year}
            )
        if not rules.votes_within_present(self.votes_for, self.votes_present):
            errors.setdefault("votes_for", []).append(
                _("Số phiếu đồng ý (%(votes)s) không thể lớn hơn số người có mặt (%(present)s).")
                % {"votes": self.votes_for, "present": self.votes_present}
            )
        if self.score is not None and "year" not in errors and self.regime_id:
            errors.update(self._score_errors())
        if self.decision_id and self.unit_id:
            errors.update(self._decision_errors())
        if errors:
            raise ValidationError(errors)

    def _decision_errors(self):
        """A decision records one year and stage of the units below its issuer; citing it elsewhere is a slip."""
        decision = self.decision
        if decision.year != self.year or decision.stage != self.stage:
            return {"decision": [
                _("%(decision)s ghi nhận bước «%(stage)s» năm %(year)s, không phải kết quả này.")
                % {"decision": decision, "stage": decision.get_stage_display(), "year": decision.year}
            ]}
        if self.unit_id == decision.issuer_id or not self.unit.path.startswith(decision.issuer.path):
            return {"decision": [
                _("%(decision)s do «%(issuer)s» ban hành, không xếp loại «%(unit)s».")
                % {"decision": decision, "issuer": decision.issuer, "unit": self.unit}
            ]}
        return {}

    def _score_errors(self):
        regime = self.regime
        if not regime.scored:
            return {"score": [_("Quy định %(regime)s không chấm điểm; để trống ô điểm.") % {"regime": regime.name}]}
        if self.score > regime.max_score:
            return {"score": [_("Điểm không thể vượt quá %(max)s.") % {"max": regime.max_score}]}
        if self.level_id and self.level.regime_id == regime.pk:
            admissible = rules.admissible_by_score(self.score, regime.score_bands())
            if self.level.code not in admissible:
                return {
                    "level": [
                        _("Với %(score)s điểm, mức cao nhất có thể là «%(best)s»; không thể xếp «%(level)s».")
                        % {
                            "score": f"{self.score:g}".replace(".", ","),
                            "best": regime.levels.get(code=admissible[0]).label if admissible else "—",
                            "level": self.level.label,
                        }
                    ]
                }
        return {}


class Vote(Versioned, Figure):
    """A ballot reported for one level in the meeting that rated a unit."""

    NATURAL_KEY = ("unit__code", "year", "level_id")

    unit = models.ForeignKey(Unit, models.PROTECT, related_name="votes", verbose_name=_("đơn vị"))
    level = models.ForeignKey(Level, models.PROTECT, related_name="votes", verbose_name=_("mức được biểu quyết"))
    votes_for = models.PositiveIntegerField(_("số phiếu"))
    present = models.PositiveIntegerField(_("số người có mặt"), null=True, blank=True)

    history = HistoricalRecords(excluded_fields=["version"])

    class Meta:
        verbose_name = _("kết quả biểu quyết")
        verbose_name_plural = _("kết quả biểu quyết")
        ordering = ["-year", "unit__path", "-votes_for"]
        constraints = [
            models.UniqueConstraint(
                fields=["unit", "year", "level"],
                name="vote_one_ballot_per_level",
                violation_error_message=_("Đã có kết quả biểu quyết cho mức này của đơn vị trong năm."),
            ),
            models.CheckConstraint(condition=Q(votes_for__lte=F("present")), name="vote_within_present"),
            level_in_regime("vote_level_in_regime"),
        ]

    def __str__(self):
        present = f"/{self.present}" if self.present is not None else ""
        return f"{self.unit} – {self.year}: {self.votes_for}{present} {self.level}"

    def clean(self):
        self.clean_regime()
        if self.level_id:
            self.check_level_in_regime(self.level)
        if not rules.votes_within_present(self.votes_for, self.present):
            raise ValidationError(
                {
                    "votes_for": _("Số phiếu (%(votes)s) không thể lớn hơn số người có mặt (%(present)s).")
                    % {"votes": self.votes_for, "present": self.present}
                }
            )
        if self.unit_id and self.year and self.present is not None:
            others = Vote.objects.filter(unit=self.unit_id, year=self.year, present=self.present).exclude(pk=self.pk)
            ballots = [*others.values_list("votes_for", flat=True), self.votes_for]
            if not rules.ballots_within_present(ballots, self.present):
                raise ValidationError(
                    {
                        "votes_for": _("Các phiếu của cùng hội nghị cộng lại (%(sum)s) vượt số người có mặt (%(present)s).")
                        % {"sum": sum(b for b in ballots if b is not None), "present": self.present}
                    }
                )


class Tally(Versioned, Figure):
    """Counts per level for a group under a parent unit, as reported (no per-unit records).

    Individuals exist only here, as counts.
    """

    NATURAL_KEY = ("parent__code", "year", "stage", "subject", "group")

    parent = models.ForeignKey(Unit, models.PROTECT, related_name="tallies", verbose_name=_("đơn vị cấp trên"))
    group = models.CharField(_("nhóm"), max_length=300, help_text=_("Nhóm được đếm, như nguồn gọi tên."))
    subject = models.CharField(_("đối tượng"), max_length=12, choices=Subject.choices, default=Subject.COLLECTIVE)
    member_kind = models.CharField(
        _("loại đơn vị được đếm"), max_length=20, choices=UnitKind.choices, blank=True
    )
    stage = models.CharField(_("bước"), max_length=10, choices=Stage.choices, default=Stage.APPROVED)
    total = models.PositiveIntegerField(_("tổng số nêu trong nguồn"), null=True, blank=True)

    history = HistoricalRecords(excluded_fields=["version"])

    class Meta:
        verbose_name = _("số liệu tổng hợp")
        verbose_name_plural = _("số liệu tổng hợp")
        ordering = ["-year", "parent__path", "subject", "group"]
        constraints = [
            models.UniqueConstraint(
                fields=["parent", "year", "stage", "subject", "group"],
                name="tally_unique_group_year_stage",
                violation_error_message=_("Nhóm này đã có số liệu tổng hợp ở bước này trong năm này."),
            ),
            one_of("subject", Subject, "tally_subject_known"),
            one_of("member_kind", UnitKind, "tally_member_kind_known", blank=True),
            one_of("stage", Stage, "tally_stage_known"),
        ]

    def __str__(self):
        return f"{self.group} – {self.year}"

    def clean(self):
        self.clean_regime()

    def counted_total(self):
        """The fewest units the stated counts imply: a count "at or above" a level is never added to its parts."""
        exact, at_or_above = self._counts_by_rank()
        return rules.units_counted(exact, at_or_above)

    def level_counts(self):
        """{level code: count} of each level on its own, completed from counts stated "at or above"
        a level where the higher levels are stated too (rules.resolve_at_or_above)."""
        exact, at_or_above = self._counts_by_rank()
        codes = {c.level.rank: c.level.code for c in self.counts.all()}
        return {codes[rank]: count for rank, count in rules.resolve_at_or_above(exact, at_or_above).items() if rank in codes}

    def count_of(self, code):
        """The count of level `code` alone, None when the source gives no way to know it."""
        return self.level_counts().get(code)

    def stated_at_or_above(self):
        """The counts the source states for a level and every level above it."""
        return [c for c in self.counts.all() if c.or_above]

    def _counts_by_rank(self):
        exact, at_or_above = {}, {}
        for c in self.counts.all():
            (at_or_above if c.or_above else exact)[c.level.rank] = c.count
        return exact, at_or_above

    def quota(self):
        """The quota check of this group's counts, or None where it does not apply."""
        if self.subject != Subject.COLLECTIVE:
            return None
        return check_regime_quota(self.regime, self.count_of("HTXSNV"), self.count_of("HTTNV"))


class TallyCountManager(models.Manager):
    def get_by_natural_key(self, *key):
        # The key of a count stored before counts "at or above" a level existed ends with its level.
        *tally, level, or_above = key if isinstance(key[-1], bool) else (*key, False)
        return self.get(tally=Tally.objects.get_by_natural_key(*tally), level_id=level, or_above=or_above)


class TallyCount(models.Model):
    tally = models.ForeignKey(Tally, models.CASCADE, related_name="counts", verbose_name=_("số liệu tổng hợp"))
    level = models.ForeignKey(Level, models.PROTECT, related_name="+", verbose_name=_("mức xếp loại"))
    count = models.PositiveIntegerField(_("số lượng"), null=True, blank=True)
    percent = models.DecimalField(_("tỷ lệ (%)"), max_digits=5, decimal_places=2, null=True, blank=True)
    or_above = models.BooleanField(
        _("trở lên"), default=False,
        help_text=_("Số này gồm cả các mức cao hơn (“hoàn thành tốt nhiệm vụ trở lên”)."),
    )

    objects = TallyCountManager()
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("số lượng theo mức")
        verbose_name_plural = _("số lượng theo mức")
        ordering = ["level__rank"]
        constraints = [
            models.UniqueConstraint(fields=["tally", "level", "or_above"], name="tallycount_one_per_level"),
            models.CheckConstraint(condition=Q(percent__gte=0) & Q(percent__lte=100), name="tallycount_percent_range"),
            models.CheckConstraint(
                condition=Q(count__isnull=False) | Q(percent__isnull=False), name="tallycount_has_a_figure"
            ),
        ]

    def __str__(self):
        return f"{self.label}: {self.count}"

    @property
    def label(self):
        """The level as the figure means it: "từ HTTNV trở lên" for a count that includes the levels above."""
        if self.or_above:
            return _("từ %(code)s trở lên") % {"code": self.level.code}
        return self.level.code

    @property
    def figure(self):
        """The count, or the share where the source gives only that, as a reader writes it."""
        if self.count is not None:
            return formats.number_format(self.count, force_grouping=True)
        if self.percent is not None:
            places = len(f"{self.percent:f}".rstrip("0").partition(".")[2])
            return f"{formats.number_format(self.percent, decimal_pos=places)}%"
        return "—"

    def natural_key(self):
        return self.tally.natural_key() + (self.level_id, self.or_above)


class CriterionGrade(Versioned, Figure):
    """A unit's grade on one assessed content (the provincial self-assessment, HD 25-HD/BTCTW)."""

    NATURAL_KEY = ("unit__code", "year", "stage", "content")

    unit = models.ForeignKey(Unit, models.PROTECT, related_name="criterion_grades", verbose_name=_("đơn vị"))
    stage = models.CharField(_("bước"), max_length=10, choices=Stage.choices, default=Stage.SELF)
    content = models.TextField(_("nội dung đánh giá"))
    grade = models.CharField(_("cấp độ"), max_length=10, choices=Grade.choices)
    position = models.PositiveSmallIntegerField(_("thứ tự"), default=0)

    history = HistoricalRecords(excluded_fields=["version"])

    class Meta:
        verbose_name = _("cấp độ theo nội dung")
        verbose_name_plural = _("cấp độ theo nội dung")
        ordering = ["-year", "unit__path", "position"]
        constraints = [
            models.UniqueConstraint(fields=["unit", "year", "stage", "content"], name="criterion_unique_content"),
            one_of("stage", Stage, "criterion_stage_known"),
            one_of("grade", Grade, "criterion_grade_known"),
        ]

    def __str__(self):
        return f"{self.unit} – {self.year}: {self.get_grade_display()}"

    def clean(self):
        self.clean_regime()


# Each figure model with the field that places it in the tree, for what spans all of them.
FIGURE_PLACES = [(Rating, "unit"), (Tally, "parent"), (Vote, "unit"), (CriterionGrade, "unit")]


def check_regime_quota(regime, excellent, good):
    return rules.check_quota(excellent=excellent, good=good, ratio=regime.quota_ratio if regime else None)


def counts_over_total_message(figures, total, at_or_above=None):
    """Why counts ({level: (count, percent)}, and those "at or above" a level) cannot be stored
    under `total`, or None when they can."""
    exact, above = _by_rank(figures), _by_rank(at_or_above or {})
    short = rules.at_or_above_short_of_parts(exact, above)
    if short:
        rank, stated, parts = short
        code = next(level.code for level in (at_or_above or {}) if level.rank == rank)
        return _("Số từ %(code)s trở lên (%(stated)s) nhỏ hơn tổng các mức từ %(code)s trở lên (%(parts)s).") % {
            "code": code, "stated": stated, "parts": parts,
        }
    if rules.counts_within_total(exact, total, above):
        return None
    return _("Tổng các mức (%(counted)s) lớn hơn tổng số nêu trong nguồn (%(total)s).") % {
        "counted": rules.units_counted(exact, above),
        "total": total,
    }


def _by_rank(figures):
    """{rank: count} of {Level: (count, percent)}; a level not of the scale (a str code) has no rank and is skipped."""
    return {level.rank: count for level, (count, _percent) in figures.items() if isinstance(level, Level)}


def percent_text(ratio):
    """A ratio as Vietnamese readers write the share: 0,2 → "20", 0,125 → "12,5" (no trailing zeros)."""
    return f"{(ratio * 100).normalize():f}".replace(".", ",")


def quota_message(check, group):
    """The quota finding in words, with its arithmetic, for a warning the user can act on."""
    return _(
        "%(group)s vượt tỷ lệ: %(excellent)s đơn vị Hoàn thành xuất sắc nhiệm vụ, trong khi tối đa là "
        "%(limit)s (%(percent)s%% của %(good)s đơn vị Hoàn thành tốt nhiệm vụ, làm tròn xuống)."
    ) % {
        "group": group,
        "excellent": check.excellent,
        "limit": check.limit,
        "percent": percent_text(check.ratio),
        "good": check.good,
    }


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


class DataVersion(models.Model):
    """A counter raised in the same transaction as every change to ratings and units.

    Remembered counts are keyed by it (aggregates.remembered). The new number becomes visible
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


@receiver([pre_save, pre_delete, post_save, post_delete], sender=Rating)
@receiver([pre_save, pre_delete, post_save, post_delete], sender=Unit)
def count_a_change(sender, signal, using, raw=False, **kwargs):
    """Inside a transaction the counter is raised before the row is written, so every writer takes its
    lock before any row's and two writers cannot deadlock; in autocommit, after the row is stored, so
    nobody counts the old rows under the new number. Fixtures and restores load raw rows."""
    if raw:
        return
    before = signal in (pre_save, pre_delete)
    if before == transaction.get_connection(using).in_atomic_block:
        DataVersion.bump()
