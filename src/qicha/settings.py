"""qicha settings: one module, every deployment knob an environment variable QICHA_* with a safe default.

The embedded defaults (SQLite under var/, no broker) serve a fresh machine; production sets
QICHA_DATABASE_URL (PostgreSQL), QICHA_SECRET_KEY and QICHA_ALLOWED_HOSTS — see docs/operations.md.
"""

import contextlib
import os
import secrets
from datetime import timedelta
from pathlib import Path

import dj_database_url
from django.core.exceptions import ImproperlyConfigured

PACKAGE_DIR = Path(__file__).resolve().parent


def env(name: str, default: str = "") -> str:
    return os.environ.get(f"QICHA_{name}", default)


def env_bool(name: str, default: bool = False) -> bool:
    raw = env(name).strip().lower()  # set but empty counts as not set
    return raw in {"1", "true", "yes", "on"} if raw else default


def env_int(name: str, default: int) -> int:
    raw = env(name, str(default))
    try:
        return int(raw)
    except ValueError as exc:
        raise ImproperlyConfigured(f"环境变量 QICHA_{name} 应为整数，实际为 {raw!r}") from exc


# var/ holds the SQLite database, uploaded files, job results and generated keys. All of it is for the service
# account alone: whatever entry point runs (serve, the worker, a command) creates files 0600 and directories 0700.
os.umask(0o077)
VAR_DIR = Path(env("VAR_DIR", str(Path.cwd() / "var"))).resolve()
VAR_DIR.mkdir(parents=True, exist_ok=True)


def _owner_only(path: Path, mode: int) -> None:
    # Tightens what an older version left readable; a path owned by someone else is the operator's to fix.
    if path.exists() and path.stat().st_uid == os.getuid() and path.stat().st_mode & 0o777 != mode:
        path.chmod(mode)


_owner_only(VAR_DIR, 0o700)


def _secret_key() -> str:
    configured = env("SECRET_KEY")
    if configured:
        return configured
    # A generated key survives restarts (sessions stay valid) but never leaves this machine.
    key_file = VAR_DIR / "secret_key"
    if not key_file.exists():
        key_file.write_text(secrets.token_urlsafe(50), encoding="utf-8")
        key_file.chmod(0o600)
    return key_file.read_text(encoding="utf-8").strip()


SECRET_KEY = _secret_key()
DEBUG = env_bool("DEBUG")
# Demo mode: demo accounts skip the first-login password change and the second factor; the header says so.
DEMO_MODE = env_bool("DEMO")
PRODUCTION = env("ENV", "development").strip().lower() == "production"
if PRODUCTION and DEMO_MODE:
    raise ImproperlyConfigured("生产环境（QICHA_ENV=production）不能开启演示模式（QICHA_DEMO）。请去掉 QICHA_DEMO 后再启动。")
if PRODUCTION and not env("SECRET_KEY"):
    raise ImproperlyConfigured("生产环境须设置 QICHA_SECRET_KEY。")
if PRODUCTION and DEBUG:
    raise ImproperlyConfigured("生产环境（QICHA_ENV=production）不能开启调试模式（QICHA_DEBUG）：调试页会泄露配置与数据。请去掉 QICHA_DEBUG 后再启动。")
# Django's own deploy check asks for 50+ characters with 5+ distinct ones; a key copied from docs or examples is
# as good as public.
WEAK_SECRET_KEYS = {"change-me", "changeme", "secret", "qicha", "please-change-this-secret-key"}
if PRODUCTION and (len(SECRET_KEY) < 50 or len(set(SECRET_KEY)) < 5 or SECRET_KEY.startswith("django-insecure")
                   or SECRET_KEY.strip().lower() in WEAK_SECRET_KEYS or "example" in SECRET_KEY.lower()):
    raise ImproperlyConfigured(
        "生产环境的 QICHA_SECRET_KEY 太短或是示例值：须为至少 50 个字符的随机串，"
        "可用 python -c \"import secrets; print(secrets.token_urlsafe(50))\" 生成。")
# In production the key file must already exist: a missing one means encrypted data could not be read.
KEYS_MUST_EXIST = PRODUCTION
ALLOWED_HOSTS = [h.strip() for h in env("ALLOWED_HOSTS", "127.0.0.1,localhost").split(",") if h.strip()]
CSRF_TRUSTED_ORIGINS = [o.strip() for o in env("CSRF_TRUSTED_ORIGINS").split(",") if o.strip()]

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
    "csp",
    "django_htmx",
    "ninja",
    "treebeard",
    "qicha.core",
    "qicha.orgs",
    "qicha.campaigns",
    "qicha.problems",
    "qicha.clues",
    "qicha.supervision",
    "qicha.jobs",
    "qicha.ledgers",
    "qicha.screening",
    "qicha.reporting",
    "qicha.documents",
    "qicha.cockpit",
    "qicha.vetting",
    "qicha.notify",
    "qicha.api",
    "huey.contrib.djhuey",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "qicha.core.middleware.SessionRenewalMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django_otp.middleware.OTPMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "csp.middleware.CSPMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "qicha.core.middleware.RequestContextMiddleware",
    "qicha.core.middleware.NoStoreMiddleware",
    "qicha.orgs.middleware.PasswordChangeRequiredMiddleware",
    # Axes last, as its documentation asks, so it sees the final response of a login attempt.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "qicha.urls"
