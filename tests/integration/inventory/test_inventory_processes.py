"""``python -m services.inventory`` with CANGPEI_INVENTORY_PROCESSES=2: two server
processes share the gRPC port, and together they still never oversell; with
CANGPEI_INVENTORY_RELAY_PROCESS=true (by default on PostgreSQL) a process of its own
publishes the outbox."""

from __future__ import annotations

import asyncio
import contextlib
import os
import signal
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import grpc
from grpc_health.v1 import health_pb2, health_pb2_grpc
from sqlalchemy import func, select

from cangpei.inventory.v1 import inventory_pb2_grpc
from cangpei.runtime.app import RELAY_ELSEWHERE_ENV
from cangpei.runtime.db import Database
from cangpei.runtime.outbox import outbox
from tests.integration.inventory.app_helpers import (
    EventTap,
    reserve_request,
    start_inventory,
    stock_up,
    stub_for,
)

ROOT = Path(__file__).resolve().parents[3]


def children_of(pid: int) -> list[int]:
    try:
        return [int(c) for c in Path(f"/proc/{pid}/task/{pid}/children").read_text().split()]
    except OSError:
        return []


def serving(address: str) -> bool:
    with grpc.insecure_channel(address) as channel:
        try:
            answer = health_pb2_grpc.HealthStub(channel).Check(
                health_pb2.HealthCheckRequest(service=""), timeout=1
            )
        except grpc.RpcError:
            return False
    return answer.status == health_pb2.HealthCheckResponse.SERVING


@contextlib.contextmanager
def supervisor(
    database_url: str, nats_url: str, port: int, data_dir: Path, **settings: str | None
) -> Iterator[subprocess.Popen[bytes]]:
    """``python -m services.inventory`` with two server processes on ``port`` and no relay
    process, unless ``settings`` (CANGPEI_INVENTORY_<NAME>; None: the service's default)
    say otherwise; killed if a test leaves it."""
    env = {
        **os.environ,
        "CANGPEI_INVENTORY_DATABASE_URL": database_url,
        "CANGPEI_NATS_URL": nats_url,
        "CANGPEI_INVENTORY_GRPC_PORT": str(port),
        "CANGPEI_DATA_DIR": str(data_dir),
        "CANGPEI_INVENTORY_PROCESSES": "2",
        "CANGPEI_INVENTORY_RELAY_PROCESS": "false",
        "CANGPEI_INVENTORY_LEARN_SKUS_FROM_CATALOG": "false",
        **{f"CANGPEI_INVENTORY_{name.upper()}": value for name, value in settings.items()},
    }
    env = {name: value for name, value in env.items() if value is not None}
    with open(data_dir / "inventory.log", "wb") as log:
        parent = subprocess.Popen(
            [sys.executable, "-m", "services.inventory"], cwd=ROOT, env=env, stdout=log, stderr=log
        )
    try:
        yield parent
    finally:
        if parent.poll() is None:
            parent.kill()
            parent.wait()


def stop_cleanly(parent: subprocess.Popen[bytes], children: list[int]) -> None:
    """SIGTERM to the supervisor: it exits 0 and takes its processes with it."""
    parent.send_signal(signal.SIGTERM)
    assert parent.wait(30) == 0
    assert not any(Path(f"/proc/{pid}").exists() for pid in children)


async def test_two_processes_share_the_port_and_sell_out_exactly(
    database_url, nats_server, free_port, tmp_path, wait_until
):
    port = free_port()
    address = f"127.0.0.1:{port}"
    with supervisor(database_url, nats_server.url, port, tmp_path) as parent:
        wait_until(lambda: len(children_of(parent.pid)) == 2, 30, "two server processes")
        children = children_of(parent.pid)
        wait_until(lambda: serving(address), 60, "inventory serving")

        # Several connections, so the kernel hands some to each process.
        channels = [
            grpc.aio.insecure_channel(address, options=[("grpc.use_local_subchannel_pool", 1)])
            for _ in range(8)
        ]
        stubs = [inventory_pb2_grpc.InventoryServiceStub(channel) for channel in channels]
        await stock_up(stubs[0], "hot", "A", 100)
        granted = refused = 0

        async def client(number: int) -> None:
            nonlocal granted, refused
            for i in range(20):
                try:
                    await stubs[number].Reserve(reserve_request(f"p{number}-{i}", "hot", 1, "A"))
                    granted += 1
                except grpc.aio.AioRpcError as exc:
                    assert exc.code() is grpc.StatusCode.FAILED_PRECONDITION, exc.details()
                    refused += 1

        await asyncio.gather(*(client(n) for n in range(8)))
        for channel in channels:
            await channel.close()
        assert (granted, refused) == (100, 60)
        assert all(Path(f"/proc/{pid}").exists() for pid in children)
        stop_cleanly(parent, children)


def test_a_stop_while_the_servers_start_is_a_clean_stop(
    database_url, nats_server, free_port, tmp_path, wait_until
):
    # The servers are still importing, with no handler for the stop signal yet: they end
    # by the signal itself, which the supervisor must not report as a failure.
    with supervisor(database_url, nats_server.url, free_port(), tmp_path) as parent:
        wait_until(lambda: len(children_of(parent.pid)) == 2, 30, "two server processes")
        stop_cleanly(parent, children_of(parent.pid))


