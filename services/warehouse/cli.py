"""Manage warehouses and follow fulfilment orders of a running warehouse service over gRPC.

    cangpei warehouse register wh-hz.json          # a Warehouse message as JSON
    cangpei warehouse update wh-hz --capacity 1200 --cutoff 18:30 --inactive
    cangpei warehouse get wh-hz
    cangpei warehouse list --kind satellite --active-only
    cangpei warehouse coverage 30.2741 120.1551    # who can serve this point, best tier first
    cangpei warehouse order show ORDER_ID          # status, parcels and history, as text
    cangpei warehouse order list --status failed
    cangpei warehouse order cancel ORDER_ID --reason "customer called"
    cangpei warehouse allocation --order ORDER_ID  # or: allocation ALLOCATION_ID

(`python -m services.warehouse.cli` is the same.) The service is found by --address, else
CANGPEI_WAREHOUSE_GRPC_HOST/PORT, else the stack `cangpei up` runs in CANGPEI_DATA_DIR
(./data), else 127.0.0.1:50053. Replies are printed as JSON (`order show` as text); a
refusal prints the service's message and exits with status 1.
"""

from __future__ import annotations

import argparse
import sys
from datetime import UTC, datetime

from cangpei.common.v1 import common_pb2
from cangpei.service_cli import as_json, load_message, resolve_address, run_call
from cangpei.warehouse.v1 import warehouse_pb2 as pb
from cangpei.warehouse.v1 import warehouse_pb2_grpc

KINDS = {
    "satellite": pb.WAREHOUSE_KIND_SATELLITE,
    "central": pb.WAREHOUSE_KIND_CENTRAL,
    "supplier-site": pb.WAREHOUSE_KIND_SUPPLIER_SITE,
}
STATUSES = {
    pb.FulfilmentStatus.Name(value).removeprefix("FULFILMENT_STATUS_").lower(): value
    for value in pb.FulfilmentStatus.values()
    if value != pb.FULFILMENT_STATUS_UNSPECIFIED
}
TIERS = {
    pb.SERVICE_TIER_NEAR_SATELLITE: "satellite ≤ 50 km",
    pb.SERVICE_TIER_FAR_SATELLITE: "satellite ≤ 100 km",
    pb.SERVICE_TIER_CENTRAL: "central",
    pb.SERVICE_TIER_SUPPLIER: "supplier ships",
}
# Listing pages through everything; this many per call.
PAGE_SIZE = 200


def minute_of_day(text: str) -> int:
    """'18:30' -> 1110; the cut-off is a time of day on the warehouse's clock."""
    try:
        hours, minutes = text.split(":")
        value = int(hours) * 60 + int(minutes)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not a time of day like 18:30") from None
    if not 0 <= value < 24 * 60 or not 0 <= int(minutes) < 60:
        raise argparse.ArgumentTypeError(f"{text!r} is not a time of day between 00:00 and 23:59")
    return value


def build_parser(prog: str = "cangpei warehouse") -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog=prog,
        description=__doc__,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument("--address", help="host:port of the warehouse service")
    sub = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")

    sub.add_parser("register", help="register a warehouse from a JSON file").add_argument("file")
    update = sub.add_parser("update", help="change some of a warehouse's settings")
    update.add_argument("warehouse_id")
    update.add_argument("--name")
    update.add_argument("--location", nargs=2, type=float, metavar=("LAT", "LON"))
    update.add_argument("--radius-km", type=float, help="service radius, at most 100 km")
    update.add_argument("--capacity", type=int, help="daily outbound capacity in parcels")
    update.add_argument("--cutoff", type=minute_of_day, help="order cut-off, e.g. 18:30")
    active = update.add_mutually_exclusive_group()
    active.add_argument("--active", dest="active", action="store_true", default=None)
    active.add_argument("--inactive", dest="active", action="store_false")
    sub.add_parser("get", help="one warehouse").add_argument("warehouse_id")
    listing = sub.add_parser("list", help="every warehouse, or those of one kind")
    listing.add_argument("--kind", choices=sorted(KINDS))
    listing.add_argument("--active-only", action="store_true")
    coverage = sub.add_parser("coverage", help="which warehouses can serve a point")
    coverage.add_argument("latitude", type=float)
    coverage.add_argument("longitude", type=float)

    order = sub.add_parser("order", help="fulfilment orders").add_subparsers(
        dest="action", required=True, metavar="ACTION"
    )
    order.add_parser("show", help="status, parcels and history as text").add_argument("order_id")
    order.add_parser("get", help="the order as JSON").add_argument("order_id")
    order_list = order.add_parser("list", help="orders, newest first, with counts by status")
    order_list.add_argument("--status", choices=sorted(STATUSES))
    order_list.add_argument("--limit", type=int, default=50, help="at most this many (50)")
    cancel = order.add_parser("cancel", help="cancel an order before any parcel left")
    cancel.add_argument("order_id")
    cancel.add_argument("--reason", default="")

    allocation = sub.add_parser("allocation", help="an allocation with its explanations")
    allocation.add_argument("allocation_id", nargs="?", default="")
    allocation.add_argument("--order", default="", help="the allocation of this order")
    return parser


