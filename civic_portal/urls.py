from django.contrib import admin
from django.urls import include, path
from django.views.generic import TemplateView
from drf_spectacular.views import SpectacularAPIView

from civic_portal.accessibility import AccessibilityView
from civic_portal.accounts.models import PRIVACY_NOTICE_VERSION
from civic_portal.media.urls import media_urlpatterns
from civic_portal.security.views import ApiDocsView
from volunteering.views.public import HomeView

# A lost database connection gets a 503 page; other errors the 500 page.
handler500 = "civic_portal.errors.server_error"

urlpatterns = [
    path("", HomeView.as_view(), name="home"),
    path("i18n/", include("django.conf.urls.i18n")),
    path("accounts/my-data/", include("civic_portal.privacy.urls")),
    path("accounts/", include("civic_portal.accounts.urls")),
    path("volunteer/", include("volunteering.urls")),
    path("", include("groups.urls")),
    path("probono/", include("probono.urls")),
    path("indicators/", include("indicators.urls")),
    path("facilitation/", include("facilitation.urls")),
    path("notifications/", include("notifications.urls")),
    path("campaigns/", include("campaigns.urls")),
    path("", include("outreach.urls")),
    path("", include("partner_links.urls")),
    path("api/", include("civic_portal.api_urls")),
    path("api/schema/", SpectacularAPIView.as_view(), name="api-schema"),
    path(
        "api/docs/",
        ApiDocsView.as_view(url_name="api-schema"),
        name="api-docs",
    ),
    path(
        "privacy/",
        TemplateView.as_view(
            template_name="privacy.html",
            extra_context={"PRIVACY_NOTICE_VERSION": PRIVACY_NOTICE_VERSION},
        ),
        name="privacy",
    ),
    path("accessibility/", AccessibilityView.as_view(), name="accessibility"),
    path("admin/", admin.site.urls),
    # Uploaded files, with the permission rules of civic_portal.media.rules,
    # in production and under DEBUG alike.
    *media_urlpatterns(),
]
