"""When a parcel can reach the consumer: next cut-off of its warehouse plus the tier's transit."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone

from .tiers import Tier


def next_dispatch(placed_at: datetime, cutoff_minute: int, utc_offset_minutes: int) -> datetime:
    """The first cut-off of the warehouse at or after ``placed_at`` (cut-off is local time)."""
    local_zone = timezone(timedelta(minutes=utc_offset_minutes))
    local = placed_at.astimezone(local_zone)
    midnight = local.replace(hour=0, minute=0, second=0, microsecond=0)
    cutoff = midnight + timedelta(minutes=cutoff_minute)
    if local > cutoff:
        cutoff += timedelta(days=1)
    return cutoff


def estimated_delivery(
    placed_at: datetime,
    cutoff_minute: int,
    tier: Tier,
    transit_hours: dict[Tier, int],
    utc_offset_minutes: int,
) -> datetime:
    return next_dispatch(placed_at, cutoff_minute, utc_offset_minutes) + timedelta(
        hours=transit_hours[tier]
    )
