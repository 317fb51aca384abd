"""One settings module, driven by the environment (see README: 配置)."""

from __future__ import annotations

import os
import secrets
from pathlib import Path
from typing import Any

import dj_database_url
from csp.constants import NONE, SELF

BASE_DIR = Path(__file__).resolve().parent
PROJECT_DIR = BASE_DIR.parent.parent
# Local data folder: the SQLite database, generated secrets, field-encryption keys, uploads.
DATA_DIR = Path(os.environ.get("WUZAICUN_DATA_DIR", PROJECT_DIR / "var")).resolve()
DATA_DIR.mkdir(parents=True, exist_ok=True)
NODE_MODULES = Path(os.environ.get("WUZAICUN_NODE_MODULES", PROJECT_DIR / "node_modules"))


def _env_bool(name: str, default: bool = False) -> bool:
    return os.environ.get(name, str(default)).strip().lower() in {"1", "true", "yes", "on"}


def _kept_secret(name: str) -> str:
    """A secret from the environment, else generated once and kept under DATA_DIR."""
    if value := os.environ.get(name):
        return value
    path = DATA_DIR / f"{name.lower()}.txt"
    if not path.exists():
        path.write_text(secrets.token_urlsafe(50))
        path.chmod(0o600)
    return path.read_text().strip()


SECRET_KEY = _kept_secret("SECRET_KEY")
DEBUG = _env_bool("DEBUG")
ALLOWED_HOSTS = [h for h in os.environ.get("ALLOWED_HOSTS", "localhost,127.0.0.1,[::1]").split(",") if h]
CSRF_TRUSTED_ORIGINS = [o for o in os.environ.get("CSRF_TRUSTED_ORIGINS", "").split(",") if o]

INSTALLED_APPS = [
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "axes",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "django_htmx",
    "template_partials",
    "csp",
    "django_tasks",
    "django_tasks_db",
    "django_rq",
    "wuzaicun.core",
    "wuzaicun.regions",
    "wuzaicun.accounts",
    "wuzaicun.audit",
    "wuzaicun.registry",
    "wuzaicun.portal",
    "wuzaicun.tabular",
    "wuzaicun.responsibility",
    "wuzaicun.organization",
    "wuzaicun.cadres",
    "wuzaicun.resources",
    "wuzaicun.verification",
    "wuzaicun.insight",
    "wuzaicun.jobs",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "wuzaicun.core.middleware.TrustedProxyMiddleware",
    "wuzaicun.core.middleware.RequestContextMiddleware",
    "wuzaicun.core.db_router.ReplicaMiddleware",
    "wuzaicun.core.middleware.RefuseNulMiddleware",
    "wuzaicun.accounts.middleware.IdleSessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "wuzaicun.accounts.middleware.SessionLimitMiddleware",
    "wuzaicun.accounts.middleware.SecondFactorMiddleware",
    "wuzaicun.accounts.middleware.PasswordChangeRequiredMiddleware",
    "wuzaicun.accounts.middleware.LoginRequiredExceptApiMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "csp.middleware.CSPMiddleware",
    "wuzaicun.core.middleware.NoStoreForAuthenticatedMiddleware",
    "wuzaicun.core.middleware.DomainErrorMiddleware",
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "wuzaicun.urls"
WSGI_APPLICATION = "wuzaicun.wsgi.application"

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
                "wuzaicun.accounts.navigation.site",
            ],
            "builtins": ["template_partials.templatetags.partials"],
        },
    }
]

