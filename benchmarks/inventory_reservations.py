"""Reservations through the real gRPC API, ours against a naive baseline, on SQLite and PostgreSQL.

    python benchmarks/inventory_reservations.py                     # both databases, 10 s a run
    python benchmarks/inventory_reservations.py --backends sqlite --seconds 5
    python benchmarks/inventory_reservations.py --postgres-url postgresql+psycopg://postgres@127.0.0.1:5432/test

Scenarios, each with --clients concurrent clients sending one Reserve at a time:
  hot      one SKU with plenty of stock (a flash sale on one product)
  spread   --spread-skus SKUs, each request picks one uniformly
  sellout  one SKU with 1,000 units, 64 clients x 50 requests: exactly 1,000 may be granted
Each runs against the service (a separate process: admission queue + group commit,
ledger, outbox, idempotency) and against the naive baseline (a separate process:
per request begin, SELECT ... FOR UPDATE, check, update, commit; no ledger, no
outbox), on the same database in the same run. Then hot and spread again with the
clients calling both in-process, without gRPC, to separate the storage design from
the transport. The PostgreSQL database is created for the run and dropped after it.

Beside each gRPC run: the CPU time per granted reservation of the server process
("srv ms") and of the load generator ("cli ms", this process), since both share the
machine's cores with the database. --ceiling adds a run against a server whose
Reserve does nothing: what gRPC and the load generator alone reach here.
The clients share --connections TCP connections (8 by default); with
--server-processes N the service runs N processes on its port (SO_REUSEPORT,
CANGPEI_INVENTORY_PROCESSES), each taking a share of the connections, and "srv ms"
counts them all. The outbox relay runs as the service decides by default (in a process
of its own on PostgreSQL, also counted in "srv ms"; in the server on SQLite);
--relay-process or --relay-in-server choose (CANGPEI_INVENTORY_RELAY_PROCESS).
Figures from a shared machine are indicative only; the load average is printed.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import signal
import subprocess
import sys
import tempfile
import time
import uuid
from pathlib import Path

import grpc
from grpc_health.v1 import health_pb2, health_pb2_grpc
from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from benchmarks.inventory.in_process import run_in_process  # noqa: E402
from benchmarks.inventory.load import LoadResult, run_load  # noqa: E402
from benchmarks.inventory.seed import LOCATION, ledger_mismatches, levels, seed  # noqa: E402
from cangpei.runtime.db import Database, normalise_url  # noqa: E402
from cangpei.runtime.migrations import migrate  # noqa: E402
from cangpei.runtime.natsd import NatsServer, free_port  # noqa: E402
from cangpei.runtime.outbox import RUNTIME_MIGRATIONS  # noqa: E402
from services.inventory.adapters.schema import MIGRATIONS  # noqa: E402

HOT_STOCK = 1_000_000_000
CLOCK_TICKS = os.sysconf("SC_CLK_TCK") if hasattr(os, "sysconf") else 100
SPREAD_STOCK = 1_000
SELLOUT_STOCK = 1_000


def start_server(
    impl: str,
    database_url: str,
    nats_url: str,
    work: Path,
    batch: int,
    processes: int = 1,
    relay_process: bool | None = None,
) -> tuple:
    port = free_port()
    log = open(work / f"{impl}-{port}.log", "wb")  # noqa: SIM115
    if impl == "noop":
        env = dict(os.environ)
        command = [
            sys.executable,
            str(ROOT / "benchmarks" / "inventory" / "naive_server.py"),
            "--noop",
            "--port",
            str(port),
        ]
    elif impl == "ours":
        env = {
            **os.environ,
            "CANGPEI_INVENTORY_DATABASE_URL": database_url,
            "CANGPEI_NATS_URL": nats_url,
            "CANGPEI_INVENTORY_GRPC_PORT": str(port),
            "CANGPEI_DATA_DIR": str(work),
            "CANGPEI_LOG_LEVEL": "WARNING",
            "CANGPEI_INVENTORY_RESERVATION_BATCH_SIZE": str(batch),
            "CANGPEI_INVENTORY_PROCESSES": str(processes),
        }
        env.pop("CANGPEI_INVENTORY_RELAY_PROCESS", None)
        if relay_process is not None:  # else the service's default (apart on PostgreSQL)
            env["CANGPEI_INVENTORY_RELAY_PROCESS"] = str(relay_process).lower()
        command = [sys.executable, "-m", "services.inventory"]
    else:
        env = dict(os.environ)
        command = [
            sys.executable,
            str(ROOT / "benchmarks" / "inventory" / "naive_server.py"),
            "--database-url",
            database_url,
            "--port",
            str(port),
        ]
    process = subprocess.Popen(command, cwd=ROOT, env=env, stdout=log, stderr=log)
    address = f"127.0.0.1:{port}"
    wait_serving(address, process, work / f"{impl}-{port}.log")
    return process, address


def wait_serving(address: str, process: subprocess.Popen, log: Path, timeout: float = 60) -> None:
    deadline = time.monotonic() + timeout
    with grpc.insecure_channel(address) as channel:
        stub = health_pb2_grpc.HealthStub(channel)
        while time.monotonic() < deadline:
            if process.poll() is not None:
                raise SystemExit(f"server exited with {process.returncode}; see {log}")
            try:
                answer = stub.Check(health_pb2.HealthCheckRequest(service=""), timeout=1)
                if answer.status == health_pb2.HealthCheckResponse.SERVING:
                    return
            except grpc.RpcError:
                pass
            time.sleep(0.1)
    raise SystemExit(f"server at {address} not serving after {timeout:g} s; see {log}")


def process_cpu_seconds(pid: int) -> float:
    """User + system CPU so far of a process and of its live children (a server running
    several processes); Linux /proc, NaN elsewhere."""
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
        children = Path(f"/proc/{pid}/task/{pid}/children").read_text().split()
    except OSError:
        return float("nan")
    own = (int(fields[11]) + int(fields[12])) / CLOCK_TICKS
    return own + sum(process_cpu_seconds(int(child)) for child in children)


def load_average() -> str:
    try:
        return " ".join(f"{x:.2f}" for x in os.getloadavg())
    except OSError:
        return "unknown"


def stop_server(process: subprocess.Popen) -> None:
    process.send_signal(signal.SIGTERM)
    try:
        process.wait(20)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait()


def scenario_load(name: str, address: str, args: argparse.Namespace, run_id: str) -> LoadResult:
    if name == "hot":
        return asyncio.run(
            run_load(
                address,
                clients=args.clients,
                pick_sku=lambda _: "HOT",
                location_id=LOCATION,
                run_id=run_id,
                seconds=args.seconds,
                connections=args.connections,
            )
        )
    if name == "spread":
        count = args.spread_skus
        return asyncio.run(
            run_load(
                address,
                clients=args.clients,
                pick_sku=lambda rng: f"S{rng.randrange(count):07d}",
                location_id=LOCATION,
                run_id=run_id,
                seconds=args.seconds,
                connections=args.connections,
            )
        )
    return asyncio.run(
        run_load(
            address,
            clients=64,
            pick_sku=lambda _: "SELLOUT",
            location_id=LOCATION,
            run_id=run_id,
            requests_per_client=50,
            connections=args.connections,
        )
    )


PREFIX = {"hot": "HOT", "spread": "S", "sellout": "SELLOUT"}
INITIAL = {"hot": HOT_STOCK, "sellout": SELLOUT_STOCK}


def bench_backend(backend: str, url: str, args: argparse.Namespace, work: Path) -> None:
    db = Database(url)
    migrate(db, "cangpei.runtime", RUNTIME_MIGRATIONS)
    migrate(db, "inventory", MIGRATIONS)
    started = time.perf_counter()
    seed(db, ["HOT"], HOT_STOCK)
    seed(db, ["SELLOUT"], SELLOUT_STOCK)
    seed(db, [f"S{i:07d}" for i in range(args.spread_skus)], SPREAD_STOCK)
    print(
        f"\n[{backend}] seeded {args.spread_skus + 2:,} SKUs in "
        f"{time.perf_counter() - started:.1f} s",
        flush=True,
    )
    nats = NatsServer(work / f"nats-{backend}", log_file=work / f"nats-{backend}.log")
    nats.start()
    header = (
        f"{'backend':9}{'scenario':9}{'impl':7}{'granted':>9}{'refused':>9}{'errors':>7}"
        f"{'res/s':>9}{'p50 ms':>8}{'p99 ms':>8}{'oversold':>9}{'ledger':>8}  ratio"
    )
    print(f"load average at start: {load_average()}")
    print(header + f" {'srv ms':>9}{'cli ms':>8}")
    try:
        if args.ceiling:
            process, address = start_server("noop", url, nats.url, work, args.batch_size)
            try:
                result, cpu = timed_load("hot", address, args, f"{backend}-ceiling", process)
            finally:
                stop_server(process)
            print(
                f"{backend:9}{'hot':9}{'noop':7}{result.granted:>9}{result.refused:>9}"
                f"{result.errors:>7}{result.rate:>9.0f}{result.percentile(0.5):>8.1f}"
                f"{result.percentile(0.99):>8.1f}{'-':>9}{'-':>8}  {'':6}"
                + cpu_columns(result, cpu),
                flush=True,
            )
        for scenario in args.scenarios:
            rates = {}
            for impl in ("naive", "ours"):
                process, address = start_server(
                    impl,
                    url,
                    nats.url,
                    work,
                    args.batch_size,
                    args.server_processes,
                    args.relay_process,
                )
                try:
                    before = levels(db, impl, PREFIX[scenario])
                    result, cpu = timed_load(
                        scenario, address, args, f"{backend}-{scenario}-{impl}", process
                    )
                finally:
                    stop_server(process)
                after = levels(db, impl, PREFIX[scenario])
                report(backend, scenario, impl, result, before, after, db, rates, cpu)
        if args.in_process:
            print(f"\n[{backend}] the same load without gRPC (service layer in-process)")
            print(header)
            for scenario in (s for s in args.scenarios if s != "sellout"):
                rates = {}
                for impl in ("naive", "ours"):
                    before = levels(db, impl, PREFIX[scenario])
                    result = run_in_process(
                        impl,
                        db,
                        clients=args.clients,
                        pick_sku=pick_for(scenario, args),
                        location_id=LOCATION,
                        run_id=f"{backend}-{scenario}-{impl}-core",
                        seconds=args.seconds,
                        batch_size=args.batch_size,
                    )
                    after = levels(db, impl, PREFIX[scenario])
                    report(backend, scenario, impl, result, before, after, db, rates)
    finally:
        nats.stop()
        db.dispose()


def timed_load(
    scenario: str, address: str, args: argparse.Namespace, run_id: str, server: subprocess.Popen
) -> tuple[LoadResult, tuple[float, float]]:
    """The scenario's load, with the CPU seconds the server and this process spent on it."""
    server_before, client_before = process_cpu_seconds(server.pid), time.process_time()
    result = scenario_load(scenario, address, args, run_id)
    server_cpu = process_cpu_seconds(server.pid) - server_before
    return result, (server_cpu, time.process_time() - client_before)


