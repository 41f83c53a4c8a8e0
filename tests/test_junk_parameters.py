"""Hostile parameters never crash a page: junk falls back to a default, or the answer is a 404 or a 400.

Every page of ratings/urls.py and every admin page this project registers is asked with each
parameter it reads set to each hostile value below, on whichever database the suite runs (SQLite
by default, PostgreSQL with DATABASE_URL): as a superuser, and as an editor of one province where
what runs depends on the user. A crash is seen as the 500 a browser would get, not raised.
"""
from datetime import date
from urllib.parse import quote

import pytest
from django.contrib import admin
from django.contrib.admin.utils import get_fields_from_path
from django.contrib.auth.models import Group
from django.test import Client
from django.urls import reverse

from ratings.models import CriterionGrade, EditorScope, Grade, Source, Tally, Unit, Vote

HOSTILE = {
    "nul": "\x00",
    "nul-inside": "a\x00b",
    "30-nines": "9" * 30,
    "2^63": str(2**63),
    "2^64": str(2**64),
    "2^62": str(2**62),  # a bigint, but no page of fifty rows starts there, nor a year of a date
    "minus-one": "-1",
    "zero": "0",
    "float": "1e9",
    "quote": "'",
    "percent": "%",
    "5000-chars": "x" * 5000,
    "5000-digits": "0" * 4999 + "1",  # int() refuses more than 4300 digits, leading zeros too
    "arabic-indic-digits": "١٢",  # str.isdigit() is True and int() reads it as 12
    "superscript-two": "²",  # str.isdigit() is True but int() refuses it
    "emoji": "😀",
    "year-9999": "9999",  # the admin's date hierarchy cannot step to the year after it
}

PAGES = {
    reverse("ratings:dashboard"): ["year", "scope", "province", "kind", "level", "stage", "change", "page", "per_page", "sort"],
    reverse("ratings:compare_years"): ["year", "scope", "province", "stage"],
    reverse("ratings:compare_units"): ["year", "scope", "province", "stage", "kind", "page"],
    reverse("ratings:compare_provinces"): ["year"],
}
# This project's admins; Django's Group and django-axes' logs have admins too, but none of its code.
PROJECT_ADMINS = [(model, model_admin) for model, model_admin in admin.site._registry.items() if type(model_admin).__module__.startswith("ratings.")]


def list_filter_parameters(model_admin):
    """The query parameters each list filter reads, as Django's filter classes name them."""
    names = []
    for item in model_admin.list_filter:
        if isinstance(item, type) and issubclass(item, admin.SimpleListFilter):
            names.append(item.parameter_name)
            continue
        field_path, filter_class = item if isinstance(item, tuple) else (item, None)
        field = get_fields_from_path(model_admin.model, field_path)[-1]
        if field.is_relation:
            names += [f"{field_path}__{field.target_field.name}__exact", f"{field_path}__isnull"]
        elif field.get_internal_type() in ("DateField", "DateTimeField") and filter_class is None:
            names += [f"{field_path}__gte", f"{field_path}__lt", f"{field_path}__isnull"]
        elif filter_class is admin.AllValuesFieldListFilter or not (field.choices or field.get_internal_type() == "BooleanField"):
            names += [field_path, f"{field_path}__isnull"]
        else:
            names += [f"{field_path}__exact", f"{field_path}__isnull"]
    return names


def admin_url(model, view, *args):
    return reverse(f"admin:{model._meta.app_label}_{model._meta.model_name}_{view}", args=args)


BOTH = ("superuser", "editor")


def case(url, *, together=(), alone=(), fixed=None, method="get", model=None, roles=BOTH):
    """A page to ask with each hostile value: in its path ("{junk}"), in the parameters `together`
    all at once, and in each of the parameters `alone` by itself.

    Parameters go together where the page has read every one of them whenever it answers 200, so
    that one request shows each fell back to its default; any other answer (a refusal, such as the
    admin's redirect to ?e=1 for junk in its own filters or page number, or a 500) is asked again
    parameter by parameter, to reach those a refusal skipped and to name the culprit. They go alone
    where the page may skip one even when it answers 200 (the Excel template reads `province` only
    without a `unit`) or refuses one every time (the admin's _to_field, with a 400).
    """
    fixed = fixed or {}
    query = "&".join(f"{key}={value}" for key, value in fixed.items())
    label = f"{method.upper()} {url}{'?' + query if query else ''}"
    return [
        pytest.param(role, url, list(together), list(alone), fixed, method, model, id=f"{role}-{label}") for role in roles
    ]


