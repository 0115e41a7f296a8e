"""What API token keys have in common for the services that issue them and the
selectors that look them up: only a key's hash is stored."""

from __future__ import annotations

import hashlib


def hash_key(key: str) -> str:
    """The stored form of an API token key (SHA-256, hex)."""
    return hashlib.sha256(key.encode()).hexdigest()
