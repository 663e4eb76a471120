"""A stable digest of a command's content, to tell a replay from a reused key."""

from __future__ import annotations

import dataclasses
import hashlib
import json
from typing import Any


def _plain(value: Any) -> Any:
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return {f.name: _plain(getattr(value, f.name)) for f in dataclasses.fields(value)}
    if isinstance(value, list | tuple):
        return [_plain(v) for v in value]
    return value


def fingerprint(command: object, *, ignore: tuple[str, ...] = ("idempotency_key",)) -> str:
    """Digest of the command's fields (except the key itself) and its type."""
    body = _plain(command)
    for name in ignore:
        body.pop(name, None)
    canonical = json.dumps([type(command).__name__, body], sort_keys=True, separators=(",", ":"))
    return hashlib.sha256(canonical.encode()).hexdigest()
