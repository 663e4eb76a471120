"""Dispatching a wave in three steps so the solver never holds a transaction open:
read the wave (worker thread), solve (CPU pool), record the plan (worker thread)."""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Sequence
from datetime import UTC, datetime
from typing import Any

from ..config import RoutingConfig
from ..domain.dispatch import (
    CarrierChooser,
    FleetSettings,
    VrpSolver,
    WaveInput,
    choose_by_regret,
    plan_wave,
)
from ..domain.model import Parcel
from ..domain.vrp import PlannedRoute, VrpProblem, VrpSolution
from . import handlers
from .ports import StoredPlan, UnitOfWorkFactory

Runner = Callable[..., Awaitable[Any]]


class Dispatcher:
    def __init__(
        self,
        uow_factory: UnitOfWorkFactory,
        solver: VrpSolver,
        replan_solver: VrpSolver,
        config: RoutingConfig,
        run_blocking: Runner,
        run_cpu: Runner,
        clock: Callable[[], datetime] = lambda: datetime.now(UTC),
        chooser: CarrierChooser = choose_by_regret,
    ) -> None:
        self.chooser = chooser
        self.uow_factory = uow_factory
        self.solver = solver
        self.replan_solver = replan_solver
        self.config = config
        self.fleet = FleetSettings(
            speed_kmh=config.speed_kmh,
            road_factor=config.road_factor,
            service_minutes=config.service_minutes,
            no_carrier_penalty_fen=config.no_carrier_penalty_fen,
        )
        self.run_blocking = run_blocking
        self.run_cpu = run_cpu
        self.clock = clock

    def now_local(self) -> datetime:
        return self.clock().astimezone(self.config.timezone)

    def _in_uow(self, fn: Callable[..., Any], *args: Any) -> Callable[[], Any]:
        def call() -> Any:
            with self.uow_factory() as uow:
                return fn(*args, uow)

        return call

    async def dispatch_wave(self, warehouse_id: str, wave_id: str = "") -> StoredPlan:
        """Plan the warehouse's waiting parcels, or re-plan its open wave with the new ones."""
        return await self._plan(warehouse_id, wave_id, cancelling=None)

    async def cancel_parcel(self, parcel_id: str) -> tuple[Parcel, StoredPlan | None]:
        """Cancel a parcel; when it is in the open wave, the wave is re-planned without it."""
        parcel, in_open_plan = await self.run_blocking(
            self._in_uow(handlers.cancel_or_locate, parcel_id)
        )
        if not in_open_plan:
            return parcel, None
        plan = await self._plan(parcel.warehouse_id, "", cancelling=parcel_id)
        cancelled = await self.run_blocking(self._in_uow(handlers.require_parcel_in, parcel_id))
        return cancelled, plan

    async def _plan(self, warehouse_id: str, wave_id: str, cancelling: str | None) -> StoredPlan:
        now = self.now_local()
        prepared = await self.run_blocking(
            self._in_uow(handlers.prepare_wave, warehouse_id, wave_id, now, cancelling)
        )
        if fleet_can_help(prepared.wave):
            try:
                # Most waves are settled without a search (no vehicle can win them):
                # pricing them here spares the round trip to the solver process.
                plan = await self.run_blocking(
                    plan_wave, prepared.wave, SEARCH_NEEDED, self.fleet, self.chooser
                )
            except SearchNeeded:
                # Re-planning starts from the previous routes, so a shorter search suffices.
                solver = self.solver if prepared.previous is None else self.replan_solver
                plan = await self.run_cpu(
                    plan_wave, prepared.wave, solver, self.fleet, self.chooser
                )
        else:
            # Carriers only: pricing the parcels is quick, no search and no solver process.
            plan = await self.run_blocking(
                plan_wave, prepared.wave, NO_ROUTES, self.fleet, self.chooser
            )
        return await self.run_blocking(self._in_uow(handlers.commit_plan, prepared, plan))

    async def dispatch_all_waiting(self) -> list[StoredPlan]:
        """One automatic round: every warehouse with waiting parcels gets its wave planned."""
        warehouses = await self.run_blocking(self._in_uow(_warehouses_waiting))
        plans = []
        for warehouse_id in warehouses:
            plans.append(await self.dispatch_wave(warehouse_id))
        return plans


def fleet_can_help(wave: WaveInput) -> bool:
    """Whether any own vehicle of the warehouse is active, at the depot or back from its
    trip before its shift ends."""
    now_minute = wave.now_local.hour * 60 + wave.now_local.minute
    return any(
        v.active
        and v.depot_id == wave.warehouse_id
        and v.shift_end_minute > max(now_minute, wave.vehicles_out.get(v.vehicle_id, 0.0))
        for v in wave.vehicles
    )


class _NoRoutes:
    """The solver of a wave no vehicle can serve: every parcel is left to the carriers."""

    def solve(
        self, problem: VrpProblem, initial_routes: Sequence[Sequence[int]] | None = None
    ) -> VrpSolution:
        stops = range(1, problem.size)  # node 0 is the depot
        return VrpSolution(
            routes=tuple(PlannedRoute(k, ()) for k in range(len(problem.vehicles))),
            dropped=tuple(stops),
            engine="none",
        )


NO_ROUTES = _NoRoutes()


class SearchNeeded(Exception):
    """The wave needs the routing search, which runs in the solver process."""


class _SearchNeededSolver:
    def solve(
        self, problem: VrpProblem, initial_routes: Sequence[Sequence[int]] | None = None
    ) -> VrpSolution:
        raise SearchNeeded


SEARCH_NEEDED = _SearchNeededSolver()


def _warehouses_waiting(uow) -> list[str]:
    return uow.repo.warehouses_with_pending_parcels()
