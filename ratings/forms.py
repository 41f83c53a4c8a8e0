"""Entry forms: the user picks a level by its name, the year decides the scale."""
from django import forms
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from .aggregates import level_columns
from .models import (
    TASK_FIELDS,
    ConcurrentEdit,
    CriterionGrade,
    Level,
    QuarterRating,
    Rating,
    Regime,
    Source,
    Tally,
    Unit,
    Vote,
    counts_over_total_message,
    year_choices,
)
from .services import REFUSALS, ImportRefused, read_article_file


def level_code_choices():
    """Each level code once, best first, labelled as the scale of its latest regime names it."""
    return [("", "---------")] + [(level.code, f"{level.localized_label} ({level.code})") for level in level_columns()]


class LevelByCodeForm(forms.ModelForm):
    """Shows one list of level names; clean() swaps the code for the year's Level."""

    level = forms.ChoiceField(label=_("Mức xếp loại"), choices=level_code_choices)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk and self.instance.level_id:
            self.initial["level"] = self.instance.level.code

    def clean(self):
        cleaned = super().clean()
        code, year = cleaned.get("level"), cleaned.get("year")
        if code and year:
            try:
                cleaned["level"] = Level.objects.in_scale_of(year, code)
            except forms.ValidationError as error:
                self.add_error("level", error)
        elif code:
            cleaned.pop("level")
        return cleaned


def edited_thing(instance):
    """How a message names the object two people edited at once."""
    names = {
        Rating: _("Kết quả này"), QuarterRating: _("Kết quả quý này"), Unit: _("Đơn vị này"), Source: _("Nguồn này"),
        Vote: _("Kết quả biểu quyết này"), CriterionGrade: _("Cấp độ này"),
    }
    return names.get(type(instance), _("Số liệu này"))


def concurrent_edit_message(error):
    """What the user reads when their save would overwrite a change they have not seen."""
    what = edited_thing(error.instance)
    if error.busy:
        return _("%(what)s đang được người khác lưu; hãy đợi giây lát rồi bấm Lưu lại.") % {"what": what}
    when = error.changed_at
    if when is None:
        return _("%(what)s vừa được người khác sửa; hãy tải lại trang để xem bản mới rồi sửa lại.") % {"what": what}
    when = timezone.localtime(when)
    return _(
        "%(what)s vừa được người khác sửa lúc %(time)s ngày %(date)s; hãy tải lại trang để xem bản mới rồi sửa lại."
    ) % {"what": what, "time": f"{when:%H:%M:%S}", "date": f"{when:%d/%m/%Y}"}


class VersionCheckedForm(forms.ModelForm):
    """Carries the version the object had when the form was opened.

    clean() refuses at once when the stored version has already moved on; the
    model's compare-and-swap (Versioned) refuses the race that clean() cannot see.
    A post without the field (an old form, a script) saves over whatever is stored.
    """

    opened_version = forms.IntegerField(widget=forms.HiddenInput, required=False, min_value=0)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["opened_version"].initial = self.instance.version

    def clean(self):
        cleaned = super().clean()
        opened = cleaned.get("opened_version")
        if self.instance.pk is None or opened is None:
            return cleaned
        stored = type(self.instance)._default_manager.filter(pk=self.instance.pk).values_list("version", flat=True).first()
        self.instance.version = opened
        if stored is not None and stored != opened:
            raise forms.ValidationError(concurrent_edit_message(ConcurrentEdit(self.instance)), code="concurrent_edit")
        return cleaned

    def save_or_refuse(self):
        """Save; if someone else's save won the race, put the message on the form and return None."""
        try:
            with transaction.atomic():
                return self.save()
        except ConcurrentEdit as error:
            self.add_error(None, forms.ValidationError(concurrent_edit_message(error), code="concurrent_edit"))
            return None


class RatingForm(VersionCheckedForm, LevelByCodeForm):
    class Meta:
        model = Rating
        fields = [
            "unit", "year", "stage", "level", "score", *TASK_FIELDS, "votes_for", "votes_present",
            "decided_on", "decision", "note", "source", "evidence",
        ]


