"""What the gRPC interceptor logs of each call, and at which level."""

from __future__ import annotations

import logging
import time

import pytest

from cangpei.runtime.grpc_server import SLOW_CALL_MS, ServiceInterceptor


@pytest.fixture
def interceptor() -> ServiceInterceptor:
    return ServiceInterceptor("warehouse", lambda: None)


def levels(caplog: pytest.LogCaptureFixture) -> list[tuple[int, str]]:
    return [(r.levelno, r.getMessage()) for r in caplog.records if r.name == "cangpei.grpc"]


def test_a_quick_successful_call_is_logged_at_debug(interceptor, caplog) -> None:
    caplog.set_level(logging.DEBUG, logger="cangpei.grpc")
    interceptor._log("/w/Submit", "OK", time.perf_counter())
    [(level, message)] = levels(caplog)
    assert level == logging.DEBUG
    assert message.startswith("/w/Submit OK ")


def test_a_refused_call_is_logged_at_info(interceptor, caplog) -> None:
    caplog.set_level(logging.INFO, logger="cangpei.grpc")
    interceptor._log("/w/Submit", "INVALID_ARGUMENT", time.perf_counter())
    assert [level for level, _ in levels(caplog)] == [logging.INFO]


def test_a_slow_successful_call_is_logged_at_info(interceptor, caplog) -> None:
    caplog.set_level(logging.INFO, logger="cangpei.grpc")
    started = time.perf_counter() - (SLOW_CALL_MS + 100) / 1000
    interceptor._log("/w/Submit", "OK", started)
    [(level, message)] = levels(caplog)
    assert level == logging.INFO
    assert "/w/Submit OK" in message


def test_quick_successful_calls_leave_an_info_log_quiet(interceptor, caplog) -> None:
    caplog.set_level(logging.INFO, logger="cangpei.grpc")
    interceptor._log("/w/Submit", "OK", time.perf_counter())
    assert levels(caplog) == []
