"""The replayed day's clock: set to the next 07:00, fast while orders arrive, then real."""

from __future__ import annotations

import time
from datetime import datetime, timedelta
from pathlib import Path

import pytest

from cangpei.demo import day_clock
from cangpei.demo.day_clock import CHINA, DayClock
from cangpei.runtime import clock as clock_module
from cangpei.runtime.clock import BusinessClock, ClockSetting, write_clock


@pytest.fixture(autouse=True)
def no_waiting(monkeypatch) -> None:
    monkeypatch.setattr(day_clock, "SETTLE_SECONDS", 0.0)
    monkeypatch.setattr(clock_module, "_CHECK_SECONDS", 0.0)


@pytest.mark.parametrize(
    ("stack_time", "day_start"),
    [
        (datetime(2026, 12, 8, 22, 30, tzinfo=CHINA), datetime(2026, 12, 9, 7, tzinfo=CHINA)),
        (datetime(2026, 12, 8, 5, 0, tzinfo=CHINA), datetime(2026, 12, 8, 7, tzinfo=CHINA)),
    ],
)
def test_the_day_starts_at_the_next_seven_oclock_of_the_stacks_clock(
    tmp_path: Path, stack_time: datetime, day_start: datetime
) -> None:
    path = tmp_path / "clock.json"
    write_clock(path, ClockSetting(stack_time, time.time(), 1.0))
    clock = DayClock(path)
    assert clock.start_day(7, hour_seconds=2.0) == day_start
    # The services read the same clock: an hour every 2 s from 07:00.
    stack_now = BusinessClock(path)()
    assert abs(stack_now - day_start) < timedelta(minutes=5)
    assert clock.settings[-1].speed == 1800


def test_after_the_last_hour_the_clock_runs_on_at_real_speed_from_where_it_stands(
    tmp_path: Path,
) -> None:
    path = tmp_path / "clock.json"
    clock = DayClock(path)
    start = clock.start_day(7, hour_seconds=2.0)
    fast = clock.settings[-1]
    clock.real_pace()
    slow = clock.settings[-1]
    assert slow.speed == 1.0
    assert slow.business >= start
    # Continuous: at the switch both settings show the same time.
    assert fast.at(slow.real) == slow.business
    # Business times map back to real ones through the setting in force at the time:
    # before the switch an hour took 2 s, after it an hour takes an hour.
    assert clock.to_real(start) == pytest.approx(fast.real)
    assert clock.to_real(slow.business + timedelta(hours=1)) == pytest.approx(slow.real + 3600)


def test_without_a_clock_file_the_replay_keeps_real_time() -> None:
    clock = DayClock(None)
    before = datetime.now(CHINA)
    assert clock.start_day(7, hour_seconds=2.0) >= before
    clock.real_pace()
    assert clock.settings == []
    moment = datetime(2026, 12, 8, 9, tzinfo=CHINA)
    assert clock.to_real(moment) == moment.timestamp()
