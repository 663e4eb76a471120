"""What an allocation decides and why: parcels, lines nobody could serve, and the solver's word."""

from __future__ import annotations

import enum
from dataclasses import dataclass

from .order import OrderLine
from .tiers import Tier


class SolveStatus(enum.Enum):
    OPTIMAL = "optimal"
    FEASIBLE = "feasible"  # stopped at the time limit with a plan, maybe not the best
    GREEDY = "greedy"  # the solver found nothing in time; the greedy plan is used


@dataclass(frozen=True)
class SolveReport:
    status: SolveStatus
    objective: int
    best_bound: int
    wall_seconds: float
    build_seconds: float = 0.0

    @property
    def gap(self) -> float:
        """Relative distance between the plan's cost and the proven lower bound."""
        if self.objective == 0:
            return 0.0
        return max(0.0, (self.objective - self.best_bound) / abs(self.objective))

    @property
    def stopped_early(self) -> bool:
        return self.status is not SolveStatus.OPTIMAL


@dataclass(frozen=True)
class PlannedParcel:
    order_id: str
    warehouse_id: str
    tier: Tier
    distance_km: float
    lines: tuple[OrderLine, ...]
    explanation: str


@dataclass(frozen=True)
class UnservedLine:
    order_id: str
    sku: str
    quantity: int
    reason: str


@dataclass(frozen=True)
class LineExplanation:
    """Why a line was not served from a nearer tier (only for lines below the best tier)."""

    order_id: str
    sku: str
    tier: Tier | None  # None when unserved
    text: str


@dataclass(frozen=True)
class PlanCost:
    """The plan's cost in the model's unit (metres of travel), with its parts."""

    total: int
    distance_m: int
    parcels: int
    extra_parcels: int
    tier_steps: int
    unserved_lines: int


@dataclass(frozen=True)
class AllocationPlan:
    parcels: tuple[PlannedParcel, ...]
    unserved: tuple[UnservedLine, ...]
    explanations: tuple[LineExplanation, ...]
    cost: PlanCost
    report: SolveReport
