"""Fulfilment-flow helpers: the warehouse with a quick allocation loop, event taps, fake peers."""

from __future__ import annotations

import functools

import nats
from google.protobuf.message import Message

from cangpei.runtime.app import ServiceApp, start_app
from cangpei.runtime.settings import ServiceSettings
from cangpei.warehouse.v1 import warehouse_pb2 as pb
from services.warehouse.bootstrap import wire as wire_warehouse
from services.warehouse.config import WarehouseConfig

from .warehouse_app_helpers import order

FLOW_CONFIG = WarehouseConfig(
    solver_time_limit_seconds=5.0, solver_workers=1, allocation_interval_seconds=0.05
)


async def start_flow_warehouse(
    database_url: str, nats_url: str, config: WarehouseConfig = FLOW_CONFIG
) -> ServiceApp:
    settings = ServiceSettings.for_tests("warehouse", database_url, nats_url)
    return await start_app(settings, functools.partial(wire_warehouse, config=config))


def submit(key: str, order_id: str, km: float, *lines: tuple[str, int]):
    return pb.SubmitFulfilmentOrderRequest(idempotency_key=key, order=order(order_id, km, *lines))


class StreamTap:
    """Reads events of a stream's subject from the start, parsed with one message type each."""

    def __init__(self, nats_url: str, stream: str, types: dict[str, type[Message]]) -> None:
        self.nats_url = nats_url
        self.stream = stream
        self.types = types
        self.events: list[tuple[str, Message]] = []

    async def __aenter__(self) -> StreamTap:
        self.nc = await nats.connect(self.nats_url)
        js = self.nc.jetstream()
        self.subs = [
            await js.subscribe(subject, stream=self.stream, ordered_consumer=True)
            for subject in self.types
        ]
        return self

    async def __aexit__(self, *exc_info: object) -> None:
        await self.nc.close()

    async def drain(self) -> list[tuple[str, Message]]:
        for sub in self.subs:
            while True:
                try:
                    msg = await sub.next_msg(timeout=0.02)
                except nats.errors.TimeoutError:
                    break
                self.events.append((msg.subject, self.types[msg.subject].FromString(msg.data)))
        return self.events

    async def of(self, subject: str) -> list[Message]:
        return [m for s, m in await self.drain() if s == subject]


async def publish(nats_url: str, subject: str, message: Message, event_id: str) -> None:
    """Publish as another service's outbox would (stream declared by the warehouse's consumers)."""
    nc = await nats.connect(nats_url)
    try:
        await nc.jetstream().publish(
            subject, message.SerializeToString(), headers={"Nats-Msg-Id": event_id}
        )
    finally:
        await nc.close()
