"""Brand authorisation chains: search and precise explanations, on the pure domain."""

from __future__ import annotations

import datetime as dt

import pytest

from services.catalog.domain.authorisations import Authorisation, Brand
from services.catalog.domain.chains import InMemoryLinks, find_chain

DAY = dt.date(2026, 6, 15)
BRAND = Brand("b1", "花西子", "owner")
_ids = iter(range(1, 10_000_000))


def link(
    grantor: str,
    grantee: str,
    categories: tuple[str, ...] = ("beauty",),
    valid_from: dt.date = dt.date(2026, 1, 1),
    valid_until: dt.date = dt.date(2026, 12, 31),
    brand: str = "b1",
) -> Authorisation:
    return Authorisation(
        f"a{next(_ids)}", brand, grantor, grantee, frozenset(categories), valid_from, valid_until
    )


def chain_of(*parties: str, **kwargs) -> list[Authorisation]:
    return [link(a, b, **kwargs) for a, b in zip(parties, parties[1:], strict=False)]


def check(links: list[Authorisation], supplier: str = "S", category: str = "beauty", day=DAY):
    return find_chain(BRAND, supplier, category, day, InMemoryLinks(links), max_links=3)


def codes(verdict) -> list[str]:
    return sorted(f.code for f in verdict.failures)


@pytest.mark.parametrize(
    ("parties", "holds"),
    [
        (("owner", "S"), True),
        (("owner", "L1", "S"), True),
        (("owner", "L1", "L2", "S"), True),  # 3 links: the longest allowed
        (("owner", "L1", "L2", "L3", "S"), False),  # 4 links: one too many
    ],
)
def test_chain_length_three_is_accepted_and_four_refused(parties, holds):
    verdict = check(chain_of(*parties))
    assert verdict.holds is holds
    if holds:
        assert [a.grantor_id for a in verdict.chain] == list(parties[:-1])
        assert verdict.chain[-1].grantee_id == "S"
    else:
        assert codes(verdict) == ["CHAIN_TOO_LONG"]
        assert "4 links" in verdict.failures[0].message
        assert "at most 3" in verdict.failures[0].message


def test_the_supplier_that_owns_the_brand_needs_no_chain():
    assert check([], supplier="owner").chain == ()


@pytest.mark.parametrize(
    ("day", "expected"),
    [
        (dt.date(2026, 12, 31), []),  # last day of validity: still holds
        (dt.date(2027, 1, 1), ["LINK_EXPIRED"]),
        (dt.date(2026, 1, 1), []),  # first day of validity
        (dt.date(2025, 12, 31), ["LINK_NOT_YET_VALID"]),
    ],
)
def test_link_validity_boundaries(day, expected):
    verdict = check(chain_of("owner", "L1", "S"), day=day)
    assert codes(verdict) == sorted(expected * 2)  # both links share the dates


def test_expired_link_is_named_with_its_end_date():
    links = [
        link("owner", "L1"),
        link("L1", "S", valid_until=dt.date(2026, 5, 31)),
    ]
    verdict = check(links)
    assert codes(verdict) == ["LINK_EXPIRED"]
    message = verdict.failures[0].message
    assert links[1].authorisation_id in message
    assert "L1 → S" in message and "expired on 2026-05-31" in message


def test_not_yet_valid_link_is_named_with_its_start_date():
    links = [link("owner", "L1", valid_from=dt.date(2026, 7, 1)), link("L1", "S")]
    verdict = check(links)
    assert codes(verdict) == ["LINK_NOT_YET_VALID"]
    assert "owner → L1" in verdict.failures[0].message
    assert "not valid until 2026-07-01" in verdict.failures[0].message


def test_link_not_covering_the_category_is_refused_and_says_what_it_covers():
    links = [link("owner", "L1", categories=("beauty", "food")), link("L1", "S", ("food",))]
    verdict = check(links, category="beauty")
    assert codes(verdict) == ["CATEGORY_NOT_COVERED"]
    assert "'beauty'" in verdict.failures[0].message
    assert "covers food" in verdict.failures[0].message


def test_supplier_without_any_authorisation_is_told_so():
    verdict = check([link("owner", "X")])
    assert codes(verdict) == ["CHAIN_NOT_FOUND"]
    assert "holds no authorisation" in verdict.failures[0].message


def test_chain_not_reaching_the_owner_names_where_it_stops():
    verdict = check(chain_of("impostor", "L1", "S"))
    assert codes(verdict) == ["CHAIN_NOT_FOUND"]
    assert "impostor" in verdict.failures[0].message


def test_cycle_without_the_owner_is_reported_and_terminates():
    links = chain_of("S", "A", "B", "S")  # S → A → B → S
    verdict = check(links)
    assert codes(verdict) == ["CHAIN_CYCLE", "CHAIN_NOT_FOUND"]
    cycle = next(f for f in verdict.failures if f.code == "CHAIN_CYCLE").message
    assert "A → B → S → A" in cycle or "S → A → B → S" in cycle or "B → S → A → B" in cycle


def test_cycle_beside_a_valid_chain_does_not_stop_the_chain_being_found():
    links = [*chain_of("owner", "A", "B", "S"), link("B", "A"), link("S", "B")]
    verdict = check(links)
    assert verdict.holds
    assert len(verdict.chain) == 3


def test_any_valid_chain_suffices_when_the_supplier_holds_several():
    links = [
        *chain_of("owner", "A", "S", valid_until=dt.date(2026, 1, 31)),  # expired
        *chain_of("owner", "B", "C", "S", categories=("food",)),  # wrong category
        *chain_of("owner", "D", "E", "S"),  # valid
    ]
    verdict = check(links)
    assert verdict.holds
    assert [a.grantor_id for a in verdict.chain] == ["owner", "D", "E"]


def test_renewed_link_beside_an_expired_one_is_used():
    links = [
        link("owner", "S", valid_until=dt.date(2026, 3, 31)),
        link("owner", "S", valid_from=dt.date(2026, 4, 1)),
    ]
    assert check(links).holds


def test_refusal_reports_the_chain_with_fewest_broken_links():
    links = [
        *chain_of("owner", "A", "S", valid_until=dt.date(2026, 1, 31)),  # two expired
        link("owner", "B"),
        link("B", "S", ("food",)),  # one link off category
    ]
    verdict = check(links)
    assert codes(verdict) == ["CATEGORY_NOT_COVERED"]


def test_diamond_graph_of_many_layers_is_answered_without_blowing_up():
    # 30 layers of 30 parties, every party authorised by every party of the layer above:
    # 27,000 links and 30^30 paths, none of them reaching the supplier within 3 links.
    width, depth = 30, 30
    layers = [["owner"]] + [[f"p{d}_{i}" for i in range(width)] for d in range(depth)] + [["S"]]
    links = [
        link(a, b)
        for upper, lower in zip(layers, layers[1:], strict=False)
        for a in upper
        for b in lower
    ]
    verdict = check(links)
    assert codes(verdict) == ["CHAIN_NOT_FOUND"]
    assert "at most 8 links" in verdict.failures[0].message


def test_links_of_another_brand_do_not_count():
    verdict = check([link("owner", "S", brand="other")])
    assert codes(verdict) == ["CHAIN_NOT_FOUND"]


def test_too_long_chain_of_expired_links_reports_both_problems():
    verdict = check(chain_of("owner", "A", "B", "C", "S", valid_until=dt.date(2026, 1, 31)))
    assert codes(verdict) == ["CHAIN_TOO_LONG"] + ["LINK_EXPIRED"] * 4
