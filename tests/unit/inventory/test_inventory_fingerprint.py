from services.inventory.domain.commands import (
    ReceiveStock,
    RequestedLine,
    ReserveStock,
    ReturnStock,
)
from services.inventory.domain.fingerprint import fingerprint


def reserve(key="k", quantity=1, ttl=0):
    return ReserveStock(key, "o", (RequestedLine("tea", quantity, "A"),), ttl)


def test_same_content_under_another_key_has_the_same_fingerprint():
    assert fingerprint(reserve("k1")) == fingerprint(reserve("k2"))


def test_any_change_of_content_changes_the_fingerprint():
    prints = {
        fingerprint(reserve()),
        fingerprint(reserve(quantity=2)),
        fingerprint(reserve(ttl=60)),
    }
    assert len(prints) == 3


def test_commands_of_different_kinds_never_share_a_fingerprint():
    assert fingerprint(ReceiveStock("k", "tea", "A", 1)) != fingerprint(
        ReturnStock("k", "tea", "A", 1)
    )
