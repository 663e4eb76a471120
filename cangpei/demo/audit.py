"""After a run: does inventory's ledger agree with what the orders say happened?

Checks, through the public APIs only:
- every (SKU, location) ledger sums to the on-hand and reserved figures reported;
- nothing is left reserved once every order is final (no leaked reservation);
- the stock committed per SKU equals the quantities of completed orders (no parcel
  committed twice, none lost).
"""

from __future__ import annotations

from collections import Counter

from cangpei.common.v1.common_pb2 import PageRequest
from cangpei.demo.clients import Clients
from cangpei.inventory.v1 import inventory_pb2 as inv
from cangpei.warehouse.v1 import warehouse_pb2 as wh


async def _history(clients: Clients, sku: str, location_id: str) -> list[inv.LedgerEntry]:
    entries: list[inv.LedgerEntry] = []
    token = ""
    while True:
        page = await clients.inventory.GetHistory(
            inv.GetHistoryRequest(
                sku=sku, location_id=location_id, page=PageRequest(page_size=1000, page_token=token)
            ),
            timeout=30,
        )
        entries.extend(page.entries)
        token = page.next_page_token
        if not token:
            return entries


async def audit_ledger(
    clients: Clients, skus: list[str], orders: list[wh.FulfilmentOrder]
) -> list[str]:
    """Problems found (empty when the ledger and the orders agree)."""
    problems: list[str] = []
    availability = await clients.inventory.GetAvailability(
        inv.GetAvailabilityRequest(skus=skus), timeout=30
    )
    committed = Counter()
    for item in availability.items:
        entries = await _history(clients, item.sku, item.location_id)
        on_hand = sum(entry.on_hand_delta for entry in entries)
        reserved = sum(entry.reserved_delta for entry in entries)
        if (on_hand, reserved) != (item.on_hand, item.reserved):
            problems.append(
                f"{item.sku} at {item.location_id}: ledger sums to on hand {on_hand}, "
                f"reserved {reserved}, but availability says {item.on_hand}, {item.reserved}"
            )
        if item.reserved:
            problems.append(
                f"{item.sku} at {item.location_id}: {item.reserved} units still reserved"
            )
        for entry in entries:
            if entry.kind == "commit":
                committed[item.sku] += -entry.on_hand_delta
    shipped = Counter()
    for order in orders:
        if order.status == wh.FULFILMENT_STATUS_COMPLETED:
            for line in order.order.lines:
                shipped[line.sku] += line.quantity
    for sku in sorted(set(committed) | set(shipped)):
        if committed[sku] != shipped[sku]:
            problems.append(
                f"{sku}: {committed[sku]} units committed, "
                f"but completed orders shipped {shipped[sku]}"
            )
    return problems