def cases():
    """Every page, the admin's included, as the superuser; as the editor too where what runs depends
    on the user: the scoped lists, objects, searches and the Excel and article tools. The pages read
    no user, and Django's own filters and forms parse a parameter the same for everyone."""
    for url, parameters in PAGES.items():
        yield case(url, together=[*parameters, "_export"], roles=["superuser"])
        for export in ("csv", "xlsx"):
            yield case(url, together=parameters, fixed={"_export": export}, roles=["superuser"])
    yield case("/units/{junk}/", roles=["superuser"])
    yield case("/units/{junk}/", fixed={"_export": "csv"}, roles=["superuser"])
    yield case(reverse("ratings:unit", args=["A-1"]), together=["_export"], roles=["superuser"])

    for model, model_admin in PROJECT_ADMINS:
        changelist = admin_url(model, "changelist")
        hierarchy = [f"{model_admin.date_hierarchy}__{part}" for part in ("year", "month", "day")] if model_admin.date_hierarchy else []
        ours = [item.parameter_name for item in model_admin.list_filter if isinstance(item, type) and issubclass(item, admin.SimpleListFilter)]
        builtin = [name for name in list_filter_parameters(model_admin) if name not in ours]
        yield case(changelist, together=[*ours, "q", "o", "e", *builtin, "p", *hierarchy], alone=["_to_field"], roles=["superuser"])
        yield case(changelist, together=[*ours, "q", "o", "e"], roles=["editor"])
        yield case(changelist, alone=["_selected_action"], fixed={"action": "delete_selected", "index": "0"}, method="post", roles=["superuser"])
        for view in ("change", "history", "delete"):
            yield case(admin_url(model, view, "JUNK").replace("JUNK", "{junk}"))
        if hasattr(model_admin, "history_form_view"):
            yield case(changelist + "{id}/history/{junk}/", model=model)
        yield case(changelist + "{id}/change/", alone=["_to_field"], model=model, roles=["superuser"])
        fields = [field.name for field in model._meta.get_fields() if field.concrete and field.editable and not field.primary_key]
        yield case(admin_url(model, "add"), together=fields, roles=["superuser"])

    autocomplete = reverse("admin:autocomplete")
    for app_label, model_name, field_name in sorted(set(autocomplete_targets())):
        target = {"app_label": app_label, "model_name": model_name, "field_name": field_name}
        yield case(autocomplete, together=["term", "page"], fixed=target)
    unit_search = {"term": "a", "app_label": "ratings", "model_name": "rating", "field_name": "unit"}
    yield case(autocomplete, together=["app_label", "model_name", "field_name"], fixed=unit_search, roles=["superuser"])

    template = reverse("admin:ratings_rating_excel_template")
    yield case(template, alone=["year", "unit", "province"])
    yield case(template, alone=["unit", "province"], fixed={"year": "2024"})
    excel_import = reverse("admin:ratings_rating_excel_import")
    yield case(excel_import, together=["confirm", "token"])
    yield case(excel_import, alone=["token"], fixed={"confirm": "1"}, method="post")
    article_import = reverse("admin:ratings_source_import")
    article = {"text": "Đảng bộ tỉnh A năm 2024 hoàn thành tốt nhiệm vụ."}
    yield case(article_import, together=["text", "name", "province", "year"])
    yield case(article_import, together=["text", "name", "province", "year"], method="post")
    yield case(article_import, together=["name", "province", "year"], fixed=article, method="post")


def autocomplete_targets():
    """(app_label, model_name, field_name) of an autocomplete field, on a model admin or its inlines,
    for each model searched: the search runs in the searched model's admin, whichever field asks."""
    searched = {}
    for model, model_admin in PROJECT_ADMINS:
        for owner in [model_admin, *(inline(model, admin.site) for inline in model_admin.inlines)]:
            for field_name in owner.autocomplete_fields:
                target = owner.model._meta.get_field(field_name).related_model
                searched.setdefault(target, (owner.model._meta.app_label, owner.model._meta.model_name, field_name))
    return searched.values()


@pytest.fixture
def world(make_unit, rate):
    """Two provinces, a committee in each rated in two years, and one figure of every other kind."""
    a, b = make_unit("TINH-A", place="Tỉnh A"), make_unit("TINH-B", place="Tỉnh B")
    a1, b1 = make_unit("A-1", parent=a), make_unit("B-1", parent=b)
    source = Source.objects.create(title="Bài báo", published=date(2024, 1, 5))
    for unit in (a1, b1):
        rate(unit, 2023, "HTTNV")
        excellent = rate(unit, 2024, "HTXSNV", source=source).level
    Tally.objects.create(parent=a, year=2024, group="các chi bộ", source=source)
    Vote.objects.create(unit=a1, year=2024, level=excellent, votes_for=40, present=45, source=source)
    CriterionGrade.objects.create(unit=a1, year=2024, content="Lãnh đạo", grade=Grade.GOOD, source=source)
    return {"a": a}


