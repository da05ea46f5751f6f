"""Settings shared by every environment, read from the environment.

With nothing set, the portal runs on its embedded default: SQLite in the
project folder, Celery tasks executed eagerly in-process and e-mail written
to the console. Setting DATABASE_URL and REDIS_URL (or CELERY_BROKER_URL)
switches to PostgreSQL, Redis and real Celery workers.
"""

from pathlib import Path

import environ
from csp.constants import NONE, SELF
from django.utils.translation import gettext_lazy as _

from civic_portal.security.policy import media_origins

BASE_DIR = Path(__file__).resolve().parent.parent.parent

env = environ.FileAwareEnv(
    DJANGO_DEBUG=(bool, False),
    DJANGO_ALLOWED_HOSTS=(list, ["localhost", "127.0.0.1", "[::1]"]),
)
environ.FileAwareEnv.read_env(BASE_DIR / ".env")

DEBUG = env("DJANGO_DEBUG")
# The embedded default needs a key to start; production settings require
# DJANGO_SECRET_KEY (or DJANGO_SECRET_KEY_FILE) and reject this one.
SECRET_KEY = env("DJANGO_SECRET_KEY", default="insecure-embedded-default-key-change-me")
ALLOWED_HOSTS = env("DJANGO_ALLOWED_HOSTS")
CSRF_TRUSTED_ORIGINS = env.list("DJANGO_CSRF_TRUSTED_ORIGINS", default=[])
SITE_URL = env("SITE_URL", default="http://localhost:8000").rstrip("/")
# Font file for the share card images. Empty means the Noto Sans CJK JP
# that fontconfig finds (Debian: fonts-noto-cjk).
OUTREACH_CARD_FONT = env("OUTREACH_CARD_FONT", default="")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "rest_framework",
    "rest_framework.authtoken",
    "django_filters",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "axes",
    "csp",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "django_otp.plugins.otp_static",
    "civic_portal.accounts",
    "civic_portal.jobs",
    "groups",
    "volunteering",
    "probono",
    "facilitation",
    "indicators",
    "notifications",
    "outreach",
    "campaigns",
    "partner_links",
    "civic_portal.privacy",
    "civic_portal.audit",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "csp.middleware.CSPMiddleware",
    # Outside the session and CSRF middleware, so it can read the cookies they set.
    "civic_portal.middleware.PrivateResponseMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "civic_portal.middleware.UserLanguageMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django_otp.middleware.OTPMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "axes.middleware.AxesMiddleware",
    # After the authentication, OTP and message middleware, which they use.
    "civic_portal.accounts.middleware.SessionIdleTimeoutMiddleware",
    "civic_portal.accounts.middleware.TwoFactorMiddleware",
]

ROOT_URLCONF = "civic_portal.urls"
WSGI_APPLICATION = "civic_portal.wsgi.application"
ASGI_APPLICATION = "civic_portal.asgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "django.template.context_processors.i18n",
                "civic_portal.context_processors.portal",
            ],
        },
    },
]

DATABASES = {
    "default": env.db_url(
        "DATABASE_URL", default=f"sqlite:///{BASE_DIR / 'db.sqlite3'}"
    ),
}
DATABASES["default"]["ATOMIC_REQUESTS"] = False
DATABASES["default"]["CONN_MAX_AGE"] = env.int("DATABASE_CONN_MAX_AGE", default=0)
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # WAL lets readers run beside the single writer of the embedded default.
    DATABASES["default"]["OPTIONS"] = {
        "init_command": "PRAGMA journal_mode=WAL;",
        "transaction_mode": "IMMEDIATE",
        "timeout": 20,
    }

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
AUTH_USER_MODEL = "accounts.User"

AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
AUTH_PASSWORD_VALIDATORS = [
    {
        "NAME": "django.contrib.auth.password_validation."
        "UserAttributeSimilarityValidator",
        "OPTIONS": {"user_attributes": ("email", "full_name", "name_kana")},
    },
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": 10},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "accounts:login"
LOGIN_REDIRECT_URL = "accounts:dashboard"
LOGOUT_REDIRECT_URL = "home"

# Log-in throttling: five failures for one e-mail address from one IP
# address lock that pair out for an hour.
AXES_FAILURE_LIMIT = env.int("AXES_FAILURE_LIMIT", default=5)
AXES_COOLOFF_TIME = env.float("AXES_COOLOFF_HOURS", default=1.0)
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_USERNAME_FORM_FIELD = "username"
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_TEMPLATE = "accounts/locked_out.html"
# Renders accounts/locked_out.html with the time to try again.
AXES_LOCKOUT_CALLABLE = "civic_portal.accounts.views.lockout_response"
# The client address as the page limits and DRF's throttles read it, which
# honours DJANGO_NUM_PROXIES.
AXES_CLIENT_IP_CALLABLE = "civic_portal.security.ratelimit.client_ip"

LANGUAGE_CODE = "ja"
LANGUAGES = [("ja", _("Japanese")), ("en", _("English"))]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = "Asia/Tokyo"
USE_I18N = True
FORMAT_MODULE_PATH = ["civic_portal.formats"]
USE_TZ = True

STATIC_URL = "static/"
STATIC_ROOT = BASE_DIR / "staticfiles"
STATICFILES_DIRS = [BASE_DIR / "static"]
MEDIA_URL = "media/"
MEDIA_ROOT = env.path("MEDIA_ROOT", default=BASE_DIR / "media")
# Uploaded files are served by civic_portal.media.views with the rules of
# civic_portal.media.rules. Browsers and shared caches may keep a public
# file (a published post's photo, a gallery photo) this many seconds, so a
# photo withdrawn or taken out of the gallery can stay in a cache that long.
MEDIA_PUBLIC_MAX_AGE_SECONDS = env.int("MEDIA_PUBLIC_MAX_AGE_SECONDS", default=86400)
# With an nginx location that is marked `internal` and maps to MEDIA_ROOT,
# set its path here (for example "/protected-media/"): the portal checks the
# rules and nginx sends the file (X-Accel-Redirect). Empty: Django sends it.
MEDIA_ACCEL_REDIRECT_LOCATION = env("MEDIA_ACCEL_REDIRECT_LOCATION", default="")
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
FILE_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024
DATA_UPLOAD_MAX_MEMORY_SIZE = 10 * 1024 * 1024
# Largest photo a group may upload, in bytes.
MAX_IMAGE_UPLOAD_BYTES = env.int("MAX_IMAGE_UPLOAD_BYTES", default=5 * 1024 * 1024)

EMAIL_BACKEND = env(
    "EMAIL_BACKEND", default="django.core.mail.backends.console.EmailBackend"
)
EMAIL_HOST = env("EMAIL_HOST", default="localhost")
EMAIL_PORT = env.int("EMAIL_PORT", default=25)
EMAIL_HOST_USER = env("EMAIL_HOST_USER", default="")
EMAIL_HOST_PASSWORD = env("EMAIL_HOST_PASSWORD", default="")
EMAIL_USE_TLS = env.bool("EMAIL_USE_TLS", default=False)
DEFAULT_FROM_EMAIL = env(
    "DEFAULT_FROM_EMAIL", default="やまぐち県民活動ポータル <noreply@localhost>"
)

REDIS_URL = env("REDIS_URL", default="")
CELERY_BROKER_URL = env("CELERY_BROKER_URL", default=REDIS_URL)
# Without a broker, tasks run eagerly in the calling process.
CELERY_TASK_ALWAYS_EAGER = not CELERY_BROKER_URL
CELERY_TASK_EAGER_PROPAGATES = True
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_TIMEZONE = TIME_ZONE
CELERY_TASK_SERIALIZER = "json"
CELERY_ACCEPT_CONTENT = ["json"]
# A request that sends a task waits at most about two seconds for a broker
# that does not respond; the task is then kept in the database and sent
# when the broker is back (civic_portal.jobs.publishing).
CELERY_TASK_PUBLISH_RETRY_POLICY = {
    "max_retries": 2,
    "interval_start": 0,
    "interval_step": 0.5,
    "interval_max": 1,
}
CELERY_BROKER_CONNECTION_TIMEOUT = 2
CELERY_BROKER_TRANSPORT_OPTIONS = {
    "socket_connect_timeout": 2,
    "socket_timeout": 5,
    # A task taken by a worker that dies unacknowledged goes back to the
    # queue after this many seconds, longer than any task here runs.
    "visibility_timeout": env.int("CELERY_VISIBILITY_TIMEOUT", default=3600),
}

if REDIS_URL:
    CACHES = {
        "default": {
            # Serves as a cache miss while Redis is unreachable.
            "BACKEND": "civic_portal.cache.ResilientRedisCache",
            "LOCATION": REDIS_URL,
            "OPTIONS": {"socket_connect_timeout": 0.5, "socket_timeout": 0.5},
        }
    }
else:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}

