"""Meridian's one settings module: every value that differs between machines comes
from an environment variable (twelve-factor), read through django-environ helpers
that fail loudly on a bad value."""

from __future__ import annotations

import secrets
import sys
from pathlib import Path

import environ
from csp import constants as csp

BASE_DIR = Path(__file__).resolve().parent.parent
VAR_DIR = BASE_DIR / "var"

env = environ.Env()
env.read_env(BASE_DIR / ".env", overwrite=False)

DEBUG = env.bool("DEBUG", default=False)
# A development key only works with DEBUG on; production must set SECRET_KEY.
SECRET_KEY = env.str("SECRET_KEY", default="dev-only-insecure-key" if DEBUG else "")
# Schema commands sign nothing, so they run without a key (a throwaway one), e.g. a
# migration check on a fresh checkout; serving and everything else needs SECRET_KEY.
# So does `seed_demo --csv-only`, which writes a participant file and opens no database.
_KEYLESS_COMMANDS = {"makemigrations", "migrate", "showmigrations", "sqlmigrate"}
if not SECRET_KEY and len(sys.argv) > 1 and Path(sys.argv[0]).name == "manage.py":
    _command, _options = sys.argv[1], sys.argv[2:]
    _keyless = _command in _KEYLESS_COMMANDS or (_command == "seed_demo" and "--csv-only" in _options)
    SECRET_KEY = secrets.token_urlsafe(50) if _keyless else ""
if not SECRET_KEY:
    raise environ.ImproperlyConfigured("Set SECRET_KEY (or DEBUG=1 for development).")
ALLOWED_HOSTS = env.list("ALLOWED_HOSTS", default=["127.0.0.1", "localhost"])
CSRF_TRUSTED_ORIGINS = env.list("CSRF_TRUSTED_ORIGINS", default=[])
SITE_URL = env.str("SITE_URL", default="http://127.0.0.1:8000")
SITE_NAME = env.str("SITE_NAME", default="Meridian")
# Video rooms: a self-hosted Jitsi, or the public one. Each meeting gets an unguessable room.
JITSI_BASE_URL = env.str("JITSI_BASE_URL", default="https://meet.jit.si")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "django.forms",
    "meridian.core",  # before allauth: our templates override its layouts
    "allauth",
    "allauth.account",
    "allauth.socialaccount",
    "allauth.mfa",
    "axes",
    "django_htmx",
    "template_partials",
    "rest_framework",
    "drf_spectacular",
    "django_tasks",
    "django_tasks_db",
    "meridian.accounts",
    "meridian.programs",
    "meridian.mentorships",
    "meridian.matching",
    "meridian.scheduling",
    "meridian.messaging",
    "meridian.engagement",
    "meridian.api",
    "meridian.portal",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",  # static files, before anything else reads them
    "csp.middleware.CSPMiddleware",
    "django_permissions_policy.PermissionsPolicyMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "meridian.core.htmx_login.HtmxLoginRedirectMiddleware",  # inside HtmxMiddleware
    "allauth.account.middleware.AccountMiddleware",
    "meridian.accounts.mfa_required.RequireMFAMiddleware",
    "meridian.core.idle.IdleTimeoutMiddleware",
    "meridian.core.middleware.TimezoneMiddleware",
    "axes.middleware.AxesMiddleware",  # last, as django-axes asks
]

ROOT_URLCONF = "config.urls"
WSGI_APPLICATION = "config.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "meridian.core.context_processors.site",
            ],
            "builtins": ["template_partials.templatetags.partials"],
        },
    }
]

FORM_RENDERER = "meridian.core.forms.FormRenderer"

DATABASES = {"default": env.db("DATABASE_URL", default=f"sqlite:///{VAR_DIR / 'meridian.sqlite3'}")}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    VAR_DIR.mkdir(exist_ok=True)  # a fresh clone has no var/ yet
    # WAL and a busy timeout let the web process and a worker share the file.
    DATABASES["default"].setdefault("OPTIONS", {}).update(
        {"timeout": 20, "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;"}
    )
