"""Settings for coach: one module, configured from the environment.

Environment variables (all optional except SECRET_KEY when DEBUG is off):

- ``DEBUG``: ``true``/``false`` (default false). ``make run`` turns it on.
- ``SECRET_KEY``: required to serve pages (gunicorn, ``runserver``) and for ``check --deploy``
  unless DEBUG is on; other ``manage.py`` commands (``paces``, ``migrate``, ``bench``...) run
  without one on a fixed local key, see ``local_command``.
- ``DATABASE_URL``: unset -> SQLite file ``db.sqlite3`` in the project folder;
  ``postgres://user:password@host:port/name`` -> PostgreSQL through psycopg 3;
  ``sqlite:////absolute/path.sqlite3`` -> another SQLite file (read by dj-database-url).
- ``DATABASE_PREPARED``: on PostgreSQL, server-side binding and prepared statements (default
  true); false behind a transaction-mode pooler (PgBouncer before 1.21).
- ``ALLOWED_HOSTS``: comma-separated host names (default: localhost names when DEBUG).
- ``CSRF_TRUSTED_ORIGINS``: comma-separated origins such as ``https://coach.example.org``.
- ``SECURE_SSL_REDIRECT``: redirect plain HTTP to HTTPS (default true when DEBUG is off).
- ``TRUSTED_PROXIES``: how many reverse proxies stand in front of the app (default 0). Login
  rate limiting then reads the client's address from their ``X-Forwarded-For``, see
  ``coach/accounts.py``; and ``X-Forwarded-Proto: https`` from the proxy is trusted to mean
  the request came in over HTTPS (with 0, nobody's ``X-Forwarded-Proto`` is believed).
- ``SECURE_HSTS_SECONDS`` (default a year) and ``SECURE_HSTS_PRELOAD`` (default false: ask
  browsers' preload lists to include the site only when set to true).
- ``EMAIL_HOST`` (and ``EMAIL_PORT``, ``EMAIL_HOST_USER``, ``EMAIL_HOST_PASSWORD``,
  ``EMAIL_USE_TLS``, ``DEFAULT_FROM_EMAIL``): send mail through SMTP; unset -> the console.
- ``SITE_URL``: the app's address for links in emails (default ``http://127.0.0.1:8000``).
- ``REDIS_URL``: ``redis://host:6379/0`` (``rediss://`` for TLS) -> Django's cache on Redis,
  shared by every app server (needs the ``redis`` package); unset -> each process's own memory.
- ``MEDIA_ROOT``: the folder for stored files (default ``media`` in the project folder).
- ``S3_BUCKET`` (and ``S3_ENDPOINT_URL``, ``S3_REGION``, ``S3_ACCESS_KEY_ID``,
  ``S3_SECRET_ACCESS_KEY``): store files in S3-compatible storage instead of ``MEDIA_ROOT``
  (needs ``django-storages[s3]``). See "Scale out" in the README.
"""

import importlib.util
import os
import sys
from collections.abc import Mapping
from pathlib import Path

import dj_database_url
from django.core.exceptions import ImproperlyConfigured

BASE_DIR = Path(__file__).resolve().parent.parent

_TRUE = {"1", "true", "yes", "on"}
_FALSE = {"0", "false", "no", "off", ""}


def env_bool(name: str, default: bool) -> bool:
    """Read a boolean; refuse values that are neither clearly true nor clearly false."""
    raw = os.environ.get(name)
    if raw is None:
        return default
    value = raw.strip().lower()
    if value in _TRUE:
        return True
    if value in _FALSE:
        return False
    raise ImproperlyConfigured(f"{name}={raw!r} is not a boolean (use true or false)")


def env_list(name: str, default: list[str]) -> list[str]:
    """Read a comma-separated list; empty items are refused rather than ignored."""
    raw = os.environ.get(name)
    if raw is None:
        return default
    items = [item.strip() for item in raw.split(",")]
    if any(not item for item in items):
        raise ImproperlyConfigured(f"{name}={raw!r} has an empty item")
    return items


def env_count(name: str, default: int) -> int:
    """Read a whole number of at least 0; refuse anything else."""
    raw = os.environ.get(name)
    if raw is None:
        return default
    value = raw.strip()
    if not value.isdecimal():
        raise ImproperlyConfigured(f"{name}={raw!r} is not a whole number (0, 1, 2...)")
    return int(value)


SERVING_COMMANDS = frozenset({"runserver", "testserver"})


