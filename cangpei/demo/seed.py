"""Seed a running stack through its public gRPC APIs: suppliers vetted by the catalog
rules, SKUs and stock, the delta's warehouses, carriers and vehicles."""

from __future__ import annotations

import datetime as dt
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field

import grpc

from cangpei.catalog.v1 import catalog_pb2 as cat
from cangpei.common.v1.common_pb2 import GeoPoint
from cangpei.demo.clients import Clients
from cangpei.demo.scenario import SKUS, Site
from cangpei.inventory.v1 import inventory_pb2 as inv
from cangpei.routing.v1 import routing_pb2 as rt
from cangpei.warehouse.v1 import warehouse_pb2 as wh

Say = Callable[[str], None]

WAREHOUSE_KINDS = {
    "satellite": (wh.WAREHOUSE_KIND_SATELLITE, inv.LOCATION_KIND_SATELLITE),
    "central": (wh.WAREHOUSE_KIND_CENTRAL, inv.LOCATION_KIND_CENTRAL),
    "supplier": (wh.WAREHOUSE_KIND_SUPPLIER_SITE, inv.LOCATION_KIND_SUPPLIER_SITE),
}
# Scarce near consumers, plenty further back: where allocation has choices to make.
STOCK_PER_KIND = {"satellite": 12, "central": 150, "supplier": 400}
CNY = 100  # fen


@dataclass
class SeedReport:
    suppliers_approved: list[str] = field(default_factory=list)
    suppliers_refused: dict[str, list[str]] = field(default_factory=dict)
    products_listed: list[str] = field(default_factory=list)
    products_refused: dict[str, list[str]] = field(default_factory=dict)
    warehouses: int = 0
    units_received: int = 0
    carriers: int = 0
    vehicles: int = 0
    site_owner: str = ""  # the supplier whose own site ships as the last resort


async def _tolerate_existing(call: Awaitable[object]) -> bool:
    """Run a registration; False when the thing was there already (a re-run of the demo)."""
    try:
        await call
        return True
    except grpc.aio.AioRpcError as exc:
        if exc.code() == grpc.StatusCode.ALREADY_EXISTS:
            return False
        raise


async def _supplier(
    clients: Clients,
    name: str,
    kind: int,
    capital_cny: int,
    tax: int,
    report: SeedReport,
) -> str:
    meta = clients.staff
    supplier = (
        await clients.catalog.RegisterSupplier(
            cat.RegisterSupplierRequest(name=name, kind=kind), metadata=meta
        )
    ).supplier
    await clients.catalog.SubmitQualification(
        cat.SubmitQualificationRequest(
            supplier_id=supplier.supplier_id,
            registered_capital_fen=capital_cny * CNY,
            tax_status=tax,
            licence_number=f"91330100{abs(hash(name)) % 10**10:010d}",
        ),
        metadata=meta,
    )
    await clients.catalog.RecordDepositEntry(
        cat.RecordDepositEntryRequest(
            supplier_id=supplier.supplier_id,
            kind=cat.DEPOSIT_ENTRY_KIND_PAYMENT,
            amount_fen=10_000 * CNY,
            reference=f"deposit {name}",
        ),
        metadata=meta,
    )
    verdict = await clients.catalog.RequestVerdict(
        cat.RequestVerdictRequest(supplier_id=supplier.supplier_id), metadata=meta
    )
    if verdict.approved:
        report.suppliers_approved.append(name)
    else:
        report.suppliers_refused[name] = [failure.message for failure in verdict.failures]
    return supplier.supplier_id


async def _brand(clients: Clients, name: str, owner: str, run_id: str) -> cat.Brand:
    """The brand, owned by this run's brand owner. Brand names are unique: a stack that
    ran the demo before holds one of that name (another run's owner's), so a later run
    registers its own under the run's id."""
    try:
        request = cat.RegisterBrandRequest(name=name, owner_id=owner)
        return (await clients.catalog.RegisterBrand(request, metadata=clients.staff)).brand
    except grpc.aio.AioRpcError as exc:
        if exc.code() != grpc.StatusCode.ALREADY_EXISTS:
            raise
    request = cat.RegisterBrandRequest(name=f"{name} ({run_id})", owner_id=owner)
    return (await clients.catalog.RegisterBrand(request, metadata=clients.staff)).brand


