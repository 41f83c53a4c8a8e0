"""What every admin page shares: scoping to an editor's subtrees, the audit trail, badges and links."""

from django.contrib import admin, messages
from django.contrib.admin.utils import unquote
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.html import format_html
from django.utils.text import Truncator
from simple_history.admin import SimpleHistoryAdmin

from ..forms import concurrent_edit_message
from ..models import ConcurrentEdit, Decision, Source, Unit, covers, scope_filter
from ..services import uploads


class ScopedAdmin(admin.ModelAdmin):
    """An editor sees and changes only what lies in the subtrees given to them (EditorScope).

    `scope_field` names the foreign key that places an object in the tree. An object
    outside the user's scope is missing for them: a guessed URL answers as it does
    for an id that never existed, so nobody learns which ids another province holds.
    """

    scope_field = "unit"

    def scope_path(self):
        return f"{self.scope_field}__path" if self.scope_field else "path"

    def get_queryset(self, request):
        queryset = super().get_queryset(request)
        limit = scope_filter(request.user, self.scope_path())
        return queryset if limit is None else queryset.filter(limit)

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if db_field.related_model is Unit:
            kwargs["queryset"] = Unit.objects.editable_by(request.user)
        elif db_field.related_model is Source:
            kwargs["queryset"] = Source.objects.editable_by(request.user)
        elif db_field.related_model is Decision:
            kwargs["queryset"] = Decision.objects.editable_by(request.user).select_related("issuer")
        return super().formfield_for_foreignkey(db_field, request, **kwargs)


class AuditedAdmin(SimpleHistoryAdmin):
    """Every change with who, when and old → new values (django-simple-history), read only;
    a save that lost a race with someone else's is refused in the form (models.Versioned)."""

    def history_view(self, request, object_id, extra_context=None):
        self.refuse_history_outside_scope(request, unquote(object_id))
        return super().history_view(request, object_id, extra_context)

    def history_form_view(self, request, object_id, version_id, extra_context=None):
        if request.method == "POST":
            raise PermissionDenied
        self.refuse_history_outside_scope(request, unquote(object_id))
        return super().history_form_view(request, object_id, version_id, extra_context)

    def refuse_history_outside_scope(self, request, object_id):
        """Another province's object has no history for the user, as it has no change page; nor has a deleted
        one whose last recorded state placed it there: its history outlives it and is as private as it was."""
        if self.get_object(request, object_id) is not None or not str(object_id).isdigit():
            return
        last = self.model.history.filter(**{self.model._meta.pk.attname: object_id}).order_by("-history_id").first()
        if last is not None and not covers(request.user, self.recorded_path(last)):
            raise Http404

    def recorded_path(self, record):
        """The tree path a historical record placed its object at, the unit's own record if it is gone too."""
        if not self.scope_field:
            return record.path
        unit_id = getattr(record, f"{self.scope_field}_id")
        path = Unit.objects.filter(pk=unit_id).values_list("path", flat=True).first()
        if path is None:
            path = Unit.history.filter(id=unit_id).order_by("-history_id").values_list("path", flat=True).first()
        return path or ""

    def changeform_view(self, request, object_id=None, form_url="", extra_context=None):
        try:
            return super().changeform_view(request, object_id, form_url, extra_context)
        except ConcurrentEdit as error:
            refused = error
        if not refused.busy:
            # The other save has committed and everything of this one was rolled back: shown
            # again, the form's own version check puts the message next to the user's entries.
            try:
                return super().changeform_view(request, object_id, form_url, extra_context)
            except ConcurrentEdit as error:
                refused = error
        messages.error(request, concurrent_edit_message(refused))
        return redirect(request.get_full_path())


def level_badge(level):
    if level is None:
        return "—"
    return format_html(
        '<span class="level-badge {}" title="{}">{}</span>',
        level.css_class,
        level.localized_label,
        level.code,
    )


def source_link(source):
    if source is None:
        return "—"
    return format_html(
        '<a href="{}" title="{}">{}</a>',
        reverse("admin:ratings_source_change", args=[source.pk]),
        source.title,
        Truncator(source.title).chars(40),
    )


# An upload kept between preview and confirmation (services.uploads) may be confirmed only from the
# session that sent it: each import notes its tokens under its own session key, the last ten.
def remember_upload(request, key, token):
    request.session[key] = [*request.session.get(key, [])[-9:], token]


def claimed_upload(request, key, token):
    """The upload kept under `token` if this session sent it and it is still kept, else None."""
    if token not in request.session.get(key, []):
        return None
    return uploads.kept_upload(user=request.user, token=token)


def forget_upload(request, key, token):
    """Remove the kept file and its token once the upload is saved."""
    uploads.discard_upload(user=request.user, token=token)
    request.session[key] = [t for t in request.session.get(key, []) if t != token]
