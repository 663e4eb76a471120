"""An allocation with an impossible parcel is refused whole and set aside, not half-stored."""

from __future__ import annotations

import grpc
import nats
import pytest

from cangpei.routing.v1 import routing_pb2 as pb

from .routing_app_helpers import allocation, publish_allocation, start_routing, stub_for

DEAD = "deadletter.routing-allocations.warehouse.allocation.created"


async def test_negative_weight_sends_the_allocation_to_dead_letters(
    sqlite_url, nats_server, wait_for
) -> None:
    app = await start_routing(sqlite_url, nats_server.url)
    channel, stub = stub_for(app)
    nc = await nats.connect(nats_server.url)
    try:
        bad = allocation(
            "o-bad", ("ok", 31.25, 121.48, 540, 1200), ("neg", 31.24, 121.5, 540, 1200)
        )
        bad.parcels[1].weight_grams = -300
        await publish_allocation(nats_server.url, bad)
        dead = await nc.jetstream().subscribe(DEAD, stream="DEADLETTER", ordered_consumer=True)
        msg = await dead.next_msg(timeout=30)
        assert msg.data == bad.SerializeToString()

        for parcel_id in ("ok", "neg"):
            with pytest.raises(grpc.aio.AioRpcError) as missing:
                await stub.GetParcel(pb.GetParcelRequest(parcel_id=parcel_id))
            assert missing.value.code() == grpc.StatusCode.NOT_FOUND
    finally:
        await nc.close()
        await channel.close()
        await app.stop(grace=0)
