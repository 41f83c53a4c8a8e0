"""Regimes with their scales, and users with the subtrees an editor may change."""

from django.contrib import admin
from django.contrib.auth.admin import UserAdmin
from django.contrib.auth.models import User

from ..models import EditorScope, Level, Regime


class LevelInline(admin.TabularInline):
    model = Level
    fields = ["rank", "code", "label", "label_en", "colour", "min_score"]
    extra = 0


@admin.register(Regime)
class RegimeAdmin(admin.ModelAdmin):
    list_display = ["name", "code", "first_year", "last_year", "max_score", "quota_ratio"]
    inlines = [LevelInline]


class EditorScopeInline(admin.TabularInline):
    model = EditorScope
    autocomplete_fields = ["unit"]
    extra = 0


admin.site.unregister(User)


@admin.register(User)
class ScopedUserAdmin(UserAdmin):
    """Users with the subtrees an editor may change, next to their groups."""

    inlines = [EditorScopeInline]
