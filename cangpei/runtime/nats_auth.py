"""NATS users with per-service permissions: a service may publish only its own events.

Each service publishes `<service>.>` (its stream), asks others on `rpc.>`, answers
its own `rpc.<service>.>`, and uses the JetStream API; anything else — say the
inventory service publishing `warehouse.allocation.created` — is refused by the server.
"""

from __future__ import annotations

import json
import secrets
from dataclasses import dataclass

from cangpei.runtime.settings import SERVICES

# Subjects every service needs whatever it does: JetStream's API, acks, its inboxes.
_COMMON_PUBLISH = ["rpc.>", "deadletter.>", "$JS.API.>", "$JS.ACK.>"]
_COMMON_SUBSCRIBE = ["_INBOX.>"]


@dataclass(frozen=True)
class NatsUser:
    name: str
    password: str
    publish: tuple[str, ...] | None  # None: everything (operators)
    subscribe: tuple[str, ...] | None


def service_user(service: str, password: str) -> NatsUser:
    return NatsUser(
        name=service,
        password=password,
        publish=(f"{service}.>", *_COMMON_PUBLISH),
        subscribe=(f"rpc.{service}.>", *_COMMON_SUBSCRIBE),
    )


def make_users(services: tuple[str, ...] = SERVICES) -> list[NatsUser]:
    """A random password for each service and for the operator (CLI, demo, tests)."""
    users = [service_user(service, secrets.token_urlsafe(24)) for service in services]
    users.append(NatsUser("operator", secrets.token_urlsafe(24), None, None))
    return users


def authorization_block(users: list[NatsUser]) -> str:
    """The `authorization { users = [...] }` section of a nats-server configuration."""
    entries = []
    for user in users:
        entry = f"    {{ user: {json.dumps(user.name)}, password: {json.dumps(user.password)}"
        if user.publish is not None:
            entry += (
                ", permissions: { "
                f"publish: {{ allow: {json.dumps(list(user.publish))} }}, "
                f"subscribe: {{ allow: {json.dumps(list(user.subscribe or ()))} }}, "
                "allow_responses: true }"
            )
        entries.append(entry + " }")
    return "authorization {\n  users = [\n" + "\n".join(entries) + "\n  ]\n}\n"
