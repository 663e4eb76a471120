"""The routing CLI against a running service."""

from __future__ import annotations

import asyncio
import json

from google.protobuf import json_format

from services.routing import cli

from .routing_app_helpers import WAREHOUSE, carrier, start_routing, vehicle


async def test_cli_manages_carriers_and_vehicles(sqlite_url, nats_server, tmp_path, capsys) -> None:
    app = await start_routing(sqlite_url, nats_server.url)
    address = ["--address", f"127.0.0.1:{app.grpc_port}"]
    try:
        card = tmp_path / "sf.json"
        card.write_text(json_format.MessageToJson(carrier("sf")))
        van = tmp_path / "van.json"
        van.write_text(json_format.MessageToJson(vehicle("van1")))

        async def run(*args: str) -> int:
            return await asyncio.to_thread(cli.main, [*address, *args])

        assert await run("depot", "put", WAREHOUSE[0], str(WAREHOUSE[1]), str(WAREHOUSE[2])) == 0
        assert await run("carrier", "put", str(card)) == 0
        assert await run("vehicle", "put", str(van)) == 0
        capsys.readouterr()
        assert await run("carrier", "list") == 0
        listed = json.loads(capsys.readouterr().out)
        assert [c["carrierId"] for c in listed["carriers"]] == ["sf"]
        assert listed["carriers"][0]["bands"][0]["firstWeightFen"] == "1000"

        assert await run("dispatch", "nowhere") == 1
        assert "NOT_FOUND: unknown warehouse 'nowhere'" in capsys.readouterr().err
    finally:
        await app.stop(grace=0)
