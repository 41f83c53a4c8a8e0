"""The peer-group grid: every unit under one parent for one year and stage, entered in one form.

The view reads the choice, builds the forms and hands the rows to services.grid.save_peer_group,
the single write; the quota is recounted in the page by ratings/grid.js as levels are chosen.
"""
from datetime import date
from decimal import Decimal

from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from .. import quota, rules
from ..models import Decision, DecisionKind, Regime, Stage, Unit, year_choices
from ..services import grid

STAGES = [(s.value, s.label) for s in (Stage.SELF, Stage.PROPOSED, Stage.APPROVED)]


class GroupChoice(forms.Form):
    """Which peer group: an editor is offered only the parents inside their subtrees."""

    parent = forms.ModelChoiceField(queryset=Unit.objects.none(), label=gettext_lazy("Đơn vị cấp trên"))
    year = forms.TypedChoiceField(coerce=int, label=gettext_lazy("Năm được xếp loại"))
    stage = forms.ChoiceField(choices=STAGES, initial=Stage.APPROVED, label=gettext_lazy("Bước"))

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        parents = Unit.objects.filter(pk__in=Unit.objects.filter(parent__isnull=False).values("parent"))
        self.fields["parent"].queryset = parents.editable_by(user).order_by("path")
        self.fields["parent"].label_from_instance = lambda unit: f"{'· ' * (unit.depth - 1)}{unit.name} ({unit.code})"
        first = Regime.objects.order_by("first_year").values_list("first_year", flat=True).first() or 0
        self.fields["year"].choices = [(y, label) for y, label in year_choices() if y >= first]
        self.fields["year"].initial = date.today().year - 1


class RowForm(forms.Form):
    unit = forms.IntegerField(widget=forms.HiddenInput)
    opened_version = forms.IntegerField(widget=forms.HiddenInput, required=False, min_value=0)
    level = forms.ChoiceField(required=False, label=gettext_lazy("Mức xếp loại"))
    score = forms.DecimalField(required=False, min_value=0, max_digits=5, decimal_places=2, label=gettext_lazy("Điểm"))
    votes_for = forms.IntegerField(required=False, min_value=0, label=gettext_lazy("Số phiếu đồng ý"))
    votes_present = forms.IntegerField(required=False, min_value=0, label=gettext_lazy("Số người có mặt"))
    note = forms.CharField(required=False, label=gettext_lazy("Ghi chú"))

    def __init__(self, *args, levels, scored, **kwargs):
        super().__init__(*args, **kwargs)
        # Code first, so typing "HTT" in the closed select picks HTTNV.
        self.fields["level"].choices = [("", "—")] + [(lv.code, f"{lv.code} – {lv.localized_label}") for lv in levels]
        if not scored:
            del self.fields["score"]
        for name in ("votes_for", "votes_present"):
            self.fields[name].widget.attrs.update({"class": "grid-number"})


RowFormSet = forms.formset_factory(RowForm, extra=0)


