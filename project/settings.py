"""Kamkap settings. Every value that differs between machines comes from the environment
(project/env.py); defaults are safe for the embedded single-process run on SQLite."""

from datetime import timedelta
from pathlib import Path

import fontpkg_sarabun
from celery.schedules import crontab
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _

from .env import env_bool, env_database, env_header, env_int, env_list, env_str

BASE_DIR = Path(__file__).resolve().parent.parent

DEBUG = env_bool("DEBUG", True)
SECRET_KEY = env_str("SECRET_KEY", "kamkap-embedded-demo-key-change-me" if DEBUG else "")
if not SECRET_KEY:
    raise ImproperlyConfigured("SECRET_KEY must be set when DEBUG is off.")
ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", ["127.0.0.1", "localhost", "testserver"])
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS", [])

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.humanize",
    "django.contrib.messages",
    "django.contrib.sessions",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django_filters",
    "rest_framework",
    "rest_framework.authtoken",
    "drf_spectacular",
    "drf_spectacular_sidecar",  # Swagger UI assets for /api/v1/docs/, served as our own static files
    "guardian",
    "viewflow",
    "viewflow.workflow",
    "org",
    "permissions",
    "registry",
    "workflows",
    "workflows.inspection",
    "workflows.complaint",
    "workflows.planning",
    "workflows.budget",
    "dashboards",
    "api",
    "axes",
]

MIDDLEWARE = [
    "project.db.statement_timeout",
    "project.replica.read_from_replica",  # dashboards and exports read from REPLICA_DATABASE_URL if set
    "django.middleware.security.SecurityMiddleware",
    "csp.middleware.CSPMiddleware",  # the Content-Security-Policy header (CONTENT_SECURITY_POLICY below)
    "whitenoise.middleware.WhiteNoiseMiddleware",
    # Pages compressed (a checklist's 57 kB of HTML is ~10 kB; on a phone's slow network that is a second): after
    # WhiteNoise, whose static files are compressed ahead. Django's GZip adds random padding against BREACH (4.2+),
    # and the CSRF token in a page is masked afresh for each response.
    "django.middleware.gzip.GZipMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "project.sessions.idle_timeout",
    "project.middleware.thai_unless_chosen",
    "django.middleware.locale.LocaleMiddleware",
    "project.middleware.request_size_cap",  # a body over REQUEST_MAX_BYTES: 413 before anything reads it
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.auth.middleware.LoginRequiredMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "viewflow.middleware.SiteMiddleware",
    "viewflow.middleware.HotwireTurboMiddleware",
    "workflows.middleware.flow_lock_message",
    # Last: turns a locked-out log-in into the login page with the lockout message (project.login).
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "project.urls"
WSGI_APPLICATION = "project.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.debug",
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
            ],
            "builtins": ["org.templatetags.thaidate"],
        },
    },
]

DATABASES = {"default": env_database("DATABASE_URL", f"sqlite:///{BASE_DIR / 'db.sqlite3'}")}
if env_str("REPLICA_DATABASE_URL", ""):
    # A streaming replica of the primary: dashboards and exports read there (project/replica.py).
    DATABASES["replica"] = env_database("REPLICA_DATABASE_URL", "") | {"TEST": {"MIRROR": "default"}}
DATABASE_ROUTERS = ["project.replica.ReplicaRouter"]
REPLICA_READ_PATHS = env_list("REPLICA_READ_PATHS", [r"^/dashboards/", r"\.xlsx$"])  # regular expressions
# PostgreSQL only: a statement of a web request running longer is cancelled (0: no limit). See project/db.py.
DB_STATEMENT_TIMEOUT_MS = env_int("DB_STATEMENT_TIMEOUT_MS", 30_000, minimum=0)
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_USER_MODEL = "org.Person"
AUTHENTICATION_BACKENDS = [
    # First: refuses a locked-out user name + address before the password is even checked.
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
    "guardian.backends.ObjectPermissionBackend",
]
LOGIN_URL = "/accounts/login/"
LOGIN_REDIRECT_URL = "/"
LOGOUT_REDIRECT_URL = "/accounts/login/"
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
]
GUARDIAN_RAISE_403 = True
ANONYMOUS_USER_NAME = None  # no guardian anonymous user: anonymous people see nothing

# Log-in throttling (django-axes): after LOGIN_FAILURE_LIMIT wrong passwords for one user name from one
# address, that pair is locked for LOGIN_LOCKOUT_MINUTES (0: until an administrator deletes the access
# attempt in the admin, "Axes" > "Access attempts"). A successful log-in clears the count. The address
# is REMOTE_ADDR (no django-ipware): a reverse proxy must set it, as for the API throttles.
AXES_FAILURE_LIMIT = env_int("LOGIN_FAILURE_LIMIT", 5, minimum=1)
_lockout_minutes = env_int("LOGIN_LOCKOUT_MINUTES", 30, minimum=0)
AXES_COOLOFF_TIME = timedelta(minutes=_lockout_minutes) if _lockout_minutes else None
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_CALLABLE = "project.login.locked_out"

