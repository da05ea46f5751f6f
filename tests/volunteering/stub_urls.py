"""The project's URLs plus stand-ins for volunteering pages not built yet.

Mail tests link to pages that other parts of the portal provide. While one
of those URL names is missing, tests switch ROOT_URLCONF to this module so
that the mails can still be rendered. test_mail_url_names_resolve fails
until every name exists in the real URLconf.
"""

from django.http import HttpResponse
from django.urls import NoReverseMatch, URLResolver, include, path, reverse

import volunteering.urls as volunteering_urls
from civic_portal import urls as project_urls

# URL name in the volunteering namespace -> route of its stand-in.
MAIL_URL_ROUTES = {
    "post_detail": "stub/posts/<int:pk>/",
    "my_applications": "stub/my-applications/",
    "apply_link": "stub/apply/<str:token>/",
    "hours_pdf": "stub/hours.pdf",
    "post_applications": "stub/posts/<int:pk>/applications/",
}
MAIL_URL_ARGS = {
    "post_detail": [1],
    "my_applications": [],
    "apply_link": ["token"],
    "hours_pdf": [],
    "post_applications": [1],
}


def missing_mail_url_names(urlconf: str | None = None) -> list[str]:
    missing = []
    for name, args in MAIL_URL_ARGS.items():
        try:
            reverse(f"volunteering:{name}", args=args, urlconf=urlconf)
        except NoReverseMatch:
            missing.append(name)
    return missing


def _stand_in(request, **kwargs):
    return HttpResponse("stand-in")


_missing = set(missing_mail_url_names(urlconf="civic_portal.urls"))
_stand_ins = [
    path(route, _stand_in, name=name)
    for name, route in MAIL_URL_ROUTES.items()
    if name in _missing
]

urlpatterns = [
    pattern
    for pattern in project_urls.urlpatterns
    if not (isinstance(pattern, URLResolver) and pattern.app_name == "volunteering")
]
urlpatterns.append(
    path(
        "volunteer/",
        include((list(volunteering_urls.urlpatterns) + _stand_ins, "volunteering")),
    )
)
