"""Finding a brand authorisation chain from a brand's owner to a supplier, and explaining
precisely why there is none.

The search walks backwards from the supplier (who holds few links) rather than forwards
from the owner (who may have granted thousands), one level per call to the link source,
with a visited set so cycles and diamond-shaped graphs cost no more than their edges.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Collection, Iterable
from dataclasses import dataclass, field
from typing import Protocol

from services.catalog.domain.authorisations import Authorisation, Brand
from services.catalog.domain.checks import Failure

CHAIN_NOT_FOUND = "CHAIN_NOT_FOUND"
CHAIN_TOO_LONG = "CHAIN_TOO_LONG"
CHAIN_CYCLE = "CHAIN_CYCLE"


class LinkSource(Protocol):
    def granted_to(self, brand_id: str, grantee_ids: Collection[str]) -> Iterable[Authorisation]:
        """Every authorisation of ``brand_id`` whose grantee is one of ``grantee_ids``."""
        ...


class InMemoryLinks:
    """A LinkSource over a list, indexed by (brand, grantee)."""

    def __init__(self, links: Iterable[Authorisation] = ()) -> None:
        self._by_grantee: dict[tuple[str, str], list[Authorisation]] = {}
        for link in links:
            self.add(link)

    def add(self, link: Authorisation) -> None:
        self._by_grantee.setdefault((link.brand_id, link.grantee_id), []).append(link)

    def granted_to(self, brand_id: str, grantee_ids: Collection[str]) -> Iterable[Authorisation]:
        for grantee in grantee_ids:
            yield from self._by_grantee.get((brand_id, grantee), ())


@dataclass(frozen=True)
class ChainVerdict:
    chain: tuple[Authorisation, ...] | None  # owner first, supplier last
    failures: list[Failure] = field(default_factory=list)

    @property
    def holds(self) -> bool:
        return self.chain is not None


def find_chain(
    brand: Brand,
    supplier_id: str,
    category: str,
    day: dt.date,
    links: LinkSource,
    *,
    max_links: int,
    diagnosis_extra_links: int = 5,
) -> ChainVerdict:
    """The shortest chain of links valid on ``day`` and covering ``category``, at most
    ``max_links`` long; or every reason why none exists."""
    if supplier_id == brand.owner_id:
        return ChainVerdict(chain=())
    chain = _shortest_valid_chain(brand, supplier_id, category, day, links, max_links)
    if chain is not None:
        return ChainVerdict(chain=chain)
    return ChainVerdict(
        chain=None,
        failures=_explain(
            brand, supplier_id, category, day, links, max_links, max_links + diagnosis_extra_links
        ),
    )


def _shortest_valid_chain(
    brand: Brand,
    supplier_id: str,
    category: str,
    day: dt.date,
    links: LinkSource,
    max_links: int,
) -> tuple[Authorisation, ...] | None:
    # reached_by[party] is the link through which the walk reached it, pointing back
    # towards the supplier.
    reached_by: dict[str, Authorisation] = {}
    visited = {supplier_id}
    frontier = [supplier_id]
    for _ in range(max_links):
        if not frontier:
            break
        next_frontier: list[str] = []
        for link in links.granted_to(brand.brand_id, frontier):
            grantor = link.grantor_id
            if grantor in visited or not link.holds(day, category):
                continue
            visited.add(grantor)
            reached_by[grantor] = link
            if grantor == brand.owner_id:
                return _walk_forward(reached_by, brand.owner_id, supplier_id)
            next_frontier.append(grantor)
        frontier = next_frontier
    return None


def _walk_forward(
    reached_by: dict[str, Authorisation], owner_id: str, supplier_id: str
) -> tuple[Authorisation, ...]:
    chain = []
    party = owner_id
    while party != supplier_id:
        link = reached_by[party]
        chain.append(link)
        party = link.grantee_id
    return tuple(chain)


@dataclass
class _Explored:
    """The part of the brand's graph that leads to the supplier, up to a depth bound."""

    links_into: dict[str, list[Authorisation]]
    distance: dict[str, int]  # links from the party down to the supplier
    truncated: bool  # the bound stopped the walk before it ran out of links


def _explore(brand: Brand, supplier_id: str, links: LinkSource, bound: int) -> _Explored:
    links_into: dict[str, list[Authorisation]] = {}
    distance = {supplier_id: 0}
    frontier = [supplier_id]
    depth = 0
    while frontier and depth < bound:
        depth += 1
        next_frontier: list[str] = []
        for link in links.granted_to(brand.brand_id, frontier):
            links_into.setdefault(link.grantee_id, []).append(link)
            if link.grantor_id not in distance:
                distance[link.grantor_id] = depth
                next_frontier.append(link.grantor_id)
        frontier = next_frontier
    # Parties on the last frontier may hold links of their own that were not read.
    return _Explored(links_into, distance, truncated=bool(frontier))


def _explain(
    brand: Brand,
    supplier_id: str,
    category: str,
    day: dt.date,
    links: LinkSource,
    max_links: int,
    bound: int,
) -> list[Failure]:
    explored = _explore(brand, supplier_id, links, bound)
    if brand.owner_id not in explored.distance:
        return _no_chain(brand, supplier_id, explored, bound)
    within_limit = _fewest_broken_links(brand, supplier_id, category, day, explored, max_links)
    if within_limit is not None:
        return [p for link in within_limit for p in link.problems(day, category)]
    return _too_long(brand, supplier_id, category, day, explored, max_links)


