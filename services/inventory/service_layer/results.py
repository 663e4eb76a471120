"""Answers of the stock movements, and their stored form for idempotent replays."""

from __future__ import annotations

import enum
import json
from dataclasses import asdict, dataclass
from datetime import datetime

from services.inventory.domain.model import LedgerEntry, MovementKind


class SyncOutcome(enum.StrEnum):
    APPLIED = "applied"
    UNCHANGED = "unchanged"
    STALE = "stale"
    CLAMPED = "clamped"


@dataclass(frozen=True)
class SyncedLevel:
    sku: str
    location_id: str
    outcome: SyncOutcome
    on_hand_delta: int
    on_hand_after: int
    reserved: int


@dataclass(frozen=True)
class MovementResult:
    entries: tuple[LedgerEntry, ...] = ()
    synced: tuple[SyncedLevel, ...] = ()


def encode_result(result: MovementResult) -> str:
    def entry(e: LedgerEntry) -> dict:
        d = asdict(e)
        d["kind"] = e.kind.value
        d["occurred_at"] = e.occurred_at.isoformat()
        return d

    def synced(s: SyncedLevel) -> dict:
        d = asdict(s)
        d["outcome"] = s.outcome.value
        return d

    body = {
        "entries": [entry(e) for e in result.entries],
        "synced": [synced(s) for s in result.synced],
    }
    return json.dumps(body, separators=(",", ":"))


def decode_result(text: str) -> MovementResult:
    body = json.loads(text)
    entries = tuple(
        LedgerEntry(
            **{
                **e,
                "kind": MovementKind(e["kind"]),
                "occurred_at": datetime.fromisoformat(e["occurred_at"]),
            }
        )
        for e in body["entries"]
    )
    synced = tuple(
        SyncedLevel(**{**s, "outcome": SyncOutcome(s["outcome"])}) for s in body["synced"]
    )
    return MovementResult(entries=entries, synced=synced)
