from django.urls import path

from . import views

app_name = "ratings"
urlpatterns = [
    path("", views.DashboardView.as_view(), name="dashboard"),
    path("compare/years/", views.compare_years, name="compare_years"),
    path("compare/units/", views.compare_units, name="compare_units"),
    path("compare/provinces/", views.compare_provinces, name="compare_provinces"),
    path("season/", views.season, name="season"),
    path("units/<str:code>/", views.unit_detail, name="unit"),
    path("jobs/", views.jobs_page, name="jobs"),
    path("jobs/backup/", views.backup_job, name="backup_job"),
    path("jobs/<str:pk>/", views.job_status, name="job_status"),
    path("jobs/<str:pk>/download/", views.job_download, name="job_download"),
]
