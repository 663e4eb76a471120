"""A solve must not stall the service: health checks answer while a wave is being planned."""

from __future__ import annotations

import asyncio
import functools
import time

from grpc_health.v1 import health_pb2, health_pb2_grpc

from cangpei.routing.v1 import routing_pb2 as pb
from cangpei.runtime.app import start_app
from cangpei.runtime.settings import ServiceSettings
from services.routing.bootstrap import wire
from services.routing.config import RoutingConfig

from .routing_app_helpers import (
    NOW,
    WAREHOUSE,
    allocation,
    publish_allocation,
    set_up_fleet,
    stub_for,
)


async def test_health_answers_while_a_wave_is_solved(sqlite_url, nats_server, wait_for) -> None:
    config = RoutingConfig(solver_time_limit_seconds=3.0, dispatch_interval_seconds=0)
    settings = ServiceSettings.for_tests("routing", sqlite_url, nats_server.url)
    app = await start_app(settings, functools.partial(wire, config=config, clock=lambda: NOW))
    channel, stub = stub_for(app)
    health = health_pb2_grpc.HealthStub(channel)
    try:
        await set_up_fleet(stub)
        spots = [
            (f"q{k}", 31.20 + 0.01 * (k % 6), 121.40 + 0.01 * (k // 6), 9 * 60, 20 * 60)
            for k in range(30)
        ]
        await publish_allocation(nats_server.url, allocation("o-many", *spots))

        async def all_stored():
            try:
                await stub.GetParcel(pb.GetParcelRequest(parcel_id="q29"))
            except Exception:
                return False
            return True

        await wait_for(all_stored, timeout=10, what="30 parcels stored")

        async def dispatch():
            return await stub.DispatchWave(pb.DispatchWaveRequest(warehouse_id=WAREHOUSE[0]))

        solving = asyncio.create_task(dispatch())
        # The loop's own pulse: a solve on the loop's thread would stop it for seconds.
        slowest, checks, last = 0.0, 0, time.monotonic()
        while not solving.done():
            reply = await health.Check(health_pb2.HealthCheckRequest(service=""), timeout=2.0)
            assert reply.status == health_pb2.HealthCheckResponse.SERVING
            checks += 1
            await asyncio.sleep(0.05)
            now = time.monotonic()
            slowest, last = max(slowest, now - last), now
        assert checks >= 5, "the solve should take long enough to be observed"
        plan = (await solving).plan
        assert sum(len(r.stops) for r in plan.routes) + len(plan.carrier_parcels) == 30
        # Generous for a shared machine; a solve on the event loop would block for seconds.
        assert slowest < 1.0, f"the service stalled {slowest:.2f} s during the solve"
    finally:
        await channel.close()
        await app.stop(grace=0)
