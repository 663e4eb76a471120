"""`cangpei`: run the stack, one service, the demo, and check health."""

from __future__ import annotations

import argparse
import os
import signal
import sys
import threading
from pathlib import Path

from cangpei.runtime.settings import SERVICES


def _data_dir(args: argparse.Namespace) -> Path:
    return Path(args.data_dir or os.environ.get("CANGPEI_DATA_DIR", "data"))


def _stack_config(args: argparse.Namespace):  # type: ignore[no-untyped-def]
    from cangpei.stack import StackConfig

    cluster = getattr(args, "cluster", False)
    database_urls = {}
    if getattr(args, "postgres_url", None):
        from cangpei.runtime.pg import ensure_service_databases

        database_urls = ensure_service_databases(args.postgres_url, SERVICES)
    return StackConfig(
        data_dir=_data_dir(args),
        nats_url=args.nats_url,
        nats_port=args.nats_port,
        fsync_always=not args.no_fsync,
        cluster=cluster,
        replicas=getattr(args, "replicas", None) or (2 if cluster else 1),
        database_urls=database_urls,
    )


def _print_addresses(stack) -> None:  # type: ignore[no-untyped-def]
    print(f"  {'nats':<12} {stack.nats_url}")
    for instance, address in stack.addresses.items():
        print(f"  {instance:<12} {address}  (gRPC; health and reflection on)")
    print(f"  logs         {stack.log_dir}")


def _wait_for_stop_signal() -> None:
    stop = threading.Event()
    for sig in (signal.SIGINT, signal.SIGTERM):
        signal.signal(sig, lambda *_: stop.set())
    stop.wait()


def cmd_up(args: argparse.Namespace) -> int:
    from cangpei.stack import Stack, clock_file

    stack = Stack(_stack_config(args))
    try:
        stack.start()
        print("Cangpei is up; every service reports SERVING:")
        _print_addresses(stack)
        clock = clock_file(stack.data_dir)
        if clock.exists():
            print(f"business clock: simulated, as {clock} sets it (delete it for the real one)")
        print("Ctrl-C stops everything.", flush=True)
        _wait_for_stop_signal()
        print("stopping ...", flush=True)
    finally:
        stack.stop()
    print("stopped")
    return 0


def cmd_serve(args: argparse.Namespace) -> int:
    from cangpei.runtime.app import main as serve_main

    serve_main(args.service)
    return 0


def cmd_health(args: argparse.Namespace) -> int:
    import json

    from cangpei.stack import STACK_FILE, health_status

    path = _data_dir(args).resolve() / STACK_FILE
    if not path.exists():
        print(f"no running stack found ({path} is missing); start one with `cangpei up`")
        return 1
    info = json.loads(path.read_text())
    failing = 0
    for service, address in info["services"].items():
        status = health_status(address)
        failing += status != "SERVING"
        print(f"  {service:<10} {address:<22} {status}")
    return 1 if failing else 0


def cmd_probe(args: argparse.Namespace) -> int:
    """Exit 0 when the service at the address reports SERVING (for container probes)."""
    from cangpei.stack import health_status

    status = health_status(args.address, timeout=args.timeout)
    print(status)
    return 0 if status == "SERVING" else 1


def cmd_certs(args: argparse.Namespace) -> int:
    from cangpei.runtime.devcerts import DEFAULT_HOSTS, make_dev_pki

    hosts = tuple(args.host) if args.host else DEFAULT_HOSTS
    issued = make_dev_pki(Path(args.directory), hosts=hosts)
    for name, files in issued.items():
        print(f"  {name:<22} {files.cert}")
    ca, server = issued["ca"].cert, issued["server"]
    print(
        "\nServe with TLS:   CANGPEI_TLS_CERT_FILE="
        + str(server.cert)
        + " CANGPEI_TLS_KEY_FILE="
        + str(server.key)
        + "\nMutual TLS:       also CANGPEI_TLS_CLIENT_CA_FILE="
        + str(ca)
        + "\nClients:          CANGPEI_TLS_CA_FILE="
        + str(ca)
        + " CANGPEI_TLS_CLIENT_CERT_FILE=... CANGPEI_TLS_CLIENT_KEY_FILE=..."
    )
    return 0


def _nats_url(args: argparse.Namespace) -> str:
    import json

    from cangpei.stack import STACK_FILE

    if args.nats_url:
        return args.nats_url
    path = _data_dir(args).resolve() / STACK_FILE
    if path.exists():
        return json.loads(path.read_text())["nats_url"]
    return os.environ.get("CANGPEI_NATS_URL", "nats://127.0.0.1:4222")