WSGI_APPLICATION = "qicha.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [PACKAGE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "qicha.core.context_processors.shell",
                "qicha.notify.context_processors.unread_notifications",
            ],
        },
    },
]

DATABASES = {
    "default": dj_database_url.parse(
        env("DATABASE_URL") or f"sqlite:///{VAR_DIR / 'qicha.sqlite3'}",
        # Reuse connections between requests (PostgreSQL's connect costs several ms each time).
        conn_max_age=env_int("DB_CONN_MAX_AGE", 60),
        conn_health_checks=True,
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # WAL lets readers work while a writer commits; IMMEDIATE avoids lock upgrades failing under load.
    DATABASES["default"]["OPTIONS"] = {
        "transaction_mode": "IMMEDIATE",
        "timeout": 20,
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; PRAGMA foreign_keys=ON;",
    }
    for _suffix in ("", "-wal", "-shm"):
        _owner_only(Path(f"{DATABASES['default']['NAME']}{_suffix}"), 0o600)
# Rows per imported ledger file: a sanity bound, not a speed limit. Rows are written by bulk inserts in one
# transaction (100,000 rows in well under a minute, bench/problem_import.py), and checking streams them.
IMPORT_MAX_ROWS = env_int("IMPORT_MAX_ROWS", 200_000)
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_USER_MODEL = "orgs.User"
AUTHENTICATION_BACKENDS = [
    # Axes first: it refuses a locked-out username before the password is even checked.
    "axes.backends.AxesStandaloneBackend",
    "qicha.orgs.backends.QichaModelBackend",
]
PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "qicha.orgs.password_rules.MinimumLengthValidator", "OPTIONS": {"min_length": 8}},
    {"NAME": "qicha.orgs.password_rules.CharacterClassValidator", "OPTIONS": {"min_classes": 3}},
    {"NAME": "qicha.orgs.password_rules.NotContainingUsernameValidator"},
    {"NAME": "qicha.orgs.password_rules.CommonPasswordValidator"},
    {"NAME": "qicha.orgs.password_rules.PasswordHistoryValidator", "OPTIONS": {"count": env_int("PASSWORD_HISTORY", 5)}},
]
PASSWORD_HISTORY_KEEP = 10
# A password reset's activation code (two halves, 系统管理员 + 安全管理员) expires after this many hours.
PASSWORD_RESET_HOURS = env_int("PASSWORD_RESET_HOURS", 72)
PASSWORD_MAX_AGE_DAYS = env_int("PASSWORD_MAX_AGE_DAYS", 90)
INACTIVE_ACCOUNT_DAYS = env_int("INACTIVE_ACCOUNT_DAYS", 90)
OTP_TOTP_ISSUER = "qicha 七查七摆"
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "login"

# Lockout by username (not IP: staff share NAT addresses on the intranet).
AXES_FAILURE_LIMIT = env_int("LOCKOUT_FAILURES", 5)
AXES_COOLOFF_TIME = timedelta(minutes=env_int("LOCKOUT_MINUTES", 30))
AXES_LOCKOUT_PARAMETERS = ["username"]
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_CALLABLE = "qicha.orgs.auth_views.lockout_response"
AXES_VERBOSE = False
AXES_ENABLE_ACCESS_FAILURE_LOG = True
# Lockout is by username on purpose (the 等保 rule is per account); axes warns that IP is not part of it.
SILENCED_SYSTEM_CHECKS = ["axes.W006"]
# HSTS preload is a list browsers ship for public domains; an intranet name cannot be on it, so the header would
# promise nothing.
SILENCED_SYSTEM_CHECKS += ["security.W021"]

# Server-side idle timeout: the session row expires N minutes after the last request (renewed at most once a minute
# by core.middleware.SessionRenewalMiddleware, so it may end up to a minute early, never late).
IDLE_TIMEOUT_MINUTES = env_int("IDLE_TIMEOUT_MINUTES", 30)
SESSION_COOKIE_AGE = IDLE_TIMEOUT_MINUTES * 60
SESSION_SAVE_EVERY_REQUEST = False
SESSION_EXPIRE_AT_BROWSER_CLOSE = True
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
SESSION_COOKIE_NAME = "qicha_session"
CSRF_COOKIE_NAME = "qicha_csrftoken"

