"""Licheng settings: one file, driven by environment variables.

The embedded default needs no variable at all: SQLite and files under ``var/``, e-mail written to
``var/mail/``, background tasks run in-process. Production sets ``LICHENG_DATABASE_URL``,
``LICHENG_S3_*`` and ``LICHENG_TASKS=database`` (see docs/deploy.md for every variable).
"""

import os
from pathlib import Path
from urllib.parse import unquote, urlparse

BASE_DIR = Path(__file__).resolve().parent.parent


def env(name: str, default: str = "") -> str:
    return os.environ.get(name, default)


def envbool(name: str, default: bool = False) -> bool:
    value = os.environ.get(name)
    if value is None:
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def envint(name: str, default: int) -> int:
    value = os.environ.get(name)
    return default if value in (None, "") else int(value)


def envlist(name: str, default: str = "") -> list[str]:
    return [item.strip() for item in env(name, default).split(",") if item.strip()]


VAR_DIR = Path(env("LICHENG_VAR_DIR", str(BASE_DIR / "var")))

DEBUG = envbool("LICHENG_DEBUG", False)
# The embedded default is for trying the platform on one machine; production must set its own key
# (manage.py check --deploy refuses the default).
SECRET_KEY = env("LICHENG_SECRET_KEY", "licheng-embedded-default-insecure-key-change-me")
ALLOWED_HOSTS = envlist("LICHENG_ALLOWED_HOSTS", "127.0.0.1,localhost,testserver")
CSRF_TRUSTED_ORIGINS = envlist("LICHENG_CSRF_TRUSTED_ORIGINS")
SITE_URL = env("LICHENG_SITE_URL", "http://127.0.0.1:8000")

INSTALLED_APPS = [
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "axes",
    # django-ninja's own Swagger UI files, served from here: with the app installed its docs page
    # needs no CDN and no inline script, which the site's CSP (script-src 'self') would block.
    "ninja",
    "django_tasks",
    "django_tasks_db",
    # Data apps, lowest first: each imports only the ones above it.
    "licheng.audit",
    "licheng.schools",
    "licheng.accounts",
    "licheng.curriculum",
    "licheng.evidence",
    "licheng.portfolio",
    "licheng.selection",
    "licheng.central",
    "licheng.admissions",
    "licheng.notifications",
    "licheng.ops",
    # Interfaces: they call the data apps, never each other.
    "licheng.web",
    "licheng.api",
    "licheng.devtools",
]

MIDDLEWARE = [
    "licheng.web.client_address.ClientAddressMiddleware",
    "licheng.web.middleware.RequestIdMiddleware",
    "licheng.ops.metrics.MetricsMiddleware",  # only when LICHENG_METRICS is on
    "licheng.ops.accesslog.AccessLogMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "licheng.web.middleware.LanguageMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "licheng.web.middleware.SecurityHeadersMiddleware",
    "licheng.web.middleware.AccountSetupMiddleware",
    # Last, as django-axes asks: it turns a lockout into a response.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "licheng.urls"
WSGI_APPLICATION = "licheng.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "licheng" / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "licheng.web.context.navigation",
            ],
            "builtins": ["licheng.web.templatetags.reading"],
        },
    },
]


def database_from_url(url: str) -> dict:
    """Turn ``postgresql://user:pass@host:port/name?host=/socket/dir`` into a DATABASES entry."""
    parsed = urlparse(url)
    query = dict(part.split("=", 1) for part in parsed.query.split("&") if "=" in part)
    return {
        "ENGINE": "licheng.lib.postgresql",  # Django's, with a cheaper health check
        "NAME": unquote(parsed.path.lstrip("/")),
        "USER": unquote(parsed.username or ""),
        "PASSWORD": unquote(parsed.password or ""),
        "HOST": unquote(query.get("host", parsed.hostname or "")),
        "PORT": str(parsed.port or ""),
        "CONN_MAX_AGE": envint("LICHENG_DB_CONN_MAX_AGE", 60),
        "CONN_HEALTH_CHECKS": True,
        "OPTIONS": {
            # Fail fast when the server is down (readyz must answer, not hang).
            "connect_timeout": envint("LICHENG_DB_CONNECT_TIMEOUT", 5),
            **prepared_statements(envbool("LICHENG_DB_PREPARED_STATEMENTS", True)),
        },
    }


