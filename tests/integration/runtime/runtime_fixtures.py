"""A tiny producer and consumer built only from the runtime, to test its guarantees."""

from __future__ import annotations

from sqlalchemy import Column, Connection, Integer, MetaData, String, Table, func, select

from cangpei.common.v1.common_pb2 import GeoPoint
from cangpei.runtime.app import ServiceApp
from cangpei.runtime.messaging import IncomingEvent
from cangpei.runtime.uow import UnitOfWork

metadata = MetaData()
parcels = Table(
    "parcels",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("label", String(50), nullable=False),
)
received = Table(
    "received",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("event_id", String(64), nullable=False),
    Column("latitude", Integer, nullable=False),
)


def create_tables(connection: Connection) -> None:
    metadata.create_all(connection)


def record_parcel(app: ServiceApp, number: int) -> str:
    """A state change and its event, in one transaction."""
    with app.uow() as uow:
        uow.session.execute(parcels.insert().values(label=f"parcel-{number}"))
        event_id = uow.publish("producer.parcel.recorded", GeoPoint(latitude=number, longitude=0))
        uow.commit()
    return event_id


def wire_producer(app: ServiceApp) -> None:
    app.migrations = [create_tables]


def wire_consumer(app: ServiceApp) -> None:
    app.migrations = [create_tables]

    def on_parcel(event: IncomingEvent, uow: UnitOfWork) -> None:
        point = GeoPoint.FromString(event.data)
        uow.session.execute(
            received.insert().values(event_id=event.event_id, latitude=int(point.latitude))
        )

    app.add_consumer(
        durable="consumer-parcels",
        stream="PRODUCER",
        subjects=["producer.parcel.recorded"],
        handler=on_parcel,
        ack_wait=1.0,
    )


def received_rows(app: ServiceApp) -> list[tuple[str, int]]:
    with app.db.read_session() as session:
        return [
            tuple(row) for row in session.execute(select(received.c.event_id, received.c.latitude))
        ]


def count(app: ServiceApp, table: Table) -> int:
    with app.db.read_session() as session:
        return session.execute(select(func.count()).select_from(table)).scalar_one()
