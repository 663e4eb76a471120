"""The operators' warehouse command line against a running warehouse service."""

from __future__ import annotations

import asyncio
import json

import pytest
from google.protobuf import json_format

from cangpei.cli import main as cangpei_main
from cangpei.warehouse.v1 import warehouse_pb2 as pb
from services.warehouse import cli

from .fulfilment_helpers import start_flow_warehouse, submit
from .warehouse_app_helpers import (
    north,
    satellite,
    stock,
    warehouse_with_inventory,
)


@pytest.fixture
async def services(sqlite_url, nats_server, tmp_path):
    async with warehouse_with_inventory(
        sqlite_url, nats_server.url, tmp_path, start=start_flow_warehouse
    ) as running:
        yield running


def runner(app, capsys):
    address = ["--address", f"127.0.0.1:{app.grpc_port}"]

    async def run(*args: str) -> tuple[int, str, str]:
        code = await asyncio.to_thread(cli.main, [*address, *args])
        out, err = capsys.readouterr()
        return code, out, err

    return run


async def test_operator_registers_updates_lists_and_checks_coverage(services, tmp_path, capsys):
    app, _, _ = services
    run = runner(app, capsys)
    spec = tmp_path / "s1.json"
    spec.write_text(json_format.MessageToJson(satellite("S1", 10)))
    assert (await run("register", str(spec)))[0] == 0
    spec.write_text(json_format.MessageToJson(satellite("S2", 30)))
    assert (await run("register", str(spec)))[0] == 0

    code, out, _ = await run(
        "update", "S2", "--capacity", "1200", "--cutoff", "18:30", "--inactive"
    )
    assert code == 0
    updated = json.loads(out)["warehouse"]
    assert updated["dailyCapacityParcels"] == 1200
    assert updated["cutoffMinute"] == 18 * 60 + 30
    assert updated.get("active", False) is False

    code, out, _ = await run("list", "--kind", "satellite", "--active-only")
    assert [w["warehouseId"] for w in json.loads(out)["warehouses"]] == ["S1"]
    code, out, _ = await run("list")
    assert sorted(w["warehouseId"] for w in json.loads(out)["warehouses"]) == ["S1", "S2"]

    point = north(0)
    code, out, _ = await run("coverage", str(point.latitude), str(point.longitude))
    [entry] = json.loads(out)["entries"]  # S2 is inactive
    assert entry["warehouse"]["warehouseId"] == "S1"
    assert entry["tier"] == "SERVICE_TIER_NEAR_SATELLITE"
    assert entry["distanceKm"] == pytest.approx(10, abs=0.05)


async def test_refusals_print_the_services_message_and_exit_1(services, capsys):
    app, warehouse, _ = services
    run = runner(app, capsys)
    await warehouse.RegisterWarehouse(pb.RegisterWarehouseRequest(warehouse=satellite("S1", 5)))

    code, out, err = await run("get", "nowhere")
    assert (code, out) == (1, "")
    assert err.startswith("NOT_FOUND:") and "nowhere" in err

    code, _, err = await run("update", "S1", "--radius-km", "150")
    assert code == 1
    assert err.startswith("INVALID_ARGUMENT:") and "100" in err

    code, _, err = await run("order", "cancel", "no-such-order")
    assert code == 1 and err.startswith("NOT_FOUND:")

    # A malformed time of day never reaches the service.
    with pytest.raises(SystemExit) as exit_info:
        cli.main(["--address", "127.0.0.1:1", "update", "S1", "--cutoff", "25:00"])
    assert exit_info.value.code == 2
    assert "not a time of day" in capsys.readouterr().err


async def test_operator_follows_and_cancels_an_order(services, capsys, wait_for):
    app, warehouse, inventory = services
    run = runner(app, capsys)
    await warehouse.RegisterWarehouse(pb.RegisterWarehouseRequest(warehouse=satellite("S1", 5)))
    await stock(inventory, "TEA", "S1", 5)
    await warehouse.SubmitFulfilmentOrder(submit("key-1", "O-1", 0, ("TEA", 2)))

    async def allocated():
        code, out, _ = await run("order", "get", "O-1")
        return out if code == 0 and "FULFILMENT_STATUS_ALLOCATED" in out else None

    await wait_for(allocated, timeout=15, what="O-1 allocated")

    code, out, _ = await run("order", "show", "O-1")
    assert code == 0
    lines = out.splitlines()
    assert lines[0] == "order O-1: allocated"
    assert "  line TEA × 2" in lines
    parcel = next(line for line in lines if "from S1" in line)
    assert "satellite ≤ 50 km" in parcel and "5.0 km" in parcel and "not yet dispatched" in parcel
    history = lines[lines.index("history:") + 1 :]
    assert [h.split()[3] for h in history] == ["received", "allocated"]

    code, out, _ = await run("allocation", "--order", "O-1")
    allocation = json.loads(out)["allocation"]
    assert allocation["orderId"] == "O-1"
    assert allocation["parcels"][0]["warehouseId"] == "S1"
    assert allocation["explanations"]

    code, out, _ = await run("order", "cancel", "O-1", "--reason", "customer called")
    assert json.loads(out)["order"]["status"] == "FULFILMENT_STATUS_CANCELLED"
    code, out, _ = await run("order", "list", "--status", "cancelled")
    listed = json.loads(out)
    assert [o["orderId"] for o in listed["orders"]] == ["O-1"]
    assert {"status": "FULFILMENT_STATUS_CANCELLED", "orders": "1"} in listed["counts"]
    code, out, _ = await run("order", "show", "O-1")
    assert "customer called" in out.splitlines()[-1]


async def test_cangpei_command_hands_warehouse_arguments_to_this_cli(services, capsys):
    app, warehouse, _ = services
    await warehouse.RegisterWarehouse(pb.RegisterWarehouseRequest(warehouse=satellite("S1", 5)))
    address = f"127.0.0.1:{app.grpc_port}"
    with pytest.raises(SystemExit) as exit_info:
        await asyncio.to_thread(cangpei_main, ["warehouse", "--address", address, "get", "S1"])
    assert exit_info.value.code == 0
    assert json.loads(capsys.readouterr().out)["warehouse"]["warehouseId"] == "S1"