class DecisionChoice(forms.Form):
    decision = forms.ModelChoiceField(queryset=Decision.objects.none(), required=False, label=gettext_lazy("Quyết định đã có"))
    kind = forms.ChoiceField(choices=DecisionKind.choices, initial=DecisionKind.DECISION, required=False, label=gettext_lazy("Loại văn bản"))
    number = forms.CharField(required=False, max_length=60, label=gettext_lazy("Số"))
    issued_on = forms.DateField(
        required=False, label=gettext_lazy("Ngày ban hành"), widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
    )

    def __init__(self, *args, group, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["decision"].queryset = Decision.objects.of_group(group.parent, group.year, group.stage)
        cited = [row.rating.decision_id for row in group.rows if row.rating and row.rating.decision_id]
        self.fields["decision"].initial = max(set(cited), key=cited.count) if cited else None

    def clean(self):
        cleaned = super().clean()
        if bool(cleaned.get("number")) != bool(cleaned.get("issued_on")) and not self.errors:
            raise forms.ValidationError(_("Quyết định mới cần cả số và ngày ban hành."))
        return cleaned

    def new_decision(self):
        data = self.cleaned_data
        return {"kind": data["kind"] or DecisionKind.DECISION, "number": data["number"], "issued_on": data["issued_on"]} if data.get("number") else None


def quota_boxes(group):
    """Per kind of unit, the quota as stored and the words the script fills in as levels change."""
    ratio = group.regime.quota_ratio if group.regime else None
    boxes = []
    for kind, label in group.kinds:
        finding = group.findings.get(kind)
        excellent, good = (finding.check.excellent, finding.check.good) if finding else (0, 0)
        box = {"kind": kind, "label": label, "ratio": ratio}
        if ratio is not None:
            check = rules.check_quota(excellent=excellent, good=good, ratio=ratio)
            box.update(check=check, template=quota_text("{excellent}", "{good}", "{limit}", ratio),
                       text=quota_text(excellent, good, check.limit, ratio))
        boxes.append(box)
    return boxes


def quota_text(excellent, good, limit, ratio):
    return _("HTXSNV: %(excellent)s, tối đa %(limit)s (%(percent)s%% của %(good)s HTTNV, làm tròn xuống)") % {
        "excellent": excellent, "good": good, "limit": limit, "percent": format((Decimal(ratio) * 100).normalize(), "f"),
    }


def grid_view(model_admin, request):
    """Choose a peer group (GET), then enter and save all of its levels at once (POST)."""
    if not (model_admin.has_add_permission(request) and model_admin.has_change_permission(request)):
        raise PermissionDenied
    choice = GroupChoice(request.GET if "parent" in request.GET else None, user=request.user)
    context = {"title": _("Nhập kết quả theo nhóm đơn vị"), "choice": choice}
    if choice.is_valid():
        group = grid.peer_group(**choice.cleaned_data)
        rows, decision = sheet_forms(group, request.POST if request.method == "POST" else None)
        if request.method == "POST":
            if not (rows.is_valid() and decision.is_valid()):
                messages.error(request, _("Không lưu gì: hãy sửa các ô được đánh dấu."))
            elif save(request, group, rows, decision):
                return redirect(request.get_full_path())
        context.update(group=group, rows=list(zip(group.rows, rows.forms)), formset=rows, decision=decision,
                       quota=quota_boxes(group), stage_label=Stage(group.stage).label)
    return TemplateResponse(request, "admin/ratings/rating/grid.html",
                            {**model_admin.admin_site.each_context(request), "opts": model_admin.model._meta, **context})


def sheet_forms(group, data):
    initial = [row_initial(row) for row in group.rows]
    scored = bool(group.regime and group.regime.scored)
    rows = RowFormSet(data, initial=initial, prefix="rows", form_kwargs={"levels": group.levels, "scored": scored})
    for row, form in zip(group.rows, rows.forms):
        form.fields["level"].widget.attrs.update({"class": "grid-level", "data-kind": row.unit.kind, "aria-label": row.unit.name})
    return rows, DecisionChoice(data, group=group, prefix="decision")


def row_initial(row):
    """A row as stored, with the version it is opened at (None: no rating yet)."""
    rating = row.rating
    if rating is None:
        return {"unit": row.unit.pk, "opened_version": None}
    return {"unit": row.unit.pk, "opened_version": rating.version, "level": rating.level.code, "score": rating.score,
            "votes_for": rating.votes_for, "votes_present": rating.votes_present, "note": rating.note}


def save(request, group, rows, decision):
    """Hand the rows to the service; put its refusals on the page. True when saved."""
    units = [row.unit.pk for row in group.rows]
    if [form.cleaned_data["unit"] for form in rows.forms] != units:
        messages.error(request, _("Danh sách đơn vị của nhóm đã thay đổi từ khi mở bảng; hãy tải lại trang."))
        return False
    levels = {level.code: level for level in group.levels}
    entries = [
        {**form.cleaned_data, "unit": row.unit, "level": levels.get(form.cleaned_data["level"])}
        for row, form in zip(group.rows, rows.forms)
    ]
    try:
        report = grid.save_peer_group(
            parent=group.parent, year=group.year, stage=group.stage, rows=entries, user=request.user,
            decision=decision.cleaned_data["decision"], new_decision=decision.new_decision(),
            seen_versions={form.cleaned_data["unit"]: form.cleaned_data["opened_version"] for form in rows.forms},
        )
    except grid.GridRefused as error:
        messages.error(request, str(error))
        return False
    except grid.GridInvalid as error:
        show_errors(request, rows, decision, error)
        return False
    messages.success(request, _("Đã lưu nhóm: %(created)s mới, %(updated)s thay đổi, %(unchanged)s không đổi.") % vars(report))
    for finding in report.breaches:
        messages.warning(request, quota.describe(finding))
    for warning in report.scorecard_warnings:
        messages.warning(request, warning)
    return True


def show_errors(request, rows, decision, error):
    by_unit = {form.cleaned_data["unit"]: form for form in rows.forms}
    for unit_pk, problem in error.rows.items():
        form = by_unit[unit_pk]
        for name, texts in problem.message_dict.items():
            form.add_error(name if name in form.fields else None, texts)
    if error.decision is not None:
        for text in error.decision.messages:
            decision.add_error(None, text)
    messages.error(request, _("Không lưu gì: %(count)s dòng có lỗi, xem các dòng được đánh dấu.") % {"count": len(error.rows)}
                   if error.rows else _("Không lưu gì: quyết định chưa hợp lệ."))
