import inspect
import ipaddress
from datetime import MAXYEAR, MINYEAR, date

from django.conf import settings
from django.contrib import admin
from django.contrib.admin.helpers import ACTION_CHECKBOX_NAME
from django.contrib.admin.options import TO_FIELD_VAR
from django.contrib.admin.utils import unquote
from django.core.exceptions import FieldDoesNotExist, ValidationError
from django.db import models
from django.http import Http404, QueryDict
from django.middleware.locale import LocaleMiddleware
from django.utils import translation

from .filters import is_database_integer


class ChosenLanguageMiddleware(LocaleMiddleware):
    """Vietnamese unless the user chose another language, whatever the browser asks for.

    The staff's browsers are often set to English; the department works in Vietnamese.
    """

    def process_request(self, request):
        chosen = request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME)
        supported = dict(settings.LANGUAGES)
        translation.activate(chosen if chosen in supported else settings.LANGUAGE_CODE)
        request.LANGUAGE_CODE = translation.get_language()


def proxied_client_address(request):
    """The client's address behind the TLS proxy, for login throttling (AXES_CLIENT_IP_CALLABLE).

    Every request arrives from the proxy, so REMOTE_ADDR alone would lock a username for everyone
    at once. The proxy writes the address it accepted the connection from into X-Real-IP, replacing
    any header of that name the client sent; the header is believed only when the connection comes
    from one of TRUSTED_PROXIES, so whoever reaches the application server directly is counted by
    their own address and cannot pick a fresh one for every guess.
    """
    remote = request.META.get("REMOTE_ADDR", "")
    forwarded = request.META.get("HTTP_X_REAL_IP", "").strip()
    if forwarded and _is_trusted_proxy(remote) and _is_address(forwarded):
        return forwarded
    return remote


def _is_address(text):
    try:
        ipaddress.ip_address(text)
    except ValueError:
        return False
    return True


def _is_trusted_proxy(address):
    try:
        address = ipaddress.ip_address(address)
    except ValueError:
        return False
    return any(address in ipaddress.ip_network(proxy, strict=False) for proxy in settings.TRUSTED_PROXIES)


# C0 control characters but tab and line breaks: PostgreSQL refuses a NUL in text, openpyxl the others in a cell.
CONTROL_CHARACTERS = dict.fromkeys(code for code in range(0x20) if chr(code) not in "\t\n\r")


class JunkParametersMiddleware:
    """Nothing in the address reaches a query as a value the database refuses.

    The views, Django's admin, django-filter and django-tables2 all read query parameters and
    pass them to queries, so the address is cleaned once, before any of them sees it:

    - a control character in the path names no page: 404;
    - control characters are removed from parameters' names and values (a NUL is a DataError
      on PostgreSQL);
    - a value in digits that is no integer a database holds (beyond 2^63-1, or digits such as
      "²" that int() refuses) is dropped, so its reader falls back to its default instead of
      raising an OverflowError on SQLite or a DataError on PostgreSQL;
    - on a model's admin page, an id in the path that the model cannot have is 404; the add
      form's initial relation keys and the list's date-hierarchy parts that no object or date
      can match are dropped, as are objects ticked for an action by a key they cannot have
      (the history pages, the autocomplete widget, the date hierarchy and the actions raise on
      those, with a 500).
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if request.path_info != request.path_info.translate(CONTROL_CHARACTERS):
            raise Http404
        replace_query(request, cleaned_query(request.GET))
        return self.get_response(request)

    def process_view(self, request, view_func, view_args, view_kwargs):
        model_admin, view = admin_view_of(view_func)
        if model_admin is None:
            return None
        arguments = {**dict(zip(list(inspect.signature(view).parameters)[1:], view_args)), **view_kwargs}
        for name, field in path_keys(model_admin.model, request.GET.get(TO_FIELD_VAR)).items():
            if name in arguments and not is_key(field, unquote(str(arguments[name]))):
                raise Http404
        unmatched = set(unmatchable_parameters(model_admin, view.__name__, request.GET))
        if unmatched:
            query = request.GET.copy()
            for name in unmatched:
                query.pop(name, None)
            replace_query(request, query)
        if view.__name__ == "changelist_view" and request.method == "POST":
            pk = model_admin.model._meta.pk
            selected = request.POST.getlist(ACTION_CHECKBOX_NAME)
            if not all(is_key(pk, key) for key in selected):
                form = request.POST.copy()
                form.setlist(ACTION_CHECKBOX_NAME, [key for key in selected if is_key(pk, key)])
                request.POST = form
        return None


# Parameters that carry text (a search, a unit code): digits there are words, not ids, whatever their length.
TEXT_PARAMETERS = {"q", "term", "scope", "unit", "code"}


def cleaned_query(query):
    """`query` without control characters, and without the values that were nothing else or are
    digits no database integer holds (except in TEXT_PARAMETERS)."""
    cleaned = QueryDict(mutable=True)
    for name, values in query.lists():
        kept = []
        for value in values:
            text = value.translate(CONTROL_CHARACTERS)
            number_like = text.isdigit() and name not in TEXT_PARAMETERS
            if (text or not value) and (not number_like or is_database_integer(text)):
                kept.append(text)
        if kept:
            name = name.translate(CONTROL_CHARACTERS)
            cleaned.setlist(name, cleaned.getlist(name) + kept)
    return cleaned


def replace_query(request, query):
    """Give the views `query` in place of the address's, and get_full_path() with it."""
    if list(query.lists()) != list(request.GET.lists()):
        query._mutable = False
        request.GET = query
        request.META["QUERY_STRING"] = query.urlencode()


