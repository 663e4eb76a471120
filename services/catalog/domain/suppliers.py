"""Suppliers, their qualification and their deposit ledger."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from enum import Enum


class SupplierKind(Enum):
    BRAND_OWNER = "brand_owner"
    DISTRIBUTOR = "distributor"
    FACTORY = "factory"
    CHANNEL_MERCHANT = "channel_merchant"


class TaxStatus(Enum):
    GENERAL_TAXPAYER = "general_taxpayer"  # 一般纳税人
    SMALL_SCALE_TAXPAYER = "small_scale_taxpayer"  # 小规模纳税人


class SupplierStatus(Enum):
    PENDING = "pending"  # registered, no verdict yet
    APPROVED = "approved"
    REJECTED = "rejected"
    SUSPENDED = "suspended"


class DepositEntryKind(Enum):
    PAYMENT = "payment"
    DEDUCTION = "deduction"  # e.g. a penalty taken from the deposit
    REFUND = "refund"


@dataclass(frozen=True)
class Qualification:
    registered_capital_fen: int
    tax_status: TaxStatus
    licence_number: str


@dataclass
class Supplier:
    supplier_id: str
    name: str
    kind: SupplierKind
    status: SupplierStatus = SupplierStatus.PENDING
    qualification: Qualification | None = None
    status_reason: str = ""
    created_at: dt.datetime | None = None


@dataclass(frozen=True)
class DepositEntry:
    entry_id: str
    supplier_id: str
    kind: DepositEntryKind
    amount_fen: int  # always positive; the kind gives the direction
    reference: str = ""
    recorded_at: dt.datetime | None = field(default=None, compare=False)

    @property
    def signed_fen(self) -> int:
        return self.amount_fen if self.kind is DepositEntryKind.PAYMENT else -self.amount_fen


def deposit_balance(entries: list[DepositEntry]) -> int:
    """The balance is never stored: it is the ledger's sum."""
    return sum(e.signed_fen for e in entries)
