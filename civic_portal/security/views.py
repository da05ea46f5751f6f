"""Views that exist to keep pages within the security policy."""

from drf_spectacular.views import SpectacularSwaggerSplitView


class ApiDocsView(SpectacularSwaggerSplitView):
    """Swagger UI with no inline script or style, so it runs under the CSP.

    drf-spectacular's split view serves its start-up script from this same
    URL (with `?script`) instead of inline, and the template replaces the
    inline <style> block of drf-spectacular's page with static/css/swagger.css.
    """

    template_name = "api/swagger_ui.html"
