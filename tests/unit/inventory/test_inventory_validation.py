import pytest

from cangpei.runtime.errors import InvalidArgument
from services.inventory.config import InventoryConfig
from services.inventory.domain import commands as c
from services.inventory.domain.model import LocationKind, RequestedLine
from services.inventory.domain.validation import (
    validate_movement,
    validate_register_location,
    validate_reserve,
)

CONFIG = InventoryConfig()


def reserve(*lines, key="k1", ttl=0) -> c.ReserveStock:
    return c.ReserveStock(key, "o1", tuple(RequestedLine(*ln) for ln in lines), ttl)


@pytest.mark.parametrize("quantity", [0, -1, -1000])
def test_reservation_of_zero_or_negative_quantity_is_refused(quantity):
    with pytest.raises(
        InvalidArgument, match=f"quantity must be a positive number.*got {quantity}"
    ):
        validate_reserve(reserve(("tea", quantity, "A")), CONFIG)


def test_reservation_with_duplicate_lines_is_refused():
    with pytest.raises(InvalidArgument, match="line 2 repeats sku 'tea' at A; merge it"):
        validate_reserve(reserve(("tea", 1, "A"), ("tea", 2, "A")), CONFIG)


def test_same_sku_at_two_locations_is_not_a_duplicate():
    validate_reserve(reserve(("tea", 1, "A"), ("tea", 2, "B"), ("tea", 1)), CONFIG)


def test_reservation_without_key_or_lines_names_both_problems():
    with pytest.raises(InvalidArgument) as refused:
        validate_reserve(reserve(key=""), CONFIG)
    assert "idempotency_key is required" in refused.value.message
    assert "at least one line" in refused.value.message


def test_reservation_longer_than_the_maximum_ttl_is_refused():
    with pytest.raises(InvalidArgument, match="ttl_seconds 90000 is longer than the allowed 86400"):
        validate_reserve(reserve(("tea", 1), ttl=90_000), CONFIG)


def test_reservation_with_too_many_lines_is_refused():
    small = InventoryConfig(max_lines_per_reservation=2)
    with pytest.raises(InvalidArgument, match="3 lines given; at most 2"):
        validate_reserve(reserve(("a", 1), ("b", 1), ("c", 1)), small)


def test_adjustment_needs_a_reason_and_a_nonzero_delta():
    with pytest.raises(InvalidArgument) as refused:
        validate_movement(c.AdjustStock("k", "tea", "A", 0, " "), CONFIG)
    assert "delta must not be 0" in refused.value.message
    assert "reason is required" in refused.value.message


def test_transfer_to_the_same_location_is_refused():
    with pytest.raises(InvalidArgument, match="both 'A'"):
        validate_movement(c.TransferStock("k", "tea", "A", "A", 1), CONFIG)


def test_supplier_sync_with_negative_level_or_duplicate_is_refused():
    levels = (c.SupplierLevel("tea", "S", -1, 1), c.SupplierLevel("tea", "S", 3, 2))
    with pytest.raises(InvalidArgument) as refused:
        validate_movement(c.SyncSupplierStock("k", "sup", levels), CONFIG)
    assert "on_hand must not be negative" in refused.value.message
    assert "level 2 repeats sku 'tea'" in refused.value.message


def test_supplier_site_needs_its_supplier():
    with pytest.raises(InvalidArgument, match="supplier_id"):
        validate_register_location(c.RegisterLocation("S", LocationKind.SUPPLIER_SITE))
