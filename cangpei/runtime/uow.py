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
    """Use as ``with app.uow() as uow: ...; uow.commit()``; leaving without commit rolls back."""

    def __init__(self, db: Database, on_commit: Callable[[], None] | None = None) -> None:
        self._db = db
        self._on_commit = on_commit
        self.session: Session
        self.published: list[str] = []
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
        event_id = event_id or new_event_id()
        self.session.execute(
            outbox.insert().values(
                event_id=event_id,
                subject=subject,
                event_type=message.DESCRIPTOR.full_name,
                payload=message.SerializeToString(),
                created_at=datetime.now(UTC),
                attempts=0,
            )
        )
        self.published.append(event_id)
        return event_id

    def publish_many(self, events: list[tuple[str, Message]]) -> list[str]:
        """Queue many events in one statement (a batch of reservations, say); return their ids."""
        if not events:
            return []
        now = datetime.now(UTC)
        rows = [
            {
                "event_id": new_event_id(),
                "subject": subject,
                "event_type": message.DESCRIPTOR.full_name,
                "payload": message.SerializeToString(),
                "created_at": now,
                "attempts": 0,
            }
            for subject, message in events
        ]
        self.session.execute(outbox.insert(), rows)
        ids = [row["event_id"] for row in rows]
        self.published.extend(ids)
        return ids

    def commit(self) -> None:
        self.session.commit()
        self._committed = True
        if self.published and self._on_commit is not None:
            self._on_commit()

    def rollback(self) -> None:
        self.session.rollback()
        self.published.clear()
