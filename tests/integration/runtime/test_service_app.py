"""The shared gRPC skeleton: status mapping, health, reflection, request/reply over NATS."""

from __future__ import annotations

import grpc
import pytest
from grpc_health.v1 import health_pb2, health_pb2_grpc
from grpc_reflection.v1alpha import reflection_pb2, reflection_pb2_grpc

from cangpei.common.v1.common_pb2 import GeoPoint
from cangpei.runtime import errors
from cangpei.runtime.app import ServiceApp, start_app
from cangpei.runtime.settings import ServiceSettings

SERVICE = "cangpei.test.v1.Probe"


def _echo_handlers(app: ServiceApp):
    """A generic gRPC service without a proto: /cangpei.test.v1.Probe/Check."""

    async def check(request: bytes, context) -> bytes:  # type: ignore[no-untyped-def]
        point = GeoPoint.FromString(request)
        if point.latitude > 90:
            raise errors.InvalidArgument(f"latitude {point.latitude} is above 90")
        if point.latitude < -90:
            raise RuntimeError("secret internal detail")
        return point.SerializeToString()

    handler = grpc.method_handlers_generic_handler(
        SERVICE,
        {"Check": grpc.unary_unary_rpc_method_handler(check)},
    )
    return lambda _servicer, server: server.add_generic_rpc_handlers((handler,))


def wire_probe(app: ServiceApp) -> None:
    app.add_grpc(_echo_handlers(app), None, SERVICE)

    async def answer(point: GeoPoint) -> GeoPoint:
        if point.latitude < 0:
            raise errors.FailedPrecondition("south of the equator is not served")
        return GeoPoint(latitude=point.latitude, longitude=point.longitude + 1)

    app.add_rpc("rpc.probe.Shift", GeoPoint, answer)


@pytest.fixture
async def probe(nats_server, sqlite_url):
    app = await start_app(
        ServiceSettings.for_tests("probe", sqlite_url, nats_server.url), wire_probe
    )
    yield app
    await app.stop(grace=0)


async def _call(app: ServiceApp, latitude: float):
    async with grpc.aio.insecure_channel(f"127.0.0.1:{app.grpc_port}") as channel:
        check = channel.unary_unary(f"/{SERVICE}/Check")
        return await check(GeoPoint(latitude=latitude).SerializeToString())


async def test_domain_error_becomes_its_grpc_status_with_the_message(probe):
    with pytest.raises(grpc.aio.AioRpcError) as refused:
        await _call(probe, 91)
    assert refused.value.code() == grpc.StatusCode.INVALID_ARGUMENT
    assert refused.value.details() == "latitude 91.0 is above 90"


async def test_unexpected_error_is_internal_without_leaking_details(probe):
    with pytest.raises(grpc.aio.AioRpcError) as failed:
        await _call(probe, -91)
    assert failed.value.code() == grpc.StatusCode.INTERNAL
    assert "secret" not in failed.value.details()
    assert GeoPoint.FromString(await _call(probe, 10)).latitude == 10  # still serving


async def test_health_reports_overall_and_each_service(probe):
    async with grpc.aio.insecure_channel(f"127.0.0.1:{probe.grpc_port}") as channel:
        stub = health_pb2_grpc.HealthStub(channel)
        for name in ("", SERVICE):
            answer = await stub.Check(health_pb2.HealthCheckRequest(service=name))
            assert answer.status == health_pb2.HealthCheckResponse.SERVING


async def test_reflection_lists_the_service(probe):
    async with grpc.aio.insecure_channel(f"127.0.0.1:{probe.grpc_port}") as channel:
        stub = reflection_pb2_grpc.ServerReflectionStub(channel)
        request = reflection_pb2.ServerReflectionRequest(list_services="")
        async for answer in stub.ServerReflectionInfo(iter([request])):
            names = {s.name for s in answer.list_services_response.service}
            break
    assert {SERVICE, "grpc.health.v1.Health"} <= names


async def test_request_reply_returns_answer_and_carries_refusals(probe):
    answer = await probe.request("rpc.probe.Shift", GeoPoint(latitude=1, longitude=2), GeoPoint)
    assert answer.longitude == 3
    with pytest.raises(errors.FailedPrecondition, match="south of the equator"):
        await probe.request("rpc.probe.Shift", GeoPoint(latitude=-1), GeoPoint)


async def test_request_nobody_answers_is_unavailable_naming_the_subject(probe):
    with pytest.raises(errors.Unavailable, match="rpc.nobody.Listen"):
        await probe.request("rpc.nobody.Listen", GeoPoint(), GeoPoint, timeout=1)


async def test_losing_nats_turns_health_not_serving_and_refuses_work_then_recovers(
    probe, nats_server, wait_for
):
    async def status():
        async with grpc.aio.insecure_channel(f"127.0.0.1:{probe.grpc_port}") as channel:
            stub = health_pb2_grpc.HealthStub(channel)
            return (await stub.Check(health_pb2.HealthCheckRequest(service=""))).status

    nats_server.kill()
    await wait_for(
        lambda: _is(status, health_pb2.HealthCheckResponse.NOT_SERVING),
        timeout=15,
        what="health NOT_SERVING",
    )
    with pytest.raises(grpc.aio.AioRpcError) as refused:
        await _call(probe, 10)
    assert refused.value.code() == grpc.StatusCode.UNAVAILABLE
    assert "NATS" in refused.value.details()

    nats_server.start()
    await wait_for(
        lambda: _is(status, health_pb2.HealthCheckResponse.SERVING),
        timeout=20,
        what="SERVING again",
    )
    assert GeoPoint.FromString(await _call(probe, 10)).latitude == 10


async def _is(status, expected) -> bool:  # type: ignore[no-untyped-def]
    return await status() == expected
