"""Unit of work: one transaction, the state change and its outgoing events together."""

from __future__ import annotations

import uuid
from collections.abc import Callable
from datetime import UTC, datetime

from google.protobuf.message import Message
from sqlalchemy.orm import Session

from cangpei.runtime.db import Database
from cangpei.runtime.outbox import outbox


def new_event_id() -> str:
    return uuid.uuid4().hex


class UnitOfWork:
    """Use as ``with app.uow() as uow: ...; uow.commit()``; leaving without commit rolls back.

    Events are written to the outbox at commit, all in one statement: a transaction that
    publishes an event per parcel or per reservation pays for one insert, not hundreds.
    Only the relay reads the outbox, and only committed rows, so nothing can tell the
    difference.
    """

    def __init__(self, db: Database, on_commit: Callable[[], None] | None = None) -> None:
        self._db = db
        self._on_commit = on_commit
        self.session: Session
        self.published: list[str] = []
        self._outgoing: list[dict[str, object]] = []
        self._committed = False

    def __enter__(self) -> UnitOfWork:
        self.session = self._db.new_session()
        self.session.begin()
        return self

    def __exit__(self, *exc_info: object) -> None:
        try:
            if not self._committed:
                self.session.rollback()
        finally:
            self.session.close()

    def publish(self, subject: str, message: Message, *, event_id: str | None = None) -> str:
        """Queue an event for ``subject`` in this transaction; return its id (the NATS msg id)."""
        return self.publish_many([(subject, message)], event_ids=[event_id or new_event_id()])[0]

    def publish_many(
        self, events: list[tuple[str, Message]], *, event_ids: list[str] | None = None
    ) -> list[str]:
        """Queue many events in this transaction (a batch of reservations, say); their ids."""
        ids = event_ids or [new_event_id() for _ in events]
        now = datetime.now(UTC)
        self._outgoing.extend(
            {
                "event_id": event_id,
                "subject": subject,
                "event_type": message.DESCRIPTOR.full_name,
                "payload": message.SerializeToString(),
                "created_at": now,
                "attempts": 0,
            }
            for event_id, (subject, message) in zip(ids, events, strict=True)
        )
        self.published.extend(ids)
        return ids

    def flush_outbox(self) -> None:
        """Write the queued events now (commit does it; a caller that reads them back first
        within the transaction calls this)."""
        if self._outgoing:
            self.session.execute(outbox.insert(), self._outgoing)
            self._outgoing = []

    def commit(self) -> None:
        self.flush_outbox()
        self.session.commit()
        self._committed = True
        if self.published and self._on_commit is not None:
            self._on_commit()

    def rollback(self) -> None:
        self.session.rollback()
        self.published.clear()
        self._outgoing.clear()