def cmd_dlq(args: argparse.Namespace) -> int:
    import asyncio

    from cangpei.dlq import list_dead_letters, replay
    from cangpei.runtime.messaging import connect

    async def run() -> int:
        url = _nats_url(args)
        nc = await connect(
            url.split(","),
            "cangpei-dlq",
            user=os.environ.get("CANGPEI_NATS_USER"),
            password=os.environ.get("CANGPEI_NATS_PASSWORD"),
            connect_deadline=5,
        )
        try:
            if args.action == "list":
                letters = await list_dead_letters(nc, args.limit)
                if not letters:
                    print("no dead letters")
                for letter in letters:
                    print(
                        f"  #{letter.sequence:<6} {letter.consumer:<28} {letter.subject:<34} "
                        f"{letter.event_id}  {letter.error}"
                    )
                return 0
            sequences = args.sequence or [
                letter.sequence for letter in await list_dead_letters(nc, 10_000)
            ]
            for sequence in sequences:
                letter = await replay(nc, sequence)
                print(f"  replayed #{sequence}: {letter.subject} {letter.event_id}")
            return 0
        finally:
            await nc.close()

    return asyncio.run(run())


def cmd_demo(args: argparse.Namespace) -> int:
    from cangpei.demo import run_demo
    from cangpei.stack import Stack, clock_file, running_stack

    existing = running_stack(_data_dir(args))
    clock = clock_file(_data_dir(args))
    stack = None
    if existing:
        print("using the running stack")
        addresses, staff_token = existing["services"], existing["staff_token"]
    else:
        stack = Stack(_stack_config(args))
        stack.start()
        print("stack started:")
        _print_addresses(stack)
        addresses, staff_token = stack.addresses, stack.staff_token
    try:
        return run_demo(
            addresses, staff_token, orders=args.orders, speed=args.speed, clock_file=clock
        )
    finally:
        if stack is not None:
            print("stopping the stack ...", flush=True)
            stack.stop()
            clock.unlink(missing_ok=True)  # the next stack starts on the real clock
        elif clock.exists():
            print(
                f"the running stack's business clock stays on the replayed day, at real "
                f"speed; delete {clock} to give it the real clock back"
            )