async def seed_catalog(clients: Clients, report: SeedReport, say: Say, run_id: str) -> None:
    meta = clients.staff
    today = dt.date.today()
    owner = await _supplier(
        clients,
        "West Lake Brands Co.",
        cat.SUPPLIER_KIND_BRAND_OWNER,
        8_000_000,
        cat.TAX_STATUS_GENERAL_TAXPAYER,
        report,
    )
    distributor = await _supplier(
        clients,
        "Delta Distribution Ltd.",
        cat.SUPPLIER_KIND_DISTRIBUTOR,
        2_000_000,
        cat.TAX_STATUS_GENERAL_TAXPAYER,
        report,
    )
    factory = await _supplier(
        clients,
        "Shaoxing Home Goods Factory",
        cat.SUPPLIER_KIND_FACTORY,
        1_000_000,
        cat.TAX_STATUS_GENERAL_TAXPAYER,
        report,
    )
    report.site_owner = factory
    # One that the rules turn away, to show a refusal lists every reason.
    await _supplier(
        clients,
        "Corner Shop Trading",
        cat.SUPPLIER_KIND_CHANNEL_MERCHANT,
        300_000,
        cat.TAX_STATUS_SMALL_SCALE_TAXPAYER,
        report,
    )
    brand = await _brand(clients, "Xihu Leaf", owner, run_id)
    categories = sorted({sku.category for sku in SKUS})
    await clients.catalog.AddAuthorisation(
        cat.AddAuthorisationRequest(
            brand_id=brand.brand_id,
            grantor_id=owner,
            grantee_id=distributor,
            categories=categories,
            valid_from=(today - dt.timedelta(days=30)).isoformat(),
            valid_until=(today + dt.timedelta(days=335)).isoformat(),
        ),
        metadata=meta,
    )
    for index, sku in enumerate(SKUS):
        branded = index < 6
        supplier = distributor if branded else factory
        if not branded:
            await clients.catalog.AddPurchaseVoucher(
                cat.AddPurchaseVoucherRequest(
                    supplier_id=factory,
                    sku=sku.sku,
                    seller_id="MFR-SHAOXING-MILL",  # the manufacturer it buys from
                    buyer_id=factory,
                    seller_is_manufacturer=True,
                    invoice_number=f"INV-{index:04d}",
                    issued_on=(today - dt.timedelta(days=10)).isoformat(),
                ),
                metadata=meta,
            )
        length, width, height = sku.dims_mm
        answer = await clients.catalog.ListProduct(
            cat.ListProductRequest(
                supplier_id=supplier,
                sku=sku.sku,
                name=sku.name,
                brand_id=brand.brand_id if branded else "",
                category=sku.category,
                price_fen=sku.price_fen,
                commission_bps=1500,
                affiliate_commission_bps=1200,
                other_platform_prices=[
                    cat.OtherPlatformPrice(platform="taobao", price_fen=sku.price_fen + 500)
                ],
                shipping=cat.Shipping(
                    weight_grams=sku.weight_grams,
                    length_mm=length,
                    width_mm=width,
                    height_mm=height,
                ),
            ),
            metadata=meta,
        )
        if answer.listed:
            report.products_listed.append(sku.sku)
        else:
            report.products_refused[sku.sku] = [failure.message for failure in answer.failures]
    say(
        f"catalog: {len(report.suppliers_approved)} suppliers approved, "
        f"{len(report.suppliers_refused)} refused; {len(report.products_listed)} products listed"
    )
    for name, reasons in report.suppliers_refused.items():
        say(f"  refused {name}: " + "; ".join(reasons))
    for sku_code, reasons in report.products_refused.items():
        say(f"  product {sku_code} refused: " + "; ".join(reasons))