def local_command(argv: list[str]) -> bool:
    """True for a ``manage.py`` command that serves no pages (``paces``, ``migrate``, ``bench``,
    ``shell``...): it may run without SECRET_KEY. ``runserver``, ``check --deploy``, and every
    other entry point (gunicorn and any WSGI or ASGI server) need a real key."""
    if not argv or Path(argv[0]).name != "manage.py":
        return False
    command = argv[1] if len(argv) > 1 else "help"
    return command not in SERVING_COMMANDS and "--deploy" not in argv


POSTGRESQL = "django.db.backends.postgresql"
SQLITE = "django.db.backends.sqlite3"


def database_from_url(url: str | None, prepared: bool = True) -> dict:
    """SQLite ``db.sqlite3`` in the project folder when no URL is given; otherwise the URL as
    dj-database-url reads it: PostgreSQL (psycopg 3) for ``postgres://`` (``postgresql://``,
    ``pgsql://``) URLs, another SQLite file for ``sqlite:////absolute/path.sqlite3`` (three
    slashes: a path relative to the working folder). Any other database is refused.
    ``prepared``: on PostgreSQL, bind parameters on the server and keep prepared statements
    (``DATABASE_PREPARED``)."""
    if not url:
        return {"ENGINE": SQLITE, "NAME": BASE_DIR / "db.sqlite3"}
    try:
        config = dj_database_url.parse(url)
    except ValueError as exc:  # dj-database-url's UnknownSchemeError
        raise ImproperlyConfigured(f"DATABASE_URL: {exc}") from None
    if config["ENGINE"] not in {POSTGRESQL, SQLITE}:
        scheme = url.partition("://")[0]
        raise ImproperlyConfigured(f"DATABASE_URL scheme {scheme!r} is not supported")
    if config["ENGINE"] == POSTGRESQL:
        config.update(CONN_MAX_AGE=60, CONN_HEALTH_CHECKS=True)
        # No JIT compilation: the pages' queries are short, but the correlated subqueries of
        # the coach's figures (sessions/training_load.py) look costly to the planner, which
        # then spent 80-1000 ms compiling a query that runs in 30 (docs/overview.md).
        config.setdefault("OPTIONS", {})["options"] = "-c jit=off"
        if prepared:
            # Server-side binding with psycopg's prepared statements: a statement run twice on
            # a connection is planned once, not on every request (docs/perf-calendar-load.md).
            # A transaction-mode pooler (PgBouncer before 1.21) cannot keep them:
            # DATABASE_PREPARED=false there.
            config["OPTIONS"].update(server_side_binding=True, prepare_threshold=2)
    return config


REDIS_CACHE = "django.core.cache.backends.redis.RedisCache"
LOCMEM_CACHE = "django.core.cache.backends.locmem.LocMemCache"
REDIS_SCHEMES = ("redis://", "rediss://", "unix://")


def installed(module: str) -> bool:
    """True when ``module`` can be imported (without importing it)."""
    return importlib.util.find_spec(module) is not None


def cache_from_url(url: str | None) -> dict:
    """Django's cache: each process's own memory when no URL is given (one app server);
    Redis, shared by every app server, for a ``redis://`` (``rediss://``, ``unix://``) URL.
    Django's Redis backend imports the ``redis`` package only when the cache is first used:
    a missing package is refused here, at start-up, with what to install."""
    if not url:
        return {"BACKEND": LOCMEM_CACHE}
    if not url.startswith(REDIS_SCHEMES):
        scheme = url.partition("://")[0]
        raise ImproperlyConfigured(f"REDIS_URL scheme {scheme!r} is not supported "
                                   "(use redis://, rediss:// or unix://)")
    if not installed("redis"):
        raise ImproperlyConfigured("REDIS_URL is set but the redis package is not installed "
                                   "(pip install redis)")
    return {"BACKEND": REDIS_CACHE, "LOCATION": url}


FILE_STORAGE = "django.core.files.storage.FileSystemStorage"
S3_STORAGE = "storages.backends.s3.S3Storage"