def _no_chain(brand: Brand, supplier_id: str, explored: _Explored, bound: int) -> list[Failure]:
    if not explored.links_into.get(supplier_id):
        message = (
            f"supplier {supplier_id} holds no authorisation for brand {brand.name} "
            f"({brand.brand_id}); add the authorisation it received"
        )
    elif explored.truncated:
        message = (
            f"no authorisation chain of at most {bound} links leads from the owner of brand "
            f"{brand.name}, {brand.owner_id}, to supplier {supplier_id}"
        )
    else:
        grantors = sorted(
            {link.grantor_id for held in explored.links_into.values() for link in held}
        )
        message = (
            f"no authorisation chain leads from the owner of brand {brand.name}, "
            f"{brand.owner_id}, to supplier {supplier_id}: its authorisations trace back only "
            f"to {', '.join(grantors)}, none of them authorised by the owner"
        )
    failures = [Failure(CHAIN_NOT_FOUND, message)]
    cycle = _find_cycle(explored.links_into)
    if cycle:
        failures.append(
            Failure(
                CHAIN_CYCLE,
                f"authorisations for brand {brand.name} go round in a cycle "
                f"{' → '.join(cycle)} that never reaches the brand owner {brand.owner_id}",
            )
        )
    return failures


def _fewest_broken_links(
    brand: Brand,
    supplier_id: str,
    category: str,
    day: dt.date,
    explored: _Explored,
    max_links: int,
) -> list[Authorisation] | None:
    """Among chains of at most ``max_links`` links (valid or not), the one with the fewest
    broken links, shortest first on a tie; its broken links only.

    Layered by length: best[d][party] is the fewest broken links on a walk of d links from
    ``party`` down to the supplier. A walk through a cycle is never better than the chain
    without the cycle, so the optimum found here is a real chain.
    """
    layers: list[dict[str, tuple[int, Authorisation | None]]] = [{supplier_id: (0, None)}]
    best: tuple[int, int] | None = None
    for depth in range(1, max_links + 1):
        layer: dict[str, tuple[int, Authorisation | None]] = {}
        for party, (broken, _) in layers[-1].items():
            for link in explored.links_into.get(party, ()):
                cost = broken + (0 if link.holds(day, category) else 1)
                known = layer.get(link.grantor_id)
                if known is None or cost < known[0]:
                    layer[link.grantor_id] = (cost, link)
        layers.append(layer)
        if brand.owner_id in layer:
            candidate = (layer[brand.owner_id][0], depth)
            if best is None or candidate < best:
                best = candidate
    if best is None:
        return None
    chain: list[Authorisation] = []
    party = brand.owner_id
    for depth in range(best[1], 0, -1):
        link = layers[depth][party][1]
        assert link is not None
        chain.append(link)
        party = link.grantee_id
    return [link for link in chain if not link.holds(day, category)]


def _too_long(
    brand: Brand,
    supplier_id: str,
    category: str,
    day: dt.date,
    explored: _Explored,
    max_links: int,
) -> list[Failure]:
    valid_chain = _shortest_path(brand, supplier_id, explored, lambda a: a.holds(day, category))
    if valid_chain is not None:
        return [
            Failure(
                CHAIN_TOO_LONG,
                f"the shortest valid authorisation chain for brand {brand.name} has "
                f"{len(valid_chain)} links ({_parties(valid_chain)}); at most {max_links} "
                f"are allowed: the supplier needs an authorisation closer to the brand owner",
            )
        ]
    any_chain = _shortest_path(brand, supplier_id, explored, lambda a: True)
    assert any_chain is not None  # the owner was reached while exploring
    failures = [
        Failure(
            CHAIN_TOO_LONG,
            f"the shortest authorisation chain for brand {brand.name} has {len(any_chain)} "
            f"links ({_parties(any_chain)}); at most {max_links} are allowed",
        )
    ]
    failures.extend(p for link in any_chain for p in link.problems(day, category))
    return failures


def _shortest_path(
    brand: Brand,
    supplier_id: str,
    explored: _Explored,
    usable: Callable[[Authorisation], bool],
) -> list[Authorisation] | None:
    reached_by: dict[str, Authorisation] = {}
    visited = {supplier_id}
    frontier = [supplier_id]
    while frontier:
        next_frontier: list[str] = []
        for party in frontier:
            for link in explored.links_into.get(party, ()):
                if link.grantor_id in visited or not usable(link):
                    continue
                visited.add(link.grantor_id)
                reached_by[link.grantor_id] = link
                if link.grantor_id == brand.owner_id:
                    return list(_walk_forward(reached_by, brand.owner_id, supplier_id))
                next_frontier.append(link.grantor_id)
        frontier = next_frontier
    return None


def _parties(chain: list[Authorisation]) -> str:
    return " → ".join([chain[0].grantor_id, *(link.grantee_id for link in chain)])


def _find_cycle(links_into: dict[str, list[Authorisation]]) -> list[str] | None:
    """One cycle among the explored links, as grantor → ... → the same grantor; iterative
    so a long cycle cannot exhaust the call stack."""
    # Edges point from grantor to grantee; links_into is keyed by grantee, so walk it
    # backwards and reverse the cycle found.
    white, grey, black = 0, 1, 2
    colour: dict[str, int] = {}
    for start in links_into:
        if colour.get(start, white) != white:
            continue
        stack: list[tuple[str, int]] = [(start, 0)]
        path: list[str] = []
        colour[start] = grey
        path.append(start)
        while stack:
            party, index = stack[-1]
            held = links_into.get(party, [])
            if index < len(held):
                stack[-1] = (party, index + 1)
                grantor = held[index].grantor_id
                state = colour.get(grantor, white)
                if state == grey:
                    loop = path[path.index(grantor) :]
                    loop.reverse()
                    return [*loop, loop[0]]
                if state == white:
                    colour[grantor] = grey
                    path.append(grantor)
                    stack.append((grantor, 0))
            else:
                colour[party] = black
                path.pop()
                stack.pop()
    return None
