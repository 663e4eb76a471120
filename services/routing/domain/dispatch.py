"""Planning one warehouse wave: own-fleet routes first, carriers for the rest.

The fleet's routing problem treats every parcel as optional, with the price of its
cheapest carrier as the cost of leaving it off the vehicles, so the solver weighs a
vehicle's distance against the carrier's price parcel by parcel. What the vehicles do
not take goes to carriers under each carrier's remaining daily capacity. A parcel that
neither a vehicle nor a carrier can serve is reported with the reasons, never dropped.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Protocol

from .geo import distance_matrix_km, haversine_km
from .model import Carrier as CarrierModel
from .model import (
    CarrierAssignment,
    DispatchPlan,
    Parcel,
    PlannedStop,
    Unassigned,
    Vehicle,
    VehicleRoute,
)
from .rates import Quote, Refusal, quote
from .route_check import earliest_service_starts, route_violations
from .vrp import FleetVehicle, VrpProblem, VrpSolution, route_distance


@dataclass(frozen=True)
class FleetSettings:
    """How the fleet moves. Defaults are for urban delivery; each is configuration."""

    speed_kmh: float = 30.0
    # Road distance over great-circle distance; 1.0 until a road-distance source is configured.
    road_factor: float = 1.0
    service_minutes: float = 5.0
    # Cost of leaving a parcel no carrier can take off the vehicles: high, so the solver
    # routes it whenever any vehicle can.
    no_carrier_penalty_fen: int = 100_000_000


class VrpSolver(Protocol):
    def solve(
        self, problem: VrpProblem, initial_routes: Sequence[Sequence[int]] | None = None
    ) -> VrpSolution: ...


class InfeasibleRoute(RuntimeError):
    """The solver returned a route the independent check rejects: a defect, never shipped."""


# Offers per parcel (carrier id, price in fen) and carriers' remaining capacity in,
# the chosen carrier per parcel out (a parcel left out gets none).
CarrierChooser = Callable[[dict[str, list[tuple[str, int]]], dict[str, int]], dict[str, str]]


def choose_by_regret(
    offers: dict[str, list[tuple[str, int]]], remaining: dict[str, int]
) -> dict[str, str]:
    """Greedy by regret: parcels that lose most by missing their cheapest carrier choose
    first, so scarce capacity goes where it saves most. Not always optimal; the
    min-cost-flow chooser in the adapters is."""
    left = dict(remaining)

    def regret(parcel_id: str) -> tuple[int, str]:
        own = offers[parcel_id]
        if len(own) < 2:
            return (10**12 if own else -1, parcel_id)
        return (own[1][1] - own[0][1], parcel_id)

    chosen: dict[str, str] = {}
    for parcel_id in sorted(offers, key=regret, reverse=True):
        pick = next((cid for cid, _ in offers[parcel_id] if left.get(cid, 0) > 0), None)
        if pick is not None:
            left[pick] -= 1
            chosen[parcel_id] = pick
    return chosen


@dataclass(frozen=True)
class WaveInput:
    plan_id: str
    wave_id: str
    warehouse_id: str
    now_local: datetime  # the wave's time on the warehouse's clock
    parcels: Sequence[Parcel]
    carriers: Sequence[CarrierModel]
    vehicles: Sequence[Vehicle]
    # Parcels each carrier already collects at this warehouse with its next pickup
    # (today's, or tomorrow's once today's cut-off has passed).
    carrier_used: dict[str, int]
    # Previous routes, vehicle id -> parcel ids in order, to start the search from.
    previous_routes: dict[str, list[str]] | None = None
    # Vehicles that already left on a route today, with the minute each is back at the
    # depot: they are out until then, and their fixed cost for the day is already paid.
    vehicles_out: dict[str, float] = field(default_factory=dict)


def minute_of_day(moment: datetime, midnight: datetime) -> float:
    return (moment - midnight) / timedelta(minutes=1)


def plan_wave(
    wave: WaveInput,
    solver: VrpSolver,
    fleet: FleetSettings,
    chooser: CarrierChooser = choose_by_regret,
) -> DispatchPlan:
    midnight = wave.now_local.replace(hour=0, minute=0, second=0, microsecond=0)
    now_minute = minute_of_day(wave.now_local, midnight)
    parcels = list(wave.parcels)
    distances = {
        p.parcel_id: fleet.road_factor
        * haversine_km(p.origin_latitude, p.origin_longitude, p.latitude, p.longitude)
        for p in parcels
    }
    quotes: dict[str, list[Quote]] = {}
    refusals: dict[str, list[str]] = {}
    for parcel in parcels:
        offers = [
            quote(c, parcel, distances[parcel.parcel_id], wave.now_local) for c in wave.carriers
        ]
        quotes[parcel.parcel_id] = sorted(
            (o for o in offers if isinstance(o, Quote)), key=lambda q: (q.cost_fen, q.carrier_id)
        )
        refusals[parcel.parcel_id] = [o.reason for o in offers if isinstance(o, Refusal)]

    vehicles = [v for v in wave.vehicles if v.active and v.depot_id == wave.warehouse_id]
    routes: list[VehicleRoute] = []
    fleet_reasons: dict[str, str] = {}
    routed: set[str] = set()
    solve_seconds, engine = 0.0, ""
    if not vehicles:
        for parcel in parcels:
            fleet_reasons[parcel.parcel_id] = f"warehouse {wave.warehouse_id} has no own vehicles"
    elif parcels:
        routes, routed, fleet_reasons, solve_seconds, engine = _route_fleet(
            wave, parcels, vehicles, quotes, midnight, now_minute, solver, fleet
        )

    carriers, unassigned = assign_carriers(
        [p for p in parcels if p.parcel_id not in routed],
        quotes,
        {c.carrier_id: c.capacity_at(wave.warehouse_id) for c in wave.carriers},
        wave.carrier_used,
        fleet_reasons,
        refusals,
        chooser,
    )
    return DispatchPlan(
        plan_id=wave.plan_id,
        warehouse_id=wave.warehouse_id,
        wave_id=wave.wave_id,
        planned_at=wave.now_local,
        routes=tuple(routes),
        carriers=tuple(carriers),
        unassigned=tuple(unassigned),
        solve_seconds=solve_seconds,
        engine=engine,
    )


def _route_fleet(
    wave: WaveInput,
    parcels: list[Parcel],
    vehicles: list[Vehicle],
    quotes: dict[str, list[Quote]],
    midnight: datetime,
    now_minute: float,
    solver: VrpSolver,
    fleet: FleetSettings,
):
    candidates: list[Parcel] = []
    windows: list[tuple[float, float]] = []
    reasons: dict[str, str] = {}
    for parcel in parcels:
        end = float(parcel.window_end_minute)
        if parcel.promised_by is not None:
            end = min(end, minute_of_day(parcel.promised_by, midnight))
        start = max(float(parcel.window_start_minute), now_minute)
        if end < start:
            reasons[parcel.parcel_id] = (
                "no vehicle can arrive within the delivery window "
                f"[{parcel.window_start_minute}, {parcel.window_end_minute}) min before the promise"
            )
            continue
        candidates.append(parcel)
        windows.append((start, end))
    if not candidates:
        return [], set(), reasons, 0.0, ""
    depot = (candidates[0].origin_latitude, candidates[0].origin_longitude)
    points = [depot, *((p.latitude, p.longitude) for p in candidates)]
    km = [[d * fleet.road_factor for d in row] for row in distance_matrix_km(points)]
    minutes_per_km = 60.0 / fleet.speed_kmh
    travel = [[d * minutes_per_km for d in row] for row in km]
    fleet_vehicles = [
        FleetVehicle(
            vehicle_id=v.vehicle_id,
            capacity=(v.capacity_grams, v.capacity_cm3),
            shift_start=max(
                float(v.shift_start_minute), now_minute, wave.vehicles_out.get(v.vehicle_id, 0.0)
            ),
            shift_end=float(v.shift_end_minute),
            fixed_cost=_fixed_cost_today(v, wave),
            cost_per_distance=float(v.cost_per_km_fen),
        )
        for v in vehicles
    ]
    # A vehicle whose shift is over before the wave can take nothing; keep its window valid.
    shifts_over = all(fv.shift_end <= fv.shift_start for fv in fleet_vehicles)
    fleet_vehicles = [
        fv if fv.shift_end >= fv.shift_start else _closed(fv) for fv in fleet_vehicles
    ]
    penalties: list[int | None] = [None]
    for parcel in candidates:
        offers = quotes[parcel.parcel_id]
        penalties.append(offers[0].cost_fen if offers else fleet.no_carrier_penalty_fen)
    problem = VrpProblem(
        distance=km,
        travel_time=travel,
        service_time=[0.0] + [fleet.service_minutes] * len(candidates),
        windows=[(0.0, float(2 * 24 * 60)), *windows],
        demands=[(0, 0), *((p.weight_grams, p.volume_cm3) for p in candidates)],
        vehicles=fleet_vehicles,
        drop_penalty=penalties,
    )
    if not shifts_over:
        too_dear = _no_route_pays(fleet_vehicles, penalties, km[0])
        if too_dear:
            # The search could only confirm that every parcel goes by carrier: skip it.
            for parcel in candidates:
                reasons[parcel.parcel_id] = too_dear
            return [], set(), reasons, 0.0, ""
    initial = _initial_routes(wave.previous_routes, vehicles, candidates)
    solution = solver.solve(problem, initial_routes=initial)
    violations = route_violations(problem, solution)
    if violations:
        raise InfeasibleRoute("; ".join(violations[:5]))

    routes: list[VehicleRoute] = []
    routed: set[str] = set()
    for planned in solution.routes:
        if not planned.stops:
            continue
        vehicle = vehicles[planned.vehicle]
        starts = earliest_service_starts(problem, planned.vehicle, planned.stops)
        load = 0
        stops = []
        for node, eta in zip(planned.stops, starts, strict=True):
            parcel = candidates[node - 1]
            load += parcel.weight_grams
            stops.append(PlannedStop(parcel.parcel_id, round(eta, 2), load))
            routed.add(parcel.parcel_id)
        distance = route_distance(problem, planned.stops)
        last = planned.stops[-1]
        back_at = starts[-1] + problem.service_time[last] + problem.travel_time[last][0]
        routes.append(
            VehicleRoute(
                vehicle_id=vehicle.vehicle_id,
                stops=tuple(stops),
                distance_km=round(distance, 3),
                load_grams=load,
                load_cm3=sum(candidates[n - 1].volume_cm3 for n in planned.stops),
                cost_fen=_fixed_cost_today(vehicle, wave)
                + round(distance * vehicle.cost_per_km_fen),
                back_at_minute=round(back_at, 2),
            )
        )
    if shifts_over:
        last_end = max(v.shift_end_minute for v in vehicles)
        not_routed = (
            "the warehouse's own vehicles have no time left in their shifts "
            f"(the last ends at {last_end // 60:02d}:{last_end % 60:02d})"
        )
    else:
        not_routed = "cheaper by carrier, or no vehicle can reach it in time"
    for parcel in candidates:
        if parcel.parcel_id not in routed:
            reasons[parcel.parcel_id] = not_routed
    return routes, routed, reasons, solution.solve_seconds, solution.engine


def _no_route_pays(
    vehicles: list[FleetVehicle], penalties: list[int | None], depot_km: list[float]
) -> str:
    """Why no vehicle can carry any of the wave's parcels for less than the carriers
    would, or "" when one might.

    A route that serves a set of parcels replaces their carrier prices with the
    vehicle's fixed cost for the day plus its distance cost, and it is at least the
    round trip to the nearest parcel long. When even that, for the cheapest vehicle,
    costs as much as every parcel of the wave by carrier, sending all by carrier is
    optimal: an exact shortcut, not a heuristic. It is what most small waves find,
    since a vehicle's day costs as much as dozens of carrier parcels.
    """
    at_stake = sum(p for p in penalties[1:] if p is not None)
    nearest_round_trip = 2 * min(depot_km[1:])
    cheapest = min(v.fixed_cost + v.cost_per_distance * nearest_round_trip for v in vehicles)
    if cheapest < at_stake:
        return ""
    return (
        f"cheaper by carrier: the cheapest vehicle trip ({cheapest / 100:.2f} CNY) costs at least "
        f"as much as the wave's {len(penalties) - 1} parcels by carrier ({at_stake / 100:.2f} CNY)"
    )


def _fixed_cost_today(vehicle: Vehicle, wave: WaveInput) -> int:
    """A vehicle's fixed cost is paid once a day: nothing more for its later trips."""
    return 0 if vehicle.vehicle_id in wave.vehicles_out else vehicle.fixed_cost_fen


