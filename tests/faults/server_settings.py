"""Settings for the gunicorn that the database restart test starts.

They are the production settings, so database connections persist between
requests and are health-checked as in a deployment. The changes below
serve plain HTTP on 127.0.0.1 without collectstatic.
"""

from civic_portal.settings.production import *  # noqa: F403

SECURE_SSL_REDIRECT = False
# Plain HTTP: Secure and __Host- cookies would not come back.
SESSION_COOKIE_SECURE = False
SESSION_COOKIE_NAME = "sessionid"
CSRF_COOKIE_SECURE = False
CSRF_COOKIE_NAME = "csrftoken"
# The manifest storage needs collectstatic, which takes longer than the test.
STORAGES = {
    **STORAGES,  # noqa: F405
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
# The test signs staff in without a second factor, as the test settings do.
TWO_FACTOR_ENFORCED = False