DATABASES["default"]["CONN_MAX_AGE"] = env.int("CONN_MAX_AGE", default=0)
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_USER_MODEL = "accounts.User"
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
    "allauth.account.auth_backends.AuthenticationBackend",
]
PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "account_login"
LOGIN_REDIRECT_URL = "home"

# django-allauth: email addresses are the login; accounts come from invitations.
ACCOUNT_LOGIN_METHODS = {"email"}
ACCOUNT_SIGNUP_FIELDS = ["email*", "password1*", "password2*"]
ACCOUNT_USER_MODEL_USERNAME_FIELD = None
ACCOUNT_EMAIL_VERIFICATION = env.str("ACCOUNT_EMAIL_VERIFICATION", default="mandatory")
ACCOUNT_ADAPTER = "meridian.accounts.adapter.AccountAdapter"
ACCOUNT_SIGNUP_FORM_CLASS = "meridian.accounts.forms.SignupForm"
ACCOUNT_LOGOUT_ON_PASSWORD_CHANGE = False
ACCOUNT_LOGIN_ON_PASSWORD_RESET = True
ACCOUNT_EMAIL_SUBJECT_PREFIX = f"[{SITE_NAME}] "
# Failed sign-ins: 10 a minute from one address, 5 in 5 minutes for one email from one
# address (the adapter keys "key" on the address and the email together).
ACCOUNT_RATE_LIMITS = {"login_failed": "10/m/ip,5/5m/key"}
MFA_SUPPORTED_TYPES = ["totp", "webauthn", "recovery_codes"]
MFA_PASSKEY_LOGIN_ENABLED = True
MFA_WEBAUTHN_ALLOW_INSECURE_ORIGIN = DEBUG  # security keys on http://127.0.0.1 in development
MFA_TOTP_ISSUER = SITE_NAME
# Administrators and program managers must use two-factor (an app or a security key):
# without one they are sent to set it up before anything else (accounts.mfa_required).
MFA_REQUIRED_FOR_STAFF = env.bool("MFA_REQUIRED_FOR_STAFF", default=True)
SOCIALACCOUNT_ENABLED = env.bool("SSO_ENABLED", default=False)

AXES_FAILURE_LIMIT = env.int("AXES_FAILURE_LIMIT", default=10)
AXES_COOLOFF_TIME = 1  # hours
AXES_USERNAME_CALLABLE = "meridian.accounts.axes.axes_username"
AXES_RESET_ON_SUCCESS = True
# A lock-out is for one email from one address: failures on other emails, or on this
# email from elsewhere, never lock a person out. Counters live in the database, which
# every worker shares.
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_HANDLER = "axes.handlers.database.AxesDatabaseHandler"
# The client's address: behind TRUSTED_PROXY_COUNT proxies of ours (each appending to
# X-Forwarded-For), the entry that many places from the right; what the client itself
# wrote further left is never trusted. 0: REMOTE_ADDR (no proxy).
TRUSTED_PROXY_COUNT = env.int("TRUSTED_PROXY_COUNT", default=0)
ALLAUTH_TRUSTED_PROXY_COUNT = TRUSTED_PROXY_COUNT
AXES_CLIENT_IP_CALLABLE = "meridian.accounts.clientip.client_ip"

# A cache every worker shares (allauth's rate limits, API throttling): the database by
# default (its table comes with `migrate`), Redis when REDIS_URL (or CACHE_URL) is set.
CACHES = {
    "default": env.cache("CACHE_URL", default=env.str("REDIS_URL", default="") or "dbcache://meridian_cache")
}

