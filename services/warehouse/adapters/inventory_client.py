"""Stock and reservations from the inventory service, over NATS request/reply."""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Sequence
from typing import Any

from cangpei.inventory.v1 import inventory_pb2 as inv
from cangpei.runtime.errors import FailedPrecondition, NotFound

from ..service_layer.ports import ReservationRefused

GET_AVAILABILITY = "rpc.inventory.GetAvailability"
RESERVE = "rpc.inventory.Reserve"
RELEASE = "rpc.inventory.Release"
# Inventory answers at most this many SKUs per availability request.
SKUS_PER_REQUEST = 1000

Request = Callable[..., Awaitable[Any]]


class NatsStockSource:
    def __init__(self, request: Request, timeout: float) -> None:
        self._request = request
        self._timeout = timeout

    async def availability(self, skus: Sequence[str]) -> dict[tuple[str, str], int]:
        found: dict[tuple[str, str], int] = {}
        skus = list(skus)
        for i in range(0, len(skus), SKUS_PER_REQUEST):
            reply = await self._request(
                GET_AVAILABILITY,
                inv.GetAvailabilityRequest(skus=skus[i : i + SKUS_PER_REQUEST]),
                inv.GetAvailabilityResponse,
                timeout=self._timeout,
            )
            for item in reply.items:
                found[(item.location_id, item.sku)] = int(item.available)
        return found


class NatsReserver:
    def __init__(self, request: Request, timeout: float, ttl_seconds: int = 0) -> None:
        self._request = request
        self._timeout = timeout
        self._ttl = ttl_seconds

    async def reserve(
        self,
        idempotency_key: str,
        order_id: str,
        location_id: str,
        lines: Sequence[tuple[str, int]],
    ) -> str:
        request = inv.ReserveRequest(
            idempotency_key=idempotency_key,
            order_id=order_id,
            lines=[
                inv.ReservationLine(sku=sku, quantity=qty, location_id=location_id)
                for sku, qty in lines
            ],
            ttl_seconds=self._ttl,
            actor="warehouse",
        )
        try:
            reply = await self._request(
                RESERVE, request, inv.ReserveResponse, timeout=self._timeout
            )
        except FailedPrecondition as exc:
            raise ReservationRefused(exc.message) from exc
        return reply.reservation_id


class NatsReleaser:
    def __init__(self, request: Request, timeout: float) -> None:
        self._request = request
        self._timeout = timeout

    async def release(self, reservation_id: str, reason: str) -> None:
        request = inv.ReleaseRequest(
            reservation_id=reservation_id, actor="warehouse", reason=reason
        )
        try:
            await self._request(RELEASE, request, inv.ReleaseResponse, timeout=self._timeout)
        except (FailedPrecondition, NotFound):
            # Already released, expired or committed: nothing of it is held any more.
            return
