"""Engage settings, configured by environment variables.

With nothing set, Engage runs embedded: SQLite beside the code and Celery tasks
executed eagerly in the web process. Set DATABASE_URL and REDIS_URL to run on
PostgreSQL with a real broker; see README.md for every variable.
"""

import os
from datetime import timedelta
from pathlib import Path

import dj_database_url
from django.core.exceptions import ImproperlyConfigured
from django.utils.csp import CSP

BASE_DIR = Path(__file__).resolve().parent.parent


def env_bool(name: str, default: bool) -> bool:
    value = os.environ.get(name)
    if value is None or value == "":
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def env_list(name: str, default: str = "") -> list[str]:
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


# --- Core -----------------------------------------------------------------

DEBUG = env_bool("DEBUG", False)
SECRET_KEY = os.environ.get("SECRET_KEY", "")
if not SECRET_KEY:
    if not DEBUG:
        raise ImproperlyConfigured(
            "SECRET_KEY is not set. Set it to a long random string, or set DEBUG=1 "
            "for local development."
        )
    SECRET_KEY = "django-insecure-local-development-only-never-use-in-production"

ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", "127.0.0.1,localhost" if DEBUG else "")
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS")

INSTALLED_APPS = [
    "engage.apps.EngageConfig",
    "canvases.apps.CanvasesConfig",
    "journeys.apps.JourneysConfig",
    "metrics.apps.MetricsConfig",
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "axes",
    "django_htmx",
    "crispy_forms",
    "crispy_bootstrap5",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django.middleware.csp.ContentSecurityPolicyMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    # Last, as django-axes asks: it swaps a locked-out log-in's answer for the lockout page.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "engage.urls"
WSGI_APPLICATION = "engage.wsgi.application"
ASGI_APPLICATION = "engage.asgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.csp",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "engage.context_processors.workspace_access",
            ],
        },
    },
]

# --- Database -------------------------------------------------------------

DATABASES = {
    "default": dj_database_url.config(
        default=f"sqlite:///{os.environ.get('SQLITE_PATH', BASE_DIR / 'db.sqlite3')}",
        conn_max_age=int(os.environ.get("CONN_MAX_AGE", "60")),
        conn_health_checks=True,
    )
}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# --- Redis: broker and cache ----------------------------------------------

REDIS_URL = os.environ.get("REDIS_URL", "")

if REDIS_URL:
    # An unreachable Redis reads as a miss (engage/cache.py): pages fall back to the database.
    CACHES = {
        "default": {
            "BACKEND": "engage.cache.DegradingRedisCache",
            "LOCATION": REDIS_URL,
            "OPTIONS": {"socket_connect_timeout": 1, "socket_timeout": 1},
        }
    }
    # Sessions are read from Redis (every request reads one) and kept in the database.
    SESSION_ENGINE = "django.contrib.sessions.backends.cached_db"
else:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}

CELERY_BROKER_URL = REDIS_URL or "memory://"
CELERY_RESULT_BACKEND = None
CELERY_TASK_ALWAYS_EAGER = not REDIS_URL
# Run eagerly, a task behaves as on a worker: retried, then its failure recorded by the
# task itself, never raised into the web request that queued it.
CELERY_TASK_EAGER_PROPAGATES = False
# Deployments sharing one Redis keep apart by queue; workers send follow-up tasks there too.
CELERY_TASK_DEFAULT_QUEUE = os.environ.get("CELERY_QUEUE", "celery")
CELERY_TASK_SERIALIZER = "json"
CELERY_RESULT_SERIALIZER = "json"
CELERY_ACCEPT_CONTENT = ["json"]
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_TASK_SOFT_TIME_LIMIT = int(os.environ.get("CELERY_TASK_SOFT_TIME_LIMIT", "240"))
CELERY_TASK_TIME_LIMIT = int(os.environ.get("CELERY_TASK_TIME_LIMIT", "300"))
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
CELERY_BROKER_TRANSPORT_OPTIONS = {"visibility_timeout": CELERY_TASK_TIME_LIMIT * 2}
CELERY_TIMEZONE = "UTC"
CELERY_BEAT_SCHEDULE = {
    "requeue-stale-canvas-packs": {"task": "canvases.tasks.requeue_stale_packs", "schedule": 300.0},
    "recompute-metrics": {
        "task": "metrics.tasks.recompute_all_metrics",
        "schedule": float(os.environ.get("METRICS_RECOMPUTE_SECONDS", "3600")),
    },
    "compute-positions": {
        "task": "metrics.tasks.compute_all_positions",
        "schedule": float(os.environ.get("POSITIONS_COMPUTE_SECONDS", "900")),
    },
    "requeue-lost-webhooks": {"task": "metrics.tasks.requeue_lost_webhooks", "schedule": 60.0},
}

