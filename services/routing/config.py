"""The routing service's own rules and tunables (override with CANGPEI_ROUTING_<FIELD>)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta, timezone


@dataclass(frozen=True)
class RoutingConfig:
    # Warehouses keep China Standard Time: windows and cut-offs are minutes of that clock.
    utc_offset_minutes: int = 480
    speed_kmh: float = 30.0
    road_factor: float = 1.0
    service_minutes: float = 5.0
    no_carrier_penalty_fen: int = 100_000_000
    solver_engine: str = "ortools"
    solver_time_limit_seconds: float = 5.0
    replan_time_limit_seconds: float = 2.0
    solver_workers: int = 1
    # Deliveries of an allocation event before it is set aside in the dead-letter stream.
    allocation_max_deliver: int = 5
    # Seconds between automatic dispatch rounds over warehouses with waiting parcels; 0 = off.
    dispatch_interval_seconds: float = 300.0
    # In each dispatch round, a wave planned at least this long ago departs by itself
    # (0: in the round that planned it), without waiting for ConfirmDeparture. Off, a
    # wave waits for ConfirmDeparture. Either way it needs the round, so an interval > 0.
    auto_depart: bool = True
    auto_depart_after_seconds: float = 0.0
    # Warehouses a dispatch round plans at the same time: a warehouse whose wave only
    # needs carriers (a quick pricing) need not wait behind another's routing search.
    dispatch_concurrency: int = 4

    @property
    def timezone(self) -> timezone:
        return timezone(timedelta(minutes=self.utc_offset_minutes))
