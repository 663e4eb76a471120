"""A service whose database goes away says NOT_SERVING, refuses work with UNAVAILABLE,
and recovers by itself when the database is back.

The outage is real: the service talks to PostgreSQL through a TCP relay that the test
stops (dropping every connection) and starts again on the same port."""

from __future__ import annotations

import asyncio
import contextlib

import grpc
import pytest
from grpc_health.v1 import health_pb2, health_pb2_grpc
from sqlalchemy.engine import make_url

from cangpei.common.v1.common_pb2 import GeoPoint
from cangpei.runtime.app import start_app
from cangpei.runtime.natsd import free_port
from cangpei.runtime.settings import ServiceSettings

from .test_service_app import SERVICE, wire_probe


class TcpRelay:
    """Forwards 127.0.0.1:port to a target; stop() cuts every connection."""

    def __init__(self, target_host: str, target_port: int) -> None:
        self.port = free_port()
        self._target = (target_host, target_port)
        self._server: asyncio.Server | None = None
        self._writers: set[asyncio.StreamWriter] = set()

    async def start(self) -> None:
        self._server = await asyncio.start_server(self._handle, "127.0.0.1", self.port)

    async def stop(self) -> None:
        assert self._server is not None
        self._server.close()
        for writer in list(self._writers):
            writer.transport.abort()
        await self._server.wait_closed()

    async def _handle(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        try:
            target_reader, target_writer = await asyncio.open_connection(*self._target)
        except OSError:
            writer.transport.abort()
            return
        self._writers.update({writer, target_writer})

        async def pipe(source: asyncio.StreamReader, sink: asyncio.StreamWriter) -> None:
            with contextlib.suppress(Exception):
                while data := await source.read(65536):
                    sink.write(data)
                    await sink.drain()
            sink.transport.abort()

        await asyncio.gather(pipe(reader, target_writer), pipe(target_reader, writer))
        self._writers.difference_update({writer, target_writer})


async def test_losing_the_database_turns_not_serving_and_recovers(
    nats_server, postgres_url, wait_for
):
    url = make_url(postgres_url)
    relay = TcpRelay(url.host or "127.0.0.1", url.port or 5432)
    await relay.start()
    relayed = url.set(host="127.0.0.1", port=relay.port).render_as_string(hide_password=False)
    app = await start_app(ServiceSettings.for_tests("probe", relayed, nats_server.url), wire_probe)
    channel = grpc.aio.insecure_channel(f"127.0.0.1:{app.grpc_port}")
    health = health_pb2_grpc.HealthStub(channel)
    check = channel.unary_unary(f"/{SERVICE}/Check")

    async def status() -> int:
        return (await health.Check(health_pb2.HealthCheckRequest(service=""))).status

    try:
        assert await status() == health_pb2.HealthCheckResponse.SERVING
        await relay.stop()
        await wait_for(
            lambda: _equals(status(), health_pb2.HealthCheckResponse.NOT_SERVING),
            timeout=30,
            what="NOT_SERVING after the database went away",
        )
        with pytest.raises(grpc.aio.AioRpcError) as refused:
            await check(GeoPoint(latitude=1).SerializeToString())
        assert refused.value.code() == grpc.StatusCode.UNAVAILABLE
        assert "database" in refused.value.details()

        await relay.start()
        await wait_for(
            lambda: _equals(status(), health_pb2.HealthCheckResponse.SERVING),
            timeout=30,
            what="SERVING again once the database is back",
        )
        answer = GeoPoint.FromString(await check(GeoPoint(latitude=2).SerializeToString()))
        assert answer.latitude == 2
    finally:
        await channel.close()
        await app.stop(grace=0)
        await relay.stop()


async def _equals(value, expected) -> bool:  # type: ignore[no-untyped-def]
    return await value == expected
