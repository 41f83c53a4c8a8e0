"""Production settings: DJANGO_SETTINGS_MODULE=config.production.

Everything that differs between servers comes from the environment, and a
missing secret, host list or database stops the process at start-up instead of
serving with a development default. The README's "Production" section lists
the variables.
"""
import os

from django.core.exceptions import ImproperlyConfigured


def _required(name, example):
    value = os.environ.get(name, "").strip()
    if not value:
        raise ImproperlyConfigured(
            f"{name} must be set in the environment for config.production (for example {name}={example})."
        )
    return value


def _flag(name, default):
    return os.environ.get(name, "1" if default else "0").strip().lower() in {"1", "true", "yes", "on"}


def _list(value):
    return [item.strip() for item in value.split(",") if item.strip()]


# Read before the base settings, which would otherwise write a development key to var/.
_secret_key = _required("SECRET_KEY", "<50 random characters>")
_allowed_hosts = _list(_required("ALLOWED_HOSTS", "xeploai.example.vn"))

from .settings import *
from .settings import DATABASES, VAR_DIR

DEBUG = False
SECRET_KEY = _secret_key
ALLOWED_HOSTS = _allowed_hosts
CSRF_TRUSTED_ORIGINS = _list(os.environ.get("CSRF_TRUSTED_ORIGINS", ""))

if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3" and not _flag("ALLOW_SQLITE", False):
    raise ImproperlyConfigured(
        "config.production needs PostgreSQL: set DATABASE_URL=postgres://user:password@host:5432/name "
        "(or ALLOW_SQLITE=1 to run on SQLite on purpose)."
    )
DATABASES["default"]["CONN_MAX_AGE"] = int(os.environ.get("CONN_MAX_AGE", "60"))
DATABASES["default"]["CONN_HEALTH_CHECKS"] = True

# Behind a proxy that terminates TLS, the proxy redirects to https and must set
# X-Forwarded-Proto itself (never pass the client's own through).
BEHIND_TLS_PROXY = _flag("BEHIND_TLS_PROXY", False)
if BEHIND_TLS_PROXY:
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    # Login throttling counts the client, whose address the proxy sets in X-Real-IP; the header is
    # believed only from the proxy's own addresses (TRUSTED_PROXIES, comma-separated, networks allowed).
    AXES_CLIENT_IP_CALLABLE = "ratings.middleware.proxied_client_address"
    TRUSTED_PROXIES = _list(os.environ.get("TRUSTED_PROXIES", "127.0.0.1,::1"))
SECURE_SSL_REDIRECT = _flag("SECURE_SSL_REDIRECT", not BEHIND_TLS_PROXY)
SESSION_COOKIE_SECURE = True
CSRF_COOKIE_SECURE = True
# Start a new host with SECURE_HSTS_SECONDS=3600 and raise it once https is known to work everywhere.
SECURE_HSTS_SECONDS = int(os.environ.get("SECURE_HSTS_SECONDS", str(365 * 24 * 3600)))
SECURE_HSTS_INCLUDE_SUBDOMAINS = _flag("SECURE_HSTS_INCLUDE_SUBDOMAINS", True)
SECURE_HSTS_PRELOAD = _flag("SECURE_HSTS_PRELOAD", False)
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"

SILENCED_SYSTEM_CHECKS = []
if not SECURE_HSTS_PRELOAD:
    # Preloading commits the whole registrable domain, which the department does not own.
    SILENCED_SYSTEM_CHECKS.append("security.W021")
if BEHIND_TLS_PROXY and not SECURE_SSL_REDIRECT:
    # The proxy answers plain http with its own redirect.
    SILENCED_SYSTEM_CHECKS.append("security.W008")

STATIC_ROOT = os.environ.get("STATIC_ROOT") or str(VAR_DIR / "static")
WHITENOISE_USE_FINDERS = False
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
}

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"plain": {"format": "{asctime} {levelname} {name}: {message}", "style": "{"}},
    "handlers": {"stderr": {"class": "logging.StreamHandler", "formatter": "plain"}},
    "root": {"handlers": ["stderr"], "level": os.environ.get("LOG_LEVEL", "INFO")},
    "loggers": {
        "django": {"handlers": ["stderr"], "level": os.environ.get("LOG_LEVEL", "INFO"), "propagate": False},
    },
}
