"""Exact money: integer fen, formatted for people as CNY."""

from __future__ import annotations


def format_cny(fen: int) -> str:
    """``80_000_000`` -> ``"800,000.00 CNY"``; exact, no floating point."""
    sign = "-" if fen < 0 else ""
    yuan, cents = divmod(abs(fen), 100)
    return f"{sign}{yuan:,}.{cents:02d} CNY"