API_TOKEN_HOURS = env_int("API_TOKEN_HOURS", 8)
# 越权访问尝试 (a 404 for a record outside the caller's scope) recorded one by one up to this many per user a minute.
PROBE_AUDIT_PER_MINUTE = env_int("PROBE_AUDIT_PER_MINUTE", 20)
# A registrant whose clues matched this many clues they may not see within an hour is paused (a probe).
CLUE_HIDDEN_MATCHES_PER_HOUR = env_int("CLUE_HIDDEN_MATCHES_PER_HOUR", 10)
AUDIT_RETENTION_DAYS = max(180, env_int("AUDIT_RETENTION_DAYS", 180))  # 等保: at least six months

# Served over TLS (terminated at the gateway, which passes X-Forwarded-Proto): secure cookies, HSTS and a redirect to
# https. Production always runs this way. QICHA_BEHIND_TLS_GATEWAY=1 says the gateway itself sends HSTS and redirects
# plain http; then Django leaves those two to it (cookies stay Secure) and `check --deploy` says so (qicha.I001).
BEHIND_TLS_GATEWAY = env_bool("BEHIND_TLS_GATEWAY")
HTTPS = env_bool("HTTPS", PRODUCTION) or BEHIND_TLS_GATEWAY
if PRODUCTION and not HTTPS:
    raise ImproperlyConfigured(
        "生产环境须经 HTTPS 访问：去掉 QICHA_HTTPS=0；如由国密网关负责 HSTS 与跳转，设置 QICHA_BEHIND_TLS_GATEWAY=1。")
SESSION_COOKIE_SECURE = HTTPS
CSRF_COOKIE_SECURE = HTTPS
SECURE_HSTS_SECONDS = 31536000 if HTTPS and not BEHIND_TLS_GATEWAY else 0
SECURE_HSTS_INCLUDE_SUBDOMAINS = env_bool("HSTS_INCLUDE_SUBDOMAINS", True)
SECURE_SSL_REDIRECT = HTTPS and not BEHIND_TLS_GATEWAY
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https") if HTTPS else None
if BEHIND_TLS_GATEWAY:
    # Django's warnings about HSTS and the redirect are replaced by qicha.I001, which says who does them.
    SILENCED_SYSTEM_CHECKS += ["security.W004", "security.W008"]
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"

# No inline scripts anywhere: every behaviour lives in static/qicha/app.js.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'"],  # no inline style attributes either: sizes are classes in app.css
        "img-src": ["'self'", "data:"],
        "font-src": ["'self'", "data:"],
        "connect-src": ["'self'"],
        "frame-ancestors": ["'none'"],
        "form-action": ["'self'"],
        "base-uri": ["'self'"],
        "object-src": ["'none'"],
    }
}

LANGUAGE_CODE = "zh-hans"
LANGUAGES = [("zh-hans", "简体中文")]
TIME_ZONE = "Asia/Shanghai"
USE_I18N = True
USE_TZ = True
FIRST_DAY_OF_WEEK = 1

STATIC_URL = "/static/"
# Production collects the static files where nginx serves them (deploy/nginx/qicha.conf): outside var/, which only
# the service account may read. They are the public front end (scripts, styles, fonts), so they are world-readable.
STATIC_ROOT = Path(env("STATIC_ROOT", str(VAR_DIR / "static"))).resolve()
with contextlib.suppress(PermissionError):  # an operator-made directory; collectstatic says if it cannot write
    STATIC_ROOT.mkdir(parents=True, exist_ok=True)
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage",
        "OPTIONS": {"file_permissions_mode": 0o644, "directory_permissions_mode": 0o755},
    },
}
STATICFILES_DIRS = [PACKAGE_DIR / "static"]
WHITENOISE_USE_FINDERS = True
MEDIA_ROOT = VAR_DIR / "files"
ATTACHMENT_MAX_MB = env_int("ATTACHMENT_MAX_MB", 20)
FILE_UPLOAD_MAX_MEMORY_SIZE = 2 * 1024 * 1024
FILE_UPLOAD_PERMISSIONS = 0o600
FILE_UPLOAD_DIRECTORY_PERMISSIONS = 0o700
# A result file that shows identities in clear (a clue export with reporters revealed) is deleted once downloaded,
# or after this many hours if nobody downloads it (other results are kept 7 days).
REVEALED_EXPORT_TTL_HOURS = env_int("REVEALED_EXPORT_TTL_HOURS", 24)

DATA_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"plain": {"format": "%(asctime)s %(levelname)s %(name)s %(message)s"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "plain"}},
    "root": {"handlers": ["console"], "level": env("LOG_LEVEL", "INFO")},
    "loggers": {
        # Axes logs usernames of failed attempts at WARNING; the audit log keeps them instead.
        "axes": {"level": "ERROR"},
        "django.request": {"level": "ERROR"},
    },
}

