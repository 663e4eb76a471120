"""The replayed day's clock: the stack's business clock set to the promotion day.

The replay compresses an hour into a few seconds. So that cut-offs, vans' shifts and
promises are judged at the replayed hour, not at whatever hour it really is, the demo
sets the stack's business clock (``cangpei.runtime.clock``) to 07:00 of the next
promotion day, running as fast as the replay; after the last hour it lets the clock run
on at real speed while the flow drains. Times the services record (an order's history)
are then business times; ``to_real`` turns them back into real ones, for latencies.
"""

from __future__ import annotations

import time
from dataclasses import dataclass, field
from datetime import datetime, timedelta, timezone
from pathlib import Path

from cangpei.runtime.clock import BusinessClock, ClockSetting, write_clock

# Warehouses keep China Standard Time.
CHINA = timezone(timedelta(hours=8))
# Seconds between setting the clock and relying on it: the services look at the clock
# file at most every 0.2 s.
SETTLE_SECONDS = 0.5


@dataclass
class DayClock:
    path: Path | None  # None: the stack follows the real clock and so does the replay
    settings: list[ClockSetting] = field(default_factory=list)

    def now(self) -> datetime:
        real = time.time()
        if not self.settings:
            return datetime.fromtimestamp(real, CHINA)
        return self.settings[-1].at(real).astimezone(CHINA)

    def start_day(self, first_hour: int, hour_seconds: float) -> datetime:
        """Set the business clock to ``first_hour`` of the next day that has not reached
        it yet, running an hour every ``hour_seconds``; returns that moment."""
        if self.path is None:
            return self.now()
        current = BusinessClock(self.path)().astimezone(CHINA)
        day = current.date() if current.hour < first_hour else current.date() + timedelta(days=1)
        start = datetime(day.year, day.month, day.day, first_hour, tzinfo=CHINA)
        self._set(ClockSetting(start, time.time() + SETTLE_SECONDS, 3600.0 / hour_seconds))
        time.sleep(SETTLE_SECONDS)
        return start

    def real_pace(self) -> None:
        """From now on the business clock runs at real speed, from where it stands."""
        if self.path is None or not self.settings:
            return
        real = time.time() + SETTLE_SECONDS
        self._set(ClockSetting(self.settings[-1].at(real), real, 1.0))

    def to_real(self, business: datetime) -> float:
        """The real time (Unix seconds) at which the stack's clock showed ``business``."""
        setting = next(
            (s for s in reversed(self.settings) if s.business <= business),
            self.settings[0] if self.settings else None,
        )
        return business.timestamp() if setting is None else setting.real_time_of(business)

    def _set(self, setting: ClockSetting) -> None:
        assert self.path is not None
        write_clock(self.path, setting)
        self.settings.append(setting)
