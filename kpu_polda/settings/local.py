"""Development and demo: `make run`. Debug on, a fixed development key."""

from kpu_polda import env

from .base import *  # noqa: F403
from .base import VAR_DIR

DEBUG = env.boolean("DEBUG", True)
SECRET_KEY = env.string("SECRET_KEY", "local-development-key-not-for-production-use-0123456789")
VAR_DIR.mkdir(parents=True, exist_ok=True)
