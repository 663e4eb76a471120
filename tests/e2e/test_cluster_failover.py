"""On the local cluster (three nats-servers, streams replicated 3 times, two replicas of
every service on PostgreSQL): SIGKILL the node leading the streams and one replica of
each service while orders flow; every order completes, none lost or applied twice."""

from __future__ import annotations

import asyncio
import os
import signal
from pathlib import Path

import nats
import pytest
from sqlalchemy.engine import make_url

from cangpei.demo.clients import Clients
from cangpei.runtime.natsd import NatsCluster
from cangpei.runtime.pg import drop_service_databases, ensure_service_databases
from cangpei.runtime.settings import SERVICES
from cangpei.stack import Stack, StackConfig

from .flow_harness import assert_flow_outcome, orders_for, seed, settle, submit_all, when_submitted

ORDERS = int(os.environ.get("CANGPEI_CLUSTER_ORDERS", "600"))


async def _stream_leader(url: str, stream: str) -> str:
    nc = await nats.connect(url.split(","))
    try:
        info = await nc.jetstream().stream_info(stream)
        assert info.config.num_replicas == 3
        return info.cluster.leader
    finally:
        await nc.close()


async def _scenario(stack: Stack) -> None:
    clients = Clients.connect(
        {service: stack.addresses[service] for service in SERVICES}, stack.staff_token
    )
    try:
        cities = await seed(clients, stock_scale=20)  # ample: every order can complete
        leader = await _stream_leader(stack.nats_url, "WAREHOUSE")
        progress, faults = [0], []

        async def faults_mid_flow() -> None:
            loop = asyncio.get_running_loop()
            await when_submitted(progress, 0.3 * ORDERS)
            cluster: NatsCluster = stack.nats  # type: ignore[assignment]
            node = cluster.node_named(leader)
            node.kill()
            faults.append(f"stream leader {leader} SIGKILLed")
            for service in SERVICES:
                stack.stop_service(f"{service}-2", signal.SIGKILL)
                faults.append(f"{service}-2 SIGKILLed")
            await when_submitted(progress, 0.6 * ORDERS)
            await loop.run_in_executor(None, node.start)
            for service in SERVICES:
                await loop.run_in_executor(None, stack.restart, f"{service}-2")
            await loop.run_in_executor(
                None, stack.wait_serving, 60, [f"{service}-2" for service in SERVICES]
            )

        await asyncio.gather(
            submit_all(clients, orders_for(cities, ORDERS, seed=7), "CL", progress),
            faults_mid_flow(),
        )
        assert len(faults) == 5
        await assert_flow_outcome(clients, await settle(clients, "CL"), ORDERS, all_completed=True)
    finally:
        await clients.close()


@pytest.mark.timeout(900)
def test_cluster_survives_losing_the_stream_leader_and_a_replica_of_each_service(
    tmp_path: Path, postgres_database: str
):
    # One database per service, named after this run's database, dropped afterwards.
    prefix = make_url(postgres_database).database + "_"
    databases = ensure_service_databases(postgres_database, SERVICES, prefix=prefix)
    stack = Stack(StackConfig(data_dir=tmp_path, cluster=True, replicas=2, database_urls=databases))
    try:
        stack.start(progress=lambda _: None)
        asyncio.run(_scenario(stack))
    finally:
        stack.stop()
        drop_service_databases(postgres_database, databases)