def admin_view_of(view):
    """The ModelAdmin whose page `view` serves, and its bound method; Django's admin_view wraps it."""
    while view is not None:
        if isinstance(getattr(view, "__self__", None), admin.ModelAdmin):
            return view.__self__, view
        view = getattr(view, "__wrapped__", None)
    return None, None


def path_keys(model, to_field):
    """The fields whose values an admin path names: the object (or its `_to_field`) and a historical version."""
    try:
        keys = {"object_id": model._meta.get_field(to_field) if to_field else model._meta.pk}
    except FieldDoesNotExist:
        keys = {}  # the admin refuses an unknown _to_field itself
    history = getattr(model._meta, "simple_history_manager_attribute", None)
    if history:
        keys["version_id"] = getattr(model, history).model._meta.pk
    return keys


def is_key(field, value):
    """Whether a query on `field` can take `value`: an integer the database holds, or a value the field accepts."""
    if isinstance(field, models.IntegerField):
        return is_database_integer(value)
    try:
        field.to_python(value)
    except ValidationError:
        return False
    return value == value.translate(CONTROL_CHARACTERS)


def unmatchable_parameters(model_admin, view_name, query):
    """Names of parameters the admin would raise on: an empty _to_field (the object is looked up
    by a field named ""), on the add form initial relation keys no object can have (its
    autocomplete widget looks them up), on the list date-hierarchy parts that make no date."""
    if query.get(TO_FIELD_VAR) == "":
        yield TO_FIELD_VAR
    if view_name == "add_view":
        for name, value in query.items():
            try:
                field = model_admin.model._meta.get_field(name)
            except FieldDoesNotExist:
                continue
            if field.is_relation and field.concrete:
                keys = value.split(",") if field.many_to_many else [value]
                if not all(is_key(field.target_field, key) for key in keys):
                    yield name
    if view_name == "changelist_view" and model_admin.date_hierarchy:
        parts = [f"{model_admin.date_hierarchy}__{part}" for part in ("year", "month", "day")]
        if parts[0] in query and not is_hierarchy_date(*(query.get(part) for part in parts)):
            yield from parts


def is_hierarchy_date(year, month, day):
    """Whether these parts make a day the admin's date hierarchy can bound: it raises (a 500) on a
    year beyond a C int and on year 1 or 9999, which it cannot step past or shift into UTC."""
    try:
        year, month, day = int(year), int(month or 1), int(day or 1)
        date(year, month, day)
    except (ValueError, OverflowError):
        return False
    return MINYEAR < year < MAXYEAR
