"""gRPC over TLS and mutual TLS: plaintext and certificate-less clients are refused."""

from __future__ import annotations

import grpc
import pytest
from grpc_health.v1 import health_pb2, health_pb2_grpc

from cangpei.runtime.app import ServiceApp, start_app
from cangpei.runtime.devcerts import make_dev_pki
from cangpei.runtime.settings import ServiceSettings, TlsSettings


def _no_apis(app: ServiceApp) -> None:
    pass


@pytest.fixture(scope="module")
def pki(tmp_path_factory):
    return make_dev_pki(tmp_path_factory.mktemp("pki"))


async def _start(nats_server, sqlite_url, tls: TlsSettings) -> ServiceApp:
    settings = ServiceSettings.for_tests("probe", sqlite_url, nats_server.url, tls=tls)
    return await start_app(settings, _no_apis)


async def _health(channel: grpc.aio.Channel) -> int:
    stub = health_pb2_grpc.HealthStub(channel)
    answer = await stub.Check(health_pb2.HealthCheckRequest(service=""), timeout=5)
    return answer.status


async def test_plaintext_client_cannot_talk_to_a_tls_only_server(nats_server, sqlite_url, pki):
    app = await _start(nats_server, sqlite_url, TlsSettings(pki["server"].cert, pki["server"].key))
    try:
        async with grpc.aio.insecure_channel(f"127.0.0.1:{app.grpc_port}") as channel:
            with pytest.raises(grpc.aio.AioRpcError) as refused:
                await _health(channel)
            assert refused.value.code() == grpc.StatusCode.UNAVAILABLE

        credentials = grpc.ssl_channel_credentials(pki["ca"].cert.read_bytes())
        async with grpc.aio.secure_channel(f"127.0.0.1:{app.grpc_port}", credentials) as channel:
            assert await _health(channel) == health_pb2.HealthCheckResponse.SERVING
    finally:
        await app.stop(grace=0)


async def test_mutual_tls_refuses_a_client_without_a_certificate(nats_server, sqlite_url, pki):
    tls = TlsSettings(pki["server"].cert, pki["server"].key, client_ca_file=pki["ca"].cert)
    app = await _start(nats_server, sqlite_url, tls)
    address = f"127.0.0.1:{app.grpc_port}"
    try:
        anonymous = grpc.ssl_channel_credentials(pki["ca"].cert.read_bytes())
        async with grpc.aio.secure_channel(address, anonymous) as channel:
            with pytest.raises(grpc.aio.AioRpcError) as refused:
                await _health(channel)
            assert refused.value.code() == grpc.StatusCode.UNAVAILABLE

        client = pki["client-supplier-demo"]
        identified = grpc.ssl_channel_credentials(
            pki["ca"].cert.read_bytes(), client.key.read_bytes(), client.cert.read_bytes()
        )
        async with grpc.aio.secure_channel(address, identified) as channel:
            assert await _health(channel) == health_pb2.HealthCheckResponse.SERVING
    finally:
        await app.stop(grace=0)


def test_mutual_tls_without_a_server_certificate_is_a_settings_error(pki):
    from cangpei.runtime.settings import SettingsError

    with pytest.raises(SettingsError, match="needs CANGPEI_TLS_CERT_FILE"):
        TlsSettings.from_env({"CANGPEI_TLS_CLIENT_CA_FILE": str(pki["ca"].cert)})