# --- Metrics ----------------------------------------------------------------

# Uploads larger than this are refused (the import command has no limit).
METRICS_IMPORT_MAX_BYTES = int(os.environ.get("METRICS_IMPORT_MAX_BYTES", str(50 * 2**20)))
# Uploads from this size on are imported by a task, with a progress bar.
METRICS_IMPORT_BACKGROUND_BYTES = int(
    os.environ.get("METRICS_IMPORT_BACKGROUND_BYTES", str(10 * 2**20))
)

# --- Workspace export and import ---------------------------------------------

# Export files uploaded to create a workspace: larger ones are refused (the
# import_workspace command has no limit); from the second size on they are read by a task.
WORKSPACE_IMPORT_MAX_BYTES = int(os.environ.get("WORKSPACE_IMPORT_MAX_BYTES", str(512 * 2**20)))
WORKSPACE_IMPORT_BACKGROUND_BYTES = int(
    os.environ.get("WORKSPACE_IMPORT_BACKGROUND_BYTES", str(5 * 2**20))
)
# Seconds an export or import task may run (the commands have no limit).
WORKSPACE_TRANSFER_TIME_LIMIT = int(os.environ.get("WORKSPACE_TRANSFER_TIME_LIMIT", "3600"))

# --- Webhooks ---------------------------------------------------------------

# Seconds before each retry of a delivery that got no answer, 408, 429 or 5xx (±10 %
# jitter; a longer Retry-After wins); after the last one it has failed.
WEBHOOK_RETRY_DELAYS = [
    float(delay) for delay in env_list("WEBHOOK_RETRY_DELAYS", "30,120,600,3600,21600")
]
WEBHOOK_TIMEOUT = float(os.environ.get("WEBHOOK_TIMEOUT", "10"))  # seconds per connect / read
# Off: endpoints on loopback, private, link-local or reserved addresses are refused.
WEBHOOK_ALLOW_PRIVATE_NETWORKS = env_bool("WEBHOOK_ALLOW_PRIVATE_NETWORKS", DEBUG)

# --- Accounts ---------------------------------------------------------------

AUTH_USER_MODEL = "engage.User"
AUTHENTICATION_BACKENDS = ["engage.auth.LockoutBackend", "engage.auth.EmailBackend"]
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "workspace_list"
LOGOUT_REDIRECT_URL = "login"
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
INVITATION_MAX_AGE_DAYS = int(os.environ.get("INVITATION_MAX_AGE_DAYS", "14"))

# Password guessing: after LOGIN_FAILURE_LIMIT failed log-ins for one address from one client
# address, that pair is refused for LOGIN_COOLOFF_MINUTES (each further try restarts it);
# a successful log-in clears the count. Attempts are rows (admin: Axes), shared by all processes.
AXES_FAILURE_LIMIT = int(os.environ.get("LOGIN_FAILURE_LIMIT", "5"))
AXES_COOLOFF_TIME = timedelta(minutes=float(os.environ.get("LOGIN_COOLOFF_MINUTES", "15")))
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_USERNAME_CALLABLE = "engage.auth.login_username"
AXES_CLIENT_IP_CALLABLE = "engage.auth.client_ip"
AXES_LOCKOUT_CALLABLE = "engage.auth.lockout_response"
AXES_SENSITIVE_PARAMETERS = ["password"]
AXES_VERBOSE = False  # no banner on every start
AXES_DISABLE_ACCESS_LOG = True  # count failures only: no row per successful log-in
# Reverse proxies in front of the app that append the client's address to X-Forwarded-For
# (1 behind one nginx); 0 trusts only the connection's own address.
PROXY_COUNT = int(os.environ.get("PROXY_COUNT", "0"))

# --- Email ------------------------------------------------------------------

