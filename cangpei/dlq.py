"""Inspect and replay events that a consumer gave up on (the DEADLETTER stream)."""

from __future__ import annotations

import uuid
from dataclasses import dataclass

import nats.js.errors
from nats.aio.client import Client as NATS

from cangpei.runtime.messaging import DEADLETTER_STREAM, EVENT_ID, MSG_ID


@dataclass(frozen=True)
class DeadLetter:
    sequence: int
    consumer: str
    subject: str
    event_id: str
    error: str
    size: int


async def list_dead_letters(nc: NATS, limit: int = 100) -> list[DeadLetter]:
    js = nc.jetstream()
    try:
        info = await js.stream_info(DEADLETTER_STREAM)
    except nats.js.errors.NotFoundError:
        return []
    letters: list[DeadLetter] = []
    if info.state.messages == 0:
        return letters
    sequence = max(info.state.first_seq, 1)
    while sequence <= info.state.last_seq and len(letters) < limit:
        try:
            raw = await js.get_msg(DEADLETTER_STREAM, sequence)
        except nats.js.errors.NotFoundError:  # deleted after a replay
            sequence += 1
            continue
        headers = raw.headers or {}
        letters.append(
            DeadLetter(
                sequence=sequence,
                consumer=headers.get("Cangpei-Consumer", "?"),
                subject=headers.get("Cangpei-Original-Subject", "?"),
                event_id=headers.get(EVENT_ID, "?"),
                error=headers.get("Cangpei-Error", ""),
                size=len(raw.data or b""),
            )
        )
        sequence += 1
    return letters


async def replay(nc: NATS, sequence: int) -> DeadLetter:
    """Publish the event again on its original subject, then remove it from the dead letters.

    The event keeps its id, so consumers that had applied it skip it; the one that gave
    up applies it now (once it can).
    """
    js = nc.jetstream()
    raw = await js.get_msg(DEADLETTER_STREAM, sequence)
    headers = dict(raw.headers or {})
    subject = headers["Cangpei-Original-Subject"]
    event_id = headers[EVENT_ID]
    await js.publish(
        subject,
        raw.data or b"",
        headers={
            MSG_ID: f"replay-{event_id}-{uuid.uuid4().hex[:8]}",
            EVENT_ID: event_id,
            "Cangpei-Event-Type": headers.get("Cangpei-Event-Type", ""),
        },
    )
    await js.delete_msg(DEADLETTER_STREAM, sequence)
    return DeadLetter(
        sequence, headers.get("Cangpei-Consumer", "?"), subject, event_id, "", len(raw.data or b"")
    )