# Database: SQLite (WAL) by default; PostgreSQL through DATABASE_URL.
DATABASES = {
    "default": dj_database_url.config(
        default=f"sqlite:///{DATA_DIR / 'wuzaicun.sqlite3'}", conn_max_age=60, conn_health_checks=True
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    DATABASES["default"]["CONN_MAX_AGE"] = 0
    DATABASES["default"]["OPTIONS"] = {
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; PRAGMA foreign_keys=ON;",
        "transaction_mode": "IMMEDIATE",
        "timeout": 20,
    }
elif DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql":
    # No JIT: the figures' aggregates cross PostgreSQL's JIT cost threshold at city scale and spent 70+ ms
    # compiling to save nothing (docs/insight.md, I46); an operator's PGOPTIONS still applies on top.
    DATABASES["default"].setdefault("OPTIONS", {})["options"] = "-c jit=off"
# Read replicas (docs/decisions.md D36): DATABASE_REPLICA_URL holds one streaming replica's URL, or several
# separated by spaces or commas. Pages and the API then read a replica outside transactions and before any
# write (core/db_router.py); a user who wrote reads the primary for DATABASE_REPLICA_STICKY_SECONDS.
DATABASE_REPLICAS: list[str] = []
for _number, _url in enumerate(os.environ.get("DATABASE_REPLICA_URL", "").replace(",", " ").split(), start=1):
    _alias = "replica" if _number == 1 else f"replica{_number}"
    DATABASES[_alias] = dj_database_url.parse(_url, conn_max_age=60, conn_health_checks=True)
    DATABASES[_alias]["TEST"] = {"MIRROR": "default"}  # a test run under the setting reads its own database
    DATABASE_REPLICAS.append(_alias)
DATABASE_REPLICA_STICKY_SECONDS = int(os.environ.get("DATABASE_REPLICA_STICKY_SECONDS", "10"))
DATABASE_ROUTERS = ["wuzaicun.core.db_router.ReplicaRouter"] if DATABASE_REPLICAS else []
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# Cache (the figures of 数据分析, keyed by the data generation read from the database, docs/insight.md I44): each
# process's memory by default; REDIS_URL (e.g. redis://127.0.0.1:6379/1) shares one Redis among app servers.
# Freshness never depends on the store: an entry is found only under the current data generation.
REDIS_URL = os.environ.get("REDIS_URL", "").strip()
CACHES: dict[str, dict[str, Any]] = {
    "default": {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": REDIS_URL,
                "KEY_PREFIX": "wuzaicun"} if REDIS_URL else
    {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "LOCATION": "wuzaicun",
     "OPTIONS": {"MAX_ENTRIES": 2000}},
}

AUTH_USER_MODEL = "accounts.User"
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
]
# MLPS (等保) defaults: length >= 8, three of four character classes, a common-password check.
# The security policy (安全设置, accounts/policy.py): these are its values until the security administrator saves
# the page; the validators, the lockout, the idle and absolute session limits read the current policy.
PASSWORD_MIN_LENGTH = int(os.environ.get("PASSWORD_MIN_LENGTH", "8"))
PASSWORD_MIN_CLASSES = int(os.environ.get("PASSWORD_MIN_CLASSES", "3"))
PASSWORD_MAX_AGE_DAYS = 90
PASSWORD_HISTORY = 5
LOCKOUT_FAILURES = 5
LOCKOUT_MINUTES = 15
IDLE_MINUTES = 30
SESSION_HOURS = 12
SECURITY_POLICY_CACHE_SECONDS: int | None = 30
# Two-factor login (TOTP, django-otp): the roles that must use it until the security administrator saves the page;
# the three separated administrators always must (MLPS level 3, accounts/policy.py).
REQUIRE_2FA_ROLES = "system_admin,security_admin,audit_admin"
OTP_TOTP_ISSUER = "五在村"
OTP_TOTP_THROTTLE_FACTOR = 0  # wrong codes count toward django-axes' lockout instead (D39)
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "wuzaicun.accounts.validators.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "wuzaicun.accounts.validators.CharacterClassValidator"},
    {"NAME": "wuzaicun.accounts.validators.PasswordHistoryValidator"},
]
LOGIN_URL = "accounts:login"
LOGIN_REDIRECT_URL = "portal:home"
LOGOUT_REDIRECT_URL = "accounts:login"

# Sessions: 30 idle minutes, 12 hours at most, a new key at login (Django's default). The idle expiry is
# moved by IdleSessionMiddleware at most once a minute, not by a database write on every request.
SESSION_COOKIE_AGE = IDLE_MINUTES * 60  # each session's own expiry follows the policy's idle minutes
SESSION_SAVE_EVERY_REQUEST = False
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"

# Lockout: 5 failures on (username, IP) lock for 15 minutes; a complete login resets the count (after the second
# factor for a user who has one: accounts/twofa.py resets it, not django-axes at the password step).
AXES_FAILURE_LIMIT = "wuzaicun.accounts.policy.lockout_failures"
AXES_COOLOFF_TIME = "wuzaicun.accounts.policy.lockout_cool_off"
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = False
AXES_LOCKOUT_CALLABLE = "wuzaicun.accounts.views.locked_out"
AXES_VERBOSE = False
AXES_ENABLE_ACCESS_FAILURE_LOG = False

