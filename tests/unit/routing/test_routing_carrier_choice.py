from __future__ import annotations

import itertools
import random

import pytest

from services.routing.adapters.carrier_flow import choose_min_cost
from services.routing.domain.dispatch import choose_by_regret


def brute_force(offers, remaining):
    """Most parcels placed, then least total price, over every way of choosing."""
    parcel_ids = list(offers)
    best = None
    options = [[None, *[cid for cid, _ in offers[pid]]] for pid in parcel_ids]
    for picks in itertools.product(*options):
        load: dict[str, int] = {}
        for cid in picks:
            if cid is not None:
                load[cid] = load.get(cid, 0) + 1
        if any(n > remaining.get(cid, 0) for cid, n in load.items()):
            continue
        placed = sum(cid is not None for cid in picks)
        price = sum(
            dict(offers[pid])[cid] for pid, cid in zip(parcel_ids, picks, strict=True) if cid
        )
        key = (-placed, price)
        best = key if best is None else min(best, key)
    return best


def score(offers, chosen):
    return (-len(chosen), sum(dict(offers[pid])[cid] for pid, cid in chosen.items()))


@pytest.mark.parametrize("seed", range(8))
def test_min_cost_flow_places_most_parcels_at_least_price(seed: int) -> None:
    rng = random.Random(seed)
    carriers = ["sf", "yto", "zto"]
    offers = {
        f"p{k}": sorted(
            ((cid, rng.randint(500, 2000)) for cid in rng.sample(carriers, rng.randint(0, 3))),
            key=lambda o: o[1],
        )
        for k in range(6)
    }
    remaining = {cid: rng.randint(0, 3) for cid in carriers}
    chosen = choose_min_cost(offers, remaining)
    assert score(offers, chosen) == brute_force(offers, remaining)
    for cid in carriers:
        assert list(chosen.values()).count(cid) <= remaining[cid]


def test_greedy_can_miss_what_the_flow_finds() -> None:
    # p0 and p2 both depend on yto's last slot; the greedy gives it to the dearer one.
    offers = {
        "p0": [("yto", 200)],
        "p1": [("yto", 200), ("sf", 200)],
        "p2": [("yto", 900)],
    }
    remaining = {"sf": 2, "yto": 1}
    greedy = choose_by_regret(offers, remaining)
    exact = choose_min_cost(offers, remaining)
    assert score(offers, greedy) == (-2, 1100)
    assert exact == {"p0": "yto", "p1": "sf"} and score(offers, exact) == (-2, 400)
