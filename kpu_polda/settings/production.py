"""Production: refuses to start without a real secret and host list, and passes
`manage.py check --deploy` with no warning."""

from kpu_polda import env

from .base import *  # noqa: F403
from .base import CLOCK_START

DEBUG = False
SECRET_KEY = env.secret("SECRET_KEY")
ALLOWED_HOSTS = env.str_list("ALLOWED_HOSTS")
if CLOCK_START is not None:
    raise env.EnvError("CLOCK_START is for demos and drills; production runs on real time")

SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_SSL_REDIRECT = env.boolean("SECURE_SSL_REDIRECT", True)
SECURE_HSTS_SECONDS = env.integer("SECURE_HSTS_SECONDS", 31536000, minimum=0)
SECURE_HSTS_INCLUDE_SUBDOMAINS = True
SECURE_HSTS_PRELOAD = True
SECURE_REFERRER_POLICY = "same-origin"
SESSION_COOKIE_SECURE = True
CSRF_COOKIE_SECURE = True
X_FRAME_OPTIONS = "DENY"
EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
EMAIL_HOST = env.string("EMAIL_HOST", "localhost")
EMAIL_PORT = env.integer("EMAIL_PORT", 25, minimum=1)
EMAIL_HOST_USER = env.string("EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = env.string("EMAIL_HOST_PASSWORD", "")
EMAIL_USE_TLS = env.boolean("EMAIL_USE_TLS", False)
DEFAULT_FROM_EMAIL = env.string("DEFAULT_FROM_EMAIL", "kpu-polda@localhost")
# Links in e-mails: the first host name the site answers to, unless SITE_URL says otherwise.
SITE_URL = env.string("SITE_URL", f"https://{ALLOWED_HOSTS[0]}")
DEMO_DATA_ALLOWED = False  # demo accounts and their shared password are refused