def cpu_columns(result: LoadResult, cpu: tuple[float, float] | None) -> str:
    """CPU milliseconds per granted reservation: server process, load generator."""
    if cpu is None or not result.granted:
        return ""
    return f"{cpu[0] * 1000 / result.granted:>9.2f}{cpu[1] * 1000 / result.granted:>8.2f}"


def pick_for(scenario: str, args: argparse.Namespace):  # type: ignore[no-untyped-def]
    if scenario == "spread":
        count = args.spread_skus
        return lambda rng: f"S{rng.randrange(count):07d}"
    return lambda _: "HOT"


def report(backend, scenario, impl, result, before, after, db, rates, cpu=None) -> None:  # type: ignore[no-untyped-def]
    reserved_units = after[1] - before[1]
    # Units granted beyond what was there, plus rows reserved past on-hand.
    available = before[0] - before[1]
    oversold = max(0, result.granted - available) + after[2]
    lost = abs(reserved_units - result.granted)
    ledger = str(ledger_mismatches(db, PREFIX[scenario])) if impl == "ours" else "-"
    rates[impl] = result.rate
    ratio = ""
    if impl == "ours" and rates.get("naive"):
        ratio = f"{rates['ours'] / rates['naive']:.2f}x"
    print(
        f"{backend:9}{scenario:9}{impl:7}{result.granted:>9}{result.refused:>9}"
        f"{result.errors:>7}{result.rate:>9.0f}{result.percentile(0.5):>8.1f}"
        f"{result.percentile(0.99):>8.1f}{oversold:>9}{ledger:>8}  {ratio:6}"
        + cpu_columns(result, cpu),
        flush=True,
    )
    if lost:
        print(f"    ! {lost} granted units differ from the units reserved in the database")
    if result.first_error:
        print(f"    ! first error: {result.first_error}")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--backends", nargs="+", default=["sqlite", "postgres"], choices=["sqlite", "postgres"]
    )
    parser.add_argument(
        "--scenarios",
        nargs="+",
        default=["hot", "spread", "sellout"],
        choices=["hot", "spread", "sellout"],
    )
    parser.add_argument("--seconds", type=float, default=10.0, help="length of a timed run")
    parser.add_argument("--clients", type=int, default=64)
    parser.add_argument("--spread-skus", type=int, default=100_000)
    parser.add_argument("--batch-size", type=int, default=128, help="group commit batch limit")
    parser.add_argument(
        "--connections",
        type=int,
        default=8,
        help="TCP connections the clients share (each server process takes a share of them)",
    )
    parser.add_argument(
        "--server-processes",
        type=int,
        default=1,
        help="inventory server processes sharing the port (CANGPEI_INVENTORY_PROCESSES)",
    )
    relay = parser.add_mutually_exclusive_group()
    relay.add_argument(
        "--relay-process",
        dest="relay_process",
        action="store_const",
        const=True,
        help="the service's outbox relay in a process of its own (CANGPEI_INVENTORY_RELAY_PROCESS;"
        " the default on PostgreSQL)",
    )
    relay.add_argument(
        "--relay-in-server",
        dest="relay_process",
        action="store_const",
        const=False,
        help="the outbox relay inside the server process (the default on SQLite)",
    )
    parser.add_argument(
        "--ceiling",
        action="store_true",
        help="also load a server whose Reserve does nothing (gRPC and load generator alone)",
    )
    parser.add_argument(
        "--no-in-process",
        dest="in_process",
        action="store_false",
        help="skip the runs without gRPC (service layer called in-process)",
    )
    parser.add_argument(
        "--postgres-url",
        default=os.environ.get(
            "CANGPEI_TEST_POSTGRES_URL", "postgresql+psycopg://postgres@127.0.0.1:5432/test"
        ),
        help="a database to connect to; the benchmark creates its own beside it and drops it",
    )
    args = parser.parse_args(argv)
    print(
        f"inventory reservations: {args.clients} clients, {args.seconds:g} s runs, "
        f"{os.cpu_count()} CPUs (shared machine: figures are indicative)"
    )
    with tempfile.TemporaryDirectory(prefix="inventory-bench-") as tmp:
        work = Path(tmp)
        for backend in args.backends:
            if backend == "sqlite":
                bench_backend("sqlite", f"sqlite:///{work / 'bench.db'}", args, work)
                continue
            base = make_url(normalise_url(args.postgres_url))
            name = f"cangpei_bench_{uuid.uuid4().hex[:10]}"
            admin = create_engine(base, isolation_level="AUTOCOMMIT")
            with admin.connect() as connection:
                connection.execute(text(f'CREATE DATABASE "{name}"'))
            try:
                url = base.set(database=name).render_as_string(hide_password=False)
                bench_backend("postgres", url, args, work)
            finally:
                with admin.connect() as connection:
                    connection.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
                admin.dispose()
    return 0


if __name__ == "__main__":
    sys.exit(main())
