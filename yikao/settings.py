"""Django settings, read from the environment.

Development needs no configuration at all: `make run` keeps an SQLite database and
generated secrets under var/. Production sets YIKAO_ENV=production and provides
SECRET_KEY, FIELD_ENCRYPTION_KEYS, FIELD_HASH_KEY, DATABASE_URL, REDIS_URL and
ALLOWED_HOSTS (see docs/deployment.md).
"""

import os
from pathlib import Path

import dj_database_url

from yikao.core.secrets import load_or_create_secret
from yikao.core.storage import default_storage_config

BASE_DIR = Path(__file__).resolve().parent.parent
VAR_DIR = Path(os.environ.get("YIKAO_VAR_DIR", BASE_DIR / "var"))


def env_bool(name: str, default: bool = False) -> bool:
    value = os.environ.get(name)
    if value is None:
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def env_list(name: str, default: str = "") -> list[str]:
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


PRODUCTION = os.environ.get("YIKAO_ENV", "development") == "production"
DEBUG = env_bool("DEBUG", default=False)

if PRODUCTION:
    SECRET_KEY = os.environ["SECRET_KEY"]
else:
    SECRET_KEY = os.environ.get("SECRET_KEY") or load_or_create_secret(VAR_DIR, "secret_key", 50)

# Personal-data encryption (yikao.core.crypto). FIELD_ENCRYPTION_KEYS is
# "kid:base64key,kid:base64key", the first one encrypts, all of them decrypt.
if PRODUCTION:
    FIELD_ENCRYPTION_KEYS = os.environ["FIELD_ENCRYPTION_KEYS"]
    FIELD_HASH_KEY = os.environ["FIELD_HASH_KEY"]
else:
    FIELD_ENCRYPTION_KEYS = os.environ.get("FIELD_ENCRYPTION_KEYS") or (
        "dev1:" + load_or_create_secret(VAR_DIR, "field_key", 32, urlsafe_b64=True)
    )
    FIELD_HASH_KEY = os.environ.get("FIELD_HASH_KEY") or load_or_create_secret(
        VAR_DIR, "hash_key", 32, urlsafe_b64=True
    )
# HMAC key of the photo mark (yikao.photos.mark); the command falls back to SECRET_KEY too.
PHOTO_MARK_KEY = os.environ.get("PHOTO_MARK_KEY") or SECRET_KEY

ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", "127.0.0.1,localhost")
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.forms",
    "axes",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "yikao.core",
    "yikao.accounts",
    "yikao.profiles",
    "yikao.directory",
    "yikao.exams",
    "yikao.registrations",
    "yikao.photos",
    "yikao.eligibility_web",
    "yikao.staff",
    "yikao.review",
    "yikao.appointments",
    "yikao.inbox",
    "yikao.payments",
    "yikao.seating",
    "yikao.portal",
    "yikao.ops",
    "yikao.documents",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "yikao.core.middleware.RequestIdMiddleware",
    "yikao.core.middleware.SecurityHeadersMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "yikao.accounts.middleware.MustChangePasswordMiddleware",
    "django_otp.middleware.OTPMiddleware",
    "yikao.core.middleware.IdleTimeoutMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "yikao.urls"
WSGI_APPLICATION = "yikao.wsgi.application"
FORM_RENDERER = "yikao.core.forms.FormRenderer"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "yikao" / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "yikao.core.context_processors.navigation",
            ],
        },
    },
]

# --- Database -------------------------------------------------------------------------
DATABASE_URL = os.environ.get("DATABASE_URL") or f"sqlite:///{VAR_DIR / 'yikao.sqlite3'}"
DATABASES = {
    "default": dj_database_url.parse(DATABASE_URL, conn_max_age=60, conn_health_checks=True)
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    DATABASES["default"]["OPTIONS"] = {
        # IMMEDIATE takes the write lock at BEGIN, so "lock, re-count, insert" is atomic.
        "transaction_mode": "IMMEDIATE",
        "timeout": 20,
        "init_command": (
            "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; PRAGMA foreign_keys=ON;"
            " PRAGMA busy_timeout=20000;"
        ),
    }
    DATABASES["default"]["CONN_MAX_AGE"] = 0 if not PRODUCTION else 60
    DATABASES["default"]["TEST"] = {"NAME": str(VAR_DIR / f"test_yikao_{os.getpid()}.sqlite3")}
else:
    DATABASES["default"]["TEST"] = {"NAME": f"test_yikao_{os.getpid()}"}
# Test databases are per process (a file, not shared-cache memory, on SQLite, since the
# concurrency tests need real locks), so parallel test runs never share one.
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# --- Cache and sessions -----------------------------------------------------------------
REDIS_URL = os.environ.get("REDIS_URL")
if REDIS_URL:
    CACHES = {
        "default": {
            "BACKEND": "django_redis.cache.RedisCache",
            "LOCATION": REDIS_URL,
            "KEY_PREFIX": "yikao",
        }
    }
    SESSION_ENGINE = "django.contrib.sessions.backends.cache"
else:
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.db.DatabaseCache",
            "LOCATION": "yikao_cache",
        }
    }
    SESSION_ENGINE = "yikao.core.sessions"

SESSION_COOKIE_AGE = 30 * 60
IDLE_TIMEOUT_SECONDS = 30 * 60
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_HTTPONLY = True

