"""Development and demo: `make run`. Served the way production serves it (debug off,
compressed and long-cached static files after collectstatic, the project's own error
pages); a fixed development key, SQLite and the embedded broker unless told otherwise.
DEBUG=1 turns Django's debug pages on for development."""

from kpu_polda import env

from .base import *  # noqa: F403
from .base import VAR_DIR

DEBUG = env.boolean("DEBUG", False)
SECRET_KEY = env.string("SECRET_KEY", "local-development-key-not-for-production-use-0123456789")
VAR_DIR.mkdir(parents=True, exist_ok=True)
