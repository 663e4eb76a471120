"""Orders flowing through four service processes survive SIGKILLs of the broker and of
every service: each order ends final, none is lost or applied twice, no reservation
leaks, and the inventory ledger agrees with the orders."""

from __future__ import annotations

import asyncio
import os
import signal
from pathlib import Path

import pytest

from cangpei.demo.clients import Clients
from cangpei.stack import Stack, StackConfig

from .flow_harness import assert_flow_outcome, orders_for, seed, settle, submit_all, when_submitted

# 5,000 orders flow while the broker and every service are killed (about 2 minutes
# here); CANGPEI_FAULT_ORDERS sets another count, e.g. a longer soak.
ORDERS = int(os.environ.get("CANGPEI_FAULT_ORDERS", "5000"))
SERVICES = ("catalog", "inventory", "warehouse", "routing")


async def _inject_faults(stack: Stack, progress: list[int], log: list[str]) -> None:
    loop = asyncio.get_running_loop()
    for share in (0.1, 0.25, 0.4):
        await when_submitted(progress, share * ORDERS)
        stack.nats.kill()  # type: ignore[union-attr]
        log.append(f"nats-server SIGKILLed at {progress[0]} submitted")
        await asyncio.sleep(1.0)  # an outage long enough for every client to notice
        await loop.run_in_executor(None, stack.nats.start)  # type: ignore[union-attr]
    for share, service in zip((0.5, 0.6, 0.7, 0.8), SERVICES, strict=True):
        await when_submitted(progress, share * ORDERS)
        await loop.run_in_executor(None, stack.restart, service, signal.SIGKILL)
        log.append(f"{service} SIGKILLed and restarted at {progress[0]} submitted")
        await loop.run_in_executor(None, stack.wait_serving, 60, [service])


async def _scenario(stack: Stack) -> None:
    clients = Clients.connect(stack.addresses, stack.staff_token)
    try:
        cities = await seed(clients)
        progress, faults = [0], []
        await asyncio.gather(
            submit_all(clients, orders_for(cities, ORDERS), "FT", progress),
            _inject_faults(stack, progress, faults),
        )
        assert len(faults) == 7, faults
        await assert_flow_outcome(clients, await settle(clients, "FT"), ORDERS)
    finally:
        await clients.close()


@pytest.mark.timeout(900)
def test_flow_survives_broker_and_service_kills_without_loss_or_duplicates(tmp_path: Path):
    stack = Stack(StackConfig(data_dir=tmp_path))
    stack.start(progress=lambda _: None)
    try:
        asyncio.run(_scenario(stack))
    finally:
        stack.stop()
