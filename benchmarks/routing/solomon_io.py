"""Reading Solomon's VRPTW instances into the routing service's problem type."""

from __future__ import annotations

import csv
import math
from dataclasses import dataclass
from pathlib import Path

from services.routing.domain.vrp import FleetVehicle, VrpProblem

DATA = Path(__file__).resolve().parents[2] / ".." / "shared" / "data" / "solomon"


@dataclass(frozen=True)
class SolomonInstance:
    name: str
    problem: VrpProblem
    coordinates: list[tuple[float, float]]
    vehicle_limit: int
    capacity: int


def read_instance(path: Path) -> SolomonInstance:
    lines = [line.split() for line in path.read_text().splitlines()]
    numbers = [row for row in lines if row and all(_is_number(t) for t in row)]
    vehicle_limit, capacity = (int(t) for t in numbers[0])
    rows = [[float(t) for t in row] for row in numbers[1:]]
    xy = [(row[1], row[2]) for row in rows]
    n = len(rows)
    # Distances in double precision, as in the literature's distance-only records.
    distance = [
        [math.hypot(xy[i][0] - xy[j][0], xy[i][1] - xy[j][1]) for j in range(n)] for i in range(n)
    ]
    horizon = rows[0][5]
    vehicles = [
        FleetVehicle(vehicle_id=f"v{k}", capacity=(capacity,), shift_start=0.0, shift_end=horizon)
        for k in range(vehicle_limit)
    ]
    problem = VrpProblem(
        distance=distance,
        travel_time=distance,
        service_time=[row[6] for row in rows],
        windows=[(row[4], row[5]) for row in rows],
        demands=[(int(row[3]),) for row in rows],
        vehicles=vehicles,
    )
    return SolomonInstance(path.stem, problem, xy, vehicle_limit, capacity)


def read_best_known(path: Path | None = None) -> dict[str, dict[str, str]]:
    path = path or DATA / "solomon_100_bks.csv"
    with path.open(newline="") as handle:
        return {row["instance"]: row for row in csv.DictReader(handle)}


def instance_paths(names: list[str] | None = None) -> list[Path]:
    paths = sorted(DATA.glob("*.txt"))
    if names:
        wanted = {name.upper() for name in names}
        paths = [p for p in paths if p.stem.upper() in wanted]
    return paths


def _is_number(token: str) -> bool:
    try:
        float(token)
    except ValueError:
        return False
    return True
