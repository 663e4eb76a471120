"""``python -m services.inventory`` with CANGPEI_INVENTORY_PROCESSES=2: two server
processes share the gRPC port, and together they still never oversell."""

from __future__ import annotations

import asyncio
import os
import signal
import subprocess
import sys
from pathlib import Path

import grpc
from grpc_health.v1 import health_pb2, health_pb2_grpc

from cangpei.inventory.v1 import inventory_pb2_grpc
from tests.integration.inventory.app_helpers import reserve_request, stock_up

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


def start_supervisor(database_url: str, nats_url: str, port: int, data_dir: Path):
    """``python -m services.inventory`` with two server processes on ``port``."""
    env = {
        **os.environ,
        "CANGPEI_INVENTORY_DATABASE_URL": database_url,
        "CANGPEI_NATS_URL": nats_url,
        "CANGPEI_INVENTORY_GRPC_PORT": str(port),
        "CANGPEI_DATA_DIR": str(data_dir),
        "CANGPEI_INVENTORY_PROCESSES": "2",
        "CANGPEI_INVENTORY_LEARN_SKUS_FROM_CATALOG": "false",
    }
    with open(data_dir / "inventory.log", "wb") as log:
        return subprocess.Popen(
            [sys.executable, "-m", "services.inventory"], cwd=ROOT, env=env, stdout=log, stderr=log
        )


async def test_two_processes_share_the_port_and_sell_out_exactly(
    database_url, nats_server, free_port, tmp_path, wait_until
):
    port = free_port()
    address = f"127.0.0.1:{port}"
    parent = start_supervisor(database_url, nats_server.url, port, tmp_path)
    try:
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

        parent.send_signal(signal.SIGTERM)
        assert parent.wait(30) == 0
        assert not any(Path(f"/proc/{pid}").exists() for pid in children)
    finally:
        if parent.poll() is None:
            parent.kill()
            parent.wait()


def alive(pid: int) -> bool:
    """Running (not gone, not a zombie nobody has reaped yet)."""
    try:
        return Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0] != "Z"
    except OSError:
        return False


def test_server_processes_end_with_a_killed_supervisor(
    database_url, nats_server, free_port, tmp_path, wait_until
):
    parent = start_supervisor(database_url, nats_server.url, free_port(), tmp_path)
    children: list[int] = []
    try:
        wait_until(lambda: len(children_of(parent.pid)) == 2, 30, "two server processes")
        children = children_of(parent.pid)
        parent.kill()  # SIGKILL: no chance to pass a signal on
        parent.wait()
        wait_until(lambda: not any(alive(pid) for pid in children), 30, "server processes gone")
    finally:
        if parent.poll() is None:
            parent.kill()
            parent.wait()
        for pid in children:
            if alive(pid):
                os.kill(pid, signal.SIGKILL)