def call(stub: warehouse_pb2_grpc.WarehouseServiceStub, args: argparse.Namespace) -> str:
    match args.command, getattr(args, "action", None):
        case "register", _:
            warehouse = load_message(args.file, pb.Warehouse())
            return as_json(stub.RegisterWarehouse(pb.RegisterWarehouseRequest(warehouse=warehouse)))
        case "update", _:
            return as_json(stub.UpdateWarehouse(update_request(args)))
        case "get", _:
            return as_json(
                stub.GetWarehouse(pb.GetWarehouseRequest(warehouse_id=args.warehouse_id))
            )
        case "list", _:
            return as_json(list_warehouses(stub, args))
        case "coverage", _:
            point = common_pb2.GeoPoint(latitude=args.latitude, longitude=args.longitude)
            return as_json(stub.GetCoverage(pb.GetCoverageRequest(point=point)))
        case "order", "show":
            reply = stub.GetFulfilmentOrder(pb.GetFulfilmentOrderRequest(order_id=args.order_id))
            return describe_order(reply.order)
        case "order", "get":
            return as_json(
                stub.GetFulfilmentOrder(pb.GetFulfilmentOrderRequest(order_id=args.order_id))
            )
        case "order", "list":
            return as_json(list_orders(stub, args))
        case "order", "cancel":
            request = pb.CancelFulfilmentOrderRequest(order_id=args.order_id, reason=args.reason)
            return as_json(stub.CancelFulfilmentOrder(request))
        case "allocation", _:
            if not (args.allocation_id or args.order):
                raise SystemExit("allocation: give an allocation id or --order ORDER_ID")
            request = pb.GetAllocationRequest(allocation_id=args.allocation_id, order_id=args.order)
            return as_json(stub.GetAllocation(request))
    raise SystemExit(f"unknown command {args.command}")


def update_request(args: argparse.Namespace) -> pb.UpdateWarehouseRequest:
    request = pb.UpdateWarehouseRequest(warehouse_id=args.warehouse_id)
    if args.name is not None:
        request.name = args.name
    if args.location is not None:
        request.location.CopyFrom(
            common_pb2.GeoPoint(latitude=args.location[0], longitude=args.location[1])
        )
    if args.radius_km is not None:
        request.service_radius_km = args.radius_km
    if args.capacity is not None:
        request.daily_capacity_parcels = args.capacity
    if args.cutoff is not None:
        request.cutoff_minute = args.cutoff
    if args.active is not None:
        request.active = args.active
    return request


def list_warehouses(
    stub: warehouse_pb2_grpc.WarehouseServiceStub, args: argparse.Namespace
) -> pb.ListWarehousesResponse:
    """Every page, gathered into one reply."""
    found = pb.ListWarehousesResponse()
    token = ""
    while True:
        request = pb.ListWarehousesRequest(
            kind=KINDS.get(args.kind or "", pb.WAREHOUSE_KIND_UNSPECIFIED),
            active_only=args.active_only,
            page=common_pb2.PageRequest(page_size=PAGE_SIZE, page_token=token),
        )
        page = stub.ListWarehouses(request)
        found.warehouses.extend(page.warehouses)
        token = page.next_page_token
        if not token:
            return found


def list_orders(
    stub: warehouse_pb2_grpc.WarehouseServiceStub, args: argparse.Namespace
) -> pb.ListFulfilmentOrdersResponse:
    found = pb.ListFulfilmentOrdersResponse()
    token = ""
    while len(found.orders) < args.limit:
        request = pb.ListFulfilmentOrdersRequest(
            status=STATUSES.get(args.status or "", pb.FULFILMENT_STATUS_UNSPECIFIED),
            page=common_pb2.PageRequest(
                page_size=min(PAGE_SIZE, args.limit - len(found.orders)), page_token=token
            ),
        )
        page = stub.ListFulfilmentOrders(request)
        found.orders.extend(page.orders)
        if not found.counts:
            found.counts.extend(page.counts)
        token = page.next_page_token
        if not token:
            break
    found.next_page_token = token
    return found


def _status(value: int) -> str:
    return pb.FulfilmentStatus.Name(value).removeprefix("FULFILMENT_STATUS_").lower()


def _when(stamp) -> str:  # type: ignore[no-untyped-def]
    moment = datetime.fromtimestamp(stamp.seconds + stamp.nanos / 1e9, tz=UTC)
    return moment.strftime("%Y-%m-%d %H:%M:%S UTC")


def describe_order(order: pb.FulfilmentOrder) -> str:
    """An order as an operator reads it: where it stands, its parcels, and why it moved."""
    lines = [f"order {order.order_id}: {_status(order.status)}"]
    if order.failure_reason:
        lines.append(f"  reason: {order.failure_reason}")
    lines.append(f"  idempotency key {order.idempotency_key}")
    for line in order.order.lines:
        lines.append(f"  line {line.sku} × {line.quantity}")
    if order.parcels:
        lines.append("parcels:")
    for parcel in order.parcels:
        taken_by = parcel.carrier_id or parcel.vehicle_id or "not yet dispatched"
        lines.append(
            f"  {parcel.parcel_id}  from {parcel.warehouse_id} "
            f"({TIERS.get(parcel.tier, 'tier unknown')}, {parcel.distance_km:.1f} km)  "
            f"{parcel.status}  by {taken_by}"
        )
    lines.append("history:")
    for change in order.history:
        lines.append(f"  {_when(change.at)}  {_status(change.status):<10} {change.detail}")
    return "\n".join(lines)


def main(argv: list[str] | None = None, prog: str = "cangpei warehouse") -> int:
    args = build_parser(prog).parse_args(argv)
    address = resolve_address("warehouse", args.address)
    return run_call(
        address, lambda channel: call(warehouse_pb2_grpc.WarehouseServiceStub(channel), args)
    )


if __name__ == "__main__":
    sys.exit(main(prog="python -m services.warehouse.cli"))