# Background jobs (imports, exports, documents, reminders). Embedded default: a SQLite queue file under var/ and
# worker threads started by `serve`. Production: QICHA_REDIS_URL and a separate `python -m qicha run_huey`.
REDIS_URL = env("REDIS_URL")
EMBEDDED_WORKER = env_bool("EMBEDDED_WORKER", not REDIS_URL)
HUEY = {
    "name": "qicha",
    "immediate": env_bool("JOBS_IMMEDIATE"),
    "utc": False,  # periodic tasks (reminders at 08:30) follow Beijing time
    "consumer": {"workers": env_int("WORKERS", 2), "worker_type": "thread", "check_worker_health": True},
}
# A running job's worker renews the job's lease this often; a lease this old means the worker is gone (kill -9, OOM)
# and the job is failed, visibly, by the periodic sweep or when its page is looked at (qicha.jobs.services).
JOB_HEARTBEAT_SECONDS = env_int("JOB_HEARTBEAT_SECONDS", 10)
JOB_LEASE_SECONDS = env_int("JOB_LEASE_SECONDS", 90)
if REDIS_URL:
    HUEY |= {"huey_class": "huey.RedisHuey", "url": REDIS_URL}
else:
    HUEY |= {"huey_class": "huey.SqliteHuey", "filename": str(VAR_DIR / "jobs.sqlite3")}
# With Redis, the cache is shared by every web worker process (the per-user probe counters must be); without it,
# each process keeps its own in memory. Sessions stay in the database either way (the idle timeout lives there).
# A Redis outage must not take pages down: the cache answers "nothing cached" and logs (core.cache).
if REDIS_URL:
    CACHES = {
        "default": {
            "BACKEND": "qicha.core.cache.TolerantRedisCache",
            "LOCATION": REDIS_URL,
            "KEY_PREFIX": "qicha-cache",
            "OPTIONS": {"socket_connect_timeout": 1, "socket_timeout": 1},
        }
    }
# /healthz (core.health): the worker's heartbeat may be this old, the data directory's disk this full.
WORKER_HEARTBEAT_MAX_SECONDS = env_int("WORKER_HEARTBEAT_MAX_SECONDS", 180)
HEALTH_MIN_FREE_MB = env_int("HEALTH_MIN_FREE_MB", 1024)
# The monitor asks the web server directly over plain http on loopback; everything else is redirected to https.
SECURE_REDIRECT_EXEMPT = [r"^healthz$"]

# Reminders (R-NTF-2): days before the monthly report due day when units that have not reported are reminded
# (and again on the day itself), and the time of the daily run.
REMINDER_DAYS_BEFORE = [int(d) for d in env("REMINDER_DAYS_BEFORE", "3,1").split(",") if d.strip()]
# Days before a problem's 整改时限 or a clue's 办理时限 when its owner is reminded (and again on the day itself).
DEADLINE_REMINDER_DAYS_BEFORE = [
    int(d) for d in env("DEADLINE_REMINDER_DAYS_BEFORE", "7,3,1").split(",") if d.strip()
]
REMINDER_HOUR = env_int("REMINDER_HOUR", 8)

# E-mail for reminders is optional: with no QICHA_EMAIL_HOST, reminders stay in-app only.
EMAIL_HOST = env("EMAIL_HOST")
EMAIL_PORT = env_int("EMAIL_PORT", 25)
EMAIL_HOST_USER = env("EMAIL_USER")
EMAIL_HOST_PASSWORD = env("EMAIL_PASSWORD")
EMAIL_USE_TLS = env_bool("EMAIL_TLS")
DEFAULT_FROM_EMAIL = env("EMAIL_FROM", "qicha@localhost")
EMAIL_ENABLED = bool(EMAIL_HOST)
# An intranet messaging bot (企业微信/钉钉-style webhook) that also receives reminders; empty = none.
WEBHOOK_URL = env("WEBHOOK_URL")
# The address users open qicha at, to make links in e-mails and bot messages absolute (e.g. https://qicha.example.gov.cn).
BASE_URL = env("BASE_URL")

# 数据比对: the engine (duckdb embedded, or spark with QICHA_SPARK_MASTER), and whether imported register files are
# kept after the run that reads them (default: deleted, only the hits are kept; negative lists stay as digests).
SCREENING_ENGINE = env("SCREENING_ENGINE", "duckdb")
SCREENING_KEEP_REGISTERS = env_bool("SCREENING_KEEP_REGISTERS", False)
SCREENING_MAX_UPLOAD_MB = env_int("SCREENING_MAX_UPLOAD_MB", 2048)
