from django.urls import path

from civic_portal.accounts import (
    views,
    views_guardian,
    views_session,
    views_two_factor,
)

app_name = "accounts"

urlpatterns = [
    path("signup/", views.SignUpView.as_view(), name="signup"),
    path("signup/done/", views.SignUpDoneView.as_view(), name="signup_done"),
    path(
        "confirm/<str:token>/",
        views.ConfirmEmailView.as_view(),
        name="confirm_email",
    ),
    path(
        "confirm-resend/",
        views.ResendConfirmationView.as_view(),
        name="resend_confirmation",
    ),
    path("login/", views.LoginView.as_view(), name="login"),
    path("logout/", views.LogoutView.as_view(), name="logout"),
    path(
        "password-reset/",
        views.PasswordResetView.as_view(),
        name="password_reset",
    ),
    path(
        "password-reset/sent/",
        views.PasswordResetDoneView.as_view(),
        name="password_reset_done",
    ),
    path(
        "password-reset/<uidb64>/<token>/",
        views.PasswordResetConfirmView.as_view(),
        name="password_reset_confirm",
    ),
    path(
        "password-reset/complete/",
        views.PasswordResetCompleteView.as_view(),
        name="password_reset_complete",
    ),
    path(
        "password-change/",
        views.PasswordChangeView.as_view(),
        name="password_change",
    ),
    path(
        "password-change/done/",
        views.PasswordChangeDoneView.as_view(),
        name="password_change_done",
    ),
    path("profile/", views.ProfileView.as_view(), name="profile"),
    path(
        "privacy-consent/",
        views.PrivacyConsentView.as_view(),
        name="privacy_consent",
    ),
    path(
        "two-factor/",
        views_two_factor.TwoFactorOverviewView.as_view(),
        name="two_factor",
    ),
    path(
        "two-factor/verify/",
        views_two_factor.TwoFactorVerifyView.as_view(),
        name="two_factor_verify",
    ),
    path(
        "two-factor/setup/",
        views_two_factor.TwoFactorSetupView.as_view(),
        name="two_factor_setup",
    ),
    path(
        "two-factor/backup-codes/",
        views_two_factor.TwoFactorBackupCodesView.as_view(),
        name="two_factor_backup_codes",
    ),
    path(
        "two-factor/turn-off/",
        views_two_factor.TwoFactorDisableView.as_view(),
        name="two_factor_disable",
    ),
    path(
        "session/extend/",
        views_session.SessionExtendView.as_view(),
        name="session_extend",
    ),
    path(
        "guardian-consent/",
        views_guardian.guardian_consent_search,
        name="guardian_consent_search",
    ),
    path(
        "guardian-consent/<int:pk>/",
        views_guardian.guardian_consent_detail,
        name="guardian_consent_detail",
    ),
    path("", views.DashboardView.as_view(), name="dashboard"),
]
