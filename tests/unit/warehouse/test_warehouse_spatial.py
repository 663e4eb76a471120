"""The grid index finds exactly the points a brute-force scan finds."""

from __future__ import annotations

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st

from services.warehouse.service_layer.spatial import GridIndex, haversine_km_many

coords = st.tuples(st.floats(28.0, 33.0), st.floats(117.0, 123.0))


@settings(max_examples=60, deadline=None)
@given(st.lists(coords, min_size=1, max_size=40), st.lists(coords, min_size=1, max_size=20))
def test_grid_radius_query_equals_brute_force(points, queries):
    plat, plon = np.array(points).T
    qlat, qlon = np.array(queries).T
    grid = GridIndex(plat, plon, cell_km=100.0)
    q, p, d = grid.within(qlat, qlon, 100.0)
    found = set(zip(q.tolist(), p.tolist(), strict=True))
    dist = haversine_km_many(qlat[:, None], qlon[:, None], plat[None, :], plon[None, :])
    expected = {(i, j) for i, j in zip(*np.nonzero(dist <= 100.0), strict=True)}
    assert found == expected
    assert np.all(d <= 100.0)