# Seconds a rendered search result stays cached (volunteering.search_cache).
# Saved changes to posts, sessions and groups show up at once, but a session
# that starts leaves cached results only when they expire. 0 turns it off.
SEARCH_CACHE_SECONDS = env.int("SEARCH_CACHE_SECONDS", default=60)

REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        # DRF's session and token authentication, which also keep the
        # second log-in step for users who must use it.
        "civic_portal.accounts.api_authentication.TwoFactorSessionAuthentication",
        "civic_portal.accounts.api_authentication.TwoFactorTokenAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": [
        "rest_framework.permissions.IsAuthenticatedOrReadOnly",
    ],
    "DEFAULT_FILTER_BACKENDS": ["django_filters.rest_framework.DjangoFilterBackend"],
    "DEFAULT_PAGINATION_CLASS": "rest_framework.pagination.PageNumberPagination",
    "PAGE_SIZE": 20,
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    # A Django Http404 answers with one translated "Not found.", no model name.
    "EXCEPTION_HANDLER": "civic_portal.api_exceptions.exception_handler",
    # Every API request counts against anon or user; search, apply and
    # export actions also count against their scope (ActionScopedRateThrottle),
    # with the same limits as the pages.
    "DEFAULT_THROTTLE_CLASSES": [
        "rest_framework.throttling.AnonRateThrottle",
        "rest_framework.throttling.UserRateThrottle",
        "civic_portal.security.throttling.ActionScopedRateThrottle",
    ],
    "DEFAULT_THROTTLE_RATES": {
        "anon": "120/min",
        "user": "240/min",
        "search": "120/min",
        "apply": "20/hour",
        "export": "30/hour",
    },
}
SPECTACULAR_SETTINGS = {
    "TITLE": "Yamaguchi civic portal API",
    "DESCRIPTION": "Volunteer posts, sessions and applications of the "
    "Yamaguchi civic-activity portal.",
    "VERSION": "1.0.0",
    "SERVE_INCLUDE_SCHEMA": False,
    # Swagger UI comes from the static files of drf-spectacular-sidecar, so
    # /api/docs/ works offline and loads nothing from another origin.
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    # Support requests and their events share one set of states under
    # several field names; name the enum once. Partners, facilitators and
    # recognitions each have a different "kind" field, so name them apart.
    "ENUM_NAME_OVERRIDES": {
        "RequestStateEnum": "probono.models.RequestState",
        "PartnerKindEnum": "facilitation.models.Partner.Kind",
        "FacilitatorKindEnum": "facilitation.models.Facilitator.Kind",
        "RecognitionKindEnum": "facilitation.models.RecognitionKind",
        # Collaboration cases and their stage changes share one set of stages.
        "CaseStageEnum": "facilitation.models.CaseStage",
    },
}

SESSION_COOKIE_AGE = 60 * 60 * 24 * 14
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_SAMESITE = "Lax"
# No script reads the CSRF cookie: forms carry the token in a hidden field
# and the Swagger UI at /api/docs/ gets it rendered into its script.
CSRF_COOKIE_HTTPONLY = True
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"

# Content Security Policy (django-csp 4.0), sent on every response. No page
# may carry inline script, event handler attributes, javascript: URLs or
# style attributes: scripts live in static/js/ and styles in static/css/.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF],
        "style-src": [SELF],
        "img-src": [SELF, "data:", *media_origins(MEDIA_URL)],
        "frame-ancestors": [NONE],
        "form-action": [SELF],
        "base-uri": [SELF],
        "object-src": [NONE],
    },
}

