"""Starting the routing service in-process and driving it as its clients do."""

from __future__ import annotations

import functools
from datetime import UTC, datetime

import grpc
import nats

from cangpei.common.v1 import common_pb2
from cangpei.routing.v1 import routing_pb2 as pb
from cangpei.routing.v1 import routing_pb2_grpc
from cangpei.runtime.app import ServiceApp, start_app
from cangpei.runtime.settings import ServiceSettings
from cangpei.warehouse.v1 import warehouse_pb2 as wpb
from services.routing.bootstrap import wire
from services.routing.config import RoutingConfig

# 09:00 in Shanghai.
NOW = datetime(2026, 11, 25, 1, 0, tzinfo=UTC)
WAREHOUSE = ("wh-sh", 31.2304, 121.4737)
CONFIG = RoutingConfig(
    solver_time_limit_seconds=1.0,
    replan_time_limit_seconds=0.5,
    dispatch_interval_seconds=0,
    allocation_max_deliver=2,
)


async def start_routing(
    database_url: str, nats_url: str, config: RoutingConfig = CONFIG
) -> ServiceApp:
    settings = ServiceSettings.for_tests("routing", database_url, nats_url)
    return await start_app(settings, functools.partial(wire, config=config, clock=lambda: NOW))


def stub_for(app: ServiceApp) -> tuple[grpc.aio.Channel, routing_pb2_grpc.RoutingServiceStub]:
    channel = grpc.aio.insecure_channel(f"127.0.0.1:{app.grpc_port}")
    return channel, routing_pb2_grpc.RoutingServiceStub(channel)


def carrier(carrier_id: str = "sf", capacity: int = 100) -> pb.Carrier:
    return pb.Carrier(
        carrier_id=carrier_id,
        name=carrier_id.upper(),
        bands=[
            pb.RateBand(max_km=50, first_weight_fen=1000, additional_kg_fen=200, delivery_hours=24),
            pb.RateBand(
                max_km=300, first_weight_fen=1200, additional_kg_fen=400, delivery_hours=48
            ),
        ],
        cutoff_minute=18 * 60,
        default_parcels_per_day=capacity,
        active=True,
    )


def vehicle(vehicle_id: str = "v1", depot_id: str = WAREHOUSE[0]) -> pb.Vehicle:
    return pb.Vehicle(
        vehicle_id=vehicle_id,
        depot_id=depot_id,
        capacity_grams=500_000,
        capacity_cm3=10_000_000,
        shift_start_minute=8 * 60,
        shift_end_minute=20 * 60,
        fixed_cost_fen=0,
        cost_per_km_fen=50,
        active=True,
    )


async def set_up_fleet(stub: routing_pb2_grpc.RoutingServiceStub) -> None:
    """The depot, one carrier and one van: what a dispatch test starts from."""
    await stub.RegisterDepot(
        pb.RegisterDepotRequest(
            warehouse_id=WAREHOUSE[0],
            location=common_pb2.GeoPoint(latitude=WAREHOUSE[1], longitude=WAREHOUSE[2]),
        )
    )
    await stub.UpsertCarrier(pb.UpsertCarrierRequest(carrier=carrier()))
    await stub.UpsertVehicle(pb.UpsertVehicleRequest(vehicle=vehicle()))


def allocation(
    order_id: str, *parcels: tuple[str, float, float, int, int]
) -> wpb.AllocationCreated:
    """parcels: (parcel_id, latitude, longitude, window start, window end)."""
    return wpb.AllocationCreated(
        event_id=f"alloc-{order_id}",
        allocation_id=f"alloc-{order_id}",
        order_id=order_id,
        parcels=[
            wpb.AllocatedParcel(
                parcel_id=pid,
                warehouse_id=WAREHOUSE[0],
                origin=common_pb2.GeoPoint(latitude=WAREHOUSE[1], longitude=WAREHOUSE[2]),
                destination=common_pb2.GeoPoint(latitude=lat, longitude=lon),
                weight_grams=1200,
                volume_cm3=3000,
                delivery_window=common_pb2.TimeWindow(start_minute=start, end_minute=end),
                reservation_id=f"res-{pid}",
            )
            for pid, lat, lon, start, end in parcels
        ],
    )


async def publish_allocation(nats_url: str, message: wpb.AllocationCreated) -> None:
    nc = await nats.connect(nats_url)
    try:
        await nc.jetstream().publish(
            "warehouse.allocation.created",
            message.SerializeToString(),
            headers={"Nats-Msg-Id": message.event_id},
        )
    finally:
        await nc.close()


class RoutingEvents:
    """Everything the ROUTING stream holds, read from the start."""

    def __init__(self, nats_url: str) -> None:
        self.nats_url = nats_url
        self.seen: list[tuple[str, bytes]] = []

    async def __aenter__(self) -> RoutingEvents:
        self.nc = await nats.connect(self.nats_url)
        self.sub = await self.nc.jetstream().subscribe(
            "routing.>", stream="ROUTING", ordered_consumer=True
        )
        return self

    async def __aexit__(self, *exc_info: object) -> None:
        await self.nc.close()

    async def subjects(self) -> list[str]:
        while True:
            try:
                msg = await self.sub.next_msg(timeout=0.05)
            except nats.errors.TimeoutError:
                break
            self.seen.append((msg.subject, msg.data))
        return [subject for subject, _ in self.seen]