# Secure headers.
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
CSRF_COOKIE_HTTPONLY = False  # htmx reads the token from the page, not the cookie
_HTTPS = _env_bool("HTTPS")
SESSION_COOKIE_SECURE = _HTTPS
CSRF_COOKIE_SECURE = _HTTPS
SECURE_SSL_REDIRECT = _HTTPS
SECURE_HSTS_SECONDS = 31536000 if _HTTPS else 0
SECURE_HSTS_INCLUDE_SUBDOMAINS = _HTTPS
SECURE_HSTS_PRELOAD = _HTTPS
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https") if _HTTPS else None
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF],
        "style-src": [SELF],
        "img-src": [SELF, "data:"],
        "font-src": [SELF],
        "connect-src": [SELF],
        "frame-ancestors": [NONE],
        "form-action": [SELF],
        "base-uri": [SELF],
        "object-src": [NONE],
    }
}

LANGUAGE_CODE = "zh-hans"
FORMAT_MODULE_PATH = ["wuzaicun.formats"]  # amounts grouped by thousands where a template asks (floatformat "2g")
LANGUAGES = [("zh-hans", "简体中文")]
TIME_ZONE = "Asia/Shanghai"
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = DATA_DIR / "static"
STATIC_ROOT.mkdir(exist_ok=True)
# Front-end assets come from npm (`./dev setup`); a command run without them (an import on a server that only
# runs scripts) must not warn about their folders, so only the folders that exist are listed. Pages then lack
# their styles, which `wuzaicun demo` reports in Chinese before serving.
VENDOR_ASSETS = [
    ("vendor/bootstrap", NODE_MODULES / "bootstrap" / "dist"),
    ("vendor/bootstrap-icons", NODE_MODULES / "bootstrap-icons" / "font"),
    ("vendor/htmx", NODE_MODULES / "htmx.org" / "dist"),
    ("vendor/echarts", NODE_MODULES / "echarts" / "dist"),
]
STATICFILES_DIRS = [BASE_DIR / "static", *((prefix, path) for prefix, path in VENDOR_ASSETS if path.is_dir())]
# Production (`wuzaicun serve` sets WUZAICUN_PRODUCTION=1 for its workers and its collectstatic): file names carry
# their content's hash, so WhiteNoise serves them compressed (gzip, brotli) and cached for ten years; pages and
# tests outside production find the files where they are, uncompressed names, short cache.
PRODUCTION = _env_bool("WUZAICUN_PRODUCTION")
# The reverse proxies whose X-Forwarded-For names the client (core.middleware.TrustedProxyMiddleware); `serve`
# binds to 127.0.0.1 behind one on the same machine by default.
TRUSTED_PROXIES = [a.strip() for a in os.environ.get(
    "FORWARDED_ALLOW_IPS", "127.0.0.1,::1" if PRODUCTION else "").split(",") if a.strip()]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage" if PRODUCTION
                    else "whitenoise.storage.CompressedStaticFilesStorage"},
}
WHITENOISE_USE_FINDERS = not PRODUCTION
WHITENOISE_AUTOREFRESH = DEBUG
MEDIA_ROOT = DATA_DIR / "media"
UPLOAD_DIR = DATA_DIR / "uploads"
FILE_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024
DATA_UPLOAD_MAX_MEMORY_SIZE = 10 * 1024 * 1024
IMPORT_MAX_UPLOAD_BYTES = int(os.environ.get("IMPORT_MAX_UPLOAD_BYTES", str(200 * 1024 * 1024)))
# An .xlsx is refused before parsing when its entries unpack to more than this. A million-row households
# export unpacks to ~0.5 GB (its sheet XML: ~500 bytes a row), so 1 GiB admits it with room to spare.
IMPORT_MAX_UNCOMPRESSED_BYTES = int(os.environ.get("IMPORT_MAX_UNCOMPRESSED_BYTES", str(1024**3)))
# Sheet lines (header and blank lines included) read from one file; reading stops at the first beyond.
IMPORT_MAX_ROWS = int(os.environ.get("IMPORT_MAX_ROWS", "1100000"))
# Processes that check a large import's rows (docs/decisions.md D26): 1, the importing one alone; more,
# that many forked workers, the importing one reading the file and making the checks that need order or the database.
# Default 1: on the 2-core project machine two workers were slower (measured in D26); try 2 on an idle laptop.
IMPORT_WORKERS = max(1, int(os.environ.get("IMPORT_WORKERS", "1")))