# Fixed-window request limits per signed-in user or client IP address
# (civic_portal.security.ratelimit), as "<requests>/<seconds>".
RATE_LIMIT_ENABLED = env.bool("RATE_LIMIT_ENABLED", default=True)
RATE_LIMITS = {
    # Log-in POSTs from one address, whatever the account; django-axes
    # separately locks one account and address pair after AXES_FAILURE_LIMIT.
    # A school's or an office's visitors share one address, so a class
    # signing in at once must fit.
    "login": "100/600",
    "password_reset": "5/3600",
    "apply": "20/3600",
    "search": "120/60",
    "export": "30/3600",
    # POSTs of the two-factor code forms (verify, set-up, turn off) per
    # signed-in user, besides django-otp's wait after wrong codes.
    "two_factor": "10/600",
}
# The page limits, the API throttles and django-axes identify an anonymous
# client by REMOTE_ADDR, or with DJANGO_NUM_PROXIES set to the number of
# reverse proxies in front of the portal, by the address that many hops
# back in X-Forwarded-For. DRF's own default (None) would trust the whole
# X-Forwarded-For header, which a client can forge, so the default is 0.
REST_FRAMEWORK["NUM_PROXIES"] = env.int("DJANGO_NUM_PROXIES", default=0)
if not RATE_LIMIT_ENABLED:
    REST_FRAMEWORK["DEFAULT_THROTTLE_CLASSES"] = []

# Two-factor log-in (django-otp): concierges, facilitators, centre staff,
# prefectural staff, Django staff and superusers must set up an
# authenticator app; others may (civic_portal.accounts.two_factor). Only
# the test settings turn the rule off.
TWO_FACTOR_ENFORCED = True
OTP_TOTP_ISSUER = "やまぐち県民活動ポータル"
# Keys and backup codes are not shown in the admin; staff reset devices.
OTP_ADMIN_HIDE_SENSITIVE_DATA = True
# After n wrong codes in a row, django-otp accepts no code from that device
# for factor * 2**(n-1) seconds. The portal caps that wait, so that a
# person who mistyped a few times waits minutes, not hours
# (civic_portal.accounts.two_factor.cap_failure_count). With a factor of 1
# and 300 s, the waits are 1, 2, 4, ... 128, then 256 s for every further
# wrong code. RATE_LIMITS["two_factor"] limits the code forms as well.
OTP_TOTP_THROTTLE_FACTOR = 1
OTP_STATIC_THROTTLE_FACTOR = 1
TWO_FACTOR_MAX_WAIT_SECONDS = 300
# A session idle for this many seconds is logged out (0 turns this off);
# pages warn this many seconds before the end and offer to extend.
SESSION_IDLE_TIMEOUT_SECONDS = env.int("SESSION_IDLE_TIMEOUT_SECONDS", default=30 * 60)
SESSION_IDLE_WARNING_SECONDS = env.int("SESSION_IDLE_WARNING_SECONDS", default=5 * 60)

# Signed one-step apply links in matching mails stay valid this long.
APPLY_LINK_MAX_AGE_SECONDS = 7 * 24 * 60 * 60
# Confirmed hours at which a high-school student may be recommended.
HIGH_SCHOOL_CERTIFICATION_HOURS = 100

# LINE Messaging API channel for notifications (the notifications app). It
# is off unless both the channel access token and the channel secret are
# set; LINE_API_BASE_URL and LINE_ACCOUNT_LINK_URL change only for tests.
LINE_CHANNEL_ACCESS_TOKEN = env("LINE_CHANNEL_ACCESS_TOKEN", default="")
LINE_CHANNEL_SECRET = env("LINE_CHANNEL_SECRET", default="")
LINE_API_BASE_URL = env("LINE_API_BASE_URL", default="https://api.line.me")
LINE_ACCOUNT_LINK_URL = env(
    "LINE_ACCOUNT_LINK_URL", default="https://access.line.me/dialog/bot/accountLink"
)
# The official account's add-friend URL (https://lin.ee/...), shown on the
# "Link LINE" page; optional.
LINE_ADD_FRIEND_URL = env("LINE_ADD_FRIEND_URL", default="")

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {
        "plain": {"format": "%(asctime)s %(levelname)s %(name)s %(message)s"},
    },
    # Link tokens in logged URLs, as in Django's "Not Found: <path>" lines,
    # are replaced with [redacted].
    "filters": {
        "redact_tokens": {"()": "civic_portal.security.log_filters.RedactTokensFilter"},
    },
    "handlers": {
        "console": {
            "class": "logging.StreamHandler",
            "formatter": "plain",
            "filters": ["redact_tokens"],
        },
    },
    "root": {"handlers": ["console"], "level": env("LOG_LEVEL", default="INFO")},
    "loggers": {
        "django.db.backends": {"level": "WARNING"},
        "axes": {"level": "WARNING"},
    },
}
