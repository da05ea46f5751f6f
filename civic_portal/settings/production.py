"""Settings for a deployment behind HTTPS.

Every check of `manage.py check --deploy` passes with these settings and a
real DJANGO_SECRET_KEY. Importing them raises ImproperlyConfigured when the
secret is missing, empty, short or a development default.
"""

from django.core.checks.security.base import (
    SECRET_KEY_INSECURE_PREFIX,
    SECRET_KEY_MIN_LENGTH,
    SECRET_KEY_MIN_UNIQUE_CHARACTERS,
)
from django.core.exceptions import ImproperlyConfigured

from .base import *  # noqa: F403
from .base import env

# The embedded default key in base.py starts with this prefix.
EMBEDDED_SECRET_PREFIX = "insecure-"  # noqa: S105 (a prefix, not a secret)


def validate_secret_key(secret_key: str) -> str:
    """Return *secret_key*, or raise ImproperlyConfigured if it is weak.

    The limits are those of Django's security.W009 deploy check. That check
    only warns, but the key signs sessions, password reset links and apply
    links, so a server must not start with one that is easy to guess.
    """
    how_to_fix = (
        "Set DJANGO_SECRET_KEY (or DJANGO_SECRET_KEY_FILE) to a random value, "
        "for example the output of: "
        'python -c "import secrets; print(secrets.token_urlsafe(50))"'
    )
    if not secret_key.strip():
        raise ImproperlyConfigured(f"DJANGO_SECRET_KEY is empty. {how_to_fix}")
    if secret_key.startswith((EMBEDDED_SECRET_PREFIX, SECRET_KEY_INSECURE_PREFIX)):
        raise ImproperlyConfigured(
            "DJANGO_SECRET_KEY is a development default, not a real secret. "
            f"{how_to_fix}"
        )
    if len(secret_key) < SECRET_KEY_MIN_LENGTH:
        raise ImproperlyConfigured(
            f"DJANGO_SECRET_KEY has {len(secret_key)} characters, but at least "
            f"{SECRET_KEY_MIN_LENGTH} are required. {how_to_fix}"
        )
    if len(set(secret_key)) < SECRET_KEY_MIN_UNIQUE_CHARACTERS:
        raise ImproperlyConfigured(
            f"DJANGO_SECRET_KEY has fewer than {SECRET_KEY_MIN_UNIQUE_CHARACTERS} "
            f"different characters. {how_to_fix}"
        )
    return secret_key


DEBUG = False
SECRET_KEY = validate_secret_key(env("DJANGO_SECRET_KEY"))

# Keep database connections open between requests: opening a PostgreSQL
# connection added about 17 ms to each request in the search benchmark
# (benchmarks/README.md). Health checks replace a connection the server
# has closed.
DATABASES["default"]["CONN_MAX_AGE"] = env.int(  # noqa: F405
    "DATABASE_CONN_MAX_AGE", default=60
)
DATABASES["default"]["CONN_HEALTH_CHECKS"] = True  # noqa: F405

SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_SSL_REDIRECT = env.bool("DJANGO_SECURE_SSL_REDIRECT", default=True)
# One year of HSTS, subdomains included.
SECURE_HSTS_SECONDS = 60 * 60 * 24 * 365
SECURE_HSTS_INCLUDE_SUBDOMAINS = True
# Preloading is off by default. A browser preload list entry covers the
# registrable domain and every subdomain, takes months to undo, and only the
# owner of that domain (for a prefectural portal, usually the prefecture's
# own domain, not the portal's host name) can submit it. An operator who owns
# the domain turns it on with DJANGO_SECURE_HSTS_PRELOAD=true; until then the
# deploy check's reminder about preloading (security.W021) is silenced.
SECURE_HSTS_PRELOAD = env.bool("DJANGO_SECURE_HSTS_PRELOAD", default=False)
if not SECURE_HSTS_PRELOAD:
    SILENCED_SYSTEM_CHECKS = ["security.W021"]

# Cookies go over HTTPS only. The __Host- prefix makes browsers accept them
# only when Secure, with Path=/ and no Domain, so a sibling subdomain cannot
# plant or overwrite them. The test settings and `runserver` over plain HTTP
# keep Django's plain names, because browsers drop __Host- cookies that
# arrive without Secure. Renaming the session cookie signs everyone out once.
SESSION_COOKIE_SECURE = True
SESSION_COOKIE_NAME = "__Host-sessionid"
CSRF_COOKIE_SECURE = True
CSRF_COOKIE_NAME = "__Host-csrftoken"
STORAGES = {
    **STORAGES,  # noqa: F405
    "staticfiles": {
        "BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"
    },
}