def logged_in(user):
    """A client that sees a crash as a 500, as a browser would."""
    client = Client(raise_request_exception=False)
    client.force_login(user)
    return client


@pytest.fixture
def superuser(world, django_user_model):
    return logged_in(django_user_model.objects.create_superuser("quantri"))  # no password: hashing one is slow


@pytest.fixture
def editor(world, django_user_model):
    """An editor of province A, as the admin's roles make one."""
    user = django_user_model.objects.create_user("bientap", is_staff=True)
    user.groups.add(Group.objects.get(name="Biên tập viên"))
    EditorScope.objects.create(user=user, unit=world["a"])
    return logged_in(user)


def status(client, method, url, query):
    return getattr(client, method)(url, query).status_code


@pytest.mark.parametrize("role, url, together, alone, fixed, method, model", [param for group in cases() for param in group])
def test_hostile_parameter_never_gives_a_server_error(request, world, role, url, together, alone, fixed, method, model):
    client = request.getfixturevalue(role)
    if model is not None:
        url = url.replace("{id}", str(model._default_manager.order_by("pk").values_list("pk", flat=True).first()))
    failures = []
    for name, value in HOSTILE.items():
        if "{junk}" in url and status(client, method, url.replace("{junk}", quote(value, safe="")), fixed) >= 500:
            failures.append(f"{name} in the path")
        answer = status(client, method, url, {**fixed, **dict.fromkeys(together, value)}) if together else 200
        if answer != 200:
            culprits = [p for p in together if status(client, method, url, {**fixed, p: value}) >= 500]
            failures += [f"{p} = {name}" for p in culprits or (["all of " + ", ".join(together)] if answer >= 500 else [])]
        failures += [f"{p} = {name}" for p in alone if status(client, method, url, {**fixed, p: value}) >= 500]
    assert not failures, f"{method.upper()} {url} {fixed or ''} answered 500 for: " + "; ".join(failures)


@pytest.mark.parametrize("model, model_admin", [pytest.param(*pair, id=pair[0].__name__) for pair in PROJECT_ADMINS])
def test_the_fuzz_covers_every_list_filter_parameter(rf, world, django_user_model, model, model_admin):
    request = rf.get(admin_url(model, "changelist"))
    request.user = django_user_model.objects.create_superuser("quantri")
    changelist = model_admin.get_changelist_instance(request)
    read = {name for spec in changelist.filter_specs for name in spec.expected_parameters()}
    assert read <= set(list_filter_parameters(model_admin))


def test_a_page_number_beyond_any_database_offset_shows_the_first_page(superuser):
    for page in ("9" * 20, str(2**62)):
        response = superuser.get(reverse("ratings:dashboard"), {"year": "2024", "page": page})
        assert response.status_code == 200
        assert response.context["table"].page.number == 1
        assert "Đảng bộ A-1" in response.content.decode()


def test_a_nul_in_a_unit_code_is_not_found(superuser):
    assert superuser.get("/units/A-1%00/").status_code == 404
    assert superuser.get(reverse("ratings:unit", args=["A-1"])).status_code == 200


def test_a_nul_in_a_parameter_is_ignored(superuser):
    response = superuser.get(reverse("ratings:dashboard"), {"year": "2024\x00", "scope": "TINH-A\x00"})
    assert response.status_code == 200
    assert response.context["year"] == 2024 and response.context["scope"].code == "TINH-A"


def test_a_year_in_digits_no_database_holds_falls_back_to_the_latest(superuser):
    for year in ("9" * 30, "²", "٢٠٢٣"):
        assert superuser.get(reverse("ratings:compare_years"), {"year": year}).context["year"] == 2024


def test_the_admin_list_filtered_by_a_province_beyond_any_id_lists_every_unit(superuser):
    response = superuser.get(admin_url(Unit, "changelist"), {"province": str(2**64)})
    assert response.status_code == 200
    assert response.context["cl"].result_count == Unit.objects.count()


def test_a_long_number_typed_in_a_search_or_as_a_unit_code_is_kept(admin_client, make_unit, rate):
    """Digits in a text parameter are words: only ids and page numbers must fit a database integer."""
    province = make_unit("P", name="Đảng bộ tỉnh Mẫu")
    code = "1234567890123456789012345"
    rate(make_unit(code, parent=province, name="Chi bộ mã số dài"), 2024, "HTTNV")

    assert "Chi bộ mã số dài" in admin_client.get("/admin/ratings/unit/", {"q": code}).content.decode()
    assert "Chi bộ mã số dài" in admin_client.get("/", {"year": 2024, "scope": code}).context["scope"].name
