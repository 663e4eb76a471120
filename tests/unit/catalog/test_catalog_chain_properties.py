"""The chain search agrees with brute force on small random graphs, cycles included."""

from __future__ import annotations

import datetime as dt
import itertools

from hypothesis import given, settings
from hypothesis import strategies as st

from services.catalog.domain.authorisations import Authorisation, Brand
from services.catalog.domain.chains import InMemoryLinks, find_chain

DAY = dt.date(2026, 6, 15)
PARTIES = ["owner", "A", "B", "C", "D", "S"]
BRAND = Brand("b", "Brand", "owner")


@st.composite
def graphs(draw) -> list[Authorisation]:
    links = []
    for index in range(draw(st.integers(0, 14))):
        grantor, grantee = draw(st.permutations(PARTIES))[:2]
        expired = draw(st.booleans()) and draw(st.booleans())
        until = dt.date(2026, 1, 31) if expired else dt.date(2026, 12, 31)
        categories = frozenset(draw(st.sampled_from([{"beauty"}, {"food"}, {"beauty", "food"}])))
        links.append(
            Authorisation(
                f"a{index}", "b", grantor, grantee, categories, dt.date(2026, 1, 1), until
            )
        )
    return links


def shortest_by_brute_force(links: list[Authorisation], max_links: int) -> int | None:
    usable = [a for a in links if a.holds(DAY, "beauty")]
    for length in range(1, max_links + 1):
        for path in itertools.product(usable, repeat=length):
            parties = [path[0].grantor_id] + [a.grantee_id for a in path]
            joined = all(a.grantee_id == b.grantor_id for a, b in zip(path, path[1:], strict=False))
            if joined and parties[0] == "owner" and parties[-1] == "S":
                return length
    return None


@settings(max_examples=300, deadline=None, derandomize=True)
@given(graphs())
def test_chain_search_matches_brute_force(links):
    verdict = find_chain(BRAND, "S", "beauty", DAY, InMemoryLinks(links), max_links=3)
    expected = shortest_by_brute_force(links, 3)
    assert verdict.holds is (expected is not None)
    if verdict.holds:
        chain = verdict.chain
        assert len(chain) == expected
        assert chain[0].grantor_id == "owner" and chain[-1].grantee_id == "S"
        assert all(a.grantee_id == b.grantor_id for a, b in zip(chain, chain[1:], strict=False))
        assert all(a.holds(DAY, "beauty") for a in chain)
        assert verdict.failures == []
    else:
        assert verdict.failures, "a refusal always says why"
