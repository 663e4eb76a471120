import pytest

from cangpei.runtime.errors import AlreadyExists, FailedPrecondition, InvalidArgument, NotFound
from services.inventory.domain import commands as c
from services.inventory.domain import events as ev
from services.inventory.domain.model import LocationKind, MovementKind
from services.inventory.service_layer.results import SyncOutcome


def supplier_site(shop, location_id="S1", supplier="sup-1"):
    shop.location(location_id, LocationKind.SUPPLIER_SITE, supplier)


def test_receipt_adds_on_hand_and_records_who_and_why(shop):
    shop.stock("tea", "A", 0)
    result = shop.service.receive(c.ReceiveStock("k1", "tea", "A", 12, "clerk", "PO-9"))
    [entry] = result.entries
    assert (entry.kind, entry.on_hand_delta, entry.on_hand_after) == (MovementKind.RECEIPT, 12, 12)
    assert (entry.actor, entry.reference, entry.sequence > 0) == ("clerk", "PO-9", True)
    assert [e.entry for e in shop.events(ev.StockAdjusted)][-1] == entry


def test_replaying_a_receipt_three_times_receives_once(shop):
    shop.stock("tea", "A", 0)
    cmd = c.ReceiveStock("k1", "tea", "A", 12)
    answers = [shop.service.receive(cmd) for _ in range(3)]
    assert answers[0] == answers[1] == answers[2]
    assert shop.level("tea", "A").on_hand == 12


def test_reusing_a_receipt_key_for_another_quantity_is_refused(shop):
    shop.stock("tea", "A", 0)
    shop.service.receive(c.ReceiveStock("k1", "tea", "A", 12))
    with pytest.raises(AlreadyExists):
        shop.service.receive(c.ReceiveStock("k1", "tea", "A", 13))
    with pytest.raises(AlreadyExists):
        shop.service.return_stock(c.ReturnStock("k1", "tea", "A", 12))


def test_receipt_at_an_unknown_location_is_refused(shop):
    shop.stock("tea", "A", 0)
    with pytest.raises(NotFound, match="unknown location 'Z'"):
        shop.service.receive(c.ReceiveStock("k1", "tea", "Z", 1))
    assert shop.store.state.ledger == []


def test_adjustment_cannot_take_reserved_units(shop):
    shop.stock("tea", "A", 10)
    shop.reserve(("tea", 8, "A"))
    with pytest.raises(FailedPrecondition, match="available now is 2"):
        shop.service.adjust(c.AdjustStock("k", "tea", "A", -3, "damaged"))
    shop.service.adjust(c.AdjustStock("k2", "tea", "A", -2, "damaged"))
    assert (shop.level("tea", "A").on_hand, shop.level("tea", "A").reserved) == (8, 8)


def test_transfer_moves_units_between_locations_in_one_step(shop):
    shop.stock("tea", "A", 10)
    shop.location("B", LocationKind.SATELLITE)
    result = shop.service.transfer(c.TransferStock("k", "tea", "A", "B", 4, "ops", "T-1"))
    kinds = [(e.kind, e.location_id, e.on_hand_delta) for e in result.entries]
    assert kinds == [(MovementKind.TRANSFER_OUT, "A", -4), (MovementKind.TRANSFER_IN, "B", 4)]
    assert (shop.level("tea", "A").on_hand, shop.level("tea", "B").on_hand) == (6, 4)


def test_transfer_of_more_than_available_moves_nothing(shop):
    shop.stock("tea", "A", 3)
    shop.location("B")
    with pytest.raises(FailedPrecondition):
        shop.service.transfer(c.TransferStock("k", "tea", "A", "B", 4))
    assert ("tea", "B") not in shop.store.state.levels


def test_return_adds_stock_back(shop):
    shop.stock("tea", "A", 1)
    shop.service.return_stock(c.ReturnStock("k", "tea", "A", 2, "cs", "order-5"))
    assert shop.level("tea", "A").on_hand == 3


def test_supplier_sync_sets_levels_as_adjustments(shop):
    supplier_site(shop)
    shop.stock("tea", "S1", 0)
    shop.stock("rice", "S1", 0)
    levels = (c.SupplierLevel("tea", "S1", 40, 1), c.SupplierLevel("rice", "S1", 7, 1))
    result = shop.service.sync_supplier_stock(c.SyncSupplierStock("s1", "sup-1", levels))
    assert [(s.sku, s.outcome, s.on_hand_after) for s in result.synced] == [
        ("tea", SyncOutcome.APPLIED, 40),
        ("rice", SyncOutcome.APPLIED, 7),
    ]
    assert all(e.kind is MovementKind.ADJUSTMENT for e in result.entries)


