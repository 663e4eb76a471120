"""Typed settings, read once from the environment at start and passed down.

Common variables: see COMMON_ENV_VARS. Per service (prefix CANGPEI_<SERVICE>_):
GRPC_HOST, GRPC_PORT, DATABASE_URL, and the fields of the service's own config
dataclass (see ``load_config``). Secrets (NATS password, database URL) may also be
given as a file path in <NAME>_FILE, so they need not sit in the environment.
"""

from __future__ import annotations

import dataclasses
import os
import types
import typing
from collections.abc import Mapping
from decimal import Decimal, InvalidOperation
from pathlib import Path

DEFAULT_GRPC_PORTS = {"catalog": 50051, "inventory": 50052, "warehouse": 50053, "routing": 50054}
SERVICES = tuple(DEFAULT_GRPC_PORTS)


class SettingsError(ValueError):
    """A variable is set to something that cannot be used; the message names it."""


def env_prefix(service: str) -> str:
    return f"CANGPEI_{service.upper()}_"


COMMON_ENV_VARS = (
    "CANGPEI_DATA_DIR",
    "CANGPEI_LOG_LEVEL",
    "CANGPEI_NATS_URL",
    "CANGPEI_NATS_USER",
    "CANGPEI_NATS_PASSWORD",
    "CANGPEI_NATS_PASSWORD_FILE",
    "CANGPEI_NATS_STREAM_REPLICAS",
    "CANGPEI_NATS_REQUEST_TIMEOUT",
    "CANGPEI_TLS_CERT_FILE",
    "CANGPEI_TLS_KEY_FILE",
    "CANGPEI_TLS_CLIENT_CA_FILE",
    "CANGPEI_TLS_CA_FILE",
    "CANGPEI_TLS_CLIENT_CERT_FILE",
    "CANGPEI_TLS_CLIENT_KEY_FILE",
)
SERVICE_ENV_SUFFIXES = ("GRPC_HOST", "GRPC_PORT", "DATABASE_URL", "DATABASE_URL_FILE")


def known_env_vars() -> set[str]:
    """Every variable the runtime reads (services' own rule settings come on top)."""
    names = set(COMMON_ENV_VARS)
    for service in SERVICES:
        names.update(f"{env_prefix(service)}{suffix}" for suffix in SERVICE_ENV_SUFFIXES)
    return names


def secret(env: Mapping[str, str], name: str) -> str | None:
    """A secret from NAME, or read from the file named by NAME_FILE."""
    if env.get(name):
        return env[name]
    path = env.get(f"{name}_FILE")
    if path:
        try:
            return Path(path).read_text().strip()
        except OSError as exc:
            raise SettingsError(f"{name}_FILE={path!r} cannot be read: {exc.strerror}") from exc
    return None


@dataclasses.dataclass(frozen=True)
class TlsSettings:
    """Certificate files; a server with client_ca_file set requires client certificates (mTLS)."""

    cert_file: Path | None = None
    key_file: Path | None = None
    client_ca_file: Path | None = None
    ca_file: Path | None = None
    client_cert_file: Path | None = None
    client_key_file: Path | None = None

    @property
    def server_enabled(self) -> bool:
        return self.cert_file is not None

    @classmethod
    def from_env(cls, env: Mapping[str, str]) -> TlsSettings:
        def path(name: str) -> Path | None:
            value = env.get(f"CANGPEI_TLS_{name}")
            if not value:
                return None
            if not Path(value).is_file():
                raise SettingsError(f"CANGPEI_TLS_{name}={value!r} is not a readable file")
            return Path(value)

        tls = cls(
            cert_file=path("CERT_FILE"),
            key_file=path("KEY_FILE"),
            client_ca_file=path("CLIENT_CA_FILE"),
            ca_file=path("CA_FILE"),
            client_cert_file=path("CLIENT_CERT_FILE"),
            client_key_file=path("CLIENT_KEY_FILE"),
        )
        if (tls.cert_file is None) != (tls.key_file is None):
            raise SettingsError("CANGPEI_TLS_CERT_FILE and CANGPEI_TLS_KEY_FILE go together")
        if tls.client_ca_file and not tls.cert_file:
            raise SettingsError(
                "CANGPEI_TLS_CLIENT_CA_FILE (mutual TLS) needs CANGPEI_TLS_CERT_FILE"
            )
        return tls


