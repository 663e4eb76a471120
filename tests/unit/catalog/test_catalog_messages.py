"""Translation at the edges: enums, bearer tokens and event subjects."""

from __future__ import annotations

import pytest

from cangpei.catalog.v1 import catalog_pb2 as pb
from cangpei.runtime.errors import InvalidArgument, Unauthenticated
from services.catalog.adapters.event_messages import SUPPLIER_KINDS, to_message
from services.catalog.domain import events as ev
from services.catalog.domain.checks import Failure
from services.catalog.entrypoints.credentials import bearer_token
from services.catalog.entrypoints.messages import from_enum


def test_known_enum_number_maps_to_the_domain_value():
    assert from_enum("kind", pb.SUPPLIER_KIND_FACTORY, SUPPLIER_KINDS, pb.SupplierKind) == "factory"


def test_unspecified_enum_is_reported_as_missing_with_the_choices():
    with pytest.raises(InvalidArgument, match="kind is required; expected one of SUPPLIER_KIND_"):
        from_enum("kind", 0, SUPPLIER_KINDS, pb.SupplierKind)


def test_unknown_enum_number_is_refused_by_number():
    with pytest.raises(InvalidArgument, match="kind 42 is an unknown value"):
        from_enum("kind", 42, SUPPLIER_KINDS, pb.SupplierKind)


class _Context:
    def __init__(self, *metadata: tuple[str, str]) -> None:
        self._metadata = metadata

    def invocation_metadata(self):
        return self._metadata


@pytest.mark.parametrize(
    ("metadata", "token"),
    [
        ((("authorization", "Bearer abc"),), "abc"),
        ((("Authorization", "bearer   abc  "),), "abc"),
        ((("x-other", "1"),), ""),
        ((), ""),
    ],
)
def test_bearer_token_is_read_from_metadata(metadata, token):
    assert bearer_token(_Context(*metadata)) == token


@pytest.mark.parametrize("value", ["Basic abc", "Bearer", "abc"])
def test_other_authorization_schemes_are_unauthenticated(value):
    with pytest.raises(Unauthenticated, match="Bearer <token>"):
        bearer_token(_Context(("authorization", value)))


FAILURE = Failure("CODE", "why")


@pytest.mark.parametrize(
    ("event", "subject", "message_type"),
    [
        (
            ev.SupplierApproved("s", "n", "factory"),
            "catalog.supplier.approved",
            pb.SupplierApproved,
        ),
        (ev.SupplierRejected("s", (FAILURE,)), "catalog.supplier.rejected", pb.SupplierRejected),
        (
            ev.SupplierSuspended("s", (FAILURE,), ("p",)),
            "catalog.supplier.suspended",
            pb.SupplierSuspended,
        ),
        (
            ev.ProductListed("p", "s", "k", "n", "", "food", 1, 2, 3, 4, 5),
            "catalog.product.listed",
            pb.ProductListed,
        ),
        (
            ev.ProductSuspended("p", "s", "k", (FAILURE,)),
            "catalog.product.suspended",
            pb.ProductSuspended,
        ),
        (ev.ShopOpened("h", "m", "n"), "catalog.shop.opened", pb.ShopOpened),
        (
            ev.ShopTierChanged("h", "2026-05", "new", "elite", 9),
            "catalog.shop.tier_changed",
            pb.ShopTierChanged,
        ),
    ],
)
def test_every_event_has_its_subject_and_message(event, subject, message_type):
    got_subject, message = to_message(event)
    assert got_subject == subject
    assert isinstance(message, message_type)
    assert message_type.FromString(message.SerializeToString()) == message
