"""The local stack: an embedded nats-server and the four services as separate processes."""

from __future__ import annotations

import json
import os
import secrets
import signal
import subprocess
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path

import grpc
from grpc_health.v1 import health_pb2, health_pb2_grpc

from cangpei.runtime.clock import CLOCK_FILE_ENV
from cangpei.runtime.grpc_server import channel_credentials
from cangpei.runtime.natsd import (
    NatsCluster,
    NatsServer,
    dying_with_parent,
    free_port,
    port_is_free,
)
from cangpei.runtime.settings import DEFAULT_GRPC_PORTS, SERVICES, TlsSettings, env_prefix

STACK_FILE = "stack.json"
STAFF_TOKEN_ENV = "CANGPEI_CATALOG_BOOTSTRAP_STAFF_TOKEN"


@dataclass
class StackConfig:
    data_dir: Path
    nats_url: str | None = None  # an existing NATS; None starts the embedded one
    nats_port: int | None = None
    fsync_always: bool = True
    host: str = "127.0.0.1"
    extra_env: dict[str, str] = field(default_factory=dict)
    cluster: bool = False  # three nats-servers as one JetStream cluster, streams replicated 3 times
    replicas: int = 1  # processes per service
    database_urls: dict[str, str] = field(default_factory=dict)  # service -> URL; SQLite otherwise


def open_channel(address: str) -> grpc.Channel:
    """A channel to a service: TLS (and our client certificate) when CANGPEI_TLS_CA_FILE is set."""
    credentials = channel_credentials(TlsSettings.from_env(os.environ))
    if credentials is None:
        return grpc.insecure_channel(address)
    return grpc.secure_channel(address, credentials)


def list_services(address: str) -> list[str]:
    """The gRPC services a server lists through reflection."""
    from grpc_reflection.v1alpha import reflection_pb2, reflection_pb2_grpc

    with open_channel(address) as channel:
        stub = reflection_pb2_grpc.ServerReflectionStub(channel)
        request = reflection_pb2.ServerReflectionRequest(list_services="")
        for answer in stub.ServerReflectionInfo(iter([request]), timeout=5):
            return sorted(s.name for s in answer.list_services_response.service)
    return []


def health_status(address: str, timeout: float = 1.0) -> str:
    """SERVING, NOT_SERVING, or why it could not be asked."""
    try:
        with open_channel(address) as channel:
            stub = health_pb2_grpc.HealthStub(channel)
            answer = stub.Check(health_pb2.HealthCheckRequest(service=""), timeout=timeout)
            return health_pb2.HealthCheckResponse.ServingStatus.Name(answer.status)
    except grpc.RpcError as exc:
        return f"UNREACHABLE ({exc.code().name})"


