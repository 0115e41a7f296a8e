"""Settings shared by every environment; each value comes from the environment."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

import dj_database_url
from django.utils.translation import gettext_lazy as _
from kombu import Queue

from kpu_polda import env

BASE_DIR = Path(__file__).resolve().parent.parent.parent
VAR_DIR = Path(env.string("VAR_DIR", str(BASE_DIR / "var")))

DEBUG = env.boolean("DEBUG", False)
ALLOWED_HOSTS = env.str_list("ALLOWED_HOSTS", ["127.0.0.1", "localhost"])
CSRF_TRUSTED_ORIGINS = env.str_list("CSRF_TRUSTED_ORIGINS", [])

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "rest_framework",
    "django_filters",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "simple_history",
    "axes",
    "django_htmx",
    "pgtrigger",
    "kpu_polda.base",
    "kpu_polda.dashboard",
    "kpu_polda.imports",
    "coordination",
    "logistics",
    "meetings",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",  # static answered here, already compressed
    # Pages and JSON compressed; Django pads the output against BREACH (bench/page_weight.py).
    "django.middleware.gzip.GZipMiddleware",
    # Outside the session and language layers, so an error they raise (too many query
    # fields, a broken session) under /api/ is answered as JSON too.
    "kpu_polda.base.middleware.ApiErrorsMiddleware",
    # Around everything that reads: marks safe requests for the replica router (a no-op
    # without DATABASE_REPLICA_URLS) and pins a user who wrote to the primary.
    "kpu_polda.base.replicas.ReplicaReadsMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "kpu_polda.base.middleware.DefaultLanguageMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "kpu_polda.base.middleware.DomainErrorPagesMiddleware",
    "simple_history.middleware.HistoryRequestMiddleware",
    # Axes must come last so it sees the outcome of authentication.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "kpu_polda.urls"
WSGI_APPLICATION = "kpu_polda.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "kpu_polda.dashboard.context_processors.shell",
            ],
        },
    },
]

# SQLite under var/ unless DATABASE_URL names a server; persistent connections because a
# new connection per request cost about 3x throughput on PostgreSQL here.
DATABASES = {
    "default": dj_database_url.parse(
        env.string("DATABASE_URL", f"sqlite:///{VAR_DIR / 'kpu_polda.sqlite3'}"),
        conn_max_age=env.integer("CONN_MAX_AGE", 60, minimum=0),
        conn_health_checks=True,
    )
}
# Behind PgBouncer in transaction mode, server-side cursors break; this switches them off.
DATABASES["default"]["DISABLE_SERVER_SIDE_CURSORS"] = env.boolean("DB_DISABLE_SERVER_SIDE_CURSORS", False)
if DATABASES["default"]["ENGINE"].endswith("sqlite3"):
    # Web, worker and beat share the demo file: wait for locks instead of failing.
    DATABASES["default"]["OPTIONS"] = {"timeout": 20, "transaction_mode": "IMMEDIATE"}
    DATABASES["default"]["CONN_MAX_AGE"] = 0
# Read replicas (streaming standbys of the primary), comma-separated URLs: the reads of
# safe requests go to one of them, everything else to the primary (kpu_polda/base/replicas.py,
# docs/operations.md). Each becomes the alias replica_1, replica_2, ...
DATABASE_REPLICA_URLS = env.str_list("DATABASE_REPLICA_URLS", [])
for _number, _url in enumerate(DATABASE_REPLICA_URLS, start=1):
    DATABASES[f"replica_{_number}"] = {
        **dj_database_url.parse(_url, conn_max_age=DATABASES["default"]["CONN_MAX_AGE"], conn_health_checks=True),
        "DISABLE_SERVER_SIDE_CURSORS": DATABASES["default"]["DISABLE_SERVER_SIDE_CURSORS"],
        # A test run never creates a database on a replica (it is read-only).
        "TEST": {"MIRROR": "default"},
    }
DATABASE_REPLICAS = [alias for alias in DATABASES if alias != "default"]
DATABASE_ROUTERS = ["kpu_polda.base.replicas.ReplicaRouter"] if DATABASE_REPLICAS else []
# Seconds a user who wrote reads the primary, so they see their change at once: longer than
# any replica lag we accept.
REPLICA_PIN_SECONDS = env.integer("REPLICA_PIN_SECONDS", 30, minimum=1)
# Read on the primary even in a safe request (besides sessions and users): who is asking.
REPLICA_PRIMARY_MODELS = ["coordination.apitoken", "axes"]

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
AUTH_USER_MODEL = "coordination.User"

AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    # ModelBackend that refuses the demo accounts where DEMO_DATA_ALLOWED is off.
    "coordination.backends.AccountBackend",
]

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator", "OPTIONS": {"min_length": 10}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "login"

# Sessions end after two hours without activity and when the browser closes.
SESSION_COOKIE_AGE = env.integer("SESSION_COOKIE_AGE", 2 * 60 * 60, minimum=300)
SESSION_SAVE_EVERY_REQUEST = True
SESSION_EXPIRE_AT_BROWSER_CLOSE = True
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"

# Five failed logins for one username lock it for 15 minutes. Locking by username rather
# than by IP keeps an office behind one NAT address usable while one account is attacked.
AXES_FAILURE_LIMIT = 5
AXES_COOLOFF_TIME = timedelta(minutes=15)
AXES_LOCKOUT_PARAMETERS = ["username"]
AXES_RESET_ON_SUCCESS = True
AXES_ENABLE_ACCESS_FAILURE_LOG = True
AXES_LOCKOUT_CALLABLE = "kpu_polda.base.lockout.lockout_response"
# axes.W006 warns that username-only lockout can be dodged by rotating client details;
# that applies to IP-based lockout. Here the account itself is locked, as required.
SILENCED_SYSTEM_CHECKS = ["axes.W006"]
# Reverse proxies in front of the app: both the login log and the API throttle take the
# client address from X-Forwarded-For, counting this many proxies from the right.
PROXY_COUNT = env.integer("PROXY_COUNT", 0, minimum=0)
AXES_IPWARE_PROXY_COUNT = PROXY_COUNT or None

LANGUAGE_CODE = "id"
LANGUAGES = [("id", _("Indonesian")), ("en", _("English"))]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = "Asia/Makassar"
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = BASE_DIR / "staticfiles"
STATICFILES_DIRS = [BASE_DIR / "static"]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
}
# Uploaded scans and attachments. Never served from MEDIA_URL: coordination/views/files.py
# serves each one after checking the object's scope. docker-compose.yml keeps it on a volume.
MEDIA_ROOT = VAR_DIR / "media"
MEDIA_URL = "/media/"

# Uploads: CSV imports are read into memory; anything larger than this is refused.
DATA_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024
FILE_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024
CSV_IMPORT_MAX_BYTES = env.integer("CSV_IMPORT_MAX_BYTES", 5 * 1024 * 1024, minimum=1024)
# Background imports (kpu_polda.imports), per kind: large enough for a national register
# (820,161 TPS are about 80 MiB; 91,560 regions about 6 MiB).
IMPORT_MAX_BYTES = {
    "regions": env.integer("IMPORT_MAX_BYTES_REGIONS", 64 * 1024 * 1024, minimum=1024),
    "polling_stations": env.integer("IMPORT_MAX_BYTES_POLLING_STATIONS", 512 * 1024 * 1024, minimum=1024),
    "tps_classes": env.integer("IMPORT_MAX_BYTES_TPS_CLASSES", 512 * 1024 * 1024, minimum=1024),
}

REDIS_URL = env.string("REDIS_URL", "")
if REDIS_URL:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": REDIS_URL}}
else:
    # Shared by the web, worker and beat processes of the demo, so throttles and the
    # worker heartbeat are seen by all of them.
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.filebased.FileBasedCache",
            "LOCATION": str(VAR_DIR / "cache"),
        }
    }

# One clock for the app (kpu_polda.base.clock). CLOCK_START makes it start at a chosen
# moment and run forward from CLOCK_ANCHOR (the real moment that corresponds to it).
CLOCK_START = env.moment("CLOCK_START")
CLOCK_ANCHOR = env.moment("CLOCK_ANCHOR")
if CLOCK_START is not None and CLOCK_ANCHOR is None:
    # Without a shared anchor, web, worker and beat would each start the clock afresh.
    raise env.EnvError("CLOCK_START needs CLOCK_ANCHOR, the real moment it corresponds to (scripts/run-demo sets it)")

# Celery: Redis when configured; otherwise a broker in an SQLite file, so the demo's worker
# and beat need no server.
CELERY_BROKER_URL = (
    REDIS_URL or f"sqla+sqlite:///{VAR_DIR / 'celery-broker.sqlite3'}"
)
CELERY_TASK_IGNORE_RESULT = True
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
CELERY_TIMEZONE = TIME_ZONE
CELERY_BEAT_SCHEDULE_FILENAME = str(VAR_DIR / "celerybeat-schedule")
CELERY_WORKER_HEARTBEAT_MAX_AGE = 10 * 60
# One queue per kind of job, so a long import never delays the notification drain: a
# worker started without -Q consumes all three; on several hosts each queue can have
# workers of its own (docs/operations.md).
CELERY_TASK_DEFAULT_QUEUE = "default"
CELERY_TASK_QUEUES = [Queue("default"), Queue("outbox"), Queue("imports")]
CELERY_TASK_ROUTES = {
    "coordination.tasks.drain_notifications": {"queue": "outbox"},
    "coordination.tasks.send_daily_digests": {"queue": "outbox"},
    "kpu_polda.imports.*": {"queue": "imports"},
}

REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "coordination.authentication.ApiTokenAuthentication",
        "rest_framework.authentication.SessionAuthentication",
    ],
    # Deny by default: DRF's own default is AllowAny.
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticated"],
    "DEFAULT_PAGINATION_CLASS": "kpu_polda.base.drf.Pagination",
    "PAGE_SIZE": 50,
    "DEFAULT_FILTER_BACKENDS": ["django_filters.rest_framework.DjangoFilterBackend"],
    "DEFAULT_SCHEMA_CLASS": "kpu_polda.base.schema.AutoSchema",
    # The API takes JSON (CSV uploads declare multipart themselves). Multipart stays for the
    # browsable API's HTML form, which posts nothing else; the schema documents JSON only.
    "DEFAULT_PARSER_CLASSES": ["rest_framework.parsers.JSONParser", "rest_framework.parsers.MultiPartParser"],
    "EXCEPTION_HANDLER": "kpu_polda.base.drf.exception_handler",
    "DEFAULT_THROTTLE_RATES": {"auth-token": env.string("TOKEN_THROTTLE_RATE", "20/min")},
    "NUM_PROXIES": PROXY_COUNT or None,
    "DEFAULT_RENDERER_CLASSES": [
        "rest_framework.renderers.JSONRenderer",
        "rest_framework.renderers.BrowsableAPIRenderer",
    ],
}

SPECTACULAR_SETTINGS = {
    "TITLE": "kpu_polda API",
    "DESCRIPTION": (
        "Coordination between KPU Provinsi Kalimantan Timur and Polda Kalimantan Timur. "
        "Authenticate with `Authorization: Token <key>`; every list is paginated and "
        "scoped to the caller's region."
    ),
    "VERSION": "1",
    "SERVE_INCLUDE_SCHEMA": False,
    "SERVE_PERMISSIONS": ["rest_framework.permissions.IsAuthenticated"],
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    "COMPONENT_SPLIT_REQUEST": True,
    # Built in English whatever the request's language (kpu_polda/base/schema.py).
    "DEFAULT_GENERATOR_CLASS": "kpu_polda.base.schema.SchemaGenerator",
    "ENUM_NAME_OVERRIDES": {
        "RegionKindEnum": "coordination.choices.RegionKind",
        "AgencyKindEnum": "coordination.choices.AgencyKind",
        "ElectionKindEnum": "coordination.choices.ElectionKind",
        "EvidenceKindEnum": "coordination.choices.EvidenceKind",
        "RiskStatusEnum": "coordination.choices.RiskStatus",
        "AgreementStatusEnum": "coordination.choices.AgreementStatus",
        # One choice set used by several fields (origin and destination; a TPS's access and
        # an escort's transport): one name each in the schema.
        "PlaceKindEnum": "logistics.choices.PlaceKind",
        "AccessModeEnum": "coordination.choices.AccessMode",
    },
}

# E-mail from the notification outbox (coordination.services.notifications). Development
# prints messages on the console, or writes one file per message into EMAIL_FILE_PATH;
# production sends through SMTP (settings/production.py).
EMAIL_FILE_PATH = env.string("EMAIL_FILE_PATH", "")
EMAIL_BACKEND = (
    "django.core.mail.backends.filebased.EmailBackend" if EMAIL_FILE_PATH
    else "django.core.mail.backends.console.EmailBackend"
)
DEFAULT_FROM_EMAIL = env.string("DEFAULT_FROM_EMAIL", "kpu-polda@localhost")
# Seconds one send may take before it counts as failed and is retried later; bounds how
# long a drain can hold its claim on a batch.
EMAIL_TIMEOUT = env.integer("EMAIL_TIMEOUT", 10, minimum=1)
# Where the site is reached from outside: links in e-mails are built on it.
SITE_URL = env.string("SITE_URL", "http://localhost:8000")

DEMO_PASSWORD = env.string("DEMO_PASSWORD", "pemilu-damai-2024")
DEMO_DATA_ALLOWED = True
SEED_DATA_DIR = BASE_DIR / "data" / "kaltim"

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env.string("LOG_LEVEL", "INFO")},
    "loggers": {"django.db.backends": {"level": "WARNING"}},
}
SIMPLE_HISTORY_REVERT_DISABLED = True  # a revert would bypass the services and their checks
DOCUMENT_MAX_BYTES = env.integer("DOCUMENT_MAX_BYTES", 10 * 1024 * 1024, minimum=1024)