def file_storage(environ: Mapping[str, str], media_root: Path) -> dict:
    """Where stored files go: the folder ``media_root`` by default (shared between app servers
    only if it is a shared mount), or an S3-compatible bucket when ``S3_BUCKET`` is set,
    through django-storages (imported only then), its objects private and its links signed."""
    bucket = environ.get("S3_BUCKET", "").strip()
    if not bucket:
        return {"BACKEND": FILE_STORAGE, "OPTIONS": {"location": media_root}}
    if not installed("storages"):
        raise ImproperlyConfigured("S3_BUCKET is set but django-storages is not installed "
                                   "(pip install 'django-storages[s3]')")
    options = {"bucket_name": bucket, "default_acl": None, "querystring_auth": True,
               "file_overwrite": False}
    for variable, option in (("S3_ENDPOINT_URL", "endpoint_url"), ("S3_REGION", "region_name"),
                             ("S3_ACCESS_KEY_ID", "access_key"),
                             ("S3_SECRET_ACCESS_KEY", "secret_key")):
        if environ.get(variable):
            options[option] = environ[variable]
    return {"BACKEND": S3_STORAGE, "OPTIONS": options}


DEBUG = env_bool("DEBUG", False)
SECRET_KEY = os.environ.get("SECRET_KEY", "")
if not SECRET_KEY:
    if DEBUG:
        # Not a secret (bandit exception): DEBUG only
        SECRET_KEY = "insecure-development-key-only-for-debug"  # nosec B105
    elif local_command(sys.argv):
        # Never serves a page (see local_command); "django-insecure-" makes check --deploy
        # flag it should it ever reach a server.
        # Not a secret (bandit exception): no pages
        SECRET_KEY = "django-insecure-local-command-key-serves-no-pages"  # nosec B105
    else:
        raise ImproperlyConfigured(
            "SECRET_KEY must be set when DEBUG is off: serving pages and check --deploy need "
            "a real key (see the README's Deploy section)")

ALLOWED_HOSTS = env_list(
    "ALLOWED_HOSTS", ["localhost", "127.0.0.1", "[::1]", "testserver"] if DEBUG else []
)
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS", [])

INSTALLED_APPS = [
    "coach.admin_site.CoachAdminConfig",  # django.contrib.admin, its site coach.admin_site
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.forms",
    "django_htmx",
    "template_partials",
    "axes",
    "simple_history",
    "coach",
    "athletes",
    "sessions.apps.TrainingConfig",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    # Pages are compressed here (static files are compressed ahead by whitenoise, which answers
    # them above this line). Django masks the CSRF token and pads gzip output against BREACH.
    "coach.middleware.GZipMiddleware",  # Django's, at gzip level 3
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    # Before the CSRF check, which reads the form: a body too large is refused unread.
    "coach.middleware.RequestBodyLimitMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "coach.middleware.ContentSecurityPolicyMiddleware",
    "axes.middleware.AxesMiddleware",
    # Who made each change recorded by django-simple-history (docs/history.md).
    "simple_history.middleware.HistoryRequestMiddleware",
]

ROOT_URLCONF = "coach.urls"
WSGI_APPLICATION = "coach.wsgi.application"

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
                "coach.context_processors.roles",
            ],
        },
    },
    # Jinja2 renders the few hot fragments drawn many times per page (the log form's rows):
    # measured about five times faster than the same markup in Django's language
    # (docs/frontend.md, "Fast fragments"). Its templates live in templates/jinja2/.
    {
        "BACKEND": "django.template.backends.jinja2.Jinja2",
        "NAME": "jinja2",
        "DIRS": [BASE_DIR / "templates" / "jinja2"],
        "APP_DIRS": False,
        "OPTIONS": {"environment": "coach.jinja2.environment", "autoescape": True},
    },
]

# Field markup (label, input, help, errors) for {{ form.x.as_field_group }}: forms/field.html.
FORM_RENDERER = "coach.fields.FormRenderer"

DATABASES = {"default": database_from_url(os.environ.get("DATABASE_URL"),
                                          prepared=env_bool("DATABASE_PREPARED", True))}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
AUTH_USER_MODEL = "athletes.User"

AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
TESTING = env_bool("TESTING", False)
if TESTING:  # fast hashing keeps the suite quick; never used outside tests
    PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "login"