async def test_a_relay_process_publishes_what_the_server_process_commits(
    database_url, nats_server, free_port, tmp_path, wait_until, wait_for
):
    port = free_port()
    address = f"127.0.0.1:{port}"
    with supervisor(
        database_url, nats_server.url, port, tmp_path, processes="1", relay_process="true"
    ) as parent:
        wait_until(lambda: len(children_of(parent.pid)) == 2, 30, "server and relay processes")
        children = children_of(parent.pid)
        wait_until(lambda: serving(address), 60, "inventory serving")
        async with grpc.aio.insecure_channel(address) as channel:
            stub = inventory_pb2_grpc.InventoryServiceStub(channel)
            await stock_up(stub, "hot", "A", 5)
            await asyncio.gather(
                *(stub.Reserve(reserve_request(f"r{i}", "hot", 1, "A")) for i in range(3))
            )

        async with EventTap(nats_server.url) as tap:

            async def three_reserved() -> bool:
                return (await tap.subjects()).count("inventory.stock.reserved") == 3

            await wait_for(three_reserved, 30, "three reserved events in the stream")
            assert (await tap.subjects()).count("inventory.stock.adjusted") == 1
        stop_cleanly(parent, children)


async def test_on_postgresql_a_relay_process_by_default_woken_by_commits_not_by_polling(
    postgres_url, nats_server, free_port, tmp_path, wait_until, wait_for
):
    # Its own look at the outbox comes once at start and then only every 10 minutes, so
    # the events can reach the stream in time only through the commits' notifications.
    port = free_port()
    address = f"127.0.0.1:{port}"
    with supervisor(
        postgres_url,
        nats_server.url,
        port,
        tmp_path,
        processes="1",
        relay_process=None,
        relay_idle_poll_seconds="600",
    ) as parent:
        wait_until(lambda: len(children_of(parent.pid)) == 2, 30, "server and relay processes")
        children = children_of(parent.pid)
        wait_until(lambda: serving(address), 60, "inventory serving")
        async with EventTap(nats_server.url) as tap:
            async with grpc.aio.insecure_channel(address) as channel:
                stub = inventory_pb2_grpc.InventoryServiceStub(channel)
                await stock_up(stub, "hot", "A", 5)

                async def adjusted() -> bool:
                    return "inventory.stock.adjusted" in await tap.subjects()

                await wait_for(adjusted, 20, "the receipt's event in the stream")
                for i in range(3):  # one commit (and one notification) each
                    await stub.Reserve(reserve_request(f"n{i}", "hot", 1, "A"))

            async def three_reserved() -> bool:
                return (await tap.subjects()).count("inventory.stock.reserved") == 3

            await wait_for(three_reserved, 20, "three reserved events in the stream")
            assert (await tap.subjects()).count("inventory.stock.adjusted") == 1
        stop_cleanly(parent, children)


async def test_on_sqlite_one_process_serves_and_relays_by_default(
    sqlite_url, nats_server, free_port, tmp_path, wait_until, wait_for
):
    port = free_port()
    address = f"127.0.0.1:{port}"
    with supervisor(
        sqlite_url, nats_server.url, port, tmp_path, processes="1", relay_process=None
    ) as parent:
        wait_until(lambda: serving(address), 60, "inventory serving")
        assert children_of(parent.pid) == []
        async with EventTap(nats_server.url) as tap:
            async with grpc.aio.insecure_channel(address) as channel:
                stub = inventory_pb2_grpc.InventoryServiceStub(channel)
                await stock_up(stub, "hot", "A", 5)
                await stub.Reserve(reserve_request("s1", "hot", 1, "A"))

            async def reserved() -> bool:
                return "inventory.stock.reserved" in await tap.subjects()

            await wait_for(reserved, 20, "the reserved event in the stream")
        parent.send_signal(signal.SIGTERM)
        assert parent.wait(30) == 0


async def test_a_server_whose_relay_runs_elsewhere_leaves_its_events_in_the_outbox(
    database_url, nats_server, monkeypatch
):
    monkeypatch.setenv(RELAY_ELSEWHERE_ENV, "1")
    app = await start_inventory(database_url, nats_server.url)
    try:
        assert app.relay is None
        channel, stub = stub_for(app)
        async with channel:
            await stock_up(stub, "hot", "A", 5)
            await stub.Reserve(reserve_request("r1", "hot", 1, "A"))
    finally:
        await app.stop()
    db = Database(database_url)
    try:
        with db.read_session() as session:
            unsent = session.execute(
                select(func.count()).select_from(outbox).where(outbox.c.sent_at.is_(None))
            ).scalar_one()
    finally:
        db.dispose()
    assert unsent == 2  # the receipt's adjusted event and the reservation's


def alive(pid: int) -> bool:
    """Running (not gone, not a zombie nobody has reaped yet)."""
    try:
        return Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0] != "Z"
    except OSError:
        return False


def test_server_processes_end_with_a_killed_supervisor(
    database_url, nats_server, free_port, tmp_path, wait_until
):
    children: list[int] = []
    try:
        with supervisor(database_url, nats_server.url, free_port(), tmp_path) as parent:
            wait_until(lambda: len(children_of(parent.pid)) == 2, 30, "two server processes")
            children = children_of(parent.pid)
            parent.kill()  # SIGKILL: no chance to pass a signal on
            parent.wait()
            wait_until(lambda: not any(alive(pid) for pid in children), 30, "server processes gone")
    finally:
        for pid in children:
            if alive(pid):
                os.kill(pid, signal.SIGKILL)
