"""Pages of campaigns, mounted at /campaigns/ as `campaigns`."""

from django.urls import URLPattern, URLResolver, path

from campaigns.views import loans, participants, photos, public, staff

app_name = "campaigns"

urlpatterns: list[URLPattern | URLResolver] = [
    path("", public.campaign_list, name="list"),
    path("<int:pk>/", public.campaign_detail, name="detail"),
    path("<int:pk>/gallery/", public.gallery, name="gallery"),
    # Participants
    path("mine/", participants.my_participations, name="mine"),
    path("<int:pk>/join/", participants.participation_new, name="participation_new"),
    path(
        "participations/<int:pk>/",
        participants.participation_detail,
        name="participation_detail",
    ),
    path(
        "participations/<int:pk>/edit/",
        participants.participation_edit,
        name="participation_edit",
    ),
    path(
        "participations/<int:pk>/withdraw/",
        participants.participation_withdraw,
        name="participation_withdraw",
    ),
    path(
        "participations/<int:pk>/consent/<str:action>/",
        participants.participation_consent,
        name="participation_consent",
    ),
    path("participations/<int:pk>/loans/new/", loans.loan_new, name="loan_new"),
    path("loans/<int:pk>/cancel/", loans.loan_cancel, name="loan_cancel"),
    path("participations/<int:pk>/photos/new/", photos.photo_new, name="photo_new"),
    path("photos/<int:pk>/withdraw/", photos.photo_withdraw, name="photo_withdraw"),
    # Staff
    path("new/", staff.campaign_new, name="campaign_new"),
    path("<int:pk>/edit/", staff.campaign_edit, name="campaign_edit"),
    path(
        "<int:pk>/participations/",
        staff.participation_list,
        name="participation_list",
    ),
    path("<int:pk>/photos/", photos.photo_review, name="photo_review"),
    path("photos/<int:pk>/approve/", photos.photo_approve, name="photo_approve"),
    path("photos/<int:pk>/reject/", photos.photo_reject, name="photo_reject"),
    path("<int:pk>/exports/", photos.export_list, name="export_list"),
    path("exports/<int:pk>/", photos.export_detail, name="export_detail"),
    path("exports/<int:pk>/download/", photos.export_download, name="export_download"),
    path("loans/", loans.staff_loans, name="staff_loans"),
    path("loans/<int:pk>/reject/", loans.loan_reject, name="loan_reject"),
    path("loans/<int:pk>/<slug:action>/", loans.loan_action, name="loan_action"),
    path("items/", loans.item_list, name="item_list"),
    path("items/new/", loans.item_form, name="item_new"),
    path("items/<int:pk>/edit/", loans.item_form, name="item_edit"),
]
