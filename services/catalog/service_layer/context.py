"""What every handler is given besides its command: the rules, the caller and the time."""

from __future__ import annotations

import datetime as dt
import uuid
from collections.abc import Callable
from dataclasses import dataclass, field

from services.catalog.domain.config import CatalogConfig
from services.catalog.domain.principals import Principal


def utc_now() -> dt.datetime:
    return dt.datetime.now(dt.UTC)


@dataclass(frozen=True)
class HandlerContext:
    config: CatalogConfig
    principal: Principal
    clock: Callable[[], dt.datetime] = field(default=utc_now)

    def now(self) -> dt.datetime:
        return self.clock()

    def today(self) -> dt.date:
        """The business day in China, which is what authorisation letters are dated in."""
        offset = dt.timezone(dt.timedelta(hours=self.config.business_utc_offset_hours))
        return self.now().astimezone(offset).date()

    @staticmethod
    def new_id(prefix: str) -> str:
        return f"{prefix}_{uuid.uuid4().hex}"
