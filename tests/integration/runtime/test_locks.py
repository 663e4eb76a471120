"""Only one replica at a time runs a job guarded by a named lock."""

from __future__ import annotations

from cangpei.runtime.db import Database
from cangpei.runtime.locks import exclusive


def test_second_holder_is_refused_until_the_first_releases(database_url):
    first, second = Database(database_url), Database(database_url)
    try:
        with exclusive(first, "dispatch-W1") as held:
            assert held
            with exclusive(second, "dispatch-W1") as also:
                assert not also
            with exclusive(second, "dispatch-W2") as other:
                assert other, "a different name is a different lock"
        with exclusive(second, "dispatch-W1") as after:
            assert after
    finally:
        first.dispose()
        second.dispose()
