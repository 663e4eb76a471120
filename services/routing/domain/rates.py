"""Carrier rate cards: what a parcel costs with a carrier, and whether the carrier may take it."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from .model import Carrier, Parcel, RateBand

GRAMS_PER_KG = 1000


def chargeable_kg(weight_grams: int) -> int:
    """Carriers bill whole kilograms, rounding up: 1,001 g is 2 kg, and nothing is under 1 kg."""
    return max(1, -(-weight_grams // GRAMS_PER_KG))


def band_for(carrier: Carrier, distance_km: float) -> RateBand | None:
    """The band whose range (previous max, max_km] holds the distance; None beyond coverage."""
    for band in carrier.bands:
        if distance_km <= band.max_km:
            return band
    return None


def price_fen(band: RateBand, weight_grams: int) -> int:
    return band.first_weight_fen + (chargeable_kg(weight_grams) - 1) * band.additional_kg_fen


@dataclass(frozen=True)
class Quote:
    carrier_id: str
    cost_fen: int
    delivered_by: datetime
    pickup_at: datetime


def next_pickup(carrier: Carrier, now_local: datetime) -> datetime:
    """When the carrier next collects: today at its cut-off, or tomorrow once that has passed.

    ``now_local`` is on the warehouse's clock. A carrier's daily capacity is counted on
    the day of this pickup, not on the day the parcel was planned.
    """
    midnight = now_local.replace(hour=0, minute=0, second=0, microsecond=0)
    pickup = midnight + timedelta(minutes=carrier.cutoff_minute)
    return pickup if now_local <= pickup else pickup + timedelta(days=1)


@dataclass(frozen=True)
class Refusal:
    carrier_id: str
    reason: str


def quote(
    carrier: Carrier,
    parcel: Parcel,
    distance_km: float,
    now_local: datetime,
) -> Quote | Refusal:
    """Price the parcel with the carrier's next pickup, or say why the carrier cannot take it.

    ``now_local`` is the wave's time on the warehouse's clock. The carrier collects once a
    day, at its cut-off: a wave after today's cut-off goes with tomorrow's pickup, which
    the carrier may take only if it still delivers within the parcel's promise.
    """
    if not carrier.active:
        return Refusal(carrier.carrier_id, f"carrier {carrier.carrier_id} is inactive")
    band = band_for(carrier, distance_km)
    if band is None:
        return Refusal(
            carrier.carrier_id,
            f"{distance_km:.1f} km is beyond carrier {carrier.carrier_id}'s coverage "
            f"of {carrier.bands[-1].max_km:g} km",
        )
    pickup = next_pickup(carrier, now_local)
    missed = pickup.date() > now_local.date()
    delivered_by = pickup + timedelta(hours=band.delivery_hours)
    if parcel.promised_by is not None and delivered_by > parcel.promised_by:
        why = (
            f"carrier {carrier.carrier_id}'s pickup cut-off {pickup:%H:%M} has passed; "
            "with tomorrow's pickup it delivers"
            if missed
            else f"carrier {carrier.carrier_id} delivers"
        )
        return Refusal(
            carrier.carrier_id,
            f"{why} by {delivered_by:%Y-%m-%d %H:%M}, "
            f"after the promise {parcel.promised_by.astimezone(pickup.tzinfo):%Y-%m-%d %H:%M}",
        )
    return Quote(carrier.carrier_id, price_fen(band, parcel.weight_grams), delivered_by, pickup)