# A session ends after SESSION_IDLE_MINUTES without a request: its expiry slides forward as the person
# works (project/sessions.py renews it at most once a minute, not a session write per request).
SESSION_COOKIE_AGE = env_int("SESSION_IDLE_MINUTES", 30, minimum=1) * 60
SESSION_ENGINE = "project.sessions"  # database sessions that note when they were last saved

LANGUAGE_CODE = "th"
LANGUAGES = [("th", _("Thai")), ("en", _("English"))]
LOCALE_PATHS = [BASE_DIR / "locale", BASE_DIR / "locale" / "viewflow"]
TIME_ZONE = "Asia/Bangkok"
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = BASE_DIR / ".static"
STATICFILES_DIRS = [BASE_DIR / "templates" / "static", ("sarabun", fontpkg_sarabun.ROOT / "files")]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedStaticFilesStorage"},
}
MEDIA_URL = "/media/"
MEDIA_ROOT = Path(env_str("MEDIA_ROOT", str(BASE_DIR / ".media")))

REDIS_URL = env_str("REDIS_URL", "")
CELERY_BROKER_URL = REDIS_URL or "memory://localhost/"
CELERY_RESULT_BACKEND = REDIS_URL or None
CELERY_TASK_ALWAYS_EAGER = env_bool("CELERY_EAGER", not REDIS_URL)
CELERY_TASK_EAGER_PROPAGATES = True
CELERY_TIMEZONE = TIME_ZONE

# Shared by every web process and worker when set (who fills a role, SLA days, API throttles);
# otherwise each process keeps its own for a minute. Not the broker's Redis database. While Redis
# is unreachable the cache answers as empty and pages are served from the database (project.cache).
CACHE_URL = env_str("CACHE_URL", "")
if CACHE_URL:
    CACHES = {"default": {"BACKEND": "project.cache.ResilientRedisCache", "LOCATION": CACHE_URL}}

EMAIL_BACKEND = env_str("EMAIL_BACKEND", "django.core.mail.backends.console.EmailBackend")
DEFAULT_FROM_EMAIL = env_str("DEFAULT_FROM_EMAIL", "kamkap@industry.go.th")
# The address people reach Kamkap at, for the links in e-mails (no trailing slash).
SITE_URL = env_str("SITE_URL", "http://127.0.0.1:8000").rstrip("/")

# Where the Thai geography comes from (official DOPA codes).
GEO_DATA_DIR = Path(env_str("GEO_DATA_DIR", str(BASE_DIR / "org" / "data" / "thai-geo")))
# Uploads: CSV import size cap (bytes).
IMPORT_MAX_BYTES = env_int("IMPORT_MAX_BYTES", 20 * 1024 * 1024)
DATA_UPLOAD_MAX_MEMORY_SIZE = IMPORT_MAX_BYTES + 1024 * 1024
FILE_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024
# Any one request's body, files included (project.middleware.request_size_cap): an online checklist with
# its photos, resized on the phone to at most 1600 px, is a few MB; an import at most IMPORT_MAX_BYTES.
REQUEST_MAX_BYTES = env_int("REQUEST_MAX_BYTES", 100 * 1024 * 1024, minimum=IMPORT_MAX_BYTES)

if not DEBUG:
    SESSION_COOKIE_SECURE = env_bool("SECURE_COOKIES", True)
    CSRF_COOKIE_SECURE = SESSION_COOKIE_SECURE

# HTTPS. Off by default: the embedded demo is plain http://127.0.0.1:8000. Behind a TLS-terminating
# proxy set PROXY_SSL_HEADER (e.g. "HTTP_X_FORWARDED_PROTO,https", and make the proxy overwrite that
# header), otherwise Django takes every request for http and the login form answers 403 (CSRF origin).
SECURE_PROXY_SSL_HEADER = env_header("PROXY_SSL_HEADER")
SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", False)
SECURE_REDIRECT_EXEMPT = [r"^health/"]  # a load balancer probes the app servers over plain http
SECURE_HSTS_SECONDS = env_int("SECURE_HSTS_SECONDS", 0, minimum=0)
SECURE_HSTS_INCLUDE_SUBDOMAINS = env_bool("SECURE_HSTS_INCLUDE_SUBDOMAINS", False)
SECURE_HSTS_PRELOAD = env_bool("SECURE_HSTS_PRELOAD", False)

