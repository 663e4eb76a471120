"""The demo's catalog seed, run twice against one catalog (a second `cangpei demo` on the
same data): both runs onboard their suppliers and list their products."""

from __future__ import annotations

import grpc
import pytest

from cangpei.catalog.v1 import catalog_pb2 as pb
from cangpei.catalog.v1 import catalog_pb2_grpc
from cangpei.demo.clients import Clients
from cangpei.demo.seed import SeedReport, seed_catalog

from .catalog_client import STAFF_TOKEN, start_catalog


async def test_a_second_run_seeds_its_own_brand_beside_the_first(database_url, nats_server) -> None:
    app = await start_catalog(database_url, nats_server.url)
    channel = grpc.aio.insecure_channel(f"127.0.0.1:{app.grpc_port}")
    stub = catalog_pb2_grpc.CatalogServiceStub(channel)
    staff = (("authorization", f"Bearer {STAFF_TOKEN}"),)
    clients = Clients(stub, None, None, None, staff, [channel])  # type: ignore[arg-type]
    try:
        reports = []
        for run_id in ("run1", "run2"):
            report = SeedReport()
            await seed_catalog(clients, report, lambda _: None, run_id)
            reports.append(report)
        assert [len(r.products_listed) for r in reports] == [10, 10]
        assert all(r.products_refused == {} for r in reports)
        # The second run's brand is there, beside the first run's "Xihu Leaf".
        with pytest.raises(grpc.aio.AioRpcError) as taken:
            await stub.RegisterBrand(
                pb.RegisterBrandRequest(name="Xihu Leaf (run2)", owner_id="sup-unknown"),
                metadata=staff,
            )
        assert taken.value.code() == grpc.StatusCode.ALREADY_EXISTS
    finally:
        await channel.close()
        await app.stop(grace=0)