EMAIL_BACKENDS = {
    "console": "django.core.mail.backends.console.EmailBackend",
    "smtp": "django.core.mail.backends.smtp.EmailBackend",
    "file": "django.core.mail.backends.filebased.EmailBackend",
}
_mail_backend = os.environ.get("EMAIL_BACKEND") or (
    "smtp" if os.environ.get("EMAIL_HOST") else "console"
)
_mail_options = {
    "smtp": {
        "host": os.environ.get("EMAIL_HOST", "localhost"),
        "port": int(os.environ.get("EMAIL_PORT", "587")),
        "username": os.environ.get("EMAIL_HOST_USER", ""),
        "password": os.environ.get("EMAIL_HOST_PASSWORD", ""),
        "use_tls": env_bool("EMAIL_USE_TLS", True),
        "timeout": 10,
    },
    "file": {"file_path": os.environ.get("EMAIL_FILE_PATH", str(BASE_DIR / "sent-mail"))},
}.get(_mail_backend, {})
MAILERS = {
    "default": {
        "BACKEND": EMAIL_BACKENDS.get(_mail_backend, _mail_backend),
        "OPTIONS": _mail_options,
    }
}
DEFAULT_FROM_EMAIL = os.environ.get("DEFAULT_FROM_EMAIL", "Engage <engage@localhost>")
# Where links in mail sent from background work point (no request to build them from).
SITE_URL = os.environ.get("SITE_URL", "http://127.0.0.1:8000").rstrip("/")
SERVER_EMAIL = DEFAULT_FROM_EMAIL

# --- Security ---------------------------------------------------------------

SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", not DEBUG)
SESSION_COOKIE_SECURE = env_bool("SESSION_COOKIE_SECURE", not DEBUG)
CSRF_COOKIE_SECURE = env_bool("CSRF_COOKIE_SECURE", not DEBUG)
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
SESSION_COOKIE_AGE = int(os.environ.get("SESSION_COOKIE_AGE", str(14 * 24 * 3600)))
# Pages carry the token (a hidden field, htmx's X-CSRFToken from <body>): no script reads the cookie.
CSRF_COOKIE_HTTPONLY = True
CSRF_COOKIE_SAMESITE = "Lax"
SECURE_HSTS_SECONDS = int(os.environ.get("SECURE_HSTS_SECONDS", "0" if DEBUG else "31536000"))
SECURE_HSTS_INCLUDE_SUBDOMAINS = env_bool("SECURE_HSTS_INCLUDE_SUBDOMAINS", True)
SECURE_HSTS_PRELOAD = env_bool("SECURE_HSTS_PRELOAD", True)
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
SECURE_CSP = {
    "default-src": [CSP.SELF],
    "script-src": [CSP.SELF, CSP.NONCE],
    "style-src": [CSP.SELF, CSP.NONCE],
    "img-src": [CSP.SELF, "data:"],
    "font-src": [CSP.SELF],
    "connect-src": [CSP.SELF],
    "frame-ancestors": [CSP.NONE],
    "form-action": [CSP.SELF],
    "base-uri": [CSP.SELF],
    "object-src": [CSP.NONE],
}

# --- Uploads ----------------------------------------------------------------

MEDIA_ROOT = Path(os.environ.get("MEDIA_ROOT", BASE_DIR / "media"))
MEDIA_URL = "/media/"
AVATAR_MAX_BYTES = int(os.environ.get("AVATAR_MAX_BYTES", str(2 * 1024 * 1024)))
AVATAR_MAX_PIXELS = 4096
DATA_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024

# --- Event API (Segment-compatible ingest) ---------------------------------

# Events per second each write key may send, shared by all web processes through Redis,
# and how many seconds of that rate a quiet key may send at once. Over it: 429 + Retry-After.
INGEST_RATE_PER_SECOND = int(os.environ.get("INGEST_RATE_PER_SECOND", "20000"))
INGEST_BURST_SECONDS = int(os.environ.get("INGEST_BURST_SECONDS", "2"))

# --- Static files -----------------------------------------------------------

STATIC_URL = "/static/"
STATIC_ROOT = Path(os.environ.get("STATIC_ROOT", BASE_DIR / "staticfiles"))
STATICFILES_DIRS = [BASE_DIR / "static"]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"
        if DEBUG
        else "whitenoise.storage.CompressedManifestStaticFilesStorage"
    },
}

# --- Forms, i18n, logging ----------------------------------------------------

CRISPY_ALLOWED_TEMPLATE_PACKS = "bootstrap5"
CRISPY_TEMPLATE_PACK = "bootstrap5"

LANGUAGE_CODE = "en-us"
TIME_ZONE = "UTC"
USE_I18N = True
USE_TZ = True

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": os.environ.get("LOG_LEVEL", "INFO")},
    "loggers": {
        "django.db.backends": {"level": "INFO"},
        "weasyprint": {"level": "WARNING"},
        "fontTools": {"level": "WARNING"},
        "axes": {"level": "WARNING"},  # failures and lockouts, not every check
    },
}
