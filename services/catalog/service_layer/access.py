"""Issuing and checking credentials."""

from __future__ import annotations

import hmac
from dataclasses import dataclass

from cangpei.runtime.errors import InvalidArgument, NotFound, Unauthenticated
from services.catalog.domain import commands, validation
from services.catalog.domain.principals import (
    STAFF,
    IssuedToken,
    Principal,
    PrincipalKind,
    new_token,
    token_digest,
)
from services.catalog.service_layer.context import HandlerContext
from services.catalog.service_layer.ports import CatalogUnitOfWork


@dataclass(frozen=True)
class NewToken:
    token_id: str
    token: str  # shown once; only its digest is stored
    principal: Principal


def issue_token(cmd: commands.IssueToken, uow: CatalogUnitOfWork, ctx: HandlerContext) -> NewToken:
    config = ctx.config
    kind = validation.enum_member("kind", PrincipalKind, cmd.kind)
    subject = validation.optional_text("subject_id", cmd.subject_id, config.max_id_length)
    ctx.principal.require_staff("issue tokens")
    if kind is PrincipalKind.STAFF:
        subject = ""
    elif not subject:
        raise InvalidArgument(f"subject_id is required for a {kind.value} token")
    elif kind is PrincipalKind.SUPPLIER and uow.suppliers.get(subject) is None:
        raise NotFound(f"supplier {subject} does not exist")
    elif kind is PrincipalKind.MEMBER and uow.members.get(subject) is None:
        raise NotFound(f"member {subject} does not exist; record its credit score first")
    issued = mint_token(Principal(kind, subject), uow, ctx)
    uow.commit()
    return issued


def mint_token(principal: Principal, uow: CatalogUnitOfWork, ctx: HandlerContext) -> NewToken:
    """A new token for ``principal``, stored as a digest in the caller's transaction."""
    token = new_token()
    issued = IssuedToken(ctx.new_id("tok"), token_digest(token), principal)
    uow.tokens.add(issued)
    return NewToken(issued.token_id, token, principal)


def authenticate(token: str, uow: CatalogUnitOfWork, bootstrap_digest: str = "") -> Principal:
    """The principal a bearer token stands for.

    ``bootstrap_digest`` is the digest of the staff token given in the environment for
    the first start: it is compared in memory and never written anywhere.
    """
    if not token:
        raise Unauthenticated("no credential: send metadata 'authorization: Bearer <token>'")
    digest = token_digest(token)
    if bootstrap_digest and hmac.compare_digest(bootstrap_digest, digest):
        return STAFF
    found = uow.tokens.find(digest)
    if found is None or not hmac.compare_digest(found.digest, digest):
        raise Unauthenticated("the bearer token is not recognised")
    return found.principal


def revoke_token(token_id: str, uow: CatalogUnitOfWork, ctx: HandlerContext) -> None:
    token_id = validation.required_text("token_id", token_id, ctx.config.max_id_length)
    ctx.principal.require_staff("revoke tokens")
    if not uow.tokens.revoke(token_id):
        raise NotFound(f"token {token_id} does not exist (or was revoked already)")
    uow.commit()
