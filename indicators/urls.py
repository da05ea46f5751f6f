from django.urls import path

from indicators import views

app_name = "indicators"

urlpatterns = [
    path("", views.summary, name="summary"),
    path("years/<int:fiscal_year>/", views.year, name="year"),
    path("<slug:key>/", views.detail, name="detail"),
]