class Stack:
    """Starts and stops the local stack. Instances are named after their service, and
    "<service>-2", "<service>-3" ... for further replicas."""

    def __init__(self, config: StackConfig) -> None:
        self.config = config
        self.data_dir = config.data_dir.resolve()
        self.log_dir = self.data_dir / "logs"
        self.nats: NatsServer | NatsCluster | None = None
        self.nats_url = config.nats_url or ""
        self.addresses: dict[str, str] = {}  # instance -> host:port
        self.services: dict[str, str] = {}  # instance -> service
        self.processes: dict[str, subprocess.Popen[bytes]] = {}
        # Platform-staff credential for operators' tools (demo, CLI) against this stack;
        # the catalog service accepts it on first start and stores only its hash.
        self.staff_token = os.environ.get(STAFF_TOKEN_ENV) or secrets.token_urlsafe(32)

    def start(self, timeout: float = 90.0, progress=print) -> None:  # type: ignore[no-untyped-def]
        self.log_dir.mkdir(parents=True, exist_ok=True)
        if not self.config.nats_url:
            options = dict(
                host=self.config.host,
                sync_always=self.config.fsync_always,
            )
            if self.config.cluster:
                self.nats = NatsCluster(self.data_dir / "nats", **options)
                for node in self.nats.nodes:
                    node.log_file = self.log_dir / f"nats-{node.server_name}.log"
                progress("starting a 3-node nats-server cluster (JetStream, replicas 3)")
            else:
                self.nats = NatsServer(
                    self.data_dir / "nats",
                    port=self.config.nats_port,
                    log_file=self.log_dir / "nats-server.log",
                    **options,
                )
                progress(f"starting nats-server (JetStream) on {self.nats.url}")
            self.nats.start()
            self.nats_url = self.nats.url
        for service in SERVICES:
            for replica in range(1, self.config.replicas + 1):
                instance = service if replica == 1 else f"{service}-{replica}"
                port = DEFAULT_GRPC_PORTS[service] if replica == 1 else 0
                if not port or not port_is_free(port, self.config.host):
                    port = free_port(self.config.host)
                self.addresses[instance] = f"{self.config.host}:{port}"
                self.services[instance] = service
                self._spawn(instance)
        progress(
            f"starting {', '.join(SERVICES)} ({self.config.replicas} each); "
            "waiting for their health checks"
        )
        self.wait_serving(timeout)
        self._write_stack_file()

    def _service_env(self, instance: str) -> dict[str, str]:
        service = self.services[instance]
        host, port = self.addresses[instance].rsplit(":", 1)
        prefix = env_prefix(service)
        env = dict(os.environ)
        env.update(self.config.extra_env)
        env.update(
            {
                "CANGPEI_DATA_DIR": str(self.data_dir),
                "CANGPEI_NATS_URL": self.nats_url,
                f"{prefix}GRPC_HOST": host,
                f"{prefix}GRPC_PORT": port,
                "PYTHONUNBUFFERED": "1",
            }
        )
        # The business clock: real, unless the clock file sets a simulated one (the demo).
        env[CLOCK_FILE_ENV] = str(clock_file(self.data_dir))
        if self.config.cluster:
            env.setdefault("CANGPEI_NATS_STREAM_REPLICAS", "3")
        if service == "catalog":
            env[STAFF_TOKEN_ENV] = self.staff_token
        # A live flow on one machine: dispatch waves every second rather than every few
        # minutes as a warehouse floor would (an explicit setting still wins).
        env.setdefault("CANGPEI_ROUTING_DISPATCH_INTERVAL_SECONDS", "1")
        env.setdefault("CANGPEI_ROUTING_SOLVER_TIME_LIMIT_SECONDS", "1")
        env.setdefault("CANGPEI_ROUTING_REPLAN_TIME_LIMIT_SECONDS", "0.5")
        if service in self.config.database_urls:
            env[f"{prefix}DATABASE_URL"] = self.config.database_urls[service]
        return env

    def _spawn(self, instance: str) -> None:
        log = open(self.log_dir / f"{instance}.log", "ab")  # noqa: SIM115 - the child owns it
        self.processes[instance] = subprocess.Popen(
            dying_with_parent([sys.executable, "-m", "cangpei", "serve", self.services[instance]]),
            env=self._service_env(instance),
            stdout=log,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )

    def restart(self, instance: str, sig: signal.Signals = signal.SIGTERM) -> None:
        self.stop_service(instance, sig)
        self._spawn(instance)

    def wait_serving(self, timeout: float, instances: list[str] | None = None) -> None:
        deadline = time.monotonic() + timeout
        pending = set(instances or self.addresses)
        while pending:
            for instance in sorted(pending):
                process = self.processes[instance]
                if process.poll() is not None:
                    raise RuntimeError(
                        f"{instance} exited with code {process.returncode} while starting; "
                        f"last lines of {self.log_dir / (instance + '.log')}:\n"
                        f"{self.tail(instance)}"
                    )
                if health_status(self.addresses[instance]) == "SERVING":
                    pending.discard(instance)
            if pending and time.monotonic() > deadline:
                raise TimeoutError(
                    f"not SERVING after {timeout:g} s: {', '.join(sorted(pending))}; "
                    f"see the logs in {self.log_dir}"
                )
            if pending:
                time.sleep(0.2)

    def tail(self, instance: str, lines: int = 20) -> str:
        path = self.log_dir / f"{instance}.log"
        if not path.exists():
            return "(no log)"
        return "\n".join(path.read_text(errors="replace").splitlines()[-lines:])

    def _write_stack_file(self) -> None:
        path = self.data_dir / STACK_FILE
        path.touch(mode=0o600)
        path.write_text(
            json.dumps(
                {
                    "nats_url": self.nats_url,
                    "services": self.addresses,
                    "pids": {name: p.pid for name, p in self.processes.items()},
                    "staff_token": self.staff_token,
                },
                indent=2,
            )
        )

    def stop_service(self, instance: str, sig: signal.Signals = signal.SIGTERM) -> None:
        process = self.processes.get(instance)
        if process is None or process.poll() is not None:
            return
        process.send_signal(sig)
        try:
            process.wait(15)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()

    def stop(self) -> None:
        for process in self.processes.values():
            if process.poll() is None:
                process.send_signal(signal.SIGTERM)
        for instance in self.processes:
            self.stop_service(instance)
        if self.nats is not None:
            self.nats.stop()
        (self.data_dir / STACK_FILE).unlink(missing_ok=True)


def clock_file(data_dir: Path) -> Path:
    """The file that sets the stack's business clock (see cangpei.runtime.clock):
    CANGPEI_CLOCK_FILE when set, else clock.json in the data directory."""
    return Path(os.environ.get(CLOCK_FILE_ENV) or data_dir.resolve() / "clock.json")


def running_stack(data_dir: Path) -> dict | None:
    """The stack file of a stack whose services all answer SERVING, else None."""
    path = data_dir.resolve() / STACK_FILE
    if not path.exists():
        return None
    info = json.loads(path.read_text())
    if all(health_status(a) == "SERVING" for a in info["services"].values()):
        return info
    return None
