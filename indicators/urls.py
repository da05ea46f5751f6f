from django.urls import path

from indicators import views, views_dashboard, views_rows, views_white_paper

app_name = "indicators"

urlpatterns = [
    path("", views.summary, name="summary"),
    path("dashboard/", views_dashboard.dashboard, name="dashboard"),
    path("years/<int:fiscal_year>/", views.year, name="year"),
    path(
        "white-paper/<int:fiscal_year>/",
        views_white_paper.document,
        name="white_paper",
    ),
    path(
        "white-paper/<int:fiscal_year>/exports/",
        views_white_paper.exports,
        name="white_paper_exports",
    ),
    path(
        "white-paper/exports/<int:export_id>/status/",
        views_white_paper.status,
        name="white_paper_status",
    ),
    path(
        "white-paper/exports/<int:export_id>/<str:kind>/",
        views_white_paper.download,
        name="white_paper_download",
    ),
    path("<slug:key>/", views.detail, name="detail"),
    path(
        "<slug:key>/<int:fiscal_year>/rows/",
        views_rows.indicator_rows,
        name="rows",
    ),
]
