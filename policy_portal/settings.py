"""Every setting of the portal, read from the environment.

Embedded defaults (SQLite, eager Celery, local-memory cache) apply only when
DJANGO_DEBUG is on; in production DJANGO_SECRET_KEY, DJANGO_ALLOWED_HOSTS and
DATABASE_URL have no defaults, so a missing one fails at start.
"""
from pathlib import Path

import environ

BASE_DIR = Path(__file__).resolve().parent.parent
VAR_DIR = Path(environ.Env().str("PORTAL_VAR_DIR", default=str(BASE_DIR / "var")))

env = environ.Env()
DEBUG = env.bool("DJANGO_DEBUG", default=False)

if DEBUG:
    VAR_DIR.mkdir(parents=True, exist_ok=True)
    SECRET_KEY = env.str("DJANGO_SECRET_KEY", default="dev-only-insecure-key-do-not-use-in-production")
    ALLOWED_HOSTS = env.list("DJANGO_ALLOWED_HOSTS", default=["localhost", "127.0.0.1", "[::1]"])
    DATABASES = {"default": env.db("DATABASE_URL", default=f"sqlite:///{VAR_DIR / 'portal.sqlite3'}")}
else:
    SECRET_KEY = env.str("DJANGO_SECRET_KEY")
    ALLOWED_HOSTS = env.list("DJANGO_ALLOWED_HOSTS")
    DATABASES = {"default": env.db("DATABASE_URL")}
DATABASES["default"]["ATOMIC_REQUESTS"] = False
DATABASES["default"].setdefault("CONN_MAX_AGE", env.int("DATABASE_CONN_MAX_AGE", default=60))
CSRF_TRUSTED_ORIGINS = env.list("DJANGO_CSRF_TRUSTED_ORIGINS", default=[])

INSTALLED_APPS = [
    # The project's apps first: their translations and templates win over Django's own (admin translates
    # "Filter" as 过滤器; the cases page says 筛选).
    "accounts",
    "jobs",
    "notifications",
    "catalogue",
    "rules",
    "programmes",
    "eligibility",
    "library",
    "subsidies",
    "carriers",
    "payments",
    "matching",
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "rest_framework",
    "rest_framework.authtoken",
    "drf_spectacular",
    "drf_spectacular_sidecar",  # Swagger UI and Redoc served from here: the portal needs no CDN
    "axes",  # failed sign-ins counted per username and address; locked for a while after too many
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    # LocaleMiddleware, but pages stay Chinese unless the visitor switches (Accept-Language is ignored).
    "policy_portal.middleware.ChineseFirstLocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "axes.middleware.AxesMiddleware",
]

AUTHENTICATION_BACKENDS = ["axes.backends.AxesStandaloneBackend", "django.contrib.auth.backends.ModelBackend"]
AXES_FAILURE_LIMIT = env.int("PORTAL_LOGIN_FAILURES", default=5)
AXES_COOLOFF_TIME = env.int("PORTAL_LOGIN_LOCK_MINUTES", default=15) / 60  # hours
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_LOCKOUT_TEMPLATE = "accounts/locked.html"
AXES_RESET_ON_SUCCESS = True
AXES_VERBOSE = False

ROOT_URLCONF = "policy_portal.urls"
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "start"
LOGOUT_REDIRECT_URL = "library:home"
WSGI_APPLICATION = "policy_portal.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "policy_portal" / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "accounts.context_processors.role",
                "notifications.context_processors.unread",
            ],
        },
    },
]

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

# Chinese first, English available (set_language view + LocaleMiddleware).
LANGUAGE_CODE = "zh-hans"
LANGUAGES = [("zh-hans", "简体中文"), ("en", "English")]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = "Asia/Shanghai"
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATIC_ROOT = BASE_DIR / "staticfiles"
STATICFILES_DIRS = [BASE_DIR / "policy_portal" / "static"]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
# Uploaded files live outside the web root and are only served through views
# that check permissions.
MEDIA_ROOT = Path(env.str("PORTAL_MEDIA_ROOT", default=str(VAR_DIR / "media")))
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
DATA_UPLOAD_MAX_MEMORY_SIZE = env.int("PORTAL_MAX_BODY_BYTES", default=256 * 1024)