def _closed(vehicle: FleetVehicle) -> FleetVehicle:
    return FleetVehicle(
        vehicle.vehicle_id,
        vehicle.capacity,
        vehicle.shift_start,
        vehicle.shift_start,
        vehicle.fixed_cost,
        vehicle.cost_per_distance,
    )


def _initial_routes(
    previous: dict[str, list[str]] | None, vehicles: list[Vehicle], candidates: list[Parcel]
) -> list[list[int]] | None:
    """Previous routes in solver nodes, without parcels that are gone (cancelled, departed)."""
    if not previous:
        return None
    node_of = {p.parcel_id: k + 1 for k, p in enumerate(candidates)}
    routes = [
        [node_of[pid] for pid in previous.get(v.vehicle_id, []) if pid in node_of] for v in vehicles
    ]
    return routes if any(routes) else None


def assign_carriers(
    parcels: Sequence[Parcel],
    quotes: dict[str, list[Quote]],
    capacity: dict[str, int],
    used: dict[str, int],
    fleet_reasons: dict[str, str],
    refusals: dict[str, list[str]],
    chooser: CarrierChooser = choose_by_regret,
) -> tuple[list[CarrierAssignment], list[Unassigned]]:
    """Give each parcel to a carrier under the carriers' remaining daily capacity,
    placing as many parcels as possible at the least total price."""
    remaining = {cid: max(0, capacity.get(cid, 0) - used.get(cid, 0)) for cid in capacity}
    offers = {
        p.parcel_id: [(q.carrier_id, q.cost_fen) for q in quotes.get(p.parcel_id, [])]
        for p in parcels
    }
    chosen = chooser(offers, remaining)
    assignments: list[CarrierAssignment] = []
    unassigned: list[Unassigned] = []
    for parcel in parcels:
        pid = parcel.parcel_id
        if pid in chosen:
            pick = next(q for q in quotes[pid] if q.carrier_id == chosen[pid])
            assignments.append(
                CarrierAssignment(
                    pid,
                    pick.carrier_id,
                    pick.cost_fen,
                    fleet_reasons.get(pid, ""),
                    pick.pickup_at.date(),
                )
            )
            continue
        reasons = [*refusals.get(pid, []), fleet_reasons.get(pid, "")]
        if offers[pid]:
            full = ", ".join(cid for cid, _ in offers[pid])
            reasons = [f"daily capacity at this warehouse is full for {full}", *reasons]
        unassigned.append(Unassigned(pid, "; ".join(r for r in reasons if r)))
    assignments.sort(key=lambda a: a.parcel_id)
    unassigned.sort(key=lambda u: u.parcel_id)
    return assignments, unassigned
