from django.urls import include, path

app_name = "volunteering"

urlpatterns: list = [
    path("manage/", include("volunteering.staff_urls")),
]
