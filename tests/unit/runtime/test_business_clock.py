"""The business clock: real time, or the simulated one a clock file sets."""

from __future__ import annotations

import os
import time
from datetime import UTC, datetime, timedelta, timezone
from pathlib import Path

import pytest

from cangpei.runtime import clock as clock_module
from cangpei.runtime.clock import BusinessClock, ClockSetting, write_clock

CHINA = timezone(timedelta(hours=8))
SEVEN = datetime(2026, 12, 8, 7, 0, tzinfo=CHINA)


class FakeRealTime:
    def __init__(self, now: float) -> None:
        self.now = now

    def __call__(self) -> float:
        return self.now


@pytest.fixture(autouse=True)
def reread_at_once(monkeypatch) -> None:
    # The clock looks at its file at most every 0.2 s; these tests change it at once.
    monkeypatch.setattr(clock_module, "_CHECK_SECONDS", 0.0)


def test_without_a_file_the_clock_is_the_real_one() -> None:
    before = datetime.now(UTC)
    now = BusinessClock(None)()
    assert before <= now <= datetime.now(UTC)
    assert now.tzinfo is not None


def test_a_missing_file_means_the_real_clock(tmp_path: Path) -> None:
    real = FakeRealTime(1_800_000_000.0)
    assert BusinessClock(tmp_path / "clock.json", real)() == datetime.fromtimestamp(real.now, UTC)


def seven_oclock_at_replay_speed(path: Path) -> tuple[FakeRealTime, BusinessClock]:
    """A clock file set to 07:00 now, an hour every 2 s, and a clock reading it."""
    real = FakeRealTime(1_800_000_000.0)
    write_clock(path, ClockSetting(SEVEN, real.now, speed=1800))
    return real, BusinessClock(path, real)


def test_the_file_sets_a_clock_that_runs_at_its_speed(tmp_path: Path) -> None:
    real, clock = seven_oclock_at_replay_speed(tmp_path / "clock.json")
    assert clock() == SEVEN
    real.now += 2.0  # two real seconds are an hour of the replayed day
    assert clock().astimezone(CHINA) == SEVEN + timedelta(hours=1)
    assert clock().tzinfo == UTC


def test_a_running_clock_follows_a_new_setting_and_the_file_going_away(tmp_path: Path) -> None:
    path = tmp_path / "clock.json"
    real, clock = seven_oclock_at_replay_speed(path)
    assert clock() == SEVEN
    later = ClockSetting(SEVEN + timedelta(hours=16), real.now, speed=1.0)
    write_clock(path, later)
    # The reader tells versions apart by modification time and size; written within one
    # timestamp tick the times could be equal, so this one is moved on.
    os.utime(path, ns=(time.time_ns(), time.time_ns() + 1_000_000))
    assert clock() == SEVEN + timedelta(hours=16)
    real.now += 60
    assert clock() == SEVEN + timedelta(hours=16, minutes=1)
    path.unlink()
    assert clock() == datetime.fromtimestamp(real.now, UTC)


def test_an_unusable_file_keeps_the_real_clock_and_says_why(tmp_path: Path, caplog) -> None:
    path = tmp_path / "clock.json"
    path.write_text('{"business": "2026-12-08T07:00:00", "real": 0, "speed": 1}')
    real = FakeRealTime(1_800_000_000.0)
    assert BusinessClock(path, real)() == datetime.fromtimestamp(real.now, UTC)
    assert "has no UTC offset" in caplog.text


@pytest.mark.parametrize("speed", [0, -2])
def test_a_clock_must_run_forwards(speed: float) -> None:
    text = ClockSetting(SEVEN, 0.0, 1.0).to_json().replace('"speed": 1.0', f'"speed": {speed}')
    with pytest.raises(ValueError, match="must be above 0"):
        ClockSetting.from_json(text)


def test_a_business_time_maps_back_to_the_real_time_it_was_shown() -> None:
    setting = ClockSetting(SEVEN, 1_800_000_000.0, speed=1800)
    assert setting.real_time_of(SEVEN + timedelta(hours=3)) == pytest.approx(1_800_000_006.0)
    assert setting.real_time_of(setting.at(1_800_000_123.5)) == pytest.approx(1_800_000_123.5)


def test_the_environment_names_the_file(tmp_path: Path) -> None:
    path = tmp_path / "clock.json"
    write_clock(path, ClockSetting(SEVEN, time.time(), speed=1.0))
    clock = BusinessClock.from_env({"CANGPEI_CLOCK_FILE": str(path)})
    assert abs(clock() - SEVEN) < timedelta(seconds=5)
    assert BusinessClock.from_env({}).setting() is None
