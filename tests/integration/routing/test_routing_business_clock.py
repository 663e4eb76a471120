"""The routing service plans by the business clock a clock file sets (as the demo's
replayed day does), not by the hour it really is."""

from __future__ import annotations

import functools
import time
from datetime import datetime, timedelta, timezone

import grpc
import pytest

from cangpei.routing.v1 import routing_pb2 as pb
from cangpei.runtime.app import start_app
from cangpei.runtime.clock import CLOCK_FILE_ENV, ClockSetting, write_clock
from cangpei.runtime.settings import ServiceSettings
from services.routing.bootstrap import wire

from .routing_app_helpers import (
    CONFIG,
    WAREHOUSE,
    allocation,
    publish_allocation,
    set_up_fleet,
    stub_for,
)

CHINA = timezone(timedelta(hours=8))
# Deliverable at any hour; the van's shift is 08:00-20:00.
ALL_DAY = ("p1", 31.25, 121.48, 0, 24 * 60 - 1)


@pytest.mark.parametrize(("hour", "by_van"), [(9, True), (21, False)])
async def test_shifts_are_judged_at_the_clock_files_hour(
    hour, by_van, database_url, nats_server, wait_for, tmp_path, monkeypatch
) -> None:
    clock_file = tmp_path / "clock.json"
    business = datetime(2026, 12, 8, hour, 0, tzinfo=CHINA)
    write_clock(clock_file, ClockSetting(business, time.time(), 1.0))
    monkeypatch.setenv(CLOCK_FILE_ENV, str(clock_file))
    settings = ServiceSettings.for_tests("routing", database_url, nats_server.url)
    # No clock given: the service reads CANGPEI_CLOCK_FILE, as `cangpei up` sets it.
    app = await start_app(settings, functools.partial(wire, config=CONFIG))
    channel, stub = stub_for(app)
    try:
        await set_up_fleet(stub)
        await publish_allocation(nats_server.url, allocation("o1", ALL_DAY))

        async def stored():
            try:
                await stub.GetParcel(pb.GetParcelRequest(parcel_id="p1"))
            except grpc.aio.AioRpcError:
                return False
            return True

        await wait_for(stored, timeout=10, what="the allocation's parcel stored")
        plan = (await stub.DispatchWave(pb.DispatchWaveRequest(warehouse_id=WAREHOUSE[0]))).plan
        if by_van:
            assert [s.parcel_id for r in plan.routes for s in r.stops] == ["p1"]
        else:
            [by_carrier] = plan.carrier_parcels
            assert by_carrier.parcel_id == "p1"
            assert "no time left in their shifts" in by_carrier.reason
    finally:
        await channel.close()
        await app.stop(grace=0)
