"""Stylesheets built from data: the level colours, which the pages may not write as inline styles.

The Content-Security-Policy allows styles from the site only, so a badge or a
legend swatch carries a class (Level.css_class) and this sheet gives it its colour.
"""
import hashlib
import re

from django.http import HttpResponse
from django.utils.cache import get_conditional_response
from django.utils.http import quote_etag
from django.views.decorators.cache import cache_control
from django.views.decorators.http import require_GET

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


@require_GET
@cache_control(no_cache=True)  # revalidated on every page (a 304 when no colour changed), never stale
def level_styles(request):
    css = level_css()
    tag = quote_etag(hashlib.sha256(css.encode()).hexdigest()[:16])
    unchanged = get_conditional_response(request, etag=tag)
    if unchanged is not None:
        return unchanged
    response = HttpResponse(css, content_type="text/css; charset=utf-8")
    response["ETag"] = tag
    return response
