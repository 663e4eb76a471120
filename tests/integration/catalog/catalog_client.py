"""A catalog service started in-process for a test, a gRPC client that carries a token,
and a tap on the CATALOG stream that collects published events."""

from __future__ import annotations

import dataclasses
from collections.abc import Callable
from typing import Any

import grpc
import nats
from google.protobuf.message import Message

from cangpei.catalog.v1 import catalog_pb2 as pb
from cangpei.catalog.v1 import catalog_pb2_grpc
from cangpei.runtime.app import ServiceApp, start_app
from cangpei.runtime.settings import ServiceSettings
from services.catalog.bootstrap import make_wire
from services.catalog.domain.config import CatalogConfig

STAFF_TOKEN = "staff-bootstrap-token-for-tests-0123456789"
EVENT_TYPES: dict[str, type[Message]] = {
    "catalog.supplier.approved": pb.SupplierApproved,
    "catalog.supplier.rejected": pb.SupplierRejected,
    "catalog.supplier.suspended": pb.SupplierSuspended,
    "catalog.product.listed": pb.ProductListed,
    "catalog.product.suspended": pb.ProductSuspended,
    "catalog.shop.opened": pb.ShopOpened,
    "catalog.shop.tier_changed": pb.ShopTierChanged,
}


async def start_catalog(database_url: str, nats_url: str, **config: Any) -> ServiceApp:
    settings = ServiceSettings.for_tests("catalog", database_url, nats_url)
    values: dict[str, Any] = {"bootstrap_staff_token": STAFF_TOKEN, "recheck_interval_seconds": 0}
    values.update(config)
    return await start_app(settings, make_wire(dataclasses.replace(CatalogConfig(), **values)))


class Caller:
    """Every CatalogService method, called with ``token`` (None: no credential at all)."""

    def __init__(self, channel: grpc.aio.Channel, token: str | None) -> None:
        self._stub = catalog_pb2_grpc.CatalogServiceStub(channel)
        self._metadata = () if token is None else (("authorization", f"Bearer {token}"),)

    def __getattr__(self, method: str) -> Callable[..., Any]:
        rpc = getattr(self._stub, method)

        async def call(request: Message) -> Any:
            return await rpc(request, metadata=self._metadata, timeout=30)

        return call


class EventTap:
    """Collects every event on the CATALOG stream from the beginning, parsed."""

    def __init__(self) -> None:
        self.events: list[tuple[str, Message]] = []
        self._nc: Any = None

    async def start(self, nats_url: str) -> None:
        self._nc = await nats.connect(nats_url)
        js = self._nc.jetstream()

        async def received(msg: Any) -> None:
            self.events.append((msg.subject, EVENT_TYPES[msg.subject].FromString(msg.data)))

        await js.subscribe("catalog.>", stream="CATALOG", cb=received, ordered_consumer=True)

    def of(self, subject: str) -> list[Any]:
        return [message for s, message in self.events if s == subject]

    async def stop(self) -> None:
        if self._nc is not None:
            await self._nc.close()


async def onboard(channel, kind=pb.SUPPLIER_KIND_FACTORY, capital=100_000_000):  # type: ignore[no-untyped-def]
    """A supplier registered by staff, then driven by its own system with its own token."""
    registered = await Caller(channel, STAFF_TOKEN).RegisterSupplier(
        pb.RegisterSupplierRequest(name="杭州好货工厂", kind=kind, issue_token=True)
    )
    sid = registered.supplier.supplier_id
    own = Caller(channel, registered.token)
    await own.SubmitQualification(
        pb.SubmitQualificationRequest(
            supplier_id=sid,
            registered_capital_fen=capital,
            tax_status=pb.TAX_STATUS_GENERAL_TAXPAYER,
            licence_number="91330100MA2B3C4D5E",
        )
    )
    await own.RecordDepositEntry(
        pb.RecordDepositEntryRequest(
            supplier_id=sid, kind=pb.DEPOSIT_ENTRY_KIND_PAYMENT, amount_fen=1_000_000
        )
    )
    verdict = await own.RequestVerdict(pb.RequestVerdictRequest(supplier_id=sid))
    return sid, own, verdict


def product_request(sid: str, sku: str = "TEA-1", **changes):  # type: ignore[no-untyped-def]
    request = pb.ListProductRequest(
        supplier_id=sid,
        sku=sku,
        name="龙井 Longjing 250 g",
        category="food",
        price_fen=12_800,
        commission_bps=1_500,
        affiliate_commission_bps=1_200,
        other_platform_prices=[pb.OtherPlatformPrice(platform="JD", price_fen=13_900)],
        shipping=pb.Shipping(weight_grams=300, length_mm=200, width_mm=100, height_mm=80),
    )
    for key, value in changes.items():
        setattr(request, key, value)
    return request
