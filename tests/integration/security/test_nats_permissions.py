"""NATS authentication with per-service permissions, against a real nats-server."""

from __future__ import annotations

import asyncio

import nats
import nats.errors
import pytest

from cangpei.common.v1.common_pb2 import GeoPoint
from cangpei.runtime.app import start_app
from cangpei.runtime.nats_auth import authorization_block, make_users
from cangpei.runtime.natsd import NatsServer
from cangpei.runtime.settings import ServiceSettings


@pytest.fixture
def users():
    return {user.name: user for user in make_users()}


@pytest.fixture
def secured_nats(tmp_path, users):
    server = NatsServer(tmp_path / "nats", extra_config=authorization_block(list(users.values())))
    server.start()
    yield server
    server.stop()


async def test_connecting_without_credentials_is_refused(secured_nats):
    with pytest.raises((nats.errors.Error, OSError)):
        await nats.connect(secured_nats.url, max_reconnect_attempts=0, allow_reconnect=False)


async def test_a_service_publishing_outside_its_subjects_gets_a_permissions_error(
    secured_nats, users, wait_for
):
    errors: list[Exception] = []

    async def on_error(exc: Exception) -> None:
        errors.append(exc)

    inventory = users["inventory"]
    nc = await nats.connect(
        secured_nats.url, user=inventory.name, password=inventory.password, error_cb=on_error
    )
    try:
        js = nc.jetstream()
        await js.add_stream(name="INVENTORY", subjects=["inventory.>"])
        await js.publish("inventory.stock.reserved", b"ours")  # its own subject: stored

        await nc.publish("warehouse.allocation.created", b"not ours")
        await nc.flush()
        await wait_for(lambda: errors, timeout=5, what="a permissions error from the server")
        assert "permissions violation" in str(errors[0]).lower()
        assert "warehouse.allocation.created" in str(errors[0])
    finally:
        await nc.close()


async def test_a_service_app_runs_with_its_own_credentials(secured_nats, users, sqlite_url):
    inventory = users["inventory"]
    settings = ServiceSettings.for_tests(
        "inventory",
        sqlite_url,
        secured_nats.url,
        nats_user="inventory",
        nats_password=inventory.password,
    )
    app = await start_app(settings, lambda app: app.add_rpc("rpc.inventory.Echo", GeoPoint, _echo))
    try:
        operator = users["operator"]
        nc = await nats.connect(secured_nats.url, user="operator", password=operator.password)
        reply = await nc.request(
            "rpc.inventory.Echo", GeoPoint(latitude=3).SerializeToString(), timeout=5
        )
        assert GeoPoint.FromString(reply.data).latitude == 3
        await nc.close()
    finally:
        await app.stop(grace=0)


async def _echo(point: GeoPoint) -> GeoPoint:
    await asyncio.sleep(0)
    return point
