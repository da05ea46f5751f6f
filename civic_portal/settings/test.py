"""Settings for the test suite; the database comes from DATABASE_URL if set."""

from .base import *  # noqa: F403

PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
CELERY_TASK_ALWAYS_EAGER = True
AXES_ENABLED = True
# Many tests log staff in with force_login and no second factor, so the
# two-factor rule is off here; the two-factor tests turn it on.
TWO_FACTOR_ENFORCED = False
# Request limits and API throttles are off, because many tests repeat a
# request; tests/security turns them on where it tests them.
RATE_LIMIT_ENABLED = False
REST_FRAMEWORK = {**REST_FRAMEWORK, "DEFAULT_THROTTLE_CLASSES": []}  # noqa: F405
# Tests serve no static files, and WhiteNoise warns when STATIC_ROOT is
# missing, as it is before collectstatic.
MIDDLEWARE = [m for m in MIDDLEWARE if not m.startswith("whitenoise.")]  # noqa: F405
# Tests share one in-memory cache; the search cache tests turn it on.
SEARCH_CACHE_SECONDS = 0
