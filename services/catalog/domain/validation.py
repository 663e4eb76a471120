"""Input checks shared by every command: presence, length, money and dates.

Each raises ``InvalidArgument`` naming the field, the value's problem and what is expected,
before any state is touched.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from enum import Enum
from typing import TypeVar

from cangpei.runtime.errors import InvalidArgument

E = TypeVar("E", bound=Enum)


def required_text(field: str, value: str, max_length: int) -> str:
    """A non-blank string of at most ``max_length`` characters, stripped."""
    text = optional_text(field, value, max_length)
    if not text:
        raise InvalidArgument(f"{field} is required")
    return text


def optional_text(field: str, value: str, max_length: int) -> str:
    if value is None:
        return ""
    if len(value) > max_length:
        raise InvalidArgument(
            f"{field} is {len(value):,} characters long; at most {max_length:,} are allowed"
        )
    return value.strip()


def money_fen(field: str, value: int, maximum: int, *, positive: bool = False) -> int:
    """An exact amount in fen: never negative (or zero when ``positive``), never absurd."""
    if positive and value <= 0:
        raise InvalidArgument(f"{field} must be a positive amount in fen, got {value}")
    if value < 0:
        raise InvalidArgument(f"{field} may not be negative, got {value} fen")
    if value > maximum:
        raise InvalidArgument(f"{field} of {value} fen is above the maximum of {maximum} fen")
    return value


def required_date(field: str, value: str) -> dt.date:
    """A calendar date written YYYY-MM-DD."""
    day = optional_date(field, value)
    if day is None:
        raise InvalidArgument(f"{field} is required (YYYY-MM-DD)")
    return day


def optional_date(field: str, value: str) -> dt.date | None:
    if not value:
        return None
    if len(value) != 10:
        raise InvalidArgument(f"{field} must be a date written YYYY-MM-DD, got {value[:40]!r}")
    try:
        return dt.date.fromisoformat(value)
    except ValueError as exc:
        raise InvalidArgument(f"{field} must be a date written YYYY-MM-DD, got {value!r}") from exc


def month(field: str, value: str) -> str:
    """A calendar month written YYYY-MM."""
    if len(value or "") != 7:
        raise InvalidArgument(
            f"{field} must be a month written YYYY-MM, got {(value or '')[:40]!r}"
        )
    try:
        dt.date.fromisoformat(f"{value}-01")
    except ValueError as exc:
        raise InvalidArgument(f"{field} must be a month written YYYY-MM, got {value!r}") from exc
    return value


def enum_member(field: str, enum_type: type[E], value: object) -> E:
    """The member of ``enum_type`` whose value is ``value``; a clear error otherwise."""
    try:
        return enum_type(value)
    except ValueError as exc:
        allowed = ", ".join(str(m.value) for m in enum_type)
        raise InvalidArgument(
            f"{field} {value!r} is not a known value; expected one of {allowed}"
        ) from exc


def text_set(field: str, values: Iterable[str], max_length: int, max_items: int) -> frozenset[str]:
    """A non-empty set of non-blank strings, each within ``max_length``."""
    items = list(values)
    if len(items) > max_items:
        raise InvalidArgument(
            f"{field} has {len(items):,} entries; at most {max_items} are allowed"
        )
    cleaned = frozenset(required_text(f"{field} entry", v, max_length) for v in items)
    if not cleaned:
        raise InvalidArgument(f"{field} needs at least one entry")
    return cleaned


def positive_int(field: str, value: int, maximum: int) -> int:
    """A count or measure that must be given: zero means the field was left out."""
    if value <= 0:
        raise InvalidArgument(f"{field} is required and must be positive, got {value}")
    return non_negative_int(field, value, maximum)


def non_negative_int(field: str, value: int, maximum: int) -> int:
    if value < 0:
        raise InvalidArgument(f"{field} may not be negative, got {value}")
    if value > maximum:
        raise InvalidArgument(f"{field} of {value} is above the maximum of {maximum}")
    return value
