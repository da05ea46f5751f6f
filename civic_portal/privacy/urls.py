from django.urls import path

from civic_portal.privacy import views

app_name = "privacy"

urlpatterns = [
    path("", views.my_data, name="my_data"),
    path("download.json", views.my_data_json, name="my_data_json"),
    path("download.zip", views.my_data_csv, name="my_data_csv"),
    path("delete/", views.delete_my_account, name="delete_account"),
]