async def seed_network(
    clients: Clients,
    sites: list[Site],
    run_id: str,
    report: SeedReport,
    say: Say,
    stock_scale: int = 1,
) -> None:
    for site in sites:
        warehouse_kind, location_kind = WAREHOUSE_KINDS[site.kind]
        point = GeoPoint(latitude=site.latitude, longitude=site.longitude)
        report.warehouses += await _tolerate_existing(
            clients.warehouse.RegisterWarehouse(
                wh.RegisterWarehouseRequest(
                    warehouse=wh.Warehouse(
                        warehouse_id=site.warehouse_id,
                        name=site.name,
                        kind=warehouse_kind,
                        location=point,
                        service_radius_km=50.0,
                        daily_capacity_parcels=site.daily_capacity,
                        cutoff_minute=22 * 60,
                        active=True,
                    )
                )
            )
        )
        await _tolerate_existing(
            clients.inventory.RegisterLocation(
                inv.RegisterLocationRequest(
                    location_id=site.warehouse_id,
                    kind=location_kind,
                    supplier_id=report.site_owner if site.kind == "supplier" else "",
                )
            )
        )
        await _tolerate_existing(
            clients.routing.RegisterDepot(
                rt.RegisterDepotRequest(warehouse_id=site.warehouse_id, location=point)
            )
        )
    for sku in SKUS:
        await _tolerate_existing(
            clients.inventory.RegisterSku(
                inv.RegisterSkuRequest(sku=sku.sku, low_stock_threshold=5)
            )
        )
        for site in sites:
            quantity = STOCK_PER_KIND[site.kind] * stock_scale
            await clients.inventory.ReceiveStock(
                inv.ReceiveStockRequest(
                    idempotency_key=f"seed-{run_id}-{sku.sku}-{site.warehouse_id}",
                    sku=sku.sku,
                    location_id=site.warehouse_id,
                    quantity=quantity,
                    actor="demo",
                    reference=f"opening stock {run_id}",
                )
            )
            report.units_received += quantity
    say(
        f"network: {len(sites)} warehouses "
        f"({sum(s.kind == 'satellite' for s in sites)} satellites), "
        f"{report.units_received:,} units of {len(SKUS)} SKUs received"
    )


def _carriers() -> list[rt.Carrier]:
    def band(max_km: float, first: int, extra: int, hours: float) -> rt.RateBand:
        return rt.RateBand(
            max_km=max_km, first_weight_fen=first, additional_kg_fen=extra, delivery_hours=hours
        )

    return [
        rt.Carrier(
            carrier_id="SF",
            name="SF Express",
            cutoff_minute=21 * 60,
            default_parcels_per_day=5000,
            bands=[band(50, 1200, 200, 12), band(300, 1800, 500, 24), band(2000, 2300, 800, 36)],
            active=True,
        ),
        rt.Carrier(
            carrier_id="ZTO",
            name="ZTO Express",
            cutoff_minute=19 * 60,
            default_parcels_per_day=5000,
            bands=[band(50, 600, 100, 24), band(300, 800, 200, 36), band(2000, 1000, 400, 72)],
            active=True,
        ),
        rt.Carrier(
            carrier_id="YTO",
            name="YTO Express",
            cutoff_minute=20 * 60,
            default_parcels_per_day=300,
            bands=[band(100, 700, 150, 24), band(2000, 1100, 400, 60)],
            active=True,
        ),
    ]


async def seed_fleet(clients: Clients, sites: list[Site], report: SeedReport, say: Say) -> None:
    for carrier in _carriers():
        await clients.routing.UpsertCarrier(rt.UpsertCarrierRequest(carrier=carrier))
        report.carriers += 1
    depots = [site for site in sites if site.kind in ("satellite", "central")]
    for number in range(20):
        depot = depots[number % len(depots)]
        await clients.routing.UpsertVehicle(
            rt.UpsertVehicleRequest(
                vehicle=rt.Vehicle(
                    vehicle_id=f"VAN-{number + 1:02d}",
                    depot_id=depot.warehouse_id,
                    capacity_grams=800_000,
                    capacity_cm3=6_000_000,
                    shift_start_minute=8 * 60,
                    shift_end_minute=20 * 60,
                    fixed_cost_fen=30_000,
                    cost_per_km_fen=150,
                    active=True,
                )
            )
        )
        report.vehicles += 1
    say(
        f"dispatch: {report.carriers} carriers, {report.vehicles} own vans "
        f"across {len(depots)} depots"
    )


async def seed_stack(
    clients: Clients,
    sites: list[Site],
    run_id: str,
    say: Say = lambda _: None,
    stock_scale: int = 1,
) -> SeedReport:
    """Everything a flow needs: vetted suppliers and products, the network with stock, fleet."""
    report = SeedReport()
    await seed_catalog(clients, report, say, run_id)
    await seed_network(clients, sites, run_id, report, say, stock_scale=stock_scale)
    await seed_fleet(clients, sites, report, say)
    return report
