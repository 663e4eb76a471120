"""Declaring streams and consumers waits out a JetStream that is electing its leaders."""

from __future__ import annotations

import nats.errors
import nats.js.errors
import pytest

from cangpei.runtime.errors import Unavailable
from cangpei.runtime.messaging import while_jetstream_settles


async def test_a_declaration_is_retried_until_jetstream_answers() -> None:
    failures = [nats.errors.TimeoutError(), nats.js.errors.ServiceUnavailableError()]
    calls = 0

    async def declare() -> None:
        nonlocal calls
        calls += 1
        if failures:
            raise failures.pop(0)

    await while_jetstream_settles(declare, "consumer test", seconds=10.0)
    assert calls == 3


async def test_a_jetstream_that_never_answers_is_reported_unavailable() -> None:
    async def declare() -> None:
        raise nats.errors.TimeoutError()

    with pytest.raises(Unavailable, match="JetStream could not declare consumer test"):
        await while_jetstream_settles(declare, "consumer test", seconds=0.6)


async def test_other_errors_are_not_retried() -> None:
    calls = 0

    async def declare() -> None:
        nonlocal calls
        calls += 1
        raise nats.js.errors.BadRequestError()

    with pytest.raises(nats.js.errors.BadRequestError):
        await while_jetstream_settles(declare, "consumer test")
    assert calls == 1