# --- Authentication -----------------------------------------------------------------------
AUTH_USER_MODEL = "accounts.User"
# Usernames are unique case-insensitively (a functional constraint Django cannot see).
SILENCED_SYSTEM_CHECKS = ["auth.W004"]
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "yikao.accounts.backends.UsernameOrIdNumberBackend",
]
# Argon2id first; old hashes (PBKDF2) still verify and are upgraded at the next login.
# Argon2 hashes running at once per server process (yikao/accounts/hashers.py): about the
# cores a process can use; each running hash holds 19 MiB.
ARGON2_CONCURRENCY = int(os.environ.get("ARGON2_CONCURRENCY", "2"))
# One hasher per algorithm name: Django picks the verifier by name ("argon2"), and a
# second argon2 entry (Django's own) would verify every login outside Yikao's hasher and
# its concurrency limit. Yikao's verifies hashes of any argon2 parameters (they are in the
# hash) and upgrades them at the next login.
PASSWORD_HASHERS = [
    "yikao.accounts.hashers.YikaoArgon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "yikao.accounts.validators.LettersAndDigitsPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
]
LOGIN_URL = "accounts:login"
CSRF_FAILURE_VIEW = "yikao.core.views.csrf_failure"
LOGIN_REDIRECT_URL = "portal:home"
LOGOUT_REDIRECT_URL = "portal:home"

AXES_FAILURE_LIMIT = 5
AXES_COOLOFF_TIME = 0.5  # hours
AXES_LOCKOUT_PARAMETERS = ["username", "ip_address"]
# A successful login lifts only its own account's failures (lockout.AccountLockoutHandler),
# never those of its address; the rows keep no request parameters (lockout.py).
AXES_RESET_ON_SUCCESS = True
AXES_HANDLER = "yikao.accounts.lockout.AccountLockoutHandler"
AXES_USERNAME_CALLABLE = "yikao.accounts.lockout.lockout_key"
AXES_LOCKOUT_CALLABLE = "yikao.portal.lockout.lockout_response"
AXES_ENABLE_ACCESS_FAILURE_LOG = False
AXES_VERBOSE = False
# Trusted proxies in front of the app servers (the load balancer): rate limits, audit rows
# and axes take the client's address from X-Forwarded-For, that many hops from the right
# (core.ratelimit.client_ip, which axes calls too).
PROXY_COUNT = int(os.environ.get("PROXY_COUNT", "0"))
AXES_CLIENT_IP_CALLABLE = "yikao.accounts.lockout.client_ip_address"
AXES_SENSITIVE_PARAMETERS = ["password", "username", "otp_token", "csrfmiddlewaretoken"]
# The admin never shows TOTP secrets.
OTP_ADMIN_HIDE_SENSITIVE_DATA = True

# --- E-mail -------------------------------------------------------------------------------
EMAIL_BACKEND = os.environ.get("EMAIL_BACKEND", "django.core.mail.backends.filebased.EmailBackend")
EMAIL_FILE_PATH = VAR_DIR / "mail"

# Payments (docs/payments.md): the gateway reads YIKAO_PAY_* itself; this is the public
# address the platform calls back (notify_url, return_url) when the request's host is not.
PAY_CALLBACK_BASE = os.environ.get("YIKAO_PAY_CALLBACK_BASE", "")
DEFAULT_FROM_EMAIL = os.environ.get("DEFAULT_FROM_EMAIL", "noreply@yikao.local")

# --- Internationalisation -----------------------------------------------------------------
LANGUAGE_CODE = "zh-hans"
LANGUAGES = [("zh-hans", "简体中文")]
TIME_ZONE = "Asia/Shanghai"
USE_I18N = True
USE_TZ = True

# --- Static files ---------------------------------------------------------------------------
STATIC_URL = "/static/"
STATIC_ROOT = VAR_DIR / "static"
STATICFILES_DIRS = [BASE_DIR / "yikao" / "static"]
STORAGES = {
    "default": default_storage_config(os.environ),  # var/media, or S3 when S3_BUCKET is set
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
}
MEDIA_ROOT = VAR_DIR / "media"
MEDIA_URL = "/media/"
DATA_UPLOAD_MAX_MEMORY_SIZE = 2 * 1024 * 1024
FILE_UPLOAD_MAX_MEMORY_SIZE = 2 * 1024 * 1024
DATA_UPLOAD_MAX_NUMBER_FIELDS = 400

# --- Security headers ----------------------------------------------------------------------
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
CONTENT_SECURITY_POLICY = (
    "default-src 'self'; img-src 'self' data: blob:; style-src 'self'; script-src 'self'; "
    "form-action 'self'; frame-ancestors 'none'; base-uri 'self'; object-src 'none'"
)
HTTPS = env_bool("HTTPS", default=PRODUCTION)
if HTTPS:
    SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", default=True)
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    SECURE_HSTS_SECONDS = 31536000
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = True

# --- Logging: personal data never reaches the logs (yikao.core.logging) ---------------------
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {
        "request_id": {"()": "yikao.core.logging.RequestIdFilter"},
        "redact": {"()": "yikao.core.logging.RedactPersonalDataFilter"},
    },
    "formatters": {
        "plain": {"format": "%(asctime)s %(levelname)s %(name)s [%(request_id)s] %(message)s"},
    },
    "handlers": {
        "console": {
            "class": "logging.StreamHandler",
            "filters": ["request_id", "redact"],
            "formatter": "plain",
        },
    },
    "root": {"handlers": ["console"], "level": os.environ.get("LOG_LEVEL", "INFO")},
    "loggers": {
        "django.db.backends": {"level": "INFO"},
        # django-axes writes four INFO lines per successful login; lockouts are WARNING.
        "axes": {"level": os.environ.get("AXES_LOG_LEVEL", "WARNING")},
    },
}