def test_supplier_sync_never_destroys_granted_reservations(shop):
    supplier_site(shop)
    shop.stock("tea", "S1", 0)
    shop.service.sync_supplier_stock(
        c.SyncSupplierStock("s1", "sup-1", (c.SupplierLevel("tea", "S1", 10, 1),))
    )
    shop.reserve(("tea", 6, "S1"))
    result = shop.service.sync_supplier_stock(
        c.SyncSupplierStock("s2", "sup-1", (c.SupplierLevel("tea", "S1", 2, 2),))
    )
    [synced] = result.synced
    assert (synced.outcome, synced.on_hand_after, synced.reserved) == (SyncOutcome.CLAMPED, 6, 6)
    assert shop.level("tea", "S1").available == 0


def test_supplier_sync_ignores_an_older_count_and_replays_a_batch_once(shop):
    supplier_site(shop)
    shop.stock("tea", "S1", 0)
    newer = c.SyncSupplierStock("s2", "sup-1", (c.SupplierLevel("tea", "S1", 10, 5),))
    older = c.SyncSupplierStock("s1", "sup-1", (c.SupplierLevel("tea", "S1", 99, 4),))
    shop.service.sync_supplier_stock(newer)
    shipped = shop.reserve(("tea", 3, "S1"))
    shop.service.commit(c.CommitReservation(shipped.reservation_id))
    [stale] = shop.service.sync_supplier_stock(older).synced
    assert stale.outcome is SyncOutcome.STALE
    replay = shop.service.sync_supplier_stock(newer)
    assert replay.synced[0].outcome is SyncOutcome.APPLIED
    assert shop.level("tea", "S1").on_hand == 7


def test_supplier_may_not_sync_another_suppliers_site(shop):
    supplier_site(shop, "S1", "sup-1")
    shop.stock("tea", "S1", 0)
    with pytest.raises(InvalidArgument, match="not a site of supplier 'sup-2'"):
        shop.service.sync_supplier_stock(
            c.SyncSupplierStock("s1", "sup-2", (c.SupplierLevel("tea", "S1", 10, 1),))
        )


def test_supplier_sync_with_an_unknown_sku_applies_nothing(shop):
    supplier_site(shop)
    shop.stock("tea", "S1", 0)
    levels = (c.SupplierLevel("tea", "S1", 10, 1), c.SupplierLevel("ghost", "S1", 1, 1))
    with pytest.raises(NotFound, match="'ghost'"):
        shop.service.sync_supplier_stock(c.SyncSupplierStock("s1", "sup-1", levels))
    assert shop.store.state.ledger == []


def test_registering_a_location_twice_is_a_no_op_but_a_different_kind_is_refused(shop):
    first = shop.service.register_location(c.RegisterLocation("A", LocationKind.CENTRAL))
    assert shop.service.register_location(c.RegisterLocation("A", LocationKind.CENTRAL)) == first
    assert list(shop.store.state.locations) == ["A"]
    with pytest.raises(AlreadyExists, match="already registered as central"):
        shop.service.register_location(c.RegisterLocation("A", LocationKind.SATELLITE))


def test_history_pages_through_a_skus_entries_at_a_location(shop):
    shop.stock("tea", "A", 0)
    shop.stock("tea", "B", 5)
    for i in range(5):
        shop.service.receive(c.ReceiveStock(f"h{i}", "tea", "A", i + 1))
    first = shop.queries.history("tea", "A", 2, "")
    second = shop.queries.history("tea", "A", 2, first.next_page_token)
    third = shop.queries.history("tea", "A", 2, second.next_page_token)
    amounts = [e.on_hand_delta for page in (first, second, third) for e in page.items]
    assert amounts == [1, 2, 3, 4, 5] and third.next_page_token == ""


def test_history_with_a_forged_token_is_refused(shop):
    shop.stock("tea", "A", 1)
    with pytest.raises(InvalidArgument, match="page_token"):
        shop.queries.history("tea", "A", 2, "abc")


def test_availability_lists_every_location_or_the_named_ones(shop):
    shop.stock("tea", "A", 5)
    shop.stock("tea", "B", 2)
    shop.reserve(("tea", 1, "B"))
    everywhere = shop.queries.availability(["tea"], [])
    assert [(lv.location_id, lv.available) for lv in everywhere] == [("A", 5), ("B", 1)]
    assert [lv.location_id for lv in shop.queries.availability(["tea"], ["B"])] == ["B"]
    assert shop.queries.availability(["ghost", "tea"], ["A"])[0].sku == "tea"
    with pytest.raises(NotFound, match="unknown location 'Z'"):
        shop.queries.availability(["tea"], ["Z"])


def test_setting_a_threshold_above_available_reports_low_stock(shop):
    shop.stock("tea", "A", 5)
    result = shop.service.set_low_stock_threshold(c.SetLowStockThreshold("tea", 10))
    assert (result.available, result.low) == (5, True)
    [low] = shop.events(ev.StockLow)
    assert low.threshold == 10
