"""Concurrent gRPC clients sending Reserve, with latency per call."""

from __future__ import annotations

import asyncio
import random
import time
from collections.abc import Callable
from dataclasses import dataclass, field

import grpc

from cangpei.inventory.v1 import inventory_pb2 as pb
from cangpei.inventory.v1 import inventory_pb2_grpc


@dataclass
class LoadResult:
    granted: int = 0
    refused: int = 0
    errors: int = 0
    seconds: float = 0.0
    latencies: list[float] = field(default_factory=list)
    first_error: str = ""

    @property
    def rate(self) -> float:
        return self.granted / self.seconds if self.seconds else 0.0

    def percentile(self, fraction: float) -> float:
        if not self.latencies:
            return float("nan")
        ordered = sorted(self.latencies)
        return ordered[min(len(ordered) - 1, int(fraction * len(ordered)))] * 1000


async def run_load(
    address: str,
    *,
    clients: int,
    pick_sku: Callable[[random.Random], str],
    location_id: str,
    run_id: str,
    seconds: float | None = None,
    requests_per_client: int | None = None,
    connections: int = 1,
) -> LoadResult:
    """Each client sends one Reserve at a time until the time or its request count is up.

    The clients share ``connections`` TCP connections (client n uses connection n mod
    ``connections``), as many shops' clients would reach the service over many.
    """
    result = LoadResult()
    # A local subchannel pool per channel: otherwise channels to one address share a connection.
    channels = [
        grpc.aio.insecure_channel(address, options=[("grpc.use_local_subchannel_pool", 1)])
        for _ in range(max(1, connections))
    ]
    try:
        stubs = [inventory_pb2_grpc.InventoryServiceStub(channel) for channel in channels]
        started = time.perf_counter()
        deadline = started + seconds if seconds else float("inf")

        async def client(number: int) -> None:
            rng = random.Random(number)
            i = 0
            while time.perf_counter() < deadline and (
                requests_per_client is None or i < requests_per_client
            ):
                request = pb.ReserveRequest(
                    idempotency_key=f"{run_id}-{number}-{i}",
                    order_id=f"{run_id}-{number}-{i}",
                    lines=[
                        pb.ReservationLine(sku=pick_sku(rng), quantity=1, location_id=location_id)
                    ],
                    actor="bench",
                )
                i += 1
                sent = time.perf_counter()
                try:
                    await stubs[number % len(stubs)].Reserve(request, timeout=30)
                    result.granted += 1
                    result.latencies.append(time.perf_counter() - sent)
                except grpc.aio.AioRpcError as exc:
                    if exc.code() is grpc.StatusCode.FAILED_PRECONDITION:
                        result.refused += 1
                        result.latencies.append(time.perf_counter() - sent)
                    else:
                        result.errors += 1
                        result.first_error = (
                            result.first_error or f"{exc.code().name}: {exc.details()}"
                        )

        await asyncio.gather(*(client(n) for n in range(clients)))
        result.seconds = time.perf_counter() - started
    finally:
        for channel in channels:
            await channel.close()
    return result
