"""Shape checks on commands, before anything is read or written.

Each check collects every problem it finds, so a caller fixes its request in one go.
"""

from __future__ import annotations

from collections.abc import Iterable

from cangpei.runtime.errors import InvalidArgument
from services.inventory.config import InventoryConfig
from services.inventory.domain import commands as c

MAX_ID_LENGTH = 128
MAX_TEXT_LENGTH = 500


def _refuse(problems: list[str]) -> None:
    if problems:
        raise InvalidArgument("; ".join(problems))


def _require_id(problems: list[str], name: str, value: str) -> None:
    if not value or not value.strip():
        problems.append(f"{name} is required")
    elif len(value) > MAX_ID_LENGTH:
        problems.append(f"{name} is {len(value)} characters long; at most {MAX_ID_LENGTH} allowed")
    elif value != value.strip():
        problems.append(f"{name} {value!r} has leading or trailing spaces")


def _limit_text(problems: list[str], name: str, value: str) -> None:
    if len(value) > MAX_TEXT_LENGTH:
        problems.append(
            f"{name} is {len(value)} characters long; at most {MAX_TEXT_LENGTH} allowed"
        )


def _positive(problems: list[str], name: str, value: int) -> None:
    if value <= 0:
        problems.append(f"{name} must be a positive number of units, got {value}")


def validate_reserve(cmd: c.ReserveStock, config: InventoryConfig) -> None:
    problems: list[str] = []
    _require_id(problems, "idempotency_key", cmd.idempotency_key)
    _limit_text(problems, "order_id", cmd.order_id)
    _limit_text(problems, "actor", cmd.actor)
    if not cmd.lines:
        problems.append("a reservation needs at least one line")
    if len(cmd.lines) > config.max_lines_per_reservation:
        problems.append(
            f"{len(cmd.lines)} lines given; at most {config.max_lines_per_reservation} allowed"
        )
    seen: set[tuple[str, str]] = set()
    for number, line in enumerate(cmd.lines, start=1):
        _require_id(problems, f"line {number} sku", line.sku)
        _positive(problems, f"line {number} ({line.sku}) quantity", line.quantity)
        if line.location_id:
            _require_id(problems, f"line {number} location_id", line.location_id)
        where = line.location_id or "anywhere"
        if (line.sku, line.location_id) in seen:
            problems.append(
                f"line {number} repeats sku {line.sku!r} at {where}; merge it into one line"
            )
        seen.add((line.sku, line.location_id))
    if cmd.ttl_seconds < 0:
        problems.append(f"ttl_seconds must be 0 (the default) or positive, got {cmd.ttl_seconds}")
    elif cmd.ttl_seconds > config.max_reservation_ttl_seconds:
        problems.append(
            f"ttl_seconds {cmd.ttl_seconds} is longer than the allowed "
            f"{config.max_reservation_ttl_seconds}"
        )
    _refuse(problems)


def validate_reservation_id(reservation_id: str) -> None:
    problems: list[str] = []
    _require_id(problems, "reservation_id", reservation_id)
    _refuse(problems)


def validate_register_location(cmd: c.RegisterLocation) -> None:
    problems: list[str] = []
    _require_id(problems, "location_id", cmd.location_id)
    if cmd.kind.value == "supplier_site":
        _require_id(problems, "supplier_id (required for a supplier site)", cmd.supplier_id)
    elif cmd.supplier_id:
        problems.append(f"supplier_id is only for supplier sites, not a {cmd.kind.value} location")
    _refuse(problems)


def validate_register_sku(cmd: c.RegisterSku) -> None:
    problems: list[str] = []
    _require_id(problems, "sku", cmd.sku)
    if cmd.low_stock_threshold < 0:
        problems.append(f"low_stock_threshold must not be negative, got {cmd.low_stock_threshold}")
    _refuse(problems)


def validate_threshold(cmd: c.SetLowStockThreshold) -> None:
    problems: list[str] = []
    _require_id(problems, "sku", cmd.sku)
    if cmd.threshold < 0:
        problems.append(f"threshold must be 0 (off) or positive, got {cmd.threshold}")
    _refuse(problems)


def _movement_common(problems: list[str], key: str, sku: str, actor: str, ref: str) -> None:
    _require_id(problems, "idempotency_key", key)
    _require_id(problems, "sku", sku)
    _limit_text(problems, "actor", actor)
    _limit_text(problems, "reference", ref)


def validate_movement(cmd: c.StockMovement, config: InventoryConfig) -> None:
    problems: list[str] = []
    match cmd:
        case c.ReceiveStock() | c.ReturnStock():
            _movement_common(problems, cmd.idempotency_key, cmd.sku, cmd.actor, cmd.reference)
            _require_id(problems, "location_id", cmd.location_id)
            _positive(problems, "quantity", cmd.quantity)
        case c.AdjustStock():
            _movement_common(problems, cmd.idempotency_key, cmd.sku, cmd.actor, cmd.reference)
            _require_id(problems, "location_id", cmd.location_id)
            if cmd.delta == 0:
                problems.append("delta must not be 0: an adjustment changes the count")
            if not cmd.reason.strip():
                problems.append("reason is required for an adjustment (e.g. 'stock take')")
            _limit_text(problems, "reason", cmd.reason)
        case c.TransferStock():
            _movement_common(problems, cmd.idempotency_key, cmd.sku, cmd.actor, cmd.reference)
            _require_id(problems, "from_location_id", cmd.from_location_id)
            _require_id(problems, "to_location_id", cmd.to_location_id)
            _positive(problems, "quantity", cmd.quantity)
            if cmd.from_location_id and cmd.from_location_id == cmd.to_location_id:
                problems.append(
                    f"from_location_id and to_location_id are both {cmd.from_location_id!r}"
                )
        case c.SyncSupplierStock():
            _require_id(problems, "idempotency_key", cmd.idempotency_key)
            _require_id(problems, "supplier_id", cmd.supplier_id)
            _limit_text(problems, "actor", cmd.actor)
            problems.extend(_sync_level_problems(cmd.levels, config))
    _refuse(problems)


def _sync_level_problems(levels: Iterable[c.SupplierLevel], config: InventoryConfig) -> list[str]:
    problems: list[str] = []
    levels = list(levels)
    if not levels:
        problems.append("a supplier sync needs at least one level")
    if len(levels) > config.max_sync_levels:
        problems.append(
            f"{len(levels)} levels in one sync; at most {config.max_sync_levels}: split the batch"
        )
    seen: set[tuple[str, str]] = set()
    for number, level in enumerate(levels, start=1):
        _require_id(problems, f"level {number} sku", level.sku)
        _require_id(problems, f"level {number} location_id", level.location_id)
        if level.on_hand < 0:
            problems.append(f"level {number} ({level.sku}) on_hand must not be negative")
        if level.version <= 0:
            problems.append(f"level {number} ({level.sku}) version must be positive")
        if (level.sku, level.location_id) in seen:
            problems.append(
                f"level {number} repeats sku {level.sku!r} at {level.location_id!r}; "
                "send one level per sku and location"
            )
        seen.add((level.sku, level.location_id))
    return problems
