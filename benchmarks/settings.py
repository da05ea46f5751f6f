"""Production settings for the benchmarks and the load test, over plain HTTP.

Only the benchmark uses them: they add a trivial view as a baseline
(benchmarks/urls.py) and turn off the HTTPS redirect, because the client
talks to gunicorn on 127.0.0.1 without a proxy.
"""

from civic_portal.settings.production import *  # noqa: F403

ROOT_URLCONF = "benchmarks.urls"
SECURE_SSL_REDIRECT = False
# The load test's clients sign in over plain HTTP on 127.0.0.1, where a
# client sends no Secure cookie back, and a __Host- name needs Secure.
SESSION_COOKIE_SECURE = False
SESSION_COOKIE_NAME = "sessionid"
CSRF_COOKIE_SECURE = False
CSRF_COOKIE_NAME = "csrftoken"
# Static files are not measured, so the manifest storage (which needs
# collectstatic) is replaced by the plain one.
STORAGES = {
    **STORAGES,  # noqa: F405
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
LOGGING = {
    **LOGGING,  # noqa: F405
    "root": {"handlers": ["console"], "level": "WARNING"},
}
