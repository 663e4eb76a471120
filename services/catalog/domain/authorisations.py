"""Brands and brand authorisations: one link grantor -> grantee of a brand's chain."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from services.catalog.domain.checks import Failure

LINK_EXPIRED = "LINK_EXPIRED"
LINK_NOT_YET_VALID = "LINK_NOT_YET_VALID"
CATEGORY_NOT_COVERED = "CATEGORY_NOT_COVERED"
LINK_UNCONFIRMED = "LINK_UNCONFIRMED"


@dataclass(frozen=True)
class Brand:
    brand_id: str
    name: str
    owner_id: str  # the party at the head of every authorisation chain of this brand


@dataclass(frozen=True)
class Authorisation:
    authorisation_id: str
    brand_id: str
    grantor_id: str
    grantee_id: str
    categories: frozenset[str]
    valid_from: dt.date
    valid_until: dt.date  # inclusive: the link still holds on this day
    # A link filed by its grantee (uploading the letter it received) counts only once
    # the grantor or platform staff confirm it; otherwise anyone could authorise itself.
    confirmed: bool = True

    def describe(self) -> str:
        return (
            f"authorisation {self.authorisation_id} ({self.grantor_id} → {self.grantee_id}, "
            f"valid {self.valid_from.isoformat()} to {self.valid_until.isoformat()})"
        )

    def holds(self, day: dt.date, category: str) -> bool:
        return (
            self.confirmed
            and self.valid_from <= day <= self.valid_until
            and category in self.categories
        )

    def problems(self, day: dt.date, category: str) -> list[Failure]:
        """Why this link cannot carry ``category`` on ``day`` (empty when it can)."""
        found: list[Failure] = []
        if not self.confirmed:
            found.append(
                Failure(
                    LINK_UNCONFIRMED,
                    f"{self.describe()} was filed by {self.grantee_id} and awaits "
                    f"confirmation by {self.grantor_id} or platform staff",
                )
            )
        if day > self.valid_until:
            found.append(
                Failure(
                    LINK_EXPIRED,
                    f"{self.describe()} expired on {self.valid_until.isoformat()}; "
                    f"checked on {day.isoformat()}: renew it",
                )
            )
        elif day < self.valid_from:
            found.append(
                Failure(
                    LINK_NOT_YET_VALID,
                    f"{self.describe()} is not valid until {self.valid_from.isoformat()}; "
                    f"checked on {day.isoformat()}",
                )
            )
        if category not in self.categories:
            covered = ", ".join(sorted(self.categories))
            found.append(
                Failure(
                    CATEGORY_NOT_COVERED,
                    f"{self.describe()} does not cover category {category!r}; it covers {covered}",
                )
            )
        return found
