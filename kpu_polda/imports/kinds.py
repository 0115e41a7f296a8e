"""The kinds of background import, registered by the apps that own the data.

An app says, in its ``AppConfig.ready()``, what a kind needs (an election or not), who
may start it, how large its file may be, and the function that runs it. The job
machinery here knows nothing of TPS or regions.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import IO, Any

from kpu_polda.base.csvio import ImportResult


@dataclass
class ImportRun:
    """What a kind's runner is given: the actor, the election (when the kind has one),
    the file, and the two ways to tell the job page how it goes."""

    actor: Any
    election: Any
    stream: IO[bytes]
    progress: Callable[[int], None]  # rows read so far; the job reads the bytes itself
    warnings: list[tuple[int, str]] = field(default_factory=list)

    def warn(self, line: int, text: str) -> None:
        self.warnings.append((line, text))


@dataclass(frozen=True)
class ImportKind:
    key: str
    label: Any  # lazy text
    needs_election: bool
    max_bytes: Callable[[], int]  # read when used, so a test's settings override counts
    ensure_can_start: Callable[[Any], None]  # (actor): raises PermissionDenied
    run: Callable[[ImportRun], ImportResult]
    sample: str = ""  # a key of coordination's IMPORT_SAMPLES
    help_text: Any = ""
    done_url: str = ""  # a URL name to offer when the import is done


KINDS: dict[str, ImportKind] = {}


def import_kind_register(kind: ImportKind) -> None:
    """Offer ``kind`` to the upload page, the API and the worker."""
    KINDS[kind.key] = kind


def target_of(kind: ImportKind, election) -> str:
    """What two jobs must not write at once: one kind, one election."""
    return f"{kind.key}:{election.pk}" if kind.needs_election else kind.key