def prepared_statements(enabled: bool) -> dict:
    """psycopg's server-side parameters and prepared statements (after 5 runs on a connection).

    A request runs the same dozen statements every time; prepared, PostgreSQL parses and plans
    each once per connection instead of once per request (deadline-day bench: 2.8 -> 1.8 ms of
    PostgreSQL CPU per upload). Django turns them off by default for connection poolers in
    transaction mode (PgBouncer), which cannot keep a statement prepared: there, set
    LICHENG_DB_PREPARED_STATEMENTS=0.
    """
    return {"server_side_binding": True, "prepare_threshold": 5} if enabled else {}


DATABASE_URL = env("LICHENG_DATABASE_URL")
if DATABASE_URL:
    DATABASES = {"default": database_from_url(DATABASE_URL)}
else:
    DATABASES = {
        "default": {
            "ENGINE": "django.db.backends.sqlite3",
            "NAME": env("LICHENG_SQLITE_PATH", str(VAR_DIR / "licheng.sqlite3")),
            # WAL and a busy timeout keep the demo usable while a background import writes.
            "OPTIONS": {
                "timeout": 20,
                "transaction_mode": "IMMEDIATE",
                "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
            },
        }
    }

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
AUTH_USER_MODEL = "accounts.User"
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "licheng.accounts.backends.AccountBackend",
]
LOGIN_URL = "web:login"
LOGIN_REDIRECT_URL = "web:dashboard"
LOGOUT_REDIRECT_URL = "web:login"

PASSWORD_HASHERS = [
    "licheng.accounts.hashers.PortfolioArgon2Hasher",  # why these parameters: see the class
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
]
if envbool("LICHENG_FAST_HASHER", False):
    # Tests only: argon2 is slow on purpose, and the suite creates thousands of accounts.
    PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher", *PASSWORD_HASHERS]
# The policy itself is per school (R31); see accounts/validators.py.
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "licheng.accounts.validators.PortfolioPasswordValidator"},
]
PASSWORD_RESET_TIMEOUT = 60 * 60 * 24
EMAIL_VERIFICATION_MAX_AGE = envint("LICHENG_EMAIL_VERIFICATION_MAX_AGE", 60 * 60 * 24)

# django-axes: throttle repeated failures per account and, separately, per address (R31).
AXES_FAILURE_LIMIT = envint("LICHENG_LOGIN_FAILURE_LIMIT", 5)
AXES_COOLOFF_TIME = envint("LICHENG_LOGIN_COOLOFF_MINUTES", 15) / 60  # hours
# One account from one address, then the address across accounts (accounts/throttle.py).
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"], "ip_address"]
AXES_HANDLER = "licheng.accounts.throttle.LoginThrottle"
LOGIN_ADDRESS_FAILURE_LIMIT = envint("LICHENG_LOGIN_ADDRESS_FAILURE_LIMIT", 100)
# The load balancer's address(es) or networks, whose X-Forwarded-For is believed (web/client_address.py).
FORWARDED_ALLOW_IPS = env("LICHENG_FORWARDED_ALLOW_IPS") or "127.0.0.1"
AXES_USERNAME_CALLABLE = "licheng.accounts.backends.axes_username"
AXES_LOCKOUT_CALLABLE = "licheng.web.views.auth.locked_out"
AXES_RESET_ON_SUCCESS = True
AXES_VERBOSE = False
AXES_ENABLED = envbool("LICHENG_AXES_ENABLED", True)

