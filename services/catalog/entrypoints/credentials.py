"""Reading the bearer token a call carries."""

from __future__ import annotations

import grpc

from cangpei.runtime.errors import Unauthenticated


def bearer_token(context: grpc.aio.ServicerContext) -> str:
    """The token of "authorization: Bearer <token>"; empty when the header is absent."""
    for key, value in context.invocation_metadata() or ():
        if key.lower() != "authorization":
            continue
        if isinstance(value, bytes):
            value = value.decode("utf-8", "replace")
        scheme, _, token = value.strip().partition(" ")
        if scheme.lower() != "bearer" or not token.strip():
            raise Unauthenticated("the authorization metadata must read 'Bearer <token>'")
        return token.strip()
    return ""
