from django.urls import path

from notifications import views

app_name = "notifications"

urlpatterns = [
    path("line/webhook/", views.line_webhook, name="line_webhook"),
    path("line/", views.LineLinkHelpView.as_view(), name="line_link_help"),
    path("line/link/", views.LineLinkView.as_view(), name="line_link"),
    path("line/unlink/", views.line_unlink, name="line_unlink"),
    path("line/delivery/", views.line_delivery, name="line_delivery"),
]
