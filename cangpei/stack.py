"""The local stack: an embedded nats-server and the four services as separate processes."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path

import grpc
from grpc_health.v1 import health_pb2, health_pb2_grpc

from cangpei.runtime.grpc_server import channel_credentials
from cangpei.runtime.natsd import NatsServer, free_port, port_is_free
from cangpei.runtime.settings import DEFAULT_GRPC_PORTS, SERVICES, TlsSettings, env_prefix

STACK_FILE = "stack.json"


@dataclass
class StackConfig:
    data_dir: Path
    nats_url: str | None = None  # an existing NATS; None starts the embedded one
    nats_port: int | None = None
    fsync_always: bool = True
    host: str = "127.0.0.1"
    extra_env: dict[str, str] = field(default_factory=dict)


def open_channel(address: str) -> grpc.Channel:
    """A channel to a service: TLS (and our client certificate) when CANGPEI_TLS_CA_FILE is set."""
    credentials = channel_credentials(TlsSettings.from_env(os.environ))
    if credentials is None:
        return grpc.insecure_channel(address)
    return grpc.secure_channel(address, credentials)


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
    def __init__(self, config: StackConfig) -> None:
        self.config = config
        self.data_dir = config.data_dir.resolve()
        self.log_dir = self.data_dir / "logs"
        self.nats: NatsServer | None = None
        self.nats_url = config.nats_url or ""
        self.addresses: dict[str, str] = {}
        self.processes: dict[str, subprocess.Popen[bytes]] = {}

    def start(self, timeout: float = 90.0, progress=print) -> None:  # type: ignore[no-untyped-def]
        self.log_dir.mkdir(parents=True, exist_ok=True)
        if not self.config.nats_url:
            self.nats = NatsServer(
                self.data_dir / "nats",
                port=self.config.nats_port,
                host=self.config.host,
                sync_always=self.config.fsync_always,
                log_file=self.log_dir / "nats-server.log",
            )
            progress(f"starting nats-server (JetStream) on {self.nats.url}")
            self.nats.start()
            self.nats_url = self.nats.url
        for service in SERVICES:
            port = DEFAULT_GRPC_PORTS[service]
            if not port_is_free(port, self.config.host):
                port = free_port(self.config.host)
            self.addresses[service] = f"{self.config.host}:{port}"
            self._spawn(service)
        progress("starting " + ", ".join(SERVICES) + "; waiting for their health checks")
        self.wait_serving(timeout)
        self._write_stack_file()

    def _service_env(self, service: str) -> dict[str, str]:
        host, port = self.addresses[service].rsplit(":", 1)
        env = dict(os.environ)
        env.update(self.config.extra_env)
        env.update(
            {
                "CANGPEI_DATA_DIR": str(self.data_dir),
                "CANGPEI_NATS_URL": self.nats_url,
                f"{env_prefix(service)}GRPC_HOST": host,
                f"{env_prefix(service)}GRPC_PORT": port,
                "PYTHONUNBUFFERED": "1",
            }
        )
        return env

    def _spawn(self, service: str) -> None:
        log = open(self.log_dir / f"{service}.log", "ab")  # noqa: SIM115 - the child owns it
        self.processes[service] = subprocess.Popen(
            [sys.executable, "-m", "cangpei", "serve", service],
            env=self._service_env(service),
            stdout=log,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )

    def restart(self, service: str) -> None:
        self.stop_service(service)
        self._spawn(service)

    def wait_serving(self, timeout: float) -> None:
        deadline = time.monotonic() + timeout
        pending = set(self.addresses)
        while pending:
            for service in sorted(pending):
                process = self.processes[service]
                if process.poll() is not None:
                    raise RuntimeError(
                        f"{service} exited with code {process.returncode} while starting; "
                        f"last lines of {self.log_dir / (service + '.log')}:\n{self.tail(service)}"
                    )
                if health_status(self.addresses[service]) == "SERVING":
                    pending.discard(service)
            if pending and time.monotonic() > deadline:
                raise TimeoutError(
                    f"not SERVING after {timeout:g} s: {', '.join(sorted(pending))}; "
                    f"see the logs in {self.log_dir}"
                )
            if pending:
                time.sleep(0.2)

    def tail(self, service: str, lines: int = 20) -> str:
        path = self.log_dir / f"{service}.log"
        if not path.exists():
            return "(no log)"
        return "\n".join(path.read_text(errors="replace").splitlines()[-lines:])

    def _write_stack_file(self) -> None:
        (self.data_dir / STACK_FILE).write_text(
            json.dumps(
                {
                    "nats_url": self.nats_url,
                    "services": self.addresses,
                    "pids": {name: p.pid for name, p in self.processes.items()},
                },
                indent=2,
            )
        )

    def stop_service(self, service: str, sig: signal.Signals = signal.SIGTERM) -> None:
        process = self.processes.get(service)
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
        for service in self.processes:
            self.stop_service(service)
        if self.nats is not None:
            self.nats.stop()
        (self.data_dir / STACK_FILE).unlink(missing_ok=True)


def running_stack(data_dir: Path) -> dict | None:
    """The stack file of a stack whose services all answer SERVING, else None."""
    path = data_dir.resolve() / STACK_FILE
    if not path.exists():
        return None
    info = json.loads(path.read_text())
    if all(health_status(a) == "SERVING" for a in info["services"].values()):
        return info
    return None
