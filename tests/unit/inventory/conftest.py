from __future__ import annotations

import pytest

from .inventory_helpers import Shop


@pytest.fixture
def shop() -> Shop:
    return Shop()
