"""What the operators' command lines share: finding a service, reading messages from JSON
files, printing replies, and turning a refusal into a message and exit status 1."""

from __future__ import annotations

import json
import os
import sys
from collections.abc import Callable, Mapping
from pathlib import Path

import grpc
from google.protobuf import json_format
from google.protobuf.message import Message

from cangpei.runtime.settings import DEFAULT_GRPC_PORTS, env_prefix


def resolve_address(
    service: str, explicit: str | None, env: Mapping[str, str] | None = None
) -> str:
    """Where to reach ``service``: --address, else CANGPEI_<SERVICE>_GRPC_HOST/PORT, else the
    stack `cangpei up` started in CANGPEI_DATA_DIR (default ./data), else the default port."""
    if explicit:
        return explicit
    env = os.environ if env is None else env
    prefix = env_prefix(service)
    host = env.get(f"{prefix}GRPC_HOST")
    port = env.get(f"{prefix}GRPC_PORT")
    if host or port:
        return f"{host or '127.0.0.1'}:{port or DEFAULT_GRPC_PORTS[service]}"
    stack_file = Path(env.get("CANGPEI_DATA_DIR", "data")).resolve() / "stack.json"
    if stack_file.exists():
        try:
            services = json.loads(stack_file.read_text())["services"]
        except (OSError, ValueError, KeyError):
            services = {}
        if service in services:
            return services[service]
    return f"127.0.0.1:{DEFAULT_GRPC_PORTS[service]}"


def load_message(path: str, message: Message) -> Message:
    """A message from a JSON file (the protobuf JSON mapping, camelCase or snake_case)."""
    try:
        return json_format.Parse(Path(path).read_text(), message)
    except (OSError, json_format.ParseError) as exc:
        raise SystemExit(f"cannot read {type(message).__name__} from {path}: {exc}") from exc


def as_json(reply: Message) -> str:
    return json.dumps(json_format.MessageToDict(reply), indent=2, ensure_ascii=False)


def run_call(
    address: str,
    call: Callable[[grpc.Channel], str],
    open_channel: Callable[[str], grpc.Channel] | None = None,
) -> int:
    """Run one call; print what it returns, or the service's refusal on stderr (exit 1)."""
    if open_channel is None:
        from cangpei.stack import open_channel  # TLS when CANGPEI_TLS_CA_FILE is set

    with open_channel(address) as channel:
        try:
            text = call(channel)
        except grpc.RpcError as exc:
            details = exc.details() if hasattr(exc, "details") else str(exc)
            if exc.code() is grpc.StatusCode.UNAVAILABLE:
                details += f" (is the service running at {address}? `cangpei health` tells)"
            print(f"{exc.code().name}: {details}", file=sys.stderr)
            return 1
    print(text)
    return 0
