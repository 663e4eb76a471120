"""The supplier verdict: every admission check, each failure named."""

from __future__ import annotations

from services.catalog.domain.checks import Failure
from services.catalog.domain.config import CatalogConfig
from services.catalog.domain.money import format_cny
from services.catalog.domain.suppliers import Supplier, TaxStatus

QUALIFICATION_MISSING = "QUALIFICATION_MISSING"
CAPITAL_BELOW_MINIMUM = "CAPITAL_BELOW_MINIMUM"
NOT_GENERAL_TAXPAYER = "NOT_GENERAL_TAXPAYER"
DEPOSIT_BELOW_REQUIRED = "DEPOSIT_BELOW_REQUIRED"


def supplier_failures(
    supplier: Supplier, deposit_balance_fen: int, config: CatalogConfig
) -> list[Failure]:
    """Every admission check that fails for ``supplier``; empty means admitted."""
    failures: list[Failure] = []
    qualification = supplier.qualification
    if qualification is None:
        failures.append(
            Failure(
                QUALIFICATION_MISSING,
                "no qualification has been submitted: submit registered capital, "
                "VAT taxpayer status and business licence number",
            )
        )
    else:
        if qualification.registered_capital_fen < config.min_registered_capital_fen:
            failures.append(
                Failure(
                    CAPITAL_BELOW_MINIMUM,
                    f"registered capital {format_cny(qualification.registered_capital_fen)} "
                    f"is below the required {format_cny(config.min_registered_capital_fen)}",
                )
            )
        if qualification.tax_status is not TaxStatus.GENERAL_TAXPAYER:
            failures.append(
                Failure(
                    NOT_GENERAL_TAXPAYER,
                    "the supplier is a small-scale VAT taxpayer; only general VAT taxpayers "
                    "(一般纳税人) are admitted",
                )
            )
    failures.extend(deposit_failures(deposit_balance_fen, config))
    return failures


def deposit_failures(deposit_balance_fen: int, config: CatalogConfig) -> list[Failure]:
    if deposit_balance_fen >= config.required_deposit_fen:
        return []
    missing = config.required_deposit_fen - deposit_balance_fen
    return [
        Failure(
            DEPOSIT_BELOW_REQUIRED,
            f"deposit balance {format_cny(deposit_balance_fen)} is below the required "
            f"{format_cny(config.required_deposit_fen)}; pay {format_cny(missing)} more",
        )
    ]
