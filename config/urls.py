from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path

from ratings.stylesheets import level_styles

urlpatterns = [
    path("i18n/", include("django.conf.urls.i18n")),
    path("admin/", admin.site.urls),
    # Viewers (Người xem) need no admin access: they sign in here and see the pages.
    path("login/", auth_views.LoginView.as_view(redirect_authenticated_user=True), name="login"),
    path("logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("levels.css", level_styles, name="level_styles"),
    path("", include("ratings.urls")),
]
