"""Settings for the ratings tracker.

Development defaults: SQLite in var/, a per-machine secret key. DATABASE_URL
switches to PostgreSQL. DEBUG is off unless DEBUG=1 is set (`make run` sets it),
and a server started without DJANGO_SETTINGS_MODULE gets config.production.
"""
import os
import secrets
from datetime import timedelta
from pathlib import Path

import dj_database_url
from csp.constants import NONE, SELF
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _

BASE_DIR = Path(__file__).resolve().parent.parent
VAR_DIR = Path(os.environ.get("RATINGS_VAR_DIR", BASE_DIR / "var"))
SHARED_DIR = Path(os.environ.get("RATINGS_SHARED_DIR", BASE_DIR.parent / "shared"))

def _dev_secret_key():
    """A key kept per checkout, so sessions survive restarts without a key in git."""
    path = VAR_DIR / "secret_key"
    if not path.exists():
        VAR_DIR.mkdir(parents=True, exist_ok=True)
        path.write_text(secrets.token_urlsafe(50))
    return path.read_text().strip()

SECRET_KEY = os.environ.get("SECRET_KEY") or _dev_secret_key()
DEBUG = os.environ.get("DEBUG", "0") == "1"
ALLOWED_HOSTS = os.environ.get("ALLOWED_HOSTS", "127.0.0.1,localhost,testserver").split(",")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "django_filters",
    "django_tables2",
    "simple_history",
    "axes",
    "django_tasks",
    "django_tasks_db",
    "ratings",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "ratings.middleware.JunkParametersMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "ratings.middleware.ChosenLanguageMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "csp.middleware.CSPMiddleware",
    "simple_history.middleware.HistoryRequestMiddleware",
    # Last, as django-axes asks: it turns a flagged login attempt into the lockout page.
    "axes.middleware.AxesMiddleware",
]

# The axes backend goes first so a locked-out username+address never reaches the password check.
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesBackend",
    "django.contrib.auth.backends.ModelBackend",
]

ROOT_URLCONF = "config.urls"

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
                "ratings.context_processors.data_version",
            ],
        },
    },
]

WSGI_APPLICATION = "config.wsgi.application"



def _database():
    """DATABASE_URL, or SQLite in var/ when it is not set; a blank or unreadable value stops the start."""
    url = os.environ.get("DATABASE_URL")
    if url is None:
        url = f"sqlite:///{VAR_DIR / 'db.sqlite3'}"
    elif not url.strip():
        raise ImproperlyConfigured(
            "DATABASE_URL is set but empty: unset it to use SQLite in var/, "
            "or set it to postgres://user:password@host:5432/name."
        )
    try:
        database = dj_database_url.parse(url.strip(), conn_max_age=int(os.environ.get("CONN_MAX_AGE", "0")))
    except ValueError as error:
        raise ImproperlyConfigured(f"DATABASE_URL cannot be read ({error}); expected postgres://user:password@host:5432/name.") from error
    if not database.get("ENGINE"):
        raise ImproperlyConfigured("DATABASE_URL names no database engine; expected postgres://user:password@host:5432/name.")
    return database


DATABASES = {"default": _database()}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # Writers queue for the lock from BEGIN instead of failing on upgrade, so two
    # concurrent saves of one rating end as one save and one version conflict.
    DATABASES["default"].setdefault("OPTIONS", {}).update({"transaction_mode": "IMMEDIATE", "timeout": 20})
    # On a file, like the real one: the in-memory test database shares one cache between
    # connections, whose table locks ignore the timeout and fail parallel tests at once.
    DATABASES["default"].setdefault("TEST", {}).setdefault("NAME", str(VAR_DIR / "test.sqlite3"))
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

LANGUAGE_CODE = "vi"
LANGUAGES = [("vi", _("Tiếng Việt")), ("en", _("English"))]
LOCALE_PATHS = [BASE_DIR / "ratings" / "locale"]
FORMAT_MODULE_PATH = ["config.formats"]
USE_I18N = True
USE_THOUSAND_SEPARATOR = True
TIME_ZONE = "Asia/Ho_Chi_Minh"
USE_TZ = True