# Redis: broker and cache when REDIS_URL is set; otherwise tasks run eagerly
# in-process and the cache is local memory (the embedded default).
REDIS_URL = env.str("REDIS_URL", default="")
if REDIS_URL:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": REDIS_URL}}
else:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
CELERY_BROKER_URL = REDIS_URL or "memory://"
CELERY_RESULT_BACKEND = None
CELERY_TASK_ALWAYS_EAGER = env.bool("CELERY_TASK_ALWAYS_EAGER", default=not REDIS_URL)
CELERY_TASK_EAGER_PROPAGATES = True
# At least once: a task is acknowledged after it ran, and a task whose process died (OOM killer, kill -9)
# goes back to the queue instead of being acknowledged. Effects are made idempotent in the services.
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
# Redis redelivers an unacknowledged task after this many seconds: longer than the longest task (a chunk of
# 500 re-evaluations takes seconds), shorter than the sweepers' patience.
CELERY_BROKER_TRANSPORT_OPTIONS = {"visibility_timeout": env.int("CELERY_VISIBILITY_TIMEOUT", default=600)}
CELERY_TASK_DEFAULT_QUEUE = env.str("CELERY_QUEUE", default="celery")
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_TIMEZONE = TIME_ZONE

REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        # Token first, so an anonymous caller gets 401 with WWW-Authenticate: Token.
        "rest_framework.authentication.TokenAuthentication",
        "rest_framework.authentication.SessionAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticatedOrReadOnly"],
    # Every JSON body is read strictly: bounded size and nesting, no NaN (deep nesting is a 400, never a 500).
    "DEFAULT_PARSER_CLASSES": [
        "policy_portal.parsers.StrictJSONParser",
        "rest_framework.parsers.FormParser",
        "rest_framework.parsers.MultiPartParser",
    ],
    "DEFAULT_SCHEMA_CLASS": "policy_portal.schema.AutoSchema",
    "DEFAULT_PAGINATION_CLASS": "policy_portal.pagination.Pagination",
    "PAGE_SIZE": 50,
    "EXCEPTION_HANDLER": "policy_portal.errors.api_exception_handler",
    "DEFAULT_THROTTLE_RATES": {
        "eligibility": env.str("PORTAL_CHECK_RATE", default="120/min"),
        "login": env.str("PORTAL_LOGIN_RATE", default="20/min"),
        "register": env.str("PORTAL_REGISTER_RATE", default="10/hour"),
        "objection": env.str("PORTAL_OBJECTION_RATE", default="5/hour"),
    },
}
SPECTACULAR_SETTINGS = {
    "TITLE": "Chongqing policy portal API",
    "DESCRIPTION": "Policy catalogue, facts vocabulary and eligibility checks for five Chongqing innovation-policy documents.",
    "VERSION": "1.0.0",
    "SERVE_INCLUDE_SCHEMA": False,
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    "COMPONENT_SPLIT_REQUEST": True,
    # One component per choice set, named after its model enum (the API reuses them).
    "ENUM_NAME_OVERRIDES": {
        "OperatorEnum": "rules.operators.Operator",
        "FactTypeEnum": "rules.operators.FactType",
        "ClauseKindEnum": "catalogue.models.Clause.Kind",
        "AmountKindEnum": "rules.models.ClauseRule.AmountKind",
        "BureauLevelEnum": "catalogue.models.Bureau.Level",
        "OrganisationStatusEnum": "accounts.models.Organisation.Status",
        "CallStatusEnum": "programmes.models.Call.Status",
        "CentreChangeKindEnum": "carriers.models.CentreChange.Kind",
        "CentreChangeStateEnum": "carriers.models.CentreChange.State",
    },
}

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env.str("LOG_LEVEL", default="INFO")},
    "loggers": {"axes": {"level": "WARNING"}},  # one line per sign-in is noise; lockouts are warnings
}

if not DEBUG:
    # Behind a TLS-terminating proxy that sets X-Forwarded-Proto: HTTPS everywhere, on by default.
    SESSION_COOKIE_SECURE = env.bool("DJANGO_SECURE_COOKIES", default=True)
    CSRF_COOKIE_SECURE = SESSION_COOKIE_SECURE
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    SECURE_CONTENT_TYPE_NOSNIFF = True
    SECURE_SSL_REDIRECT = env.bool("DJANGO_SSL_REDIRECT", default=True)
    SECURE_HSTS_SECONDS = env.int("DJANGO_HSTS_SECONDS", default=60 * 60 * 24 * 365)
    SECURE_HSTS_INCLUDE_SUBDOMAINS = env.bool("DJANGO_HSTS_INCLUDE_SUBDOMAINS", default=True)
    SECURE_HSTS_PRELOAD = env.bool("DJANGO_HSTS_PRELOAD", default=True)
    # The health check answers the proxy and the supervisor over plain HTTP.
    SECURE_REDIRECT_EXEMPT = [r"^healthz$"]

