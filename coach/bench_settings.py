"""Settings of the gunicorn that ``manage.py loadbench`` starts: the site's own settings (read
from the environment as deployed: DATABASE_URL, REDIS_URL, DEBUG...) plus the bench's bare
page (``coach/bench_urls.py``), served over plain HTTP on loopback. No site runs with these.
"""

from coach.settings import *  # noqa: F403
from coach.settings import STORAGES

ROOT_URLCONF = "coach.bench_urls"
ALLOWED_HOSTS = ["127.0.0.1"]
SECURE_SSL_REDIRECT = False  # loopback, plain HTTP: the cookies must travel without TLS
SESSION_COOKIE_SECURE = CSRF_COOKIE_SECURE = False
SECURE_HSTS_SECONDS = 0
# as ``manage.py bench``: no collectstatic needed with DEBUG off
STORAGES = {**STORAGES,
            "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"}}
