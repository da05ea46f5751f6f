from django.urls import URLPattern, URLResolver

app_name = "partner_links"

urlpatterns: list[URLPattern | URLResolver] = []