LANGUAGE_CODE = "en"
LANGUAGES = [("en", "English")]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = "UTC"
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATIC_ROOT = env.path("STATIC_ROOT", default=str(VAR_DIR / "static"))
MEDIA_ROOT = env.path("MEDIA_ROOT", default=str(VAR_DIR / "media"))
STORAGES = {
    # Uploaded files (the pairs' shared files): local disk, or any django-storages backend
    # (e.g. storages.backends.s3.S3Storage, configured by its own AWS_* variables).
    "default": {"BACKEND": env.str("FILE_STORAGE", default="django.core.files.storage.FileSystemStorage")},
    "staticfiles": {
        "BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"
        if DEBUG
        # Hashed names and gzip copies (collectstatic), served by WhiteNoise for ten years.
        else "whitenoise.storage.CompressedManifestStaticFilesStorage"
    },
}
# Upload limits: the participant import checks its own size (10 MB) with a message.
DATA_UPLOAD_MAX_MEMORY_SIZE = 12 * 1024 * 1024
FILE_UPLOAD_MAX_MEMORY_SIZE = 12 * 1024 * 1024
# Files a pair shares (checked on their content; a larger upload is refused before it is read).
SHARED_FILE_MAX_BYTES = env.int("SHARED_FILE_MAX_BYTES", default=20 * 1024 * 1024)
DATA_UPLOAD_MAX_NUMBER_FIELDS = 5000
# Participant files with more rows than this are imported by a job, with progress.
IMPORT_JOB_ROWS = env.int("IMPORT_JOB_ROWS", default=2000)

EMAIL_BACKEND = env.str(
    "EMAIL_BACKEND",
    default="django.core.mail.backends.console.EmailBackend"
    if DEBUG
    else "django.core.mail.backends.smtp.EmailBackend",
)
EMAIL_HOST = env.str("EMAIL_HOST", default="localhost")
EMAIL_PORT = env.int("EMAIL_PORT", default=25)
EMAIL_HOST_USER = env.str("EMAIL_HOST_USER", default="")
EMAIL_HOST_PASSWORD = env.str("EMAIL_HOST_PASSWORD", default="")
EMAIL_USE_TLS = env.bool("EMAIL_USE_TLS", default=False)
DEFAULT_FROM_EMAIL = env.str("DEFAULT_FROM_EMAIL", default="Meridian <meridian@localhost>")
SERVER_EMAIL = DEFAULT_FROM_EMAIL
# A mail server that hangs must not hang a worker; a dead one is tried again later.
EMAIL_TIMEOUT = env.int("EMAIL_TIMEOUT", default=10)
# Minutes between tries of an email the mail server did not take (one try more than waits).
EMAIL_RETRY_MINUTES = env.list("EMAIL_RETRY_MINUTES", cast=int, default=[1, 5, 15, 60, 240, 1080])

# Jobs (emails, periodic sweeps, large matching runs) wait in the database for `manage.py
# db_worker` (the default, TASKS_BACKEND=db), or on Redis for rq workers: TASKS_BACKEND=rq and
# REDIS_URL (`manage.py rqworker --with-scheduler --job-class django_tasks_rq.Job default`).
# A full dotted path names any other backend (the tests: the immediate one).
TASKS_BACKENDS = {
    "db": "django_tasks_db.DatabaseBackend",
    "rq": "django_tasks_rq.RQBackend",
    "immediate": "django_tasks.backends.immediate.ImmediateBackend",
}
TASKS_BACKEND = env.str("TASKS_BACKEND", default="db")
TASKS_BACKEND = TASKS_BACKENDS.get(TASKS_BACKEND, TASKS_BACKEND)
TASKS = {"default": {"BACKEND": TASKS_BACKEND, "QUEUES": ["default"]}}
if TASKS_BACKEND == "django_tasks_rq.RQBackend":
    INSTALLED_APPS.append("django_rq")
    # One queue on REDIS_URL; a job that runs longer than DEFAULT_TIMEOUT seconds is stopped.
    RQ_QUEUES = {"default": {"URL": env.str("REDIS_URL"), "DEFAULT_TIMEOUT": 1800}}

REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "meridian.api.authentication.ApiTokenAuthentication",  # first: its 401 names the scheme
        "rest_framework.authentication.SessionAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticated"],
    "DEFAULT_PARSER_CLASSES": [
        "meridian.api.parsers.JSONParserWithDepthLimit",
        "rest_framework.parsers.FormParser",
        "rest_framework.parsers.MultiPartParser",
    ],
    "DEFAULT_SCHEMA_CLASS": "meridian.api.schema.AutoSchema",  # documents every error status
    "DEFAULT_PAGINATION_CLASS": "meridian.api.pagination.Pagination",
    "PAGE_SIZE": 50,
    "EXCEPTION_HANDLER": "meridian.api.errors.exception_handler",
    "DEFAULT_THROTTLE_CLASSES": ["rest_framework.throttling.UserRateThrottle"],
    "DEFAULT_THROTTLE_RATES": {"user": env.str("API_RATE", default="6000/hour")},
}
SPECTACULAR_SETTINGS = {
    "TITLE": "Meridian API",
    "DESCRIPTION": "Programs, cohorts and enrolments of a Meridian installation.",
    "VERSION": "1.0.0",
    "SERVE_INCLUDE_SCHEMA": False,
    "COMPONENT_SPLIT_REQUEST": True,
    "POSTPROCESSING_HOOKS": [
        "drf_spectacular.hooks.postprocess_schema_enums",
        "meridian.api.schema.describe_long_enums",
    ],
    "ENUM_NAME_OVERRIDES": {
        "CohortStatusEnum": "meridian.programs.models.CohortStatus",
        "EnrollmentStatusEnum": "meridian.programs.models.EnrollmentStatus",
        "MentorshipStatusEnum": "meridian.mentorships.models.MentorshipStatus",
        "RunStatusEnum": "meridian.matching.models.RunStatus",
        "ChannelEnum": "meridian.scheduling.models.Channel",
        "MeetingStatusEnum": "meridian.scheduling.models.MeetingStatus",
        "GoalStatusEnum": "meridian.mentorships.models.GoalStatus",
    },
}

# Security: HTTPS=1 behind a TLS-terminating proxy turns every protection on.
HTTPS = env.bool("HTTPS", default=False)
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_SSL_REDIRECT = SESSION_COOKIE_SECURE = CSRF_COOKIE_SECURE = HTTPS
SECURE_HSTS_SECONDS = 31536000 if HTTPS else 0
SECURE_HSTS_INCLUDE_SUBDOMAINS = SECURE_HSTS_PRELOAD = HTTPS
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_AGE = env.int("SESSION_COOKIE_AGE", default=14 * 24 * 3600)
# Program managers and administrators are signed out after this long without a request;
# participants keep SESSION_COOKIE_AGE (meridian.core.idle).
SESSION_IDLE_TIMEOUT = env.int("SESSION_IDLE_TIMEOUT", default=4 * 3600)
# /healthz answers load balancers and uptime checks on plain HTTP too.
SECURE_REDIRECT_EXEMPT = [r"^healthz$"]
X_FRAME_OPTIONS = "DENY"
# Content Security Policy (django-csp): scripts and styles come from our own static files
# only; no inline script, style or event handler anywhere (htmx is configured for it in
# base.html). A script that must be inline carries request.csp_nonce. With SSO, the
# identity provider's origin goes in CSP_FORM_ACTION (the sign-in form redirects there).
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [csp.SELF],
        "script-src": [csp.SELF, csp.NONCE],
        "style-src": [csp.SELF],
        "img-src": [csp.SELF, "data:"],
        "connect-src": [csp.SELF],
        "font-src": [csp.SELF],
        "media-src": [csp.SELF, "blob:"],
        "object-src": [csp.NONE],
        "base-uri": [csp.SELF],
        "form-action": [csp.SELF, *env.list("CSP_FORM_ACTION", default=[])],
        "frame-ancestors": [csp.NONE],
    }
}
# Powerful browser features: camera and microphone for the pre-call check, nothing else.
PERMISSIONS_POLICY: dict[str, list[str]] = {
    "camera": ["self"],
    "microphone": ["self"],
    "display-capture": [],
    "geolocation": [],
    "payment": [],
    "usb": [],
    "serial": [],
    "hid": [],
    "bluetooth": [],
    "midi": [],
    "accelerometer": [],
    "gyroscope": [],
    "magnetometer": [],
    "browsing-topics": [],
}

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env.str("LOG_LEVEL", default="WARNING")},
}
