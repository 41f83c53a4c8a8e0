"""Stylesheets built from data: the level colours, which the pages may not write as inline styles.

The Content-Security-Policy allows styles from the site only, so a badge or a
legend swatch carries a class (Level.css_class) and this sheet gives it its colour.
"""
import re

from django.http import HttpResponse
from django.views.decorators.cache import cache_control
from django.views.decorators.http import require_GET

from .models import Level

COLOUR = re.compile(r"#[0-9A-Fa-f]{3}(?:[0-9A-Fa-f]{3})?")
FALLBACK = "#6c757d"


def safe_colour(value):
    """A colour typed in the admin goes into CSS only as #rgb or #rrggbb: nothing can close the rule."""
    return value if isinstance(value, str) and COLOUR.fullmatch(value) else FALLBACK


@require_GET
@cache_control(max_age=300, public=True)
def level_styles(request):
    rules = [
        f".{level.css_class}{{background-color:{safe_colour(level.colour)}}}"
        for level in Level.objects.only("id", "regime_id", "code", "colour")
    ]
    return HttpResponse("\n".join(rules) + "\n", content_type="text/css; charset=utf-8")