def cmd_clock(args: argparse.Namespace) -> int:
    """Show or set the local stack's business clock (see cangpei.runtime.clock)."""
    import time
    from datetime import datetime

    from cangpei.runtime.clock import BusinessClock, ClockSetting, write_clock
    from cangpei.stack import clock_file

    path = clock_file(_data_dir(args))
    if args.action == "set":
        if not args.time:
            print("cangpei clock set needs the time, e.g. 2026-12-08T07:00+08:00")
            return 2
        try:
            business = datetime.fromisoformat(args.time)
        except ValueError:
            print(f"{args.time!r} is not a date and time such as 2026-12-08T07:00+08:00")
            return 2
        if business.tzinfo is None:
            print(f"{args.time!r} needs its UTC offset, e.g. {args.time}+08:00 (China)")
            return 2
        if not args.speed > 0:
            print(f"--speed {args.speed:g} must be above 0")
            return 2
        write_clock(path, ClockSetting(business, time.time(), args.speed))
    elif args.action == "real":
        path.unlink(missing_ok=True)
    setting = BusinessClock(path).setting()
    if setting is None:
        print(f"business clock: the real one ({path} is absent)")
    else:
        now = setting.at(time.time())
        print(
            f"business clock: {now.isoformat(timespec='seconds')}, running {setting.speed:g} "
            f"times real speed (set by {path}; the stack's services follow within 0.2 s)"
        )
    return 0


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="cangpei",
        description="Cangpei: supply-chain and fulfilment back end (catalog, inventory, "
        "warehouse, routing) for S2B2C social commerce.",
    )
    sub = parser.add_subparsers(dest="command", required=True)

    def stack_options(p: argparse.ArgumentParser) -> None:
        p.add_argument(
            "--data-dir", help="where databases, the NATS store and logs go (default ./data)"
        )
        p.add_argument("--nats-url", help="use this NATS (with JetStream) instead of starting one")
        p.add_argument(
            "--nats-port", type=int, help="port of the embedded nats-server (default: a free one)"
        )
        p.add_argument(
            "--no-fsync",
            action="store_true",
            help="let the embedded nats-server acknowledge before fsync "
            "(faster, may lose acknowledged events on a crash)",
        )

    up = sub.add_parser("up", help="start nats-server and the four services; Ctrl-C stops them")
    stack_options(up)
    up.add_argument(
        "--cluster",
        action="store_true",
        help="three nats-servers as one JetStream cluster (streams replicated 3 times) "
        "and two replicas of every service",
    )
    up.add_argument(
        "--replicas", type=int, help="processes per service (default 1, 2 with --cluster)"
    )
    up.add_argument(
        "--postgres-url",
        help="PostgreSQL server to use instead of SQLite files; a database cangpei_<service> "
        "is created for each service if missing (e.g. postgresql://postgres@127.0.0.1:5432/postgres)",
    )
    up.set_defaults(func=cmd_up)

    serve = sub.add_parser(
        "serve", help="run one service in the foreground (settings from CANGPEI_* variables)"
    )
    serve.add_argument("service", choices=SERVICES)
    serve.set_defaults(func=cmd_serve)

    health = sub.add_parser("health", help="ask every service of the running stack for its health")
    health.add_argument("--data-dir", help="the stack's data directory (default ./data)")
    health.set_defaults(func=cmd_health)

    probe = sub.add_parser(
        "probe",
        help="exit 0 when the service at ADDRESS reports SERVING (uses CANGPEI_TLS_* when set)",
    )
    probe.add_argument("address", help="host:port of a service's gRPC port")
    probe.add_argument("--timeout", type=float, default=2.0)
    probe.set_defaults(func=cmd_probe)

    clock = sub.add_parser(
        "clock",
        help="show or set the business clock the local stack's warehouse and routing plan by",
        description="The business clock decides cut-offs, promises, vans' shifts and pickup "
        "days. `show` prints it; `set TIME [--speed X]` makes the running stack's services "
        "plan as if it were TIME (ISO 8601 with its UTC offset), running X times as fast; "
        "`real` gives them the real clock back. Reservation expiry keeps the real clock.",
    )
    clock.add_argument("action", choices=["show", "set", "real"])
    clock.add_argument("time", nargs="?", help="with set: e.g. 2026-12-08T07:00+08:00")
    clock.add_argument("--speed", type=float, default=1.0, help="with set (default 1)")
    clock.add_argument("--data-dir", help="the stack's data directory (default ./data)")
    clock.set_defaults(func=cmd_clock)

    dlq = sub.add_parser(
        "dlq", help="events a consumer gave up on: list them, or replay them after a fix"
    )
    dlq.add_argument("action", choices=["list", "replay"])
    dlq.add_argument(
        "sequence", type=int, nargs="*", help="dead-letter numbers to replay (default: all)"
    )
    dlq.add_argument("--limit", type=int, default=100, help="at most this many to list")
    dlq.add_argument("--data-dir", help="the stack's data directory, to find its NATS")
    dlq.add_argument("--nats-url", help="NATS to use (default: the running stack's)")
    dlq.set_defaults(func=cmd_dlq)

    certs = sub.add_parser(
        "certs", help="make a development CA, a server certificate and client certificates"
    )
    certs.add_argument("directory", help="where to write the PEM files")
    certs.add_argument(
        "--host", action="append", help="a name or IP the server certificate covers (repeatable)"
    )
    certs.set_defaults(func=cmd_certs)

    demo = sub.add_parser(
        "demo",
        help="start the stack if needed, seed a network and replay a promotion day",
        description="Start the stack unless one is running, seed a Yangtze River Delta "
        "network (suppliers vetted by the catalog rules, warehouses, stock, carriers, vans) "
        "and replay a promotion day, 07:00-23:00, one hour every 2 s at speed 1, with "
        "progress and a summary. The stack's business clock (cut-offs, vans' shifts, "
        "promises) follows the replayed day through <data dir>/clock.json, then runs at "
        "real speed while the flow drains; exit status 0 when every order completed.",
    )
    stack_options(demo)
    demo.add_argument("--orders", type=int, default=200, help="orders to replay (default 200)")
    demo.add_argument(
        "--speed",
        type=float,
        default=1.0,
        help="replay speed factor: an hour every 2/SPEED seconds (default 1)",
    )
    demo.set_defaults(func=cmd_demo)

    # Listed here for --help; main() hands their arguments to the service's own CLI.
    sub.add_parser(
        "warehouse",
        help="warehouses (register, update, list, coverage), fulfilment orders and "
        "allocations of a running warehouse service; `cangpei warehouse --help`",
        add_help=False,
    )
    sub.add_parser(
        "routing",
        help="carriers, vehicles, depots, dispatch waves and plans of a running routing "
        "service; `cangpei routing --help`",
        add_help=False,
    )
    return parser


# Operator commands with a command line of their own, next to their service.
OPERATOR_COMMANDS = {"warehouse": "services.warehouse.cli", "routing": "services.routing.cli"}


def _exit_on_sigterm() -> None:
    # Let SIGTERM unwind like Ctrl-C, so `finally` blocks stop what we started.
    def handler(signum, frame):  # type: ignore[no-untyped-def]
        raise KeyboardInterrupt

    signal.signal(signal.SIGTERM, handler)


def main(argv: list[str] | None = None) -> None:
    argv = sys.argv[1:] if argv is None else list(argv)
    if argv and argv[0] in OPERATOR_COMMANDS:
        import importlib

        module = importlib.import_module(OPERATOR_COMMANDS[argv[0]])
        sys.exit(module.main(argv[1:], prog=f"cangpei {argv[0]}"))
    args = build_parser().parse_args(argv)
    if args.command != "serve":  # a service installs its own graceful handlers
        _exit_on_sigterm()
    try:
        sys.exit(args.func(args))
    except KeyboardInterrupt:
        sys.exit(130)