# Email: the console backend by default; production sets DJANGO_EMAIL_BACKEND and the EMAIL_* variables.
EMAIL_BACKEND = env.str("DJANGO_EMAIL_BACKEND", default="django.core.mail.backends.console.EmailBackend")
EMAIL_HOST = env.str("EMAIL_HOST", default="localhost")
EMAIL_PORT = env.int("EMAIL_PORT", default=25)
DEFAULT_FROM_EMAIL = env.str("DEFAULT_FROM_EMAIL", default="政策服务平台 <noreply@policy-portal.local>")
# Links in emails point here.
PORTAL_BASE_URL = env.str("PORTAL_BASE_URL", default="http://127.0.0.1:8000")
# A TrueType font (.ttf/.ttc, e.g. Noto Sans CJK SC) to embed in the printable 申报书; empty: ReportLab's built-in
# CID font STSong-Light, which the PDF viewer draws with its own Chinese font (subsidies/documents.py).
PORTAL_PDF_FONT = env.str("PORTAL_PDF_FONT", default="")

# The sweepers run every PORTAL_SWEEP_SECONDS and re-queue work queued more than PORTAL_STALE_SECONDS ago
# and still not done (at-least-once delivery: a lost message costs at most this long).
PORTAL_SWEEP_SECONDS = env.int("PORTAL_SWEEP_SECONDS", default=60)
PORTAL_STALE_SECONDS = env.int("PORTAL_STALE_SECONDS", default=600)

# An organisation's total support from FIM (004) in one year, in yuan; 0: no cap. The approval refuses beyond it.
PORTAL_FIM_CAP_PER_ORGANISATION_YUAN = env.int("PORTAL_FIM_CAP_PER_ORGANISATION_YUAN", default=0)
# 公示: the publicity period in working days, and how many objections one address may lodge per hour.
PORTAL_PUBLICITY_WORKING_DAYS = env.int("PORTAL_PUBLICITY_WORKING_DAYS", default=5)
# 办理时限: working days (official holiday calendar) each stage may take, unless the call or the clause's routing
# rule says otherwise; "appeal" is the review of an appeal (复核). An applicant may appeal a rejection within
# PORTAL_APPEAL_WORKING_DAYS working days unless the call or the clause's routing rule says otherwise.
PORTAL_REVIEW_WORKING_DAYS = {
    "single": env.int("PORTAL_REVIEW_DAYS_SINGLE", default=20),
    "district": env.int("PORTAL_REVIEW_DAYS_DISTRICT", default=10),
    "city": env.int("PORTAL_REVIEW_DAYS_CITY", default=20),
    "appeal": env.int("PORTAL_REVIEW_DAYS_APPEAL", default=15),
}
PORTAL_APPEAL_WORKING_DAYS = env.int("PORTAL_APPEAL_WORKING_DAYS", default=15)
# The bureau heads' overdue digest: daily at 08:45 Beijing time; PORTAL_OVERDUE_DIGEST_SECONDS runs it every
# that many seconds instead (tests; it still sends at most one digest per head per day).
PORTAL_OVERDUE_DIGEST_SECONDS = env.int("PORTAL_OVERDUE_DIGEST_SECONDS", default=0)

# Celery beat: reminders once a day at 08:30 Beijing time.
from celery.schedules import crontab  # noqa: E402

CELERY_BEAT_SCHEDULE = {
    "iic-reminders": {"task": "carriers.tasks.send_iic_reminders", "schedule": crontab(hour=8, minute=30)},
    # Clause windows open and close with the date: every organisation is matched again each night.
    "matching-daily": {"task": "matching.tasks.rematch_daily", "schedule": crontab(hour=2, minute=15)},
    # Work that nobody finished (a worker died, a message was lost) is queued again.
    "jobs-sweep": {"task": "jobs.tasks.sweep", "schedule": float(PORTAL_SWEEP_SECONDS)},
    "notifications-sweep": {"task": "notifications.tasks.sweep", "schedule": float(PORTAL_SWEEP_SECONDS)},
    # 公示 periods that ended: entries with no open objection become final (idempotent), hourly.
    "publicity-finalise": {"task": "payments.tasks.finalise_publicity", "schedule": crontab(minute=5)},
    "evaluations-sweep": {"task": "subsidies.tasks.sweep_evaluations", "schedule": float(PORTAL_SWEEP_SECONDS)},
    # Each bureau head's digest of the bureau's applications past their time limit (once per head per day).
    "overdue-digest": {"task": "subsidies.tasks.send_overdue_digests",
                       "schedule": float(PORTAL_OVERDUE_DIGEST_SECONDS) if PORTAL_OVERDUE_DIGEST_SECONDS
                       else crontab(hour=8, minute=45)},
    # Organisations that applied under a clause hear when a call for it opens (idempotent: once per call).
    "call-openings": {"task": "subsidies.tasks.announce_open_calls", "schedule": crontab(minute="*/15")},
}
