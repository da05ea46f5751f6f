from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AccountsConfig(AppConfig):
    name = "civic_portal.accounts"
    label = "accounts"
    verbose_name = _("Accounts")

    def ready(self) -> None:
        from django.contrib.auth.signals import user_logged_in

        from civic_portal.accounts.session_expiry import record_login_activity

        user_logged_in.connect(
            record_login_activity, dispatch_uid="accounts_record_login_activity"
        )
