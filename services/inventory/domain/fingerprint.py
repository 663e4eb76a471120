"""A stable digest of a command's content, to tell a replay from a reused key."""

from __future__ import annotations

import hashlib
import json
from typing import Any


def _plain(value: Any) -> Any:
    # Commands are plain dataclasses (no slots), so their fields are their __dict__;
    # this runs once per reservation on the hot path, hence no dataclasses.fields().
    if hasattr(value, "__dataclass_fields__"):
        return {name: _plain(v) for name, v in vars(value).items()}
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