# Login rate limiting (django-axes): five wrong passwords for one account from one address
# lock that pair for 15 minutes. Neither the account from elsewhere nor the address for other
# accounts (a club on one Wi-Fi, everyone behind the proxy) is locked. A success clears only
# its own pair's failures. The password change page counts wrong old passwords the same way
# (coach/accounts.py).
AXES_ENABLED = env_bool("AXES_ENABLED", True)
AXES_HANDLER = "axes.handlers.database.AxesDatabaseHandler"  # shared by every app server
AXES_FAILURE_LIMIT = 5
AXES_COOLOFF_TIME = 0.25  # hours
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_TEMPLATE = "registration/locked.html"
# The client's address: REMOTE_ADDR, or with TRUSTED_PROXIES=n the address the outermost of
# the n proxies saw, from X-Forwarded-For.
TRUSTED_PROXIES = env_count("TRUSTED_PROXIES", 0)
AXES_CLIENT_IP_CALLABLE = "coach.accounts.client_ip"

# State that every app server shares lives in the database: sessions, and login throttling
# (AXES_HANDLER above); messages ride in a signed cookie or the session. The cache is per
# process unless REDIS_URL is set (cache_from_url); nothing needs it to be shared today.
SESSION_ENGINE = "django.contrib.sessions.backends.db"
CACHES = {"default": cache_from_url(os.environ.get("REDIS_URL"))}

LANGUAGE_CODE = "en-gb"
TIME_ZONE = "UTC"
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATIC_ROOT = BASE_DIR / "staticfiles"
STATICFILES_DIRS = [BASE_DIR / "static"]
# Files stored through Django's storage API (default_storage): a local folder, or S3-compatible
# storage for several app servers (file_storage). Nothing is kept on local disk between
# requests otherwise: the roster CSV import reads the upload in memory and carries its text
# from the preview to the confirmation in the form itself.
MEDIA_ROOT = Path(os.environ.get("MEDIA_ROOT") or BASE_DIR / "media")
MEDIA_URL = "media/"
STORAGES = {
    "default": file_storage(os.environ, MEDIA_ROOT),
    "staticfiles": {
        "BACKEND": (
            "django.contrib.staticfiles.storage.StaticFilesStorage"
            if DEBUG or TESTING
            else "whitenoise.storage.CompressedManifestStaticFilesStorage"
        )
    },
}

WHITENOISE_USE_FINDERS = DEBUG or TESTING
WHITENOISE_AUTOREFRESH = DEBUG or TESTING

EMAIL_HOST = os.environ.get("EMAIL_HOST", "")
if EMAIL_HOST:
    EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    EMAIL_PORT = int(os.environ.get("EMAIL_PORT", "587"))
    EMAIL_HOST_USER = os.environ.get("EMAIL_HOST_USER", "")
    EMAIL_HOST_PASSWORD = os.environ.get("EMAIL_HOST_PASSWORD", "")
    EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS", True)
else:
    EMAIL_BACKEND = "django.core.mail.backends.console.EmailBackend"
DEFAULT_FROM_EMAIL = os.environ.get("DEFAULT_FROM_EMAIL", "coach@localhost")
# Where the app answers, for the links in emails (the daily digest): no request to read it from.
SITE_URL = os.environ.get("SITE_URL", "http://127.0.0.1:8000").rstrip("/")

# Security: strict in production, relaxed only where DEBUG needs plain HTTP.
# (Tests run production settings over plain HTTP on localhost, hence the TESTING exceptions.)
SESSION_COOKIE_SECURE = not (DEBUG or TESTING)
CSRF_COOKIE_SECURE = not (DEBUG or TESTING)
SESSION_COOKIE_HTTPONLY = True
SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", not (DEBUG or TESTING))
# X-Forwarded-Proto says "this came in over HTTPS" only when a proxy writes it; without one
# anyone can send it, so it is trusted only when TRUSTED_PROXIES says proxies stand in front.
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https") if TRUSTED_PROXIES else None
SECURE_HSTS_SECONDS = 0 if DEBUG else int(os.environ.get("SECURE_HSTS_SECONDS", "31536000"))
SECURE_HSTS_INCLUDE_SUBDOMAINS = not DEBUG
# Preloading is a promise to browsers that is slow to take back (a submission to the preload
# list): made only when the deployer asks. Without it Django's deploy check W021 would say
# "not set", which is the choice, not an oversight, hence silenced.
SECURE_HSTS_PRELOAD = env_bool("SECURE_HSTS_PRELOAD", False) and not DEBUG
SILENCED_SYSTEM_CHECKS = [] if SECURE_HSTS_PRELOAD else ["security.W021"]
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
# The largest request body a page takes, refused before it is read (coach/middleware.py);
# views that take an upload say their own limit with ``accepts_body``.
MAX_REQUEST_BYTES = 1_000_000

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": "WARNING"},
}