STATIC_URL = "static/"
STATIC_ROOT = VAR_DIR / "static"
STATIC_ROOT.mkdir(parents=True, exist_ok=True)
WHITENOISE_USE_FINDERS = True  # development serves static files straight from the apps
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedStaticFilesStorage"},
}

# Each process keeps the counts it computed; their keys carry the data version, so an edit anywhere
# is seen by every process at its next request, with no shared cache server to run.
CACHES = {
    "default": {
        "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
        "LOCATION": "ratings",
        "TIMEOUT": 3600,
        "OPTIONS": {"MAX_ENTRIES": 2000},
    }
}

LOGIN_URL = "login"
LOGOUT_REDIRECT_URL = "login"
LOGIN_REDIRECT_URL = "/"

# Scripts, styles, images and fonts come from this site only: no inline script or style attribute
# runs, so text that slipped past escaping still cannot act. Level colours come from /levels.css.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF],
        "style-src": [SELF],
        "img-src": [SELF, "data:"],
        "font-src": [SELF],
        "connect-src": [SELF],
        "object-src": [NONE],
        "base-uri": [SELF],
        "form-action": [SELF],
        "frame-ancestors": [NONE],
    }
}

# Login throttling: five wrong passwords for one username from one address lock that pair for 15 minutes.
AXES_FAILURE_LIMIT = 5
AXES_COOLOFF_TIME = timedelta(minutes=15)
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_TEMPLATE = "axes/lockout.html"
# Addresses (or networks) of the TLS proxy whose X-Real-IP header is believed (config.production).
TRUSTED_PROXIES = ["127.0.0.1", "::1"]

# A pasted article may be as large as an uploaded one (5 MB, forms.MAX_ARTICLE_BYTES), form-encoded;
# Django's default of 2.5 MB would refuse it with a bare 400 before the form could say why.
DATA_UPLOAD_MAX_MEMORY_SIZE = 6 * 1024 * 1024

# Uploads waiting between preview and confirmation (ratings.services.uploads; purge_uploads hourly).
# A unit table larger than this is previewed and saved by background jobs (a province's ~4,000 units stay
# in the request; the country's tree does not).
UNIT_TABLE_JOB_BYTES = int(os.environ.get("UNIT_TABLE_JOB_BYTES", 1024 * 1024))
# A sheet of past years larger than this is previewed and saved by background jobs (about 2,000 units × 10 years).
HISTORY_JOB_BYTES = int(os.environ.get("HISTORY_JOB_BYTES", 256 * 1024))
UPLOADS_KEPT = {"PER_USER": 5, "TOTAL_BYTES": 200 * 1024 * 1024, "MAX_AGE": 6 * 3600}

# History is for reading; restoring an old version goes through the normal change form.
SIMPLE_HISTORY_REVERT_DISABLED = True

# Background jobs (Django's tasks framework). The database backend needs nothing more: `manage.py run`
# starts its worker beside the server. TASKS_BACKEND=rq moves the queue to Redis (REDIS_URL) for
# workers on several machines: `manage.py rqworker --job-class django_tasks_rq.Job default`.
TASKS_BACKEND = os.environ.get("TASKS_BACKEND", "db")
if TASKS_BACKEND == "rq":
    INSTALLED_APPS += ["django_rq", "django_tasks_rq"]
    TASKS = {"default": {"BACKEND": "django_tasks_rq.RQBackend", "QUEUES": ["default"]}}
    RQ_QUEUES = {
        "default": {"URL": os.environ.get("REDIS_URL", "redis://127.0.0.1:6379/0"), "DEFAULT_TIMEOUT": 3600},
    }
elif TASKS_BACKEND == "db":
    TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend", "QUEUES": ["default"]}}
else:
    raise ImproperlyConfigured(f"TASKS_BACKEND must be «db» or «rq», not «{TASKS_BACKEND}».")
# A job's file is kept this long after it is ready; a job silent this long while running was interrupted.
JOB_FILE_HOURS = int(os.environ.get("JOB_FILE_HOURS", "24"))
JOB_STALE_SECONDS = int(os.environ.get("JOB_STALE_SECONDS", "300"))
JOB_ATTEMPTS = 2
# A page's Excel report with more ratings than this is made by a job (about two seconds' work).
REPORT_IMMEDIATE_ROWS = int(os.environ.get("REPORT_IMMEDIATE_ROWS", "10000"))
