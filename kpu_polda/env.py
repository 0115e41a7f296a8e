"""Typed readers for settings taken from the environment.

Each reader rejects a malformed value at start-up with the variable's name, so a typo in a
deployment fails loudly instead of silently falling back to a default. ``NAME_FILE`` is
read in place of ``NAME`` (Docker and systemd secrets).
"""

from __future__ import annotations

import os
from datetime import datetime
from pathlib import Path

_TRUE = {"1", "true", "yes", "on"}
_FALSE = {"0", "false", "no", "off", ""}


class EnvError(RuntimeError):
    pass


_MISSING = object()


def _raw(name: str) -> str | None:
    file_path = os.environ.get(f"{name}_FILE")
    if file_path:
        try:
            return Path(file_path).read_text(encoding="utf-8").strip()
        except OSError as exc:
            raise EnvError(f"{name}_FILE points at an unreadable file: {exc}") from exc
    return os.environ.get(name)


def string(name: str, default: str | object = _MISSING) -> str:
    value = _raw(name)
    if value is None or value == "":
        if default is _MISSING:
            raise EnvError(f"{name} must be set")
        return default  # type: ignore[return-value]
    return value


def boolean(name: str, default: bool) -> bool:
    value = _raw(name)
    if value is None or value.strip() == "":
        return default
    lowered = value.strip().lower()
    if lowered in _TRUE:
        return True
    if lowered in _FALSE:
        return False
    raise EnvError(f"{name} must be a boolean (true/false), got {value!r}")


def integer(name: str, default: int, *, minimum: int | None = None) -> int:
    value = _raw(name)
    if value is None or value.strip() == "":
        return default
    try:
        number = int(value)
    except ValueError as exc:
        raise EnvError(f"{name} must be a whole number, got {value!r}") from exc
    if minimum is not None and number < minimum:
        raise EnvError(f"{name} must be at least {minimum}, got {number}")
    return number


def str_list(name: str, default: list[str] | object = _MISSING) -> list[str]:
    value = _raw(name)
    if value is None or value.strip() == "":
        if default is _MISSING:
            raise EnvError(f"{name} must be set (comma-separated)")
        return list(default)  # type: ignore[arg-type]
    items = [item.strip() for item in value.split(",") if item.strip()]
    if not items and default is _MISSING:
        raise EnvError(f"{name} must name at least one value")
    return items


def secret(name: str, *, min_length: int = 50) -> str:
    """A secret that must be present and long enough; there is never a default."""
    value = string(name)
    if len(value) < min_length or value.startswith("django-insecure"):
        raise EnvError(f"{name} must be a random value of at least {min_length} characters")
    return value


def moment(name: str) -> datetime | None:
    """An ISO 8601 moment with an explicit offset, e.g. 2024-02-08T09:00+08:00."""
    value = _raw(name)
    if value is None or value.strip() == "":
        return None
    try:
        parsed = datetime.fromisoformat(value.strip())
    except ValueError as exc:
        raise EnvError(f"{name} must be an ISO 8601 date-time, got {value!r}") from exc
    if parsed.tzinfo is None:
        raise EnvError(f"{name} must carry a UTC offset, e.g. 2024-02-08T09:00+08:00")
    return parsed
