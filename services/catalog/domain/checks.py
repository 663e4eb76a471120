"""A failed rule: a stable code for machines and a sentence a person can act on."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Failure:
    code: str
    message: str


def describe(failures: list[Failure]) -> str:
    """All failures as one readable paragraph, for error messages and logs."""
    return "; ".join(f"{f.message} [{f.code}]" for f in failures)
