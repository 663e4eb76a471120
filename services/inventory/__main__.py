"""``python -m services.inventory``: one server process, or several sharing the port.

With CANGPEI_INVENTORY_PROCESSES=N (N > 1) this process migrates the database once,
then starts N server processes on the same gRPC port (SO_REUSEPORT) and supervises
them: a stop signal is passed on to each, and when one of them ends the others are
stopped too. Each is a full replica (admission queue, outbox relay, consumers,
sweeper); the design is correct with replicas, so they need no coordination.

On PostgreSQL (or with CANGPEI_INVENTORY_RELAY_PROCESS=true) the outbox relay runs in
a process of its own beside the server process(es), supervised the same way, and the
servers run none (``python -m services.inventory relay`` is that process; see
relay.py); CANGPEI_INVENTORY_RELAY_PROCESS=false keeps it in the server process.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys

from sqlalchemy.engine import make_url

from cangpei.runtime.app import RELAY_ELSEWHERE_ENV, main
from cangpei.runtime.db import Database, normalise_url
from cangpei.runtime.grpc_server import SHARE_PORT_ENV
from cangpei.runtime.migrations import migrate
from cangpei.runtime.natsd import dying_with_parent
from cangpei.runtime.outbox import RUNTIME_MIGRATIONS
from cangpei.runtime.settings import ServiceSettings, load_config
from services.inventory.adapters.schema import MIGRATIONS
from services.inventory.config import InventoryConfig
from services.inventory.relay import main as relay_main

SERVICE = "inventory"


def serve_processes(count: int, relay_process: bool) -> int:
    settings = ServiceSettings.from_env(SERVICE)
    if count > 1 and not settings.grpc_port:
        raise SystemExit("CANGPEI_INVENTORY_PROCESSES > 1 needs CANGPEI_INVENTORY_GRPC_PORT set")
    # Once here, so the server processes do not race each other through the migrations.
    db = Database(settings.database_url)
    try:
        migrate(db, "cangpei.runtime", RUNTIME_MIGRATIONS)
        migrate(db, SERVICE, MIGRATIONS)
    finally:
        db.dispose()
    prefix = f"CANGPEI_{SERVICE.upper()}_"
    # The children serve (or relay) themselves rather than supervising again.
    env = {**os.environ, f"{prefix}PROCESSES": "1", f"{prefix}RELAY_PROCESS": "false"}
    if count > 1:
        env[SHARE_PORT_ENV] = "1"
    if relay_process:
        env[RELAY_ELSEWHERE_ENV] = "1"
    commands = [[sys.executable, "-m", f"services.{SERVICE}"]] * count
    if relay_process:
        commands.append([sys.executable, "-m", f"services.{SERVICE}", "relay"])
    children: list[subprocess.Popen[bytes]] = []
    stopping = False

    def pass_on(signum: int, _frame: object) -> None:
        nonlocal stopping
        stopping = True
        for child in children:
            if child.poll() is None:
                child.send_signal(signum)

    # Before the children exist, so a stop at any moment reaches every one of them.
    signal.signal(signal.SIGTERM, pass_on)
    signal.signal(signal.SIGINT, pass_on)
    for command in commands:
        if stopping:
            break
        # Killed with the supervisor (SIGKILL included), so none keeps serving alone.
        children.append(subprocess.Popen(dying_with_parent(command), env=env))
        if stopping:  # the stop came while this one was being started
            children[-1].send_signal(signal.SIGTERM)
    if not children:
        return 0
    first = os.wait()  # whichever ends first, by a signal or on its own
    if not stopping:
        # One ended on its own: stop the others. (Not twice: a second signal could
        # reach a process after its graceful stop had already removed its handler.)
        pass_on(signal.SIGTERM, None)
    codes = [os.waitstatus_to_exitcode(first[1])]
    codes += [child.wait() for child in children if child.pid != first[0]]
    if stopping:
        # A child still importing when the stop came had no handler yet and ended by
        # the signal itself: that is a clean stop too, not a failure.
        codes = [0 if code in (-signal.SIGTERM, -signal.SIGINT) else code for code in codes]
    return next((code for code in codes if code), 0)


def relay_apart(config: InventoryConfig) -> bool:
    """The relay in a process of its own: as configured, else on PostgreSQL only."""
    if config.relay_process is not None:
        return config.relay_process
    url = ServiceSettings.from_env(SERVICE).database_url
    return make_url(normalise_url(url)).get_backend_name() != "sqlite"


config = load_config(InventoryConfig, SERVICE)
if sys.argv[1:] == ["relay"]:
    relay_main(SERVICE, config.relay_poll_ms / 1000, config.relay_idle_poll_seconds)
elif config.processes > 1 or relay_apart(config):
    sys.exit(serve_processes(config.processes, relay_apart(config)))
else:
    main(SERVICE)
