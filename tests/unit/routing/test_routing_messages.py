from __future__ import annotations

from datetime import UTC, datetime

from google.protobuf.timestamp_pb2 import Timestamp

from cangpei.common.v1 import common_pb2
from cangpei.routing.v1 import routing_pb2 as pb
from cangpei.warehouse.v1 import warehouse_pb2 as wpb
from services.routing.adapters import messages
from services.routing.adapters.plan_codec import plan_from_json, plan_to_json
from services.routing.domain import events
from services.routing.domain.model import (
    CarrierAssignment,
    DispatchPlan,
    PlannedStop,
    Unassigned,
    VehicleRoute,
)

from .helpers import carrier, local, vehicle


def sample_plan() -> DispatchPlan:
    return DispatchPlan(
        plan_id="plan-1",
        warehouse_id="wh-sh",
        wave_id="w1",
        planned_at=local(9),
        routes=(
            VehicleRoute(
                "v1",
                (PlannedStop("a", 560.5, 1000), PlannedStop("b", 600.0, 2500)),
                12.3,
                2500,
                900,
                1615,
            ),
        ),
        carriers=(
            CarrierAssignment("c", "sf", 1200, "no vehicle can reach it in time", local(9).date()),
        ),
        unassigned=(Unassigned("d", "beyond coverage"),),
    )


def test_plan_survives_the_json_round_trip() -> None:
    plan = sample_plan()
    assert plan_from_json(plan_to_json(plan)) == plan


def test_plan_stored_before_pickup_days_reads_without_them() -> None:
    body = plan_to_json(sample_plan())
    body["carriers"] = [row[:4] for row in body["carriers"]]
    [assignment] = plan_from_json(body).carriers
    assert (assignment.carrier_id, assignment.pickup_day) == ("sf", None)


def test_plan_message_totals_routes_and_carriers() -> None:
    message = messages.plan_message(sample_plan(), revision=3)
    assert message.total_cost_fen == 1615 + 1200
    assert message.revision == 3
    assert [s.parcel_id for s in message.routes[0].stops] == ["a", "b"]
    assert message.unassigned[0].reason == "beyond coverage"


def test_carrier_and_vehicle_survive_the_protobuf_round_trip() -> None:
    card = carrier()
    assert messages.carrier_from_message(messages.carrier_message(card)) == card
    van = vehicle()
    assert messages.vehicle_from_message(messages.vehicle_message(van)) == van


def test_dispatched_event_names_the_vehicle_or_the_carrier() -> None:
    now = datetime(2026, 11, 25, 1, tzinfo=UTC)
    by_van = events.ParcelDispatched("p", "o", "wh", "r", "plan", None, "v1", 300)
    subject, message = messages.event_message(by_van, now)
    assert subject == "routing.parcel.dispatched"
    assert message.WhichOneof("assignee") == "vehicle_id" and message.vehicle_id == "v1"
    by_carrier = events.ParcelDispatched("p", "o", "wh", "r", "plan", "sf", None, 1200)
    _, message = messages.event_message(by_carrier, now)
    assert message.WhichOneof("assignee") == "carrier_id" and message.event_id


def test_allocation_parcels_keep_their_window_and_promise() -> None:
    promise = Timestamp()
    promise.FromDatetime(datetime(2026, 11, 26, 15, 59, tzinfo=UTC))
    message = wpb.AllocationCreated(
        order_id="o1",
        parcels=[
            wpb.AllocatedParcel(
                parcel_id="p1",
                warehouse_id="wh-sh",
                origin=common_pb2.GeoPoint(latitude=31.2, longitude=121.4),
                destination=common_pb2.GeoPoint(latitude=31.3, longitude=121.5),
                weight_grams=800,
                volume_cm3=100,
                promised_by=promise,
                delivery_window=common_pb2.TimeWindow(start_minute=540, end_minute=720),
                reservation_id="r1",
            ),
            wpb.AllocatedParcel(parcel_id="p2", warehouse_id="wh-sh", weight_grams=1),
        ],
    )
    first, second = messages.parcels_from_allocation(message)
    assert (first.window_start_minute, first.window_end_minute) == (540, 720)
    assert first.promised_by == datetime(2026, 11, 26, 15, 59, tzinfo=UTC)
    assert first.order_id == "o1" and first.reservation_id == "r1"
    assert (second.window_start_minute, second.window_end_minute) == (0, 1440)
    assert second.promised_by is None
    assert pb.PARCEL_STATUS_PENDING == messages.parcel_message(second).status
