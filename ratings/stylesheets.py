"""Stylesheets built from data: the level colours, which the pages may not write as inline styles.

The Content-Security-Policy allows styles from the site only, so a badge or a
legend swatch carries a class (Level.css_class) and this sheet gives it its colour.
"""
import hashlib
import re

from django.http import HttpResponse
from django.views.decorators.cache import cache_control
from django.views.decorators.http import etag, require_GET

from .models import Level

COLOUR = re.compile(r"#[0-9A-Fa-f]{3}(?:[0-9A-Fa-f]{3})?")
FALLBACK = "#6c757d"


def safe_colour(value):
    """A colour typed in the admin goes into CSS only as #rgb or #rrggbb: nothing can close the rule."""
    return value if isinstance(value, str) and COLOUR.fullmatch(value) else FALLBACK


def level_css():
    return "".join(
        f".{level.css_class}{{background-color:{safe_colour(level.colour)}}}\n"
        for level in Level.objects.only("id", "regime_id", "code", "colour")
    )


def level_css_tag(request):
    return hashlib.sha256(level_css().encode()).hexdigest()[:16]


@require_GET
@cache_control(no_cache=True)  # revalidated on every page (a 304 when no colour changed), never stale
@etag(level_css_tag)
def level_styles(request):
    return HttpResponse(level_css(), content_type="text/css; charset=utf-8")
