"""The business clock: the time the warehouse and routing services plan by.

Cut-offs, promises, vans' shifts and pickup days are times of the business day. They
follow the real clock, unless ``CANGPEI_CLOCK_FILE`` names a file that sets a
simulated one, as JSON::

    {"business": "2026-12-08T07:00:00+08:00", "real": 1796720400.0, "speed": 1800}

meaning: at real time ``real`` (Unix seconds) the business time is ``business``, and
it runs ``speed`` times as fast as real time from there. ``cangpei demo`` writes it to
replay a promotion day from 07:00 at its compressed pace; the local stack
(``cangpei up``) points every service at ``<data dir>/clock.json``. The file is read
again when it changes, so a running stack follows a clock that is set, sped up or
slowed. Without the file (or the variable) the clock is the real one.

Reservation expiry is not business time: inventory keeps the real clock.
"""

from __future__ import annotations

import json
import logging
import os
import time
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path

log = logging.getLogger("cangpei.clock")

CLOCK_FILE_ENV = "CANGPEI_CLOCK_FILE"
# How often the file is looked at (a stat), at most.
_CHECK_SECONDS = 0.2


@dataclass(frozen=True)
class ClockSetting:
    """Business time ``business`` at real time ``real``, running ``speed`` times as fast."""

    business: datetime
    real: float
    speed: float = 1.0

    def at(self, real: float) -> datetime:
        return self.business + timedelta(seconds=(real - self.real) * self.speed)

    def real_time_of(self, business: datetime) -> float:
        """The real time (Unix seconds) at which this clock shows ``business``."""
        return self.real + (business - self.business).total_seconds() / self.speed

    def to_json(self) -> str:
        return json.dumps(
            {"business": self.business.isoformat(), "real": self.real, "speed": self.speed}
        )

    @classmethod
    def from_json(cls, text: str) -> ClockSetting:
        raw = json.loads(text)
        business = datetime.fromisoformat(raw["business"])
        if business.tzinfo is None:
            raise ValueError(f"business time {raw['business']!r} has no UTC offset")
        speed = float(raw.get("speed", 1.0))
        if not speed > 0:
            raise ValueError(f"speed {speed!r} must be above 0")
        return cls(business, float(raw["real"]), speed)


def write_clock(path: Path, setting: ClockSetting) -> None:
    """Set the clock that services reading ``path`` follow (atomically: a reader sees the
    old setting or the new one, never half a file)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    partial = path.with_name(path.name + ".partial")
    partial.write_text(setting.to_json())
    os.replace(partial, path)


class BusinessClock:
    """A callable returning the business time (aware, UTC) as the clock file says."""

    def __init__(self, path: Path | None, real_time=time.time) -> None:  # type: ignore[no-untyped-def]
        self._path = path
        self._real_time = real_time
        self._checked = -float("inf")
        self._stamp: tuple[int, int] | None = None
        self._setting: ClockSetting | None = None

    @classmethod
    def from_env(cls, env: dict[str, str] | None = None) -> BusinessClock:
        value = (os.environ if env is None else env).get(CLOCK_FILE_ENV, "")
        return cls(Path(value) if value else None)

    def __call__(self) -> datetime:
        real = self._real_time()
        setting = self.setting()
        if setting is None:
            return datetime.fromtimestamp(real, UTC)
        return setting.at(real).astimezone(UTC)

    def setting(self) -> ClockSetting | None:
        """The simulated clock in force, or None for the real one."""
        if self._path is None:
            return None
        now = time.monotonic()
        if now - self._checked >= _CHECK_SECONDS:
            self._checked = now
            self._reload()
        return self._setting

    def _reload(self) -> None:
        try:
            info = self._path.stat()
        except FileNotFoundError:
            if self._setting is not None:
                log.info("clock file %s is gone: back to the real clock", self._path)
            self._stamp, self._setting = None, None
            return
        stamp = (info.st_mtime_ns, info.st_size)
        if stamp == self._stamp:
            return
        self._stamp = stamp
        try:
            self._setting = ClockSetting.from_json(self._path.read_text())
        except (OSError, ValueError, KeyError, TypeError) as exc:
            log.warning("clock file %s is not usable (%s): keeping the real clock", self._path, exc)
            self._setting = None
            return
        log.info(
            "business clock from %s: %s at real %s, %g times real speed",
            self._path,
            self._setting.business.isoformat(),
            datetime.fromtimestamp(self._setting.real, UTC).isoformat(),
            self._setting.speed,
        )
