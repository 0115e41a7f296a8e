"""The test suite: fast hashing, in-memory cache, tasks run inline."""

import os
import uuid

from .base import *  # noqa: F403
from .base import REST_FRAMEWORK, VAR_DIR

SECRET_KEY = "test-key-not-secret-0123456789-0123456789-0123456789"
DEBUG = False
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.InMemoryStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
CELERY_TASK_ALWAYS_EAGER = True
CELERY_TASK_EAGER_PROPAGATES = True
# A task a test publishes for real lands on a queue of this run's own, never on the default
# queue that workers of other runs on the same Redis consume; processes the run starts
# inherit the name. (tests/conftest.py's celery_worker_queue gives one test its own queue.)
CELERY_TASK_DEFAULT_QUEUE = os.environ.setdefault("KPU_TEST_CELERY_QUEUE", f"test-{uuid.uuid4().hex}")
# Every task, whatever its kind, goes to that queue: the per-kind queues are shared by runs.
CELERY_TASK_QUEUES = None
CELERY_TASK_ROUTES = None
# Replicas named in the environment would be real ones; the replica tests point one at the
# standby's copy of the test database themselves (tests/platform/test_replicas.py).
DATABASES = {"default": DATABASES["default"]}  # noqa: F405
DATABASE_REPLICAS = []
DATABASE_ROUTERS = []
CLOCK_START = None
CLOCK_ANCHOR = None
REST_FRAMEWORK = {**REST_FRAMEWORK, "DEFAULT_THROTTLE_RATES": {"auth-token": "1000/min"}}
VAR_DIR.mkdir(parents=True, exist_ok=True)
# Playwright's sync API runs an event loop in the test thread; the ORM refuses to run
# there unless told that this is deliberate (tests only).
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
INSTALLED_APPS = [*INSTALLED_APPS, "tests.linked_activity"]  # noqa: F405
