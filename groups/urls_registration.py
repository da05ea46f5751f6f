"""Registration, review by centre staff, and pages for group staff."""

from django.urls import path

from groups.views import manage, registration, review

urlpatterns = [
    path("groups/register/", registration.register, name="register"),
    path("groups/mine/", registration.my_groups, name="my_groups"),
    path(
        "groups/<int:pk>/application/",
        registration.application,
        name="application",
    ),
    path("groups/<int:pk>/manage/", manage.manage, name="manage"),
    path("groups/<int:pk>/manage/profile/", manage.profile_edit, name="profile_edit"),
    path("groups/<int:pk>/manage/legal/", manage.change_request, name="change_request"),
    path("groups/<int:pk>/manage/history/", manage.history, name="history"),
    path("groups/<int:pk>/manage/staff/", manage.staff, name="staff"),
    path(
        "groups/<int:pk>/manage/staff/<slug:action>/",
        manage.staff_action,
        name="staff_action",
    ),
    path("groups/invitations/<str:token>/", manage.invitation, name="invitation"),
    path("review/", review.queue, name="review_queue"),
    path("review/groups/<int:pk>/", review.group_detail, name="review_group"),
    path(
        "review/groups/<int:pk>/status/",
        review.record_status,
        name="review_record_status",
    ),
    path(
        "review/groups/<int:pk>/certifications/",
        review.record_certification,
        name="review_record_certification",
    ),
    path(
        "review/groups/<int:pk>/certifications/<int:certification_pk>/renew/",
        review.renew_certification,
        name="review_renew_certification",
    ),
    path(
        "review/changes/<int:pk>/",
        review.change_request_detail,
        name="review_change_request",
    ),
]