SESSION_ENGINE = "licheng.accounts.sessions"  # the database store, read by one written statement
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
SESSION_COOKIE_AGE = envint("LICHENG_SESSION_AGE", 60 * 60 * 8)
CSRF_COOKIE_SAMESITE = "Lax"
SECURE = envbool("LICHENG_SECURE", False)  # behind HTTPS in production
SESSION_COOKIE_SECURE = SECURE
CSRF_COOKIE_SECURE = SECURE
SECURE_SSL_REDIRECT = SECURE and envbool("LICHENG_SSL_REDIRECT", True)
SECURE_HSTS_SECONDS = 31536000 if SECURE else 0
SECURE_HSTS_INCLUDE_SUBDOMAINS = SECURE
SECURE_HSTS_PRELOAD = SECURE
# Load balancers probe over plain HTTP.
SECURE_REDIRECT_EXEMPT = [r"^healthz$", r"^readyz$", r"^metrics$"]
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https") if SECURE else None
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"

LANGUAGE_CODE = "zh-hant"
LANGUAGES = [("zh-hant", "繁體中文"), ("en", "English")]
# Source strings are written in Traditional Chinese (the platform's first language); the English
# catalogue translates them.
LOCALE_PATHS = [BASE_DIR / "licheng" / "locale"]
TIME_ZONE = "Asia/Taipei"
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = Path(env("LICHENG_STATIC_ROOT", str(VAR_DIR / "static")))
STATICFILES_DIRS = [BASE_DIR / "licheng" / "static"]
# The embedded default serves static files straight from the source folders (no collectstatic);
# production collects them with hashed names (LICHENG_MANIFEST_STATIC=1).
WHITENOISE_USE_FINDERS = envbool("LICHENG_STATIC_FINDERS", True)
WHITENOISE_AUTOREFRESH = DEBUG

# Stored evidence goes through Django's storage API: local disk by default, S3 when configured.
MEDIA_ROOT = Path(env("LICHENG_MEDIA_ROOT", str(VAR_DIR / "files")))
S3_BUCKET = env("LICHENG_S3_BUCKET")
STORAGES = {
    "default": {
        # Temporary name, flush, fsync, rename: a crash never leaves a half-written file.
        "BACKEND": "licheng.evidence.storage.AtomicFileSystemStorage",
        "OPTIONS": {"location": str(MEDIA_ROOT), "base_url": None},
    },
    "staticfiles": {
        "BACKEND": (
            "whitenoise.storage.CompressedManifestStaticFilesStorage"
            if envbool("LICHENG_MANIFEST_STATIC", False)
            else "django.contrib.staticfiles.storage.StaticFilesStorage"
        )
    },
}
if S3_BUCKET:
    STORAGES["default"] = {
        "BACKEND": "storages.backends.s3.S3Storage",
        "OPTIONS": {
            "bucket_name": S3_BUCKET,
            "endpoint_url": env("LICHENG_S3_ENDPOINT_URL") or None,
            "access_key": env("LICHENG_S3_ACCESS_KEY") or None,
            "secret_key": env("LICHENG_S3_SECRET_KEY") or None,
            "region_name": env("LICHENG_S3_REGION", "ap-northeast-1"),
            "default_acl": None,
            "querystring_auth": True,
            "file_overwrite": False,
        },
    }

# Background tasks: in-process by default; the database queue with `manage.py db_worker` in production.
# Every queue a task names; a backend must accept them all (a task is checked when first imported).
TASK_QUEUES = ["default", "imports", "submissions", "notifications", "backups"]
TASKS = {
    "default": {
        "BACKEND": (
            "django_tasks_db.DatabaseBackend"
            if env("LICHENG_TASKS") == "database"
            else "django_tasks.backends.immediate.ImmediateBackend"
        ),
        "QUEUES": TASK_QUEUES,
    }
}

