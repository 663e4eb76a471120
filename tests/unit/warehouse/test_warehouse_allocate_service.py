"""Allocating through the service layer: reserve per parcel, re-plan refusals, refuse bad input."""

from __future__ import annotations

import asyncio
import itertools
from datetime import timedelta

import pytest

from cangpei.runtime.errors import AlreadyExists, FailedPrecondition, NotFound
from services.warehouse.service_layer.allocate import (
    AllocateOrders,
    AllocationDeps,
    allocate_orders,
)

from .warehouse_helpers import (
    CONFIG,
    NOW,
    FakeInventory,
    FakeUnitOfWork,
    central,
    optimiser,
    order,
    satellite,
)


async def run_now(fn, *args):
    return fn(*args)


def deps_for(uow: FakeUnitOfWork, inventory: FakeInventory) -> AllocationDeps:
    ids = itertools.count(1)
    return AllocationDeps(
        uow=lambda: uow,
        stock=inventory,
        reserver=inventory,
        optimiser=optimiser(),
        config=CONFIG,
        run_blocking=run_now,
        run_cpu=run_now,
        now=lambda: NOW,
        new_id=lambda: f"AL-{next(ids)}",
    )


def network():
    return FakeUnitOfWork([satellite("S1", 5, capacity=10), satellite("S2", 30), central("C", 90)])


async def test_each_parcel_is_reserved_at_its_warehouse_and_the_allocation_published():
    uow = network()
    inventory = FakeInventory({("S1", "TEA"): 5, ("S2", "CUP"): 5, ("C", "CUP"): 5})
    result = await allocate_orders(
        AllocateOrders("W1", (order("O1", ("TEA", 2), ("CUP", 1)),)), deps_for(uow, inventory)
    )
    [record] = result.records
    assert sorted((p.warehouse_id, p.reservation_id != "") for p in record.parcels) == [
        ("S1", True),
        ("S2", True),
    ]
    assert sorted((loc, lines[0]) for _, loc, lines in inventory.requests) == [
        ("S1", ("TEA", 2)),
        ("S2", ("CUP", 1)),
    ]
    assert inventory.stock[("S1", "TEA")] == 3
    assert [r.allocation_id for r in uow.published] == ["AL-1"]
    assert any(text.startswith("2 x TEA from S1") for text in record.explanations)


async def test_a_refused_parcel_is_replanned_against_fresh_stock():
    uow = network()
    inventory = FakeInventory({("S1", "TEA"): 1, ("S2", "TEA"): 1})
    inventory.steal_before_reserve[("S1", "TEA")] = 1  # gone between planning and reserving
    result = await allocate_orders(
        AllocateOrders("W1", (order("O1", ("TEA", 1)),)), deps_for(uow, inventory)
    )
    [record] = result.records
    assert [p.warehouse_id for p in record.parcels] == ["S2"]
    assert [loc for _, loc, _ in inventory.requests] == ["S1", "S2"]
    assert result.replanned_lines == 1
    assert record.unserved == ()


async def test_lines_still_refused_after_the_last_round_are_reported_unserved():
    uow = FakeUnitOfWork([satellite("S1", 5)])
    inventory = FakeInventory({("S1", "TEA"): 1})

    async def always_short(*args):
        from services.warehouse.service_layer.ports import ReservationRefused

        raise ReservationRefused("short")

    inventory.reserve = always_short
    result = await allocate_orders(
        AllocateOrders("W1", (order("O1", ("TEA", 1)),)), deps_for(uow, inventory)
    )
    [record] = result.records
    assert record.parcels == ()
    [unserved] = record.unserved
    assert unserved.reason == (
        "inventory refused the reservation (stock moved meanwhile) "
        f"{CONFIG.max_replan_rounds + 1} times"
    )


async def test_unknown_sku_is_refused_by_name():
    uow = network()
    inventory = FakeInventory({("S1", "TEA"): 5})
    with pytest.raises(NotFound, match="unknown SKU 'GHOST': inventory has no record of it"):
        await allocate_orders(
            AllocateOrders("W1", (order("O1", ("TEA", 1), ("GHOST", 1)),)),
            deps_for(uow, inventory),
        )
    assert inventory.requests == [] and uow.published == []


async def test_known_sku_out_of_stock_everywhere_is_reported_unservable():
    uow = network()
    inventory = FakeInventory({("S1", "TEA"): 5, ("S2", "EMPTY"): 0})
    result = await allocate_orders(
        AllocateOrders("W1", (order("O1", ("TEA", 1), ("EMPTY", 1)),)), deps_for(uow, inventory)
    )
    [record] = result.records
    assert [p.warehouse_id for p in record.parcels] == ["S1"]
    assert [
        (u.sku, u.reason.startswith("no warehouse can ship 1 x EMPTY")) for u in record.unserved
    ] == [("EMPTY", True)]


async def test_impossible_promise_is_refused_with_the_earliest_delivery():
    uow = network()
    inventory = FakeInventory({("S1", "TEA"): 5})
    too_soon = order("O1", ("TEA", 1), promised_by=NOW + timedelta(hours=2))
    with pytest.raises(FailedPrecondition) as err:
        await allocate_orders(AllocateOrders("W1", (too_soon,)), deps_for(uow, inventory))
    # Earliest: S1's 20:00 cut-off today plus 6 h of near-tier transit, China time.
    assert "order 'O1' promises delivery by 2026-11-11T12:00:00+08:00" in err.value.message
    assert "earliest any warehouse can deliver is 2026-11-12T02:00:00+08:00" in err.value.message


async def test_an_order_is_allocated_only_once():
    uow = network()
    inventory = FakeInventory({("S1", "TEA"): 5})
    deps = deps_for(uow, inventory)
    await allocate_orders(AllocateOrders("W1", (order("O1", ("TEA", 1)),)), deps)
    with pytest.raises(AlreadyExists, match="already allocated: order 'O1' \\(allocation AL-1\\)"):
        await allocate_orders(AllocateOrders("W2", (order("O1", ("TEA", 1)),)), deps)


async def test_capacity_used_earlier_the_same_day_is_respected():
    uow = FakeUnitOfWork([satellite("S1", 5, capacity=1), central("C", 90)])
    inventory = FakeInventory({("S1", "TEA"): 5, ("C", "TEA"): 5})
    deps = deps_for(uow, inventory)
    first = await allocate_orders(AllocateOrders("W1", (order("O1", ("TEA", 1)),)), deps)
    second = await allocate_orders(AllocateOrders("W2", (order("O2", ("TEA", 1)),)), deps)
    assert [p.warehouse_id for p in first.records[0].parcels] == ["S1"]
    assert [p.warehouse_id for p in second.records[0].parcels] == ["C"]
    assert any("capacity full at S1" in t for t in second.records[0].explanations)


async def test_reservations_of_a_wave_run_concurrently():
    uow = FakeUnitOfWork([satellite(f"S{i}", 5 + i) for i in range(4)])
    inventory = FakeInventory({(f"S{i}", "TEA"): 1 for i in range(4)})
    in_flight = 0
    peak = 0
    original = inventory.reserve

    async def slow_reserve(*args):
        nonlocal in_flight, peak
        in_flight += 1
        peak = max(peak, in_flight)
        await asyncio.sleep(0)
        try:
            return await original(*args)
        finally:
            in_flight -= 1

    inventory.reserve = slow_reserve
    orders = tuple(order(f"O{i}", ("TEA", 1)) for i in range(4))
    result = await allocate_orders(AllocateOrders("W1", orders), deps_for(uow, inventory))
    assert sum(len(r.parcels) for r in result.records) == 4
    assert peak > 1