# Content Security Policy (django-csp): scripts, styles, fonts, images and fetches from our own origin only,
# no inline script or style, no eval, no framing, forms post to us only. Our templates carry no <script>
# blocks, on*= handlers, style= attributes or javascript: URLs: behaviour is in static/kamkap/js/ (wired
# by data-* attributes), looks in static/kamkap/*.css; Viewflow's inline bits are overridden in
# templates/kamkap/base_page.html. No nonce is needed: the API docs page is drf-spectacular's split view
# (its init script is a file) and Django 5.2's admin has no inline script. img-src allows data: for the
# images Viewflow's and the admin's stylesheets embed. tests/e2e/test_csp.py visits every kind of page as
# each demo role and fails on any violation.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        # + two fixed <style> blocks of Viewflow's, each allowed by its hash (not 'unsafe-inline', not a nonce):
        # the one Turbo (its page loader, viewflow/js/turbo.es2017-umd.js) inserts for its progress bar, and
        # the one of the flow diagram SVG on case pages (templates/viewflow/workflow/graph.svg, checked by
        # tests/project/test_csp_header.py).
        "style-src": [
            "'self'",
            "'sha256-WAyOw4V+FqDc35lQPyRADLBWbuNK8ahvYEaQIYF1+Ps='",
            "'sha256-oAaidTXMuDw+wmb2zIC23oeXG648Ge0EaiJsRvxZKks='",
        ],
        "img-src": ["'self'", "data:"],
        "font-src": ["'self'"],
        "connect-src": ["'self'"],
        "frame-ancestors": ["'none'"],
        "form-action": ["'self'"],
        "base-uri": ["'self'"],
        "object-src": ["'none'"],
    },
}

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env_str("LOG_LEVEL", "WARNING")},
}

CELERY_BEAT_SCHEDULE = {
    # Acting windows open and close by date: recompute access just after midnight.
    "sync-grants-daily": {"task": "permissions.tasks.sync_grants_daily", "schedule": crontab(hour=0, minute=5)},
    "workflow-timers": {"task": "workflows.tasks.fire_timers", "schedule": crontab(minute="*/5")},
    "sla-sweep": {"task": "workflows.tasks.sla_sweep", "schedule": crontab(minute=15)},
    # Budget follow-up: open last month's progress reports on the 1st; flag and escalate behind-plan daily.
    "budget-monthly-reports": {
        "task": "workflows.budget.tasks.open_monthly_reports",
        "schedule": crontab(hour=1, minute=0, day_of_month=1),
    },
    # Risk scores age with the calendar (years since the last inspection, reports falling due): nightly.
    "risk-nightly": {"task": "workflows.planning.tasks.recompute_risk_all", "schedule": crontab(hour=2, minute=0)},
    "budget-behind-plan": {"task": "workflows.budget.tasks.behind_plan_sweep", "schedule": crontab(hour=1, minute=30)},
    # The dashboard's summaries: the buckets changes marked, recomputed (dashboards.summary.SETTLE_SECONDS).
    "dashboard-summaries": {"task": "dashboards.tasks.refresh_summaries", "schedule": 10.0},
}

# REST API (api/): token or session, JSON, 50 rows a page; access is asked of permissions/ in each view.
REST_FRAMEWORK = {
    # Token first: an anonymous caller gets 401 with "WWW-Authenticate: Token", never a login redirect.
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "rest_framework.authentication.TokenAuthentication",
        "rest_framework.authentication.SessionAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticated"],
    "DEFAULT_RENDERER_CLASSES": ["rest_framework.renderers.JSONRenderer"],
    "DEFAULT_PARSER_CLASSES": ["rest_framework.parsers.JSONParser"],
    "DEFAULT_FILTER_BACKENDS": ["django_filters.rest_framework.DjangoFilterBackend"],
    "DEFAULT_PAGINATION_CLASS": "rest_framework.pagination.PageNumberPagination",
    "PAGE_SIZE": 50,
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "EXCEPTION_HANDLER": "api.base.exception_handler",
    # Guessing passwords or tracking numbers: per address, in the cache (Redis in production).
    "DEFAULT_THROTTLE_RATES": {"login": "10/minute", "lookup": "30/minute"},
    # The address is REMOTE_ADDR, as for the complaint form; a client-sent X-Forwarded-For is ignored
    # (a reverse proxy in front must set REMOTE_ADDR itself).
    "NUM_PROXIES": 0,
}
SPECTACULAR_SETTINGS = {
    "TITLE": "Kamkap API",
    "DESCRIPTION": "Factories, self-reports, complaints, inspection cases and tasks (token or session auth).",
    "VERSION": "1.0.0",
    "SERVE_INCLUDE_SCHEMA": False,
    "SCHEMA_PATH_PREFIX": "/api/v1/",
    "COMPONENT_SPLIT_REQUEST": True,
    "ENUM_NAME_OVERRIDES": {
        "OrderStatusEnum": "workflows.inspection.models.OrderStatus",
        # Two choice sets are called `reason`: why a case was opened, and why a device's copy was kept.
        "InspectionReasonEnum": "workflows.inspection.models.cases.InspectionReason",
        "DeviceCopyReasonEnum": "workflows.inspection.models.cases.DeviceCopyReason",
    },
    # The document describes /api/v1/ only; the unversioned /api/ aliases are not repeated in it.
    "PREPROCESSING_HOOKS": ["api.schema.versioned_only"],
    # The docs page's Swagger UI comes from our static files (drf-spectacular-sidecar): no CDN.
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
}
