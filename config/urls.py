from django.contrib import admin
from django.urls import include, path

from ratings.stylesheets import level_styles

urlpatterns = [
    path("i18n/", include("django.conf.urls.i18n")),
    path("admin/", admin.site.urls),
    path("levels.css", level_styles, name="level_styles"),
    path("", include("ratings.urls")),
]
