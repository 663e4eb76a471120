"""`cangpei up`: four services as separate processes, all SERVING, stopped cleanly by a signal."""

from __future__ import annotations

import json
import queue
import signal
import subprocess
import sys
import threading
import time

from cangpei.stack import STACK_FILE, health_status, list_services

EXPECTED_APIS = {
    "catalog": "cangpei.catalog.v1.CatalogService",
    "inventory": "cangpei.inventory.v1.InventoryService",
    "warehouse": "cangpei.warehouse.v1.WarehouseService",
    "routing": "cangpei.routing.v1.RoutingService",
}


def _read_lines(stream, lines: queue.Queue) -> None:  # type: ignore[no-untyped-def]
    for line in iter(stream.readline, ""):
        lines.put(line)
    lines.put(None)


def test_cangpei_up_serves_all_four_services_and_stops_on_ctrl_c(tmp_path):
    process = subprocess.Popen(
        [sys.executable, "-m", "cangpei", "up", "--data-dir", str(tmp_path)],
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    lines: queue.Queue = queue.Queue()
    threading.Thread(target=_read_lines, args=(process.stdout, lines), daemon=True).start()
    output = []
    try:
        deadline = time.monotonic() + 120
        while not any("Ctrl-C stops everything" in line for line in output):
            remaining = deadline - time.monotonic()
            assert remaining > 0, "stack did not come up:\n" + "".join(output)
            line = lines.get(timeout=remaining)
            assert line is not None, "cangpei up exited early:\n" + "".join(output)
            output.append(line)

        info = json.loads((tmp_path / STACK_FILE).read_text())
        assert set(info["services"]) == set(EXPECTED_APIS)
        for service, address in info["services"].items():
            assert health_status(address) == "SERVING", service
            assert EXPECTED_APIS[service] in list_services(address), service
            assert address in "".join(output), f"{service} address not printed"
        service_pids = list(info["pids"].values())

        process.send_signal(signal.SIGINT)
        assert process.wait(60) == 0
        for pid in service_pids:
            assert not _alive(pid), f"service process {pid} outlived the stack"
        assert not (tmp_path / STACK_FILE).exists()
    finally:
        if process.poll() is None:
            process.kill()
            process.wait()


def _alive(pid: int) -> bool:
    try:
        with open(f"/proc/{pid}/stat") as stat:
            return stat.read().split()[2] != "Z"
    except FileNotFoundError:
        return False
