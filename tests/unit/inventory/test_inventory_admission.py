import asyncio

import pytest

from cangpei.runtime.errors import FailedPrecondition
from services.inventory.domain.commands import ReserveStock
from services.inventory.service_layer.admission import ReservationAdmission


def cmd(key: str) -> ReserveStock:
    return ReserveStock(key, "o", ())


async def test_concurrent_submissions_are_grouped_into_batches():
    seen: list[list[str]] = []
    gate = asyncio.Event()

    async def run_batch(cmds):
        seen.append([c.idempotency_key for c in cmds])
        await gate.wait()
        return [f"ok-{c.idempotency_key}" for c in cmds]

    admission = ReservationAdmission(run_batch, batch_size=10, workers=1)
    runner = asyncio.create_task(admission.run())
    first = asyncio.create_task(admission.submit(cmd("a")))
    while not seen:
        await asyncio.sleep(0)
    rest = [asyncio.create_task(admission.submit(cmd(str(i)))) for i in range(15)]
    await asyncio.sleep(0)
    gate.set()
    results = await asyncio.gather(first, *rest)
    runner.cancel()
    assert results == ["ok-a", *[f"ok-{i}" for i in range(15)]]
    assert [len(b) for b in seen] == [1, 10, 5]


async def test_each_caller_gets_its_own_refusal():
    async def run_batch(cmds):
        return [
            FailedPrecondition(f"no {c.idempotency_key}") if c.idempotency_key == "b" else "ok"
            for c in cmds
        ]

    admission = ReservationAdmission(run_batch, batch_size=10, workers=2)
    runner = asyncio.create_task(admission.run())
    a, b = admission.submit(cmd("a")), admission.submit(cmd("b"))
    results = await asyncio.gather(a, b, return_exceptions=True)
    runner.cancel()
    assert results[0] == "ok"
    assert isinstance(results[1], FailedPrecondition) and results[1].message == "no b"


async def test_a_failing_batch_fails_its_callers_not_the_queue():
    calls = 0

    async def run_batch(cmds):
        nonlocal calls
        calls += 1
        if calls == 1:
            raise RuntimeError("database went away")
        return ["ok" for _ in cmds]

    admission = ReservationAdmission(run_batch, batch_size=10, workers=1)
    runner = asyncio.create_task(admission.run())
    with pytest.raises(RuntimeError):
        await admission.submit(cmd("a"))
    assert await admission.submit(cmd("b")) == "ok"
    runner.cancel()


async def test_linger_lets_requests_arriving_together_share_a_batch():
    seen: list[int] = []

    async def run_batch(cmds):
        seen.append(len(cmds))
        return ["ok" for _ in cmds]

    admission = ReservationAdmission(run_batch, batch_size=10, workers=1, linger_seconds=0.05)
    runner = asyncio.create_task(admission.run())
    first = asyncio.create_task(admission.submit(cmd("a")))
    await asyncio.sleep(0.01)  # the first request is taken and lingering
    second = asyncio.create_task(admission.submit(cmd("b")))
    assert await asyncio.gather(first, second) == ["ok", "ok"]
    runner.cancel()
    assert seen == [2]