# Field encryption (resident IDs, phones): versioned keys kept outside the database.
FIELD_KEYS_FILE = Path(os.environ.get("FIELD_KEYS_FILE", DATA_DIR / "field_keys.json"))

# Logs carry request ids, never personal data: the audit trail is where actions are recorded.
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {"request_id": {"()": "wuzaicun.core.middleware.RequestIdLogFilter"}},
    "formatters": {"plain": {"format": "%(asctime)s %(levelname)s [%(request_id)s] %(name)s: %(message)s"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "plain", "filters": ["request_id"]}},
    "root": {"handlers": ["console"], "level": os.environ.get("LOG_LEVEL", "WARNING")},
    "loggers": {"django.db.backends": {"level": "WARNING", "propagate": True}},
}

NINJA_PAGINATION_PER_PAGE = 20

# Long jobs (下载中心, docs/jobs.md): Django's tasks framework through the django-tasks backport.
# WUZAICUN_TASKS=database (default): the queue is a table of the one database, run by `wuzaicun worker` or by
# the thread `wuzaicun demo` starts; =rq: Redis at REDIS_URL, run by `wuzaicun worker` on any server (J2).
TASKS_BACKEND = os.environ.get("WUZAICUN_TASKS", "database").strip().lower() or "database"
if TASKS_BACKEND not in {"database", "rq"}:
    raise ValueError(f"WUZAICUN_TASKS must be database or rq, not {TASKS_BACKEND!r}")
TASKS = {
    "default": {
        "BACKEND": "django_tasks_db.DatabaseBackend" if TASKS_BACKEND == "database" else "django_tasks_rq.RQBackend",
        "QUEUES": ["default"],
    }
}
RQ_QUEUES = {"default": {"URL": REDIS_URL or "redis://127.0.0.1:6379/0", "DEFAULT_TIMEOUT": 6 * 3600}}
# An export over this many rows, an import file over this many bytes, runs as a job (下载中心), not in the request.
JOB_EXPORT_ROWS = int(os.environ.get("WUZAICUN_JOB_EXPORT_ROWS", "50000"))
# An assessment (年度考核) of more villages and townships than this runs as a job.
JOB_ASSESS_SUBJECTS = int(os.environ.get("WUZAICUN_JOB_ASSESS_SUBJECTS", "1000"))
JOB_IMPORT_BYTES = int(os.environ.get("WUZAICUN_JOB_IMPORT_BYTES", str(10 * 1024 * 1024)))
# A job's result file is kept this many days, then removed by `wuzaicun jobs purge` (also run at each job's end
# and by the worker's housekeeping).
JOB_RESULT_DAYS = int(os.environ.get("WUZAICUN_JOB_RESULT_DAYS", "7"))
JOB_DIR = DATA_DIR / "jobs"
# A running job whose progress has not moved for this long is taken as dead (its worker was killed): retry-able.
JOB_STALE_SECONDS = int(os.environ.get("WUZAICUN_JOB_STALE_SECONDS", "900"))
# Every this many seconds a worker (and the demo's in-process one) removes expired result files, marks dead runs
# and folds the tallies (D47), jobs or none; 0: only at each job's end.
JOB_HOUSEKEEPING_SECONDS = float(os.environ.get("WUZAICUN_JOB_HOUSEKEEPING_SECONDS", "600"))

# The audit trail (docs/security.md): rows are kept at least 180 days (MLPS level 3); a lower value is
# refused at startup by a system check. `wuzaicun audit purge` deletes only rows older than this.
AUDIT_RETENTION_DAYS = int(os.environ.get("AUDIT_RETENTION_DAYS", "180"))
# Break-glass unmasking: how many full resident IDs one user may reveal on screen per day.
REVEAL_DAILY_LIMIT = int(os.environ.get("REVEAL_DAILY_LIMIT", "20"))
