"""The warehouse service's own rules, with the defaults of DOMAIN.md.

Every number a business person might want to change lives here and can be overridden
from the environment (CANGPEI_WAREHOUSE_<FIELD>), see ``cangpei.runtime.settings``.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class WarehouseConfig:
    # Satellite service radii (DOMAIN.md): the near tier, and the most any satellite may serve.
    near_radius_km: float = 50.0
    max_radius_km: float = 100.0
    default_service_radius_km: float = 50.0
    # Cost weights, in metres of parcel travel so that one unit compares with distance:
    # an extra parcel for one order costs as much as this many km, and so does each step
    # down the tiers (near satellite -> far satellite -> central -> supplier).
    extra_parcel_penalty_km: int = 30
    tier_step_penalty_km: int = 50
    # A line nobody can serve costs this much; far above any real plan so that the
    # solver serves every line it can.
    unserved_line_penalty_km: int = 100_000
    # Hours from dispatch to the consumer, per tier; used to reject impossible promises.
    near_transit_hours: int = 6
    far_transit_hours: int = 12
    central_transit_hours: int = 36
    supplier_transit_hours: int = 72
    # Local time of the warehouses' cut-offs (China Standard Time).
    utc_offset_minutes: int = 480
    default_cutoff_minute: int = 18 * 60
    # Solver: wall-clock limit, parallel workers, and the relative gap at which it may stop.
    solver_time_limit_seconds: float = 30.0
    # One worker runs the LP-guided search, the best on this model; more workers add
    # portfolio strategies that only pay off with spare cores.
    solver_workers: int = 1
    solver_relative_gap: float = 0.002
    # Waves larger than this are solved in blocks of neighbouring orders, in turn.
    solver_block_orders: int = 1500
    # Satellite candidates kept per order (nearest first) so large waves stay small.
    max_satellite_candidates: int = 8
    # Rounds of re-planning when inventory refuses a parcel because stock moved.
    max_replan_rounds: int = 2
    # Largest wave accepted in one request.
    max_wave_orders: int = 20_000
    # Fulfilment orders: how often the allocation loop looks for RECEIVED orders (a
    # submit wakes it at once), and the most orders it allocates in one wave.
    allocation_interval_seconds: float = 0.2
    allocation_batch_orders: int = 500
    # Solver limit of those waves: orders wait for it, so it is far below the limit of an
    # AllocateWave request (the greedy start and the LP dive already give a good plan).
    wave_solver_time_limit_seconds: float = 1.0
    # Shipping data of a SKU the catalog has not described (routing refuses weight 0).
    default_sku_weight_grams: int = 1000
    default_sku_volume_cm3: int = 1000
