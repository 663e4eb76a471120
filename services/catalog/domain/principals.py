"""Who is calling: platform staff, one supplier, or one member; and their tokens.

Tokens are random and high-entropy, so a plain SHA-256 digest is enough to store them:
nobody can guess a token from its digest, and a leaked table grants nothing.
"""

from __future__ import annotations

import hashlib
import secrets
from dataclasses import dataclass
from enum import Enum

from cangpei.runtime.errors import PermissionDenied


class PrincipalKind(Enum):
    STAFF = "staff"
    SUPPLIER = "supplier"
    MEMBER = "member"


@dataclass(frozen=True)
class Principal:
    kind: PrincipalKind
    subject_id: str  # the supplier or member id; empty for staff

    @property
    def is_staff(self) -> bool:
        return self.kind is PrincipalKind.STAFF

    def describe(self) -> str:
        return "platform staff" if self.is_staff else f"{self.kind.value} {self.subject_id}"

    def require_staff(self, action: str) -> None:
        if not self.is_staff:
            raise PermissionDenied(f"only platform staff may {action}; caller is {self.describe()}")

    def require_supplier(self, supplier_id: str) -> None:
        """Staff, or the supplier itself."""
        if self.is_staff:
            return
        if self.kind is PrincipalKind.SUPPLIER and self.subject_id == supplier_id:
            return
        raise PermissionDenied(
            f"{self.describe()} may not read or change supplier {supplier_id}'s data"
        )

    def require_any_supplier(self, supplier_ids: tuple[str, ...]) -> None:
        """Staff, or one of the suppliers named (e.g. either party of an authorisation)."""
        if self.is_staff:
            return
        if self.kind is PrincipalKind.SUPPLIER and self.subject_id in supplier_ids:
            return
        raise PermissionDenied(f"{self.describe()} may not act for {' or '.join(supplier_ids)}")

    def require_member(self, member_id: str) -> None:
        """Staff, or the member itself."""
        if self.is_staff:
            return
        if self.kind is PrincipalKind.MEMBER and self.subject_id == member_id:
            return
        raise PermissionDenied(f"{self.describe()} may not act for member {member_id}")


STAFF = Principal(PrincipalKind.STAFF, "")


def new_token() -> str:
    return secrets.token_urlsafe(32)


def token_digest(token: str) -> str:
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


@dataclass(frozen=True)
class IssuedToken:
    token_id: str
    digest: str
    principal: Principal