@dataclasses.dataclass(frozen=True)
class ServiceSettings:
    service: str
    data_dir: Path
    database_url: str = dataclasses.field(repr=False)  # may hold a password
    nats_url: str = "nats://127.0.0.1:4222"
    grpc_host: str = "127.0.0.1"
    grpc_port: int = 0
    log_level: str = "INFO"
    # gRPC's 4 MB default would make the transport refuse large requests before the
    # service can validate them and say what is wrong.
    grpc_max_message_bytes: int = 16 * 1024 * 1024
    nats_request_timeout: float = 5.0
    outbox_poll_seconds: float = 1.0
    health_check_seconds: float = 1.0
    nats_user: str | None = None
    nats_password: str | None = dataclasses.field(default=None, repr=False)
    stream_replicas: int = 1
    tls: TlsSettings = dataclasses.field(default_factory=TlsSettings)

    @property
    def nats_servers(self) -> list[str]:
        return [url.strip() for url in self.nats_url.split(",") if url.strip()]

    @classmethod
    def for_tests(cls, service: str, database_url: str, nats_url: str, **overrides: object):
        """Settings for an in-process service on a free gRPC port (port 0)."""
        values: dict[str, object] = dict(
            service=service,
            data_dir=Path(database_url.rsplit("/", 1)[0].removeprefix("sqlite:///") or "."),
            database_url=database_url,
            nats_url=nats_url,
            grpc_port=0,
            outbox_poll_seconds=0.2,
            health_check_seconds=0.2,
        )
        values.update(overrides)
        return cls(**values)  # type: ignore[arg-type]

    @property
    def grpc_address(self) -> str:
        return f"{self.grpc_host}:{self.grpc_port}"

    @property
    def stream_name(self) -> str:
        return self.service.upper()

    @classmethod
    def from_env(cls, service: str, env: Mapping[str, str] | None = None) -> ServiceSettings:
        env = os.environ if env is None else env
        if service not in SERVICES:
            raise SettingsError(
                f"unknown service {service!r}; expected one of {', '.join(SERVICES)}"
            )
        prefix = env_prefix(service)
        data_dir = Path(env.get("CANGPEI_DATA_DIR", "data")).resolve()
        database_url = secret(env, f"{prefix}DATABASE_URL") or f"sqlite:///{data_dir / service}.db"
        return cls(
            service=service,
            data_dir=data_dir,
            database_url=database_url,
            nats_url=env.get("CANGPEI_NATS_URL", "nats://127.0.0.1:4222"),
            grpc_host=env.get(f"{prefix}GRPC_HOST", "127.0.0.1"),
            grpc_port=_parse(
                int,
                f"{prefix}GRPC_PORT",
                env.get(f"{prefix}GRPC_PORT"),
                DEFAULT_GRPC_PORTS[service],
            ),
            log_level=env.get("CANGPEI_LOG_LEVEL", "INFO").upper(),
            nats_request_timeout=_parse(
                float, "CANGPEI_NATS_REQUEST_TIMEOUT", env.get("CANGPEI_NATS_REQUEST_TIMEOUT"), 5.0
            ),
            nats_user=env.get("CANGPEI_NATS_USER") or None,
            nats_password=secret(env, "CANGPEI_NATS_PASSWORD"),
            stream_replicas=_parse(
                int, "CANGPEI_NATS_STREAM_REPLICAS", env.get("CANGPEI_NATS_STREAM_REPLICAS"), 1
            ),
            tls=TlsSettings.from_env(env),
        )


def _parse(kind: typing.Any, name: str, raw: str | None, default: typing.Any) -> typing.Any:
    if raw is None or raw == "":
        return default
    try:
        if kind is bool:
            lowered = raw.strip().lower()
            if lowered in {"1", "true", "yes", "on"}:
                return True
            if lowered in {"0", "false", "no", "off"}:
                return False
            raise ValueError(raw)
        if kind is Decimal:
            return Decimal(raw)
        if typing.get_origin(kind) is tuple:
            return tuple(part.strip() for part in raw.split(",") if part.strip())
        return kind(raw)
    except (ValueError, InvalidOperation) as exc:
        label = getattr(kind, "__name__", str(kind))
        raise SettingsError(f"{name}={raw!r} is not a valid {label}") from exc


T = typing.TypeVar("T")


def load_config(cls: type[T], service: str, env: Mapping[str, str] | None = None) -> T:
    """Build a service's config dataclass, overriding defaults from CANGPEI_<SERVICE>_<FIELD>."""
    env = os.environ if env is None else env
    prefix = env_prefix(service)
    hints = typing.get_type_hints(cls)
    values = {}
    for field in dataclasses.fields(cls):  # type: ignore[arg-type]
        name = f"{prefix}{field.name.upper()}"
        if name in env:
            kind = hints[field.name]
            if isinstance(kind, types.UnionType) or typing.get_origin(kind) is typing.Union:
                kind = next(a for a in typing.get_args(kind) if a is not type(None))
            values[field.name] = _parse(kind, name, env[name], None)
    return cls(**values)
