"""Manage carriers, vehicles and waves of a running routing service over gRPC.

    cangpei routing carrier put sf.json        # a Carrier message as JSON
    cangpei routing carrier list
    cangpei routing depot put wh-sh 31.2304 121.4737
    cangpei routing vehicle put van1.json
    cangpei routing vehicle list --depot wh-sh
    cangpei routing dispatch wh-sh
    cangpei routing plan --warehouse wh-sh     # or: plan PLAN_ID
    cangpei routing cancel PARCEL_ID
    cangpei routing depart PLAN_ID

(`python -m services.routing.cli` is the same.) The service is found by --address, else
CANGPEI_ROUTING_GRPC_HOST/PORT, else the stack `cangpei up` runs in CANGPEI_DATA_DIR
(./data), else 127.0.0.1:50054. Replies are printed as JSON; a refusal prints the
service's message and exits with status 1.
"""

from __future__ import annotations

import argparse
import sys

from google.protobuf.message import Message

from cangpei.common.v1 import common_pb2
from cangpei.routing.v1 import routing_pb2 as pb
from cangpei.routing.v1 import routing_pb2_grpc
from cangpei.service_cli import as_json, resolve_address, run_call
from cangpei.service_cli import load_message as _load


def build_parser(prog: str = "cangpei routing") -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog=prog, description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--address", help="host:port of the routing service")
    sub = parser.add_subparsers(dest="command", required=True)

    carrier = sub.add_parser("carrier").add_subparsers(dest="action", required=True)
    carrier.add_parser("put").add_argument("file")
    carrier.add_parser("get").add_argument("carrier_id")
    carrier.add_parser("list")

    depot = sub.add_parser("depot").add_subparsers(dest="action", required=True)
    put_depot = depot.add_parser("put")
    put_depot.add_argument("warehouse_id")
    put_depot.add_argument("latitude", type=float)
    put_depot.add_argument("longitude", type=float)

    vehicle = sub.add_parser("vehicle").add_subparsers(dest="action", required=True)
    vehicle.add_parser("put").add_argument("file")
    vehicle.add_parser("list").add_argument("--depot", default="")

    sub.add_parser("dispatch").add_argument("warehouse_id")
    plan = sub.add_parser("plan")
    plan.add_argument("plan_id", nargs="?", default="")
    plan.add_argument("--warehouse", default="")
    sub.add_parser("cancel").add_argument("parcel_id")
    sub.add_parser("depart").add_argument("plan_id")
    sub.add_parser("parcel").add_argument("parcel_id")
    return parser


def call(stub: routing_pb2_grpc.RoutingServiceStub, args: argparse.Namespace) -> Message:
    match args.command, getattr(args, "action", None):
        case "carrier", "put":
            carrier = _load(args.file, pb.Carrier())
            return stub.UpsertCarrier(pb.UpsertCarrierRequest(carrier=carrier))
        case "carrier", "get":
            return stub.GetCarrier(pb.GetCarrierRequest(carrier_id=args.carrier_id))
        case "carrier", "list":
            return stub.ListCarriers(pb.ListCarriersRequest())
        case "depot", "put":
            location = common_pb2.GeoPoint(latitude=args.latitude, longitude=args.longitude)
            request = pb.RegisterDepotRequest(warehouse_id=args.warehouse_id, location=location)
            return stub.RegisterDepot(request)
        case "vehicle", "put":
            vehicle = _load(args.file, pb.Vehicle())
            return stub.UpsertVehicle(pb.UpsertVehicleRequest(vehicle=vehicle))
        case "vehicle", "list":
            return stub.ListVehicles(pb.ListVehiclesRequest(depot_id=args.depot))
        case "dispatch", _:
            return stub.DispatchWave(pb.DispatchWaveRequest(warehouse_id=args.warehouse_id))
        case "plan", _:
            request = pb.GetPlanRequest(plan_id=args.plan_id, warehouse_id=args.warehouse)
            return stub.GetPlan(request)
        case "cancel", _:
            return stub.CancelParcel(pb.CancelParcelRequest(parcel_id=args.parcel_id))
        case "depart", _:
            return stub.ConfirmDeparture(pb.ConfirmDepartureRequest(plan_id=args.plan_id))
        case "parcel", _:
            return stub.GetParcel(pb.GetParcelRequest(parcel_id=args.parcel_id))
    raise SystemExit(f"unknown command {args.command}")


def main(argv: list[str] | None = None, prog: str = "cangpei routing") -> int:
    args = build_parser(prog).parse_args(argv)
    address = resolve_address("routing", args.address)
    return run_call(
        address, lambda channel: as_json(call(routing_pb2_grpc.RoutingServiceStub(channel), args))
    )


if __name__ == "__main__":
    sys.exit(main(prog="python -m services.routing.cli"))