EMAIL_BACKEND = env("LICHENG_EMAIL_BACKEND", "django.core.mail.backends.filebased.EmailBackend")
EMAIL_FILE_PATH = str(VAR_DIR / "mail")
EMAIL_HOST = env("LICHENG_EMAIL_HOST", "localhost")
EMAIL_PORT = envint("LICHENG_EMAIL_PORT", 25)
EMAIL_HOST_USER = env("LICHENG_EMAIL_USER")
EMAIL_HOST_PASSWORD = env("LICHENG_EMAIL_PASSWORD")
EMAIL_USE_TLS = envbool("LICHENG_EMAIL_TLS", False)
DEFAULT_FROM_EMAIL = env("LICHENG_FROM_EMAIL", "歷程平臺 <no-reply@licheng.example.tw>")

DATA_UPLOAD_MAX_MEMORY_SIZE = 2_621_440
# An organizer's import request carries its proofs inside the JSON, base64-encoded (a third
# larger): room for a 10 MB video or several 4 MB certificates, bounded per request (api/organizers.py).
ORGANIZER_MAX_BODY = envint("LICHENG_ORGANIZER_MAX_BODY_MB", 24) * 1024 * 1024
# Every uploaded file is staged on disk and hashed as it arrives (licheng/evidence/uploads.py), beside
# the evidence store so that keeping it is a hard link, not a copy; on S3 in the system's temp folder.
FILE_UPLOAD_TEMP_DIR = env("LICHENG_UPLOAD_TMP") or (
    None if S3_BUCKET else str(MEDIA_ROOT / ".staging")
)
FILE_UPLOAD_HANDLERS = ["licheng.evidence.uploads.HashingUploadHandler"]

# Backups (manage.py backup / restore; the nightly run is queued by manage.py ops_scheduler).
BACKUP_DIR = Path(env("LICHENG_BACKUP_DIR", str(VAR_DIR / "backups")))
BACKUP_KEEP = envint("LICHENG_BACKUP_KEEP", 7)
BACKUP_HOUR = envint("LICHENG_BACKUP_HOUR", 2)  # Asia/Taipei, when traffic is lowest
# Reminders, certification reminders and archive sealing, queued once a day (ops_scheduler).
DAILY_JOBS_HOUR = envint("LICHENG_DAILY_JOBS_HOUR", 7)  # Asia/Taipei, before school starts
BACKUP_VERIFY_TIMEOUT = envint("LICHENG_BACKUP_VERIFY_TIMEOUT", 6 * 60 * 60)

# Prometheus metrics at /metrics (off by default: they reveal traffic; turn on behind the firewall).
METRICS_ENABLED = envbool("LICHENG_METRICS", False)
METRICS_TOKEN = env("LICHENG_METRICS_TOKEN")  # if set, scrapes send "Authorization: Bearer <token>"

LOG_LEVEL = env("LICHENG_LOG_LEVEL", "INFO")
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {
        "request_id": {"()": "licheng.web.middleware.RequestIdFilter"},
        # No national ID, password or token may reach a log line.
        "redact": {"()": "licheng.lib.redact.RedactingFilter"},
    },
    "formatters": {
        "json": {"()": "licheng.lib.jsonlog.JsonFormatter"},
        "plain": {"format": "%(asctime)s %(levelname)s %(name)s [%(request_id)s] %(message)s"},
    },
    "handlers": {
        "console": {
            "class": "logging.StreamHandler",
            "filters": ["request_id", "redact"],
            "formatter": "json" if env("LICHENG_LOG_FORMAT", "json") == "json" else "plain",
        }
    },
    "root": {"handlers": ["console"], "level": LOG_LEVEL},
    "loggers": {"axes": {"level": "WARNING"}},
}

# Where the school platform sends its packages (R4, R8, R22): empty = the central repository
# hosted by this same installation (called in-process); otherwise its URL, with one intake key
# per school in LICHENG_CENTRAL_KEYS ("310301:lc_…,520402:lc_…").
LICHENG_CENTRAL_URL = env("LICHENG_CENTRAL_URL")
LICHENG_CENTRAL_KEYS = dict(
    pair.split(":", 1) for pair in env("LICHENG_CENTRAL_KEYS").split(",") if ":" in pair
)
LICHENG_CENTRAL_INTAKE = "licheng.central.domain.intake.ingest_package"