class QuarterRatingForm(VersionCheckedForm, LevelByCodeForm):
    class Meta:
        model = QuarterRating
        fields = ["unit", "year", "quarter", "stage", "level", "score", *TASK_FIELDS, "decided_on", "note", "source", "evidence"]


class VoteForm(VersionCheckedForm, LevelByCodeForm):
    class Meta:
        model = Vote
        fields = ["unit", "year", "level", "votes_for", "present", "source", "evidence"]


class CriterionGradeForm(VersionCheckedForm):
    class Meta:
        model = CriterionGrade
        fields = ["unit", "year", "stage", "position", "content", "grade", "source", "evidence"]


class UnitForm(VersionCheckedForm):
    class Meta:
        model = Unit
        fields = ["code", "name", "place", "kind", "parent", "valid_from", "valid_to", "successor"]


class SourceForm(VersionCheckedForm):
    url = forms.URLField(label=_("địa chỉ"), max_length=1000, required=False, assume_scheme="https")

    class Meta:
        model = Source
        fields = ["title", "url", "file_name", "published", "note"]


class TallyFormBase(VersionCheckedForm):
    """Counts and percentages per level; only the levels of the year's scale may be filled."""

    class Meta:
        model = Tally
        fields = ["parent", "year", "group", "subject", "member_kind", "stage", "total", "source", "evidence"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk:
            for count in self.instance.counts.select_related("level"):
                suffix = count.level.code + (AT_OR_ABOVE if count.or_above else "")
                self.initial[f"count_{suffix}"] = count.count
                self.initial[f"percent_{suffix}"] = count.percent

    def level_figures(self, or_above=False):
        """{Level: (count, percent)} for the levels the user filled, in the year's scale: the counts of
        each level alone, or with `or_above` those of a level and every level above it."""
        regime = Regime.objects.for_year(self.cleaned_data["year"]).first()
        levels = {level.code: level for level in regime.levels.all()} if regime else {}
        figures = {}
        for code in level_codes():
            suffix = code + (AT_OR_ABOVE if or_above else "")
            count = self.cleaned_data.get(f"count_{suffix}")
            percent = self.cleaned_data.get(f"percent_{suffix}")
            if count is not None or percent is not None:
                figures[levels.get(code, code)] = (count, percent)
        return figures

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("year") is None:
            return cleaned
        figures, at_or_above = self.level_figures(), self.level_figures(or_above=True)
        if not figures and not at_or_above:
            raise forms.ValidationError(_("Nhập ít nhất một số lượng hoặc tỷ lệ theo mức xếp loại."))
        for level in [*figures, *at_or_above]:
            if isinstance(level, str):
                self.add_error(
                    None,
                    _("Mức %(code)s không thuộc thang xếp loại năm %(year)s.") % {"code": level, "year": cleaned["year"]},
                )
        over_total = counts_over_total_message(figures, cleaned.get("total"), at_or_above)
        if over_total:
            self.add_error("total", over_total)
        # Only the levels alone add up to 100%: a share "at or above" a level already includes others.
        percents = sum(p for _count, p in figures.values() if p is not None)
        if percents > 100:
            raise forms.ValidationError(_("Tổng tỷ lệ các mức (%(sum)s%%) vượt quá 100%%.") % {"sum": percents})
        return cleaned


AT_OR_ABOVE = "_tro_len"


def level_codes():
    return [code for code, _label in level_code_choices() if code]


def tally_form_class():
    """A TallyForm with a count and a percentage field for every level code the scales hold."""
    attrs = {}
    for code, label in level_code_choices()[1:]:
        attrs[f"count_{code}"] = forms.IntegerField(label=_("Số %(code)s") % {"code": code}, help_text=label, required=False, min_value=0)
        attrs[f"percent_{code}"] = forms.DecimalField(
            label=_("Tỷ lệ %(code)s (%%)") % {"code": code}, required=False, min_value=0, max_value=100, max_digits=5, decimal_places=2
        )
        attrs[f"count_{code}{AT_OR_ABOVE}"] = forms.IntegerField(
            label=_("Số từ %(code)s trở lên") % {"code": code}, required=False, min_value=0,
            help_text=_("Gồm cả các mức cao hơn, khi nguồn nêu như vậy (“%(label)s trở lên”).") % {"label": label},
        )
        attrs[f"percent_{code}{AT_OR_ABOVE}"] = forms.DecimalField(
            label=_("Tỷ lệ từ %(code)s trở lên (%%)") % {"code": code}, required=False, min_value=0, max_value=100,
            max_digits=5, decimal_places=2,
        )
    return type("TallyForm", (TallyFormBase,), attrs)


def level_field_names(year, or_above=False):
    """The (count, percent) field pairs to show for `year`: those of its scale, for each level alone
    or, with `or_above`, for each level and every level above it."""
    regime = Regime.objects.for_year(year).first() if year else None
    regime = regime or Regime.objects.order_by("-first_year").first()
    if regime is None:
        return []
    levels = regime.levels.values_list("code", "rank")
    if not or_above:
        return [(f"count_{code}", f"percent_{code}") for code, _rank in levels]
    # "The top level or above" is the top level itself: it has no such field.
    return [(f"count_{code}{AT_OR_ABOVE}", f"percent_{code}{AT_OR_ABOVE}") for code, rank in levels if rank > 1]


MAX_ARTICLE_BYTES = 5 * 1024 * 1024


class ArticleForm(forms.Form):
    """An article to import: a file, pasted text or its address, with what the text may leave out."""

    file = forms.FileField(label=_("Tệp bài viết (.txt, .html)"), required=False)
    text = forms.CharField(label=_("Hoặc dán nội dung"), widget=forms.Textarea(attrs={"rows": 8}), required=False)
    url = forms.URLField(label=_("Hoặc địa chỉ bài viết (URL)"), max_length=1000, required=False, assume_scheme="https")
    name = forms.CharField(widget=forms.HiddenInput, required=False)
    province = forms.ChoiceField(label=_("Tỉnh, thành phố (nếu bài không nêu)"), required=False)
    year = forms.TypedChoiceField(label=_("Năm được xếp loại (nếu bài không nêu)"), coerce=int, required=False, empty_value=None)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        places = Unit.objects.provinces().exclude(place="").order_by("place").values_list("place", flat=True).distinct()
        self.fields["province"].choices = [("", "---------")] + [(p, p) for p in places]
        self.fields["year"].choices = [("", "---------")] + year_choices()

    def clean(self):
        cleaned = super().clean()
        upload = cleaned.get("file")
        if upload:
            if upload.size > MAX_ARTICLE_BYTES:
                raise forms.ValidationError(REFUSALS["too_large"])
            try:
                cleaned["text"] = read_article_file(upload.read(), upload.name)
            except ImportRefused as error:
                raise forms.ValidationError(str(error)) from error
            cleaned["name"] = upload.name
        elif (cleaned.get("text") or "").strip():
            if len(cleaned["text"].encode("utf-8")) > MAX_ARTICLE_BYTES:
                raise forms.ValidationError(REFUSALS["too_large"])
        elif cleaned.get("url"):
            cleaned["text"] = self.fetch(cleaned["url"])
            cleaned["name"] = cleaned["url"]
            return cleaned
        elif not self.has_error("url"):
            raise forms.ValidationError(_("Chọn một tệp hoặc dán nội dung bài viết."))
        cleaned["url"] = ""  # the address names the source only when the text came from it
        cleaned["name"] = cleaned.get("name") or str(_("Văn bản dán vào"))
        return cleaned

    @staticmethod
    def fetch(url):
        # Imported where needed: only an article given by its address uses the fetcher.
        from .services.fetching import FetchRefused, fetch_article

        try:
            text = fetch_article(url).text
        except FetchRefused as error:
            raise forms.ValidationError(str(error)) from error
        if len(text.encode("utf-8")) > MAX_ARTICLE_BYTES:
            raise forms.ValidationError(REFUSALS["too_large"])
        return text
