"""Plans to and from plain JSON (stored whole: a plan is read and replaced as one)."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from ..domain.model import (
    CarrierAssignment,
    DispatchPlan,
    PlannedStop,
    PlanStatus,
    Unassigned,
    VehicleRoute,
)


def plan_to_json(plan: DispatchPlan) -> dict[str, Any]:
    return {
        "plan_id": plan.plan_id,
        "warehouse_id": plan.warehouse_id,
        "wave_id": plan.wave_id,
        "planned_at": plan.planned_at.isoformat(),
        "status": plan.status.value,
        "solve_seconds": plan.solve_seconds,
        "engine": plan.engine,
        "routes": [
            {
                "vehicle_id": r.vehicle_id,
                "distance_km": r.distance_km,
                "load_grams": r.load_grams,
                "load_cm3": r.load_cm3,
                "cost_fen": r.cost_fen,
                "back_at_minute": r.back_at_minute,
                "stops": [[s.parcel_id, s.eta_minute, s.load_grams_after] for s in r.stops],
            }
            for r in plan.routes
        ],
        "carriers": [
            [
                a.parcel_id,
                a.carrier_id,
                a.cost_fen,
                a.reason,
                a.pickup_day.isoformat() if a.pickup_day else None,
            ]
            for a in plan.carriers
        ],
        "unassigned": [[u.parcel_id, u.reason] for u in plan.unassigned],
    }


def plan_from_json(body: dict[str, Any]) -> DispatchPlan:
    return DispatchPlan(
        plan_id=body["plan_id"],
        warehouse_id=body["warehouse_id"],
        wave_id=body["wave_id"],
        planned_at=datetime.fromisoformat(body["planned_at"]),
        status=PlanStatus(body["status"]),
        solve_seconds=body.get("solve_seconds", 0.0),
        engine=body.get("engine", ""),
        routes=tuple(
            VehicleRoute(
                vehicle_id=r["vehicle_id"],
                stops=tuple(PlannedStop(pid, eta, load) for pid, eta, load in r["stops"]),
                distance_km=r["distance_km"],
                load_grams=r["load_grams"],
                load_cm3=r["load_cm3"],
                cost_fen=r["cost_fen"],
                # Plans stored before routes said when the vehicle is back: its last stop.
                back_at_minute=r.get(
                    "back_at_minute", max((eta for _, eta, _ in r["stops"]), default=0.0)
                ),
            )
            for r in body["routes"]
        ),
        carriers=tuple(_carrier_assignment(row) for row in body["carriers"]),
        unassigned=tuple(Unassigned(*row) for row in body["unassigned"]),
    )


def _carrier_assignment(row: list[Any]) -> CarrierAssignment:
    # Plans stored before the pickup day was recorded have four fields.
    parcel_id, carrier_id, cost_fen, reason, *rest = row
    pickup_day = date.fromisoformat(rest[0]) if rest and rest[0] else None
    return CarrierAssignment(parcel_id, carrier_id, cost_fen, reason, pickup_day)
